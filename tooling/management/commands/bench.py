"""manage.py bench: the performance figures of the current database (docs/performance.md)."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tooling.scale import bench


class Command(BaseCommand):
    help = (
        "Measure the current database (seed it with seed_scale first): list pages at page 1 and at their deepest "
        "page with filters, the work pages and dashboard, the statistics service against hand-written SQL, the "
        "Excel exports with peak memory, the award batch recompute and, with --load, a load test against "
        "gunicorn. Each figure is the median of --runs runs; a table is printed and JSON written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5, help="Runs per figure after one warm-up (median).")
        parser.add_argument("--only", nargs="*", choices=bench.SECTIONS, help="Only these sections.")
        parser.add_argument("--skip", nargs="*", default=[], help="Skip pages whose name contains one of these.")
        parser.add_argument("--load", action="store_true", help="Also run the load test against gunicorn.")
        parser.add_argument("--users", type=int, default=50, help="Simulated users in the load test.")
        parser.add_argument("--seconds", type=float, default=60, help="Length of the load test.")
        parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default 2 × CPUs + 1).")
        parser.add_argument("--output", default=None, help="JSON file (default var/bench/bench-<time>.json).")

    def say(self, line: str) -> None:
        """Print a line at once: a run takes minutes and each figure is worth seeing as it comes."""
        self.stdout.write(line)
        self.stdout.flush()

    def handle(self, *args, runs, only, skip, load, users, seconds, workers, output, **options):
        if not settings.DEBUG:
            self._collect_static()
        path = Path(output) if output else (
            Path(settings.BASE_DIR) / "var" / "bench" / f"bench-{timezone.localtime():%Y%m%d-%H%M%S}.json")
        load_test = None
        if load:
            from tooling.scale.loadtest import run_load_test

            def load_test():
                return run_load_test(users=users, seconds=seconds, workers=workers, out=self.say)
        try:
            bench.run(runs=runs, sections=only or bench.SECTIONS, out=self.say, output=path,
                      load_test=load_test, skip=skip)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None

    def _collect_static(self):
        """Production static storage needs its manifest: collect once, as a deployment would."""
        try:
            staticfiles_storage.url("css/app.css")
        except ValueError:
            self.stdout.write("Collecting static files for the production storage…")
            call_command("collectstatic", interactive=False, verbosity=0)
