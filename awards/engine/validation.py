"""Validation of a policy: every problem at once, each naming the clause and the field, before any award.

A policy with a problem is refused by ``compute`` (``InvalidPolicy``) rather than yield a wrong award; the
policy file reader shows the same problems to the administrator who wrote the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .types import (
    AMOUNT_FACTS,
    FLAG_FACTS,
    ONE,
    ZERO,
    Base,
    Bracket,
    Clause,
    Eligibility,
    Instalment,
    Policy,
    Shape,
    Threshold,
    YearRate,
    plain,
)


def gettext_noop(message: str) -> str:
    """Mark a problem message for translation without importing Django (``policy_file`` translates it)."""
    return message


@dataclass(frozen=True)
class Problem:
    """Something wrong with a policy: where (clause key, field path) and what (an English template)."""

    clause: str  # "" for a policy-level field
    field: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, translate=lambda message: message) -> str:
        return translate(self.message) % dict(self.params)


class InvalidPolicy(ValueError):
    """A policy ``validate_policy`` refuses: no award is computed from it."""

    def __init__(self, problems: tuple[Problem, ...]):
        self.problems = problems
        super().__init__("; ".join(f"{p.clause or 'policy'}.{p.field}: {p.render()}" for p in problems))


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
    params = {"value": plain(lower.value)}
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
            {"total": plain(total * 100)},
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
