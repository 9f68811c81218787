"""Working days as the district counts them: crm.lib.workdays corrected by the administrator's CalendarDay rows.

Every due date (review requests, complaints' answers, a lead's response clocks) and every reminder sweep reads
the administrator's holidays and make-up working days through ``calendar_overrides``, so a day entered in the
admin moves all of them alike.
"""

from __future__ import annotations

from datetime import date

from crm.lib import workdays
from crm.models import CalendarDay


def calendar_overrides() -> dict:
    """The administrator's holidays and make-up working days, as keyword arguments for crm.lib.workdays
    (one query; read it once per request or sweep and pass it on)."""
    holidays, workdays_ = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays_).add(day)
    return {"extra_holidays": holidays, "extra_workdays": workdays_}


def due_date(*, start: date, working_days: int, overrides: dict | None = None) -> workdays.WorkdayResult:
    """The date ``working_days`` working days after ``start`` (``start`` itself never counts)."""
    return workdays.add_working_days(start, working_days, **(overrides or calendar_overrides()))
