"""Send today's follow-up reminders without Celery (the embedded default runs this from cron)."""

from django.core.management.base import BaseCommand

from leads.services import follow_up_send_reminders


class Command(BaseCommand):
    help = ("Notify each owner of their open follow-ups due today or overdue. Safe to run several times a day: "
            "each follow-up is notified once per day.")

    def handle(self, *args, **options):
        created = follow_up_send_reminders()
        self.stdout.write(f"{created} reminder(s) sent.")
