"""The annual attraction statistics: every indicator for a period with its breakdowns, targets, completion,
year-on-year growth, the exception lists, the work plan, and the month-end publication of the figures.

The definitions are DOMAIN.md's ("Annual attraction statistics") and docs/statistics.md's, written once as
reports.indicators' table. Aggregation happens in the database (reports.selectors); reports.shaping turns the
small aggregated cubes into figures with pandas; reports.snapshots holds what a published month stores and
how restatements are found; reports.prose puts the figures into words.

``statistics_for_period`` and ``report_for_period`` are the entry points: they return plain dicts, lists,
ints, Decimals, dates and strings (JSON-ready with DjangoJSONEncoder), for the pages, the Excel workbook, the
``annual_report`` command and the API. The changes (work plans, publishing and re-checking snapshots) are
here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.calendar_days import calendar_overrides
from crm.choices import BureauKind
from crm.lib import workdays
from crm.models import Bureau, User
from reports import prose, selectors, shaping, snapshots
from reports.choices import ExceptionList, Indicator
from reports.indicators import (
    BY_KEY,
    CAPITAL,
    EXCEPTION_LISTS,
    INDICATORS,
    LEAD,
    MILESTONE,
    PROJECT,
    Period,
    completion,
    make_period,
    money,
    months_before,
)
from reports.models import DEFAULT_THRESHOLDS, Restatement, Snapshot, Target, WorkPlan

# Projects of at least this total planned investment (万元) are major projects in the report (1亿元).
MAJOR_PROJECT_WAN = Decimal("10000")


@dataclass(frozen=True)
class Facts:
    """The long frame of one computation: every fact of both periods summed along each breakdown (``gset``)."""

    rows: pd.DataFrame
    data_issues: list[str]
    stock_cube: list[dict]


def _facts(period: Period, last: Period, officer_id: int | None = None) -> Facts:
    """All facts of the period and of the same period last year: one statement per kind of fact (leads,
    milestones, capital, the stock at the period's end) and a count of each stock a year earlier."""
    periods = (period, last)
    cubes = {
        LEAD: shaping.cube(selectors.lead_breakdowns(periods, officer_id)),
        MILESTONE: shaping.cube(selectors.milestone_breakdowns(periods, officer_id)),
        CAPITAL: shaping.cube(selectors.capital_breakdowns(periods, officer_id)),
        PROJECT: shaping.cube(selectors.stock_breakdowns(period, officer_id)),
    }
    last_stocks = {d.key: selectors.stock_total(last, d.rule, officer_id) for d in INDICATORS if d.stock}
    return Facts(rows=shaping.long_frame(cubes, period, last, last_stocks),
                 data_issues=shaping.data_issues([c for c in cubes[CAPITAL] if c["gset"] == "month"], period),
                 stock_cube=[r for r in cubes[PROJECT] if r["gset"] == "month"])


# --- the statistics ---------------------------------------------------------------------------------------


def _targets(year: int) -> tuple[WorkPlan | None, list[dict]]:
    plan = WorkPlan.objects.filter(year=year).first()
    if plan is None:
        return None, []
    return plan, list(plan.targets.values("indicator", "officer_id", "industry__code", "value"))


def _turnaround(period: Period, *, bureau_id: int | None = None) -> list[dict]:
    """Each partner bureau's sign-off turnaround for requests answered in the period: median working days
    from request to answer, the share answered by the due date, and how many are overdue at the cut-off."""
    bureaus = Bureau.objects.filter(kind=BureauKind.PARTNER)
    if bureau_id is not None:
        bureaus = bureaus.filter(pk=bureau_id)
    bureaus = list(bureaus.values("id", "short_name", "name"))
    answers = selectors.review_turnaround_rows(period, bureau_id=bureau_id)
    overdue = selectors.overdue_counts(period.cutoff)
    return shaping.turnaround(bureaus, answers, overdue, _working_day_position)


def _working_day_position(first: date, last: date):
    overrides = calendar_overrides()
    return workdays.working_day_positions(first, last, **overrides)


def _thresholds(plan: WorkPlan | None) -> dict[str, int]:
    return {name: getattr(plan, name) if plan else default for name, default in DEFAULT_THRESHOLDS.items()}


def compute_statistics(period: Period) -> dict:
    """Every figure of the period computed from the records as they are now (no snapshot involved)."""
    last = period.same_period_last_year()
    facts = _facts(period, last)
    plan, targets = _targets(period.year)
    return {
        "period": period.as_dict(),
        "last_period": last.as_dict(),
        "indicators": shaping.indicator_figures(period, last, facts.rows, targets),
        "breakdowns": shaping.breakdowns(period, facts.rows, targets),
        "funnel": shaping.funnel(facts.stock_cube, selectors.stage_stays(period)),
        "turnaround": _turnaround(period),
        "data_issues": facts.data_issues,
        "thresholds": _thresholds(plan),
        "has_plan": plan is not None,
        "published": None,
    }


def statistics_for_period(*, year: int, through_month: int | None = None, today: date | None = None,
                          live: bool = False) -> dict:
    """The statistics of "January to ``through_month`` of ``year``" (docs/statistics.md).

    A published month answers with its snapshot's figures (``published`` then says when and by whom) unless
    ``live`` is set. Raises indicators.PeriodError for a month out of range or a period that has not begun.
    The result holds only dicts, lists, str, int, bool, None, Decimal and date.
    """
    period = make_period(year, through_month, today=today or timezone.localdate())
    if not live and period.is_complete:
        published = snapshots.published_statistics(period)
        if published is not None:
            return published
    return compute_statistics(period)


# --- month-end publication and restatements ------------------------------------------------------------


@transaction.atomic
def snapshot_publish(*, year: int, month: int, by: User | None = None, today: date | None = None) -> Snapshot:
    """Publish (freeze) the figures of January to ``month`` of ``year``. Only a month that is over can be
    published, and only once: a published month keeps its numbers."""
    period = make_period(year, month, today=today or timezone.localdate())
    if not period.is_complete:
        raise ValidationError(_("%(year)s-%(month)02d is not over yet; a month is published after its last day.")
                              % {"year": year, "month": month}, code="month_running")
    if Snapshot.objects.filter(year=year, month=month).exists():
        raise ValidationError(_("%(year)s-%(month)02d has already been published.") % {"year": year, "month": month},
                              code="published")
    statistics = compute_statistics(period)
    try:
        with transaction.atomic():
            return Snapshot.objects.create(year=year, month=month, figures=snapshots.stored_figures(statistics),
                                           records=snapshots.indicator_records(period), published_by=by)
    except IntegrityError:  # published a moment ago by the month-end task or another leader
        raise ValidationError(_("%(year)s-%(month)02d has already been published.") % {"year": year, "month": month},
                              code="published") from None


@transaction.atomic
def snapshot_check_restatements(*, snapshot: Snapshot, today: date | None = None) -> int:
    """Compare a published month with the records as they are now and keep its restatements current: one row
    per record whose value in a published figure would now differ. Returns how many differences there are."""
    snapshot = Snapshot.objects.select_for_update().get(pk=snapshot.pk)
    period = make_period(snapshot.year, snapshot.month, today=today or timezone.localdate())
    found = snapshots.restatements(snapshot, snapshots.indicator_records(period))
    keep = {(r.indicator, r.record_key) for r in found}
    stale = [r.pk for r in snapshot.restatements.all() if (r.indicator, r.record_key) not in keep]
    Restatement.objects.filter(pk__in=stale).delete()
    Restatement.objects.bulk_create(found, update_conflicts=True,
                                    unique_fields=["snapshot", "indicator", "record_key"],
                                    update_fields=["record_label", "record_url", "published_value", "current_value",
                                                   "updated_at"])
    snapshot.checked_at = timezone.now()
    snapshot.save(update_fields=["checked_at"])
    return len(found)


def publish_previous_month(*, today: date | None = None) -> Snapshot | None:
    """The month-end publication: freeze last month unless someone already has; then re-check every published
    month of this and last year for restatements."""
    today = today or timezone.localdate()
    year, month = snapshots.previous_month(today)
    snapshot = None
    if not Snapshot.objects.filter(year=year, month=month).exists():
        try:
            snapshot = snapshot_publish(year=year, month=month, today=today)
        except ValidationError:  # published by a leader in the meantime
            snapshot = None
    check_all_restatements(today=today)
    return snapshot


def check_all_restatements(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    total = 0
    for snapshot in Snapshot.objects.filter(year__gte=today.year - 1).order_by("year", "month"):
        total += snapshot_check_restatements(snapshot=snapshot, today=today)
    return total


# --- exception lists ---------------------------------------------------------------------------------


def _owner_name(path: str):
    """A user's display name (full name, else username) read in the query."""
    return Coalesce(NullIf(F(f"{path}full_name"), Value("")), F(f"{path}username"))


def _milestone_exception(milestones, as_of: date) -> list[dict]:
    # Plain values, not model instances: the workbook reads tens of thousands of these at a province's scale.
    rows = milestones.values("project_id", "date", code=F("project__code"), name=F("project__name"),
                             enterprise=F("project__enterprise__name"), owner=_owner_name("project__owner__"),
                             stage=F("project__stage"), amount=F("contract_amount_wan"))
    return [{"project_id": r["project_id"], "code": r["code"], "name": r["name"], "enterprise": r["enterprise"],
             "owner": r["owner"], "stage": r["stage"], "since": r["date"], "days": (as_of - r["date"]).days,
             "amount": r["amount"]} for r in rows]


def exception_lists(*, period: Period, limit: int | None = None) -> dict[str, dict]:
    """The lists a bureau chases (reports.indicators.EXCEPTION_LISTS and the overdue review requests), as of
    the period's cut-off, with each threshold (months) of the year's plan:
    {list key: {"months": N or None, "total": count, "rows": [...]}}; every row has the owner and the days
    elapsed, the longest-waiting first. With ``limit`` only the first rows are read (and the lists counted)."""
    as_of = period.cutoff
    limits = _thresholds(WorkPlan.objects.filter(year=period.year).first())
    result = {}
    for chase in EXCEPTION_LISTS:
        qs = selectors.milestones_waiting(chase=chase, older_than=months_before(as_of, limits[chase.threshold]),
                                          as_of=as_of)
        rows = _milestone_exception(qs if limit is None else qs[:limit], as_of)
        result[chase.key] = {"months": limits[chase.threshold], "rows": rows,
                             "total": len(rows) if limit is None else qs.count()}
    overdue = _overdue_rows(as_of, limit)
    result[ExceptionList.OVERDUE_REVIEWS.value] = {
        "months": None, "rows": overdue,
        "total": len(overdue) if limit is None else selectors.overdue_requests(as_of).count()}
    return result


def _overdue_rows(as_of: date, limit: int | None = None) -> list[dict]:
    requests = selectors.overdue_requests(as_of).select_related(
        "bureau", "round__project__owner", "round__project__enterprise").order_by("due_on", "id")
    requests = list(requests if limit is None else requests[:limit])
    if not requests:
        return []
    position = _working_day_position(min(r.due_on for r in requests), as_of)
    return [{"project_id": r.round.project_id, "code": r.round.project.code, "name": r.round.project.name,
             "enterprise": r.round.project.enterprise.name, "owner": r.round.project.owner.display_name,
             "stage": r.round.project.stage, "bureau": r.bureau.short_name, "request_id": r.pk,
             "since": r.due_on, "days": (as_of - r.due_on).days,
             "working_days": position(as_of) - position(r.due_on)} for r in requests]


def major_project_rows(*, period: Period) -> list[dict]:
    """Key projects and projects of 1亿元 or more: the report's major-project list."""
    rows = selectors.major_projects(period, MAJOR_PROJECT_WAN).values(
        "code", "name", "total_investment_wan", "fixed_asset_investment_wan", "contract_date", "is_key_project",
        "relation", project_id=F("pk"), enterprise_name=F("enterprise__name"), industry_code=F("industry__code"),
        industry_name=F("industry__name"), owner_name=_owner_name("owner__"), stage_at_end=F("stage_then"),
        contract_amount_wan=F("contract_amount"), capital_in_period_wan=F("capital_in_period"))
    keys = ("project_id", "code", "name", "total_investment_wan", "fixed_asset_investment_wan",
            "contract_date", "contract_amount_wan", "capital_in_period_wan", "is_key_project", "relation")
    return [{**{k: r[k] for k in keys}, "enterprise": r["enterprise_name"], "owner": r["owner_name"],
             "stage": r["stage_at_end"],
             "industry": f"{r['industry_code']} {r['industry_name']}"} for r in rows]


# --- the work plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetInput:
    indicator: str
    value: Decimal
    officer: User | None = None
    industry: object | None = None


@transaction.atomic
def work_plan_save(*, year: int, by: User, targets: list[TargetInput], note: str = "", **thresholds) -> WorkPlan:
    """Set the year's work plan: its exception thresholds and all its targets (replacing the previous ones).
    A target below zero, an unknown indicator or the same target twice is refused and nothing is saved."""
    errors = []
    seen = set()
    for t in targets:
        if t.indicator not in BY_KEY:
            errors.append(_("Unknown indicator “%(key)s”.") % {"key": t.indicator})
        if t.value is None or Decimal(t.value) < 0:
            errors.append(_("A target cannot be below zero (%(indicator)s).")
                          % {"indicator": Indicator(t.indicator).label})
        if t.officer is not None and t.industry is not None:
            errors.append(_("A target is for one officer or for one industry, not both."))
        key = (t.indicator, getattr(t.officer, "pk", None), getattr(t.industry, "pk", None))
        if key in seen:
            errors.append(_("The same target is given twice (%(indicator)s).")
                          % {"indicator": Indicator(t.indicator).label})
        seen.add(key)
    unknown = set(thresholds) - set(DEFAULT_THRESHOLDS)
    if unknown:
        raise TypeError(f"unknown thresholds: {sorted(unknown)}")
    if errors:
        raise ValidationError(errors)
    plan, _created = WorkPlan.objects.select_for_update().get_or_create(year=year)
    plan.note = note
    for name, value in thresholds.items():
        setattr(plan, name, value)
    plan.updated_by = by
    plan._history_user = by
    plan.full_clean()
    plan.save()
    plan.targets.all().delete()
    Target.objects.bulk_create([Target(plan=plan, indicator=t.indicator, value=t.value, officer=t.officer,
                                       industry=t.industry) for t in targets])
    return plan


def officer_progress(*, user: User, today: date | None = None) -> list[dict]:
    """The officer's progress against their own targets of this year's plan (January to this month)."""
    today = today or timezone.localdate()
    targets = list(Target.objects.filter(plan__year=today.year, officer=user).values_list("indicator", "value"))
    if not targets:
        return []
    period = make_period(today.year, None, today=today)
    actual = officer_totals(period=period, officer_id=user.pk, indicators={i for i, _v in targets})
    return [{"key": indicator, "unit": BY_KEY[indicator].unit, "target": value, "actual": actual[indicator],
             "completion": completion(actual[indicator], value)}
            for indicator, value in sorted(targets, key=lambda t: list(BY_KEY).index(t[0]))]


def officer_totals(*, period: Period, officer_id: int, indicators: set[str]) -> dict[str, int | Decimal]:
    """One officer's figures for the given indicators: one aggregate query per kind of fact needed."""
    result = {}
    by_fact: dict[str, list[str]] = {}
    for indicator in indicators:
        by_fact.setdefault(BY_KEY[indicator].rule.fact, []).append(indicator)
    for fact, keys in by_fact.items():
        aggregates = {}
        for key in keys:
            rule = BY_KEY[key].rule
            picked = selectors.fact_filter(rule)
            aggregates[key] = Sum(rule.value, filter=picked) if rule.value else Count("id", filter=picked)
        sums = selectors.facts_of(fact, period).filter(officer_id=officer_id).aggregate(**aggregates)
        result.update({k: (money(v) if BY_KEY[k].is_money else int(v or 0)) for k, v in sums.items()})
    return result


# --- the whole report of a period: what the dashboard, the workbook and the command show ----------------


def report_for_period(*, year: int, through_month: int | None = None, today: date | None = None,
                      exception_rows: int | None = None, major_projects: bool = True) -> dict:
    """The statistics of the period (its snapshot when published) with the exception lists as of its cut-off,
    the major projects, the restatements of a published month and the drafted briefing paragraph.

    The dashboard asks for the first ``exception_rows`` of each exception list (with their totals) and no
    major projects; the workbook, the command and the API take everything."""
    today = today or timezone.localdate()
    statistics = statistics_for_period(year=year, through_month=through_month, today=today)
    period = make_period(year, statistics["period"]["through_month"], today=today)
    published = statistics["published"] is not None
    return {
        **statistics,
        "exceptions": exception_lists(period=period, limit=exception_rows),
        "major_projects": major_project_rows(period=period) if major_projects else None,
        "restatements": [
            {"indicator": r.indicator, "record": r.record_label, "url": r.record_url,
             "published_value": r.published_value, "current_value": r.current_value,
             "difference": r.difference, "detected_at": r.detected_at}
            for r in snapshots.restatements_of(year=year, through_month=period.through_month)] if published else [],
        "briefing": prose.briefing_paragraph(statistics),
        "can_publish_period": period.is_complete and not published,
    }


def bureau_turnaround(*, bureau_id: int, period: Period) -> dict:
    """One partner bureau's turnaround figures for the period (what its reviewers see of the statistics)."""
    return _turnaround(period, bureau_id=bureau_id)[0]
