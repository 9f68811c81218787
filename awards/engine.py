"""Incentive-award computation: one policy's clauses applied to one project's facts.

A pure module (no ORM, no Django): frozen dataclasses in, frozen dataclasses out, so the calculator, award
applications, batch recomputes and the ``award_preview`` command all reach the same figure the same way.

Units, stated once:

* Every money value inside the engine is in 元 as a ``Decimal``: thresholds, fixed amounts, caps, base values
  and awards. Files speak 万元 (see ``policy_file``); they convert exactly before calling in here.
* Amount facts arrive as ``MoneyRecord`` values that carry their own unit (元, 万元, 亿元, USD, 万美元); a USD
  record carries the CNY rate of its own date and is converted on its own, record by record.
* Rates are fractions (``Decimal("0.01")`` is 1%).
* Each payable line is rounded to 0.01 元 (ROUND_HALF_UP) before caps; the total is the sum of the rounded
  lines, so the breakdown always adds up to the total a person sees.

Order of work for each clause: eligibility → base → shape → bonus → round → cap per year → cap per clause;
then across clauses: exclusivity group (highest pays) → project cap (in clause order) → instalments.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)


def gettext_noop(message: str) -> str:
    """Mark a problem message for translation without importing Django (``policy_file`` translates it)."""
    return message


def round_cent(amount: Decimal) -> Decimal:
    """Round an amount of 元 to the fen, half up, as payments are made."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# --- vocabulary -----------------------------------------------------------------------------------


class Beneficiary(enum.StrEnum):
    """Who receives the award (受奖对象)."""

    ENTERPRISE = "enterprise"  # 企业
    INTRODUCER = "introducer"  # 引荐人 / 招商中介
    UNIT_OR_OFFICER = "unit_or_officer"  # 单位或个人


class Base(enum.StrEnum):
    """The named project figure a clause is computed on (奖励基数)."""

    PAID_IN_REGISTERED_CAPITAL = "paid_in_registered_capital"  # 实际到位注册资本
    FIXED_ASSET_INVESTMENT_EXCL_LAND = "fixed_asset_investment_excl_land"  # 固定资产实际投入(不含土地)
    CAPITAL_IN_PLACE = "capital_in_place"  # 实际到位资金
    FOREIGN_CAPITAL_USD = "foreign_capital_usd"  # 实际利用外资, each record at its own day's rate
    LOCAL_FISCAL_CONTRIBUTION = "local_fiscal_contribution"  # 地方财力贡献, by year
    LOCAL_FISCAL_CONTRIBUTION_INCREASE = "local_fiscal_contribution_increase"  # 环比增量, floored at zero
    RENT = "rent"  # 租金, by year
    PURCHASE_PRICE = "purchase_price"  # 购房价格
    FIXED_SUM = "fixed_sum"  # no project figure: the clause pays a fixed amount

    @property
    def fact(self) -> str | None:
        """The name of the fact this base reads (the increase reads the yearly contribution)."""
        if self is Base.FIXED_SUM:
            return None
        if self is Base.LOCAL_FISCAL_CONTRIBUTION_INCREASE:
            return Base.LOCAL_FISCAL_CONTRIBUTION.value
        return self.value

    @property
    def by_year(self) -> bool:
        """Whether the base has one value per award year (and the clause one line per year)."""
        return self.fact in BY_YEAR_FACTS


class Shape(enum.StrEnum):
    """How a clause turns its base into an amount."""

    FLAT = "flat"  # one rate on the whole base
    MARGINAL = "marginal"  # each part of the base at the rate of its bracket (like income tax)
    STEP = "step"  # the whole base at the rate (or fixed amount) of the bracket it falls in: a cliff
    FIXED = "fixed"  # a fixed amount, once the base meets the threshold (or always, without one)
    SCHEDULE = "schedule"  # a rate chosen by award year (e.g. 70% in years 1-3, 40% in years 4-5)


class Unit(enum.StrEnum):
    """Units a money record may be written in."""

    YUAN = "元"
    WAN_YUAN = "万元"
    YI_YUAN = "亿元"
    USD = "USD"
    WAN_USD = "万美元"

    @property
    def factor(self) -> Decimal:
        """How many of the unit's currency (元 or USD) one unit is."""
        return {
            Unit.YUAN: ONE,
            Unit.WAN_YUAN: Decimal(10_000),
            Unit.YI_YUAN: Decimal(100_000_000),
            Unit.USD: ONE,
            Unit.WAN_USD: Decimal(10_000),
        }[self]

    @property
    def is_usd(self) -> bool:
        return self in (Unit.USD, Unit.WAN_USD)


class AppliesTo(enum.StrEnum):
    """Which projects a policy covers: those signed, or those registered, within its effective dates."""

    SIGNED = "signed"
    REGISTERED = "registered"


AMOUNT_FACTS = (
    "paid_in_registered_capital",
    "fixed_asset_investment_excl_land",
    "capital_in_place",
    "foreign_capital_usd",
    "purchase_price",
    "total_investment",
)
BY_YEAR_FACTS = ("local_fiscal_contribution", "rent")
FLAG_FACTS = (
    "is_high_tech",
    "is_real_estate",
    "registered_in_district",
    "is_newly_settled",
    "is_international_organisation_hq",
)
OTHER_FACTS = ("industry", "years_since_signing")
FACT_NAMES = AMOUNT_FACTS + BY_YEAR_FACTS + FLAG_FACTS + OTHER_FACTS


# --- facts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyRecord:
    """One dated amount, in its own unit; a USD amount carries the CNY rate of its own date (到资当日汇率)."""

    amount: Decimal
    unit: Unit = Unit.WAN_YUAN
    rate: Decimal | None = None  # 元 per 1 USD on ``on``; required for USD units, refused otherwise
    on: date | None = None

    def __post_init__(self):
        if self.unit.is_usd and self.rate is None:
            raise ValueError("A USD amount needs the exchange rate of its date.")
        if not self.unit.is_usd and self.rate is not None:
            raise ValueError("Only a USD amount takes an exchange rate.")

    def in_yuan(self) -> Decimal:
        """The record in 元, exactly (no rounding: the award line is rounded, not its ingredients)."""
        yuan = self.amount * self.unit.factor
        return yuan * self.rate if self.unit.is_usd else yuan


