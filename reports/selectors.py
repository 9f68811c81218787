"""Read functions behind the statistics: the facts each indicator counts, aggregated in the database.

Every indicator is a sum over one kind of dated fact (a lead received, a milestone reached, capital paid in)
or a count of projects at a moment (the stock in negotiation). Each fact carries the same dimensions
(industry, investor origin, lead source, officer, month), so one aggregate query per kind of fact, grouped by
all dimensions at once, gives a small "cube" that pandas sums along any dimension (reports.shaping). The
cube grows with the number of distinct dimension values, not with the number of records.

Which facts a figure counts and what it adds up is reports.indicators' table; ``fact_filter`` turns one of its
rules into the filter on these querysets. The same querysets, filtered instead of grouped, are the lists of
records behind every figure.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, NullIf, TruncDate
from django.db.models.functions import Lead as NextRow
from django.utils import timezone

from crm.choices import EnterpriseKind
from crm.models import Enterprise, KeyIndustry
from leads.models import Lead
from projects.choices import CapitalKind, MilestoneKind, RequestStatus, Stage
from projects.models import CapitalInPlace, Milestone, Project, ReviewRequest, StageChange
from reports.indicators import (
    CAPITAL,
    INDICATORS,
    LEAD,
    MILESTONE,
    PIPELINE,
    PROJECT,
    RULES,
    Chase,
    Period,
    Rule,
)

# The dimensions every fact carries, in the order of the cube's columns.
DIMENSIONS = ("industry_code", "industry_name", "origin_kind", "origin", "lead_source", "officer_id", "officer_name")
# A blank dimension value in a drill-down link (an enterprise without origin, a project without a lead).
BLANK = "-"
_ONE_DAY = timedelta(days=1)


def midnight(day: date) -> datetime:
    """The start of a local (Asia/Shanghai) day, for comparing timestamps with dates."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _dimensions(project: str, enterprise: str, owner: str, *, industry=None, source=None) -> dict:
    """The annotations giving a fact its dimensions, from the path of its project, enterprise and owner."""
    return {
        "industry_code": industry[0] if industry else F(f"{project}industry__code"),
        "industry_name": industry[1] if industry else F(f"{project}industry__name"),
        "origin_kind": F(f"{enterprise}kind"),
        "origin": Case(When(**{f"{enterprise}kind": EnterpriseKind.DOMESTIC}, then=F(f"{enterprise}origin_province")),
                       default=F(f"{enterprise}origin_country"), output_field=CharField()),
        "lead_source": source if source is not None else Coalesce(
            F(f"{project}lead__source"), _first_lead_source(f"{enterprise}pk"), output_field=CharField()),
        "officer_id": F(f"{owner}id"),
        "officer_name": Coalesce(NullIf(F(f"{owner}full_name"), Value("")), F(f"{owner}username")),
    }


def _first_lead_source(enterprise_pk_path: str):
    """The source of an enterprise's first lead: a project's lead source when it records no lead of its own."""
    first = Lead.objects.filter(enterprise_id=OuterRef(enterprise_pk_path)).order_by("received_on", "id")
    return Subquery(first.values("source")[:1])


def _in_periods(field: str, periods) -> Q:
    q = Q()
    for period in periods:
        q |= Q(**{f"{field}__gte": period.start, f"{field}__lte": period.cutoff})
    return q


# --- facts: querysets of the records each indicator counts ----------------------------------------------


def lead_facts(periods) -> QuerySet[Lead]:
    """Leads received in the periods (新增线索). The industry is the lead's own, else its enterprise's."""
    return Lead.objects.filter(_in_periods("received_on", periods)).annotate(
        fact_date=F("received_on"),
        **_dimensions("", "enterprise__", "owner__",
                      industry=(Coalesce("industry__code", "enterprise__industry__code"),
                                Coalesce("industry__name", "enterprise__industry__name")),
                      source=F("source")),
    )


