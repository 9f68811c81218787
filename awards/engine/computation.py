"""The computation: one valid policy's clauses applied to one project's facts (``compute``, the one entry).

Order of work for each clause: eligibility → base → shape → bonus → round → cap per year → cap per clause;
then across clauses: exclusivity group (highest pays) → project cap (in clause order) → instalments.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from .types import (
    ZERO,
    AwardLine,
    AwardResult,
    Base,
    BaseValue,
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
    Instalment,
    InstalmentAmount,
    Policy,
    Shape,
    Status,
    plain,
    round_cent,
)
from .validation import InvalidPolicy, validate_policy


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
                f"{base.fact} year {year} ({plain(series[year])}) − year {year - 1} "
                f"({plain(series[year - 1])}), floored at 0"
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
                    f"{side} {plain(minimum.threshold.value)}",
                    plain(value),
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
                    f"{side} {plain(limit.value)}",
                    plain(facts.years_since_signing),
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
