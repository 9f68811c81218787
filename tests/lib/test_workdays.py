"""Working days: statutory holidays, make-up working days (调休), uncovered years and administrator dates."""

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest

from crm.lib.workdays import (
    WorkdayResult,
    add_working_days,
    calendar_covers_year,
    fallback_years_between,
    is_working_day,
    package_covers_year,
    working_days_between,
)

D = date.fromisoformat

# The last year the installed chinesecalendar knows, and the first it does not: computed, so the tests keep
# meaning the same thing when the package is upgraded.
LAST_COVERED = max(d.year for d in chinese_calendar.holidays)
UNCOVERED = LAST_COVERED + 1
FAR_FUTURE = 2199


def _first_weekday_on_or_after(d: date, weekday: int) -> date:
    return d + timedelta(days=(weekday - d.weekday()) % 7)


# --- known facts, from the State Council notices (国务院办公厅关于部分节假日安排的通知, 2025 and 2026) ---

KNOWN_DAYS = [
    # Spring Festival 2025: 1/28-2/4 off; Sunday 1/26 and Saturday 2/8 worked.
    ("2025-01-26", True, "Sunday, make-up working day before Spring Festival 2025"),
    ("2025-01-27", True, "Monday before the holiday"),
    ("2025-01-28", False, "New Year's Eve, holiday"),
    ("2025-01-29", False, "Spring Festival"),
    ("2025-02-04", False, "last day of the Spring Festival holiday"),
    ("2025-02-05", True, "first day back"),
    ("2025-02-08", True, "Saturday, make-up working day after Spring Festival 2025"),
    ("2025-02-09", False, "ordinary Sunday"),
    # Labour Day 2025: 5/1-5/5 off; Sunday 4/27 worked.
    ("2025-04-27", True, "Sunday, make-up working day before Labour Day 2025"),
    ("2025-05-05", False, "Monday inside the Labour Day holiday"),
    # National Day and Mid-Autumn 2025: 10/1-10/8 off; Sunday 9/28 and Saturday 10/11 worked.
    ("2025-09-28", True, "Sunday, make-up working day before National Day 2025"),
    ("2025-09-30", True, "Tuesday before National Day"),
    ("2025-10-01", False, "National Day"),
    ("2025-10-06", False, "Mid-Autumn Festival, inside the National Day holiday"),
    ("2025-10-08", False, "last day of the National Day holiday, a Wednesday"),
    ("2025-10-09", True, "first day back"),
    ("2025-10-11", True, "Saturday, make-up working day after National Day 2025"),
    ("2025-10-12", False, "ordinary Sunday"),
    # Spring Festival 2026: 2/15-2/23 off; Saturdays 2/14 and 2/28 worked.
    ("2026-02-13", True, "Friday before the make-up Saturday"),
    ("2026-02-14", True, "Saturday, make-up working day before Spring Festival 2026"),
    ("2026-02-15", False, "first day of the Spring Festival 2026 holiday, a Sunday"),
    ("2026-02-17", False, "Spring Festival 2026"),
    ("2026-02-23", False, "last day of the Spring Festival 2026 holiday, a Monday"),
    ("2026-02-24", True, "first day back"),
    ("2026-02-28", True, "Saturday, make-up working day after Spring Festival 2026"),
    # Ordinary weeks.
    ("2025-03-07", True, "ordinary Friday"),
    ("2025-03-08", False, "ordinary Saturday"),
    ("2025-03-09", False, "ordinary Sunday"),
]


@pytest.mark.parametrize(("day", "working", "why"), KNOWN_DAYS, ids=[row[0] for row in KNOWN_DAYS])
def test_known_holidays_and_make_up_days(day, working, why):
    assert is_working_day(D(day)) is working, why


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_of_a_covered_year_agrees_with_the_package(year):
    day = date(year, 1, 1)
    while day.year == year:
        assert is_working_day(day) is chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("Spring Festival", "2025-01-28", "2025-02-04"),
        ("National Day", "2025-10-01", "2025-10-08"),
        ("Spring Festival", "2026-02-15", "2026-02-23"),
    ],
)
def test_holiday_spans_reported_by_the_package_are_not_working_days(name, first, last):
    day = D(first)
    while day <= D(last):
        on_holiday, holiday_name = chinese_calendar.get_holiday_detail(day)
        assert on_holiday and holiday_name is not None, (name, day)
        assert not is_working_day(day), (name, day)
        day += timedelta(days=1)