@dataclass(frozen=True)
class Facts:
    """What is known about one project, by fact name; ``None`` means not known (reported as missing).

    Amount facts are tuples of records (summed); yearly facts map the award year to 元, where year 1 is the
    first year the policy counts for the project (usually the year of recognition or registration) and year 0
    the year before it (needed for an increase over the previous year).
    """

    paid_in_registered_capital: tuple[MoneyRecord, ...] | None = None
    fixed_asset_investment_excl_land: tuple[MoneyRecord, ...] | None = None
    capital_in_place: tuple[MoneyRecord, ...] | None = None
    foreign_capital_usd: tuple[MoneyRecord, ...] | None = None
    purchase_price: tuple[MoneyRecord, ...] | None = None
    total_investment: tuple[MoneyRecord, ...] | None = None
    local_fiscal_contribution: Mapping[int, Decimal] | None = None
    rent: Mapping[int, Decimal] | None = None
    is_high_tech: bool | None = None
    is_real_estate: bool | None = None
    registered_in_district: bool | None = None
    is_newly_settled: bool | None = None
    is_international_organisation_hq: bool | None = None
    industry: str | None = None  # GB/T 4754 code: section letter and class digits, e.g. "M7320"
    years_since_signing: Decimal | None = None

    def get(self, name: str):
        """The value of a fact by name (``None`` when unknown)."""
        if name not in FACT_NAMES:
            raise KeyError(name)
        return getattr(self, name)

    def amount(self, name: str) -> Decimal:
        """The sum in 元 of an amount fact's records (the caller has checked it is known)."""
        return sum((record.in_yuan() for record in self.get(name)), ZERO)


# --- policy ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """A number with its side: 以上/以下/以内 include it (inclusive), 超过/不满 exclude it (Civil Code 1259).

    Whether it is a lower or an upper bound depends on where it sits (``Bracket.lower``, ``Bracket.upper``,
    ``Minimum.threshold`` ...). Money thresholds are in 元.
    """

    value: Decimal
    inclusive: bool = True

    def admits_from_above(self, x: Decimal) -> bool:
        """As a lower bound: x ≥ value (以上), or x > value (超过)."""
        return x >= self.value if self.inclusive else x > self.value

    def admits_from_below(self, x: Decimal) -> bool:
        """As an upper bound: x ≤ value (以下/以内), or x < value (不满)."""
        return x <= self.value if self.inclusive else x < self.value


@dataclass(frozen=True)
class Bracket:
    """A band of the base; no ``lower`` means from zero, no ``upper`` means without end."""

    lower: Threshold | None = None
    upper: Threshold | None = None
    rate: Decimal | None = None
    amount: Decimal | None = None  # step shape only: a fixed sum for a base inside this band

    def contains(self, x: Decimal) -> bool:
        below_ok = self.lower is None or self.lower.admits_from_above(x)
        above_ok = self.upper is None or self.upper.admits_from_below(x)
        return below_ok and above_ok

    def part_of(self, x: Decimal) -> Decimal:
        """The part of x that lies inside this band (marginal shape): a boundary point has no width."""
        start = self.lower.value if self.lower else ZERO
        end = x if self.upper is None else min(x, self.upper.value)
        return max(end - start, ZERO)


@dataclass(frozen=True)
class YearRate:
    """The rate of award years ``first_year`` to ``last_year`` inclusive (schedule shape)."""

    first_year: int
    last_year: int
    rate: Decimal

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


@dataclass(frozen=True)
class Bonus:
    """A multiplier for a qualifying project, e.g. +10% (rate 0.10) when ``is_high_tech``."""

    rate: Decimal
    when: str  # a flag fact


@dataclass(frozen=True)
class Caps:
    """Limits of one clause, in 元: per award year (yearly bases only) and over all its lines."""

    per_year: Decimal | None = None
    total: Decimal | None = None


@dataclass(frozen=True)
class Minimum:
    """A minimum an amount fact must reach, e.g. total investment of 5,000万元以上."""

    fact: str
    threshold: Threshold


@dataclass(frozen=True)
class FlagCondition:
    """A yes/no fact that must have the required value (registered in the district, not real estate...)."""

    fact: str
    required: bool


@dataclass(frozen=True)
class Eligibility:
    """Conditions a project must meet before a clause pays anything.

    Industry codes follow GB/T 4754-2017: an entry is a section letter ("M") or leading class digits ("65",
    "6510"); the project's industry matches an entry when it starts with it.
    """

    minimums: tuple[Minimum, ...] = ()
    flags: tuple[FlagCondition, ...] = ()
    industries: tuple[str, ...] = ()  # empty: any industry
    excluded_industries: tuple[str, ...] = ()
    years_since_signing: Threshold | None = None  # an upper bound: within N years (以内) of signing

    def facts_needed(self) -> tuple[str, ...]:
        names = [m.fact for m in self.minimums] + [f.fact for f in self.flags]
        if self.industries or self.excluded_industries:
            names.append("industry")
        if self.years_since_signing is not None:
            names.append("years_since_signing")
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Instalment:
    """One payment of a line: its share (fraction) and what must be checked before it is paid."""

    share: Decimal
    condition: str = ""


WHOLE_AT_ONCE = (Instalment(share=ONE),)


@dataclass(frozen=True)
class Clause:
    """One award of a policy: who gets it, on which base, in which shape, within which limits."""

    key: str  # short identifier used in results and error messages, e.g. "startup_subsidy"
    title: str
    beneficiary: Beneficiary
    base: Base
    shape: Shape
    rate: Decimal | None = None  # flat
    brackets: tuple[Bracket, ...] = ()  # marginal, step
    amount: Decimal | None = None  # fixed
    threshold: Threshold | None = None  # fixed: a lower bound the base must meet
    schedule: tuple[YearRate, ...] = ()  # schedule
    bonus: Bonus | None = None
    caps: Caps = Caps()
    eligibility: Eligibility = Eligibility()
    exclusive_group: str = ""  # clauses sharing a group: only the highest pays (从优、就高、不重复)
    instalments: tuple[Instalment, ...] = WHOLE_AT_ONCE
    article: str = ""  # where the clause sits in the document, e.g. "第五条"
    note: str = ""

    def facts_needed(self) -> tuple[str, ...]:
        names = [self.base.fact] if self.base.fact else []
        names += list(self.eligibility.facts_needed())
        if self.bonus is not None:
            names.append(self.bonus.when)
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Policy:
    """A versioned award policy document (奖励政策) as data."""

    key: str
    title: str
    effective_from: date | None
    clauses: tuple[Clause, ...]
    document_number: str = ""
    issuer: str = ""
    effective_to: date | None = None
    applies_to: AppliesTo = AppliesTo.SIGNED
    project_cap: Decimal | None = None  # 元, across every clause for one project
    source: str = ""
    notes: str = ""

    def in_force_on(self, day: date) -> bool:
        """Whether ``day`` (a signing or registration date, per ``applies_to``) is within the dates."""
        if self.effective_from is None or day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to


# --- validation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something wrong with a policy: where (clause key, field path) and what (an English template)."""

    clause: str  # "" for a policy-level field
    field: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, translate=lambda message: message) -> str:
        return translate(self.message) % dict(self.params)


