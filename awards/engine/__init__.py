"""Incentive-award computation: one policy's clauses applied to one project's facts.

A pure package (no ORM, no Django): frozen dataclasses in, frozen dataclasses out, so the calculator, award
applications, batch recomputes and the ``award_preview`` command all reach the same figure the same way.
``compute`` is the one entry; the parts sit apart so each can be read on its own:

* ``types``: units, fact names, the facts of a project, a policy and a result;
* ``validation``: every problem of a policy, naming the clause and the field (``compute`` refuses a policy
  with any);
* ``computation``: ``compute`` itself, clause by clause and then across clauses (its docstring gives the order
  of work);
* ``serialisation``: a result as JSON-ready data (``result_as_data``).

Units, stated once:

* Every money value inside the engine is in 元 as a ``Decimal``: thresholds, fixed amounts, caps, base values
  and awards. Files speak 万元 (see ``policy_file``); they convert exactly before calling in here.
* Amount facts arrive as ``MoneyRecord`` values that carry their own unit (元, 万元, 亿元, USD, 万美元); a USD
  record carries the CNY rate of its own date and is converted on its own, record by record.
* Rates are fractions (``Decimal("0.01")`` is 1%).
* Each payable line is rounded to 0.01 元 (ROUND_HALF_UP) before caps; the total is the sum of the rounded
  lines, so the breakdown always adds up to the total a person sees.
"""

from .computation import compute, industry_matches, split_instalments
from .serialisation import result_as_data
from .types import (
    AMOUNT_FACTS,
    BY_YEAR_FACTS,
    CENT,
    FACT_NAMES,
    FLAG_FACTS,
    ONE,
    OTHER_FACTS,
    WHOLE_AT_ONCE,
    ZERO,
    AppliesTo,
    AwardLine,
    AwardResult,
    Base,
    BaseValue,
    Beneficiary,
    Bonus,
    BonusApplied,
    Bracket,
    BracketPart,
    CapApplied,
    CapKind,
    Caps,
    Clause,
    ClauseOutcome,
    ConditionFailure,
    ConvertedRecord,
    Eligibility,
    ExclusivityDecision,
    Facts,
    FlagCondition,
    Instalment,
    InstalmentAmount,
    Minimum,
    MoneyRecord,
    Policy,
    Shape,
    Status,
    Threshold,
    Unit,
    YearRate,
    round_cent,
)
from .validation import InvalidPolicy, Problem, gettext_noop, validate_policy

__all__ = [
    "AMOUNT_FACTS",
    "BY_YEAR_FACTS",
    "CENT",
    "FACT_NAMES",
    "FLAG_FACTS",
    "ONE",
    "OTHER_FACTS",
    "WHOLE_AT_ONCE",
    "ZERO",
    "AppliesTo",
    "AwardLine",
    "AwardResult",
    "Base",
    "BaseValue",
    "Beneficiary",
    "Bonus",
    "BonusApplied",
    "Bracket",
    "BracketPart",
    "CapApplied",
    "CapKind",
    "Caps",
    "Clause",
    "ClauseOutcome",
    "ConditionFailure",
    "ConvertedRecord",
    "Eligibility",
    "ExclusivityDecision",
    "Facts",
    "FlagCondition",
    "Instalment",
    "InstalmentAmount",
    "InvalidPolicy",
    "Minimum",
    "MoneyRecord",
    "Policy",
    "Problem",
    "Shape",
    "Status",
    "Threshold",
    "Unit",
    "YearRate",
    "compute",
    "gettext_noop",
    "industry_matches",
    "result_as_data",
    "round_cent",
    "split_instalments",
    "validate_policy",
]
