"""Celery tasks of aftercare: thin wrappers that call the services."""

from celery import shared_task
from django.utils import timezone

from aftercare import services


@shared_task
def send_complaint_reminders() -> dict:
    """Remind bureaus of complaints due tomorrow or overdue, and escalate long-overdue ones to the leaders.
    Safe to run more than once a day: each notification is stored once per handling and day."""
    result = services.complaint_reminders_sweep(today=timezone.localdate())
    return {"due_tomorrow": result.due_tomorrow, "overdue": result.overdue, "escalated": result.escalated}
