"""Who sees and changes aftercare records, built on crm.access.

Key enterprises, the foreign-invested enterprise register and organisations are the bureau's: its people see
them, officers and leaders change them (crm.access.require_worker), leaders designate key enterprises. Complaints
are also seen by the partner reviewers of a bureau they were ever routed to, who answer for it; closing and
reopening is the officer in charge's or a leader's.
"""

from django.db.models import QuerySet
from django.http import Http404

from aftercare.models import Complaint, ComplaintCycle
from crm.access import is_bureau_staff, is_leader, is_reviewer
from crm.choices import Role


def require_complaints(user) -> None:
    """The complaint pages are the bureau's and the partner reviewers'; anyone else gets 404."""
    if not (is_bureau_staff(user) or is_reviewer(user)):
        raise Http404


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """The bureau's people see every complaint; a partner reviewer sees only those ever routed to their bureau."""
    if is_bureau_staff(user):
        return Complaint.objects.all()
    if is_reviewer(user):
        routed = ComplaintCycle.objects.filter(bureau_id=user.bureau_id).values("complaint_id")
        return Complaint.objects.filter(pk__in=routed)
    return Complaint.objects.none()


def get_complaint_for_user(user, pk) -> Complaint:
    complaint = (complaints_visible_to(user)
                 .select_related("enterprise", "contact", "owner", "created_by", "meeting", "current_cycle__bureau")
                 .filter(pk=pk).first())
    if complaint is None:
        raise Http404
    return complaint


def can_handle_complaint(user, complaint: Complaint) -> bool:
    """Close or reopen: the officer in charge, and leaders."""
    return is_leader(user) or (user.role == Role.OFFICER and complaint.owner_id == user.pk)
