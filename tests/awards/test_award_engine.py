"""The award engine, shape by shape, with every figure worked out by hand in the table beside it.

Amounts in the tables are written in 万元 where people would (``wan(...)``) and expected awards in 元.
"""

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from awards.engine import (
    Base,
    Beneficiary,
    Bonus,
    Bracket,
    CapKind,
    Caps,
    Clause,
    Eligibility,
    Facts,
    FlagCondition,
    Instalment,
    InvalidPolicy,
    Minimum,
    MoneyRecord,
    Policy,
    Shape,
    Status,
    Threshold,
    Unit,
    YearRate,
    compute,
    industry_matches,
    result_as_data,
    split_instalments,
)
from awards.policy_file import read_policy_file

POLICIES = Path(__file__).resolve().parents[2] / "awards" / "policies"
D = Decimal


def yuan_of_wan(amount) -> Decimal:
    return D(str(amount)) * 10_000


def wan(*amounts) -> tuple[MoneyRecord, ...]:
    """Amount-fact records in 万元, the unit people type."""
    return tuple(MoneyRecord(D(str(amount)), Unit.WAN_YUAN) for amount in amounts)


def by_year_wan(**years) -> dict[int, Decimal]:
    """A yearly fact from keyword arguments y0=..., y1=... in 万元, kept in 元."""
    return {int(name[1:]): yuan_of_wan(amount) for name, amount in years.items()}


def at_least(amount_wan) -> Threshold:
    return Threshold(yuan_of_wan(amount_wan), inclusive=True)


def over(amount_wan) -> Threshold:
    return Threshold(yuan_of_wan(amount_wan), inclusive=False)


at_most = at_least  # as upper bounds: 以下/以内 include the number ...
under = over  # ... and 不满 excludes it


def clause(**fields) -> Clause:
    defaults = dict(
        key="award",
        title="奖励",
        beneficiary=Beneficiary.ENTERPRISE,
        base=Base.CAPITAL_IN_PLACE,
        shape=Shape.FLAT,
    )
    return Clause(**{**defaults, **fields})


def policy(*clauses: Clause, project_cap=None) -> Policy:
    return Policy(
        key="test",
        title="测试政策",
        effective_from=date(2024, 1, 1),
        clauses=clauses,
        project_cap=project_cap,
    )


def award(*clauses: Clause, project_cap=None, **facts):
    return compute(policy(*clauses, project_cap=project_cap), Facts(**facts))


def amounts(result) -> list[Decimal]:
    return [line.amount for line in result.lines]


# --- flat rate -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "rate", "expected"),
    [
        (wan("123.45"), "0.02", "24690.00"),  # 1,234,500 × 2% = 24,690
        ((MoneyRecord(D("2.5"), Unit.YUAN),), "0.01", "0.03"),  # 0.025 rounds half up, not to even
        ((MoneyRecord(D("1.5"), Unit.YUAN),), "0.01", "0.02"),  # 0.015 → 0.02
        (wan(0), "0.02", "0.00"),
    ],
)
def test_flat_rate_is_applied_to_the_whole_base_and_rounded_half_up(base, rate, expected):
    result = award(clause(rate=D(rate)), capital_in_place=base)

    assert result.total == D(expected)


def test_a_zero_base_means_nothing_is_due_yet():
    result = award(clause(rate=D("0.02")), capital_in_place=wan(0))

    assert result.outcome("award").status is Status.NOTHING_DUE


# --- marginal brackets -----------------------------------------------------------------------------

SANYA_LIKE_BRACKETS = (
    Bracket(upper=at_most(5000), rate=D("0.01")),  # 5,000万元以内: 1%
    Bracket(lower=over(5000), upper=at_most(20000), rate=D("0.02")),  # 超过5,000万元至2亿元: 2%
    Bracket(lower=over(20000), rate=D("0.03")),  # 超过2亿元: 3%
)


@pytest.mark.parametrize(
    ("paid_in_wan", "expected"),
    [
        (4000, "400000.00"),  # 4,000万 × 1% = 40万
        (5000, "500000.00"),  # exactly on the boundary: 5,000万 × 1% = 50万, nothing at 2%
        ("5000.0001", "500000.02"),  # one 元 above: 50万 + 1 × 2% = 500,000.02
        (20000, "3500000.00"),  # 50万 + 1.5亿 × 2% (300万) = 350万
        (30000, "6500000.00"),  # 350万 + 1亿 × 3% (300万) = 650万
    ],
)
def test_marginal_brackets_rate_each_part_of_the_base(paid_in_wan, expected):
    result = award(
        clause(base=Base.PAID_IN_REGISTERED_CAPITAL, shape=Shape.MARGINAL, brackets=SANYA_LIKE_BRACKETS),
        paid_in_registered_capital=wan(paid_in_wan),
    )

    assert result.total == D(expected)


