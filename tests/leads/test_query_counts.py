"""The lists, detail pages and the work page cost the same number of queries for few or many rows.

The base layout costs the session and the user, plus what the navigation bar's context processors read
(unread notifications, the user's bureau, and whatever other apps add): measured, not assumed, below."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leads import selectors
from tests.factories import ContactFactory
from tests.leads.factories import FollowUpFactory, LeadFactory, MeetingLogFactory, PromotionEventFactory
from tests.queries import count_queries


def _layout(user) -> int:
    """Queries of the base layout for this user: session and user, plus rendering base.html."""
    request = RequestFactory().get("/")
    request.user = type(user).objects.get(pk=user.pk)  # fresh, as a request loads it: nothing cached
    with CaptureQueriesContext(connection) as ctx:
        render_to_string("base.html", request=request)
    return 2 + len(ctx.captured_queries)


def _leads(n, **fields):
    for _ in range(n):
        lead = LeadFactory(**fields)
        MeetingLogFactory(lead=lead)
        FollowUpFactory(lead=lead, owner=lead.owner, due_on=timezone.localdate())


@pytest.mark.django_db
def test_the_work_page_costs_the_same_for_2_or_20_leads(login, officer):
    client = login(officer)
    url = reverse("leads:my_work")
    PromotionEventFactory()
    _leads(2, owner=officer)
    small = count_queries(client, url)
    with CaptureQueriesContext(connection) as ctx:
        selectors.my_work(user=officer)
    # The leads panels: due follow-ups, upcoming follow-ups, open leads and counts by status (each for owned and
    # for co-owned leads), team meetings, events. Other apps add their own panels to this page (aftercare's due
    # visits, reports' progress) and count them.
    assert len(ctx.captured_queries) == 8
    _leads(18, owner=officer)
    PromotionEventFactory()
    assert count_queries(client, url) == small


@pytest.mark.django_db
def test_the_lead_list_costs_the_same_for_3_or_30_leads(login, officer):
    client = login(officer)
    url = reverse("leads:lead_list")
    _leads(3)
    small = count_queries(client, url)
    _leads(27)
    # Layout + count, the page's keys and the page (enterprise, owner, industry, event joined) + the filter's
    # owners, industries and events.
    assert small == count_queries(client, url) == _layout(officer) + 6


@pytest.mark.django_db
def test_the_meeting_list_costs_the_same_for_3_or_30_meetings(login, officer):
    client = login(officer)
    url = reverse("leads:meeting_list")
    _leads(3)
    small = count_queries(client, url)
    _leads(27)
    # Layout + count, the page's keys and the page (enterprise, lead, author joined) + the filter's officers.
    assert small == count_queries(client, url) == _layout(officer) + 4


@pytest.mark.django_db
def test_the_event_list_and_page_cost_the_same_for_few_or_many_leads(login, officer):
    client = login(officer)
    event = PromotionEventFactory()
    _leads(2, source="event", source_event=event)
    list_small = count_queries(client, reverse("leads:event_list"))
    page_small = count_queries(client, event.get_absolute_url())
    _leads(20, source="event", source_event=event)
    PromotionEventFactory()
    # Layout + count, the page's keys and the page (leads counted per event).
    assert count_queries(client, reverse("leads:event_list")) == list_small == _layout(officer) + 3
    assert count_queries(client, event.get_absolute_url()) == page_small


@pytest.mark.django_db
def test_the_lead_page_costs_the_same_for_a_short_or_long_history(login, officer):
    lead = LeadFactory(owner=officer)
    client = login(officer)
    MeetingLogFactory(lead=lead)
    small = count_queries(client, lead.get_absolute_url())
    for n in range(15):
        MeetingLogFactory(lead=lead, occurred_at=timezone.now() - timedelta(days=n + 1))
        FollowUpFactory(lead=lead)
    assert count_queries(client, lead.get_absolute_url()) == small


@pytest.mark.django_db
def test_the_enterprise_page_with_its_leads_panel_costs_the_same_for_1_or_10_leads(login, officer):
    first = LeadFactory(owner=officer)
    enterprise = first.enterprise
    client = login(officer)
    ContactFactory(enterprise=enterprise)
    small = count_queries(client, enterprise.get_absolute_url())
    for _ in range(9):
        lead = LeadFactory(enterprise=enterprise)
        MeetingLogFactory(lead=lead)
        FollowUpFactory(lead=lead)
    assert count_queries(client, enterprise.get_absolute_url()) == small


@pytest.mark.django_db
def test_the_pipeline_costs_the_same_for_few_or_many_officers(login, leader):
    client = login(leader)
    _leads(2)
    small = count_queries(client, reverse("leads:lead_pipeline"))
    _leads(20)
    # Layout + counts by owner and status, the open leads' clocks and amounts by owner, the owners' names.
    assert small == count_queries(client, reverse("leads:lead_pipeline")) == _layout(leader) + 3
