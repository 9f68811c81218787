"""API lists cost the same number of queries however many rows they show (measured at two sizes)."""

import pytest
from django.urls import reverse

from tests.leads.factories import LeadFactory, MeetingLogFactory
from tests.projects.factories import ProjectFactory, answer, open_round
from tests.queries import count_queries


def _queries(client, url) -> int:
    client.get(url)  # the first call of a token records its use (at most once a minute): not counted
    return count_queries(client, url)


def _leads(officer, n):
    for _ in range(n):
        lead = LeadFactory(owner=officer)
        lead.co_owners.add(officer)
        MeetingLogFactory(lead=lead, created_by=officer)


def _projects(officer, reviewers, n):
    for _ in range(n):
        project = ProjectFactory(owner=officer)
        answer(open_round(project, officer, codes=("ndrc", "ecology")), reviewers)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "expected"), [
    # token (1), count (1), page with enterprise, owner, industry and event joined (1), co-owners (1)
    ("api:lead-list", 4),
    # token, count, page with enterprise, lead and author joined, our and their attendees, leads' co-owners
    ("api:meeting-list", 6),
])
def test_lead_lists_cost_the_same_at_any_size(api_as, officer, name, expected):
    client = api_as(officer)
    _leads(officer, 1)
    small = _queries(client, reverse(name))
    _leads(officer, 4)
    assert _queries(client, reverse(name)) == small == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "expected"), [
    # token, count, page with enterprise, industry and owner joined, co-owners
    ("api:project-list", 4),
    # token, count, page with round, project, enterprise and bureau joined
    ("api:review-request-list", 3),
    # token, count, page with reviewer and request joined, conditions
    ("api:opinion-list", 4),
])
def test_project_lists_cost_the_same_at_any_size(api_as, officer, reviewers, name, expected):
    client = api_as(officer)
    _projects(officer, reviewers, 1)
    small = _queries(client, reverse(name))
    _projects(officer, reviewers, 4)
    assert _queries(client, reverse(name)) == small == expected


@pytest.mark.django_db
def test_a_reviewers_request_list_costs_the_same_at_any_size(api_as, officer, reviewers):
    client = api_as(reviewers["ndrc"])
    _projects(officer, reviewers, 1)
    small = _queries(client, reverse("api:review-request-list"))
    _projects(officer, reviewers, 4)
    # token, count, page (the bureau filter is in the same query)
    assert _queries(client, reverse("api:review-request-list")) == small == 3
