"""Who may see and change leads, meetings, follow-ups, events and imports, built on crm.access.

Officers, leaders and administrators see everything of the bureau (so two officers never chase one investor
unknowingly); partner reviewers see none of it (404). Officers and leaders create records (crm.access.can_work);
officers change what they own or co-own; leaders change everything; administrators keep the back office and
change nothing here (403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from crm.access import is_bureau_staff, is_leader, require_bureau_staff
from crm.choices import Role
from leads.models import FollowUp, Introducer, Lead, LeadImport, MeetingAttachment, MeetingLog, PromotionEvent


def leads_visible_to(user) -> QuerySet[Lead]:
    return Lead.objects.all() if is_bureau_staff(user) else Lead.objects.none()


def _owns(user, lead: Lead) -> bool:
    if lead.owner_id == user.pk:
        return True
    # Uses the prefetch cache when the caller prefetched co_owners.
    return any(u.pk == user.pk for u in lead.co_owners.all())


def can_edit_lead(user, lead: Lead) -> bool:
    return is_leader(user) or (user.role == Role.OFFICER and _owns(user, lead))


def get_lead_for_user(user, pk, *, write: bool = False) -> Lead:
    lead = (leads_visible_to(user).select_related("enterprise", "industry", "owner", "source_event", "introducer")
            .prefetch_related("co_owners").filter(pk=pk).first())
    if lead is None:
        raise Http404
    if write and not can_edit_lead(user, lead):
        raise PermissionDenied
    return lead


def meetings_visible_to(user) -> QuerySet[MeetingLog]:
    return MeetingLog.objects.all() if is_bureau_staff(user) else MeetingLog.objects.none()


def can_edit_meeting(user, meeting: MeetingLog) -> bool:
    """The author, the owners of its lead, and leaders."""
    if is_leader(user):
        return True
    if user.role != Role.OFFICER:
        return False
    if meeting.created_by_id == user.pk:
        return True
    return meeting.lead is not None and _owns(user, meeting.lead)


def get_meeting_for_user(user, pk, *, write: bool = False) -> MeetingLog:
    meeting = (meetings_visible_to(user).select_related("enterprise", "lead", "lead__owner", "created_by")
               .prefetch_related("lead__co_owners").filter(pk=pk).first())
    if meeting is None:
        raise Http404
    if write and not can_edit_meeting(user, meeting):
        raise PermissionDenied
    return meeting


def get_attachment_for_user(user, pk) -> MeetingAttachment:
    """An attachment is visible exactly when its meeting is."""
    attachment = (MeetingAttachment.objects.filter(meeting__in=meetings_visible_to(user))
                  .select_related("meeting").filter(pk=pk).first())
    if attachment is None:
        raise Http404
    return attachment


def follow_ups_visible_to(user) -> QuerySet[FollowUp]:
    """The bureau's follow-ups, as get_follow_up_for_user lets the bureau's people see them."""
    return FollowUp.objects.all() if is_bureau_staff(user) else FollowUp.objects.none()


def events_visible_to(user) -> QuerySet[PromotionEvent]:
    return PromotionEvent.objects.all() if is_bureau_staff(user) else PromotionEvent.objects.none()


def introducers_visible_to(user) -> QuerySet[Introducer]:
    return Introducer.objects.all() if is_bureau_staff(user) else Introducer.objects.none()


def can_edit_follow_up(user, follow_up: FollowUp) -> bool:
    """Its owner, the owners of its lead, and leaders."""
    if is_leader(user):
        return True
    if user.role != Role.OFFICER:
        return False
    return follow_up.owner_id == user.pk or (follow_up.lead is not None and _owns(user, follow_up.lead))


def get_follow_up_for_user(user, pk, *, write: bool = False) -> FollowUp:
    require_bureau_staff(user)
    follow_up = (FollowUp.objects.select_related("lead", "enterprise", "owner")
                 .prefetch_related("lead__co_owners").filter(pk=pk).first())
    if follow_up is None:
        raise Http404
    if write and not can_edit_follow_up(user, follow_up):
        raise PermissionDenied
    return follow_up


def can_edit_event(user, event: PromotionEvent) -> bool:
    """The officer who entered it and those who attended it, and leaders."""
    if is_leader(user):
        return True
    if user.role != Role.OFFICER:
        return False
    return event.created_by_id == user.pk or any(u.pk == user.pk for u in event.attendees.all())


def get_event_for_user(user, pk, *, write: bool = False) -> PromotionEvent:
    require_bureau_staff(user)
    event = PromotionEvent.objects.prefetch_related("attendees").filter(pk=pk).first()
    if event is None:
        raise Http404
    if write and not can_edit_event(user, event):
        raise PermissionDenied
    return event


def get_import_for_user(user, pk) -> LeadImport:
    """An import is its uploader's (leaders may look at any); others get 404."""
    require_bureau_staff(user)
    job = LeadImport.objects.select_related("created_by").filter(pk=pk).first()
    if job is None or not (job.created_by_id == user.pk or is_leader(user)):
        raise Http404
    return job