def test_make_up_days_of_the_package_are_working_days_even_on_weekends():
    make_up = [d for d in chinese_calendar.workdays if d.year in (2025, 2026)]
    assert {D("2025-01-26"), D("2025-02-08"), D("2025-09-28"), D("2025-10-11"), D("2026-02-14"),
            D("2026-02-28")} <= set(make_up)
    for day in make_up:
        assert day.weekday() >= 5, day
        assert is_working_day(day), day


# --- due dates -------------------------------------------------------------------------------------------

DUE_DATES = [
    # start, n, due, why
    ("2025-03-07", 1, "2025-03-10", "Friday + 1 skips an ordinary weekend"),
    ("2025-03-03", 5, "2025-03-10", "Monday + 5 is the next Monday"),
    ("2025-01-24", 1, "2025-01-26", "Friday + 1 lands on the make-up Sunday"),
    ("2025-01-24", 5, "2025-02-07", "due in 5 working days across Spring Festival 2025"),
    ("2025-01-27", 1, "2025-02-05", "the whole Spring Festival 2025 holiday is skipped"),
    ("2025-02-07", 1, "2025-02-08", "Friday + 1 lands on the make-up Saturday"),
    ("2025-02-07", 2, "2025-02-10", "then the ordinary Sunday is skipped"),
    ("2025-09-26", 1, "2025-09-28", "Friday + 1 lands on the make-up Sunday before National Day"),
    ("2025-09-30", 1, "2025-10-09", "the eight days of National Day 2025 are skipped"),
    ("2025-09-30", 3, "2025-10-11", "the third working day after is the make-up Saturday"),
    ("2025-09-26", 5, "2025-10-10", "due in 5 working days across National Day 2025"),
    ("2025-10-03", 1, "2025-10-09", "counting from inside a holiday"),
    ("2026-02-13", 1, "2026-02-14", "Friday + 1 lands on the make-up Saturday before Spring Festival 2026"),
    ("2026-02-14", 1, "2026-02-24", "the nine days of Spring Festival 2026 are skipped"),
    ("2026-02-12", 5, "2026-02-26", "due in 5 working days across Spring Festival 2026"),
    ("2026-02-27", 1, "2026-02-28", "Friday + 1 lands on the make-up Saturday after Spring Festival 2026"),
    ("2025-12-30", 3, "2026-01-05", "New Year 2026: 1/1-1/3 off, Sunday 1/4 worked"),
    ("2025-10-03", 0, "2025-10-03", "zero working days is the start itself, even on a holiday"),
    ("2025-02-05", -1, "2025-01-27", "counting back across Spring Festival 2025"),
    ("2025-10-09", -1, "2025-09-30", "counting back across National Day 2025"),
    ("2025-02-10", -2, "2025-02-07", "counting back meets the make-up Saturday"),
]


@pytest.mark.parametrize(("start", "n", "due", "why"), DUE_DATES, ids=[f"{r[0]}{r[1]:+d}" for r in DUE_DATES])
def test_due_dates(start, n, due, why):
    result = add_working_days(D(start), n)
    assert result == WorkdayResult(due=D(due), fallback_years=frozenset()), why
    assert not result.used_fallback
    assert result.warning == ""


@pytest.mark.parametrize("start", ["2025-01-20", "2025-04-25", "2025-09-22", "2026-02-09", "2026-09-21"])
@pytest.mark.parametrize("n", [1, 2, 3, 5, 10, 15])
def test_due_date_is_the_nth_working_day_listed_by_the_package(start, n):
    start = D(start)
    workdays = chinese_calendar.get_workdays(start + timedelta(days=1), start + timedelta(days=60))
    assert add_working_days(start, n).due == workdays[n - 1]


