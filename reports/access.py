"""Who may see and do what with the statistics (DOMAIN.md, "The people and what they may do").

Officers, leaders and administrators read the whole bureau's statistics; only leaders publish a month; leaders
and administrators set the work plan; a partner reviewer sees only their own bureau's turnaround page.
Anything else answers 404; a visible page an account may not act on answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from crm.access import is_bureau_staff, is_leader, is_reviewer
from crm.choices import Role


def can_view_statistics(user) -> bool:
    return is_bureau_staff(user)


def can_publish(user) -> bool:
    return is_leader(user)


def can_edit_work_plan(user) -> bool:
    return bool(is_bureau_staff(user) and user.role in (Role.LEADER, Role.ADMIN))


def require_statistics(user) -> None:
    if not can_view_statistics(user):
        raise Http404


def require_publisher(user) -> None:
    require_statistics(user)
    if not can_publish(user):
        raise PermissionDenied


def require_planner(user) -> None:
    require_statistics(user)
    if not can_edit_work_plan(user):
        raise PermissionDenied


def require_reviewer(user) -> None:
    if not is_reviewer(user):
        raise Http404
