"""The entry pre-check (准入预审): a project's figures against its industry's entry thresholds.

Pure module: plain values and frozen dataclasses in and out, no ORM. The result is computed every time it is
shown and never stored, so a corrected figure or threshold is reflected at once.

* investment intensity = fixed-asset investment (万元) / land (亩)
* expected tax per 亩  = expected annual tax (万元) / land (亩)
* total investment     = total planned investment (万元)

A per-亩 figure has no meaning for a project that needs no land (an office or a headquarters): it is reported
as "not applicable" rather than divided by zero. Each threshold says which side passes (≥ or >, ≤ or <),
because 以上 includes the number and 超过 excludes it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


class Metric(enum.StrEnum):
    INVESTMENT_INTENSITY = "intensity"
    TAX_PER_MU = "tax_per_mu"
    TOTAL_INVESTMENT = "total_investment"


class Comparator(enum.StrEnum):
    GTE = "gte"
    GT = "gt"
    LTE = "lte"
    LT = "lt"

    @property
    def symbol(self) -> str:
        return {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<"}[self.value]

    def passes(self, actual: Decimal, limit: Decimal) -> bool:
        return {
            Comparator.GTE: actual >= limit,
            Comparator.GT: actual > limit,
            Comparator.LTE: actual <= limit,
            Comparator.LT: actual < limit,
        }[self]


class Verdict(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"  # a per-亩 figure for a project that needs no land


PER_MU = frozenset({Metric.INVESTMENT_INTENSITY, Metric.TAX_PER_MU})


@dataclass(frozen=True)
class Facts:
    """The project figures the pre-check reads (万元 and 亩)."""

    total_investment_wan: Decimal
    fixed_asset_investment_wan: Decimal
    land_mu: Decimal
    expected_tax_wan: Decimal

    def __post_init__(self):
        for name in ("total_investment_wan", "fixed_asset_investment_wan", "land_mu", "expected_tax_wan"):
            value = getattr(self, name)
            if not isinstance(value, Decimal):
                raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
            if value < 0:
                raise ValueError(f"{name} cannot be negative")


@dataclass(frozen=True)
class Threshold:
    metric: Metric
    comparator: Comparator
    value: Decimal
    area_specific: bool = False


@dataclass(frozen=True)
class Check:
    """One line of the pre-check: the figure, the threshold and the verdict."""

    metric: Metric
    comparator: Comparator
    threshold: Decimal
    actual: Decimal | None
    verdict: Verdict


@dataclass(frozen=True)
class Result:
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        """True when no applicable check fails (and at least one threshold exists)."""
        return bool(self.checks) and all(c.verdict != Verdict.FAIL for c in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.verdict == Verdict.FAIL)


def figure(metric: Metric, facts: Facts) -> Decimal | None:
    """The project's value of ``metric``, rounded to 0.01; None for a per-亩 figure without land."""
    if metric == Metric.TOTAL_INVESTMENT:
        return facts.total_investment_wan
    if facts.land_mu == 0:
        return None
    numerator = facts.fixed_asset_investment_wan if metric == Metric.INVESTMENT_INTENSITY else facts.expected_tax_wan
    return (numerator / facts.land_mu).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def select_thresholds(thresholds: list[Threshold] | tuple[Threshold, ...]) -> tuple[Threshold, ...]:
    """One threshold per figure: an area's own figure overrides the district-wide one."""
    chosen: dict[Metric, Threshold] = {}
    for t in thresholds:
        if t.metric not in chosen or (t.area_specific and not chosen[t.metric].area_specific):
            chosen[t.metric] = t
    return tuple(chosen[m] for m in Metric if m in chosen)


def run(facts: Facts, thresholds: list[Threshold] | tuple[Threshold, ...]) -> Result:
    """Compare each figure with its threshold. The comparison uses the rounded figure people see, so the
    verdict never contradicts the numbers on the page."""
    checks = []
    for t in select_thresholds(thresholds):
        actual = figure(t.metric, facts)
        if actual is None:
            verdict = Verdict.NOT_APPLICABLE
        else:
            verdict = Verdict.PASS if t.comparator.passes(actual, t.value) else Verdict.FAIL
        checks.append(Check(metric=t.metric, comparator=t.comparator, threshold=t.value, actual=actual,
                            verdict=verdict))
    return Result(checks=tuple(checks))
