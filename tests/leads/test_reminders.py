"""Follow-up reminders: due and overdue follow-ups notify their owner once a day, however often the sweep runs."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from crm.models import Notification
from leads.choices import FollowUpStatus
from leads.services import follow_up_send_reminders
from leads.tasks import send_followup_reminders
from tests.leads.factories import FollowUpFactory

TODAY = date(2026, 11, 27)


@pytest.mark.django_db
def test_due_and_overdue_follow_ups_are_reminded_once_per_day(officer):
    due = FollowUpFactory(lead__owner=officer, due_on=TODAY)
    overdue = FollowUpFactory(lead__owner=officer, due_on=TODAY - timedelta(days=3))
    FollowUpFactory(lead__owner=officer, due_on=TODAY + timedelta(days=1))  # not yet
    FollowUpFactory(lead__owner=officer, due_on=TODAY, status=FollowUpStatus.CANCELLED,
                    closed_at="2026-11-26T10:00+08:00", closing_note="企业取消")  # closed
    assert follow_up_send_reminders(today=TODAY) == 2
    assert follow_up_send_reminders(today=TODAY) == 0  # the second run of the day
    messages = dict(Notification.objects.filter(recipient=officer).values_list("key", "message"))
    assert set(messages) == {f"followup-due:{due.pk}:2026-11-27", f"followup-due:{overdue.pk}:2026-11-27"}
    assert "今天到期" in messages[f"followup-due:{due.pk}:2026-11-27"]
    assert "逾期" in messages[f"followup-due:{overdue.pk}:2026-11-27"]
    # The next day: the two still overdue are reminded again, and tomorrow's is now due.
    assert follow_up_send_reminders(today=TODAY + timedelta(days=1)) == 3


@pytest.mark.django_db
@time_machine.travel("2026-11-27 08:00 +0800", tick=False)
def test_the_task_and_the_command_run_the_same_sweep(officer):
    FollowUpFactory(lead__owner=officer, due_on=TODAY)
    assert send_followup_reminders.delay().get() == 1  # eager without a broker
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    assert Notification.objects.filter(recipient=officer).count() == 1


# serialized_rollback: the flush after a transactional test must not leave later tests without bureaus.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reference_data")  # before the personas, which need the bureaus
def test_a_reminder_goes_through_redis_to_a_real_worker(redis_worker, officer):
    follow_up = FollowUpFactory(lead__owner=officer, due_on=timezone.localdate() - timedelta(days=1))
    assert send_followup_reminders.delay().get(timeout=30) == 1
    assert Notification.objects.filter(recipient=officer, key__startswith=f"followup-due:{follow_up.pk}:").exists()
    assert send_followup_reminders.delay().get(timeout=30) == 0
