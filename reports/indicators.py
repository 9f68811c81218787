"""Indicator arithmetic and period logic of the annual statistics (DOMAIN.md, 年度招商统计). Pure: no ORM.

A year in progress is reported as "January to month M" (1-M月累计) and compared with the same months of the
year before, never with a whole year. Growth against a zero base has no meaning and is ``None`` (shown "—").
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reports.choices import Indicator

ZERO = Decimal(0)
CENT = Decimal("0.01")
PERMILLE = Decimal("0.001")


@dataclass(frozen=True)
class IndicatorDef:
    """One indicator: how it is measured (a count, 万元 or 万美元) and whether it is a flow or a stock."""

    key: str
    unit: str  # "count" | "wan" | "usd_wan"
    stock: bool = False
    noun: str = "projects"  # what a count counts: "projects" or "leads"

    @property
    def label(self) -> str:
        return str(Indicator(self.key).label)

    @property
    def unit_label(self) -> str:
        return str(UNIT_LABELS[self.noun if self.unit == "count" else self.unit])

    @property
    def is_money(self) -> bool:
        return self.unit != "count"

    def zero(self):
        return ZERO if self.is_money else 0


UNIT_LABELS = {"projects": pgettext_lazy("unit", "projects"), "leads": pgettext_lazy("unit", "leads"),
               "wan": _("10k CNY"), "usd_wan": _("10k USD")}

INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef(Indicator.SIGNED_PROJECTS.value, "count"),
    IndicatorDef(Indicator.SIGNED_AMOUNT.value, "wan"),
    IndicatorDef(Indicator.LANDED_PROJECTS.value, "count"),
    IndicatorDef(Indicator.STARTED_PROJECTS.value, "count"),
    IndicatorDef(Indicator.OPERATING_PROJECTS.value, "count"),
    IndicatorDef(Indicator.DOMESTIC_CAPITAL.value, "wan"),
    IndicatorDef(Indicator.FOREIGN_CAPITAL.value, "usd_wan"),
    IndicatorDef(Indicator.NEW_LEADS.value, "count", noun="leads"),
    IndicatorDef(Indicator.NEGOTIATING_PROJECTS.value, "count", stock=True),
)
BY_KEY = {d.key: d for d in INDICATORS}


class PeriodError(ValueError):
    """A period that cannot be reported: a month out of range or a period that has not begun."""


@dataclass(frozen=True)
class Period:
    """January to ``through_month`` of ``year``, cut off at ``cutoff`` (the month's last day, or today while
    the month is still running)."""

    year: int
    through_month: int
    cutoff: date

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def month_end(self) -> date:
        return date(self.year, self.through_month, calendar.monthrange(self.year, self.through_month)[1])

    @property
    def is_complete(self) -> bool:
        """Whether the last month is over (only a complete month can be published)."""
        return self.cutoff == self.month_end

    @property
    def is_partial_year(self) -> bool:
        return self.through_month < 12

    @property
    def months(self) -> range:
        return range(1, self.through_month + 1)

    def same_period_last_year(self) -> Period:
        """The same months of the year before, cut off on the same day of the year (29 Feb becomes 28 Feb)."""
        year = self.year - 1
        day = min(self.cutoff.day, calendar.monthrange(year, self.cutoff.month)[1])
        return Period(year, self.through_month, date(year, self.cutoff.month, day))

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.cutoff

    @property
    def day_after(self) -> date:
        """The first day after the period: stocks are counted at its midnight (Asia/Shanghai)."""
        return self.cutoff + timedelta(days=1)

    def as_dict(self) -> dict:
        return {"year": self.year, "through_month": self.through_month, "start": self.start,
                "end": self.cutoff, "is_complete": self.is_complete}


def make_period(year: int, through_month: int | None, *, today: date) -> Period:
    """The period "January to ``through_month`` of ``year``" as of ``today``.

    No month given: the whole year for a past year, January to the current month for this year. A month of
    this year still running is cut off today; a month or a year that has not begun is refused.
    """
    if not isinstance(year, int) or year < 2000 or year > 9999:
        raise PeriodError(_("The year must be a number such as %(year)s.") % {"year": today.year})
    if year > today.year:
        raise PeriodError(_("The year %(year)s has not begun yet.") % {"year": year})
    if through_month is None:
        through_month = 12 if year < today.year else today.month
    if not isinstance(through_month, int) or not 1 <= through_month <= 12:
        raise PeriodError(_("The month must be between 1 and 12."))
    if year == today.year and through_month > today.month:
        raise PeriodError(_("%(year)s-%(month)02d has not begun yet.") % {"year": year, "month": through_month})
    last = date(year, through_month, calendar.monthrange(year, through_month)[1])
    return Period(year, through_month, min(last, today))


def growth(current, previous) -> Decimal | None:
    """Year-on-year growth as a ratio (0.125 is +12.5%), rounded to 0.1%; None when last year was zero."""
    current, previous = Decimal(current or 0), Decimal(previous or 0)
    if previous == 0:
        return None
    return ((current - previous) / previous).quantize(PERMILLE, rounding=ROUND_HALF_UP)


def completion(actual, target) -> Decimal | None:
    """Share of the year's target done (1 is 100%), rounded to 0.1%; None without a positive target."""
    if target is None or Decimal(target) <= 0:
        return None
    return (Decimal(actual or 0) / Decimal(target)).quantize(PERMILLE, rounding=ROUND_HALF_UP)


def money(value) -> Decimal:
    """An amount in 万元 or 万美元, to the cent as people type and read it."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_text(ratio: Decimal | None) -> str:
    """A ratio as people write it in a report: 12.5%, or "—" where there is none."""
    if ratio is None:
        return "—"
    return f"{(ratio * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def number_text(value, unit: str) -> str:
    """A figure as written in a report: counts whole, amounts with two decimals and thousands separators."""
    if unit == "count":
        return f"{int(value or 0):,}"
    return f"{money(value):,}"


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
