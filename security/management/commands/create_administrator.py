from getpass import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from crm.access import ADMINISTRATOR_ROLES
from crm.models import User
from crm.services import user_create
from security import audit
from security.choices import AuditAction


class Command(BaseCommand):
    help = ("Create a system, security or audit administrator from the server console: the way to start a new "
            "installation without a superuser (三员分立). The password is asked twice and must pass the password "
            "rules; the creation is written to the security audit log.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ADMINISTRATOR_ROLES))
        parser.add_argument("--full-name", default="")

    def handle(self, *args, username, role, full_name, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"The account {username} already exists; roles are changed by the security "
                               "administrator.")
        password = getpass("Password: ")
        if password != getpass("Password again: "):
            raise CommandError("The two passwords differ.")
        try:
            validate_password(password, User(username=username, full_name=full_name))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            user = user_create(username=username, password=password, role=role, full_name=full_name)
            audit.record(action=AuditAction.USER_CREATED, actor=None, actor_username="(server console)",
                         target=user, detail={"role": role, "via": "create_administrator"})
        self.stdout.write(self.style.SUCCESS(f"Created {username} ({user.get_role_display()})."))
