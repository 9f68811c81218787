"""Import award policy files into the database."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from awards.services import award_policy_import


class Command(BaseCommand):
    help = (
        "Import award policy files (YAML, or .json) into the database. A new key creates a policy; the same "
        "document again changes nothing; a changed document updates the current version in place, unless an "
        "approved award refers to it, in which case a new version is created. A bad file is refused with "
        "every problem named by clause and field, and nothing of it is saved. See docs/award-policy.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="Policy files, .yaml/.yml or .json.")

    def handle(self, *args, files, **options):
        failed = []
        for path in files:
            fmt = "json" if path.suffix.lower() == ".json" else "yaml"
            try:
                saved = award_policy_import(text=path.read_text(encoding="utf-8"), fmt=fmt)
            except OSError as exc:
                failed.append(f"{path}: {exc.strerror}")
            except ValidationError as exc:
                failed.append(f"{path}:\n  " + "\n  ".join(exc.messages))
            else:
                policy = saved.policy
                self.stdout.write(f"{path}: {saved.action} {policy.key} v{policy.version} ({policy.title})")
        if failed:
            raise CommandError("\n".join(failed))
