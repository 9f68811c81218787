"""Preview the award a policy file gives for a facts file, without touching the database."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from awards.engine import compute, result_as_data
from awards.policy_file import FactsError, PolicyFileError, load_facts, read_policy_file


class Command(BaseCommand):
    help = (
        "Compute the award of POLICY_FILE (YAML or JSON) for the project facts in FACTS_FILE (a JSON "
        "object of named facts; bare numbers are 万元) and print every line and the total as JSON, amounts "
        "in 元 as strings. Each line is rounded half up to 0.01 元; the total is the sum of the rounded "
        "lines. Needs no database. See docs/award-policy.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("policy_file", type=Path, help="Award policy, .yaml/.yml or .json.")
        parser.add_argument("facts_file", type=Path, help="Project facts, a JSON object of named facts.")

    def handle(self, *args, policy_file: Path, facts_file: Path, **options):
        try:
            policy = read_policy_file(policy_file)
            facts = load_facts(facts_file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"{exc.filename}: {exc.strerror}") from exc
        except PolicyFileError as exc:
            raise CommandError(f"{policy_file}: {exc}") from exc
        except FactsError as exc:
            raise CommandError(f"{facts_file}: {exc}") from exc
        result = compute(policy, facts)
        self.stdout.write(json.dumps(result_as_data(result), ensure_ascii=False, indent=2))