_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_INDUSTRY_ENTRY = re.compile(r"^(?:[A-T]|\d{2,4})$")


def validate_policy(policy: Policy) -> tuple[Problem, ...]:
    """Every problem of a policy, each naming the clause and the field; an empty tuple means it is usable."""
    problems = list(_policy_problems(policy))
    seen: set[str] = set()
    for clause in policy.clauses:
        if clause.key in seen:
            problems.append(Problem(clause.key, "key", gettext_noop("two clauses have the same key")))
        seen.add(clause.key)
        problems += _clause_problems(clause)
    return tuple(problems)


def _policy_problems(policy: Policy):
    if not _KEY_PATTERN.match(policy.key or ""):
        yield Problem("", "key", gettext_noop("use lower-case letters, digits, '-' and '_'"))
    if not policy.title:
        yield Problem("", "title", gettext_noop("the title is missing"))
    if policy.effective_from is None:
        yield Problem("", "effective_from", gettext_noop("the effective date is missing"))
    elif policy.effective_to is not None and policy.effective_to < policy.effective_from:
        yield Problem("", "effective_to", gettext_noop("the policy ends before it takes effect"))
    if policy.project_cap is not None and policy.project_cap < 0:
        yield Problem("", "project_cap", gettext_noop("a cap cannot be below zero"))
    if not policy.clauses:
        yield Problem("", "clauses", gettext_noop("a policy needs at least one clause"))


def _clause_problems(clause: Clause):
    key = clause.key
    if not _KEY_PATTERN.match(key or ""):
        yield Problem(key, "key", gettext_noop("use lower-case letters, digits, '-' and '_'"))
    yield from _shape_problems(clause)
    yield from _rate_problem(key, "rate", clause.rate)
    if clause.amount is not None and clause.amount < 0:
        yield Problem(key, "amount", gettext_noop("an amount cannot be below zero"))
    yield from _threshold_problem(key, "threshold", clause.threshold)
    if clause.bonus is not None:
        yield from _rate_problem(key, "bonus.rate", clause.bonus.rate)
        if clause.bonus.when not in FLAG_FACTS:
            yield _unknown_fact(key, "bonus.when", clause.bonus.when, FLAG_FACTS)
    yield from _cap_problems(clause)
    yield from _eligibility_problems(key, clause.eligibility)
    yield from _instalment_problems(key, clause.instalments)


def _shape_problems(clause: Clause):
    key, shape = clause.key, clause.shape
    used = {
        Shape.FLAT: {"rate"},
        Shape.MARGINAL: {"brackets"},
        Shape.STEP: {"brackets"},
        Shape.FIXED: {"amount", "threshold"},
        Shape.SCHEDULE: {"schedule"},
    }[shape]
    present = {
        "rate": clause.rate is not None,
        "brackets": bool(clause.brackets),
        "amount": clause.amount is not None,
        "threshold": clause.threshold is not None,
        "schedule": bool(clause.schedule),
    }
    for name, is_present in present.items():
        if is_present and name not in used:
            yield Problem(key, name, gettext_noop("not used by the shape %(shape)s"), {"shape": shape.value})
    required = {
        Shape.FLAT: "rate",
        Shape.MARGINAL: "brackets",
        Shape.STEP: "brackets",
        Shape.FIXED: "amount",
        Shape.SCHEDULE: "schedule",
    }[shape]
    if not present[required]:
        yield Problem(
            key, required, gettext_noop("the shape %(shape)s needs this field"), {"shape": shape.value}
        )
    if clause.base is Base.FIXED_SUM and (shape is not Shape.FIXED or clause.threshold is not None):
        yield Problem(key, "base", gettext_noop("a fixed sum pays a fixed amount without threshold"))
    if shape is Shape.SCHEDULE and not clause.base.by_year:
        yield Problem(key, "base", gettext_noop("a schedule by year needs a base counted by year"))
    if shape in (Shape.MARGINAL, Shape.STEP):
        yield from _bracket_problems(clause)
    if shape is Shape.SCHEDULE:
        yield from _schedule_problems(key, clause.schedule)


