"""Read functions of aftercare: the complaints as aftercare.access lets the user see them, the key enterprises
with their due visits, the complaint statistics, and the foreign-invested enterprise register. Joins and
aggregates are applied once, so every page costs the same number of queries however many rows it shows."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from aftercare.access import complaints_visible_to
from aftercare.choices import SATISFIED_VERDICTS, ComplaintStatus, Satisfaction
from aftercare.models import (
    Complaint,
    ComplaintCycle,
    ComplianceCheck,
    KeyEnterprise,
    Organisation,
)
from crm.access import require_bureau_staff
from crm.choices import EnterpriseKind
from crm.models import Enterprise
from leads.choices import MeetingKind
from leads.models import MeetingLog
from projects.choices import CapitalKind
from projects.models import CapitalInPlace

# A key enterprise's visit shows as due this many days before its date.
DUE_SOON_DAYS = 14


# --- key enterprises and visits ---------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _with_last_visit(qs: QuerySet[KeyEnterprise]) -> QuerySet[KeyEnterprise]:
    return qs.annotate(last_visit_at=Max("enterprise__meetings__occurred_at",
                                         filter=Q(enterprise__meetings__kind=MeetingKind.VISIT)))


def _attach_due(keys, today: date):
    """Set `last_visit_on`, `next_visit_due`, `days_left` and `visit_state` (overdue / due / ok) on each row:
    the next visit is one cadence after the latest visit, or after the designation when none was made."""
    for key in keys:
        key.last_visit_on = timezone.localdate(key.last_visit_at) if key.last_visit_at else None
        key.next_visit_due = add_months(key.last_visit_on or key.designated_on, key.cadence_months)
        key.days_left = (key.next_visit_due - today).days
        key.visit_state = ("overdue" if key.days_left < 0 else "due" if key.days_left <= DUE_SOON_DAYS else "ok")
    return keys


def key_enterprise_rows(*, today: date, officer=None, search: str = "") -> list[KeyEnterprise]:
    """The active key enterprises with their next visit, most urgent first (one query)."""
    qs = KeyEnterprise.objects.filter(ended_on__isnull=True).select_related("enterprise", "officer")
    if officer is not None:
        qs = qs.filter(officer=officer)
    if search:
        qs = qs.filter(enterprise__name__icontains=search.strip())
    rows = _attach_due(list(_with_last_visit(qs)), today)
    return sorted(rows, key=lambda k: (k.next_visit_due, k.enterprise.name))


def due_visits(*, user, today: date) -> list[KeyEnterprise]:
    """The user's key enterprises whose visit is overdue or due within DUE_SOON_DAYS (one query)."""
    return [k for k in key_enterprise_rows(today=today, officer=user) if k.visit_state != "ok"]


def enterprise_panel(*, enterprise: Enterprise, today: date) -> dict:
    """What the enterprise page shows about aftercare: the key designation with its next visit, and the service
    history (visits, complaints and requests, compliance checks), newest first. Four queries."""
    key = _with_last_visit(KeyEnterprise.objects.filter(enterprise=enterprise).select_related("officer")).first()
    if key is not None:
        _attach_due([key], today)
    visits = list(MeetingLog.objects.filter(enterprise=enterprise, kind=MeetingKind.VISIT)
                  .select_related("created_by").order_by("-occurred_at")[:20])
    complaints = list(enterprise.complaints.select_related("current_cycle__bureau").order_by("-received_on", "-id"))
    checks = list(enterprise.compliance_checks.order_by("-year"))
    history = ([{"on": timezone.localdate(m.occurred_at), "kind": "visit", "item": m} for m in visits]
               + [{"on": c.received_on, "kind": "complaint", "item": c} for c in complaints]
               + [{"on": c.checked_on, "kind": "check", "item": c} for c in checks])
    history.sort(key=lambda entry: entry["on"], reverse=True)
    return {"key": key if key is not None and key.is_active else None, "was_key": key, "history": history}


# --- complaints -----------------------------------------------------------------------------------------------


