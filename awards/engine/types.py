"""The engine's vocabulary: units, fact names, the facts of a project, a policy and a result, all frozen.

Every money value here is in 元 as a ``Decimal``; amount facts are records carrying their own unit (see the
package's docstring for the units, stated once).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)


def round_cent(amount: Decimal) -> Decimal:
    """Round an amount of 元 to the fen, half up, as payments are made."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros, for messages and files."""
    return format(value.normalize(), "f")


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
