from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from security import services


class Command(BaseCommand):
    help = ("Write the security audit log's chain head outside the database: appended to the file in "
            "CRM_AUDIT_ANCHOR_DIR, to the system log and, when e-mail is configured, to the audit "
            "administrators. A broken chain is not anchored. Celery beat runs this every night at 03:05.")

    def handle(self, *args, **options):
        line = services.audit_chain_anchor(today=timezone.localdate())
        if line is None:
            raise CommandError("Nothing anchored: the audit log is empty or its chain is broken "
                               "(manage.py audit_verify says where).")
        self.stdout.write(self.style.SUCCESS(f"Anchored: {line}"))