def test_marginal_line_shows_each_bracket_with_its_part_rate_and_amount():
    result = award(
        clause(base=Base.PAID_IN_REGISTERED_CAPITAL, shape=Shape.MARGINAL, brackets=SANYA_LIKE_BRACKETS),
        paid_in_registered_capital=wan(10000),
    )

    (line,) = result.lines
    parts = [(p.part, p.bracket.rate, p.amount) for p in line.brackets]
    assert parts == [
        (yuan_of_wan(5000), D("0.01"), D(500_000)),
        (yuan_of_wan(5000), D("0.02"), D(1_000_000)),
        (D(0), D("0.03"), D(0)),
    ]
    assert line.base.value == D(100_000_000)
    assert line.base.source == "paid_in_registered_capital: 1 record(s)"


# --- step brackets (with the cliff) ----------------------------------------------------------------

STEP_AT_LEAST = (
    Bracket(upper=under(5000), rate=D("0.01")),  # 不满5,000万元: 1% of the whole base
    Bracket(lower=at_least(5000), upper=under(20000), rate=D("0.02")),  # 5,000万元以上不满2亿元: 2%
    Bracket(lower=at_least(20000), rate=D("0.03")),  # 2亿元以上: 3%
)
STEP_AT_MOST = (
    Bracket(upper=at_most(5000), rate=D("0.01")),  # 5,000万元以下: 1%
    Bracket(lower=over(5000), rate=D("0.02")),  # 超过5,000万元: 2%
)
STEP_FIXED_SUMS = (
    Bracket(upper=under(20000), amount=D(50_000)),  # 2亿元(不含)以内: 5万元
    Bracket(lower=at_least(20000), upper=under(100000), amount=D(100_000)),  # 2亿元(含)至10亿元(不含): 10万元
    Bracket(lower=at_least(100000), amount=D(200_000)),  # 10亿元(含)以上: 20万元
)


@pytest.mark.parametrize(
    ("brackets", "base_wan", "expected"),
    [
        (STEP_AT_LEAST, "4999.99", "499999.00"),  # 49,999,900 × 1%
        (STEP_AT_LEAST, 5000, "1000000.00"),  # the cliff: 5,000万 is 以上, the whole base at 2%
        (STEP_AT_LEAST, 15000, "3000000.00"),  # 1.5亿 × 2%
        (STEP_AT_LEAST, 20000, "6000000.00"),  # 2亿 × 3%
        (STEP_AT_MOST, 5000, "500000.00"),  # 以下 keeps 5,000万 in the lower bracket: × 1%
        (STEP_AT_MOST, "5000.0001", "1000000.02"),  # 50,000,001 × 2%
        (STEP_FIXED_SUMS, "19999.99", "50000.00"),
        (STEP_FIXED_SUMS, 20000, "100000.00"),  # 2亿元(含)
        (STEP_FIXED_SUMS, 100000, "200000.00"),  # 10亿元(含)
    ],
)
def test_step_brackets_give_the_whole_base_the_rate_of_its_bracket(brackets, base_wan, expected):
    result = award(clause(shape=Shape.STEP, brackets=brackets), capital_in_place=wan(base_wan))

    assert result.total == D(expected)


def test_step_line_names_only_the_bracket_the_base_falls_in():
    result = award(clause(shape=Shape.STEP, brackets=STEP_AT_LEAST), capital_in_place=wan(5000))

    (line,) = result.lines
    assert [(p.bracket, p.part) for p in line.brackets] == [(STEP_AT_LEAST[1], yuan_of_wan(5000))]


def test_a_base_below_the_first_step_earns_nothing():
    brackets = (Bracket(lower=at_least(1000), rate=D("0.01")),)

    result = award(clause(shape=Shape.STEP, brackets=brackets), capital_in_place=wan(999))

    assert result.total == 0
    assert result.lines[0].brackets == ()
    assert result.outcome("award").status is Status.NOTHING_DUE


