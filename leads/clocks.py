"""Response clocks: a lead must get a first response and an assessment (研判) within working days of arriving.

The number of working days comes from the administrator's ResponseClockRule rows (bigger leads may get longer);
working days are the district's (crm.calendar_days: crm.lib.workdays plus the administrator-entered CalendarDay
rows).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from crm.calendar_days import calendar_overrides, due_date
from leads.choices import ClockState
from leads.models import ResponseClockRule

# Used only when an administrator has deleted every rule: the bureau's usual 1 and 3 working days.
DEFAULT_FIRST_RESPONSE_DAYS = 1
DEFAULT_ASSESSMENT_DAYS = 3


@dataclass(frozen=True)
class Deadlines:
    first_response_due: date
    assessment_due: date
    warning: str = ""


def rule_for(investment_wan: Decimal | None) -> tuple[int, int]:
    """(first response days, assessment days) of the rule with the highest threshold not above the investment."""
    rule = (ResponseClockRule.objects.filter(min_investment_wan__lte=investment_wan or 0)
            .order_by("-min_investment_wan").first())
    if rule is None:
        return DEFAULT_FIRST_RESPONSE_DAYS, DEFAULT_ASSESSMENT_DAYS
    return rule.first_response_working_days, rule.assessment_working_days


def deadlines_for(*, received_on: date, investment_wan: Decimal | None) -> Deadlines:
    first_days, assessment_days = rule_for(investment_wan)
    overrides = calendar_overrides()
    first = due_date(start=received_on, working_days=first_days, overrides=overrides)
    assessment = due_date(start=received_on, working_days=assessment_days, overrides=overrides)
    return Deadlines(first.due, assessment.due, first.warning or assessment.warning)


def clock_state(*, due: date, done_on: date | None, today: date) -> str:
    """Met once done; green before the due day, yellow on it, red after it."""
    if done_on is not None:
        return ClockState.MET
    if today < due:
        return ClockState.GREEN
    if today == due:
        return ClockState.YELLOW
    return ClockState.RED
