"""Shaping the statistics' aggregated cubes (reports.selectors) into figures with pandas. Pure: no queries.

A cube row is one combination of dimension values of one breakdown (``gset``) with its fact count ``n`` and its
sums. Which rows make which figure is reports.indicators' table: ``counted`` applies an indicator's rule to the
cube's columns as reports.selectors.fact_filter applies it to the records. Money travels through pandas as
integer hundredths (exact) and comes out as Decimal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pandas as pd
from django.utils.translation import gettext as _

from crm.choices import EnterpriseKind
from projects.choices import PIPELINE as PIPELINE_STAGES
from reports.choices import Dimension
from reports.indicators import BY_KEY, INDICATORS, PIPELINE, Period, Rule, completion, growth
from reports.selectors import BLANK, DIMENSIONS, GROUPINGS, KEY

# The columns of the long frame, before the indicator and its value.
COLUMNS = ("gset", "year", "month", *DIMENSIONS, "key_industry")
_INTEGER_COLUMNS = ("year", "month", "officer_id")


def _cents(values: pd.Series) -> pd.Series:
    return values.map(lambda amount: int(Decimal(amount) * 100)).astype("int64")


def figure(indicator: str, value) -> int | Decimal:
    """A figure as it leaves the statistics: a count, or an amount (hundredths back to Decimal)."""
    value = int(value)
    return Decimal(value).scaleb(-2).quantize(Decimal("0.01")) if BY_KEY[indicator].is_money else value


def counted(frame: pd.DataFrame, rule: Rule) -> pd.Series:
    """The cube rows a rule counts, from the columns ``kind``, ``stage_then`` and ``relation``."""
    mask = pd.Series(True, index=frame.index)
    if rule.kind is not None:
        mask &= frame["kind"] == rule.kind
    if rule.stages:
        mask &= frame["stage_then"].isin(rule.stages)
    if rule.relations_left_out:
        mask &= ~frame["relation"].isin(rule.relations_left_out)
    return mask


# --- the cubes as one long frame: (gset, year, month, dimensions…, indicator, value) -------------------------


def cube(rows: list[dict]) -> list[dict]:
    """Breakdown rows (gset, kept columns, k1/k2) as rows naming their dimension columns (the others None)."""
    result = []
    for row in rows:
        names = GROUPINGS.get(row["gset"], ("key_industry",))
        shaped = {**{k: v for k, v in row.items() if k not in ("k1", "k2")},
                  **dict.fromkeys(COLUMNS[2:]), **dict(zip(names, (row["k1"], row["k2"]), strict=False))}
        for column in _INTEGER_COLUMNS:
            if shaped.get(column) is not None:
                shaped[column] = int(shaped[column])
        result.append(shaped)
    return result


def long_frame(cubes: dict[str, list[dict]], period: Period, last: Period,
               last_stocks: dict[str, int]) -> pd.DataFrame:
    """Every indicator's rows of the cube of its fact (``cubes`` by reports.indicators' fact names), as one
    frame; a stock's rows stand at the period's last month, and its figure of a year earlier (``last_stocks``)
    is a total without breakdowns."""
    frames = {fact: pd.DataFrame(rows) for fact, rows in cubes.items() if rows}
    parts = []
    for d in INDICATORS:
        df = frames.get(d.rule.fact)
        if df is None:
            continue
        rows = df[counted(df, d.rule)]
        rows = rows.assign(indicator=d.key, value=rows["n"] if d.rule.value is None else _cents(rows[d.rule.value]))
        if d.stock:
            rows = rows.assign(year=period.year, month=period.through_month)
        parts.append(rows)
    parts += [pd.DataFrame([{**dict.fromkeys(COLUMNS), "gset": "month", "year": last.year,
                             "month": last.through_month, "indicator": key, "value": total}])
              for key, total in last_stocks.items()]
    records = [record for p in parts if not p.empty
               for record in p[[*COLUMNS, "indicator", "value"]].to_dict("records")]
    frame = pd.DataFrame.from_records(records, columns=[*COLUMNS, "indicator", "value"])
    frame["value"] = frame["value"].astype("int64")
    return frame


def data_issues(capital_cube: list[dict], period: Period) -> list[str]:
    """Problems in the records that a reader of the figures must know about (never silently dropped)."""
    missing = sum(c["n"] for c in capital_cube if c["missing_rate"] and c["year"] == period.year)
    if not missing:
        return []
    return [_("%(n)s foreign capital record(s) of the period have no exchange rate: they count in foreign "
              "capital (10k USD) but their CNY equivalent is unknown. Complete the rate on the project page.")
            % {"n": missing}]


def _of(rows: pd.DataFrame, gset: str, year: int | None = None) -> pd.DataFrame:
    """The rows of one breakdown (of one year)."""
    if rows.empty:
        return rows
    picked = rows["gset"] == gset
    if year is not None:
        picked &= rows["year"] == year
    return rows[picked]


# --- the figures ----------------------------------------------------------------------------------------


def _totals(rows: pd.DataFrame, year: int) -> dict[str, int | Decimal]:
    totals = _of(rows, "month", year)
    sums = totals.groupby("indicator")["value"].sum() if len(totals) else {}
    return {d.key: figure(d.key, sums.get(d.key, 0)) for d in INDICATORS}


def indicator_figures(period: Period, last: Period, rows: pd.DataFrame, targets: list[dict]) -> list[dict]:
    """Each indicator's figure of the period against the district's target and the same period last year."""
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
        frame[key] = frame[key].astype(object).where(frame[key].notna() & (frame[key] != ""), BLANK)
    table = frame.pivot_table(index=keys, columns="indicator", values="value", aggfunc="sum", fill_value=0)
    rows = []
    for index, series in table.iterrows():
        index = index if isinstance(index, tuple) else (index,)
        values = {d.key: figure(d.key, series.get(d.key, 0)) for d in INDICATORS}
        rows.append({**dict(zip(keys, index, strict=True)), "values": values})
    return rows


def breakdowns(period: Period, rows: pd.DataFrame, targets: list[dict]) -> dict[str, list[dict]]:
    """Every indicator of the period split by each dimension, with the officers' and industries' targets."""
    this = rows[rows["year"] == period.year] if len(rows) else rows
    by_officer = {(t["officer_id"], t["indicator"]): t["value"] for t in targets if t["officer_id"]}
    by_industry = {(t["industry__code"], t["indicator"]): t["value"] for t in targets if t["industry__code"]}
    result = {}
    industry = _pivot(_of(this, "industry"), ["industry_code", "industry_name"])
    for row in industry:
        row["key"], row["name"] = row.pop("industry_code"), row.pop("industry_name")
        row["targets"] = {i: v for (code, i), v in by_industry.items() if code == row["key"]}
    result[Dimension.INDUSTRY.value] = sorted(industry, key=lambda r: r["key"])
    keyed = _pivot(_of(this, KEY), ["key_industry"])
    result[Dimension.KEY_INDUSTRY.value] = [{"key": r["key_industry"], "name": r["key_industry"], "values": r["values"]}
                                            for r in keyed]
    origin = _pivot(_of(this, "origin"), ["origin_kind", "origin"])
    result[Dimension.ORIGIN.value] = sorted(
        ({"key": r["origin"], "name": r["origin"], "group": r["origin_kind"], "values": r["values"]} for r in origin),
        key=lambda r: (list(EnterpriseKind.values).index(r["group"]) if r["group"] in EnterpriseKind.values else 9,
                       r["key"] == BLANK, r["key"]))
    source = _pivot(_of(this, "source"), ["lead_source"])
    result[Dimension.SOURCE.value] = [{"key": r["lead_source"], "values": r["values"]} for r in source]
    officer = _pivot(_of(this, "officer"), ["officer_id", "officer_name"])
    result[Dimension.OFFICER.value] = sorted(
        ({"key": int(r["officer_id"]), "name": r["officer_name"], "values": r["values"],
          "targets": {i: v for (o, i), v in by_officer.items() if o == int(r["officer_id"])}}
         for r in officer if r["officer_id"] != BLANK), key=lambda r: r["name"])
    result[Dimension.MONTH.value] = _months(period, rows)
    return result


def _months(period: Period, rows: pd.DataFrame) -> list[dict]:
    """Each month of the period with this year's and last year's figures (the trend against last year)."""
    stocks = [d.key for d in INDICATORS if d.stock]
    flows = _of(rows, "month")
    flows = flows[~flows["indicator"].isin(stocks)] if len(flows) else flows
    table = (flows.groupby(["year", "month", "indicator"])["value"].sum() if len(flows)
             else pd.Series(dtype="int64"))
    result = []
    for month in period.months:
        result.append({"key": month, "values": {
            d.key: figure(d.key, table.get((period.year, month, d.key), 0)) for d in INDICATORS if not d.stock},
            "last_year": {d.key: figure(d.key, table.get((period.year - 1, month, d.key), 0))
                          for d in INDICATORS if not d.stock}})
    return result


def funnel(stock_cube: list[dict], stays: list[dict]) -> list[dict]:
    """Projects in each pipeline stage at the end of the period (``stock_cube``: the stock by stage), with the
    median days of the stays that ended within it."""
    counts = pd.Series(dtype="int64")
    if stock_cube:
        df = pd.DataFrame(stock_cube)
        counts = df[counted(df, PIPELINE)].groupby("stage_then")["n"].sum()
    stays = pd.DataFrame(stays, columns=["to_stage", "began", "ended"])
    medians = {}
    if len(stays):
        stays["days"] = (stays["ended"].astype(float) - stays["began"].astype(float)) / 86400
        medians = stays.groupby("to_stage")["days"].median().round(1).to_dict()
    return [{"stage": stage, "projects": int(counts.get(stage, 0)),
             "median_days": Decimal(str(medians[stage])) if stage in medians else None} for stage in PIPELINE_STAGES]


def turnaround(bureaus: list[dict], answers: list[dict], overdue: dict[int, int],
               positions: Callable[[date, date], Callable[[date], int]]) -> list[dict]:
    """Each partner bureau's turnaround from its answered requests (``answers``: bureau, day asked, day due,
    day answered, how many): the median working days from request to answer, the share answered by the due
    date, and how many are overdue now. ``positions(first, last)`` numbers the working days of a range."""
    rows = pd.DataFrame(answers, columns=["bureau_id", "asked", "due_on", "answered", "n"])
    stats = {}
    if len(rows):
        rows = rows.loc[rows.index.repeat(rows["n"])]  # one row per answer again, for the median
        position = positions(min(rows["asked"]), max(rows["answered"]))
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
