"""Template tags of the reports app that other apps' pages include."""

from django import template
from django.utils import timezone

from reports import services
from reports.indicators import BY_KEY, number_text, percent_text

register = template.Library()


@register.inclusion_tag("reports/_officer_progress.html")
def officer_progress(user):
    """The officer's own progress against their targets of this year's work plan (nothing without targets).

    One query for the targets, then one aggregate query per kind of fact the targets need (at most four)."""
    today = timezone.localdate()
    rows = []
    for row in services.officer_progress(user=user, today=today):
        d = BY_KEY[row["key"]]
        ratio = row["completion"] or 0
        rows.append({"label": d.label, "unit": d.unit_label, "actual": number_text(row["actual"], d.unit),
                     "target": number_text(row["target"], d.unit), "completion": percent_text(row["completion"]),
                     "width": min(100, int(ratio * 100))})
    return {"rows": rows, "year": today.year}
