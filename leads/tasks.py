"""Celery tasks of the leads app: thin, taking ids, idempotent, calling a service."""

from celery import shared_task

from leads import imports, services
from leads.choices import ImportStatus
from leads.models import LeadImport


@shared_task
def send_followup_reminders() -> int:
    """Daily sweep: notify owners of follow-ups due today or overdue (once per follow-up per day)."""
    return services.follow_up_send_reminders()


@shared_task
def analyse_lead_import(job_id: int) -> None:
    """The dry run of an uploaded ledger; does nothing if the job is gone or already analysed."""
    job = LeadImport.objects.filter(pk=job_id, status=ImportStatus.ANALYSING).select_related("created_by").first()
    if job is not None:
        imports.import_analyse(job=job)


@shared_task
def apply_lead_import(job_id: int) -> None:
    """Import a confirmed ledger; does nothing if the job is gone or not waiting to be imported."""
    job = LeadImport.objects.filter(pk=job_id, status=ImportStatus.IMPORTING).select_related("created_by").first()
    if job is not None:
        imports.import_apply(job=job)
