"""Who may see and change what: the role vocabulary every app builds on, and the core's own records.

Visibility is a queryset filter per model; a record outside it answers 404 (no hint that it exists). A
visible record the user may not change answers 403. Each app keeps the visibility and editability of its own
records in its `access.py` (leads, projects, awards, aftercare, reports), always built on the roles and
predicates below, so a role means the same thing on every page, export, API endpoint and task.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from crm.choices import Role
from crm.models import Contact, Enterprise, User

# The bureau's people: they see the bureau's records (enterprises, leads, projects, awards, aftercare).
STAFF_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.ADMIN})
# Of those, the ones who do the daily work and so may change records; administrators keep the back office and
# only look at the bureau's records (403 on changes).
WORKING_ROLES = frozenset({Role.OFFICER, Role.LEADER})


def is_bureau_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in STAFF_ROLES)


def can_work(user) -> bool:
    """An active officer or leader: may create and change the bureau's records (each app narrows which)."""
    return bool(user and user.is_authenticated and user.is_active and user.role in WORKING_ROLES)


def is_leader(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.LEADER)


def is_reviewer(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.REVIEWER and user.bureau_id)


def require_bureau_staff(user) -> None:
    """404 for anyone outside the bureau: a partner reviewer must not learn that these pages exist."""
    if not is_bureau_staff(user):
        raise Http404


def require_worker(user) -> None:
    """404 outside the bureau; 403 for the bureau's people who only look (administrators)."""
    require_bureau_staff(user)
    if not can_work(user):
        raise PermissionDenied


def require_leader(user) -> None:
    """404 outside the bureau; 403 for anyone in it but a leader."""
    require_bureau_staff(user)
    if not is_leader(user):
        raise PermissionDenied


def working_people() -> QuerySet[User]:
    """The accounts that may own and be given the bureau's work: active officers and leaders."""
    return User.objects.filter(role__in=WORKING_ROLES, is_active=True)


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """Officers, leaders and administrators share the whole register; partner reviewers see none of it."""
    if is_bureau_staff(user):
        return Enterprise.objects.all()
    return Enterprise.objects.none()


def can_edit_enterprise(user, enterprise: Enterprise) -> bool:
    # The register is shared: any officer keeps it current; leaders may edit anything.
    return can_work(user)


def can_create_enterprise(user) -> bool:
    return can_work(user)


def get_enterprise_for_user(user, pk, *, write: bool = False) -> Enterprise:
    """The enterprise if the user may see it (else 404) and, with write=True, change it (else 403)."""
    enterprise = enterprises_visible_to(user).select_related("industry", "created_by").filter(pk=pk).first()
    if enterprise is None:
        raise Http404
    if write and not can_edit_enterprise(user, enterprise):
        raise PermissionDenied
    return enterprise


def contacts_visible_to(user) -> QuerySet[Contact]:
    return Contact.objects.filter(enterprise__in=enterprises_visible_to(user))


def get_contact_for_user(user, pk, *, write: bool = False) -> Contact:
    contact = contacts_visible_to(user).select_related("enterprise").filter(pk=pk).first()
    if contact is None:
        raise Http404
    if write and not can_edit_enterprise(user, contact.enterprise):
        raise PermissionDenied
    return contact


# --- 三员分立: the three administrators (docs/security.md) -------------------------------------------------
# The system administrator ("admin") keeps accounts and settings in the back office but cannot give roles;
# the security administrator gives roles and resets second factors but holds no back-office rights; the audit
# administrator only reads the security audit log. Nobody can change or delete an audit entry, so no single
# account can act and then erase the trace.
ADMINISTRATOR_ROLES = frozenset({Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


def _active_with_role(user, role) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == role)


def is_system_admin(user) -> bool:
    return _active_with_role(user, Role.ADMIN)


def is_security_admin(user) -> bool:
    return _active_with_role(user, Role.SECURITY_ADMIN)


def is_audit_admin(user) -> bool:
    return _active_with_role(user, Role.AUDIT_ADMIN)


def can_manage_accounts(user) -> bool:
    """Create accounts, correct their names, deactivate them (never delete): the system administrator."""
    return is_system_admin(user)


def can_assign_role(user, account=None) -> bool:
    """Give roles, reset second factors, lift lockouts: the security administrator, never on their own account."""
    if not is_security_admin(user):
        return False
    return account is None or (account.pk != user.pk and not account.is_superuser)


def can_read_audit_log(user) -> bool:
    """Only the audit administrator reads the security audit log; nobody can change it."""
    return is_audit_admin(user)


def can_see_personal_data(user) -> bool:
    """Whether the user sees contacts' mobile and ID numbers in full (个人信息保护法: minimum necessary).

    The roles that call investors (CRM_PERSONAL_DATA_ROLES, by default officers and leaders); everyone else
    sees them masked in pages, exports and the API (crm.lib.masking).
    """
    return bool(user and user.is_authenticated and user.role in settings.CRM_PERSONAL_DATA_ROLES)


# --- API tokens: a person's own credential for another system (docs/api.md) ---------------------------------
# Nobody makes a token for another account: each person makes their own, after their second factor (the page is
# security's). The security administrator may revoke anyone's token, never make one.


def can_revoke_api_token(user, token) -> bool:
    """The token's owner, or the security administrator."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return token.user_id == user.pk or is_security_admin(user)
