from django.core.management.base import BaseCommand, CommandError

from security import audit


class Command(BaseCommand):
    help = ("Check the security audit log's hash chain (archive and live log as one chain, up to the recorded "
            "head). Exits with an error naming the first broken entry if any entry was changed or removed.")

    def handle(self, *args, **options):
        report = audit.verify_chain()
        if report.broken:
            raise CommandError(audit.describe_break(report.broken))
        self.stdout.write(self.style.SUCCESS(
            f"The audit chain holds: {report.checked} entries checked; last entry {report.last_seq}, "
            f"hash {report.last_hash}."
        ))
