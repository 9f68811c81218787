"""Policy and facts files: what they mean in 元, what they refuse (naming clause and field), round trips."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from awards.engine import (
    AppliesTo,
    Base,
    Beneficiary,
    Bonus,
    Bracket,
    Caps,
    Eligibility,
    FlagCondition,
    Instalment,
    Minimum,
    MoneyRecord,
    Shape,
    Threshold,
    Unit,
    YearRate,
)
from awards.policy_file import (
    FactsError,
    PolicyFileError,
    dump_policy,
    facts_from_data,
    load_facts,
    load_policy,
    money_text,
    policy_to_data,
    read_policy_file,
)


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read the English source messages; the product's default language is Chinese."""
    from django.utils import translation

    with translation.override("en"):
        yield

POLICIES = Path(__file__).resolve().parents[2] / "awards" / "policies"
SHIPPED = sorted(POLICIES.glob("*.yaml"))
D = Decimal

# One policy using every part of the format.
EVERYTHING = """
format: 1
key: everything
title: 全部条款示例
document_number: 示例〔2024〕1号
issuer: 吉阳区人民政府
effective_from: 2024-01-01
effective_to: 2026-12-31
applies_to: registered
project_cap: 3000万元
source: made up for the tests
notes: every field of the format
clauses:
  - key: startup
    title: 开办补助
    article: 第五条
    note: marginal brackets
    beneficiary: enterprise
    base: paid_in_registered_capital
    shape: marginal
    brackets:
      - {at_most: 5000万元, rate: 1%}
      - {over: 5000万元, at_most: 2亿元, rate: 2%}
      - {over: 2亿元, rate: 3%}
    caps: {total: 2000万元}
    eligibility:
      minimums:
        - {fact: total_investment, at_least: 1亿元}
      flags: {registered_in_district: true, is_real_estate: false}
      industries: [M, "65"]
      excluded_industries: [K]
      years_since_signing: {at_most: 3}
    exclusive_group: startup
    instalments:
      - {share: 30%, condition: on approval}
      - {share: 30%, condition: after the first annual check}
      - {share: 40%}
  - key: international
    beneficiary: enterprise
    base: fixed_sum
    shape: fixed
    amount: 200万元
    eligibility:
      flags: {is_international_organisation_hq: true}
    exclusive_group: startup
  - key: landing
    beneficiary: introducer
    base: capital_in_place
    shape: fixed
    amount: 20万元
    threshold: {over: 1亿元}
  - key: step
    beneficiary: introducer
    base: fixed_asset_investment_excl_land
    shape: step
    brackets:
      - {under: 2亿元, amount: 5万元}
      - {at_least: 2亿元, under: 10亿元, amount: 10万元}
      - {at_least: 10亿元, rate: 0.02%}
  - key: foreign
    beneficiary: unit_or_officer
    base: foreign_capital_usd
    shape: flat
    rate: 0.5‰
    bonus: {rate: 10%, when: is_high_tech}
  - key: contribution
    beneficiary: enterprise
    base: local_fiscal_contribution_increase
    shape: schedule
    schedule:
      - {years: 1-3, rate: 70%}
      - {years: 4, rate: 40%}
      - {years: "5", rate: 35.5%}
    caps: {per_year: 120万元, total: 500.5万元}
"""


def _everything_with(old: str, new: str) -> str:
    assert old in EVERYTHING
    return EVERYTHING.replace(old, new, 1)


# --- reading ---------------------------------------------------------------------------------------


def test_money_is_read_in_yuan_and_rates_as_fractions():
    policy = load_policy(EVERYTHING)

    startup, international, landing, step, foreign, contribution = policy.clauses
    assert startup.brackets == (
        Bracket(upper=Threshold(D(50_000_000), inclusive=True), rate=D("0.01")),
        Bracket(
            lower=Threshold(D(50_000_000), inclusive=False),
            upper=Threshold(D(200_000_000), inclusive=True),
            rate=D("0.02"),
        ),
        Bracket(lower=Threshold(D(200_000_000), inclusive=False), rate=D("0.03")),
    )
    assert startup.caps == Caps(total=D(20_000_000))
    assert international.amount == D(2_000_000)
    assert landing.threshold == Threshold(D(100_000_000), inclusive=False)
    assert step.brackets[2].rate == D("0.0002")
    assert foreign.rate == D("0.0005")
    assert foreign.bonus == Bonus(D("0.10"), "is_high_tech")
    assert contribution.schedule == (
        YearRate(1, 3, D("0.70")),
        YearRate(4, 4, D("0.40")),
        YearRate(5, 5, D("0.355")),
    )
    assert contribution.caps == Caps(per_year=D(1_200_000), total=D(5_005_000))
    assert policy.project_cap == D(30_000_000)


