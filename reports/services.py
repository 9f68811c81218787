"""The annual attraction statistics: every indicator for a period with its breakdowns, targets, completion,
year-on-year growth, the exception lists, the work plan, month-end snapshots and their restatements.

The definitions are DOMAIN.md's ("Annual attraction statistics") and docs/statistics.md's. Aggregation happens
in the database (reports.selectors); this module shapes the small aggregated cubes with pandas. Money is
carried through pandas as integer hundredths (exact), and comes out as Decimal.

``statistics_for_period`` returns plain dicts, lists, ints, Decimals, dates and strings (JSON-ready with
DjangoJSONEncoder), for the pages, the Excel workbook, the ``annual_report`` command and the API.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.choices import BureauKind, EnterpriseKind
from crm.lib import workdays
from crm.models import Bureau, User
from projects.choices import PIPELINE, CapitalKind, MilestoneKind
from projects.models import Project
from projects.services import calendar_overrides
from reports import selectors
from reports.choices import Dimension, ExceptionList, Indicator
from reports.indicators import (
    BY_KEY,
    INDICATORS,
    Period,
    completion,
    growth,
    make_period,
    money,
    months_before,
    number_text,
    percent_text,
)
from reports.models import DEFAULT_THRESHOLDS, Restatement, Snapshot, Target, WorkPlan

CAPITAL_INCREASE = Project.Relation.CAPITAL_INCREASE
# Projects of at least this total planned investment (万元) are major projects in the report (1亿元).
MAJOR_PROJECT_WAN = Decimal("10000")

# Which milestone makes which count, and whether a capital increase or a later phase counts in it
# (docs/statistics.md, "Later phases and capital increases").
MILESTONE_COUNTS = {
    MilestoneKind.CONTRACT: (Indicator.SIGNED_PROJECTS, "not_increase"),
    MilestoneKind.REGISTRATION: (Indicator.LANDED_PROJECTS, "new_only"),
    MilestoneKind.CONSTRUCTION: (Indicator.STARTED_PROJECTS, "not_increase"),
    MilestoneKind.OPERATION: (Indicator.OPERATING_PROJECTS, "not_increase"),
}


def _cents(values: pd.Series) -> pd.Series:
    return values.map(lambda amount: int(Decimal(amount) * 100)).astype("int64")


def _out(indicator: str, value) -> int | Decimal:
    """A figure as it leaves the service: a count, or an amount (hundredths back to Decimal)."""
    value = int(value)
    return Decimal(value).scaleb(-2).quantize(Decimal("0.01")) if BY_KEY[indicator].is_money else value


# --- shaping the cubes into one long frame: (indicator, year, month, dimensions…, value) ----------------


def _milestone_rows(cube: list[dict]) -> list[pd.DataFrame]:
    if not cube:
        return []
    df = pd.DataFrame(cube)
    not_increase = df["relation"] != CAPITAL_INCREASE
    new_only = df["relation"] == ""
    parts = []
    for kind, (indicator, rule) in MILESTONE_COUNTS.items():
        rows = df[(df["kind"] == kind) & (not_increase if rule == "not_increase" else new_only)]
        parts.append(rows.assign(indicator=indicator, value=rows["n"]))
    contracts = df[df["kind"] == MilestoneKind.CONTRACT]
    parts.append(contracts.assign(indicator=Indicator.SIGNED_AMOUNT, value=_cents(contracts["amount"])))
    return parts


def _capital_rows(cube: list[dict]) -> list[pd.DataFrame]:
    if not cube:
        return []
    df = pd.DataFrame(cube)
    domestic, foreign = df[df["kind"] == CapitalKind.DOMESTIC], df[df["kind"] == CapitalKind.FOREIGN]
    return [domestic.assign(indicator=Indicator.DOMESTIC_CAPITAL, value=_cents(domestic["amount"])),
            foreign.assign(indicator=Indicator.FOREIGN_CAPITAL, value=_cents(foreign["usd"]))]


def _lead_rows(cube: list[dict]) -> list[pd.DataFrame]:
    if not cube:
        return []
    df = pd.DataFrame(cube)
    return [df.assign(indicator=Indicator.NEW_LEADS, value=df["n"])]


def _stock_rows(cube: list[dict], period: Period) -> list[pd.DataFrame]:
    if not cube:
        return []
    df = pd.DataFrame(cube)
    rows = df[df["stage_then"].isin(selectors.NEGOTIATION_STAGES) & (df["relation_then"] != CAPITAL_INCREASE)]
    return [rows.assign(indicator=Indicator.NEGOTIATING_PROJECTS, value=rows["n"], year=period.year,
                        month=period.through_month)]


def _long(parts: list[pd.DataFrame], columns: tuple) -> pd.DataFrame:
    records = [record for p in parts if not p.empty
               for record in p[[*columns, "indicator", "value"]].to_dict("records")]
    frame = pd.DataFrame.from_records(records, columns=[*columns, "indicator", "value"])
    frame["value"] = frame["value"].astype("int64")
    return frame


@dataclass(frozen=True)
class Facts:
    """The long frame of one computation: every fact of both periods summed along each breakdown (``gset``)."""

    rows: pd.DataFrame
    data_issues: list[str]
    stock_cube: list[dict]


# The columns of the long frame, before the indicator and its value.
COLUMNS = ("gset", "year", "month", *selectors.DIMENSIONS, "key_industry")
_INTEGER_COLUMNS = ("year", "month", "officer_id")


def _cube(rows: list[dict]) -> list[dict]:
    """Breakdown rows (gset, kept columns, k1/k2) as rows naming their dimension columns (the others None)."""
    result = []
    for row in rows:
        names = selectors.GROUPINGS.get(row["gset"], ("key_industry",))
        shaped = {**{k: v for k, v in row.items() if k not in ("k1", "k2")},
                  **dict.fromkeys(COLUMNS[2:]), **dict(zip(names, (row["k1"], row["k2"]), strict=False))}
        for column in _INTEGER_COLUMNS:
            if shaped.get(column) is not None:
                shaped[column] = int(shaped[column])
        result.append(shaped)
    return result


def _of(rows: pd.DataFrame, gset: str, year: int | None = None) -> pd.DataFrame:
    """The rows of one breakdown (of one year)."""
    if rows.empty:
        return rows
    picked = rows["gset"] == gset
    if year is not None:
        picked &= rows["year"] == year
    return rows[picked]


def _facts(period: Period, last: Period, officer_id: int | None = None) -> Facts:
    """All facts of the period and of the same period last year: one statement per kind of fact (leads,
    milestones, capital, the stock at the period's end) and a count of the stock a year earlier."""
    periods = (period, last)
    leads = _cube(selectors.lead_breakdowns(periods, officer_id))
    milestones = _cube(selectors.milestone_breakdowns(periods, officer_id))
    capital = _cube(selectors.capital_breakdowns(periods, officer_id))
    stock = _cube(selectors.stock_breakdowns(period, officer_id))
    last_stock = pd.DataFrame([{**dict.fromkeys(COLUMNS), "gset": "month", "year": last.year,
                                "month": last.through_month, "indicator": Indicator.NEGOTIATING_PROJECTS,
                                "value": selectors.negotiating_total(last, officer_id)}])
    rows = _long([*_lead_rows(leads), *_milestone_rows(milestones), *_capital_rows(capital),
                  *_stock_rows(stock, period), last_stock], COLUMNS)
    return Facts(rows=rows, data_issues=_data_issues([c for c in capital if c["gset"] == "month"], period),
                 stock_cube=[r for r in stock if r["gset"] == "month"])


def _data_issues(capital_cube: list[dict], period: Period) -> list[str]:
    """Problems in the records that a reader of the figures must know about (never silently dropped)."""
    missing = sum(c["n"] for c in capital_cube if c["missing_rate"] and c["year"] == period.year)
    if not missing:
        return []
    return [_("%(n)s foreign capital record(s) of the period have no exchange rate: they count in foreign "
              "capital (10k USD) but their CNY equivalent is unknown. Complete the rate on the project page.")
            % {"n": missing}]


# --- the statistics ---------------------------------------------------------------------------------------


def _totals(rows: pd.DataFrame, year: int) -> dict[str, int | Decimal]:
    totals = _of(rows, "month", year)
    sums = totals.groupby("indicator")["value"].sum() if len(totals) else {}
    return {d.key: _out(d.key, sums.get(d.key, 0)) for d in INDICATORS}


def _targets(year: int) -> tuple[WorkPlan | None, list[dict]]:
    plan = WorkPlan.objects.filter(year=year).first()
    if plan is None:
        return None, []
    return plan, list(plan.targets.values("indicator", "officer_id", "industry__code", "value"))


def _indicator_rows(period, last, rows, targets) -> list[dict]:
    actual, before = _totals(rows, period.year), _totals(rows, last.year)
    district = {t["indicator"]: t["value"] for t in targets if not t["officer_id"] and not t["industry__code"]}
    result = []
    for d in INDICATORS:
        target = district.get(d.key)
        result.append({"key": d.key, "unit": d.unit, "actual": actual[d.key], "target": target,
                       "completion": completion(actual[d.key], target), "last_year": before[d.key],
                       "growth": growth(actual[d.key], before[d.key])})
    return result


def _pivot(frame: pd.DataFrame, keys: list[str]) -> list[dict]:
    """Rows of a breakdown: one per value of the dimension, with every indicator's figure (zeros included)."""
    if frame.empty:
        return []
    frame = frame.copy()
    for key in keys:
        frame[key] = frame[key].astype(object).where(frame[key].notna() & (frame[key] != ""), selectors.BLANK)
    table = frame.pivot_table(index=keys, columns="indicator", values="value", aggfunc="sum", fill_value=0)
    rows = []
    for index, series in table.iterrows():
        index = index if isinstance(index, tuple) else (index,)
        values = {d.key: _out(d.key, series.get(d.key, 0)) for d in INDICATORS}
        rows.append({**dict(zip(keys, index, strict=True)), "values": values})
    return rows


def _breakdowns(period: Period, facts: Facts, targets: list[dict]) -> dict[str, list[dict]]:
    this = facts.rows[facts.rows["year"] == period.year] if len(facts.rows) else facts.rows
    by_officer = {(t["officer_id"], t["indicator"]): t["value"] for t in targets if t["officer_id"]}
    by_industry = {(t["industry__code"], t["indicator"]): t["value"] for t in targets if t["industry__code"]}
    result = {}
    industry = _pivot(_of(this, "industry"), ["industry_code", "industry_name"])
    for row in industry:
        row["key"], row["name"] = row.pop("industry_code"), row.pop("industry_name")
        row["targets"] = {i: v for (code, i), v in by_industry.items() if code == row["key"]}
    result[Dimension.INDUSTRY.value] = sorted(industry, key=lambda r: r["key"])
    keyed = _pivot(_of(this, selectors.KEY), ["key_industry"])
    result[Dimension.KEY_INDUSTRY.value] = [{"key": r["key_industry"], "name": r["key_industry"], "values": r["values"]}
                                      for r in keyed]
    origin = _pivot(_of(this, "origin"), ["origin_kind", "origin"])
    result[Dimension.ORIGIN.value] = sorted(
        ({"key": r["origin"], "name": r["origin"], "group": r["origin_kind"], "values": r["values"]} for r in origin),
        key=lambda r: (list(EnterpriseKind.values).index(r["group"]) if r["group"] in EnterpriseKind.values else 9,
                       r["key"] == selectors.BLANK, r["key"]))
    source = _pivot(_of(this, "source"), ["lead_source"])
    result[Dimension.SOURCE.value] = [{"key": r["lead_source"], "values": r["values"]} for r in source]
    officer = _pivot(_of(this, "officer"), ["officer_id", "officer_name"])
    result[Dimension.OFFICER.value] = sorted(
        ({"key": int(r["officer_id"]), "name": r["officer_name"], "values": r["values"],
          "targets": {i: v for (o, i), v in by_officer.items() if o == int(r["officer_id"])}}
         for r in officer if r["officer_id"] != selectors.BLANK), key=lambda r: r["name"])
    result[Dimension.MONTH.value] = _months(period, facts.rows)
    return result


def _months(period: Period, rows: pd.DataFrame) -> list[dict]:
    """Each month of the period with this year's and last year's figures (the trend against last year)."""
    flows = _of(rows, "month")
    flows = flows[flows["indicator"] != Indicator.NEGOTIATING_PROJECTS] if len(flows) else flows
    table = (flows.groupby(["year", "month", "indicator"])["value"].sum() if len(flows)
             else pd.Series(dtype="int64"))
    result = []
    for month in period.months:
        result.append({"key": month, "values": {
            d.key: _out(d.key, table.get((period.year, month, d.key), 0)) for d in INDICATORS if not d.stock},
            "last_year": {d.key: _out(d.key, table.get((period.year - 1, month, d.key), 0))
                          for d in INDICATORS if not d.stock}})
    return result


def _funnel(period: Period, stock_cube: list[dict]) -> list[dict]:
    """Projects in each pipeline stage at the end of the period, with the median days a stay lasted."""
    counts = pd.Series(dtype="int64")
    if stock_cube:
        df = pd.DataFrame(stock_cube)
        counts = df[df["relation_then"] != CAPITAL_INCREASE].groupby("stage_then")["n"].sum()
    stays = pd.DataFrame(selectors.stage_stays(period), columns=["to_stage", "began", "ended"])
    medians = {}
    if len(stays):
        stays["days"] = (stays["ended"].astype(float) - stays["began"].astype(float)) / 86400
        medians = stays.groupby("to_stage")["days"].median().round(1).to_dict()
    return [{"stage": stage, "projects": int(counts.get(stage, 0)),
             "median_days": Decimal(str(medians[stage])) if stage in medians else None} for stage in PIPELINE]


def _turnaround(period: Period, *, bureau_id: int | None = None) -> list[dict]:
    """Each partner bureau's sign-off turnaround for requests answered in the period: median working days
    from request to answer, the share answered by the due date, and how many are overdue at the cut-off."""
    bureaus = Bureau.objects.filter(kind=BureauKind.PARTNER)
    if bureau_id is not None:
        bureaus = bureaus.filter(pk=bureau_id)
    bureaus = list(bureaus.values("id", "short_name", "name"))
    rows = pd.DataFrame(selectors.review_turnaround_rows(period, bureau_id=bureau_id),
                        columns=["bureau_id", "asked", "due_on", "answered", "n"])
    overdue = selectors.overdue_counts(period.cutoff)
    stats = {}
    if len(rows):
        rows = rows.loc[rows.index.repeat(rows["n"])]  # one row per answer again, for the median
        position = _working_day_position(min(rows["asked"]), max(rows["answered"]))
        rows["working_days"] = rows["answered"].map(position) - rows["asked"].map(position)
        rows["on_time"] = rows["answered"] <= rows["due_on"]
        grouped = rows.groupby("bureau_id")
        stats = pd.DataFrame({"answered": grouped.size(), "median": grouped["working_days"].median(),
                              "on_time": grouped["on_time"].sum()}).to_dict("index")
    result = []
    for bureau in bureaus:
        s = stats.get(bureau["id"])
        result.append({
            "bureau_id": bureau["id"], "bureau": bureau["short_name"] or bureau["name"],
            "answered": int(s["answered"]) if s else 0,
            "median_working_days": Decimal(str(round(s["median"], 1))) if s else None,
            "on_time_rate": completion(int(s["on_time"]), int(s["answered"])) if s else None,
            "overdue_now": overdue.get(bureau["id"], 0),
        })
    return result


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
        "indicators": _indicator_rows(period, last, facts.rows, targets),
        "breakdowns": _breakdowns(period, facts, targets),
        "funnel": _funnel(period, facts.stock_cube),
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
        snapshot = Snapshot.objects.filter(year=period.year, month=period.through_month).select_related(
            "published_by").first()
        if snapshot is not None:
            return _from_snapshot(snapshot)
    return compute_statistics(period)


# --- snapshots: storing and reading the published figures --------------------------------------------


def _to_json(value):
    """The statistics as JSON (Decimals and dates as text, keys as text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _revive_values(values: dict) -> dict:
    return {k: (Decimal(v) if BY_KEY[k].is_money else int(v)) for k, v in values.items()}


def _revive_optional(value):
    return None if value is None else Decimal(value)


def _from_snapshot(snapshot: Snapshot) -> dict:
    """The published figures as statistics_for_period returns them (Decimals, dates and ints restored)."""
    figures = snapshot.figures
    stats = dict(figures)
    for key in ("period", "last_period"):
        stats[key] = {**figures[key], "start": date.fromisoformat(figures[key]["start"]),
                      "end": date.fromisoformat(figures[key]["end"])}
    stats["indicators"] = [
        {**row, "actual": _revive_values({row["key"]: row["actual"]})[row["key"]],
         "last_year": _revive_values({row["key"]: row["last_year"]})[row["key"]],
         **{f: _revive_optional(row[f]) for f in ("target", "completion", "growth")}}
        for row in figures["indicators"]]
    stats["breakdowns"] = {
        dim: [{**row, "values": _revive_values(row["values"]),
               **({"last_year": _revive_values(row["last_year"])} if "last_year" in row else {}),
               **({"targets": {k: Decimal(v) for k, v in row["targets"].items()}} if "targets" in row else {})}
              for row in rows]
        for dim, rows in figures["breakdowns"].items()}
    stats["funnel"] = [{**row, "median_days": _revive_optional(row["median_days"])} for row in figures["funnel"]]
    stats["turnaround"] = [{**row, "median_working_days": _revive_optional(row["median_working_days"]),
                            "on_time_rate": _revive_optional(row["on_time_rate"])} for row in figures["turnaround"]]
    by = snapshot.published_by
    stats["published"] = {"at": snapshot.published_at, "by": by.display_name if by else "",
                          "snapshot_id": snapshot.pk}
    return stats


# --- the records behind the published figures, and restatements ------------------------------------


def _record(label: str, url: str, value) -> list:
    return [label, url, str(value)]


def _project_label(code: str, name: str) -> str:
    return f"{code} {name}"


def indicator_records(period: Period) -> dict[str, dict[str, list]]:
    """Per indicator, every record that counts in the period and its value: {key: [label, url, value]}.

    Stored with a snapshot, it lets a later check name the record behind a changed figure and the difference.
    """
    records = {d.key: {} for d in INDICATORS}
    for pk, title in selectors.lead_facts([period]).values_list("id", "title"):
        records[Indicator.NEW_LEADS][f"lead:{pk}"] = _record(title, reverse("leads:lead_detail", args=[pk]), 1)
    for indicator, (kind, rule) in selectors.INDICATOR_FACTS.items():
        if kind not in ("milestone", "capital"):
            continue
        qs = selectors.milestone_facts([period]) if kind == "milestone" else selectors.capital_facts([period])
        value_field = {Indicator.SIGNED_AMOUNT: "contract_amount_wan", Indicator.DOMESTIC_CAPITAL: "amount_wan",
                       Indicator.FOREIGN_CAPITAL: "amount_usd_wan"}.get(indicator)
        rows = qs.filter(rule).values_list("id", "project_id", "project__code", "project__name", "fact_date",
                                           value_field or "id")
        for pk, project_id, code, name, day, value in rows:
            label = _project_label(code, name) + (f" · {day:%Y-%m-%d}" if kind == "capital" else "")
            url = reverse("projects:project_detail", args=[project_id])
            records[indicator][f"{kind}:{pk}"] = _record(label, url, value if value_field else 1)
    negotiating = selectors.project_stock(period).filter(selectors.INDICATOR_FACTS["negotiating_projects"][1])
    for pk, code, name in negotiating.values_list("id", "code", "name"):
        records[Indicator.NEGOTIATING_PROJECTS][f"project:{pk}"] = _record(
            _project_label(code, name), reverse("projects:project_detail", args=[pk]), 1)
    return records


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
            return Snapshot.objects.create(year=year, month=month, figures=_to_json(statistics),
                                           records=indicator_records(period), published_by=by)
    except IntegrityError:  # published a moment ago by the month-end task or another leader
        raise ValidationError(_("%(year)s-%(month)02d has already been published.") % {"year": year, "month": month},
                              code="published") from None


@transaction.atomic
def snapshot_check_restatements(*, snapshot: Snapshot, today: date | None = None) -> int:
    """Compare a published month with the records as they are now and keep its restatements current: one row
    per record whose value in a published figure would now differ. Returns how many differences there are."""
    snapshot = Snapshot.objects.select_for_update().get(pk=snapshot.pk)
    period = make_period(snapshot.year, snapshot.month, today=today or timezone.localdate())
    now = indicator_records(period)
    found = []
    for indicator, published in snapshot.records.items():
        current = now.get(indicator, {})
        for key in published.keys() | current.keys():
            old = Decimal(published[key][2]) if key in published else Decimal(0)
            new = Decimal(current[key][2]) if key in current else Decimal(0)
            if old != new:
                label, url, _value = current.get(key) or published[key]
                found.append(Restatement(snapshot=snapshot, indicator=indicator, record_key=key,
                                         record_label=label[:200], record_url=url, published_value=old,
                                         current_value=new))
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


def restatements_of(*, year: int, through_month: int) -> list[Restatement]:
    """The restatements of the published month, newest differences first."""
    return list(Restatement.objects.filter(snapshot__year=year, snapshot__month=through_month)
                .order_by("indicator", "record_key"))


def previous_month(today: date) -> tuple[int, int]:
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def publish_previous_month(*, today: date | None = None) -> Snapshot | None:
    """The month-end publication: freeze last month unless someone already has; then re-check every published
    month of this and last year for restatements."""
    today = today or timezone.localdate()
    year, month = previous_month(today)
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
    """The lists a bureau chases, as of the period's cut-off, with each threshold (months) of the year's plan:
    {list key: {"months": N or None, "total": count, "rows": [...]}}; every row has the owner and the days
    elapsed, the longest-waiting first. With ``limit`` only the first rows are read (and the lists counted)."""
    as_of = period.cutoff
    limits = _thresholds(WorkPlan.objects.filter(year=period.year).first())

    def older(name):
        return months_before(as_of, limits[name])

    lists = {
        ExceptionList.NOT_REGISTERED.value: ("months_to_register", selectors.milestones_missing_next(
            kind=MilestoneKind.CONTRACT, missing=MilestoneKind.REGISTRATION, older_than=older("months_to_register"),
            as_of=as_of, new_projects_only=True)),
        ExceptionList.NOT_STARTED.value: ("months_to_start", selectors.milestones_missing_next(
            kind=MilestoneKind.REGISTRATION, missing=MilestoneKind.CONSTRUCTION, older_than=older("months_to_start"),
            as_of=as_of)),
        ExceptionList.NOT_OPERATING.value: ("months_to_operate", selectors.milestones_missing_next(
            kind=MilestoneKind.CONSTRUCTION, missing=MilestoneKind.OPERATION, older_than=older("months_to_operate"),
            as_of=as_of)),
        ExceptionList.NO_CAPITAL.value: ("months_to_capital", selectors.contracts_without_capital(
            older_than=older("months_to_capital"), as_of=as_of)),
    }
    result = {}
    for key, (name, qs) in lists.items():
        rows = _milestone_exception(qs if limit is None else qs[:limit], as_of)
        result[key] = {"months": limits[name], "rows": rows, "total": len(rows) if limit is None else qs.count()}
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
    by_kind: dict[str, list[str]] = {}
    for indicator in indicators:
        by_kind.setdefault(selectors.INDICATOR_FACTS[indicator][0], []).append(indicator)
    sources = {"lead": lambda: selectors.lead_facts([period]), "milestone": lambda: selectors.milestone_facts([period]),
               "capital": lambda: selectors.capital_facts([period]), "project": lambda: selectors.project_stock(period)}
    values = {Indicator.SIGNED_AMOUNT: "contract_amount_wan", Indicator.DOMESTIC_CAPITAL: "amount_wan",
              Indicator.FOREIGN_CAPITAL: "amount_usd_wan"}
    for kind, keys in by_kind.items():
        aggregates = {}
        for key in keys:
            rule = selectors.INDICATOR_FACTS[key][1]
            aggregates[key] = Sum(values[key], filter=rule) if key in values else Count("id", filter=rule)
        sums = sources[kind]().filter(officer_id=officer_id).aggregate(**aggregates)
        result.update({k: (money(v) if BY_KEY[k].is_money else int(v or 0)) for k, v in sums.items()})
    return result


# --- words: period titles, the drafted briefing paragraph ---------------------------------------------


def period_label(period: dict) -> str:
    """"2026年1-10月" (or "2026年1月", "2025年1-12月")."""
    if period["through_month"] == 1:
        return _("January %(year)s") % {"year": period["year"]}
    return _("January to month %(month)s of %(year)s") % {"year": period["year"], "month": period["through_month"]}


def report_title(period: dict) -> str:
    """The title of the monthly statistics table, as the bureau writes it."""
    return _("Jiyang District investment attraction statistics, %(period)s") % {"period": period_label(period)}


def _growth_words(ratio: Decimal | None) -> str:
    if ratio is None:
        return _("none in the same period last year")
    if ratio >= 0:
        return _("up %(pct)s year on year") % {"pct": percent_text(ratio)}
    return _("down %(pct)s year on year") % {"pct": percent_text(-ratio)}


def briefing_paragraph(statistics: dict) -> str:
    """A drafted paragraph of the monthly briefing (1-10月，全区共签约项目…个…) from the figures."""
    figures = {row["key"]: row for row in statistics["indicators"]}

    def value(key):
        return number_text(figures[key]["actual"], figures[key]["unit"])

    text = _(
        "%(period)s, the district signed %(signed)s projects with a contract amount of %(amount)s (10k CNY), "
        "%(amount_growth)s; %(landed)s projects landed, %(started)s started construction and %(operating)s went "
        "into operation; domestic capital in place was %(domestic)s (10k CNY), %(domestic_growth)s, and foreign "
        "capital actually used was %(foreign)s (10k USD), %(foreign_growth)s; %(leads)s new leads were received "
        "and %(negotiating)s projects are in negotiation."
    ) % {
        "period": _("Month 1 to %(month)s") % {"month": statistics["period"]["through_month"]}
        if statistics["period"]["through_month"] > 1 else _("In January"),
        "signed": value(Indicator.SIGNED_PROJECTS), "amount": value(Indicator.SIGNED_AMOUNT),
        "amount_growth": _growth_words(figures[Indicator.SIGNED_AMOUNT]["growth"]),
        "landed": value(Indicator.LANDED_PROJECTS), "started": value(Indicator.STARTED_PROJECTS),
        "operating": value(Indicator.OPERATING_PROJECTS), "domestic": value(Indicator.DOMESTIC_CAPITAL),
        "domestic_growth": _growth_words(figures[Indicator.DOMESTIC_CAPITAL]["growth"]),
        "foreign": value(Indicator.FOREIGN_CAPITAL),
        "foreign_growth": _growth_words(figures[Indicator.FOREIGN_CAPITAL]["growth"]),
        "leads": value(Indicator.NEW_LEADS), "negotiating": value(Indicator.NEGOTIATING_PROJECTS),
    }
    done = [_("%(indicator)s %(pct)s") % {"indicator": Indicator(row["key"]).label,
                                          "pct": percent_text(row["completion"])}
            for row in statistics["indicators"] if row["completion"] is not None]
    if done:
        text += " " + _("Completion of the annual targets: %(list)s.") % {"list": _(", ").join(done)}
    return text


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
            for r in restatements_of(year=year, through_month=period.through_month)] if published else [],
        "briefing": briefing_paragraph(statistics),
        "can_publish_period": period.is_complete and not published,
    }


def bureau_turnaround(*, bureau_id: int, period: Period) -> dict:
    """One partner bureau's turnaround figures for the period (what its reviewers see of the statistics)."""
    return _turnaround(period, bureau_id=bureau_id)[0]