# --- counting ----------------------------------------------------------------------------------------------

BETWEEN = [
    # a, b, count, why
    ("2025-03-10", "2025-03-10", 0, "the same day"),
    ("2025-03-07", "2025-03-09", 0, "due on Friday, seen on Sunday: not overdue yet"),
    ("2025-03-07", "2025-03-10", 1, "due on Friday, seen on Monday: overdue by 1"),
    ("2025-01-24", "2025-02-07", 5, "across Spring Festival 2025 with the make-up Sunday"),
    ("2025-01-27", "2025-02-04", 0, "only holidays in between"),
    ("2025-01-27", "2025-02-05", 1, "first day back"),
    ("2025-09-30", "2025-10-08", 0, "National Day 2025 holiday only"),
    ("2025-09-30", "2025-10-11", 3, "9, 10 and the make-up Saturday 11 October"),
    ("2026-02-13", "2026-02-28", 6, "2/14, 2/24-2/27 and the make-up Saturday 2/28"),
    ("2025-03-10", "2025-03-07", -1, "b before a is negative: Monday back to Friday counts Monday"),
    ("2025-02-07", "2025-01-24", -5, "negative across Spring Festival 2025"),
    ("2025-03-09", "2025-03-07", 0, "Sunday back to Friday: nothing after Friday up to Sunday"),
]


@pytest.mark.parametrize(("a", "b", "count", "why"), BETWEEN, ids=[f"{r[0]}..{r[1]}" for r in BETWEEN])
def test_working_days_between(a, b, count, why):
    assert working_days_between(D(a), D(b)) == count, why


@pytest.mark.parametrize("a", ["2025-01-20", "2025-09-24", "2026-02-11"])
@pytest.mark.parametrize("b", ["2025-01-26", "2025-02-14", "2025-10-20", "2026-03-02"])
def test_counting_is_antisymmetric(a, b):
    assert working_days_between(D(a), D(b)) == -working_days_between(D(b), D(a))


@pytest.mark.parametrize("start", ["2025-01-24", "2025-01-26", "2025-09-28", "2026-02-14", "2025-12-31"])
@pytest.mark.parametrize("n", [-7, -3, -1, 0, 1, 2, 5, 8, 20])
def test_adding_then_counting_gives_back_n_from_a_working_day(start, n):
    start = D(start)
    assert is_working_day(start)
    assert working_days_between(start, add_working_days(start, n).due) == n


# --- years the package does not cover ---------------------------------------------------------------------


def test_package_coverage_is_detected():
    assert package_covers_year(2025)
    assert package_covers_year(2026)
    assert not package_covers_year(UNCOVERED)
    assert not package_covers_year(FAR_FUTURE)


@pytest.mark.parametrize("year", [UNCOVERED, FAR_FUTURE])
def test_an_uncovered_year_counts_weekdays_and_warns(year):
    friday = _first_weekday_on_or_after(date(year, 3, 1), 4)
    result = add_working_days(friday, 1)
    assert result.due == friday + timedelta(days=3)
    assert result.fallback_years == frozenset({year})
    assert result.used_fallback
    assert str(year) in result.warning
    assert not is_working_day(friday + timedelta(days=1))
    assert working_days_between(friday, friday + timedelta(days=7)) == 5
    assert fallback_years_between(friday, friday + timedelta(days=7)) == frozenset({year})


def test_an_uncovered_year_knows_no_holidays_without_the_administrator():
    # Weekdays only: 1 October of an uncovered year counts as a working day when it falls on a weekday.
    first_weekday_october = next(
        date(y, 10, 1) for y in range(UNCOVERED, UNCOVERED + 7) if date(y, 10, 1).weekday() < 5
    )
    assert is_working_day(first_weekday_october)


def test_a_count_running_into_an_uncovered_year_names_only_that_year():
    result = add_working_days(date(LAST_COVERED, 12, 24), 15)
    assert result.due.year == UNCOVERED
    assert result.fallback_years == frozenset({UNCOVERED})
    assert fallback_years_between(date(LAST_COVERED, 1, 1), result.due) == frozenset({UNCOVERED})