def fact_filter(rule: Rule) -> Q:
    """The filter picking, among the facts of ``rule.fact``, those a figure counts (its kind, its stage at the
    period's end, the projects' relation to an earlier one). The shaping of the cubes (reports.shaping.counted)
    applies the same rule to their columns ``kind``, ``stage_then`` and ``relation``."""
    q = Q()
    if rule.kind is not None:
        q &= Q(kind=rule.kind)
    if rule.stages:
        q &= Q(stage_then__in=rule.stages)
    if rule.relations_left_out:
        q &= ~Q(relation__in=rule.relations_left_out)
    return q


def milestone_facts(periods) -> QuerySet[Milestone]:
    """Milestones dated in the periods: contracts (signed), registrations (landed), starts and operations."""
    return Milestone.objects.filter(_in_periods("date", periods)).annotate(
        fact_date=F("date"), relation=F("project__relation"),
        **_dimensions("project__", "project__enterprise__", "project__owner__"),
    )


def capital_facts(periods) -> QuerySet[CapitalInPlace]:
    """Capital paid in on a date in the periods, domestic (万元) and foreign (万美元)."""
    return CapitalInPlace.objects.filter(_in_periods("date", periods)).annotate(
        fact_date=F("date"), relation=F("project__relation"),
        missing_rate=Case(When(kind=CapitalKind.FOREIGN, usd_cny_rate__isnull=True, then=Value(True)),
                          default=Value(False)),
        **_dimensions("project__", "project__enterprise__", "project__owner__"),
    )


def stage_at(moment: datetime):
    """A project's stage at ``moment``: the last move before it, else where the first later move started
    from, else the current stage (a project that never moved).

    A project whose last move (``stage_changed_at``, kept with every move by projects.services) came before
    ``moment`` is still in that stage: most projects at the end of a recent period, read without a look-up."""
    before = StageChange.objects.filter(project=OuterRef("pk"), at__lt=moment).order_by("-at", "-id")
    after = StageChange.objects.filter(project=OuterRef("pk"), at__gte=moment).order_by("at", "id")
    looked_up = Coalesce(Subquery(before.values("to_stage")[:1]),
                         NullIf(Subquery(after.values("from_stage")[:1]), Value("")),
                         F("stage"), output_field=CharField())
    return Case(When(stage_changed_at__lt=moment, then=F("stage")), default=looked_up, output_field=CharField())


def project_stock(period: Period) -> QuerySet[Project]:
    """Projects that existed at the end of the period, with their stage then (``stage_then``)."""
    moment = midnight(period.day_after)
    return Project.objects.filter(created_at__lt=moment).annotate(
        stage_then=stage_at(moment), **_dimensions("", "enterprise__", "owner__"),
    )


def facts_of(fact: str, period: Period) -> QuerySet:
    """The facts of one kind (reports.indicators: LEAD, MILESTONE, CAPITAL, PROJECT) counted in the period; for
    the projects, the stock at its end."""
    if fact == LEAD:
        return lead_facts([period])
    if fact == MILESTONE:
        return milestone_facts([period])
    if fact == CAPITAL:
        return capital_facts([period])
    return project_stock(period)


# --- breakdowns: the facts summed along each dimension, all from one scan --------------------------------

# Each breakdown is one GROUP BY over the same facts; its dimension values come back as text in k1 (and k2).
GROUPINGS = {
    "month": ("month",),
    "industry": ("industry_code", "industry_name"),
    "origin": ("origin_kind", "origin"),
    "source": ("lead_source",),
    "officer": ("officer_id", "officer_name"),
}
# The Hainan key-industry split: an enterprise can carry several tags, so a fact can count in more than one;
# an untagged enterprise counts under None.
KEY = "key"


