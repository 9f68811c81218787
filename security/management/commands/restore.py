from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from security import audit
from security.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Restore a backup made by `manage.py backup` (or the production backup service) into the configured "
            "database and MEDIA_ROOT, replacing the database whole. Stop the web app and the workers first. "
            "The files are checked against the backup's manifest before anything is changed, and the audit "
            "chain is verified afterwards (anchors included): the command fails if it does not hold.")

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="the backup's directory")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        if not options["yes"] and input(
                f"Replace the database and restore the uploads from {options['backup']}? Type yes: ") != "yes":
            raise CommandError("Nothing restored.")
        try:
            manifest = backup_restore(source=options["backup"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored the {manifest['engine']} database and {manifest['media_files']} uploaded "
                          f"files of {manifest['created_at']}.")
        report = audit.verify_chain()
        if report.broken:
            raise CommandError(audit.describe_break(report.broken))
        self.stdout.write(self.style.SUCCESS(
            f"The audit chain holds: {report.checked} entries; {report.anchors_checked} anchors matched."))
