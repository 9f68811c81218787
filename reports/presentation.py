"""Turning a report (reports.services.report_for_period) into what the dashboard shows: labelled cards and
tables where every figure carries the address of the records behind it, and the charts. No queries here."""

from __future__ import annotations

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reports import charts, labels, prose, services
from reports.choices import Dimension, ExceptionList
from reports.indicators import BY_KEY, INDICATORS, number_text, percent_text

BREAKDOWNS = ("industry", "key_industry", "origin", "source", "officer")
# The breakdown filter each dimension adds to a records link.
FILTER_OF = {"industry": "industry", "key_industry": "key_industry", "origin": "origin", "source": "source",
             "officer": "officer", "month": "in_month"}
EXCEPTION_ORDER = ("not_registered", "not_started", "not_operating", "no_capital", "overdue_reviews")


def records_url(indicator: str, year: int, month: int, **filters) -> str:
    query = {"indicator": indicator, "year": year, "month": month,
             **{k: v for k, v in filters.items() if v not in (None, "")}}
    return f"{reverse('reports:records')}?{urlencode(query)}"


def _cell(indicator: str, value, url: str) -> dict:
    return {"text": number_text(value, BY_KEY[indicator].unit), "url": url, "zero": not value}


def kpi_cards(report: dict) -> list[dict]:
    year, month = report["period"]["year"], report["period"]["through_month"]
    cards = []
    for row in report["indicators"]:
        d = BY_KEY[row["key"]]
        cards.append({
            "key": row["key"], "label": d.label, "unit": d.unit_label,
            "value": number_text(row["actual"], d.unit), "url": records_url(row["key"], year, month),
            "target": number_text(row["target"], d.unit) if row["target"] is not None else None,
            "completion": percent_text(row["completion"]), "completion_ratio": row["completion"],
            "last_year": number_text(row["last_year"], d.unit),
            "last_year_url": records_url(row["key"], year - 1, month),
            "growth": percent_text(row["growth"]),
            "growth_sign": _sign(row["growth"]),
            "stock": d.stock,
        })
    return cards


def _sign(ratio) -> int:
    return 0 if not ratio else (1 if ratio > 0 else -1)


def _signed(value, unit: str) -> str:
    return ("+" if value > 0 else "-" if value < 0 else "") + number_text(abs(value), unit)


def breakdown_tables(report: dict) -> list[dict]:
    """One table per dimension: a row per industry, origin…, a cell per indicator, each linked."""
    year, month = report["period"]["year"], report["period"]["through_month"]
    headings = [labels.indicator_heading(d.key) for d in INDICATORS]
    tables = []
    for dimension in BREAKDOWNS:
        rows = []
        for row in report["breakdowns"][dimension]:
            filters = {FILTER_OF[dimension]: row["key"]}
            if dimension == "origin":
                filters["origin_kind"] = row["group"]
            targets = row.get("targets", {})
            rows.append({
                "label": labels.row_label(dimension, row),
                "group": labels.origin_group_label(row["group"]) if dimension == "origin" else "",
                "cells": [{**_cell(d.key, row["values"][d.key], records_url(d.key, year, month, **filters)),
                           "target": number_text(targets[d.key], d.unit) if d.key in targets else ""}
                          for d in INDICATORS],
            })
        tables.append({"key": dimension, "title": _dimension_title(dimension), "headings": headings, "rows": rows})
    return tables


def _dimension_title(dimension: str) -> str:
    return str(Dimension(dimension).label)


# Rows of each exception list on the dashboard: the longest-waiting first; the workbook has them all.
DASHBOARD_EXCEPTION_ROWS = 20


def exception_sections(report: dict) -> list[dict]:
    """Each exception list with its total and the rows the report holds (the longest-waiting first)."""
    sections = []
    for key in EXCEPTION_ORDER:
        data = report["exceptions"][key]
        rows = [{**row, "stage_label": labels.stage_label(row["stage"]),
                 "url": reverse("projects:project_detail", args=[row["project_id"]])} for row in data["rows"]]
        sections.append({"key": key, "title": ExceptionList(key).label, "months": data["months"], "rows": rows,
                         "total": data["total"], "more": data["total"] - len(rows),
                         "is_review": key == "overdue_reviews"})
    return sections


def restatement_rows(report: dict) -> list[dict]:
    return [{**r, "indicator_label": labels.indicator_label(r["indicator"]),
             "published": number_text(r["published_value"], BY_KEY[r["indicator"]].unit),
             "current": number_text(r["current_value"], BY_KEY[r["indicator"]].unit),
             "difference_text": _signed(r["difference"], BY_KEY[r["indicator"]].unit)}
            for r in report["restatements"]]