def test_policy_fields_and_eligibility_are_read():
    policy = load_policy(EVERYTHING)

    assert (policy.key, policy.effective_from, policy.effective_to, policy.applies_to) == (
        "everything",
        date(2024, 1, 1),
        date(2026, 12, 31),
        AppliesTo.REGISTERED,
    )
    startup = policy.clauses[0]
    assert (startup.beneficiary, startup.base, startup.shape) == (
        Beneficiary.ENTERPRISE,
        Base.PAID_IN_REGISTERED_CAPITAL,
        Shape.MARGINAL,
    )
    assert startup.eligibility == Eligibility(
        minimums=(Minimum("total_investment", Threshold(D(100_000_000))),),
        flags=(FlagCondition("registered_in_district", True), FlagCondition("is_real_estate", False)),
        industries=("M", "65"),
        excluded_industries=("K",),
        years_since_signing=Threshold(D(3), inclusive=True),
    )
    assert startup.instalments == (
        Instalment(D("0.3"), "on approval"),
        Instalment(D("0.3"), "after the first annual check"),
        Instalment(D("0.4")),
    )


def test_a_policy_in_json_reads_the_same_as_in_yaml():
    as_json = json.dumps(yaml.safe_load(EVERYTHING), ensure_ascii=False, default=str)

    assert load_policy(as_json, "json") == load_policy(EVERYTHING)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_shipped_policies_are_valid_and_name_their_source(path):
    policy = read_policy_file(path)

    assert policy.source
    assert policy.effective_from is not None


# --- round trip ------------------------------------------------------------------------------------


ROUND_TRIP = {"everything": EVERYTHING, **{path.name: path.read_text(encoding="utf-8") for path in SHIPPED}}


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("name", ROUND_TRIP)
def test_dump_then_load_gives_the_same_policy(name, fmt):
    policy = load_policy(ROUND_TRIP[name])

    dumped = dump_policy(policy, fmt)

    assert load_policy(dumped, fmt) == policy
    assert dump_policy(load_policy(dumped, fmt), fmt) == dumped


def test_dump_writes_money_with_units_and_leaves_defaults_out():
    data = policy_to_data(load_policy(EVERYTHING))

    startup, international = data["clauses"][:2]
    assert startup["brackets"][1] == {"over": "5000万元", "at_most": "2亿元", "rate": "2%"}
    assert startup["caps"] == {"total": "2000万元"}
    assert "instalments" not in international and "caps" not in international
    assert data["clauses"][5]["caps"] == {"per_year": "120万元", "total": "500.5万元"}


@pytest.mark.parametrize(
    ("yuan", "text"),
    [
        ("200000000", "2亿元"),
        ("20000000", "2000万元"),
        ("5005000", "500.5万元"),
        ("125", "125元"),
        ("0", "0万元"),
    ],
)
def test_money_is_written_in_the_largest_exact_unit(yuan, text):
    assert money_text(D(yuan)) == text