def _grouped(facts: QuerySet, keep: tuple[str, ...], enterprise: str, sums: dict[str, str]) -> list[dict]:
    """The facts summed along every breakdown in one statement: ``WITH f AS (facts)`` read once, then a
    GROUP BY per breakdown joined by UNION ALL (PostgreSQL keeps a CTE used more than once materialised).

    Every row has ``gset`` (a GROUPINGS key or KEY), the ``keep`` columns (grouped in every breakdown), the
    breakdown's values as ``k1``/``k2`` (text), the fact count ``n`` and one Decimal sum per ``sums`` entry
    (result name: source column). The result has as many rows as there are distinct dimension values, however
    many facts there are; the facts' SQL is the ORM's own (same filters and joins as the record lists)."""
    qn = connection.ops.quote_name
    columns = {*keep, *DIMENSIONS, "month"}
    facts = facts.order_by().values(*columns, f_enterprise=F(f"{enterprise}id"),  # the facts unsorted
                                    **{f"f_{name}": F(column) for name, column in sums.items()})
    sql, params = facts.query.sql_with_params()
    kept = [f"f.{qn(c)}" for c in keep]
    aggregates = ", ".join(["COUNT(*) AS n", *(f"SUM(f.{qn('f_' + name)}) AS {qn(name)}" for name in sums)])

    def text(expression: str | None) -> str:
        return f"CAST({expression or 'NULL'} AS TEXT)"

    branches = []
    for gset, dims in GROUPINGS.items():
        values = [f"f.{qn(d)}" for d in dims]
        k1, k2 = text(values[0]), text(values[1] if len(values) > 1 else None)
        branches.append(f"SELECT '{gset}' AS gset, {', '.join(kept)}, {k1} AS k1, {k2} AS k2, {aggregates} "
                        f"FROM f GROUP BY {', '.join(kept + values)}")
    tags = Enterprise.key_industries.through._meta
    key = KeyIndustry._meta
    branches.append(
        f"SELECT '{KEY}' AS gset, {', '.join(kept)}, {text('ki.' + qn('name'))} AS k1, {text(None)} AS k2, "
        f"{aggregates} FROM f LEFT JOIN {qn(tags.db_table)} t ON t.{qn('enterprise_id')} = f.{qn('f_enterprise')} "
        f"LEFT JOIN {qn(key.db_table)} ki ON ki.{qn('id')} = t.{qn('keyindustry_id')} "
        f"GROUP BY {', '.join(kept)}, ki.{qn('name')}")
    statement = f"WITH f AS ({sql}) " + " UNION ALL ".join(branches)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:  # SQLite sums decimals as floats: back to exact hundredths, as the ORM's Sum() gives
        for name in sums:
            row[name] = Decimal(str(row[name] or 0)).quantize(_CENT)
    return rows


_CENT = Decimal("0.01")


def _year_month(field: str) -> dict:
    return {"year": ExtractYear(field), "month": ExtractMonth(field)}


_AMOUNT = DecimalField(max_digits=18, decimal_places=2)


def _only(qs: QuerySet, officer_id: int | None) -> QuerySet:
    return qs if officer_id is None else qs.filter(officer_id=officer_id)


def _sums(fact: str) -> dict[str, str]:
    """The amounts the indicators add up over one kind of fact; each is a column of the cube named after its
    field."""
    return {d.rule.value: d.rule.value for d in INDICATORS if d.rule.fact == fact and d.rule.value}


def lead_breakdowns(periods, officer_id: int | None = None) -> list[dict]:
    qs = _only(lead_facts(periods), officer_id).annotate(**_year_month("received_on"))
    return _grouped(qs, ("year",), "enterprise__", {})


def milestone_breakdowns(periods, officer_id: int | None = None) -> list[dict]:
    qs = _only(milestone_facts(periods), officer_id).annotate(**_year_month("date"))
    return _grouped(qs, ("year", "kind", "relation"), "project__enterprise__", _sums(MILESTONE))


def capital_breakdowns(periods, officer_id: int | None = None) -> list[dict]:
    qs = _only(capital_facts(periods), officer_id).annotate(**_year_month("date"))
    return _grouped(qs, ("year", "kind", "missing_rate"), "project__enterprise__", _sums(CAPITAL))


def stock_breakdowns(period: Period, officer_id: int | None = None) -> list[dict]:
    """The projects at the end of the period by their stage then, along every breakdown (month: the last)."""
    qs = _only(project_stock(period), officer_id).annotate(year=Value(period.year),
                                                         month=Value(period.through_month))
    return _grouped(qs, ("year", "stage_then", "relation"), "enterprise__", _sums(PROJECT))


