"""Every pipeline list and page costs the same number of queries for a little or a lot of data.

The base layout costs 4 queries (session, user, unread-notification count, the user's bureau).
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from projects import services
from projects.choices import Outcome, Stage
from tests.projects.factories import ProjectFactory, answer, open_round, pdf
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def _busy_project(officer, other_officer, reviewers, rounds):
    """A project with `rounds` rounds (all but the last disagreed), opinions with conditions and attachments,
    documents, capital and talent requests: everything the detail page lists grows with `rounds`."""
    project = ProjectFactory(owner=officer)
    project.co_owners.set([other_officer])
    for n in range(rounds):
        review_round = open_round(project, officer, codes=("ndrc", "ecology"))
        last = n == rounds - 1
        for request in review_round.requests.select_related("bureau"):
            services.opinion_submit(
                request=request, by=reviewers[request.bureau.code],
                outcome=Outcome.AGREE_WITH_CONDITIONS if last else Outcome.DISAGREE, reason="意见",
                conditions=[services.ConditionInput("环评", date(2027, 1, 1), Stage.CONSTRUCTION)] if last else [],
                attachments=[pdf("意见.pdf")])
        services.document_add(project=project, by=officer, kind="material", file=pdf())
        services.capital_record(project=project, by=officer, date=date(2026, 1, 1 + n), kind="domestic",
                                amount_wan=Decimal("100"))
        services.talent_request_create(project=project, by=officer, kind="housing", people=2, description="住房")
    return project


def test_the_project_page_costs_the_same_for_one_round_or_four(login, officer, other_officer, reviewers):
    client = login(other_officer)  # a co-owner: the edit check looks the co-owners up
    small = count_queries(client, _busy_project(officer, other_officer, reviewers, 1).get_absolute_url())
    large = count_queries(client, _busy_project(officer, other_officer, reviewers, 4).get_absolute_url())
    # 4 layout + the project (enterprise, industry, area and owner joined) + the co-owner check for editing
    # + the co-owners shown + rounds, requests, visible opinions with their documents and conditions, the
    # supplements (6) + milestones + capital + thresholds for the pre-check + stage changes + meetings
    # + conditions + talent requests + documents = 21, whatever the number of rounds, opinions or records.
    assert small == large == 21


def test_the_project_list_costs_the_same_for_3_or_30_projects(login, officer):
    client = login(officer)
    url = reverse("projects:project_list")
    for _ in range(3):
        ProjectFactory(owner=officer)
    small = count_queries(client, url)
    for _ in range(27):
        ProjectFactory(owner=officer)
    # 4 layout + count for the paginator + the page's keys + the page (enterprise, industry and owner joined)
    assert small == count_queries(client, url) == 7


def test_the_reviewer_inbox_costs_the_same_for_2_or_12_requests(login, officer, reviewers):
    client = login(reviewers["talent"])
    url = reverse("projects:my_reviews")
    for _ in range(2):
        open_round(ProjectFactory(owner=officer), officer, codes=("talent",))
        services.talent_request_create(project=ProjectFactory(owner=officer), by=officer, kind="housing",
                                       people=1, description="住房")
    small = count_queries(client, url)
    for _ in range(10):
        open_round(ProjectFactory(owner=officer), officer, codes=("talent",))
        services.talent_request_create(project=ProjectFactory(owner=officer), by=officer, kind="housing",
                                       people=1, description="住房")
    # 4 layout + the page's count, keys and rows (round, project and enterprise joined) + both tabs' counts
    # + the open talent requests (project joined)
    assert small == count_queries(client, url) == 9


def test_the_request_page_costs_the_same_for_2_or_5_bureaus(login, officer, reviewers):
    codes_small, codes_large = ("ndrc", "ecology"), ("talent", "ndrc", "ecology", "market", "planning")
    counts = []
    for codes in (codes_small, codes_large):
        review_round = open_round(ProjectFactory(owner=officer), officer, codes=codes)
        answer(review_round, reviewers, outcome=Outcome.AGREE)
        request = review_round.requests.get(bureau__code="ndrc")
        counts.append(count_queries(login(reviewers["ndrc"]), request.get_absolute_url()))
    # 4 layout + the request (round, project and bureau joined) + rounds, requests, visible opinions with their
    # documents and conditions, supplements (6) + administrator calendar days (for the estimate warning)
    # + thresholds for the pre-check + the documents = 14, however many bureaus the round has.
    assert counts[0] == counts[1] == 14


def test_the_pipeline_board_costs_the_same_for_8_or_40_projects(login, leader, officer):
    client = login(leader)
    url = reverse("projects:pipeline_board")
    for _ in range(8):
        ProjectFactory(owner=officer)
    small = count_queries(client, url)
    for _ in range(32):
        ProjectFactory(owner=officer)
    # 4 layout + counts and sums per stage + the first cards of each of the 8 columns (enterprise and owner
    # joined)
    assert small == count_queries(client, url) == 13


def test_the_overdue_page_costs_the_same_for_1_or_6_late_requests(login, leader, officer):
    client = login(leader)
    url = reverse("projects:overdue_reviews")
    with time_machine.travel(date(2026, 11, 2), tick=False):
        open_round(ProjectFactory(owner=officer), officer, codes=("ndrc",))
    with time_machine.travel(date(2026, 11, 27), tick=False):
        small = count_queries(client, url)
    with time_machine.travel(date(2026, 11, 3), tick=False):
        for _ in range(5):
            open_round(ProjectFactory(owner=officer), officer, codes=("ndrc", "ecology"))
    with time_machine.travel(date(2026, 11, 27), tick=False):
        large = count_queries(client, url)
    # 4 layout + administrator calendar days + the late requests (bureau, project and owner joined)
    assert small == large == 6