def _bracket_problems(clause: Clause):
    key = clause.key
    last = len(clause.brackets) - 1
    for i, bracket in enumerate(clause.brackets):
        where = f"brackets[{i}]"
        yield from _threshold_problem(key, where, bracket.lower)
        yield from _threshold_problem(key, where, bracket.upper)
        yield from _rate_problem(key, f"{where}.rate", bracket.rate)
        if bracket.amount is not None and bracket.amount < 0:
            yield Problem(key, f"{where}.amount", gettext_noop("an amount cannot be below zero"))
        if clause.shape is Shape.MARGINAL and (bracket.rate is None or bracket.amount is not None):
            yield Problem(key, where, gettext_noop("a marginal bracket takes a rate and no amount"))
        if clause.shape is Shape.STEP and (bracket.rate is None) == (bracket.amount is None):
            yield Problem(key, where, gettext_noop("a step bracket takes either a rate or an amount"))
        if i > 0 and bracket.lower is None:
            starts_above_zero = clause.brackets[i - 1].lower is not None
            yield Problem(
                key,
                where,
                gettext_noop("brackets must be in ascending order")
                if starts_above_zero
                else gettext_noop("only the first bracket may start at zero"),
            )
        if i < last and bracket.upper is None:
            yield Problem(key, where, gettext_noop("only the last bracket may be open-ended"))
        if bracket.lower and bracket.upper and not _is_non_empty(bracket.lower, bracket.upper):
            yield Problem(key, where, gettext_noop("the bracket is empty or its bounds are reversed"))
        if i > 0 and bracket.lower is not None:
            yield from _join_problems(key, where, clause.brackets[i - 1], bracket)


def _is_non_empty(lower: Threshold, upper: Threshold) -> bool:
    if lower.value < upper.value:
        return True
    return lower.value == upper.value and lower.inclusive and upper.inclusive


def _join_problems(key: str, where: str, previous: Bracket, bracket: Bracket):
    """Consecutive brackets must meet exactly: the shared number belongs to exactly one of them."""
    lower = bracket.lower
    previous_start = previous.lower.value if previous.lower else ZERO
    if previous.upper is None or lower.value < previous_start:
        yield Problem(key, where, gettext_noop("brackets must be in ascending order"))
        return
    end = previous.upper
    params = {"value": _plain(lower.value)}
    if lower.value < end.value or (lower.value == end.value and lower.inclusive and end.inclusive):
        yield Problem(key, where, gettext_noop("overlaps the bracket before it at %(value)s 元"), params)
    elif lower.value > end.value or not (lower.inclusive or end.inclusive):
        yield Problem(
            key, where, gettext_noop("leaves a gap after the bracket before it at %(value)s 元"), params
        )


def _schedule_problems(key: str, schedule: tuple[YearRate, ...]):
    for i, year_rate in enumerate(schedule):
        where = f"schedule[{i}]"
        yield from _rate_problem(key, f"{where}.rate", year_rate.rate)
        if year_rate.first_year < 1 or year_rate.last_year < year_rate.first_year:
            yield Problem(key, f"{where}.years", gettext_noop("years start at 1 and run forwards"))
        elif i > 0 and year_rate.first_year <= schedule[i - 1].last_year:
            yield Problem(key, f"{where}.years", gettext_noop("years overlap or are out of order"))


def _cap_problems(clause: Clause):
    key = clause.key
    for name in ("per_year", "total"):
        value = getattr(clause.caps, name)
        if value is not None and value < 0:
            yield Problem(key, f"caps.{name}", gettext_noop("a cap cannot be below zero"))
    if clause.caps.per_year is not None and not clause.base.by_year:
        yield Problem(key, "caps.per_year", gettext_noop("a cap per year needs a base counted by year"))


def _eligibility_problems(key: str, eligibility: Eligibility):
    for i, minimum in enumerate(eligibility.minimums):
        if minimum.fact not in AMOUNT_FACTS:
            yield _unknown_fact(key, f"eligibility.minimums[{i}].fact", minimum.fact, AMOUNT_FACTS)
        yield from _threshold_problem(key, f"eligibility.minimums[{i}]", minimum.threshold)
    for flag in eligibility.flags:
        if flag.fact not in FLAG_FACTS:
            yield _unknown_fact(key, f"eligibility.flags.{flag.fact}", flag.fact, FLAG_FACTS)
    for name in ("industries", "excluded_industries"):
        for entry in getattr(eligibility, name):
            if not _INDUSTRY_ENTRY.match(entry):
                yield Problem(
                    key,
                    f"eligibility.{name}",
                    gettext_noop("%(entry)s is not a GB/T 4754 section letter or class code"),
                    {"entry": entry},
                )
    yield from _threshold_problem(key, "eligibility.years_since_signing", eligibility.years_since_signing)


def _instalment_problems(key: str, instalments: tuple[Instalment, ...]):
    if any(instalment.share <= 0 for instalment in instalments):
        yield Problem(key, "instalments", gettext_noop("each instalment needs a share above zero"))
    total = sum((instalment.share for instalment in instalments), ZERO)
    if total != ONE:
        yield Problem(
            key,
            "instalments",
            gettext_noop("the instalments add up to %(total)s%%, not 100%%"),
            {"total": _plain(total * 100)},
        )


def _rate_problem(key: str, where: str, rate: Decimal | None):
    if rate is not None and rate < 0:
        yield Problem(key, where, gettext_noop("a rate cannot be negative"))


def _threshold_problem(key: str, where: str, threshold: Threshold | None):
    if threshold is not None and threshold.value < 0:
        yield Problem(key, where, gettext_noop("a threshold cannot be negative"))