def stock_total(period: Period, rule: Rule, officer_id: int | None = None) -> int:
    """The projects a stock counts at the end of the period (its figure of a year earlier, without breakdowns)."""
    return _only(project_stock(period), officer_id).filter(fact_filter(rule)).count()


class Epoch(Func):
    """Seconds since 1970 of a timestamp, as a number (a stay's length is a subtraction, and numbers are read
    back far faster than timestamps)."""

    output_field = FloatField()
    template = "EXTRACT(EPOCH FROM %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS REAL)", **extra)


def stage_stays(period: Period) -> list[dict]:
    """Each stay of a project in a stage that ended within the period: the stage and its length in seconds.

    The end of a stay is the project's next move; the window function finds it in the database, so only the
    stays that ended in the period are read (their median is shaped in pandas: SQLite has no median).
    """
    start, end = midnight(period.start), midnight(period.day_after)
    # A stay ends with the project's next move: only projects that moved within the period have one.
    moved = StageChange.objects.filter(at__gte=start, at__lt=end).values("project_id")
    moves = (StageChange.objects.filter(project_id__in=moved, at__lt=end)
             .exclude(project__relation__in=PIPELINE.relations_left_out)
             .annotate(began=Epoch("at"),
                       ended=Window(NextRow(Epoch("at")), partition_by=[F("project_id")], order_by=[F("at"), F("id")]),
                       next_at=Window(NextRow("at"), partition_by=[F("project_id")], order_by=[F("at"), F("id")])))
    return list(moves.filter(next_at__gte=start, next_at__lt=end).values("to_stage", "began", "ended"))


def review_turnaround_rows(period: Period, *, bureau_id: int | None = None) -> list[dict]:
    """Review requests answered within the period, counted by bureau, day asked, day due and day answered
    (local days: working days are counted between them)."""
    local = timezone.get_current_timezone()
    qs = ReviewRequest.objects.filter(answered_at__gte=midnight(period.start),
                                      answered_at__lt=midnight(period.day_after))
    if bureau_id is not None:
        qs = qs.filter(bureau_id=bureau_id)
    return list(qs.values("bureau_id", "due_on", asked=TruncDate("requested_at", tzinfo=local),
                          answered=TruncDate("answered_at", tzinfo=local)).annotate(n=Count("id")).order_by())


def overdue_requests(as_of: date) -> QuerySet[ReviewRequest]:
    """Requests of a current round still waiting for the bureau after their due date, as of a day."""
    moment = midnight(as_of + _ONE_DAY)
    waiting = (Q(answered_at__isnull=True, status=RequestStatus.PENDING) | Q(answered_at__gte=moment))
    current = Q(round__superseded_at__isnull=True) | Q(round__superseded_at__gte=moment)
    return ReviewRequest.objects.filter(waiting, current, requested_at__lt=moment, due_on__lt=as_of)


def overdue_counts(as_of: date) -> dict[int, int]:
    return dict(overdue_requests(as_of).values_list("bureau_id").annotate(n=Count("id")).order_by())


# --- exceptions: what a bureau chases every week ---------------------------------------------------------


def _terminated_by(moment: datetime):
    return Exists(StageChange.objects.filter(project=OuterRef("project_id"), to_stage=Stage.TERMINATED,
                                             at__lt=moment))


def milestones_waiting(*, chase: Chase, older_than: date, as_of: date) -> QuerySet[Milestone]:
    """The milestones an exception list chases: of ``chase.kind``, dated on or before ``older_than``, whose
    project had no ``chase.missing`` milestone (or no capital in place) by ``as_of`` and was not terminated by
    then (a terminated project is no longer chased)."""
    moment = midnight(as_of + _ONE_DAY)
    if chase.missing == CAPITAL:
        later = CapitalInPlace.objects.filter(project=OuterRef("project_id"), date__lte=as_of)
    else:
        later = Milestone.objects.filter(project=OuterRef("project_id"), kind=chase.missing, date__lte=as_of)
    qs = (Milestone.objects.filter(kind=chase.kind, date__lte=older_than)
          .annotate(has_next=Exists(later), terminated=_terminated_by(moment))
          .filter(has_next=False, terminated=False))
    if chase.relations_left_out:
        qs = qs.exclude(project__relation__in=chase.relations_left_out)
    return qs.select_related("project__owner", "project__enterprise").order_by("date", "id")


