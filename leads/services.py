"""Every change to leads, meeting logs, follow-ups and promotion events. Views, the import, tasks and the
projects app call these keyword-only functions; none takes a request."""

import os
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.access import WORKING_ROLES, can_work
from crm.lib.names import looks_like_same_enterprise, normalize_enterprise_name
from crm.lib.uploads import validate_upload
from crm.models import Contact, Enterprise, User
from crm.notifications import notify
from crm.services import StaleEdit, contact_create, enterprise_create, locked_at_version
from crm.validators import normalize_credit_code
from leads import clocks
from leads.choices import LEAD_MOVES, STATUSES_WITH_REASON, FollowUpStatus, LeadStatus
from leads.models import (
    FollowUp,
    Introducer,
    Lead,
    LeadStatusChange,
    MeetingAttachment,
    MeetingLog,
    PromotionEvent,
)

# --- duplicate detection ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateMatch:
    """An enterprise in the register that looks like the one being entered, and its leads."""

    enterprise: Enterprise
    reason: str  # "same_enterprise", "credit_code" or "similar_name"
    leads: tuple = field(default_factory=tuple)


class PossibleDuplicate(ValidationError):
    """Raised when the enterprise already has a lead (or looks like one that has); a stated reason overrides."""

    def __init__(self, matches: list[DuplicateMatch]):
        self.matches = matches
        super().__init__(
            _("This enterprise may already be followed. Check the records below; to go on anyway, give a reason."),
            code="possible_duplicate",
        )


def lead_find_duplicates(*, enterprise: Enterprise | None = None, name: str = "", credit_code: str = "",
                         exclude_lead: Lead | None = None) -> list[DuplicateMatch]:
    """Enterprises that are (or look like) the one given, by credit code or by a name that normalises alike.

    For a picked enterprise the enterprise itself is included when it already has leads. Spacing, full-width
    characters and legal-form suffixes do not hide a duplicate (crm.lib.names). Invalid leads are ignored.
    """
    name = name or (enterprise.name if enterprise else "")
    code = normalize_credit_code(credit_code or (enterprise.credit_code if enterprise else "") or "")
    found: dict[int, str] = {}
    if enterprise is not None:
        found[enterprise.pk] = "same_enterprise"
    if code:
        for pk in Enterprise.objects.filter(credit_code=code).values_list("pk", flat=True):
            found.setdefault(pk, "credit_code")
    key = normalize_enterprise_name(name)
    if key:
        for pk, other in Enterprise.objects.values_list("pk", "name").iterator():
            if pk not in found and looks_like_same_enterprise(name, other):
                found[pk] = "similar_name"
    if not found:
        return []
    leads = (Lead.objects.filter(enterprise_id__in=found).exclude(status=LeadStatus.INVALID)
             .select_related("owner").order_by("-created_at"))
    if exclude_lead is not None:
        leads = leads.exclude(pk=exclude_lead.pk)
    by_enterprise: dict[int, list[Lead]] = {}
    for lead in leads:
        by_enterprise.setdefault(lead.enterprise_id, []).append(lead)
    matches = []
    for enterprise_row in Enterprise.objects.filter(pk__in=found).order_by("name"):
        reason = found[enterprise_row.pk]
        its_leads = tuple(by_enterprise.get(enterprise_row.pk, ()))
        # The picked enterprise itself is only a duplicate when someone already follows it.
        if reason == "same_enterprise" and not its_leads:
            continue
        matches.append(DuplicateMatch(enterprise_row, reason, its_leads))
    return matches


# --- leads -----------------------------------------------------------------------------------------------


def _check_owner(user: User) -> None:
    if not can_work(user):
        raise ValidationError({"owner": _("A lead can only be owned by an active promotion officer or leader.")})


def _record_status(lead: Lead, old: str, new: str, by: User | None, reason: str = "") -> None:
    LeadStatusChange.objects.create(lead=lead, old_status=old, new_status=new, reason=reason, changed_by=by)


