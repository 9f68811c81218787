"""Leads, clocks, status moves, conversion, meetings and follow-ups at the service level."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.models import CalendarDay
from leads import services
from leads.choices import ClockState, FollowUpStatus, LeadSource, LeadStatus
from leads.clocks import clock_state
from leads.models import FollowUp, Lead, LeadStatusChange, MeetingLog
from leads.selectors import attach_clocks
from tests.factories import ContactFactory, EnterpriseFactory
from tests.leads.factories import FollowUpFactory, LeadFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Friday 27 November 2026, 09:00 in Sanya.
FRIDAY = datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)


def _lead(officer, **fields):
    return services.lead_create(by=officer, enterprise=EnterpriseFactory(), title="区域总部",
                                source=LeadSource.PROSPECTING, **fields)


@pytest.mark.django_db
@time_machine.travel(FRIDAY, tick=False)
def test_a_friday_lead_must_be_answered_on_monday_and_assessed_on_wednesday(officer):
    lead = _lead(officer, intended_investment_wan=Decimal("5000"))
    assert (lead.received_on, lead.first_response_due, lead.assessment_due) == (
        date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 2))
    assert lead.status == LeadStatus.NEW
    assert list(lead.status_changes.values_list("old_status", "new_status")) == [("", "new")]


@pytest.mark.django_db
@time_machine.travel(FRIDAY, tick=False)
def test_a_major_lead_gets_the_longer_clocks_of_its_rule(officer):
    lead = _lead(officer, intended_investment_wan=Decimal("120000"))
    assert (lead.first_response_due, lead.assessment_due) == (date(2026, 12, 1), date(2026, 12, 4))


@pytest.mark.django_db
@time_machine.travel(FRIDAY, tick=False)
def test_an_administrators_holiday_moves_the_clock(officer):
    CalendarDay.objects.create(date=date(2026, 11, 30), kind=CalendarDay.Kind.HOLIDAY, note="台风停工")
    lead = _lead(officer)
    assert lead.first_response_due == date(2026, 12, 1)


@pytest.mark.parametrize(("today", "done", "state"), [
    (date(2026, 11, 27), None, ClockState.GREEN),
    (date(2026, 11, 30), None, ClockState.YELLOW),
    (date(2026, 12, 1), None, ClockState.RED),
    (date(2026, 12, 1), date(2026, 11, 28), ClockState.MET),
])
def test_a_clock_is_green_before_its_day_yellow_on_it_and_red_after(today, done, state):
    assert clock_state(due=date(2026, 11, 30), done_on=done, today=today) == state


@pytest.mark.django_db
def test_a_decided_lead_has_no_clock_running(officer):
    lead = LeadFactory(status=LeadStatus.SHELVED, status_reason="企业暂缓投资", received_on=date(2025, 1, 2),
                       first_response_due=date(2025, 1, 3), assessment_due=date(2025, 1, 7))
    attach_clocks([lead], today=date(2026, 11, 27))
    assert lead.first_response_clock == lead.assessment_clock == ClockState.MET


@pytest.mark.django_db
def test_shelving_needs_a_reason_in_the_service_and_in_the_database(officer):
    lead = LeadFactory(owner=officer)
    with pytest.raises(ValidationError) as refused:
        services.lead_set_status(lead=lead, to=LeadStatus.SHELVED, by=officer, reason="  ")
    assert "status_reason" in refused.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Lead.objects.filter(pk=lead.pk).update(status=LeadStatus.INVALID, status_reason="")
    lead = services.lead_set_status(lead=lead, to=LeadStatus.SHELVED, by=officer, reason="企业资金链紧张，暂缓")
    assert lead.status == LeadStatus.SHELVED and lead.assessed_on is not None
    assert lead.status_changes.last().reason == "企业资金链紧张，暂缓"


@pytest.mark.django_db
def test_a_negative_intended_investment_is_refused_by_the_database(officer):
    lead = LeadFactory(owner=officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Lead.objects.filter(pk=lead.pk).update(intended_investment_wan=Decimal("-1"))
    with pytest.raises(ValidationError):
        _lead(officer, intended_investment_wan=Decimal("-5"))


@pytest.mark.django_db
def test_conversion_goes_through_the_project_and_is_final(officer):
    lead = LeadFactory(owner=officer)
    lead.co_owners.add(officer)
    with pytest.raises(ValidationError):
        services.lead_set_status(lead=lead, to=LeadStatus.CONVERTED, by=officer)
    data = services.lead_conversion_data(lead=lead)
    assert data["enterprise"] == lead.enterprise and data["total_investment_wan"] == lead.intended_investment_wan
    converted = services.lead_mark_converted(lead=lead, by=officer, reason="项目已立项")
    assert converted.status == LeadStatus.CONVERTED
    assert LeadStatusChange.objects.filter(lead=lead, new_status=LeadStatus.CONVERTED).exists()
    with pytest.raises(ValidationError):
        services.lead_set_status(lead=converted, to=LeadStatus.FOLLOWING, by=officer)


@pytest.mark.django_db
def test_a_failed_project_leaves_the_lead_open(officer):
    lead = LeadFactory(owner=officer)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.lead_mark_converted(lead=lead, by=officer)
        raise RuntimeError("the project could not be created")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW


@pytest.mark.django_db
def test_a_meeting_with_a_follow_up_answers_a_new_lead(officer):
    lead = LeadFactory(owner=officer)
    contact = ContactFactory(enterprise=lead.enterprise)
    meeting, follow_up = services.meeting_log_create(
        by=officer, enterprise=lead.enterprise, lead=lead, kind="visit",
        occurred_at=timezone.localtime() - timedelta(hours=1), discussion="企业希望了解用地指标",
        demands="需要50亩工业用地", their_attendees=[contact], follow_up_title="提供用地清单",
        follow_up_due=timezone.localdate() + timedelta(days=2))
    lead.refresh_from_db()
    assert lead.status == LeadStatus.FOLLOWING and lead.first_responded_on is not None
    assert follow_up.meeting == meeting and follow_up.owner == officer and follow_up.lead == lead
    assert set(meeting.our_attendees.all()) == {officer}


@pytest.mark.django_db
@pytest.mark.parametrize(("occurred", "due", "field"), [
    (timedelta(hours=3), None, "occurred_at"),  # a meeting that already happened cannot be in the future
    (timedelta(days=-2), timedelta(days=-3), "follow_up_due"),  # a follow-up before its meeting
])
def test_bad_meeting_input_is_refused_and_nothing_is_saved(officer, occurred, due, field):
    lead = LeadFactory(owner=officer)
    now = timezone.localtime()
    with pytest.raises(ValidationError) as refused:
        services.meeting_log_create(by=officer, enterprise=lead.enterprise, lead=lead, kind="call",
                                    occurred_at=now + occurred, discussion="电话沟通",
                                    follow_up_due=(now + due).date() if due else None)
    assert field in refused.value.error_dict
    assert not MeetingLog.objects.exists() and not FollowUp.objects.exists()
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW


@pytest.mark.django_db
def test_their_people_must_work_at_the_enterprise(officer):
    lead = LeadFactory(owner=officer)
    stranger = ContactFactory()
    with pytest.raises(ValidationError) as refused:
        services.meeting_log_create(by=officer, enterprise=lead.enterprise, lead=lead, kind="visit",
                                    occurred_at=timezone.localtime(), discussion="走访",
                                    their_attendees=[stranger])
    assert "their_attendees" in refused.value.error_dict


@pytest.mark.django_db
def test_a_follow_up_is_done_rescheduled_or_cancelled_once(officer):
    done = services.follow_up_complete(follow_up=FollowUpFactory(), by=officer, note="已发送")
    assert done.status == FollowUpStatus.DONE and done.closed_at is not None
    with pytest.raises(ValidationError):
        services.follow_up_complete(follow_up=done, by=officer)
    moved = services.follow_up_reschedule(follow_up=FollowUpFactory(), by=officer,
                                          due_on=timezone.localdate() + timedelta(days=5))
    assert moved.status == FollowUpStatus.RESCHEDULED
    assert moved.rescheduled_to.status == FollowUpStatus.OPEN
    assert moved.rescheduled_to.due_on == timezone.localdate() + timedelta(days=5)
    with pytest.raises(ValidationError):
        services.follow_up_cancel(follow_up=FollowUpFactory(), by=officer, note="")


@pytest.mark.django_db
def test_a_leader_reassigns_a_lead_and_both_officers_are_told(officer, other_officer, leader):
    lead = LeadFactory(owner=officer)
    lead = services.lead_reassign(lead=lead, by=leader, owner=other_officer)
    assert lead.owner == other_officer
    assert other_officer.notifications.count() == 1 and officer.notifications.count() == 1


@pytest.mark.django_db
def test_an_event_cannot_end_before_it_starts(officer):
    with pytest.raises(ValidationError):
        services.event_create(by=officer, name="推介会", kind="promotion", starts_on=date(2026, 5, 2),
                              ends_on=date(2026, 5, 1))
