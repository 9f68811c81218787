from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from security import audit


class Command(BaseCommand):
    help = ("Check the security audit log's hash chain (archive and live log as one chain, up to the recorded "
            "head) and that it passes through every anchor written outside the database (CRM_AUDIT_ANCHOR_DIR, "
            "and any --anchors file: the anchor file, a system-log extract or saved e-mails). Exits with an "
            "error naming the first broken entry if any entry was changed or removed, or the chain was "
            "rewritten.")

    def add_arguments(self, parser):
        parser.add_argument("--anchors", action="append", default=[], type=Path, metavar="FILE",
                            help="a file holding anchor lines (repeatable)")

    def handle(self, *args, **options):
        missing = [str(path) for path in options["anchors"] if not path.is_file()]
        if missing:
            raise CommandError(f"No such anchor file: {', '.join(missing)}")
        report = audit.verify_chain(anchor_files=options["anchors"])
        if report.broken:
            raise CommandError(audit.describe_break(report.broken))
        self.stdout.write(self.style.SUCCESS(
            f"The audit chain holds: {report.checked} entries checked; last entry {report.last_seq}, "
            f"hash {report.last_hash}; {report.anchors_checked} anchors matched."
        ))
