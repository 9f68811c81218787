"""Recompute draft and submitted award applications from their projects' current facts."""

from django.core.management.base import BaseCommand

from awards.services import award_applications_recompute


class Command(BaseCommand):
    help = (
        "Recompute every draft and submitted award application (or those of one project with --project) from "
        "the project's current records, with the same computation as the calculator and award_preview. An "
        "application whose facts did not change is not written again; approved awards are never recomputed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, default=None, help="Only this project's applications (id).")

    def handle(self, *args, project=None, **options):
        result = award_applications_recompute(project_id=project)
        self.stdout.write(f"checked {result.checked}, changed {result.changed}, failed {result.failed}")