@transaction.atomic
def lead_create(*, by: User, title: str, source: str, enterprise: Enterprise | None = None,
                new_enterprise: dict | None = None, owner: User | None = None, co_owners=(),
                source_event: PromotionEvent | None = None, introducer: Introducer | None = None,
                intended_investment_wan=None, industry=None, received_on: date | None = None, notes: str = "",
                duplicate_reason: str = "", check_duplicates: bool = True) -> Lead:
    """Add a lead on an existing enterprise or on one registered here; warn (raise PossibleDuplicate) when the
    enterprise is already followed, unless a reason to proceed is given. Starts the response clocks."""
    if (enterprise is None) == (not new_enterprise):
        raise ValidationError({"enterprise": _("Pick an enterprise from the register or enter a new one.")})
    if check_duplicates and not duplicate_reason.strip():
        if enterprise is not None:
            matches = lead_find_duplicates(enterprise=enterprise)
        else:
            matches = lead_find_duplicates(name=new_enterprise.get("name", ""),
                                           credit_code=new_enterprise.get("credit_code") or "")
        if matches:
            raise PossibleDuplicate(matches)
    if enterprise is None:
        enterprise = enterprise_create(by=by, **new_enterprise)
    owner = owner or by
    _check_owner(owner)
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A lead cannot arrive in the future.")})
    deadlines = clocks.deadlines_for(received_on=received_on, investment_wan=intended_investment_wan)
    lead = Lead(
        enterprise=enterprise, title=title, source=source, source_event=source_event, introducer=introducer,
        intended_investment_wan=intended_investment_wan, industry=industry or enterprise.industry, owner=owner,
        received_on=received_on, first_response_due=deadlines.first_response_due,
        assessment_due=deadlines.assessment_due, notes=notes, duplicate_reason=duplicate_reason.strip(),
        created_by=by,
    )
    lead.full_clean()
    lead._history_user = by
    lead.save()
    if co_owners:
        lead.co_owners.set([u for u in co_owners if u.pk != owner.pk])
    _record_status(lead, "", LeadStatus.NEW, by)
    return lead


LEAD_EDITABLE_FIELDS = ("title", "source", "source_event", "introducer", "intended_investment_wan", "industry",
                        "notes")


@transaction.atomic
def lead_update(*, lead: Lead, by: User, version: int, co_owners=None, **fields) -> Lead:
    """Save changes made on a page that showed `version`; refuse (StaleEdit) if someone saved in between."""
    current = Lead.objects.select_for_update().get(pk=lead.pk)
    if current.version != version:
        raise StaleEdit(current)
    for name, value in fields.items():
        if name not in LEAD_EDITABLE_FIELDS:
            raise ValueError(f"{name} is not changed by lead_update")
        setattr(current, name, value)
    current.full_clean()
    current.version = version + 1
    current._history_user = by
    current.save()
    if co_owners is not None:
        current.co_owners.set([u for u in co_owners if u.pk != current.owner_id])
    return current


def _move(lead: Lead, to: str, by: User, reason: str) -> Lead:
    current = Lead.objects.select_for_update().get(pk=lead.pk)
    if to not in LEAD_MOVES[LeadStatus(current.status)]:
        raise ValidationError(
            _("A lead cannot move from “%(old)s” to “%(new)s”."),
            params={"old": current.get_status_display(), "new": LeadStatus(to).label}, code="bad_move",
        )
    reason = reason.strip()
    if to in STATUSES_WITH_REASON and not reason:
        raise ValidationError({"status_reason": _("Say why the lead is shelved or invalid.")})
    old = current.status
    today = timezone.localdate()
    current.status = to
    current.status_reason = reason
    current.status_changed_at = timezone.now()
    # Any decision answers the lead: moving it on counts as the first response, and a final or shelving
    # decision as its assessment.
    if current.first_responded_on is None:
        current.first_responded_on = today
    if to != LeadStatus.FOLLOWING and current.assessed_on is None:
        current.assessed_on = today
    current.version += 1
    current._history_user = by
    current.save()
    _record_status(current, old, to, by, reason)
    return current


@transaction.atomic
def lead_set_status(*, lead: Lead, to: str, by: User, reason: str = "") -> Lead:
    """Move a lead through the machine in leads.choices.LEAD_MOVES; shelving or invalidating needs a reason.
    Conversion goes through the project pipeline (lead_mark_converted), not here."""
    if to == LeadStatus.CONVERTED:
        raise ValidationError(_("A lead is converted by creating its project."), code="convert_via_project")
    return _move(lead, to, by, reason)


