"""Read functions for the security pages: visibility from crm.access, joins and flags computed in one query."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from crm import access
from crm.models import ApiToken, User
from security.models import AuditChainHead, AuditEntry


def audit_entries(*, user, filters: dict) -> QuerySet[AuditEntry]:
    """The security audit log for the audit administrator (nobody else), newest first, filtered."""
    if not access.can_read_audit_log(user):
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.all()
    if filters.get("date_from"):
        qs = qs.filter(occurred_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(occurred_at__date__lte=filters["date_to"])
    if filters.get("username"):
        qs = qs.filter(actor_username__icontains=filters["username"].strip())
    for name in ("action", "result", "ip_address"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name].strip()})
    return qs.order_by("-seq")


def audit_chain_head() -> AuditChainHead | None:
    return AuditChainHead.objects.filter(pk=1).first()


def accounts_for_role_management(*, user, role: str = "") -> QuerySet[User]:
    """Every account for the security administrator, with its second-factor and lockout state; else none."""
    if not access.can_assign_role(user):
        return User.objects.none()
    locked_since = timezone.now() - settings.AXES_COOLOFF_TIME
    qs = User.objects.select_related("bureau").annotate(
        has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        is_locked=Exists(AccessAttempt.objects.filter(
            username=OuterRef("username"), attempt_time__gte=locked_since,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        )),
    )
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("role", "username")


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """A person's own API tokens, newest first (revoked ones stay listed)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_tokens_for_security_admin(*, user) -> QuerySet[ApiToken]:
    """Every API token with its owner, live ones first, for the security administrator (nobody else)."""
    if not access.is_security_admin(user):
        return ApiToken.objects.none()
    return ApiToken.objects.select_related("user").order_by(F("revoked_at").desc(nulls_first=True), "-created_at",
                                                             "-pk")
