"""Celery tasks of the awards: thin wrappers that take ids and call the services; safe to run twice."""

from celery import shared_task
from django.utils import timezone

from awards import services


@shared_task
def recompute_project_applications(project_id: int | None = None) -> dict:
    """Recompute the draft and submitted applications of one project (or all) from its current facts."""
    result = services.award_applications_recompute(project_id=project_id)
    return {"checked": result.checked, "changed": result.changed, "failed": result.failed}


@shared_task
def close_ended_public_notices() -> int:
    """Open the instalments of every award whose public notice (公示) has ended."""
    return services.award_notices_close_sweep(today=timezone.localdate())