def dashboard_charts(report: dict, indicator: str) -> dict[str, str]:
    """The five charts as HTML fragments, each segment linked to its records."""
    year, month = report["period"]["year"], report["period"]["through_month"]
    d = BY_KEY[indicator]
    heading = labels.indicator_heading(indicator)
    months = report["breakdowns"]["month"]

    def as_number(value):
        return float(value) if d.is_money else value

    result = {"trend": charts.to_html(charts.trend(
        months=[labels.month_label(m["key"]) for m in months],
        this=[as_number(m["values"][indicator]) for m in months],
        last=[as_number(m["last_year"][indicator]) for m in months],
        this_urls=[records_url(indicator, year, month, in_month=m["key"]) for m in months],
        last_urls=[records_url(indicator, year - 1, month, in_month=m["key"]) for m in months],
        this_name=str(year), last_name=str(year - 1),
        title=_("%(indicator)s by month, against last year") % {"indicator": heading}), "chart-trend")}
    for dimension, chart_id in (("industry", "chart-industry"), ("origin", "chart-origin")):
        rows = sorted((r for r in report["breakdowns"][dimension] if r["values"][indicator]),
                      key=lambda r: r["values"][indicator], reverse=True)
        extra = (lambda r: {"origin_kind": r["group"]}) if dimension == "origin" else (lambda r: {})
        result[dimension] = charts.to_html(charts.split(
            labels=[labels.row_label(dimension, r) for r in rows],
            values=[as_number(r["values"][indicator]) for r in rows],
            urls=[records_url(indicator, year, month, **{FILTER_OF[dimension]: r["key"]}, **extra(r)) for r in rows],
            title=_("%(indicator)s by %(dimension)s") % {"indicator": heading,
                                                         "dimension": _dimension_title(dimension)}), chart_id)
    funnel = report["funnel"]
    result["funnel"] = charts.to_html(charts.funnel(
        stages=[labels.stage_label(s["stage"]) for s in funnel], counts=[s["projects"] for s in funnel],
        medians=[_("median %(days)s days") % {"days": s["median_days"]} if s["median_days"] is not None else "—"
                 for s in funnel],
        urls=[records_url("pipeline", year, month, stage=s["stage"]) for s in funnel],
        title=_("Pipeline at the cut-off, with the median days spent in each stage")), "chart-funnel")
    bureaus = report["turnaround"]
    result["turnaround"] = charts.to_html(charts.turnaround(
        bureaus=[b["bureau"] for b in bureaus],
        medians=[float(b["median_working_days"]) if b["median_working_days"] is not None else 0 for b in bureaus],
        hover=[_("answered %(n)s · on time %(rate)s · overdue now %(overdue)s") % {
            "n": b["answered"], "rate": percent_text(b["on_time_rate"]), "overdue": b["overdue_now"]}
            for b in bureaus],
        urls=[records_url("turnaround", year, month, bureau=b["bureau_id"]) for b in bureaus],
        title=_("Partner bureaus' sign-off turnaround")), "chart-turnaround")
    return result


def turnaround_rows(report: dict) -> list[dict]:
    return [{"bureau": b["bureau"], "answered": b["answered"],
             "median": b["median_working_days"] if b["median_working_days"] is not None else "—",
             "on_time": percent_text(b["on_time_rate"]), "overdue_now": b["overdue_now"]}
            for b in report["turnaround"]]


# What the dashboard keeps of a report: the words and flags its template reads (the exception lists are cut
# to their first rows; the full lists, the major projects and the records stay with the workbook and the API).
DASHBOARD_REPORT_KEYS = ("period", "published", "can_publish_period", "computed_at", "data_issues", "has_plan",
                         "briefing")


def dashboard_figures(period, indicator: str) -> dict:
    """Everything the dashboard shows of a period, computed from the records (then cached as it is: a few
    kilobytes of cards and rendered tables and charts, however many records there are)."""
    report = services.report_for_period(year=period.year, through_month=period.through_month,
                                        exception_rows=DASHBOARD_EXCEPTION_ROWS, major_projects=False)
    report["computed_at"] = timezone.now()
    figures = {
        "report": {key: report[key] for key in DASHBOARD_REPORT_KEYS}, "period": period,
        "title": prose.report_title(report["period"]),
        "cards": kpi_cards(report), "exceptions": exception_sections(report),
        "restatements": restatement_rows(report),
    }
    # The tables (one row per officer: hundreds at a province's scale) and the charts are kept as rendered HTML,
    # so a second look costs the page's frame only.
    html = render_to_string("reports/_dashboard_figures.html", {
        **figures, "tables": breakdown_tables(report), "charts": dashboard_charts(report, indicator),
        "turnaround_rows": turnaround_rows(report)})
    return {**figures, "figures_html": mark_safe(html)}  # noqa: S308 - our own template's output
