"""Month-end publication and the nightly restatement check (schedules in crm/schedules.py)."""

from celery import shared_task

from reports import services


@shared_task(autoretry_for=(Exception,), retry_backoff=300, max_retries=3)
def publish_previous_month() -> str:
    """Freeze last month's figures unless a leader already published them; idempotent."""
    snapshot = services.publish_previous_month()
    return f"published {snapshot}" if snapshot else "already published"


@shared_task
def check_restatements() -> int:
    """Compare every published month of this and last year with the records as they are now."""
    return services.check_all_restatements()