def _unknown_fact(key: str, where: str, name: str, known: tuple[str, ...]) -> Problem:
    return Problem(
        key,
        where,
        gettext_noop("unknown fact %(name)s (known: %(known)s)"),
        {"name": name, "known": ", ".join(known)},
    )


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros, for messages and files."""
    return format(value.normalize(), "f")


# --- results --------------------------------------------------------------------------------------


class Status(enum.StrEnum):
    """What became of a clause for this project."""

    PAYABLE = "payable"  # eligible and computed, amount above zero
    NOTHING_DUE = "nothing_due"  # eligible and computed, but the base earns nothing (yet)
    NOT_ELIGIBLE = "not_eligible"  # a condition failed
    MISSING_FACTS = "missing_facts"  # a fact the clause needs is unknown
    EXCLUDED = "excluded"  # another clause of its exclusivity group pays more
    UNDECIDED = "undecided"  # its exclusivity group cannot be decided while a member lacks facts


class CapKind(enum.StrEnum):
    PER_YEAR = "per_year"
    CLAUSE_TOTAL = "clause_total"
    PROJECT = "project"


@dataclass(frozen=True)
class ConvertedRecord:
    """A money record as it entered the base, with its value in 元."""

    record: MoneyRecord
    yuan: Decimal


@dataclass(frozen=True)
class BaseValue:
    """The base of a line: its name, value in 元 and where it came from."""

    name: Base
    value: Decimal
    source: str  # e.g. "paid_in_registered_capital: 2 record(s)", "local_fiscal_contribution year 3"
    records: tuple[ConvertedRecord, ...] = ()
    year: int | None = None  # the award year, for a yearly base


@dataclass(frozen=True)
class BracketPart:
    """A bracket's share of a line: the part of the base in it, the rate or fixed amount, and the result."""

    bracket: Bracket
    part: Decimal
    amount: Decimal  # unrounded; the line is rounded, not its parts


@dataclass(frozen=True)
class BonusApplied:
    rate: Decimal
    when: str
    amount: Decimal  # the increment, unrounded


@dataclass(frozen=True)
class CapApplied:
    """A cap reached by a line: its limit (or what was left of it) and the amount before and after."""

    kind: CapKind
    limit: Decimal
    before: Decimal
    after: Decimal


@dataclass(frozen=True)
class InstalmentAmount:
    number: int
    share: Decimal
    amount: Decimal
    condition: str = ""


@dataclass(frozen=True)
class AwardLine:
    """One payable line: a clause for one project (and one award year, for yearly bases)."""

    clause: str
    beneficiary: Beneficiary
    year: int | None
    base: BaseValue
    shape: Shape
    rate: Decimal | None  # flat rate, or the schedule's rate for this year
    brackets: tuple[BracketPart, ...]  # marginal: every bracket; step: the one the base falls in
    fixed_amount: Decimal | None  # fixed shape, or a step bracket paying a fixed sum
    threshold_met: bool | None  # fixed shape with a threshold
    gross: Decimal  # before the bonus, unrounded
    bonus: BonusApplied | None
    computed: Decimal  # with the bonus, rounded to 0.01 元, before caps
    caps: tuple[CapApplied, ...] = ()
    excluded_by: str = ""  # the clause of the same exclusivity group that pays instead
    amount: Decimal = ZERO  # payable
    instalments: tuple[InstalmentAmount, ...] = ()


@dataclass(frozen=True)
class ConditionFailure:
    """An eligibility condition the project fails: which condition, on which fact, wanted and found."""

    condition: str  # the field of the policy, e.g. "eligibility.minimums[0]"
    fact: str
    expected: str
    actual: str


@dataclass(frozen=True)
class ClauseOutcome:
    clause: str
    title: str
    beneficiary: Beneficiary
    status: Status
    lines: tuple[AwardLine, ...] = ()
    missing_facts: tuple[str, ...] = ()
    failed_conditions: tuple[ConditionFailure, ...] = ()

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


@dataclass(frozen=True)
class ExclusivityDecision:
    """How an exclusivity group was settled: each member's amount, and the one clause that pays."""

    group: str
    amounts: tuple[tuple[str, Decimal], ...]  # eligible members and their amounts after clause caps
    winner: str  # "" when nothing is paid or the group is undecided
    excluded: tuple[str, ...]
    undecided_by: tuple[str, ...] = ()  # members whose facts are missing


@dataclass(frozen=True)
class AwardResult:
    """Every clause's outcome, every line and the total (the sum of the rounded, capped lines)."""

    policy: str
    clauses: tuple[ClauseOutcome, ...]
    exclusivity: tuple[ExclusivityDecision, ...]
    project_cap: CapApplied | None
    total: Decimal

    @property
    def lines(self) -> tuple[AwardLine, ...]:
        return tuple(line for outcome in self.clauses for line in outcome.lines)

    @property
    def missing_facts(self) -> tuple[str, ...]:
        names = (name for outcome in self.clauses for name in outcome.missing_facts)
        return tuple(dict.fromkeys(names))

    @property
    def complete(self) -> bool:
        """Whether every clause could be decided (no fact missing)."""
        return not self.missing_facts

    def total_for(self, beneficiary: Beneficiary) -> Decimal:
        return sum((line.amount for line in self.lines if line.beneficiary is beneficiary), ZERO)

    def outcome(self, clause: str) -> ClauseOutcome:
        return next(outcome for outcome in self.clauses if outcome.clause == clause)


# --- computation ----------------------------------------------------------------------------------


class InvalidPolicy(ValueError):
    """A policy ``validate_policy`` refuses: no award is computed from it."""

    def __init__(self, problems: tuple[Problem, ...]):
        self.problems = problems
        super().__init__("; ".join(f"{p.clause or 'policy'}.{p.field}: {p.render()}" for p in problems))