# --- refusals --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "clause", "field", "words"),
    [
        (  # 5,000万 would sit in both brackets
            "- {over: 5000万元, at_most: 2亿元, rate: 2%}",
            "- {at_least: 5000万元, at_most: 2亿元, rate: 2%}",
            "startup",
            "brackets[1]",
            "overlaps",
        ),
        (
            "- {over: 5000万元, at_most: 2亿元, rate: 2%}",
            "- {over: 4000万元, at_most: 2亿元, rate: 2%}",
            "startup",
            "brackets[1]",
            "overlaps",
        ),
        (  # 5,000万 would sit in neither
            "- {over: 5000万元, at_most: 2亿元, rate: 2%}",
            "- {over: 6000万元, at_most: 2亿元, rate: 2%}",
            "startup",
            "brackets[1]",
            "gap",
        ),
        (
            "- {at_most: 5000万元, rate: 1%}\n      - {over: 5000万元, at_most: 2亿元, rate: 2%}",
            "- {over: 5000万元, at_most: 2亿元, rate: 2%}\n      - {at_most: 5000万元, rate: 1%}",
            "startup",
            "brackets[1]",
            "ascending order",
        ),
        (
            "{at_most: 5000万元, rate: 1%}",
            "{at_most: 5000万元, rate: -1%}",
            "startup",
            "brackets[0].rate",
            "negative",
        ),
        ("rate: 0.5‰", "rate: -0.5‰", "foreign", "rate", "negative"),
        ("caps: {total: 2000万元}", "caps: {total: -1万元}", "startup", "caps.total", "below zero"),
        (
            "caps: {per_year: 120万元,",
            "caps: {per_year: -120万元,",
            "contribution",
            "caps.per_year",
            "below zero",
        ),
        ("- {share: 40%}", "- {share: 30%}", "startup", "instalments", "90%"),
        ("base: capital_in_place", "base: capital", "landing", "base", "capital_in_place"),
        (
            "{fact: total_investment,",
            "{fact: investment,",
            "startup",
            "eligibility.minimums[0].fact",
            "unknown fact",
        ),
        ("when: is_high_tech", "when: high_tech", "foreign", "bonus.when", "unknown fact"),
        ("amount: 200万元", "amount: 200", "international", "amount", "unit"),
        ("rate: 0.5‰", "rate: 0.0005", "foreign", "rate", "percentage"),
        ("    rate: 0.5‰\n", "    rate: 0.5‰\n    ratio: 1%\n", "foreign", "ratio", "unknown field"),
        (
            "shape: fixed\n    amount: 20万元",
            "shape: flat\n    amount: 20万元",
            "landing",
            "amount",
            "not used",
        ),
        ("key: landing", "key: international", "international", "key", "same key"),
        ("{over: 1亿元}", "{over: 1亿元, at_least: 1亿元}", "landing", "threshold", "only one"),
        ("years: 1-3", "years: 3-1", "contribution", "schedule[0].years", "forwards"),
        ('industries: [M, "65"]', 'industries: [M, "6"]', "startup", "eligibility.industries", "GB/T 4754"),
    ],
)
def test_a_bad_policy_is_refused_naming_the_clause_and_the_field(old, new, clause, field, words):
    with pytest.raises(PolicyFileError) as caught:
        load_policy(_everything_with(old, new))

    assert (clause, field) in [(problem.clause, problem.field) for problem in caught.value.problems]
    message = str(caught.value)
    assert f'Clause "{clause}", field "{field}"' in message
    assert words in message


def test_a_one_off_base_cannot_take_a_cap_per_year_or_a_schedule():
    text = _everything_with("rate: 0.5‰\n", "rate: 0.5‰\n    caps: {per_year: 10万元}\n")

    with pytest.raises(PolicyFileError) as caught:
        load_policy(text)

    assert [(p.clause, p.field) for p in caught.value.problems] == [("foreign", "caps.per_year")]


def test_a_schedule_on_a_one_off_base_is_refused():
    text = _everything_with("base: local_fiscal_contribution_increase", "base: purchase_price")

    with pytest.raises(PolicyFileError) as caught:
        load_policy(text)

    assert ("contribution", "base") in [(p.clause, p.field) for p in caught.value.problems]
    assert "counted by year" in str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("effective_from: 2024-01-01\n", "", "effective_from", "effective date is missing"),
        ("effective_from: 2024-01-01", "effective_from: 1 January", "effective_from", "YYYY-MM-DD"),
        ("effective_to: 2026-12-31", "effective_to: 2023-12-31", "effective_to", "ends before"),
        ("project_cap: 3000万元", "project_cap: -3000万元", "project_cap", "below zero"),
        ("applies_to: registered", "applies_to: landed", "applies_to", "signed, registered"),
        ("format: 1", "format: 2", "format", "format 1"),
        ("notes:", "remarks:", "remarks", "unknown field"),
    ],
)
def test_a_bad_policy_field_is_refused_naming_the_field(old, new, field, words):
    with pytest.raises(PolicyFileError) as caught:
        load_policy(_everything_with(old, new))

    assert ("", field) in [(p.clause, p.field) for p in caught.value.problems]
    assert f'Policy field "{field}"' in str(caught.value)
    assert words in str(caught.value)


def test_every_problem_of_a_policy_is_reported_at_once():
    text = _everything_with("caps: {total: 2000万元}", "caps: {total: -1万元}")
    text = text.replace("- {share: 40%}", "- {share: 50%}")

    with pytest.raises(PolicyFileError) as caught:
        load_policy(text)

    assert [(p.clause, p.field) for p in caught.value.problems] == [
        ("startup", "caps.total"),
        ("startup", "instalments"),
    ]


def test_a_syntax_error_is_refused():
    with pytest.raises(PolicyFileError) as caught:
        load_policy("key: [unclosed")

    assert caught.value.problems[0].field == "(file)"


# --- facts -----------------------------------------------------------------------------------------