# --- fixed amount at a threshold -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "base_wan", "expected", "met"),
    [
        (at_least(10000), 10000, "200000.00", True),  # 1亿元以上 includes 1亿
        (at_least(10000), "9999.99", "0.00", False),
        (over(10000), 10000, "0.00", False),  # 超过1亿元 excludes 1亿 itself
        (over(10000), "10000.0001", "200000.00", True),  # 1亿 and one 元
    ],
)
def test_fixed_amount_is_paid_once_the_threshold_is_met(threshold, base_wan, expected, met):
    fixed = clause(shape=Shape.FIXED, amount=D(200_000), threshold=threshold)

    result = award(fixed, capital_in_place=wan(base_wan))

    assert result.total == D(expected)
    assert result.lines[0].threshold_met is met


def test_a_fixed_sum_needs_no_project_figure():
    fixed = clause(base=Base.FIXED_SUM, shape=Shape.FIXED, amount=D(2_000_000))

    result = award(fixed)

    assert result.total == D("2000000.00")
    assert result.complete


# --- schedule by year ------------------------------------------------------------------------------

SEVENTY_THEN_FORTY = (YearRate(1, 3, D("0.70")), YearRate(4, 5, D("0.40")))


def test_schedule_takes_each_years_rate_and_ignores_years_outside_it():
    contribution = clause(
        base=Base.LOCAL_FISCAL_CONTRIBUTION, shape=Shape.SCHEDULE, schedule=SEVENTY_THEN_FORTY
    )

    result = award(
        contribution,
        local_fiscal_contribution=by_year_wan(y0=80, y1=100, y2=200, y3=50, y4=100, y5=80, y6=90),
    )

    # Years 1-3 at 70%: 70, 140, 35万; years 4-5 at 40%: 40, 32万; year 0 and year 6 are outside the schedule.
    assert [(line.year, line.rate, line.amount) for line in result.lines] == [
        (1, D("0.70"), D(700_000)),
        (2, D("0.70"), D(1_400_000)),
        (3, D("0.70"), D(350_000)),
        (4, D("0.40"), D(400_000)),
        (5, D("0.40"), D(320_000)),
    ]
    assert result.total == D("3170000.00")


def test_an_increase_over_the_year_before_is_floored_at_zero():
    increase = clause(
        base=Base.LOCAL_FISCAL_CONTRIBUTION_INCREASE,
        shape=Shape.SCHEDULE,
        schedule=(YearRate(1, 5, D("0.60")),),
    )

    result = award(increase, local_fiscal_contribution=by_year_wan(y0=100, y1=150, y2=120, y3=200))

    # Year 1: 150 - 100 = 50万 × 60% = 30万. Year 2: 120 - 150 = -30万, floored to 0.
    # Year 3: 200 - 120 = 80万 × 60% = 48万.
    assert [(line.year, line.base.value, line.amount) for line in result.lines] == [
        (1, D(500_000), D(300_000)),
        (2, D(0), D(0)),
        (3, D(800_000), D(480_000)),
    ]
    assert result.total == D("780000.00")


def test_an_increase_without_the_year_before_names_the_missing_year():
    increase = clause(
        base=Base.LOCAL_FISCAL_CONTRIBUTION_INCREASE,
        shape=Shape.SCHEDULE,
        schedule=(YearRate(1, 5, D("0.60")),),
    )

    result = award(increase, local_fiscal_contribution=by_year_wan(y1=150, y2=120))

    assert result.outcome("award").status is Status.MISSING_FACTS
    assert result.missing_facts == ("local_fiscal_contribution[0]",)
    assert result.total == 0


def test_the_total_is_the_sum_of_the_rounded_lines():
    rent = clause(base=Base.RENT, shape=Shape.SCHEDULE, schedule=(YearRate(1, 2, D("0.5")),))

    result = award(rent, rent={1: D("0.01"), 2: D("0.01")})

    # Each year: 0.01 × 50% = 0.005, rounded half up to 0.01; the total is 0.02, not round(0.01) = 0.01.
    assert amounts(result) == [D("0.01"), D("0.01")]
    assert result.total == D("0.02")


# --- bonus -----------------------------------------------------------------------------------------

HIGH_TECH_BONUS = Bonus(rate=D("0.10"), when="is_high_tech")