def compute(policy: Policy, facts: Facts) -> AwardResult:
    """Apply every clause of ``policy`` to ``facts`` and return each line, each decision and the total.

    An invalid policy raises ``InvalidPolicy`` rather than yield a wrong award. A fact a clause needs but
    which is unknown makes that clause ``missing_facts`` (naming the fact), so a partial picture can be shown.
    """
    problems = validate_policy(policy)
    if problems:
        raise InvalidPolicy(problems)
    outcomes = [_evaluate_clause(clause, facts) for clause in policy.clauses]
    outcomes, decisions = _settle_exclusivity(policy, outcomes)
    outcomes, project_cap = _apply_project_cap(outcomes, policy.project_cap)
    clauses = {clause.key: clause for clause in policy.clauses}
    outcomes = [_with_instalments(outcome, clauses[outcome.clause].instalments) for outcome in outcomes]
    total = sum((outcome.amount for outcome in outcomes), ZERO)
    return AwardResult(policy.key, tuple(outcomes), tuple(decisions), project_cap, total)


def _evaluate_clause(clause: Clause, facts: Facts) -> ClauseOutcome:
    """Eligibility, then each line with its caps; nothing is paid while a needed fact is unknown."""
    outcome = ClauseOutcome(clause.key, clause.title, clause.beneficiary, Status.NOT_ELIGIBLE)
    failures = _failed_conditions(clause.eligibility, facts)
    if failures:
        # A condition the known facts already fail settles the clause, whatever the unknown facts are.
        return replace(outcome, failed_conditions=failures)
    missing = [name for name in clause.facts_needed() if facts.get(name) is None]
    missing += _missing_previous_years(clause, facts)
    if missing:
        return replace(outcome, status=Status.MISSING_FACTS, missing_facts=tuple(missing))
    lines = [_compute_line(clause, base, facts) for base in _base_values(clause, facts)]
    lines = _apply_clause_caps(lines, clause.caps)
    status = Status.PAYABLE if any(line.amount > 0 for line in lines) else Status.NOTHING_DUE
    return replace(outcome, status=status, lines=tuple(lines))


def _award_years(clause: Clause, facts: Facts) -> list[int]:
    """The award years a yearly clause pays for: known years from 1, within the schedule if it has one."""
    series = facts.get(clause.base.fact) or {}
    years = sorted(year for year in series if year >= 1)
    if clause.shape is Shape.SCHEDULE:
        years = [year for year in years if any(band.covers(year) for band in clause.schedule)]
    return years


def _missing_previous_years(clause: Clause, facts: Facts) -> list[str]:
    """An increase over the previous year needs that year's contribution too (year 0 for award year 1)."""
    if clause.base is not Base.LOCAL_FISCAL_CONTRIBUTION_INCREASE or facts.local_fiscal_contribution is None:
        return []
    series = facts.local_fiscal_contribution
    return [
        f"local_fiscal_contribution[{year - 1}]"
        for year in _award_years(clause, facts)
        if year - 1 not in series
    ]


def _base_values(clause: Clause, facts: Facts) -> list[BaseValue]:
    """The base of each line: one for a one-off base, one per award year for a yearly base."""
    base = clause.base
    if base is Base.FIXED_SUM:
        return [BaseValue(base, ZERO, "none: the clause pays a fixed sum")]
    if not base.by_year:
        records = tuple(ConvertedRecord(record, record.in_yuan()) for record in facts.get(base.fact))
        value = sum((converted.yuan for converted in records), ZERO)
        return [BaseValue(base, value, f"{base.fact}: {len(records)} record(s)", records)]
    series = facts.get(base.fact)
    values = []
    for year in _award_years(clause, facts):
        if base is Base.LOCAL_FISCAL_CONTRIBUTION_INCREASE:
            increase = series[year] - series[year - 1]
            source = (
                f"{base.fact} year {year} ({_plain(series[year])}) − year {year - 1} "
                f"({_plain(series[year - 1])}), floored at 0"
            )
            values.append(BaseValue(base, max(increase, ZERO), source, year=year))
        else:
            values.append(BaseValue(base, series[year], f"{base.fact} year {year}", year=year))
    return values


def _compute_line(clause: Clause, base: BaseValue, facts: Facts) -> AwardLine:
    """One line before caps: the shape's gross amount, the bonus, and the rounding to the fen."""
    year = base.year
    rate = fixed_amount = threshold_met = None
    parts: tuple[BracketPart, ...] = ()
    if clause.shape is Shape.FLAT:
        rate, gross = clause.rate, base.value * clause.rate
    elif clause.shape is Shape.SCHEDULE:
        rate = next(band.rate for band in clause.schedule if band.covers(year))
        gross = base.value * rate
    elif clause.shape is Shape.MARGINAL:
        parts = _marginal_parts(clause.brackets, base.value)
        gross = sum((part.amount for part in parts), ZERO)
    elif clause.shape is Shape.STEP:
        parts = _step_part(clause.brackets, base.value)
        fixed_amount = parts[0].bracket.amount if parts else None
        gross = parts[0].amount if parts else ZERO
    else:
        threshold_met = None if clause.threshold is None else clause.threshold.admits_from_above(base.value)
        fixed_amount = clause.amount
        gross = clause.amount if threshold_met is not False else ZERO
    bonus = _bonus(clause.bonus, facts, gross)
    computed = round_cent(gross + (bonus.amount if bonus else ZERO))
    return AwardLine(
        clause=clause.key,
        beneficiary=clause.beneficiary,
        year=year,
        base=base,
        shape=clause.shape,
        rate=rate,
        brackets=parts,
        fixed_amount=fixed_amount,
        threshold_met=threshold_met,
        gross=gross,
        bonus=bonus,
        computed=computed,
        amount=computed,
    )


def _marginal_parts(brackets: tuple[Bracket, ...], value: Decimal) -> tuple[BracketPart, ...]:
    """Each part of the base at its own bracket's rate, as income tax is computed."""
    parts = []
    for bracket in brackets:
        part = bracket.part_of(value)
        parts.append(BracketPart(bracket, part, part * bracket.rate))
    return tuple(parts)


def _step_part(brackets: tuple[Bracket, ...], value: Decimal) -> tuple[BracketPart, ...]:
    """The whole base at the bracket it falls in; below the first bracket it earns nothing."""
    for bracket in brackets:
        if bracket.contains(value):
            amount = bracket.amount if bracket.amount is not None else value * bracket.rate
            return (BracketPart(bracket, value, amount),)
    return ()


