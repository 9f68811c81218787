"""What the annual statistics count, and their arithmetic and periods (DOMAIN.md, 年度招商统计). Pure: no queries.

``INDICATORS`` is the one table of the statistics' definitions (docs/statistics.md): for each indicator, which
fact it counts, which of those facts, and what it adds up. ``PIPELINE`` and ``EXCEPTION_LISTS`` define the
funnel and the lists a bureau chases the same way. The aggregate queries (reports.selectors), the shaping of
their results (reports.shaping), the records behind a figure and the records a snapshot keeps all read
these tables, so a definition changes in one place.

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

from projects.choices import CapitalKind, MilestoneKind, Stage
from projects.models import Project
from reports.choices import ExceptionList, Indicator

ZERO = Decimal(0)
CENT = Decimal("0.01")
PERMILLE = Decimal("0.001")


# The kinds of fact the statistics count; reports.selectors has one queryset of each (``facts_of``).
LEAD, MILESTONE, CAPITAL, PROJECT = "lead", "milestone", "capital", "project"
# How a project continues an earlier one (docs/statistics.md, "Later phases and capital increases").
CAPITAL_INCREASE = Project.Relation.CAPITAL_INCREASE.value
LATER_PHASE = Project.Relation.LATER_PHASE.value
# The stages of the stock "projects in negotiation".
NEGOTIATION_STAGES = (Stage.NEGOTIATING.value, Stage.REVIEW.value)


def _left_out(increases: bool, phases: bool) -> tuple[str, ...]:
    return tuple(relation for relation, counts in ((CAPITAL_INCREASE, increases), (LATER_PHASE, phases))
                 if not counts)


@dataclass(frozen=True)
class Rule:
    """Which facts a figure counts and what it adds up.

    ``kind`` is the milestone or capital kind counted (None: every fact of its kind), ``stages`` the stages a
    project must be in at the period's end (empty: any), ``value`` the field summed (None: the facts are
    counted). ``increases`` and ``phases`` say whether the facts of a capital increase and of a later phase
    count: the two columns of docs/statistics.md's table."""

    fact: str
    kind: str | None = None
    stages: tuple[str, ...] = ()
    value: str | None = None
    increases: bool = True
    phases: bool = True

    @property
    def relations_left_out(self) -> tuple[str, ...]:
        """The relations to an earlier project whose facts this figure does not count."""
        return _left_out(self.increases, self.phases)


@dataclass(frozen=True)
class IndicatorDef:
    """One indicator: what it counts (``rule``), how it is measured (a count, 万元 or 万美元) and what a count
    counts ("projects" or "leads")."""

    key: str
    unit: str  # "count" | "wan" | "usd_wan"
    rule: Rule
    noun: str = "projects"

    @property
    def label(self) -> str:
        return str(Indicator(self.key).label)

    @property
    def unit_label(self) -> str:
        return str(UNIT_LABELS[self.noun if self.unit == "count" else self.unit])

    @property
    def is_money(self) -> bool:
        return self.unit != "count"

    @property
    def stock(self) -> bool:
        """A stock counts projects at the period's end; every other indicator is a flow of dated facts."""
        return self.rule.fact == PROJECT

    def zero(self):
        return ZERO if self.is_money else 0


UNIT_LABELS = {"projects": pgettext_lazy("unit", "projects"), "leads": pgettext_lazy("unit", "leads"),
               "wan": _("10k CNY"), "usd_wan": _("10k USD")}

# The statistics' definitions. A capital increase is never a new project; a later phase is a new project but
# not a new landing; the money of both is their own new money and always counts.
INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef(Indicator.SIGNED_PROJECTS.value, "count",
                 Rule(MILESTONE, MilestoneKind.CONTRACT.value, increases=False)),
    IndicatorDef(Indicator.SIGNED_AMOUNT.value, "wan",
                 Rule(MILESTONE, MilestoneKind.CONTRACT.value, value="contract_amount_wan")),
    IndicatorDef(Indicator.LANDED_PROJECTS.value, "count",
                 Rule(MILESTONE, MilestoneKind.REGISTRATION.value, increases=False, phases=False)),
    IndicatorDef(Indicator.STARTED_PROJECTS.value, "count",
                 Rule(MILESTONE, MilestoneKind.CONSTRUCTION.value, increases=False)),
    IndicatorDef(Indicator.OPERATING_PROJECTS.value, "count",
                 Rule(MILESTONE, MilestoneKind.OPERATION.value, increases=False)),
    IndicatorDef(Indicator.DOMESTIC_CAPITAL.value, "wan",
                 Rule(CAPITAL, CapitalKind.DOMESTIC.value, value="amount_wan")),
    IndicatorDef(Indicator.FOREIGN_CAPITAL.value, "usd_wan",
                 Rule(CAPITAL, CapitalKind.FOREIGN.value, value="amount_usd_wan")),
    IndicatorDef(Indicator.NEW_LEADS.value, "count", Rule(LEAD), noun="leads"),
    IndicatorDef(Indicator.NEGOTIATING_PROJECTS.value, "count",
                 Rule(PROJECT, stages=NEGOTIATION_STAGES, increases=False)),
)
BY_KEY = {d.key: d for d in INDICATORS}

# The pipeline funnel: projects in each working stage at the period's end (the stage comes as a filter), and
# the stays that ended within the period.
PIPELINE = Rule(PROJECT, increases=False)
# Every figure a dashboard link can open the records of: the indicators and the funnel.
RULES = {**{d.key: d.rule for d in INDICATORS}, "pipeline": PIPELINE}


@dataclass(frozen=True)
class Chase:
    """An exception list: milestones of ``kind`` older than the work plan's ``threshold`` (months) whose
    project has no ``missing`` milestone (or no capital in place, ``missing`` = CAPITAL) by the cut-off.
    ``increases`` and ``phases`` as in ``Rule``."""

    key: str
    threshold: str
    kind: str
    missing: str
    increases: bool = True
    phases: bool = True

    @property
    def relations_left_out(self) -> tuple[str, ...]:
        return _left_out(self.increases, self.phases)


# A later phase does not register anew, but is built and run on its own; a capital increase's money is still
# due, so it is chased for capital only.
EXCEPTION_LISTS: tuple[Chase, ...] = (
    Chase(ExceptionList.NOT_REGISTERED.value, "months_to_register", MilestoneKind.CONTRACT.value,
          MilestoneKind.REGISTRATION.value, increases=False, phases=False),
    Chase(ExceptionList.NOT_STARTED.value, "months_to_start", MilestoneKind.REGISTRATION.value,
          MilestoneKind.CONSTRUCTION.value, increases=False),
    Chase(ExceptionList.NOT_OPERATING.value, "months_to_operate", MilestoneKind.CONSTRUCTION.value,
          MilestoneKind.OPERATION.value, increases=False),
    Chase(ExceptionList.NO_CAPITAL.value, "months_to_capital", MilestoneKind.CONTRACT.value, CAPITAL),
)


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