@pytest.mark.parametrize(
    ("is_high_tech", "expected"),
    [
        (True, "1100000.00"),  # 1亿 × 1% = 100万, +10% = 110万
        (False, "1000000.00"),
    ],
)
def test_bonus_multiplies_a_qualifying_projects_award(is_high_tech, expected):
    result = award(
        clause(rate=D("0.01"), bonus=HIGH_TECH_BONUS), capital_in_place=wan(10000), is_high_tech=is_high_tech
    )

    assert result.total == D(expected)


def test_bonus_is_added_before_the_cap():
    capped = clause(rate=D("0.01"), bonus=HIGH_TECH_BONUS, caps=Caps(total=D(1_050_000)))

    result = award(capped, capital_in_place=wan(10000), is_high_tech=True)

    (line,) = result.lines
    assert line.bonus.amount == D(100_000)
    assert line.computed == D(1_100_000)
    assert line.amount == D(1_050_000)


def test_bonus_condition_unknown_is_a_missing_fact():
    result = award(clause(rate=D("0.01"), bonus=HIGH_TECH_BONUS), capital_in_place=wan(10000))

    assert result.missing_facts == ("is_high_tech",)


# --- caps ------------------------------------------------------------------------------------------


def test_cap_per_year_holds_each_year_including_one_exactly_on_the_cap():
    rent = clause(
        base=Base.RENT,
        shape=Shape.SCHEDULE,
        schedule=(YearRate(1, 5, D("0.5")),),
        caps=Caps(per_year=D(1_200_000)),
    )

    result = award(rent, rent=by_year_wan(y1=240, y2=300, y3=100))

    # 240万 × 50% = 120万, exactly the cap; 300万 × 50% = 150万, held to 120万; 100万 × 50% = 50万.
    assert amounts(result) == [D(1_200_000), D(1_200_000), D(500_000)]
    first, second, third = result.lines
    assert [(c.kind, c.before, c.after) for c in first.caps] == [
        (CapKind.PER_YEAR, D(1_200_000), D(1_200_000))
    ]
    assert [(c.kind, c.before, c.after) for c in second.caps] == [
        (CapKind.PER_YEAR, D(1_500_000), D(1_200_000))
    ]
    assert third.caps == ()
    assert result.total == D("2900000.00")


def test_cap_per_clause_pays_the_earlier_years_first():
    contribution = clause(
        base=Base.LOCAL_FISCAL_CONTRIBUTION,
        shape=Shape.SCHEDULE,
        schedule=SEVENTY_THEN_FORTY,
        caps=Caps(total=D(2_000_000)),
    )

    result = award(contribution, local_fiscal_contribution=by_year_wan(y1=100, y2=200, y3=50))

    # 70 + 140 + 35 = 245万 against a 200万 cap: year 2 gets the 130万 left, year 3 nothing.
    assert amounts(result) == [D(700_000), D(1_300_000), D(0)]
    assert result.total == D("2000000.00")


def test_cap_per_project_spans_clauses_in_policy_order():
    first = clause(key="capital", rate=D("0.01"))
    second = clause(key="purchase", base=Base.PURCHASE_PRICE, rate=D("0.10"))

    result = award(
        first, second, project_cap=D(1_000_000), capital_in_place=wan(8000), purchase_price=wan(500)
    )

    # 8,000万 × 1% = 80万, then 500万 × 10% = 50万, of which 20万 fits under the 100万 project cap.
    assert [(o.clause, o.amount) for o in result.clauses] == [
        ("capital", D(800_000)),
        ("purchase", D(200_000)),
    ]
    assert (result.project_cap.before, result.project_cap.after) == (D(1_300_000), D(1_000_000))
    assert result.total == D("1000000.00")


# --- eligibility -----------------------------------------------------------------------------------


def _eligible(eligibility: Eligibility, **facts):
    return award(clause(rate=D("0.01"), eligibility=eligibility), capital_in_place=wan(10000), **facts)