def _bonus(bonus: Bonus | None, facts: Facts, gross: Decimal) -> BonusApplied | None:
    if bonus is None or not facts.get(bonus.when):
        return None
    return BonusApplied(bonus.rate, bonus.when, gross * bonus.rate)


def _failed_conditions(eligibility: Eligibility, facts: Facts) -> tuple[ConditionFailure, ...]:
    """Every eligibility condition the known facts fail (unknown facts are reported as missing instead)."""
    failures = []
    for i, minimum in enumerate(eligibility.minimums):
        if facts.get(minimum.fact) is None:
            continue
        value = facts.amount(minimum.fact)
        if not minimum.threshold.admits_from_above(value):
            side = "≥" if minimum.threshold.inclusive else ">"
            failures.append(
                ConditionFailure(
                    f"eligibility.minimums[{i}]",
                    minimum.fact,
                    f"{side} {_plain(minimum.threshold.value)}",
                    _plain(value),
                )
            )
    for flag in eligibility.flags:
        actual = facts.get(flag.fact)
        if actual is not None and actual is not flag.required:
            failures.append(
                ConditionFailure(
                    f"eligibility.flags.{flag.fact}",
                    flag.fact,
                    str(flag.required).lower(),
                    str(actual).lower(),
                )
            )
    failures += _industry_failures(eligibility, facts.industry)
    limit = eligibility.years_since_signing
    if limit is not None and facts.years_since_signing is not None:
        if not limit.admits_from_below(facts.years_since_signing):
            side = "≤" if limit.inclusive else "<"
            failures.append(
                ConditionFailure(
                    "eligibility.years_since_signing",
                    "years_since_signing",
                    f"{side} {_plain(limit.value)}",
                    _plain(facts.years_since_signing),
                )
            )
    return tuple(failures)


def _industry_failures(eligibility: Eligibility, industry: str | None) -> list[ConditionFailure]:
    if industry is None:
        return []
    failures = []
    if eligibility.industries and not any(industry_matches(industry, e) for e in eligibility.industries):
        failures.append(
            ConditionFailure(
                "eligibility.industries", "industry", "one of " + ", ".join(eligibility.industries), industry
            )
        )
    if any(industry_matches(industry, entry) for entry in eligibility.excluded_industries):
        failures.append(
            ConditionFailure(
                "eligibility.excluded_industries",
                "industry",
                "none of " + ", ".join(eligibility.excluded_industries),
                industry,
            )
        )
    return failures


def industry_matches(industry: str, entry: str) -> bool:
    """Whether a GB/T 4754 code ("M7320", "7320", "M") falls under an entry ("M", "73", "732")."""
    code = industry.strip().upper()
    entry = entry.strip().upper()
    if entry.isalpha():
        return code.startswith(entry)
    return code.lstrip("ABCDEFGHIJKLMNOPQRST").startswith(entry)


def _apply_clause_caps(lines: list[AwardLine], caps: Caps) -> list[AwardLine]:
    if caps.per_year is not None:
        lines = [_cap_line(line, CapKind.PER_YEAR, caps.per_year) for line in lines]
    if caps.total is not None:
        lines = _cap_running(lines, CapKind.CLAUSE_TOTAL, caps.total)
    return lines


def _cap_line(line: AwardLine, kind: CapKind, limit: Decimal) -> AwardLine:
    """Hold a line to ``limit``, recording the cap when the line reaches it."""
    if line.amount <= 0 or line.amount < limit:
        return line
    after = min(line.amount, limit)
    return replace(line, amount=after, caps=line.caps + (CapApplied(kind, limit, line.amount, after),))


def _cap_running(lines: list[AwardLine], kind: CapKind, limit: Decimal) -> list[AwardLine]:
    """Hold lines to one limit together: earlier lines (earlier clauses, earlier years) are paid first."""
    remaining, capped = limit, []
    for line in lines:
        capped.append(_cap_line(line, kind, remaining))
        remaining -= capped[-1].amount
    return capped


def _settle_exclusivity(policy: Policy, outcomes: list[ClauseOutcome]):
    """In each exclusivity group only the highest clause pays (从优、就高、不重复); ties go to the first."""
    decisions = []
    groups = dict.fromkeys(clause.exclusive_group for clause in policy.clauses if clause.exclusive_group)
    group_of = {clause.key: clause.exclusive_group for clause in policy.clauses}
    for group in groups:
        members = [o for o in outcomes if group_of[o.clause] == group]
        undecided_by = tuple(o.clause for o in members if o.status is Status.MISSING_FACTS)
        eligible = [o for o in members if o.status in (Status.PAYABLE, Status.NOTHING_DUE)]
        amounts = tuple((o.clause, o.amount) for o in eligible)
        if undecided_by:
            # Paying any member now could pay the wrong one once the missing facts arrive.
            waiting = {o.clause for o in eligible}
            decisions.append(ExclusivityDecision(group, amounts, "", (), undecided_by))
            outcomes = [_exclude(o, "", Status.UNDECIDED) if o.clause in waiting else o for o in outcomes]
            continue
        paying = [o for o in eligible if o.amount > 0]
        if not paying:
            decisions.append(ExclusivityDecision(group, amounts, "", ()))
            continue
        winner = max(paying, key=lambda o: o.amount)  # max keeps the first of equal amounts
        excluded = tuple(o.clause for o in paying if o is not winner)
        decisions.append(ExclusivityDecision(group, amounts, winner.clause, excluded))
        outcomes = [
            _exclude(o, winner.clause, Status.EXCLUDED) if o.clause in excluded else o for o in outcomes
        ]
    return outcomes, decisions