def complaint_list(*, user, status: str = "", bureau: str = "", category: str = "", search: str = "",
                   today: date) -> QuerySet[Complaint]:
    """Complaints as the user may see them, filtered, with enterprise, owner and current bureau joined."""
    qs = complaints_visible_to(user).select_related("enterprise", "owner", "current_cycle__bureau")
    if status == "overdue":
        qs = qs.filter(status=ComplaintStatus.OPEN, current_cycle__due_on__lt=today)
    elif status in ComplaintStatus.values:
        qs = qs.filter(status=status)
    if bureau:
        qs = qs.filter(current_cycle__bureau__code=bureau)
    if category:
        qs = qs.filter(category=category)
    if search:
        term = search.strip()
        qs = qs.filter(Q(subject__icontains=term) | Q(content__icontains=term) | Q(enterprise__name__icontains=term))
    return qs.order_by("-received_on", "-id")


def attach_overdue(complaints, today: date):
    """Mark each complaint still waiting for its bureau past the due date (no queries)."""
    for c in complaints:
        c.is_overdue = c.status == ComplaintStatus.OPEN and c.current_cycle.due_on < today
    return complaints


def complaint_cycles(*, complaint: Complaint) -> list[ComplaintCycle]:
    return list(complaint.cycles.select_related("bureau", "routed_by", "answered_by", "closed_by")
                .order_by("number"))


# Ages of open complaints, in calendar days since they were received: (label, from, to) with `to` inclusive.
AGE_BANDS = (("0-5", 0, 5), ("6-15", 6, 15), ("16-30", 16, 30), ("31+", 31, None))


def open_complaints_by_bureau(*, today: date) -> list[dict]:
    """Complaints not yet closed, by the bureau handling them and by age, with the overdue ones counted (one
    aggregate query). "With the bureau" still waits for its answer; "answered" waits for the investor's verdict."""
    bands = {}
    for label, low, high in AGE_BANDS:
        condition = Q(received_on__lte=today - timedelta(days=low))
        if high is not None:
            condition &= Q(received_on__gte=today - timedelta(days=high))
        bands[f"age_{label}"] = Count("id", filter=condition)
    rows = (Complaint.objects.exclude(status=ComplaintStatus.CLOSED)
            .values("current_cycle__bureau", "current_cycle__bureau__name", "current_cycle__bureau__code")
            .annotate(total=Count("id"), waiting=Count("id", filter=Q(status=ComplaintStatus.OPEN)),
                      overdue=Count("id", filter=Q(status=ComplaintStatus.OPEN, current_cycle__due_on__lt=today)),
                      **bands)
            .order_by("current_cycle__bureau__sort_order", "current_cycle__bureau"))
    return [{
        "bureau": r["current_cycle__bureau__name"], "code": r["current_cycle__bureau__code"], "total": r["total"],
        "waiting": r["waiting"], "answered": r["total"] - r["waiting"], "overdue": r["overdue"],
        "ages": [r[f"age_{label}"] for label, _low, _high in AGE_BANDS],
    } for r in rows]


@dataclass(frozen=True)
class ComplaintRates:
    """Complaint statistics of a period (dates inclusive, Asia/Shanghai).

    - received: complaints and requests received in the period.
    - due / on_time: handlings whose answer fell due in the period and that were answered or are already late,
      and of those the ones answered by the due date. A reopened complaint counts once per handling.
      on_time_rate = on_time / due, in percent (None when nothing fell due).
    - closed / satisfied / basically / dissatisfied: handlings closed in the period by the investor's verdict.
      satisfaction_rate = (satisfied + basically satisfied) / closed, in percent (None when nothing closed).
    """

    start: date
    end: date
    received: int
    due: int
    on_time: int
    on_time_rate: Decimal | None
    closed: int
    satisfied: int
    basically: int
    dissatisfied: int
    satisfaction_rate: Decimal | None


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def complaint_rates(start: date, end: date, *, today: date | None = None) -> ComplaintRates:
    """The on-time and satisfaction rates of the period [start, end] (see ComplaintRates), in one query.

    A handling due in the period but not yet answered counts against the on-time rate only once its due date
    has passed (as of `today`); until then it is still within time and is left out."""
    today = today or timezone.localdate()
    in_period = Q(due_on__gte=start, due_on__lte=end)
    decided = Q(answered_at__isnull=False) | Q(due_on__lt=today)
    closed = Q(closed_at__gte=_day_start(start), closed_at__lt=_day_start(end + timedelta(days=1)))
    counts = ComplaintCycle.objects.aggregate(
        received=Count("id", filter=Q(number=1, complaint__received_on__gte=start,
                                      complaint__received_on__lte=end)),
        due=Count("id", filter=in_period & decided),
        on_time=Count("id", filter=in_period & Q(answered_on_time=True)),
        closed=Count("id", filter=closed),
        **{verdict: Count("id", filter=closed & Q(satisfaction=verdict)) for verdict in Satisfaction.values},
    )
    satisfied = sum(counts[v] for v in SATISFIED_VERDICTS)
    return ComplaintRates(
        start=start, end=end, received=counts["received"], due=counts["due"], on_time=counts["on_time"],
        on_time_rate=_percent(counts["on_time"], counts["due"]), closed=counts["closed"],
        satisfied=counts[Satisfaction.SATISFIED], basically=counts[Satisfaction.BASICALLY],
        dissatisfied=counts[Satisfaction.DISSATISFIED], satisfaction_rate=_percent(satisfied, counts["closed"]),
    )


