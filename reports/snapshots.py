"""Published months: the figures a snapshot stores and how they read back, the records behind each published
figure, and the comparison that finds restatements.

Publishing a month and re-checking it are changes, in reports.services (``snapshot_publish``,
``snapshot_check_restatements``); this module holds what they store and compare.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from reports import selectors
from reports.indicators import BY_KEY, CAPITAL, INDICATORS, LEAD, PROJECT, Period
from reports.models import Restatement, Snapshot


def stored_figures(statistics: dict) -> dict:
    """The statistics as a snapshot stores them: JSON (Decimals and dates as text, keys as text)."""
    return json.loads(json.dumps(statistics, cls=DjangoJSONEncoder))


def _revive_values(values: dict) -> dict:
    return {k: (Decimal(v) if BY_KEY[k].is_money else int(v)) for k, v in values.items()}


def _revive_optional(value):
    return None if value is None else Decimal(value)


def published_statistics(period: Period) -> dict | None:
    """The published figures of a period, or None when its month has not been published."""
    snapshot = Snapshot.objects.filter(year=period.year, month=period.through_month).select_related(
        "published_by").first()
    return None if snapshot is None else statistics_from_snapshot(snapshot)


def statistics_from_snapshot(snapshot: Snapshot) -> dict:
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
    The records are the ones each indicator's rule picks (reports.indicators), one query per indicator.
    """
    records = {}
    for d in INDICATORS:
        rule = d.rule
        facts = selectors.facts_of(rule.fact, period).filter(selectors.fact_filter(rule))
        found = records[d.key] = {}
        if rule.fact == LEAD:
            for pk, title in facts.values_list("id", "title"):
                found[f"lead:{pk}"] = _record(title, reverse("leads:lead_detail", args=[pk]), 1)
        elif rule.fact == PROJECT:
            for pk, code, name in facts.values_list("id", "code", "name"):
                found[f"project:{pk}"] = _record(_project_label(code, name),
                                                 reverse("projects:project_detail", args=[pk]), 1)
        else:
            rows = facts.values_list("id", "project_id", "project__code", "project__name", "fact_date",
                                     rule.value or "id")
            for pk, project_id, code, name, day, value in rows:
                label = _project_label(code, name) + (f" · {day:%Y-%m-%d}" if rule.fact == CAPITAL else "")
                url = reverse("projects:project_detail", args=[project_id])
                found[f"{rule.fact}:{pk}"] = _record(label, url, value if rule.value else 1)
    return records


def restatements(snapshot: Snapshot, current: dict[str, dict[str, list]]) -> list[Restatement]:
    """The differences between a snapshot's published records and the records as they are now (``current``,
    from indicator_records): one unsaved Restatement per record whose value in a published figure differs."""
    found = []
    for indicator, published in snapshot.records.items():
        now = current.get(indicator, {})
        for key in published.keys() | now.keys():
            old = Decimal(published[key][2]) if key in published else Decimal(0)
            new = Decimal(now[key][2]) if key in now else Decimal(0)
            if old != new:
                label, url, _value = now.get(key) or published[key]
                found.append(Restatement(snapshot=snapshot, indicator=indicator, record_key=key,
                                         record_label=label[:200], record_url=url, published_value=old,
                                         current_value=new))
    return found


def restatements_of(*, year: int, through_month: int) -> list[Restatement]:
    """The restatements of the published month, by indicator and record."""
    return list(Restatement.objects.filter(snapshot__year=year, snapshot__month=through_month)
                .order_by("indicator", "record_key"))


def previous_month(today: date) -> tuple[int, int]:
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