@transaction.atomic
def lead_mark_converted(*, lead: Lead, by: User, reason: str = "") -> Lead:
    """Mark a lead converted into a project. The projects app calls this when it creates the project from the
    lead (carrying lead_conversion_data), in the same transaction, so a failed project leaves the lead open."""
    return _move(lead, LeadStatus.CONVERTED, by, reason)


def lead_conversion_data(*, lead: Lead) -> dict:
    """What a project created from this lead carries over."""
    return {
        "lead": lead,
        "enterprise": lead.enterprise,
        "name": lead.title,
        "industry": lead.industry,
        "total_investment_wan": lead.intended_investment_wan,
        "source": lead.source,
        "source_event": lead.source_event,
        "introducer": lead.introducer,
        "owner": lead.owner,
        "co_owners": list(lead.co_owners.all()),
    }


@transaction.atomic
def lead_record_assessment(*, lead: Lead, by: User, assessment: str) -> Lead:
    """Record the assessment (研判) of a lead: is it real, how big, what next. Stops both response clocks."""
    text = assessment.strip()
    if not text:
        raise ValidationError({"assessment": _("Write the assessment.")})
    current = Lead.objects.select_for_update().get(pk=lead.pk)
    today = timezone.localdate()
    current.assessment = text
    current.assessed_on = current.assessed_on or today
    current.first_responded_on = current.first_responded_on or today
    current.version += 1
    current._history_user = by
    current.save()
    if current.status == LeadStatus.NEW:
        current = _move(current, LeadStatus.FOLLOWING, by, "")
    return current


@transaction.atomic
def lead_reassign(*, lead: Lead, by: User, owner: User, co_owners=None, reason: str = "") -> Lead:
    """Give a lead to another officer (a leader's decision); the previous owner is told."""
    _check_owner(owner)
    current = Lead.objects.select_for_update().get(pk=lead.pk)
    previous = current.owner
    current.owner = owner
    current.version += 1
    current._history_user = by
    current.save()
    if co_owners is not None:
        current.co_owners.set([u for u in co_owners if u.pk != owner.pk])
    else:
        current.co_owners.remove(owner)
    if previous.pk != owner.pk:
        url = current.get_absolute_url()
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        notify(recipient=owner, key=f"lead-assigned:{current.pk}:{owner.pk}:{stamp}", url=url,
               message=_("Lead “%(title)s” was assigned to you.") % {"title": current.title})
        notify(recipient=previous, key=f"lead-reassigned:{current.pk}:{previous.pk}:{stamp}", url=url,
               message=_("Lead “%(title)s” was reassigned to %(name)s.") % {"title": current.title,
                                                                          "name": owner.display_name})
    return current


# --- meeting logs ----------------------------------------------------------------------------------------


