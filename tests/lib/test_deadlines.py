"""The bureau's reminder rule, shared by review requests and complaints: the working day before, every working day
overdue, the leaders after ESCALATE working days late. (December 2026: the 4th is a Friday, the 7th a Monday.)"""

from datetime import date

import pytest

from crm.lib.deadlines import Reminder, reminder_for

ESCALATE = 3
D = date


@pytest.mark.parametrize("due,today,holidays,expected,why", [
    (D(2026, 12, 7), D(2026, 12, 4), (), Reminder(True, False, False, 0), "Friday reminds for Monday"),
    (D(2026, 12, 8), D(2026, 12, 4), (), Reminder(False, False, False, 0), "two working days ahead: not yet"),
    (D(2026, 12, 8), D(2026, 12, 4), (D(2026, 12, 7),), Reminder(True, False, False, 0),
     "an administrator's holiday on Monday makes Tuesday the next working day"),
    (D(2026, 12, 7), D(2026, 12, 7), (), Reminder(False, False, False, 0), "due today: no notice"),
    (D(2026, 12, 7), D(2026, 12, 8), (), Reminder(False, True, False, 1), "one working day late"),
    (D(2026, 12, 7), D(2026, 12, 10), (), Reminder(False, True, True, 3), "three working days late: escalate"),
    (D(2026, 12, 4), D(2026, 12, 6), (), Reminder(False, True, False, 0), "a weekend adds no lateness"),
])
def test_the_notices_owed_today(due, today, holidays, expected, why):
    assert reminder_for(due_on=due, today=today, escalate_after=ESCALATE, extra_holidays=holidays) == expected, why
