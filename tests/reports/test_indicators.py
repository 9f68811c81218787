"""The pure arithmetic of the statistics: periods, growth, completion, months back, working-day positions."""

from datetime import date
from decimal import Decimal

import pytest

from reports.indicators import (
    PeriodError,
    completion,
    growth,
    make_period,
    months_before,
    number_text,
    percent_text,
)

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(("current", "previous", "expected"), [
    (3, 2, Decimal("0.500")),
    (21000, 11000, Decimal("0.909")),  # 0.90909… rounded to 0.1%
    (1, 4, Decimal("-0.750")),
    (5, 5, Decimal("0.000")),
    (7, 0, None),  # no base: shown "—"
    (0, 0, None),
])
def test_growth(current, previous, expected):
    assert growth(current, previous) == expected


@pytest.mark.parametrize(("actual", "target", "expected"), [
    (3, Decimal("10"), Decimal("0.300")), (12, Decimal("8"), Decimal("1.500")), (0, Decimal("5"), Decimal("0.000")),
    (3, None, None), (3, Decimal("0"), None),
])
def test_completion(actual, target, expected):
    assert completion(actual, target) == expected


@pytest.mark.parametrize(("year", "month", "cutoff", "complete"), [
    (2026, 10, date(2026, 10, 31), True),
    (2026, 11, TODAY, False),  # the running month is cut off today
    (2026, None, TODAY, False),  # this year without a month: January to now
    (2025, None, date(2025, 12, 31), True),  # a past year without a month: the whole year
    (2024, 2, date(2024, 2, 29), True),
])
def test_make_period(year, month, cutoff, complete):
    period = make_period(year, month, today=TODAY)
    assert (period.cutoff, period.is_complete, period.start) == (cutoff, complete, date(year, 1, 1))


@pytest.mark.parametrize(("year", "month"), [(2026, 0), (2026, 13), (2026, 12), (2027, None), (1999, 1)])
def test_make_period_refuses(year, month):
    with pytest.raises(PeriodError):
        make_period(year, month, today=TODAY)


def test_the_same_period_last_year_ends_on_the_same_day():
    assert make_period(2024, 2, today=TODAY).same_period_last_year().cutoff == date(2023, 2, 28)
    assert make_period(2026, 11, today=TODAY).same_period_last_year().cutoff == date(2025, 11, 27)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 10, 31), 3, date(2026, 7, 31)), (date(2026, 5, 31), 3, date(2026, 2, 28)),
    (date(2026, 1, 15), 1, date(2025, 12, 15)), (date(2026, 10, 31), 24, date(2024, 10, 31)),
])
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_text_of_figures():
    assert percent_text(Decimal("0.909")) == "90.9%"
    assert percent_text(None) == "—"
    assert number_text(Decimal("21000"), "wan") == "21,000.00"
    assert number_text(1234, "count") == "1,234"


def test_working_day_positions_match_working_days_between():
    from crm.lib.workdays import working_day_positions, working_days_between

    first, last = date(2026, 9, 25), date(2026, 10, 12)  # across the National Day holiday and its make-up days
    position = working_day_positions(first, last)
    for a, b in [(date(2026, 9, 25), date(2026, 10, 12)), (date(2026, 9, 30), date(2026, 10, 9)),
                 (date(2026, 10, 1), date(2026, 10, 8))]:
        assert position(b) - position(a) == working_days_between(a, b)
