"""manage.py seed_scale --factor F: a realistic data set for measuring speed (docs/performance.md)."""

from django.core.management.base import BaseCommand, CommandError

from tooling.scale.seed import TARGETS, AlreadySeeded, seed_scale


class Command(BaseCommand):
    help = (
        "Generate a realistic synthetic data set with bulk inserts: at --factor 1 about 20,000 enterprises, "
        "50,000 leads, 10,000 projects across every stage, 200,000 meeting logs, 40,000 review requests and "
        "30,000 capital-in-place records over ten years; --factor 10 is province-sized, --factor 0.01 a test set. "
        "Accounts are scale.<role>.<n> with the password in docs/performance.md. Refuses to run twice on one "
        "database; use an empty database made for measuring, never production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=1.0, help="Size relative to one busy district (1).")
        parser.add_argument("--seed", type=int, default=20261127, help="Random seed: the same seed, the same data.")

    def handle(self, *args, factor, seed, **options):
        if factor <= 0:
            raise CommandError("--factor must be positive.")
        self.stdout.write(f"Seeding at factor {factor:g}…")
        try:
            ctx = seed_scale(factor=factor, seed=seed, out=self.stdout.write)
        except AlreadySeeded:
            raise CommandError("This database already holds a scale data set (scale.* accounts exist).") from None
        self.stdout.write(f"{'records':<32} {'created':>10} {'promised':>10}")
        for name, count in ctx.counts.items():
            if name == "seconds":
                continue
            promised = f"{TARGETS[name] * factor:>10,.0f}" if name in TARGETS else ""
            self.stdout.write(f"{name:<32} {count:>10,} {promised}")
        self.stdout.write(self.style.SUCCESS(f"Done in {ctx.counts['seconds']} s."))
