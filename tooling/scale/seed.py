"""The whole scale data set, app by app, each part in its own transaction and timed.

At factor 1 (a busy district over ten years): about 20,000 enterprises, 50,000 leads, 10,000 projects,
200,000 meeting logs, 40,000 review requests, 30,000 capital-in-place records. Factor 10 is the
province-sized set; fractional factors (0.01) make small sets for tests.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from crm.calendar_days import calendar_overrides
from crm.models import User
from tooling.scale import awards, core, leads, projects
from tooling.scale.common import YEARS, Context, WorkingDays

# The figures promised at factor 1 (docs/performance.md); the seed's own report compares against them.
TARGETS = {
    "enterprises": 20_000,
    "leads": 50_000,
    "projects": 10_000,
    "meeting logs": 200_000,
    "review requests": 40_000,
    "capital in place": 30_000,
    "award applications": 2_000,
}


class AlreadySeeded(Exception):
    """The database already holds a scale data set (its accounts exist)."""


def _context(factor: float, seed: int) -> Context:
    now = timezone.now()
    today = timezone.localdate()
    first = today.replace(year=today.year - YEARS) + timedelta(days=1)
    calendar = WorkingDays(first - timedelta(days=10), today + timedelta(days=400), **calendar_overrides())
    return Context(factor=factor, rng=random.Random(seed), today=today, now=now, first_day=first, calendar=calendar)


def parts() -> list[tuple[str, Callable[[Context], None]]]:
    """The generators in dependency order. Later apps' parts (awards, aftercare) are appended here."""
    return [
        ("accounts", core.seed_users),
        ("enterprises and contacts", core.seed_enterprises),
        ("introducers and events", leads.seed_introducers_and_events),
        ("leads", leads.seed_leads),
        ("projects and reviews", projects.seed_projects),
        ("capital in place", projects.seed_capital),
        ("talent requests", projects.seed_talent_requests),
        ("award applications", awards.seed_awards),
        ("meeting logs and follow-ups",
         lambda ctx: leads.seed_meetings(ctx, aftercare_enterprises=projects.aftercare_targets(ctx))),
    ]


def seed_scale(*, factor: float, seed: int = 20261127, out: Callable[[str], None] = print) -> Context:
    """Generate the data set into the current database; refuses when one is already there."""
    if factor <= 0:
        raise ValueError("the factor must be positive")
    if User.objects.filter(username__startswith=core.USERNAME_PREFIX).exists():
        raise AlreadySeeded
    ctx = _context(factor, seed)
    started = time.perf_counter()
    for name, generate in parts():
        t0 = time.perf_counter()
        with transaction.atomic():
            generate(ctx)
        out(f"  {name:<32} {time.perf_counter() - t0:8.1f} s")
    t0 = time.perf_counter()
    # Fresh planner statistics: a bulk load leaves them empty, and PostgreSQL then misjudges every plan (and
    # JIT-compiles cheap queries) until autovacuum catches up. On PostgreSQL, outside a transaction, VACUUM
    # too: it marks the new pages all-visible, so counts and a page's keys come from the indexes alone, as on a
    # database autovacuum keeps (a restored production dump is vacuumed and analysed the same way).
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    label = "VACUUM ANALYZE" if vacuum else "planner statistics (ANALYZE)"
    out(f"  {label:<32} {time.perf_counter() - t0:8.1f} s")
    ctx.counts["seconds"] = round(time.perf_counter() - started, 1)
    return ctx
