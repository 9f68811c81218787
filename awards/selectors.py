"""The read functions behind the award pages and the facts an award is computed on, on top of the visibility in
awards.access (partner reviewers see nothing of awards)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from awards.access import applications_visible_to, get_application_for_user, policies_visible_to
from awards.choices import (
    ENTERED_AMOUNT_FACTS,
    ENTERED_FLAG_FACTS,
    ENTERED_YEARLY_FACTS,
    ApplicationStatus,
    InstalmentStatus,
)
from awards.engine import Facts, MoneyRecord, Unit
from awards.models import (
    ApplicationStatusChange,
    AwardApplication,
    AwardFact,
    AwardPolicy,
    Instalment,
    Recovery,
)
from projects.choices import CapitalKind, MilestoneKind
from projects.models import Project

HIGH_TECH = "high-tech"  # crm.KeyIndustry code of 高新技术产业
REAL_ESTATE_SECTION = "K"  # GB/T 4754-2017 section K, 房地产业


# --- policies, lists and the sheet ----------------------------------------------------------------------------


def current_policies(user) -> QuerySet[AwardPolicy]:
    """The version of each policy that new calculations and applications use."""
    return policies_visible_to(user).filter(is_current=True).order_by("-effective_from", "key")


@dataclass(frozen=True)
class ApplicationFilters:
    year: int | None = None  # the year the application was created (Asia/Shanghai)
    status: str = ""
    beneficiary: str = ""


def application_list(*, user, filters: ApplicationFilters) -> QuerySet[AwardApplication]:
    """Applications with what a row shows joined once, and the amount paid so far summed in the database (by a
    subquery per row shown: a join with the instalments would group every application to page through them)."""
    paid = (Instalment.objects.filter(application=OuterRef("pk"), status=InstalmentStatus.PAID).order_by()
            .values("application").annotate(total=Sum("amount")).values("total"))
    qs = (applications_visible_to(user)
          .select_related("project__enterprise", "policy", "introducer")
          .annotate(paid=Subquery(paid, output_field=DecimalField(max_digits=16, decimal_places=2)))
          .order_by("-created_at", "-id"))
    return _filtered(qs, filters)


def _filtered(qs: QuerySet[AwardApplication], filters: ApplicationFilters) -> QuerySet[AwardApplication]:
    if filters.year:
        qs = qs.filter(created_at__year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.beneficiary:
        qs = qs.filter(beneficiary=filters.beneficiary)
    return qs


@dataclass(frozen=True)
class ApplicationTotals:
    count: int
    awarded: Decimal  # approved awards (public notice and later), 元
    paid: Decimal
    recovered: Decimal


def application_totals(*, user, filters: ApplicationFilters) -> ApplicationTotals:
    """Totals of the filtered applications, computed in the database (three aggregate queries)."""
    qs = _filtered(applications_visible_to(user), filters)
    approved = [ApplicationStatus.PUBLIC_NOTICE, ApplicationStatus.PAYING, ApplicationStatus.COMPLETED,
                ApplicationStatus.CANCELLED]
    head = qs.aggregate(count=Count("id"), awarded=Sum("total", filter=Q(status__in=approved)))
    paid = Instalment.objects.filter(application__in=qs, status=InstalmentStatus.PAID).aggregate(s=Sum("amount"))
    recovered = Recovery.objects.filter(application__in=qs).aggregate(s=Sum("amount"))
    zero = Decimal("0.00")
    return ApplicationTotals(head["count"], head["awarded"] or zero, paid["s"] or zero, recovered["s"] or zero)


def application_years(*, user) -> list[int]:
    dates = applications_visible_to(user).dates("created_at", "year", order="DESC")
    return [d.year for d in dates]


def application_for_sheet(*, user, pk) -> AwardApplication:
    """One application with everything its sheet shows: instalments, history, recoveries (queries fixed)."""
    application = get_application_for_user(user, pk)
    return (AwardApplication.objects.filter(pk=application.pk)
            .select_related("project__enterprise", "project__owner", "policy", "introducer", "created_by",
                            "approved_by")
            .prefetch_related(
                Prefetch("instalments", queryset=Instalment.objects.select_related("paid_by",
                                                                                   "condition_confirmed_by")),
                Prefetch("status_changes", queryset=ApplicationStatusChange.objects.select_related("by")),
                Prefetch("recoveries", queryset=Recovery.objects.select_related("recorded_by")),
            ).get())


def project_facts_list(*, project: Project) -> QuerySet[AwardFact]:
    return project.award_facts.select_related("entered_by").order_by("name", "year")


# --- the facts of a project ---------------------------------------------------------------------------


@dataclass
class GatheredFacts:
    """The engine's facts of a project and, per fact name, where each value came from (plain data, stored
    with the application so the sheet names its sources without reading the records again)."""

    facts: Facts
    sources: dict[str, list[dict]] = field(default_factory=dict)


def default_first_award_year(project: Project, *, today: date | None = None) -> int:
    """Year 1 of a policy's counting: the year of registration in the district, else of signing, else now."""
    milestones = {m.kind: m.date for m in project.milestones.all()}
    day = milestones.get(MilestoneKind.REGISTRATION) or milestones.get(MilestoneKind.CONTRACT)
    return (day or today or timezone.localdate()).year


