"""A partner bureau's own turnaround page costs the same number of queries for few or many requests."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.projects.factories import ProjectFactory, answer, open_round
from tests.queries import count_queries

SHANGHAI = ZoneInfo("Asia/Shanghai")
OPENED = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
LATER = datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)  # every request opened on OPENED is late by now

pytestmark = pytest.mark.django_db


def _requests(officer, reviewer, *, answered, late):
    """Requests to the reviewer's bureau opened on OPENED: some answered the same day, the others still open."""
    with time_machine.travel(OPENED, tick=False):
        for _ in range(answered):
            answer(open_round(ProjectFactory(owner=officer), officer, codes=("ndrc",)), {"ndrc": reviewer})
        for _ in range(late):
            open_round(ProjectFactory(owner=officer), officer, codes=("ndrc",))


def test_the_bureaus_turnaround_page_costs_the_same_queries_for_1_or_6_late_requests(login, officer,
                                                                                    reviewer_factory):
    reviewer = reviewer_factory("ndrc")
    client = login(reviewer)
    url = reverse("reports:my_turnaround")
    _requests(officer, reviewer, answered=1, late=1)
    with time_machine.travel(LATER, tick=False):
        small = count_queries(client, url)
    _requests(officer, reviewer, answered=4, late=5)
    with time_machine.travel(LATER, tick=False):
        large = count_queries(client, url)
        assert client.get(url).context["figures"]["overdue_now"] == 6
    # 4 layout (session, user, unread notifications, the user's bureau) + 4 for the figures (the bureau's name,
    # its requests answered this year counted by due and answer day, its late requests counted, the
    # administrator's calendar days for the working-day arithmetic) + the late requests listed with round and
    # project joined (1): 9, however many requests there are.
    assert small == large == 9