def _check_meeting(*, enterprise: Enterprise, lead: Lead | None, occurred_at: datetime, their_attendees) -> None:
    errors = {}
    if occurred_at > timezone.now():
        errors["occurred_at"] = _("A meeting that has been held cannot be in the future.")
    if lead is not None and lead.enterprise_id != enterprise.pk:
        errors["lead"] = _("The lead belongs to another enterprise.")
    strangers = [c for c in their_attendees if c.enterprise_id != enterprise.pk]
    if strangers:
        errors["their_attendees"] = _("%(names)s do not work at this enterprise.") % {
            "names": "、".join(c.name for c in strangers)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_log_create(*, by: User, enterprise: Enterprise, occurred_at: datetime, kind: str, discussion: str,
                       lead: Lead | None = None, place: str = "", our_attendees=(), their_attendees=(),
                       demands: str = "", next_steps: str = "", follow_up_title: str = "",
                       follow_up_due: date | None = None, follow_up_owner: User | None = None,
                       ) -> tuple[MeetingLog, FollowUp | None]:
    """Log a meeting and, with a due date, the follow-up it set. A meeting on a new lead is its first response
    and moves it to following."""
    their_attendees = list(their_attendees)
    _check_meeting(enterprise=enterprise, lead=lead, occurred_at=occurred_at, their_attendees=their_attendees)
    meeting = MeetingLog(kind=kind, occurred_at=occurred_at, place=place, enterprise=enterprise, lead=lead,
                         discussion=discussion, demands=demands, next_steps=next_steps, created_by=by)
    meeting.full_clean()
    meeting._history_user = by
    meeting.save()
    meeting.our_attendees.set(set(our_attendees) | {by})
    meeting.their_attendees.set(their_attendees)
    follow_up = None
    if follow_up_due is not None:
        follow_up = follow_up_create(by=by, enterprise=enterprise, lead=lead, meeting=meeting,
                                     title=follow_up_title or next_steps[:200] or _("Follow up the meeting"),
                                     due_on=follow_up_due, owner=follow_up_owner or by)
    elif follow_up_title:
        raise ValidationError({"follow_up_due": _("Give the follow-up a due date.")})
    if lead is not None:
        _lead_answered_by_meeting(lead, meeting, by)
    return meeting, follow_up


def _lead_answered_by_meeting(lead: Lead, meeting: MeetingLog, by: User) -> None:
    current = Lead.objects.select_for_update().get(pk=lead.pk)
    if current.first_responded_on is None:
        current.first_responded_on = min(timezone.localdate(meeting.occurred_at), timezone.localdate())
        current.save(update_fields=["first_responded_on", "updated_at"])
    if current.status == LeadStatus.NEW:
        _move(current, LeadStatus.FOLLOWING, by, "")


MEETING_EDITABLE_FIELDS = ("kind", "occurred_at", "place", "discussion", "demands", "next_steps")


@transaction.atomic
def meeting_log_update(*, meeting: MeetingLog, by: User, version: int, our_attendees=None, their_attendees=None,
                       **fields) -> MeetingLog:
    current = MeetingLog.objects.select_for_update().get(pk=meeting.pk)
    if current.version != version:
        raise StaleEdit(current)
    for name, value in fields.items():
        if name not in MEETING_EDITABLE_FIELDS:
            raise ValueError(f"{name} is not changed by meeting_log_update")
        setattr(current, name, value)
    their = list(their_attendees) if their_attendees is not None else list(current.their_attendees.all())
    _check_meeting(enterprise=current.enterprise, lead=current.lead, occurred_at=current.occurred_at,
                   their_attendees=their)
    first_due = current.follow_ups.order_by("due_on").values_list("due_on", flat=True).first()
    if first_due is not None and first_due < timezone.localdate(current.occurred_at):
        raise ValidationError({"occurred_at": _("This meeting has a follow-up due before it.")})
    current.full_clean()
    current.version = version + 1
    current._history_user = by
    current.save()
    if our_attendees is not None:
        current.our_attendees.set(our_attendees)
    if their_attendees is not None:
        current.their_attendees.set(their)
    return current


@transaction.atomic
def meeting_attachment_add(*, meeting: MeetingLog, by: User, upload) -> MeetingAttachment:
    """Attach a checked file (size, allowed type, content matching its name) to a meeting."""
    validate_upload(upload)
    extension = os.path.splitext(upload.name)[1].lower()
    attachment = MeetingAttachment(meeting=meeting, original_name=os.path.basename(upload.name)[:200],
                                   size=upload.size, token=secrets.token_hex(16), extension=extension,
                                   uploaded_by=by)
    attachment.file.save(upload.name, upload, save=False)
    attachment._history_user = by
    attachment.save()
    return attachment


# --- follow-ups ------------------------------------------------------------------------------------------


def follow_up_create(*, by: User, enterprise: Enterprise, title: str, due_on: date, owner: User | None = None,
                     lead: Lead | None = None, meeting: MeetingLog | None = None) -> FollowUp:
    owner = owner or by
    if owner.role not in WORKING_ROLES:
        raise ValidationError({"follow_up_owner": _("A follow-up is owned by a promotion officer or leader.")})
    if meeting is not None and due_on < timezone.localdate(meeting.occurred_at):
        raise ValidationError({"follow_up_due": _("A follow-up cannot be due before the meeting it follows.")})
    if lead is not None and lead.enterprise_id != enterprise.pk:
        raise ValidationError({"lead": _("The lead belongs to another enterprise.")})
    follow_up = FollowUp(title=title.strip()[:200], due_on=due_on, owner=owner, enterprise=enterprise, lead=lead,
                         meeting=meeting, created_by=by)
    follow_up.full_clean()
    follow_up._history_user = by
    follow_up.save()
    return follow_up


def _open_follow_up(follow_up: FollowUp) -> FollowUp:
    current = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if current.status != FollowUpStatus.OPEN:
        raise ValidationError(_("This follow-up is already closed (%(status)s)."),
                              params={"status": current.get_status_display()}, code="closed")
    return current


def _close(current: FollowUp, status: str, by: User, note: str) -> FollowUp:
    current.status = status
    current.closed_at = timezone.now()
    current.closing_note = note.strip()
    current._history_user = by
    current.save()
    return current


@transaction.atomic
def follow_up_complete(*, follow_up: FollowUp, by: User, note: str = "") -> FollowUp:
    return _close(_open_follow_up(follow_up), FollowUpStatus.DONE, by, note)


@transaction.atomic
def follow_up_cancel(*, follow_up: FollowUp, by: User, note: str) -> FollowUp:
    if not note.strip():
        raise ValidationError({"note": _("Say why the follow-up is cancelled.")})
    return _close(_open_follow_up(follow_up), FollowUpStatus.CANCELLED, by, note)


@transaction.atomic
def follow_up_reschedule(*, follow_up: FollowUp, by: User, due_on: date, note: str = "") -> FollowUp:
    """Move a follow-up to a new date: the old one is closed as rescheduled and points to its successor, so the
    timeline keeps both dates."""
    current = _open_follow_up(follow_up)
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The new date cannot be in the past.")})
    successor = follow_up_create(by=by, enterprise=current.enterprise, title=current.title, due_on=due_on,
                                 owner=current.owner, lead=current.lead, meeting=current.meeting)
    current.rescheduled_to = successor
    return _close(current, FollowUpStatus.RESCHEDULED, by, note)


def follow_up_send_reminders(*, today: date | None = None) -> int:
    """Notify each owner of their open follow-ups due today or overdue; once per follow-up per day however
    often it runs (the notification key holds the day). Returns how many notifications were created."""
    today = today or timezone.localdate()
    due = (FollowUp.objects.filter(status=FollowUpStatus.OPEN, due_on__lte=today)
           .select_related("owner", "enterprise", "lead").order_by("pk"))
    created = 0
    for follow_up in due.iterator(chunk_size=500):
        if follow_up.due_on == today:
            message = _("Due today: %(title)s (%(enterprise)s)")
        else:
            message = _("Overdue since %(date)s: %(title)s (%(enterprise)s)")
        url = (follow_up.lead or follow_up.enterprise).get_absolute_url()
        text = message % {"title": follow_up.title, "enterprise": follow_up.enterprise.name,
                          "date": follow_up.due_on.isoformat()}
        if notify(recipient=follow_up.owner, key=f"followup-due:{follow_up.pk}:{today.isoformat()}",
                  message=text[:300], url=url):
            created += 1
    return created


# --- promotion events and introducers --------------------------------------------------------------------


def _check_event_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("An event cannot end before it starts.")})


