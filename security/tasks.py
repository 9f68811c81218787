"""Scheduled checks of the security audit log (beat entries in crm/schedules.py)."""

from celery import shared_task
from django.utils import timezone

from security import services


@shared_task
def verify_audit_chain() -> dict:
    """Verify the audit chain every night; the audit administrators are notified when it is broken."""
    report = services.audit_chain_check(today=timezone.localdate())
    return {"checked": report.checked, "broken_at": report.broken.seq if report.broken else None}


@shared_task
def archive_audit_log() -> dict:
    """Move entries older than the retention to the archive (idempotent: nothing old enough, nothing moved)."""
    return {"archived": services.audit_archive_run(today=timezone.localdate())}


@shared_task
def anchor_audit_chain() -> dict:
    """Write the chain head outside the database (file, system log, e-mail), so a rewritten chain is found."""
    return {"anchor": services.audit_chain_anchor(today=timezone.localdate())}