@pytest.mark.parametrize(
    ("eligibility", "facts", "failed"),
    [
        # minimum investment: 5,000万元以上 includes 5,000万, 超过5,000万元 does not
        (
            Eligibility(minimums=(Minimum("total_investment", at_least(5000)),)),
            {"total_investment": wan(5000)},
            None,
        ),
        (
            Eligibility(minimums=(Minimum("total_investment", at_least(5000)),)),
            {"total_investment": wan("4999.9999")},
            "eligibility.minimums[0]",
        ),
        (
            Eligibility(minimums=(Minimum("total_investment", over(5000)),)),
            {"total_investment": wan(5000)},
            "eligibility.minimums[0]",
        ),
        (
            Eligibility(minimums=(Minimum("total_investment", over(5000)),)),
            {"total_investment": wan("5000.0001")},
            None,
        ),
        # industry in a list: a section letter or leading class digits
        (Eligibility(industries=("M", "65")), {"industry": "M7320"}, None),
        (Eligibility(industries=("M", "65")), {"industry": "I6510"}, None),
        (Eligibility(industries=("M", "65")), {"industry": "K7010"}, "eligibility.industries"),
        (Eligibility(excluded_industries=("K",)), {"industry": "K7010"}, "eligibility.excluded_industries"),
        # registered in the district; not real estate
        (
            Eligibility(flags=(FlagCondition("registered_in_district", True),)),
            {"registered_in_district": True},
            None,
        ),
        (
            Eligibility(flags=(FlagCondition("registered_in_district", True),)),
            {"registered_in_district": False},
            "eligibility.flags.registered_in_district",
        ),
        (
            Eligibility(flags=(FlagCondition("is_real_estate", False),)),
            {"is_real_estate": True},
            "eligibility.flags.is_real_estate",
        ),
        # within N years of signing: 3年以内 includes 3, 不满3年 does not
        (
            Eligibility(years_since_signing=Threshold(D(3), inclusive=True)),
            {"years_since_signing": D(3)},
            None,
        ),
        (
            Eligibility(years_since_signing=Threshold(D(3), inclusive=True)),
            {"years_since_signing": D("3.5")},
            "eligibility.years_since_signing",
        ),
        (
            Eligibility(years_since_signing=Threshold(D(3), inclusive=False)),
            {"years_since_signing": D(3)},
            "eligibility.years_since_signing",
        ),
        (
            Eligibility(years_since_signing=Threshold(D(3), inclusive=False)),
            {"years_since_signing": D("2.9")},
            None,
        ),
    ],
)
def test_eligibility_conditions_report_the_condition_that_fails(eligibility, facts, failed):
    result = _eligible(eligibility, **facts)

    outcome = result.outcome("award")
    if failed is None:
        assert outcome.status is Status.PAYABLE
        assert result.total == D("1000000.00")
    else:
        assert outcome.status is Status.NOT_ELIGIBLE
        assert [f.condition for f in outcome.failed_conditions] == [failed]
        assert result.total == 0


def test_a_failed_condition_says_what_was_expected_and_found():
    eligibility = Eligibility(minimums=(Minimum("total_investment", at_least(5000)),))

    (failure,) = _eligible(eligibility, total_investment=wan(4000)).outcome("award").failed_conditions

    assert (failure.fact, failure.expected, failure.actual) == ("total_investment", "≥ 50000000", "40000000")


def test_missing_facts_are_named_instead_of_guessed():
    eligibility = Eligibility(flags=(FlagCondition("registered_in_district", True),))

    result = award(clause(rate=D("0.01"), eligibility=eligibility))

    assert result.outcome("award").status is Status.MISSING_FACTS
    assert result.missing_facts == ("capital_in_place", "registered_in_district")
    assert not result.complete


def test_a_condition_already_failed_settles_the_clause_despite_missing_facts():
    eligibility = Eligibility(flags=(FlagCondition("registered_in_district", True),))

    result = award(clause(rate=D("0.01"), eligibility=eligibility), registered_in_district=False)

    assert result.outcome("award").status is Status.NOT_ELIGIBLE
    assert result.missing_facts == ()


@pytest.mark.parametrize(
    ("industry", "entry", "matches"),
    [
        ("M7320", "M", True),
        ("7320", "73", True),
        ("M7320", "732", True),
        ("M", "73", False),
        ("L7212", "M", False),
    ],
)
def test_industry_codes_match_by_section_or_leading_digits(industry, entry, matches):
    assert industry_matches(industry, entry) is matches


# --- exclusivity -----------------------------------------------------------------------------------

BY_CAPITAL = clause(
    key="by_capital", base=Base.PAID_IN_REGISTERED_CAPITAL, rate=D("0.01"), exclusive_group="startup"
)
FLAT_SUM = clause(
    key="flat_sum",
    base=Base.FIXED_SUM,
    shape=Shape.FIXED,
    amount=D(2_000_000),
    eligibility=Eligibility(flags=(FlagCondition("is_international_organisation_hq", True),)),
    exclusive_group="startup",
)