@transaction.atomic
def event_create(*, by: User, name: str, kind: str, starts_on: date, ends_on: date, city: str = "",
                 organiser: str = "", attendees=(), notes: str = "") -> PromotionEvent:
    _check_event_dates(starts_on, ends_on)
    event = PromotionEvent(name=name, kind=kind, starts_on=starts_on, ends_on=ends_on, city=city,
                           organiser=organiser, notes=notes, created_by=by)
    event.full_clean()
    event._history_user = by
    event.save()
    event.attendees.set(attendees)
    return event


@transaction.atomic
def event_update(*, event: PromotionEvent, by: User, version: int | None, attendees=None,
                 **fields) -> PromotionEvent:
    """Save changes made on a page (or by an API client) that read `version`; StaleEdit if someone saved since."""
    event = locked_at_version(event, version=version)
    for name, value in fields.items():
        setattr(event, name, value)
    _check_event_dates(event.starts_on, event.ends_on)
    event.full_clean()
    event.version = version + 1
    event._history_user = by
    event.save()
    if attendees is not None:
        event.attendees.set(attendees)
    return event


def introducer_create(*, by: User, name: str, kind: str, **fields) -> Introducer:
    introducer = Introducer(name=name.strip(), kind=kind, **fields)
    introducer.full_clean()
    introducer._history_user = by
    introducer.save()
    return introducer


def contact_find_or_create(*, enterprise: Enterprise, name: str, phone: str = "") -> Contact:
    """The enterprise's contact of this name, created when missing (the import uses it)."""
    contact = enterprise.contacts.filter(name=name).first()
    if contact is None:
        contact = contact_create(enterprise=enterprise, name=name, mobile=phone[:30])
    return contact