# --- foreign-invested enterprises -------------------------------------------------------------------------------


FOREIGN_KINDS = (EnterpriseKind.FOREIGN, EnterpriseKind.HMT)


def foreign_enterprises(*, search: str = "") -> QuerySet[Enterprise]:
    """Every enterprise with foreign capital: registered as foreign or Hong Kong/Macao/Taiwan, or with foreign
    capital recorded in place on one of its projects."""
    with_foreign_capital = CapitalInPlace.objects.filter(kind=CapitalKind.FOREIGN).values("project__enterprise_id")
    qs = Enterprise.objects.filter(Q(kind__in=FOREIGN_KINDS) | Q(pk__in=with_foreign_capital))
    if search:
        term = search.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(origin_country__icontains=term))
    return qs.order_by("name", "id")


def get_foreign_enterprise(user, pk) -> Enterprise:
    require_bureau_staff(user)
    enterprise = foreign_enterprises().filter(pk=pk).first()
    if enterprise is None:
        raise Http404
    return enterprise


def register_years(today: date, count: int = 3) -> list[int]:
    """The years whose foreign capital the register shows in columns: the last `count`, this year included."""
    return list(range(today.year - count + 1, today.year + 1))


def foreign_capital_by_year(enterprise_ids) -> dict[int, dict[int, Decimal]]:
    """Foreign capital actually used (实际利用外资, 万美元) per enterprise and year, from the capital in place
    recorded on their projects (one aggregate query)."""
    rows = (CapitalInPlace.objects.filter(kind=CapitalKind.FOREIGN, project__enterprise_id__in=enterprise_ids)
            .annotate(year=ExtractYear("date")).values("project__enterprise_id", "year")
            .annotate(total=Sum("amount_usd_wan")).order_by())
    result: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for r in rows:
        result[r["project__enterprise_id"]][r["year"]] = r["total"]
    return result


def attach_register(enterprises, *, years: list[int], check_year: int):
    """Set `capital_years` (万美元 per shown year), `capital_total` (all years) and `check` (the check of
    `check_year` or None) on each enterprise: two queries for the whole page."""
    enterprises = list(enterprises)
    ids = [e.pk for e in enterprises]
    capital = foreign_capital_by_year(ids)
    checks = {c.enterprise_id: c for c in ComplianceCheck.objects.filter(enterprise_id__in=ids, year=check_year)}
    for e in enterprises:
        by_year = capital.get(e.pk, {})
        e.capital_years = [by_year.get(y) for y in years]
        e.capital_total = sum(by_year.values(), Decimal(0)) if by_year else None
        e.check = checks.get(e.pk)
    return enterprises


def foreign_detail(*, enterprise: Enterprise) -> dict:
    """The register's page of one enterprise: its foreign capital by year, the records behind it and its checks."""
    records = list(CapitalInPlace.objects.filter(kind=CapitalKind.FOREIGN, project__enterprise=enterprise)
                   .select_related("project").order_by("-date", "-id"))
    by_year = sorted(foreign_capital_by_year([enterprise.pk]).get(enterprise.pk, {}).items(), reverse=True)
    checks = list(enterprise.compliance_checks.select_related("checked_by").order_by("-year"))
    return {"records": records, "by_year": by_year, "checks": checks}


# --- organisations --------------------------------------------------------------------------------------------


def organisation_list(*, search: str = "", kind: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.annotate(contact_count=Count("contacts"))
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(name__icontains=search.strip()) | Q(country__icontains=search.strip()))
    return qs.order_by("kind", "name")