@pytest.mark.parametrize(
    ("paid_in_wan", "winner", "excluded", "total"),
    [
        (10000, "flat_sum", "by_capital", "2000000.00"),  # 100万 against 200万
        (30000, "by_capital", "flat_sum", "3000000.00"),  # 300万 against 200万
        (20000, "by_capital", "flat_sum", "2000000.00"),  # a tie goes to the first clause of the policy
    ],
)
def test_only_the_highest_clause_of_an_exclusivity_group_pays(paid_in_wan, winner, excluded, total):
    result = award(
        BY_CAPITAL,
        FLAT_SUM,
        paid_in_registered_capital=wan(paid_in_wan),
        is_international_organisation_hq=True,
    )

    (decision,) = result.exclusivity
    assert (decision.winner, decision.excluded) == (winner, (excluded,))
    assert result.outcome(excluded).status is Status.EXCLUDED
    assert [line.excluded_by for line in result.outcome(excluded).lines] == [winner]
    assert result.total == D(total)


def test_an_ineligible_member_does_not_compete():
    result = award(
        BY_CAPITAL, FLAT_SUM, paid_in_registered_capital=wan(10000), is_international_organisation_hq=False
    )

    assert result.exclusivity[0].winner == "by_capital"
    assert result.total == D("1000000.00")


def test_a_group_waits_while_a_member_lacks_facts():
    result = award(BY_CAPITAL, FLAT_SUM, paid_in_registered_capital=wan(10000))

    (decision,) = result.exclusivity
    assert (decision.winner, decision.undecided_by) == ("", ("flat_sum",))
    assert result.outcome("by_capital").status is Status.UNDECIDED
    assert result.total == 0


def test_an_invalid_policy_is_refused_rather_than_computed():
    negative = clause(rate=D("-0.01"))

    with pytest.raises(InvalidPolicy) as caught:
        award(negative, capital_in_place=wan(10000))

    assert [(p.clause, p.field) for p in caught.value.problems] == [("award", "rate")]


# --- foreign capital -------------------------------------------------------------------------------


def test_foreign_capital_converts_each_record_at_the_rate_of_its_own_date():
    records = (
        MoneyRecord(D(100), Unit.WAN_USD, rate=D("6.8"), on=date(2023, 3, 1)),  # 1,000,000 USD → 6,800,000元
        MoneyRecord(D(50_000), Unit.USD, rate=D("7.1"), on=date(2024, 5, 6)),  # 50,000 USD → 355,000元
    )

    result = award(clause(base=Base.FOREIGN_CAPITAL_USD, rate=D("0.01")), foreign_capital_usd=records)

    (line,) = result.lines
    assert [c.yuan for c in line.base.records] == [D(6_800_000), D(355_000)]
    assert line.base.value == D(7_155_000)
    assert result.total == D("71550.00")  # 7,155,000 × 1%


def test_conversion_is_exact_and_only_the_line_is_rounded():
    records = (MoneyRecord(D(12_345), Unit.USD, rate=D("7.1234")),)

    result = award(clause(base=Base.FOREIGN_CAPITAL_USD, rate=D("0.01")), foreign_capital_usd=records)

    # 12,345 × 7.1234 = 86,415 + 1,523.373 = 87,938.373元; × 1% = 879.38373 → 879.38
    assert result.lines[0].base.value == D("87938.373")
    assert result.total == D("879.38")


def test_a_usd_record_without_its_rate_is_refused():
    with pytest.raises(ValueError):
        MoneyRecord(D(100), Unit.WAN_USD)


# --- instalments -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "shares", "expected"),
    [
        # 30% of 1,000,000.01 = 300,000.003 → 300,000.00 twice; the last takes what is left: 400,000.01
        ("1000000.01", ("0.3", "0.3", "0.4"), ("300000.00", "300000.00", "400000.01")),
        ("100", ("0.3333", "0.3333", "0.3334"), ("33.33", "33.33", "33.34")),
        ("2000000", ("1",), ("2000000",)),
    ],
)
def test_instalments_split_a_line_and_add_up_to_it(amount, shares, expected):
    instalments = tuple(Instalment(D(share)) for share in shares)

    parts = split_instalments(D(amount), instalments)

    assert [part.amount for part in parts] == [D(value) for value in expected]
    assert sum(part.amount for part in parts) == D(amount)