def test_a_count_inside_covered_years_has_no_fallback():
    assert fallback_years_between(D("2025-01-01"), D("2026-12-31")) == frozenset()
    assert add_working_days(date(LAST_COVERED, 12, 1), 5).fallback_years == frozenset()


# --- administrator dates ---------------------------------------------------------------------------------


def _national_day_week(year):
    holidays = frozenset(date(year, 10, d) for d in range(1, 8))
    # The Saturday after the week is worked, as the State Council usually arranges.
    make_up = frozenset({_first_weekday_on_or_after(date(year, 10, 8), 5)})
    return holidays, make_up


def test_administrator_dates_make_an_uncovered_year_known():
    holidays, make_up = _national_day_week(UNCOVERED)
    last_september_working_day = add_working_days(date(UNCOVERED, 10, 1), -1).due
    result = add_working_days(
        last_september_working_day, 1, extra_holidays=holidays, extra_workdays=make_up
    )
    assert result.due == next(
        d for d in (date(UNCOVERED, 10, 8) + timedelta(days=i) for i in range(7))
        if d.weekday() < 5 or d in make_up
    )
    assert result.fallback_years == frozenset()
    assert calendar_covers_year(UNCOVERED, extra_holidays=holidays)
    assert not calendar_covers_year(UNCOVERED)
    for day in holidays:
        assert not is_working_day(day, extra_holidays=holidays, extra_workdays=make_up)
    for day in make_up:
        assert day.weekday() == 5
        assert is_working_day(day, extra_holidays=holidays, extra_workdays=make_up)


def test_administrator_dates_for_another_year_do_not_cover_the_uncovered_one():
    friday = _first_weekday_on_or_after(date(UNCOVERED, 3, 1), 4)
    result = add_working_days(friday, 1, extra_holidays={D("2025-03-10")})
    assert result.fallback_years == frozenset({UNCOVERED})


@pytest.mark.parametrize(
    ("start", "n", "holidays", "workdays", "due"),
    [
        # A local closure on an ordinary Monday pushes the due date.
        ("2025-03-07", 1, {"2025-03-10"}, set(), "2025-03-11"),
        # A correction that makes the last holiday of National Day a working day.
        ("2025-09-30", 1, set(), {"2025-10-08"}, "2025-10-08"),
        # A make-up Saturday cancelled by the administrator.
        ("2025-02-07", 1, {"2025-02-08"}, set(), "2025-02-10"),
    ],
)
def test_administrator_dates_take_precedence_over_the_package(start, n, holidays, workdays, due):
    result = add_working_days(
        D(start), n, extra_holidays={D(d) for d in holidays}, extra_workdays={D(d) for d in workdays}
    )
    assert result.due == D(due)
    assert result.fallback_years == frozenset()


def test_administrator_dates_may_be_any_iterable():
    holidays = (D(d) for d in ["2025-03-10", "2025-03-11"])
    assert add_working_days(D("2025-03-07"), 1, extra_holidays=holidays).due == D("2025-03-12")
    days = (D(d) for d in ["2026-03-02"])
    assert calendar_covers_year(UNCOVERED, extra_workdays=days) is False


def test_a_date_cannot_be_both_holiday_and_working_day():
    with pytest.raises(ValueError, match="2025-03-10"):
        add_working_days(
            D("2025-03-07"), 1, extra_holidays={D("2025-03-10")}, extra_workdays={D("2025-03-10")}
        )


@pytest.mark.parametrize("bad", [datetime(2025, 3, 7, 23, 30), "2025-03-07", None])
def test_only_dates_are_accepted(bad):
    with pytest.raises(TypeError):
        add_working_days(bad, 1)
    with pytest.raises(TypeError):
        is_working_day(bad)


@pytest.mark.parametrize("bad", [1.0, "1", True])
def test_n_must_be_an_integer(bad):
    with pytest.raises(TypeError):
        add_working_days(D("2025-03-07"), bad)