FACTS = """
{
  "paid_in_registered_capital": 10000,
  "fixed_asset_investment_excl_land": "1.2亿元",
  "capital_in_place": [
    {"date": "2024-03-01", "amount": 4000},
    {"date": "2024-06-01", "amount": 150, "unit": "万美元", "rate": 6.9}
  ],
  "foreign_capital_usd": [
    {"date": "2024-06-01", "amount": 150, "rate": "6.9"},
    {"date": "2024-09-01", "amount": 50000, "unit": "USD", "rate": 7.1234}
  ],
  "local_fiscal_contribution": {"0": 300, "1": "520.5", "2": "1,200"},
  "rent": {"1": "120万元"},
  "purchase_price": "8000000元",
  "total_investment": 50000,
  "is_high_tech": true,
  "is_real_estate": false,
  "registered_in_district": true,
  "is_newly_settled": true,
  "is_international_organisation_hq": false,
  "industry": "m7320",
  "years_since_signing": 2.5
}
"""


def test_facts_are_read_with_bare_numbers_in_wan_yuan():
    facts = load_facts(FACTS)

    assert facts.amount("paid_in_registered_capital") == D(100_000_000)
    assert facts.amount("fixed_asset_investment_excl_land") == D(120_000_000)
    assert facts.amount("capital_in_place") == D(40_000_000) + D(10_350_000)  # 150万美元 × 6.9
    assert facts.foreign_capital_usd == (
        MoneyRecord(D(150), Unit.WAN_USD, D("6.9"), date(2024, 6, 1)),
        MoneyRecord(D(50_000), Unit.USD, D("7.1234"), date(2024, 9, 1)),
    )
    assert facts.local_fiscal_contribution == {0: D(3_000_000), 1: D(5_205_000), 2: D(12_000_000)}
    assert facts.rent == {1: D(1_200_000)}
    assert facts.amount("purchase_price") == D(8_000_000)
    assert (facts.is_high_tech, facts.is_real_estate, facts.industry, facts.years_since_signing) == (
        True,
        False,
        "M7320",
        D("2.5"),
    )


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"paid_in_capital": 100}, "paid_in_capital", "unknown fact"),
        ({"capital_in_place": "a lot"}, "capital_in_place", "not a number"),
        ({"capital_in_place": True}, "capital_in_place", "expected a number"),
        ({"capital_in_place": -5}, "capital_in_place", "negative"),
        ({"capital_in_place": [{"amount": "x"}]}, "capital_in_place[0].amount", "not a number"),
        ({"capital_in_place": [{"amount": 1, "unit": "万元", "rate": 7}]}, "capital_in_place[0].rate", "USD"),
        ({"capital_in_place": [{"amount": 1, "unit": "RMB"}]}, "capital_in_place[0].unit", "万元"),
        ({"foreign_capital_usd": 150}, "foreign_capital_usd", "list of records"),
        ({"foreign_capital_usd": [{"amount": 150}]}, "foreign_capital_usd[0].rate", "expected a number"),
        ({"foreign_capital_usd": [{"amount": 1, "unit": "万元"}]}, "foreign_capital_usd[0].unit", "万美元"),
        ({"foreign_capital_usd": [{"amount": 1, "rate": 0}]}, "foreign_capital_usd[0].rate", "zero"),
        (
            {"foreign_capital_usd": [{"amount": 1, "rate": 7, "on": "x"}]},
            "foreign_capital_usd[0].on",
            "unknown",
        ),
        (
            {"foreign_capital_usd": [{"amount": 1, "rate": 7, "date": "June"}]},
            "foreign_capital_usd[0].date",
            "YYYY",
        ),
        ({"rent": [100]}, "rent", "years"),
        ({"rent": {"first": 100}}, "rent[first]", "whole number"),
        ({"rent": {"1": "lots"}}, "rent[1]", "not a number"),
        ({"is_high_tech": "yes"}, "is_high_tech", "true or false"),
        ({"industry": "real estate"}, "industry", "GB/T 4754"),
        ({"years_since_signing": "two"}, "years_since_signing", "not a number"),
    ],
)
def test_bad_facts_are_refused_naming_the_field(data, field, words):
    with pytest.raises(FactsError) as caught:
        facts_from_data(data)

    assert caught.value.field == field
    assert f'Fact "{field}"' in str(caught.value)
    assert words in str(caught.value)


def test_facts_that_are_not_json_are_refused():
    with pytest.raises(FactsError) as caught:
        load_facts("{'capital_in_place': 1}")

    assert caught.value.field == "(file)"