def test_instalments_follow_the_payable_amount_after_caps():
    paid_in_three = clause(
        rate=D("0.01"),
        caps=Caps(total=D(1_000_000)),
        instalments=(Instalment(D("0.3"), "on approval"), Instalment(D("0.3")), Instalment(D("0.4"))),
    )

    result = award(paid_in_three, capital_in_place=wan(20000))

    # 2亿 × 1% = 200万, capped to 100万, paid 30万 / 30万 / 40万.
    assert [(i.number, i.amount, i.condition) for i in result.lines[0].instalments] == [
        (1, D(300_000), "on approval"),
        (2, D(300_000), ""),
        (3, D(400_000), ""),
    ]


# --- the Sanya 2018 headquarters measures, as shipped ----------------------------------------------


@pytest.fixture(scope="module")
def sanya():
    return read_policy_file(POLICIES / "sanya-2018-headquarters.yaml")


def _new_headquarters(**facts) -> Facts:
    return Facts(is_newly_settled=True, is_international_organisation_hq=False, **facts)


@pytest.mark.parametrize(
    ("paid_in_wan", "expected"),
    [
        (0, "0.00"),  # nothing paid in, nothing due
        (5000, "500000.00"),  # 5,000万 × 1% = 50万 (以内: all of it in the first bracket)
        (10000, "1500000.00"),  # 50万 + 5,000万 × 2% (100万) = 150万
        (20000, "3500000.00"),  # 50万 + 1.5亿 × 2% (300万) = 350万
        (75000, "20000000.00"),  # 350万 + 5.5亿 × 3% (1,650万) = 2,000万: exactly the cap
        (100000, "20000000.00"),  # 350万 + 8亿 × 3% (2,400万) = 2,750万, held to the 2,000万 cap
    ],
)
def test_sanya_startup_subsidy(sanya, paid_in_wan, expected):
    result = compute(sanya, _new_headquarters(paid_in_registered_capital=wan(paid_in_wan)))

    assert result.outcome("startup_subsidy").amount == D(expected)
    assert result.total == D(expected)


def test_sanya_startup_subsidy_cap_is_recorded_when_reached_exactly(sanya):
    result = compute(sanya, _new_headquarters(paid_in_registered_capital=wan(75000)))

    (cap,) = result.outcome("startup_subsidy").lines[0].caps
    assert (cap.kind, cap.limit, cap.before, cap.after) == (
        CapKind.CLAUSE_TOTAL,
        D(20_000_000),
        D(20_000_000),
        D(20_000_000),
    )


@pytest.mark.parametrize(
    ("paid_in_wan", "winner", "expected"),
    [
        (10000, "international_organisation_startup", "2000000.00"),  # 200万 beats 150万
        (20000, "startup_subsidy", "3500000.00"),  # 350万 beats 200万
    ],
)
def test_sanya_international_organisation_gets_the_higher_startup_subsidy_once(
    sanya, paid_in_wan, winner, expected
):
    facts = Facts(
        is_newly_settled=True,
        is_international_organisation_hq=True,
        paid_in_registered_capital=wan(paid_in_wan),
    )

    result = compute(sanya, facts)

    assert result.exclusivity[0].winner == winner
    assert result.total == D(expected)


def test_sanya_contribution_award_for_a_new_headquarters(sanya):
    facts = _new_headquarters(
        local_fiscal_contribution=by_year_wan(y1=1000, y2=1200, y3=1500, y4=1500, y5=2000)
    )

    result = compute(sanya, facts)

    # 70% of 1,000 / 1,200 / 1,500万 = 700 / 840 / 1,050万; 40% of 1,500 / 2,000万 = 600 / 800万.
    assert [line.amount for line in result.outcome("contribution_award").lines] == [
        yuan_of_wan(v) for v in (700, 840, 1050, 600, 800)
    ]
    assert result.outcome("contribution_award").amount == yuan_of_wan(3990)
    assert result.outcome("contribution_increase_award").status is Status.NOT_ELIGIBLE


