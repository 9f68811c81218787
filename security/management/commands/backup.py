from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from security.backup import BackupError, backup_create


class Command(BaseCommand):
    help = ("Back up the database and the uploaded files into a new dated directory under CRM_BACKUP_DIR: "
            "SQLite through its online backup API (safe while the application runs), PostgreSQL with pg_dump "
            "(custom format); MEDIA_ROOT as media.tar.gz; a manifest with checksums and the audit chain head. "
            "Backups older than CRM_BACKUP_KEEP_DAYS are removed, the newest always kept. Run it every night.")

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="where to write (default CRM_BACKUP_DIR)")
        parser.add_argument("--keep-days", type=int, help="days to keep backups (default CRM_BACKUP_KEEP_DAYS)")

    def handle(self, *args, **options):
        try:
            path = backup_create(directory=options["dir"], keep_days=options["keep_days"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
