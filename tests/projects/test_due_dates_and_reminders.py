"""Due dates in Chinese working days (Spring Festival, National Day, make-up days, an unknown year) and the
reminder sweep: the day before, daily when overdue, escalation to leaders; run twice, notify once."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from crm.models import CalendarDay, Notification
from projects import services, tasks
from tests.projects.factories import ProjectFactory, open_round

pytestmark = pytest.mark.django_db


def _due(opened_on, code="ndrc", officer=None):
    with time_machine.travel(opened_on, tick=False):
        return open_round(ProjectFactory(owner=officer), officer, codes=(code,)).requests.get()


@pytest.mark.parametrize(("opened_on", "due_on"), [
    # Friday 13 Feb 2026: Saturday the 14th is a make-up working day, 15-23 Feb the Spring Festival holiday.
    (date(2026, 2, 13), date(2026, 2, 27)),  # 14, 24, 25, 26, 27
    (date(2026, 2, 12), date(2026, 2, 26)),  # 13, 14, 24, 25, 26
    # Opened on a holiday, counted from the next working days.
    (date(2026, 2, 18), date(2026, 2, 28)),  # 24, 25, 26, 27 and the make-up Saturday 28
    # National Day: 1-7 October off, Saturday 10 October worked.
    (date(2026, 9, 30), date(2026, 10, 13)),  # 8, 9, 10, 12, 13
    # An ordinary week.
    (date(2026, 11, 23), date(2026, 11, 30)),
])
def test_a_request_is_due_in_five_chinese_working_days(officer, opened_on, due_on):
    request = _due(opened_on, officer=officer)
    assert request.due_on == due_on and not request.due_is_estimate


def test_a_year_the_calendar_does_not_know_falls_back_to_weekdays_with_a_warning(officer, login):
    request = _due(date(2026, 12, 29), officer=officer)
    # 30, 31 December, then 2027 unknown: Friday 1 January counted as a weekday, then 4 and 5 January.
    assert request.due_on == date(2027, 1, 5) and request.due_is_estimate
    with time_machine.travel(date(2026, 12, 29), tick=False):
        page = login(officer).get(reverse("projects:review_request_detail", args=[request.pk])).content.decode()
    assert "2027" in page and "管理员" in page  # the warning names the year and who can fix it


def test_an_administrator_entering_the_years_holidays_makes_the_count_exact(officer):
    CalendarDay.objects.create(date=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, note="元旦")
    request = _due(date(2026, 12, 29), officer=officer)
    assert request.due_on == date(2027, 1, 6) and not request.due_is_estimate


def _sweep(day):
    with time_machine.travel(day, tick=False):
        return services.review_reminders_sweep(today=day)


def test_the_reviewer_is_reminded_the_working_day_before_once(officer, reviewer):
    request = _due(date(2026, 11, 23), officer=officer)  # due Monday 30 November
    assert _sweep(date(2026, 11, 26)).due_tomorrow == 0
    assert _sweep(date(2026, 11, 27)).due_tomorrow == 1  # Friday: the working day before Monday
    assert _sweep(date(2026, 11, 27)).due_tomorrow == 0  # run again: nothing new
    assert _sweep(date(2026, 11, 28)) == services.SweepResult(0, 0, 0)  # Saturday: no sweep
    notes = Notification.objects.filter(recipient=reviewer, key__startswith="review-due:")
    assert notes.count() == 1 and str(request.round.project.code) in notes.get().message


def test_overdue_requests_remind_daily_and_escalate_to_leaders_once(officer, reviewer, leader, settings):
    _due(date(2026, 11, 23), officer=officer)  # due Monday 30 November
    assert _sweep(date(2026, 11, 30)).overdue == 0  # due today is not overdue
    first = _sweep(date(2026, 12, 1))
    assert (first.overdue, first.escalated) == (1, 0)
    assert _sweep(date(2026, 12, 1)).overdue == 0
    assert _sweep(date(2026, 12, 2)).overdue == 1
    third = _sweep(date(2026, 12, 3))  # three working days late
    assert (third.overdue, third.escalated) == (1, 1)
    assert _sweep(date(2026, 12, 3)).escalated == 0
    assert _sweep(date(2026, 12, 4)).escalated == 0
    assert Notification.objects.filter(recipient=reviewer, key__startswith="review-overdue:").count() == 4
    assert Notification.objects.filter(recipient=leader, key__startswith="review-escalated:").count() == 1


def test_answered_or_superseded_requests_are_not_reminded(officer, reviewer):
    request = _due(date(2026, 11, 23), officer=officer)
    services.opinion_submit(request=request, by=reviewer, outcome="agree")
    assert _sweep(date(2026, 12, 3)) == services.SweepResult(0, 0, 0)


def test_the_beat_task_runs_the_sweep_for_today(officer, reviewer):
    _due(date(2026, 11, 23), officer=officer)
    with time_machine.travel(date(2026, 12, 1), tick=False):
        result = tasks.send_review_reminders.delay().get()
        again = tasks.send_review_reminders.delay().get()
    assert result["overdue"] == 1 and again["overdue"] == 0
