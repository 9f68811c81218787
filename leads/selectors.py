"""Read functions for leads, meetings, follow-ups and events: visibility from leads.access, joins applied once,
so the pages cost the same number of queries however many rows they show."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Enterprise, User
from leads.access import events_visible_to, leads_visible_to, meetings_visible_to
from leads.choices import OPEN_STATUSES, ClockState, FollowUpStatus, LeadStatus
from leads.clocks import clock_state
from leads.models import FollowUp, Lead, LeadStatusChange, MeetingLog, PromotionEvent

LEAD_SORTS = {
    "created": "created_at", "-created": "-created_at",
    "investment": "intended_investment_wan", "-investment": "-intended_investment_wan",
    "title": "title", "-title": "-title",
}


def lead_list(*, user, search: str = "", sort: str = "-created") -> QuerySet[Lead]:
    """Leads as the user may see them, with enterprise, owner, industry and event joined in one query."""
    qs = leads_visible_to(user).select_related("enterprise", "owner", "industry", "source_event")
    if search:
        term = search.strip()
        qs = qs.filter(Q(title__icontains=term) | Q(enterprise__name__icontains=term)
                       | Q(enterprise__credit_code__icontains=term.upper()))
    return qs.order_by(LEAD_SORTS.get(sort, "-created_at"), "-id")


def overdue_clock_q(today: date) -> Q:
    """Open leads whose first response or assessment is past due."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(first_responded_on__isnull=True, first_response_due__lt=today)
        | Q(assessed_on__isnull=True, assessment_due__lt=today)
    )


def attach_clocks(leads, today: date | None = None):
    """Set `first_response_clock` and `assessment_clock` (leads.choices.ClockState) on each lead; no queries."""
    today = today or timezone.localdate()
    for lead in leads:
        if lead.status not in OPEN_STATUSES:  # decided: nothing is waiting any more
            lead.first_response_clock = lead.assessment_clock = ClockState.MET
            continue
        lead.first_response_clock = clock_state(due=lead.first_response_due, done_on=lead.first_responded_on,
                                                today=today)
        lead.assessment_clock = clock_state(due=lead.assessment_due, done_on=lead.assessed_on, today=today)
    return leads


def owned_by(user) -> Q:
    """Leads ``user`` owns or co-owns: the keys of both, each read by its own index, as one UNION ALL (a join
    on co-owners with OR and DISTINCT, or an OR with a subquery, makes the database read every lead)."""
    owned = Lead.objects.filter(owner=user).order_by().values("pk")
    co_owned = Lead.co_owners.through.objects.filter(user=user).order_by().values("lead_id")
    return Q(pk__in=owned.union(co_owned, all=True))


def my_work(*, user, today: date | None = None) -> dict:
    """Everything an officer's morning page shows: due and overdue follow-ups, the next week's, their open leads
    with clocks and counts by status, the team's latest meetings and the coming events."""
    today = today or timezone.localdate()
    follow_ups = (FollowUp.objects.filter(owner=user, status=FollowUpStatus.OPEN)
                  .select_related("enterprise", "lead").order_by("due_on", "id"))
    # Owned and co-owned leads are read apart, each by its own index (owner and status; the co-owner table),
    # and merged here: one query over both would read every lead of a busy officer to sort or count them.
    owned, co_owned = Lead.objects.filter(owner=user), Lead.objects.filter(co_owners=user).exclude(owner=user)
    open_leads = sorted((lead for qs in (owned, co_owned)
                         for lead in qs.filter(status__in=OPEN_STATUSES).select_related("enterprise", "owner")
                         .order_by("first_response_due", "id")[:50]),
                        key=lambda lead: (lead.first_response_due, lead.pk))[:50]
    counts = Counter()
    for qs in (owned, co_owned):
        # order_by() drops the default ordering, which would otherwise split the GROUP BY per row.
        counts.update(dict(qs.order_by().values("status").annotate(n=Count("id")).values_list("status", "n")))
    return {
        "today": today,
        "due_follow_ups": list(follow_ups.filter(due_on__lte=today)[:50]),
        "upcoming_follow_ups": list(follow_ups.filter(due_on__gt=today, due_on__lte=today + timedelta(days=7))[:20]),
        "open_leads": attach_clocks(open_leads, today),
        "status_counts": [{"status": s, "label": s.label, "count": counts.get(s.value, 0)} for s in LeadStatus],
        "team_meetings": list(MeetingLog.objects.select_related("enterprise", "lead", "created_by")[:10]),
        "upcoming_events": list(PromotionEvent.objects.filter(ends_on__gte=today).order_by("starts_on", "id")[:5]),
    }


