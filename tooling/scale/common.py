"""What every generator shares: the factor, a seeded random source, the ten-year window, working days, and
bulk inserts that keep the timestamps we give them.

Generators insert through ``bulk_create`` in bounded chunks and keep only compact tuples of what later
generators need (ids, dates), so a factor-10 run does not hold millions of model instances in memory.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import models

from crm.lib import workdays

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHUNK = 5000  # rows generated and inserted at a time
YEARS = 10  # the data set covers the ten years up to today


def scaled(base: int, factor: float, minimum: int = 1) -> int:
    """``base`` rows at factor 1, proportionally at other factors, never fewer than ``minimum``."""
    return max(minimum, round(base * factor))


@contextmanager
def explicit_timestamps(*model_classes: type[models.Model]):
    """Let bulk_create store the created/updated times we set, instead of now (auto_now / auto_now_add).

    The flags are restored on exit. Only for the single-threaded seed command: while it runs, a save from
    another thread of the same process would not stamp its times.
    """
    saved = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def insert(model: type[models.Model], objs: list) -> list:
    """Insert a chunk; the objects come back with their primary keys (PostgreSQL and SQLite both return them)."""
    if objs:
        model.objects.bulk_create(objs, batch_size=1000)
    return objs


def chunks(n: int, size: int = CHUNK) -> Iterable[range]:
    for start in range(0, n, size):
        yield range(start, min(n, start + size))


class WorkingDays:
    """The Chinese working days of the whole window, computed once, so a due date is a list lookup."""

    def __init__(self, first: date, last: date, *, extra_holidays=frozenset(), extra_workdays=frozenset()):
        self.days: list[date] = []
        day = first
        while day <= last:
            if workdays.is_working_day(day, extra_holidays=extra_holidays, extra_workdays=extra_workdays):
                self.days.append(day)
            day += timedelta(days=1)
        self.estimated_years = frozenset(
            y for y in range(first.year, last.year + 1)
            if not workdays.calendar_covers_year(y, extra_holidays=extra_holidays, extra_workdays=extra_workdays)
        )

    def add(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (as crm.lib.workdays.add_working_days, for n >= 1)."""
        index = bisect.bisect_right(self.days, start) + n - 1
        return self.days[min(index, len(self.days) - 1)]

    def is_estimate(self, start: date, due: date) -> bool:
        return any(y in self.estimated_years for y in range(start.year, due.year + 1))


@dataclass
class Context:
    """The state shared by the generators of one run."""

    factor: float
    rng: random.Random
    today: date
    now: datetime
    first_day: date
    calendar: WorkingDays
    counts: dict[str, int] = field(default_factory=dict)
    # Filled by the generators, read by the later ones.
    officers: list[int] = field(default_factory=list)
    officer_weights: list[float] = field(default_factory=list)
    leaders: list[int] = field(default_factory=list)
    reviewers: dict[int, list[int]] = field(default_factory=dict)  # bureau id -> reviewer ids
    talent_reviewers: list[int] = field(default_factory=list)
    store: dict = field(default_factory=dict)

    def n(self, base: int, minimum: int = 1) -> int:
        return scaled(base, self.factor, minimum)

    def count(self, name: str, added: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + added

    # --- distributions -------------------------------------------------------------------------------

    def day_in_window(self, growth: float = 0.6) -> date:
        """A day in the last ten years, later days likelier: activity grows (density ∝ growth + t, t in 0..1)."""
        u = self.rng.random()
        t = -growth + math.sqrt(growth * growth + 2 * u * (growth + 0.5))
        span = (self.today - self.first_day).days
        return self.first_day + timedelta(days=min(span, int(t * span)))

    def at(self, day: date, hour_from: int = 8, hour_to: int = 18) -> datetime:
        """An office-hours moment of ``day`` in Asia/Shanghai."""
        return datetime.combine(day, time(self.rng.randint(hour_from, hour_to - 1), self.rng.randrange(60)),
                                tzinfo=SHANGHAI)

    def skewed_amount(self, median: float, sigma: float, low: float, high: float) -> float:
        """A log-normal amount (few big ones, many small ones), clipped to [low, high]."""
        return min(high, max(low, self.rng.lognormvariate(math.log(median), sigma)))

    def officer(self) -> int:
        """An officer, some far busier than others (weights fall off like Zipf's law)."""
        return self.rng.choices(self.officers, weights=self.officer_weights)[0]

    def pick(self, choices: Sequence, weights: Sequence[float]):
        return self.rng.choices(choices, weights=weights)[0]

    def capped(self, moment: datetime) -> datetime | None:
        """The moment, or None when it lies in the future (the event has not happened yet)."""
        return moment if moment <= self.now else None