def gather_project_facts(project: Project, *, first_award_year: int | None = None,
                         today: date | None = None) -> GatheredFacts:
    """Read a project's facts from its own records (capital in place with each foreign record at its own
    rate, milestones, industry, key industries, planned investment) and from the award facts entered for it.

    A fact with no record is left unknown (``None``) so the engine names it as missing, rather than counted
    as zero. Yearly facts are entered by calendar year and handed to the engine as award years: year 1 is
    ``first_award_year``, year 0 the year before it.
    """
    today = today or timezone.localdate()
    milestones = {m.kind: m for m in project.milestones.all()}
    first_award_year = first_award_year or default_first_award_year(project, today=today)
    values: dict = {}
    sources: dict[str, list[dict]] = {}

    capital = list(project.capital_records.select_related("recorded_by").order_by("date", "id"))
    if capital:
        values["capital_in_place"] = tuple(_capital_record(c) for c in capital)
        values["foreign_capital_usd"] = tuple(
            _capital_record(c) for c in capital if c.kind == CapitalKind.FOREIGN)
        sources["capital_in_place"] = [_capital_source(c) for c in capital]
        sources["foreign_capital_usd"] = [_capital_source(c) for c in capital if c.kind == CapitalKind.FOREIGN]

    values["total_investment"] = (MoneyRecord(project.total_investment_wan, Unit.WAN_YUAN),)
    sources["total_investment"] = [{"kind": "project", "field": "total_investment_wan"}]
    values["industry"] = project.industry.code
    values["is_real_estate"] = project.industry.code.startswith(REAL_ESTATE_SECTION)
    sources["industry"] = sources["is_real_estate"] = [{"kind": "project", "field": "industry",
                                                        "value": str(project.industry)}]
    values["is_high_tech"] = project.enterprise.key_industries.filter(code=HIGH_TECH).exists()
    sources["is_high_tech"] = [{"kind": "enterprise", "field": "key_industries"}]

    registration = milestones.get(MilestoneKind.REGISTRATION)
    values["registered_in_district"] = registration is not None
    sources["registered_in_district"] = [_milestone_source(registration, MilestoneKind.REGISTRATION)]
    contract = milestones.get(MilestoneKind.CONTRACT)
    if contract is not None:
        values["years_since_signing"] = years_between(contract.date, today)
        sources["years_since_signing"] = [_milestone_source(contract, MilestoneKind.CONTRACT),
                                          {"kind": "today", "date": today.isoformat()}]

    _entered_facts(project, first_award_year, values, sources)
    return GatheredFacts(Facts(**values), sources)


def _entered_facts(project: Project, first_award_year: int, values: dict, sources: dict) -> None:
    yearly: dict[str, dict[int, Decimal]] = {}
    for fact in project.award_facts.select_related("entered_by").order_by("name", "year", "id"):
        source = {"kind": "award_fact", "name": fact.name, "year": fact.year, "amount": _text(fact.amount),
                  "unit": fact.unit, "flag": fact.flag, "source": fact.source, "as_of": fact.as_of.isoformat(),
                  "entered_by": str(fact.entered_by)}
        if fact.name in ENTERED_AMOUNT_FACTS:
            values[fact.name] = (MoneyRecord(fact.amount, Unit(fact.unit), on=fact.as_of),)
        elif fact.name in ENTERED_FLAG_FACTS:
            values[fact.name] = fact.flag
        elif fact.name in ENTERED_YEARLY_FACTS:
            award_year = fact.year - first_award_year + 1
            if award_year < 0:
                continue  # before the year the policy needs (year 0, for an increase over the year before)
            yearly.setdefault(fact.name, {})[award_year] = fact.amount * Unit(fact.unit).factor
            source["award_year"] = award_year
        sources.setdefault(fact.name, []).append(source)
    values.update(yearly)


def _capital_record(record) -> MoneyRecord:
    if record.kind == CapitalKind.FOREIGN:
        return MoneyRecord(record.amount_usd_wan, Unit.WAN_USD, rate=record.usd_cny_rate, on=record.date)
    return MoneyRecord(record.amount_wan, Unit.WAN_YUAN, on=record.date)


def _capital_source(record) -> dict:
    return {"kind": "capital", "capital_kind": record.kind, "date": record.date.isoformat(),
            "amount": _text(record.amount_usd_wan if record.kind == CapitalKind.FOREIGN else record.amount_wan),
            "rate": _text(record.usd_cny_rate), "recorded_by": str(record.recorded_by)}


def _milestone_source(milestone, kind: str) -> dict:
    return {"kind": "milestone", "milestone": kind, "date": milestone.date.isoformat() if milestone else None}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def years_between(start: date, end: date) -> Decimal:
    """Whole years from ``start`` to ``end`` plus the elapsed part of the current year, to the hundredth,
    rounded down: so a project is "within 3 years of signing" up to and including the third anniversary."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    if years < 0:
        return Decimal(0)
    anniversary = _add_years(start, years)
    following = _add_years(start, years + 1)
    part = Decimal((end - anniversary).days) / Decimal((following - anniversary).days)
    return (Decimal(years) + part).quantize(Decimal("0.01"), rounding="ROUND_DOWN")


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year + years, day=28)


def facts_as_data(facts: Facts) -> dict:
    """Facts written in the facts-file format (docs/award-policy.md) that ``policy_file.facts_from_data``
    reads back to the same facts: stored on an application, and downloadable for ``award_preview``."""
    data = {}
    for name, value in vars(facts).items():
        if value is None:
            continue
        if isinstance(value, tuple):
            data[name] = [_record_data(record) for record in value]
        elif isinstance(value, dict):
            data[name] = {str(year): f"{_text(amount)}元" for year, amount in sorted(value.items())}
        elif isinstance(value, Decimal):
            data[name] = _text(value)
        else:
            data[name] = value
    return data


def _record_data(record: MoneyRecord) -> dict:
    data = {"amount": _text(record.amount), "unit": record.unit.value}
    if record.rate is not None:
        data["rate"] = _text(record.rate)
    if record.on is not None:
        data["date"] = record.on.isoformat()
    return data
