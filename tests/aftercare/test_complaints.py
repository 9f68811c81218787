"""Complaints and requests: routing to the bureau that must act, working-day due dates, answers only from
that bureau, closing with the investor's verdict, reopening, reminders once a day, and the rates."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from aftercare import services
from aftercare.access import complaints_visible_to
from aftercare.choices import ComplaintStatus, Satisfaction
from aftercare.models import ComplaintCycle
from aftercare.selectors import complaint_rates
from aftercare.tasks import send_complaint_reminders
from crm.models import CalendarDay, Notification
from tests.aftercare.factories import register
from tests.factories import EnterpriseFactory, bureau

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY = datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)

pytestmark = pytest.mark.django_db


def _at(day: date, hour=10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


@time_machine.travel(FRIDAY, tick=False)
def test_a_complaint_is_routed_to_its_bureau_with_a_due_date_in_working_days(officer, reviewers):
    complaint = register(officer, code="ndrc", due_working_days=5)
    cycle = complaint.current_cycle
    assert complaint.status == ComplaintStatus.OPEN
    assert cycle.bureau.code == "ndrc" and cycle.number == 1
    # Friday 27 November + 5 working days: the weekend does not count.
    assert cycle.due_on == date(2026, 12, 4)
    assert complaint.code == f"TS-2026-{complaint.pk:05d}"
    # The reviewer of the bureau it is routed to sees it; another bureau's reviewer does not.
    assert list(complaints_visible_to(reviewers["ndrc"])) == [complaint]
    assert list(complaints_visible_to(reviewers["talent"])) == []


@time_machine.travel(FRIDAY, tick=False)
def test_an_administrator_entered_holiday_moves_the_due_date(officer):
    CalendarDay.objects.create(date=date(2026, 11, 30), kind=CalendarDay.Kind.HOLIDAY)
    complaint = register(officer, due_working_days=1)
    assert complaint.current_cycle.due_on == date(2026, 12, 1)


@time_machine.travel(FRIDAY, tick=False)
def test_a_complaint_without_enterprise_or_content_or_with_a_past_due_date_is_refused(officer):
    with pytest.raises(ValidationError) as missing:
        services.complaint_register(
            by=officer, enterprise=None, bureau=bureau("ndrc"), category="land", subject="用地", content=" ",
            channel="call")
    assert set(missing.value.message_dict) == {"enterprise", "content"}
    with pytest.raises(ValidationError) as past:
        register(officer, due_on=date(2026, 11, 26))
    assert past.value.message_dict == {"due_on": ["答复期限不能早于今天。"]}
    assert not ComplaintCycle.objects.exists()


@time_machine.travel(FRIDAY, tick=False)
def test_only_the_bureau_it_is_routed_to_can_answer(officer, reviewers):
    complaint = register(officer, code="ndrc")
    for stranger in (reviewers["talent"], officer):
        with pytest.raises(ValidationError) as refused:
            services.complaint_answer(complaint=complaint, by=stranger, answer="已办理")
        assert refused.value.code == "not_routed_here"
        assert "吉阳区发展改革委员会" in refused.value.messages[0]
    cycle = services.complaint_answer(complaint=complaint, by=reviewers["ndrc"], answer="已于本周完成备案")
    assert cycle.answered_on_time is True
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED


@time_machine.travel(FRIDAY, tick=False)
def test_a_complaint_routed_to_the_promotion_bureau_is_answered_by_its_officers(officer, reviewers):
    complaint = register(officer, code="promotion", category="policy_payment")
    with pytest.raises(ValidationError):
        services.complaint_answer(complaint=complaint, by=reviewers["ndrc"], answer="不归我们")
    services.complaint_answer(complaint=complaint, by=officer, answer="奖励资金已拨付")


@time_machine.travel(FRIDAY, tick=False)
def test_closing_needs_the_investors_satisfaction_and_only_a_dissatisfied_close_reopens(officer, leader, reviewers):
    complaint = register(officer, code="market")
    with pytest.raises(ValidationError):  # not answered yet
        services.complaint_close(complaint=complaint, by=officer, satisfaction=Satisfaction.SATISFIED)
    services.complaint_answer(complaint=complaint, by=reviewers["market"], answer="已办理营业执照变更")
    with pytest.raises(ValidationError) as no_verdict:
        services.complaint_close(complaint=complaint, by=officer, satisfaction="")
    assert "satisfaction" in no_verdict.value.message_dict
    services.complaint_close(complaint=complaint, by=officer, satisfaction=Satisfaction.DISSATISFIED,
                             note="企业认为办理太慢")
    with pytest.raises(ValidationError):  # a reason is required
        services.complaint_reopen(complaint=complaint, by=officer, reason=" ")
    cycle = services.complaint_reopen(complaint=complaint, by=leader, reason="企业不满意，请重新办理",
                                      bureau=bureau("planning"), due_working_days=3)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.OPEN and complaint.current_cycle == cycle
    assert cycle.number == 2 and cycle.bureau.code == "planning" and cycle.due_on == date(2026, 12, 2)
    # The first handling and its dissatisfied close stay on record; the old bureau can still read it.
    first = complaint.cycles.get(number=1)
    assert first.satisfaction == Satisfaction.DISSATISFIED
    assert list(complaints_visible_to(reviewers["market"])) == [complaint]
    services.complaint_answer(complaint=complaint, by=reviewers["planning"], answer="已调整规划条件")
    services.complaint_close(complaint=complaint, by=officer, satisfaction=Satisfaction.SATISFIED)
    with pytest.raises(ValidationError) as satisfied:
        services.complaint_reopen(complaint=complaint, by=officer, reason="再次")
    assert satisfied.value.code == "not_dissatisfied"


@time_machine.travel(FRIDAY, tick=False)
def test_only_the_officer_in_charge_or_a_leader_closes(officer, other_officer, reviewers):
    complaint = register(officer)
    services.complaint_answer(complaint=complaint, by=reviewers["ndrc"], answer="已办")
    with pytest.raises(ValidationError):
        services.complaint_close(complaint=complaint, by=other_officer, satisfaction=Satisfaction.SATISFIED)


def test_reminders_go_the_day_before_and_while_overdue_and_escalate_once_each(officer, leader, reviewers):
    with _at(date(2026, 11, 27)):
        complaint = register(officer, code="ecology", due_working_days=2)  # due Tuesday 1 December
    cycle = complaint.current_cycle
    reviewer = reviewers["ecology"]
    with _at(date(2026, 11, 30)):  # Monday: due tomorrow
        assert send_complaint_reminders.delay().get() == {"due_tomorrow": 1, "overdue": 0, "escalated": 0}
        assert send_complaint_reminders.delay().get() == {"due_tomorrow": 0, "overdue": 0, "escalated": 0}
    with _at(date(2026, 12, 2)):  # one working day late: reminded, not yet escalated
        assert services.complaint_reminders_sweep(today=date(2026, 12, 2)).overdue == 1
    with _at(date(2026, 12, 5)):  # Saturday: the sweep rests
        assert services.complaint_reminders_sweep(today=date(2026, 12, 5)) == services.SweepResult(0, 0, 0)
    with _at(date(2026, 12, 4)):  # three working days late: escalated to the leader, once
        first = services.complaint_reminders_sweep(today=date(2026, 12, 4))
        again = services.complaint_reminders_sweep(today=date(2026, 12, 4))
    assert (first.overdue, first.escalated) == (1, 1)
    assert (again.overdue, again.escalated) == (0, 0)
    keys = set(Notification.objects.filter(recipient=reviewer).values_list("key", flat=True))
    assert {f"complaint-due:{cycle.pk}:2026-12-01", f"complaint-overdue:{cycle.pk}:2026-12-02",
            f"complaint-overdue:{cycle.pk}:2026-12-04"} <= keys
    assert Notification.objects.filter(recipient=leader, key=f"complaint-escalated:{cycle.pk}:2026-12-01").exists()
    # Answered complaints are no longer reminded.
    with _at(date(2026, 12, 7)):
        services.complaint_answer(complaint=complaint, by=reviewer, answer="已现场核查")
        assert services.complaint_reminders_sweep(today=date(2026, 12, 7)) == services.SweepResult(0, 0, 0)


def test_the_rates_on_a_hand_built_set(officer, reviewers):
    """Six complaints received in November 2026; the rates of November to 10 December, counted by hand."""
    enterprise = EnterpriseFactory()
    ndrc = reviewers["ndrc"]

    def handled(received, due_days, answered, verdict=None):
        with _at(received):
            complaint = register(officer, enterprise=enterprise, due_working_days=due_days)
        if answered is not None:
            with _at(answered):
                services.complaint_answer(complaint=complaint, by=ndrc, answer="已答复")
        if verdict is not None:
            with _at(answered + timedelta(days=1)):
                services.complaint_close(complaint=complaint, by=officer, satisfaction=verdict)
        return complaint

    # received Mon 2 Nov, 5 working days -> due Mon 9 Nov
    handled(date(2026, 11, 2), 5, date(2026, 11, 6), Satisfaction.SATISFIED)       # on time, satisfied
    handled(date(2026, 11, 2), 5, date(2026, 11, 9), Satisfaction.BASICALLY)       # on the due day: on time
    handled(date(2026, 11, 2), 5, date(2026, 11, 12), Satisfaction.DISSATISFIED)   # late, dissatisfied
    reopened = handled(date(2026, 11, 2), 5, date(2026, 11, 5), Satisfaction.DISSATISFIED)
    with _at(date(2026, 11, 10)):  # second handling: due Tue 17 Nov, never answered -> late
        services.complaint_reopen(complaint=reopened, by=officer, reason="企业不满意", due_working_days=5)
    handled(date(2026, 11, 2), 5, None)                                            # never answered: late
    handled(date(2026, 11, 25), 10, None)                                          # due 9 Dec, not yet late

    rates = complaint_rates(date(2026, 11, 1), date(2026, 12, 10), today=date(2026, 11, 27))
    assert rates.received == 6
    # Due and decided: four first handlings due 9 Nov (answered), one unanswered due 9 Nov, the reopened
    # handling due 17 Nov; the one due 9 Dec is still within time. On time: the first, second and fourth.
    assert (rates.due, rates.on_time, rates.on_time_rate) == (6, 3, Decimal("50.0"))
    # Closed: satisfied, basically satisfied, dissatisfied twice -> 2 of 4 satisfied.
    assert (rates.closed, rates.satisfied, rates.basically, rates.dissatisfied) == (4, 1, 1, 2)
    assert rates.satisfaction_rate == Decimal("50.0")
    empty = complaint_rates(date(2025, 1, 1), date(2025, 12, 31), today=date(2026, 11, 27))
    assert (empty.on_time_rate, empty.satisfaction_rate, empty.received) == (None, None, 0)
