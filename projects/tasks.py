"""Celery tasks of the pipeline: thin wrappers that call the services."""

from celery import shared_task
from django.utils import timezone

from projects import services


@shared_task
def send_review_reminders() -> dict:
    """Remind reviewers of requests due tomorrow or overdue, and escalate long-overdue ones to the leaders.
    Safe to run more than once a day: each notification is stored once per request and day."""
    result = services.review_reminders_sweep(today=timezone.localdate())
    return {"due_tomorrow": result.due_tomorrow, "overdue": result.overdue, "escalated": result.escalated}
