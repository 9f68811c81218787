"""Load realistic demo data for every feature; safe to run again (it creates only what is missing)."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from crm.navigation import NAV_APPS


class Command(BaseCommand):
    help = "Load demo data (users of every role, enterprises, and each feature's records). Idempotent."

    def handle(self, *args, **options):
        from crm.demo import DEMO_PASSWORD
        from crm.models import User

        with transaction.atomic():
            for app in NAV_APPS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app}.demo":
                        raise
                    continue
                module.seed(out=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        for user in User.objects.filter(is_active=True).select_related("bureau").order_by("role", "username"):
            bureau = user.bureau.short_name if user.bureau else ""
            self.stdout.write(f"  {user.username:<20} {user.get_role_display()!s:<12} {user.display_name} {bureau}")
