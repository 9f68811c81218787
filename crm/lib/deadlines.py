"""What a reminder sweep owes a dated obligation today: remind the day before, remind while overdue, escalate.

Review requests and investors' complaints share the rule of the bureau: a reminder on the working day before
the due date, a reminder on every working day the item is overdue, and after a number of overdue working days
the leaders are told. Pure module: dates in, a frozen answer out (working days from crm.lib.workdays); the
administrator's calendar days come from crm.calendar_days.calendar_overrides, passed in as keyword arguments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from crm.lib import workdays


@dataclass(frozen=True)
class SweepResult:
    """What one run of a reminder sweep sent: notifications newly stored for each kind of notice (a second run
    on the same day finds them stored already and counts nothing)."""

    due_tomorrow: int
    overdue: int
    escalated: int


@dataclass(frozen=True)
class Reminder:
    """Which notices are due today for one obligation."""

    due_tomorrow: bool
    overdue: bool
    escalate: bool
    late_working_days: int


def reminder_for(
    *,
    due_on: date,
    today: date,
    escalate_after: int,
    extra_holidays: Iterable[date] = frozenset(),
    extra_workdays: Iterable[date] = frozenset(),
) -> Reminder:
    """The notices owed today for something due on ``due_on``.

    "Due tomorrow" means the due date is the next working day (so a Friday reminds for a Monday due date);
    overdue means the due date has passed; escalation comes once ``escalate_after`` working days have passed
    since the due date.
    """
    overrides = {"extra_holidays": extra_holidays, "extra_workdays": extra_workdays}
    late = workdays.working_days_between(due_on, today, **overrides) if due_on < today else 0
    due_tomorrow = due_on > today and workdays.working_days_between(today, due_on, **overrides) == 1
    overdue = due_on < today
    return Reminder(due_tomorrow=due_tomorrow, overdue=overdue, escalate=overdue and late >= escalate_after,
                    late_working_days=late)
