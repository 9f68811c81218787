"""The read functions behind the project pipeline's pages (joins applied once), on top of the visibility in
projects.access: a list or a page shows only what the user may see there."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.lib import workdays
from projects import precheck
from projects.access import (
    opinions_visible_to,
    projects_visible_to,
    review_requests_visible_to,
    talent_requests_visible_to,
)
from projects.choices import (
    PIPELINE,
    Metric,
    RequestStatus,
    Stage,
    TalentStatus,
)
from projects.models import (
    Condition,
    Document,
    EntryThreshold,
    Project,
    ReviewRequest,
    ReviewRound,
    TalentRequest,
)

# --- lists and pages ----------------------------------------------------------------------------------


def project_list(*, user, search: str = "", stage: str = "") -> QuerySet[Project]:
    """Projects as the user may see them on the working pages, searchable by code, name or enterprise, newest
    first."""
    qs = projects_visible_to(user, working_pages=True).select_related("enterprise", "industry", "owner")
    term = search.strip()
    if term:
        qs = qs.filter(Q(code__icontains=term) | Q(name__icontains=term) | Q(enterprise__name__icontains=term))
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    return qs.order_by("-created_at", "-id")


def thresholds_for(project: Project) -> list[precheck.Threshold]:
    rows = EntryThreshold.objects.filter(industry_id=project.industry_id).filter(
        Q(area__isnull=True) | Q(area_id=project.area_id))
    return [precheck.Threshold(metric=precheck.Metric(t.metric), comparator=precheck.Comparator(t.comparator),
                               value=t.value, area_specific=t.area_id is not None) for t in rows]


def project_precheck(project: Project) -> precheck.Result:
    """The entry pre-check computed now from the project's figures and its industry's thresholds."""
    facts = precheck.Facts(
        total_investment_wan=project.total_investment_wan,
        fixed_asset_investment_wan=project.fixed_asset_investment_wan,
        land_mu=project.land_mu, expected_tax_wan=project.expected_tax_wan)
    return precheck.run(facts, thresholds_for(project))


VERDICT_LABELS = {
    precheck.Verdict.PASS: gettext_lazy("Meets"),
    precheck.Verdict.FAIL: gettext_lazy("Does not meet"),
    precheck.Verdict.NOT_APPLICABLE: gettext_lazy("Not applicable (no land needed)"),
}


def precheck_rows(result: precheck.Result) -> list[dict]:
    """The pre-check as lines for a page: figure, the project's value, the threshold with its side, verdict."""
    return [{
        "label": Metric(c.metric).label,
        "actual": c.actual,
        "comparator": c.comparator.symbol,
        "threshold": c.threshold,
        "verdict": c.verdict.value,
        "verdict_label": VERDICT_LABELS[c.verdict],
    } for c in result.checks]


def project_rounds(*, project: Project, user) -> list[ReviewRound]:
    """The project's rounds, newest first, each with its requests and the opinions the user may read."""
    opinions = opinions_visible_to(user).select_related("reviewer").prefetch_related(
        Prefetch("documents", queryset=Document.objects.order_by("id")),
        Prefetch("conditions", queryset=Condition.objects.select_related("owner")))
    requests = ReviewRequest.objects.select_related("bureau").prefetch_related(
        Prefetch("opinions", queryset=opinions.order_by("version"), to_attr="visible_opinions"),
        Prefetch("documents", queryset=Document.objects.filter(kind="supplement").order_by("id"),
                 to_attr="supplements"))
    return list(project.review_rounds.select_related("opened_by").prefetch_related(
        Prefetch("requests", queryset=requests)).order_by("-number"))


@dataclass(frozen=True)
class TimelineEntry:
    """One dated event on a project's page: a stage move, a round, an opinion, a milestone, capital."""

    at: datetime
    icon: str
    title: str
    detail: str = ""


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def project_timeline(*, project: Project, rounds: list[ReviewRound], milestones, capital) -> list[TimelineEntry]:
    """Everything that happened on the project, newest first (rounds, milestones and capital records are
    passed in as the page already loaded them)."""
    entries = []
    for change in project.stage_changes.select_related("by"):
        title = _("Stage: %(from)s → %(to)s") % {
            "from": Stage(change.from_stage).label if change.from_stage else "—", "to": Stage(change.to_stage).label}
        who = change.by.display_name if change.by else ""
        entries.append(TimelineEntry(change.at, "signpost", title, " · ".join(x for x in (who, change.reason) if x)))
    for review_round in rounds:
        for request in review_round.requests.all():
            for opinion in request.visible_opinions:
                entries.append(TimelineEntry(
                    opinion.submitted_at, "chat-square-text",
                    _("%(bureau)s: %(outcome)s (v%(version)s)") % {
                        "bureau": request.bureau.short_name, "outcome": opinion.get_outcome_display(),
                        "version": opinion.version}, opinion.reason))
    for milestone in milestones:
        entries.append(TimelineEntry(_start_of(milestone.date), "flag", milestone.get_kind_display(), milestone.note))
    for record in capital:
        entries.append(TimelineEntry(_start_of(record.date), "cash-coin", _("Capital in place: %(amount)s (10k CNY)")
                                     % {"amount": record.cny_equivalent_wan}, record.note))
    for meeting in project.meetings.all():
        entries.append(TimelineEntry(meeting.occurred_at, "people", _("Meeting: %(kind)s") % {
            "kind": meeting.get_kind_display()}, " · ".join(x for x in (meeting.place, meeting.discussion) if x)))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


