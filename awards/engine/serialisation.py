"""A result as plain JSON-ready data (stored on an application, shown on the calculation sheet).

Decimals become strings so a person can check each line by hand: payable amounts with their two decimals,
exact figures (bases, parts, rates) without exponent or trailing zeros.
"""

from __future__ import annotations

from decimal import Decimal

from .types import (
    CENT,
    AwardLine,
    AwardResult,
    Beneficiary,
    CapApplied,
    ClauseOutcome,
    ExclusivityDecision,
    Threshold,
    plain,
)


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
    return plain(value)


def _fen(value: Decimal) -> str:
    """A payable amount, always with its two decimals."""
    return format(value.quantize(CENT), "f")


def _optional(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


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