def test_sanya_contribution_award_for_an_existing_headquarters_counts_the_increase(sanya):
    facts = Facts(
        is_newly_settled=False, local_fiscal_contribution=by_year_wan(y0=1000, y1=1200, y2=1100, y3=1500)
    )

    result = compute(sanya, facts)

    # Increases 200万, -100万 (floored to 0), 400万; at 60%: 120万, 0, 240万.
    assert [line.amount for line in result.outcome("contribution_increase_award").lines] == [
        yuan_of_wan(120),
        D(0),
        yuan_of_wan(240),
    ]
    assert result.outcome("contribution_award").status is Status.NOT_ELIGIBLE


def test_sanya_rent_subsidy_is_held_to_120_wan_a_year(sanya):
    facts = _new_headquarters(rent=by_year_wan(y1=300, y2=200, y3=240, y4=500, y5=100, y6=100))

    result = compute(sanya, facts)

    # 50%: 150 → 120 (cap), 100, 120 (exactly the cap); 30%: 150 → 120 (cap), 30; year 6 is past the measures.
    assert [line.amount for line in result.outcome("rent_subsidy").lines] == [
        yuan_of_wan(v) for v in (120, 100, 120, 120, 30)
    ]
    assert result.outcome("rent_subsidy").amount == yuan_of_wan(490)


# --- the Yunnan 2016 intermediary award, as shipped ------------------------------------------------


@pytest.fixture(scope="module")
def yunnan():
    return read_policy_file(POLICIES / "yunnan-2016-intermediary.yaml")


@pytest.mark.parametrize(
    ("capital_wan", "expected"),
    [
        ("4999.99", "0.00"),  # below 5,000万元以上: not eligible
        (5000, "25000.00"),  # 5,000万 × 0.5‰ = 2.5万
        (30000, "150000.00"),  # 3亿 × 0.5‰ = 15万
        (300000, "1500000.00"),  # 30亿 × 0.5‰ = 150万: exactly the project cap
        (400000, "1500000.00"),  # 40亿 × 0.5‰ = 200万, held to 150万
    ],
)
def test_yunnan_introducer_award(yunnan, capital_wan, expected):
    facts = Facts(capital_in_place=wan(capital_wan), is_real_estate=False, industry="C3011")

    result = compute(yunnan, facts)

    assert result.total_for(Beneficiary.INTRODUCER) == D(expected)
    assert result.total == D(expected)


def test_yunnan_counts_foreign_capital_at_the_rate_of_its_day(yunnan):
    capital = (
        MoneyRecord(D(4000), Unit.WAN_YUAN, on=date(2024, 2, 1)),
        MoneyRecord(
            D(150), Unit.WAN_USD, rate=D("6.9"), on=date(2024, 4, 1)
        ),  # 1,500,000 USD × 6.9 = 1,035万
    )

    result = compute(yunnan, Facts(capital_in_place=capital, is_real_estate=False, industry="C3011"))

    # 4,000万 + 1,035万 = 5,035万, above the 5,000万 threshold; × 0.5‰ = 25,175元.
    assert result.total == D("25175.00")


@pytest.mark.parametrize(
    ("facts", "failed"),
    [
        ({"is_real_estate": True, "industry": "K7010"}, "eligibility.flags.is_real_estate"),
        ({"is_real_estate": False, "industry": "B0610"}, "eligibility.excluded_industries"),
    ],
)
def test_yunnan_excludes_real_estate_and_mining(yunnan, facts, failed):
    result = compute(yunnan, Facts(capital_in_place=wan(30000), **facts))

    assert [f.condition for f in result.outcome("introducer_award").failed_conditions] == [failed]


# --- plain data ------------------------------------------------------------------------------------


def test_result_data_has_every_decimal_as_a_string(sanya):
    data = result_as_data(compute(sanya, _new_headquarters(paid_in_registered_capital=wan(10000))))

    assert data["total"] == "1500000.00"
    line = data["lines"][0]
    assert line["brackets"][1] == {
        "over": "50000000",
        "at_most": "200000000",
        "rate": "0.02",
        "fixed_amount": None,
        "part": "50000000",
        "amount": "1000000",  # a bracket's amount is exact; only the line is rounded
    }
    assert line["base"]["records"][0]["yuan"] == "100000000"


# --- purity ------------------------------------------------------------------------------------------


def test_the_engine_runs_without_django_or_the_database():
    """Every caller gets the same figure only while the engine reads nothing but its arguments."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, awards.engine; print('\\n'.join(sys.modules))"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert [name for name in loaded if name.partition(".")[0] == "django"] == []