def _exclude(outcome: ClauseOutcome, winner: str, status: Status) -> ClauseOutcome:
    lines = tuple(replace(line, amount=ZERO, excluded_by=winner) for line in outcome.lines)
    return replace(outcome, status=status, lines=lines)


def _apply_project_cap(outcomes: list[ClauseOutcome], limit: Decimal | None):
    """Hold the whole project to the policy's cap, paying clauses in the policy's order."""
    if limit is None:
        return outcomes, None
    before = sum((outcome.amount for outcome in outcomes), ZERO)
    remaining, capped = limit, []
    for outcome in outcomes:
        lines = _cap_running(list(outcome.lines), CapKind.PROJECT, remaining)
        remaining -= sum((line.amount for line in lines), ZERO)
        capped.append(replace(outcome, lines=tuple(lines)))
    if before < limit or before == 0:
        return capped, None
    return capped, CapApplied(CapKind.PROJECT, limit, before, min(before, limit))


def _with_instalments(outcome: ClauseOutcome, instalments: tuple[Instalment, ...]) -> ClauseOutcome:
    lines = tuple(
        replace(line, instalments=split_instalments(line.amount, instalments)) for line in outcome.lines
    )
    return replace(outcome, lines=lines)


def split_instalments(amount: Decimal, instalments: tuple[Instalment, ...]) -> tuple[InstalmentAmount, ...]:
    """Split an amount by shares, each rounded half up, the last taking the remainder so they add up."""
    if amount <= 0:
        return ()
    parts, paid = [], ZERO
    for number, instalment in enumerate(instalments, start=1):
        is_last = number == len(instalments)
        part = amount - paid if is_last else round_cent(amount * instalment.share)
        paid += part
        parts.append(InstalmentAmount(number, instalment.share, part, instalment.condition))
    return tuple(parts)


# --- plain data for JSON --------------------------------------------------------------------------


def result_as_data(result: AwardResult) -> dict:
    """The result as JSON-ready data, Decimals as strings, so a person can check each line by hand."""
    return {
        "policy": result.policy,
        "total": _fen(result.total),
        "complete": result.complete,
        "missing_facts": list(result.missing_facts),
        "by_beneficiary": {
            b.value: _fen(result.total_for(b))
            for b in Beneficiary
            if any(line.beneficiary is b for line in result.lines)
        },
        "clauses": [_outcome_data(outcome) for outcome in result.clauses],
        "lines": [_line_data(line) for line in result.lines],
        "exclusivity": [_decision_data(decision) for decision in result.exclusivity],
        "project_cap": _cap_data(result.project_cap) if result.project_cap else None,
    }


def _money(value: Decimal) -> str:
    """An exact figure (a base, a part, a rate) without exponent or trailing zeros."""
    return _plain(value)


def _fen(value: Decimal) -> str:
    """A payable amount, always with its two decimals."""
    return format(value.quantize(CENT), "f")


def _optional(value: Decimal | None) -> str | None:
    return None if value is None else _plain(value)


def _threshold_data(threshold: Threshold | None, lower: bool) -> dict:
    if threshold is None:
        return {}
    word = (
        ("at_least" if threshold.inclusive else "over")
        if lower
        else ("at_most" if threshold.inclusive else "under")
    )
    return {word: _money(threshold.value)}


def _outcome_data(outcome: ClauseOutcome) -> dict:
    return {
        "clause": outcome.clause,
        "title": outcome.title,
        "beneficiary": outcome.beneficiary.value,
        "status": outcome.status.value,
        "amount": _fen(outcome.amount),
        "missing_facts": list(outcome.missing_facts),
        "failed_conditions": [
            {"condition": f.condition, "fact": f.fact, "expected": f.expected, "actual": f.actual}
            for f in outcome.failed_conditions
        ],
    }


def _line_data(line: AwardLine) -> dict:
    return {
        "clause": line.clause,
        "beneficiary": line.beneficiary.value,
        "year": line.year,
        "base": {
            "name": line.base.name.value,
            "value": _money(line.base.value),
            "source": line.base.source,
            "records": [
                {
                    "amount": _money(c.record.amount),
                    "unit": c.record.unit.value,
                    "rate": _optional(c.record.rate),
                    "date": c.record.on.isoformat() if c.record.on else None,
                    "yuan": _money(c.yuan),
                }
                for c in line.base.records
            ],
        },
        "shape": line.shape.value,
        "rate": _optional(line.rate),
        "brackets": [
            {
                **_threshold_data(p.bracket.lower, lower=True),
                **_threshold_data(p.bracket.upper, lower=False),
                "rate": _optional(p.bracket.rate),
                "fixed_amount": _optional(p.bracket.amount),
                "part": _money(p.part),
                "amount": _money(p.amount),
            }
            for p in line.brackets
        ],
        "fixed_amount": _optional(line.fixed_amount),
        "threshold_met": line.threshold_met,
        "gross": _money(line.gross),
        "bonus": None
        if line.bonus is None
        else {"rate": _money(line.bonus.rate), "when": line.bonus.when, "amount": _money(line.bonus.amount)},
        "computed": _fen(line.computed),
        "caps": [_cap_data(cap) for cap in line.caps],
        "excluded_by": line.excluded_by or None,
        "amount": _fen(line.amount),
        "instalments": [
            {"number": i.number, "share": _money(i.share), "amount": _fen(i.amount), "condition": i.condition}
            for i in line.instalments
        ],
    }


def _cap_data(cap: CapApplied) -> dict:
    return {
        "kind": cap.kind.value,
        "limit": _fen(cap.limit),
        "before": _fen(cap.before),
        "after": _fen(cap.after),
    }


def _decision_data(decision: ExclusivityDecision) -> dict:
    return {
        "group": decision.group,
        "rule": "从优、就高、不重复",
        "amounts": {clause: _fen(amount) for clause, amount in decision.amounts},
        "winner": decision.winner or None,
        "excluded": list(decision.excluded),
        "undecided_by": list(decision.undecided_by),
    }