# --- the records behind a figure ------------------------------------------------------------------------

# Where each fact finds its enterprise (for the key-industry filter), and the joins a list of it shows.
_ENTERPRISE = {LEAD: "enterprise__", MILESTONE: "project__enterprise__", CAPITAL: "project__enterprise__",
               PROJECT: "enterprise__"}
_LIST_JOINS = {LEAD: ("enterprise", "owner", "industry"),
               MILESTONE: ("project__enterprise", "project__owner", "project__industry"),
               CAPITAL: ("project__enterprise", "project__owner", "project__industry"),
               PROJECT: ("enterprise", "owner", "industry")}


def _blank_or(field: str, value: str) -> Q:
    if value == BLANK:
        return Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
    return Q(**{field: value})


def _record_filters(kind: str, filters: dict) -> Q:
    """The drill-down filters of a breakdown row or a chart segment, on the facts' dimension columns."""
    q = Q()
    for name, column in (("industry", "industry_code"), ("origin", "origin"), ("source", "lead_source")):
        if filters.get(name):
            q &= _blank_or(column, filters[name])
    if filters.get("origin_kind"):
        q &= Q(origin_kind=filters["origin_kind"])
    if filters.get("officer"):
        q &= Q(officer_id=filters["officer"])
    if filters.get("key_industry"):
        q &= _blank_or(f"{_ENTERPRISE[kind]}key_industries__name", filters["key_industry"])
    if filters.get("in_month") and kind != "project":
        q &= Q(fact_date__month=filters["in_month"])
    if filters.get("stage") and kind == "project":
        q &= Q(stage_then=filters["stage"])
    return q


def records_behind(indicator: str, period: Period, filters: dict) -> tuple[str, QuerySet]:
    """The records one figure (a key of reports.indicators.RULES) counts: its kind ("lead", "milestone",
    "capital", "project") and the queryset, with the joins a list page needs applied once."""
    rule = RULES[indicator]
    kind = rule.fact
    qs = facts_of(kind, period).select_related(*_LIST_JOINS[kind])
    qs = qs.filter(fact_filter(rule) & _record_filters(kind, filters))
    if filters.get("key_industry"):
        qs = qs.distinct()
    return kind, qs.order_by("fact_date", "id") if kind != "project" else qs.order_by("code")


def requests_answered(period: Period, bureau_id: int) -> QuerySet[ReviewRequest]:
    """The review requests of one bureau answered within the period (behind its turnaround figures)."""
    return (ReviewRequest.objects.filter(bureau_id=bureau_id, answered_at__gte=midnight(period.start),
                                         answered_at__lt=midnight(period.day_after))
            .select_related("round__project", "bureau").order_by("answered_at", "id"))


def major_projects(period: Period, threshold_wan) -> QuerySet[Project]:
    """Key projects and projects of at least ``threshold_wan`` planned investment existing at the period's end,
    with their contract amount and the capital put in place within the period (CNY equivalent)."""
    in_period = Q(capital_records__date__gte=period.start, capital_records__date__lte=period.cutoff)
    contract = Milestone.objects.filter(project=OuterRef("pk"), kind=MilestoneKind.CONTRACT)
    return (project_stock(period).filter(Q(is_key_project=True) | Q(total_investment_wan__gte=threshold_wan))
            .annotate(contract_amount=Subquery(contract.values("contract_amount_wan")[:1]),
                      contract_date=Subquery(contract.values("date")[:1]),
                      capital_in_period=Coalesce(Sum("capital_records__cny_equivalent_wan", filter=in_period), 0,
                                                 output_field=_AMOUNT))
            .select_related("enterprise", "industry", "owner").order_by("-total_investment_wan", "code"))
