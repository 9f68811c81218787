"""The calculation sheet (计算单): an engine result laid out so a person can check it with a pen.

Built from ``engine.result_as_data`` (stored on an application, or fresh from the calculator) and the policy it
was computed with; no arithmetic happens here, only wording and formatting. The HTML page and the Excel export
both draw from the same ``Sheet``, so they always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.engine import Policy
from awards.policy_file import money_text, rate_text

FACT_LABELS = {
    "paid_in_registered_capital": gettext_lazy("Paid-in registered capital"),
    "fixed_asset_investment_excl_land": gettext_lazy("Fixed-asset investment made, excluding land"),
    "capital_in_place": gettext_lazy("Capital actually in place"),
    "foreign_capital_usd": gettext_lazy("Foreign capital actually used"),
    "purchase_price": gettext_lazy("Office purchase price (market guide price)"),
    "total_investment": gettext_lazy("Total planned investment"),
    "local_fiscal_contribution": gettext_lazy("Local fiscal contribution"),
    "local_fiscal_contribution_increase": gettext_lazy("Increase of the local fiscal contribution over the "
                                                       "year before"),
    "rent": gettext_lazy("Office rent"),
    "fixed_sum": gettext_lazy("No base: a fixed sum"),
    "is_high_tech": gettext_lazy("High-tech enterprise"),
    "is_real_estate": gettext_lazy("Real-estate project"),
    "registered_in_district": gettext_lazy("Registered in the district"),
    "is_newly_settled": gettext_lazy("Newly settled headquarters"),
    "is_international_organisation_hq": gettext_lazy("International organisation regional headquarters"),
    "industry": gettext_lazy("Industry (GB/T 4754)"),
    "years_since_signing": gettext_lazy("Years since signing"),
}

STATUS_LABELS = {
    "payable": gettext_lazy("Payable"),
    "nothing_due": gettext_lazy("Eligible, nothing due"),
    "not_eligible": gettext_lazy("Not eligible"),
    "missing_facts": gettext_lazy("Facts missing"),
    "excluded": gettext_lazy("Excluded: a higher award of its group applies"),
    "undecided": gettext_lazy("Undecided until the group's facts are known"),
}

SHAPE_LABELS = {
    "flat": gettext_lazy("Flat rate"),
    "marginal": gettext_lazy("Marginal brackets (each part at its own rate)"),
    "step": gettext_lazy("Step brackets (the whole base at one bracket's rate)"),
    "fixed": gettext_lazy("Fixed amount"),
    "schedule": gettext_lazy("Rate by award year"),
}

CAP_LABELS = {
    "per_year": gettext_lazy("Cap per year"),
    "clause_total": gettext_lazy("Cap of the clause in total"),
    "project": gettext_lazy("Cap per project"),
}

PROJECT_FIELD_LABELS = {
    "total_investment_wan": gettext_lazy("the project's total planned investment"),
    "industry": gettext_lazy("the project's industry"),
}


def fact_label(name: str) -> str:
    """A fact's name for people; an increase's missing year ("local_fiscal_contribution[0]") says the year."""
    base, _sep, year = name.partition("[")
    label = str(FACT_LABELS.get(base, base))
    return _("%(fact)s of award year %(year)s") % {"fact": label, "year": year.rstrip("]")} if year else label


def yuan(value) -> str:
    """An amount of 元 to the fen with thousands separators: 1,500,000.00."""
    return f"{Decimal(value):,.2f}"


def exact(value) -> str:
    """An exact figure (a base, a bracket's part) without rounding: 1,234,567.891."""
    return f"{Decimal(value).normalize():,f}"


@dataclass(frozen=True)
class Step:
    """One row of a line's working: what was done, the figures, and the amount it gives."""

    label: str
    detail: str = ""
    amount: str = ""


@dataclass(frozen=True)
class InstalmentRow:
    number: int
    share: str
    amount: str
    condition: str


@dataclass(frozen=True)
class LineBlock:
    year: str
    base_label: str
    base_value: str
    base_from: list[str]
    steps: list[Step]
    amount: str
    instalments: list[InstalmentRow]


@dataclass(frozen=True)
class ClauseBlock:
    key: str
    title: str
    article: str
    status: str
    status_label: str
    amount: str
    missing: list[str]
    failures: list[str]
    lines: list[LineBlock]


@dataclass(frozen=True)
class FactRow:
    label: str
    value: str
    sources: list[str]


@dataclass(frozen=True)
class Sheet:
    policy_title: str
    policy_meta: list[tuple[str, str]]
    total: str
    complete: bool
    missing: list[str]
    clauses: list[ClauseBlock]
    exclusivity: list[str]
    project_cap: str
    facts: list[FactRow] = field(default_factory=list)

    @property
    def rounding_note(self) -> str:
        return _("Amounts are in CNY (元). Each payable line is rounded half up to 0.01 元; the total is the sum of "
                 "the rounded lines. Bracket parts are shown exact.")


def build_sheet(*, policy: Policy, result: dict, beneficiary: str | None = None, facts: dict | None = None,
                sources: dict | None = None, first_award_year: int | None = None) -> Sheet:
    """Lay out ``result`` (``engine.result_as_data``) for ``policy``; with ``beneficiary`` only that
    beneficiary's clauses are shown, and the total is theirs."""
    clauses_by_key = {clause.key: clause for clause in policy.clauses}
    outcomes = [o for o in result["clauses"] if beneficiary is None or o["beneficiary"] == beneficiary]
    lines_by_clause: dict[str, list[dict]] = {}
    for line in result["lines"]:
        lines_by_clause.setdefault(line["clause"], []).append(line)
    sources = sources or {}
    blocks = [
        ClauseBlock(
            key=o["clause"],
            title=o["title"] or o["clause"],
            article=clauses_by_key[o["clause"]].article if o["clause"] in clauses_by_key else "",
            status=o["status"],
            status_label=str(STATUS_LABELS[o["status"]]),
            amount=yuan(o["amount"]),
            missing=[fact_label(name) for name in o["missing_facts"]],
            failures=[_failure(f) for f in o["failed_conditions"]],
            lines=[_line_block(line, sources, first_award_year) for line in lines_by_clause.get(o["clause"], [])],
        )
        for o in outcomes
    ]
    total = (result["by_beneficiary"].get(beneficiary, "0.00") if beneficiary else result["total"])
    shown = {o["clause"] for o in outcomes}
    missing = list(dict.fromkeys(m for block in blocks for m in block.missing))
    return Sheet(
        policy_title=policy.title,
        policy_meta=_policy_meta(policy),
        total=yuan(total),
        complete=not missing and all(b.status != "undecided" for b in blocks),
        missing=missing,
        clauses=blocks,
        exclusivity=[_exclusivity(d) for d in result["exclusivity"] if shown & set(d["amounts"]) or
                     shown & set(d["undecided_by"])],
        project_cap=_project_cap(result["project_cap"]),
        facts=_fact_rows(facts, sources) if facts is not None else [],
    )


def _policy_meta(policy: Policy) -> list[tuple[str, str]]:
    meta = [(_("Document number"), policy.document_number), (_("Issuing body"), policy.issuer),
            (_("Effective"), f"{policy.effective_from} – {policy.effective_to or _('no end date')}"),
            (_("Source of the figures"), policy.source)]
    return [(label, value) for label, value in meta if value]


def _failure(failure: dict) -> str:
    return _("%(fact)s: needs %(expected)s, is %(actual)s (policy field %(condition)s)") % {
        "fact": fact_label(failure["fact"]), "expected": _flag_word(failure["expected"]),
        "actual": _flag_word(failure["actual"]), "condition": failure["condition"]}


def _flag_word(value: str) -> str:
    """The engine writes a flag condition as true/false; people read yes/no."""
    return {"true": _("yes"), "false": _("no")}.get(value, value)


def _year_label(line: dict, first_award_year: int | None) -> str:
    if line["year"] is None:
        return ""
    if first_award_year:
        return _("Award year %(n)s (%(year)s)") % {"n": line["year"], "year": first_award_year + line["year"] - 1}
    return _("Award year %(n)s") % {"n": line["year"]}


def _line_block(line: dict, sources: dict, first_award_year: int | None) -> LineBlock:
    base = line["base"]
    base_from = [_record(record) for record in base["records"]]
    fact = "local_fiscal_contribution" if base["name"] == "local_fiscal_contribution_increase" else base["name"]
    base_from += [source_text(s) for s in sources.get(fact, []) if _source_matches_line(s, line)]
    return LineBlock(
        year=_year_label(line, first_award_year),
        base_label=str(FACT_LABELS.get(base["name"], base["name"])),
        base_value=exact(base["value"]),
        base_from=base_from,
        steps=_steps(line),
        amount=yuan(line["amount"]),
        instalments=[InstalmentRow(i["number"], rate_text(Decimal(i["share"])), yuan(i["amount"]), i["condition"])
                     for i in line["instalments"]],
    )


def _source_matches_line(source: dict, line: dict) -> bool:
    """A yearly fact's source belongs to the line of its award year (and the year before, for an increase)."""
    if "award_year" not in source or line["year"] is None:
        return True
    years = {line["year"]}
    if line["base"]["name"] == "local_fiscal_contribution_increase":
        years.add(line["year"] - 1)
    return source["award_year"] in years


def _record(record: dict) -> str:
    when = f"{record['date']} " if record["date"] else ""
    if record["rate"]:
        return _("%(when)s%(amount)s %(unit)s × rate %(rate)s = %(yuan)s 元") % {
            "when": when, "amount": exact(record["amount"]), "unit": record["unit"], "rate": record["rate"],
            "yuan": exact(record["yuan"])}
    return _("%(when)s%(amount)s %(unit)s = %(yuan)s 元") % {
        "when": when, "amount": exact(record["amount"]), "unit": record["unit"], "yuan": exact(record["yuan"])}


def _bounds(bracket: dict) -> str:
    parts = []
    for word, sign in (("at_least", "≥"), ("over", ">"), ("at_most", "≤"), ("under", "<")):
        if word in bracket:
            parts.append(f"{sign} {money_text(Decimal(bracket[word]))}")
    return _(" and ").join(parts) if parts else _("any amount")


def _steps(line: dict) -> list[Step]:
    steps = []
    shape = line["shape"]
    steps.append(Step(str(SHAPE_LABELS[shape])))
    if shape in ("flat", "schedule") and line["rate"] is not None:
        steps.append(Step(_("Base × rate"), f"{exact(line['base']['value'])} × {rate_text(Decimal(line['rate']))}",
                          exact(line["gross"])))
    for part in line["brackets"]:
        if part["rate"] is not None:
            detail = _("part %(part)s × %(rate)s") % {"part": exact(part["part"]),
                                                      "rate": rate_text(Decimal(part["rate"]))}
        else:
            detail = _("fixed amount %(amount)s") % {"amount": money_text(Decimal(part["fixed_amount"]))}
        steps.append(Step(_("Bracket %(bounds)s") % {"bounds": _bounds(part)}, detail, exact(part["amount"])))
    if shape == "fixed":
        met = line["threshold_met"]
        detail = "" if met is None else (_("threshold met") if met else _("threshold not met"))
        steps.append(Step(_("Fixed amount"), detail, exact(line["gross"])))
    bonus = line["bonus"]
    if bonus:
        steps.append(Step(_("Bonus when %(flag)s") % {"flag": fact_label(bonus["when"])},
                          f"{exact(line['gross'])} × {rate_text(Decimal(bonus['rate']))}", exact(bonus["amount"])))
    steps.append(Step(_("Rounded half up to 0.01 元"), "", yuan(line["computed"])))
    for cap in line["caps"]:
        steps.append(Step(str(CAP_LABELS[cap["kind"]]),
                          _("limit %(limit)s: %(before)s → %(after)s") % {
                              "limit": yuan(cap["limit"]), "before": yuan(cap["before"]), "after": yuan(cap["after"])},
                          yuan(cap["after"])))
    if line["excluded_by"]:
        steps.append(Step(_("Not paid: clause “%(clause)s” of the same group pays more (从优、就高、不重复)")
                          % {"clause": line["excluded_by"]}, "", yuan("0")))
    return steps


def _exclusivity(decision: dict) -> str:
    amounts = "; ".join(f"{clause} {yuan(amount)}" for clause, amount in decision["amounts"].items())
    if decision["undecided_by"]:
        return _("Group “%(group)s” (%(rule)s) waits for the facts of %(clauses)s.") % {
            "group": decision["group"], "rule": decision["rule"], "clauses": ", ".join(decision["undecided_by"])}
    if decision["winner"]:
        return _("Group “%(group)s” (%(rule)s): %(amounts)s; the highest, %(winner)s, is paid once.") % {
            "group": decision["group"], "rule": decision["rule"], "amounts": amounts, "winner": decision["winner"]}
    return _("Group “%(group)s” (%(rule)s): nothing is payable.") % {"group": decision["group"],
                                                                     "rule": decision["rule"]}


def _project_cap(cap: dict | None) -> str:
    if not cap:
        return ""
    return _("Cap per project %(limit)s: %(before)s → %(after)s (clauses paid in the policy's order)") % {
        "limit": yuan(cap["limit"]), "before": yuan(cap["before"]), "after": yuan(cap["after"])}


def _fact_rows(facts: dict, sources: dict) -> list[FactRow]:
    rows = []
    for name, value in facts.items():
        rows.append(FactRow(str(FACT_LABELS.get(name, name)), _fact_value(value),
                            [source_text(s) for s in sources.get(name, [])]))
    return rows


def _fact_value(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        if not value:
            return _("none recorded")
        return "; ".join(_record_value(record) for record in value)
    if isinstance(value, dict):
        return "; ".join(_("year %(year)s: %(amount)s") % {"year": year, "amount": amount}
                         for year, amount in value.items())
    return str(value)


def _record_value(record: dict) -> str:
    text = f"{exact(record['amount'])} {record['unit']}"
    if record.get("rate"):
        text += f" × {record['rate']}"
    if record.get("date"):
        text = f"{record['date']} {text}"
    return text


def source_text(source: dict) -> str:
    """Where a fact came from, in words (a stored source entry of ``selectors.gather_project_facts``)."""
    kind = source.get("kind")
    if kind == "capital":
        if source["capital_kind"] == "foreign":
            return _("Capital in place on %(date)s: %(amount)s 万美元 at %(rate)s (recorded by %(by)s)") % {
                "date": source["date"], "amount": source["amount"], "rate": source["rate"], "by": source["recorded_by"]}
        return _("Capital in place on %(date)s: %(amount)s 万元 (recorded by %(by)s)") % {
            "date": source["date"], "amount": source["amount"], "by": source["recorded_by"]}
    if kind == "award_fact":
        value = source["flag"] if source["amount"] is None else f"{source['amount']} {source['unit']}"
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        year = f" {source['year']}" if source["year"] else ""
        return _("Entered%(year)s: %(value)s, source: %(source)s, dated %(as_of)s (entered by %(by)s)") % {
            "year": year, "value": value, "source": source["source"], "as_of": source["as_of"],
            "by": source["entered_by"]}
    if kind == "project":
        label = PROJECT_FIELD_LABELS.get(source["field"], source["field"])
        return _("From %(what)s") % {"what": label} + (f": {source['value']}" if source.get("value") else "")
    if kind == "enterprise":
        return _("From the enterprise's key industries (high-tech, 高新技术产业)")
    if kind == "milestone":
        if source["date"] is None:
            return _("No registration in the district is recorded")
        label = _("signing") if source["milestone"] == "contract" else _("registration in the district")
        return _("Date of %(what)s: %(date)s") % {"what": label, "date": source["date"]}
    if kind == "today":
        return _("Counted to %(date)s") % {"date": source["date"]}
    return str(source)