def pipeline(*, today: date | None = None) -> list[dict]:
    """The team's leads by owner and status, with the open leads' overdue clocks and intended investment.

    Three small aggregates instead of one over every lead joined to its owner: the counts by owner and status
    come from the (owner, status) index alone, the clocks and amounts only from the open leads, the names from
    the owners themselves."""
    today = today or timezone.localdate()
    counts: dict[int, dict[str, int]] = {}
    for owner, status, n in (Lead.objects.order_by().values_list("owner", "status").annotate(n=Count("id"))):
        counts.setdefault(owner, {})[status] = n
    open_figures = {r["owner"]: r for r in Lead.objects.filter(status__in=OPEN_STATUSES).order_by().values("owner")
                    .annotate(overdue=Count("id", filter=overdue_clock_q(today)),
                              open_investment=Sum("intended_investment_wan"))}
    owners = User.objects.filter(pk__in=counts).order_by("full_name", "username")
    return [{
        "owner_id": owner.pk, "owner": owner.full_name or owner.username,
        "counts": [counts[owner.pk].get(s, 0) for s in LeadStatus.values],
        "overdue": open_figures.get(owner.pk, {}).get("overdue", 0),
        "open_investment": open_figures.get(owner.pk, {}).get("open_investment"),
    } for owner in owners]


def meeting_list(*, user, search: str = "") -> QuerySet[MeetingLog]:
    qs = meetings_visible_to(user).select_related("enterprise", "lead", "created_by")
    if search:
        term = search.strip()
        qs = qs.filter(Q(enterprise__name__icontains=term) | Q(discussion__icontains=term)
                       | Q(demands__icontains=term) | Q(place__icontains=term))
    return qs.order_by("-occurred_at", "-id")


def event_list(*, user) -> QuerySet[PromotionEvent]:
    """Events as the user may see them, newest first, each with the number of leads it produced and their
    intended investment."""
    return events_visible_to(user).annotate(
        lead_count=Count("leads", distinct=True), investment=Sum("leads__intended_investment_wan"),
    ).order_by("-starts_on", "-id")


def event_results(*, event: PromotionEvent) -> dict:
    """What an event produced: its leads, their intended investment and how many became projects."""
    leads = list(event.leads.select_related("enterprise", "owner").order_by("-created_at"))
    totals = event.leads.aggregate(count=Count("id"), investment=Sum("intended_investment_wan"),
                                   converted=Count("id", filter=Q(status=LeadStatus.CONVERTED)))
    return {"leads": leads, "totals": totals}


# --- the timeline ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One dated thing that happened to a lead or an enterprise."""

    at: datetime
    kind: str  # meeting | follow_up | status
    icon: str
    title: str
    detail: str = ""
    url: str = ""
    actor: str = ""
    date_only: bool = False


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def timeline_for(*, enterprise: Enterprise | None = None, lead: Lead | None = None,
                 limit: int = 100) -> list[TimelineEntry]:
    """Meetings, follow-ups and status changes of a lead, or of an enterprise and all its leads, newest first.

    Three queries whatever the history's length."""
    if (enterprise is None) == (lead is None):
        raise ValueError("pass exactly one of enterprise and lead")
    scope = {"lead": lead} if lead is not None else {"enterprise": enterprise}
    changes_scope = {"lead": lead} if lead is not None else {"lead__enterprise": enterprise}
    entries: list[TimelineEntry] = []
    for m in (MeetingLog.objects.filter(**scope).select_related("created_by", "lead")
              .order_by("-occurred_at")[:limit]):
        entries.append(TimelineEntry(
            at=m.occurred_at, kind="meeting", icon="people",
            title=f"{m.get_kind_display()}{' · ' + m.place if m.place else ''}",
            detail=m.discussion[:200], url=m.get_absolute_url(),
            actor=m.created_by.display_name if m.created_by else ""))
    for f in (FollowUp.objects.filter(**scope).select_related("owner").order_by("-due_on")[:limit]):
        entries.append(TimelineEntry(
            at=_start_of(f.due_on), kind="follow_up", icon="alarm",
            title=_("Follow-up due: %(title)s") % {"title": f.title},
            detail=f.get_status_display() + (f" · {f.closing_note}" if f.closing_note else ""),
            actor=f.owner.display_name, date_only=True))
    for c in (LeadStatusChange.objects.filter(**changes_scope).select_related("changed_by", "lead")
              .order_by("-changed_at")[:limit]):
        if not c.old_status:
            title = _("Lead created: %(title)s") % {"title": c.lead.title}
        else:
            title = _("%(title)s: %(old)s → %(new)s") % {
                "title": c.lead.title, "old": c.get_old_status_display(), "new": c.get_new_status_display()}
        entries.append(TimelineEntry(
            at=c.changed_at, kind="status", icon="flag", title=title, detail=c.reason,
            url=c.lead.get_absolute_url(), actor=c.changed_by.display_name if c.changed_by else ""))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def enterprise_panel(*, enterprise: Enterprise) -> dict:
    """The leads and timeline shown on an enterprise's page (four queries)."""
    leads = list(enterprise.leads.select_related("owner").order_by("-created_at"))
    return {"leads": leads, "timeline": timeline_for(enterprise=enterprise)}