INBOX_OPEN, INBOX_ANSWERED = "open", "answered"
OPEN_REQUEST_STATUSES = (RequestStatus.PENDING, RequestStatus.NEEDS_MATERIAL)


def inbox(*, user, today: date, show: str = INBOX_OPEN) -> QuerySet[ReviewRequest]:
    """A reviewer's requests, for a paginated list: the open ones (``show="open"``: waiting for the bureau
    first, oldest due first; a replaced round's last) or the answered ones (newest answer first).

    Each row carries ``is_current`` (its round is the current one) and ``is_overdue`` (waiting past its due
    date on a current round) as annotations, so a page of 25 costs one query however many requests exist.
    """
    current = Q(round__superseded_at__isnull=True)
    qs = (review_requests_visible_to(user).select_related("round__project__enterprise", "bureau")
          .annotate(is_current=ExpressionWrapper(current, output_field=BooleanField()),
                    is_overdue=ExpressionWrapper(current & Q(status=RequestStatus.PENDING, due_on__lt=today),
                                                 output_field=BooleanField())))
    if show == INBOX_ANSWERED:
        return qs.filter(status=RequestStatus.ANSWERED).order_by("-answered_at", "-id")
    waiting_first = Case(When(status=RequestStatus.PENDING, then=Value(0)), default=Value(1))
    return (qs.filter(status__in=OPEN_REQUEST_STATUSES)
            .order_by(F("round__superseded_at").asc(nulls_first=True), waiting_first, "due_on", "id"))


def inbox_counts(*, user) -> dict[str, int]:
    """How many requests each inbox tab holds (one query)."""
    counts = review_requests_visible_to(user).aggregate(
        open=Count("id", filter=Q(status__in=OPEN_REQUEST_STATUSES)),
        answered=Count("id", filter=Q(status=RequestStatus.ANSWERED)))
    return {INBOX_OPEN: counts["open"], INBOX_ANSWERED: counts["answered"]}


# Answered talent requests shown on the talent bureau's inbox (the open ones are all shown).
TALENT_ANSWERED_SHOWN = 20


def talent_inbox(*, user, show: str = INBOX_OPEN) -> list[TalentRequest]:
    """The talent requests on the talent bureau's inbox tab: every open one, or the latest answered ones."""
    open_statuses = (TalentStatus.OPEN, TalentStatus.IN_PROGRESS)
    qs = talent_requests_visible_to(user).select_related("project")
    if show == INBOX_ANSWERED:
        return list(qs.exclude(status__in=open_statuses).order_by("-answered_at", "-id")[:TALENT_ANSWERED_SHOWN])
    return list(qs.filter(status__in=open_statuses).order_by("created_at", "id"))


# Cards per column of the pipeline board; the column's header counts them all and links to the full list.
BOARD_CARDS = 12


def pipeline_board(*, cards: int = BOARD_CARDS) -> list[dict]:
    """Each stage as a column, in pipeline order then paused and terminated: the number of projects and their
    planned investment, and the first ``cards`` projects (key projects first, then by code). One query per
    column, each reading ``cards`` index entries, and one for the totals: the same cost for 40 or 400,000."""
    stages = (*PIPELINE, Stage.PAUSED, Stage.TERMINATED)
    totals = {row["stage"]: row for row in Project.objects.values("stage").annotate(
        n=Count("id"), investment=Sum("total_investment_wan")).order_by()}
    columns = []
    for stage in stages:
        projects = list(Project.objects.filter(stage=stage).select_related("enterprise", "owner")
                        .order_by("-is_key_project", "code")[:cards])
        count = totals.get(stage, {}).get("n", 0)
        columns.append({"stage": stage, "label": Stage(stage).label, "projects": projects, "count": count,
                        "investment": totals.get(stage, {}).get("investment") or 0,
                        "more": max(0, count - len(projects))})
    return columns


def overdue_requests_by_bureau(*, today: date, overrides: dict) -> list[dict]:
    """Pending requests of current rounds past their due date, grouped by bureau, most late first."""
    rows = (ReviewRequest.objects.filter(status=RequestStatus.PENDING, round__superseded_at__isnull=True,
                                         due_on__lt=today)
            .exclude(round__project__stage__in=[Stage.TERMINATED, Stage.PAUSED])
            .select_related("bureau", "round__project__owner").order_by("bureau__sort_order", "due_on", "id"))
    rows = list(rows)
    if not rows:
        return []
    position = workdays.working_day_positions(min(r.due_on for r in rows), today, **overrides)
    groups: OrderedDict[int, dict] = OrderedDict()
    for r in rows:
        r.late_working_days = position(today) - position(r.due_on)
        groups.setdefault(r.bureau_id, {"bureau": r.bureau, "requests": []})["requests"].append(r)
    return list(groups.values())

