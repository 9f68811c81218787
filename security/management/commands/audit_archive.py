from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from security import audit


class Command(BaseCommand):
    help = ("Move security audit entries older than the retention (CRM_AUDIT_RETENTION_DAYS, at least 180 days) "
            "to the audit archive, unchanged and still chained. Refuses a shorter retention, and refuses to "
            "archive a chain that does not verify.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Archive entries older than this many days (default: the setting; minimum 180).")

    def handle(self, *args, days=None, **options):
        try:
            moved = audit.archive(older_than_days=days)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        except audit.ChainBroken as exc:
            raise CommandError(f"Nothing archived: the audit chain is broken. {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Archived {moved} audit entries."))
