"""Chinese working days: statutory holidays and make-up working days (调休) included.

Review requests are due "in N working days" and are "overdue by N working days". A working day is a day on
which government offices open: Monday to Friday, except the statutory holidays announced each year by the
General Office of the State Council, plus the weekend days it turns into make-up working days.

The calendar comes from the chinesecalendar package (import name ``chinese_calendar``), which knows each year
only once the State Council has announced it. For a year it does not cover we fall back to plain weekdays and
say so (``WorkdayResult.fallback_years``), unless an administrator has entered that year's holidays or make-up
days: the administrator's dates then make the year known. Administrator dates always take precedence over
the package, so a late change to the arrangement can be corrected without a release.

Pure module: dates in, dates and counts out. Callers pass local dates (Asia/Shanghai,
``timezone.localdate()``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import chinese_calendar
from django.utils.translation import gettext

__all__ = [
    "WorkdayResult",
    "add_working_days",
    "calendar_covers_year",
    "fallback_years_between",
    "is_working_day",
    "package_covers_year",
    "working_days_between",
]

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkdayResult:
    """A date reached by counting working days, and the years for which the count had to guess.

    ``fallback_years`` lists the years touched by the count that neither the chinesecalendar package nor the
    administrator's dates cover; in those years Monday to Friday were counted as working days, so the date
    may move once the year's holidays are announced.
    """

    due: date
    fallback_years: frozenset[int] = field(default_factory=frozenset)

    @property
    def used_fallback(self) -> bool:
        return bool(self.fallback_years)

    @property
    def warning(self) -> str:
        """A sentence for the user when the date is an estimate, else an empty string."""
        if not self.fallback_years:
            return ""
        return gettext(
            "The official holiday calendar for %(years)s is not known yet, so Monday to Friday were counted "
            "as working days. An administrator can enter that year's holidays and make-up working days."
        ) % {"years": ", ".join(str(y) for y in sorted(self.fallback_years))}


@lru_cache(maxsize=64)
def package_covers_year(year: int) -> bool:
    """Whether the chinesecalendar package knows the holidays of ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def calendar_covers_year(
    year: int,
    *,
    extra_holidays: Iterable[date] = frozenset(),
    extra_workdays: Iterable[date] = frozenset(),
) -> bool:
    """Whether ``year`` is known, from the package or from at least one administrator date in that year."""
    holidays, workdays = _overrides(extra_holidays, extra_workdays)
    return not _fallback((year,), holidays, workdays)


def is_working_day(
    d: date,
    *,
    extra_holidays: Iterable[date] = frozenset(),
    extra_workdays: Iterable[date] = frozenset(),
) -> bool:
    """Whether government offices work on ``d``.

    Administrator dates win; then the package; for a year the package does not cover, Monday to Friday.
    """
    holidays, workdays = _overrides(extra_holidays, extra_workdays)
    return _is_working_day(_as_date(d), holidays, workdays)


def add_working_days(
    start: date,
    n: int,
    *,
    extra_holidays: Iterable[date] = frozenset(),
    extra_workdays: Iterable[date] = frozenset(),
) -> WorkdayResult:
    """The ``n``-th working day after ``start`` ("due in n working days"); ``start`` itself never counts.

    ``n == 0`` returns ``start`` unchanged, even on a holiday. A negative ``n`` counts back: the ``|n|``-th
    working day before ``start``. For a working day ``start``,
    ``working_days_between(start, add_working_days(start, n).due) == n`` for every ``n``.
    """
    start = _as_date(start)
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, not {type(n).__name__}")
    holidays, workdays = _overrides(extra_holidays, extra_workdays)
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    day = start
    remaining = abs(n)
    years: set[int] = set()
    while remaining:
        day += step
        years.add(day.year)
        if _is_working_day(day, holidays, workdays):
            remaining -= 1
    return WorkdayResult(due=day, fallback_years=_fallback(years, holidays, workdays))


def working_days_between(
    a: date,
    b: date,
    *,
    extra_holidays: Iterable[date] = frozenset(),
    extra_workdays: Iterable[date] = frozenset(),
) -> int:
    """Working days after ``a`` up to and including ``b`` ("overdue by N working days" is this from the due
    date to today).

    Zero when ``a == b``, or when no working day lies in between (a due date on Friday seen on the Sunday
    after). When ``b`` is before ``a`` the result is negative: minus the working days after ``b`` up to and
    including ``a``, so ``working_days_between(a, b) == -working_days_between(b, a)``.
    Use ``fallback_years_between`` to learn whether the count had to guess a year.
    """
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -working_days_between(b, a, extra_holidays=extra_holidays, extra_workdays=extra_workdays)
    holidays, workdays = _overrides(extra_holidays, extra_workdays)
    count = 0
    day = a
    while day < b:
        day += _ONE_DAY
        if _is_working_day(day, holidays, workdays):
            count += 1
    return count


def working_day_positions(
    first: date,
    last: date,
    *,
    extra_holidays: Iterable[date] = frozenset(),
    extra_workdays: Iterable[date] = frozenset(),
):
    """A function giving, for any date in [first, last], the working days after ``first`` up to and including
    it: ``position(b) - position(a) == working_days_between(a, b)`` for a and b in the range.

    The calendar is read once per day of the range, so counting the lateness of thousands of requests costs
    one walk over the range instead of one walk per request.
    """
    first, last = _as_date(first), _as_date(last)
    holidays, workdays = _overrides(extra_holidays, extra_workdays)
    positions: dict[date, int] = {}
    count = 0
    day = first
    while day <= last:
        if day != first and _is_working_day(day, holidays, workdays):
            count += 1
        positions[day] = count
        day += _ONE_DAY
    return positions.__getitem__


def fallback_years_between(
    a: date,
    b: date,
    *,
    extra_holidays: Iterable[date] = frozenset(),
    extra_workdays: Iterable[date] = frozenset(),
) -> frozenset[int]:
    """The years from ``a`` to ``b`` (either order, both included) that neither source covers."""
    a, b = sorted((_as_date(a), _as_date(b)))
    holidays, workdays = _overrides(extra_holidays, extra_workdays)
    return _fallback(range(a.year, b.year + 1), holidays, workdays)


def _as_date(d: date) -> date:
    # A datetime is a date too, but its calendar day depends on the time zone; make the caller decide.
    if isinstance(d, datetime):
        raise TypeError("pass a date, not a datetime (use django.utils.timezone.localdate())")
    if not isinstance(d, date):
        raise TypeError(f"expected a date, not {type(d).__name__}")
    return d


def _overrides(
    extra_holidays: Iterable[date], extra_workdays: Iterable[date]
) -> tuple[frozenset[date], frozenset[date]]:
    holidays = frozenset(_as_date(d) for d in extra_holidays)
    workdays = frozenset(_as_date(d) for d in extra_workdays)
    both = holidays & workdays
    if both:
        listed = ", ".join(d.isoformat() for d in sorted(both))
        raise ValueError(f"a date cannot be both an extra holiday and an extra working day: {listed}")
    return holidays, workdays


def _is_working_day(d: date, holidays: frozenset[date], workdays: frozenset[date]) -> bool:
    if d in workdays:
        return True
    if d in holidays:
        return False
    if package_covers_year(d.year):
        return chinese_calendar.is_workday(d)
    return d.weekday() < 5


def _fallback(years: Iterable[int], holidays: frozenset[date], workdays: frozenset[date]) -> frozenset[int]:
    admin_years = {d.year for d in holidays} | {d.year for d in workdays}
    return frozenset(y for y in years if not package_covers_year(y) and y not in admin_years)
