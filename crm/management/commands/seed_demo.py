"""Load realistic demo data for every feature; safe to run again (it creates only what is missing)."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from crm.navigation import NAV_APPS


class Command(BaseCommand):
    help = "Load demo data (users of every role, enterprises, and each feature's records). Idempotent."

    def handle(self, *args, **options):
        from crm.demo import DEMO_PASSWORD, DEMO_USERS

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
        self.stdout.write(self.style.SUCCESS("Demo accounts (password for all: %s)" % DEMO_PASSWORD))
        for username, full_name, role, bureau in DEMO_USERS:
            self.stdout.write(f"  {username:<20} {role.label!s:<20} {full_name}")
