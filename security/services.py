"""Changes behind the account-security controls: sessions, password age and history, second factors, and
the security administrator's role assignments. None take a request; views pass what they parsed."""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import import_module

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from crm import access
from crm import services as crm_services
from crm.choices import Role
from crm.models import Bureau, User
from crm.notifications import notify
from security import audit
from security.chain import ChainReport
from security.choices import AuditAction, AuditResult, SessionEndReason
from security.models import PasswordHistory, PasswordState, SessionRecord

RECOVERY_CODE_COUNT = 10
# What the middleware reads on every request, kept in the session so the checks cost no query.
SESSION_LAST_SEEN = "security_last_seen"  # epoch seconds of the last request (updated at most once a minute)
SESSION_PASSWORD_EXPIRES = "security_password_expires"  # epoch seconds when the password expires
# Ended-session records are kept this long so a browser coming back can still be told why it was logged out.
ENDED_SESSION_MEMORY = timedelta(days=7)


def _session_store(session_key: str) -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


# --- sessions -------------------------------------------------------------------------------------------

@transaction.atomic
def session_start(*, user: User, session_key: str, ip_address: str = "") -> list[SessionRecord]:
    """Register a new login session; with CRM_SINGLE_SESSION, end the account's other sessions.

    Returns the sessions that were ended, so the caller can record them.
    """
    now = timezone.now()
    SessionRecord.objects.filter(user=user, ended_at__lt=now - ENDED_SESSION_MEMORY).delete()
    SessionRecord.objects.update_or_create(
        session_key=session_key,
        defaults={"user": user, "ip_address": ip_address, "ended_at": None, "end_reason": ""},
    )
    if not settings.CRM_SINGLE_SESSION:
        return []
    return sessions_end(user=user, reason=SessionEndReason.SUPERSEDED, keep=session_key)


def sessions_end(*, user: User, reason: str, keep: str | None = None) -> list[SessionRecord]:
    """End every open session of an account except `keep`: the session data is deleted, the record kept."""
    others = list(SessionRecord.objects.select_for_update().filter(user=user, ended_at__isnull=True)
                  .exclude(session_key=keep or ""))
    for record in others:
        _session_store(record.session_key).delete()
    SessionRecord.objects.filter(pk__in=[r.pk for r in others]).update(ended_at=timezone.now(), end_reason=reason)
    return others


def session_end(*, session_key: str, reason: str) -> None:
    """Mark one session ended (the caller flushes it): logout or idle timeout."""
    SessionRecord.objects.filter(session_key=session_key, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason)


def session_end_reason(*, session_key: str) -> str:
    """Why a session that no longer exists was ended ("" if it simply expired or was never ours)."""
    return (SessionRecord.objects.filter(session_key=session_key, ended_at__isnull=False)
            .values_list("end_reason", flat=True).first() or "")


# --- passwords ------------------------------------------------------------------------------------------

def password_record_change(*, user: User, password_hash: str) -> bool:
    """Remember a newly set password: its hash for the history rule and the time for expiry.

    Returns True when this replaced an earlier password (False for an account's first password).
    """
    keep = max(settings.CRM_PASSWORD_HISTORY, 1)
    had_password = PasswordHistory.objects.filter(user=user).exists()
    PasswordHistory.objects.create(user=user, password=password_hash)
    stale = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id").values_list("pk", flat=True)
    PasswordHistory.objects.filter(pk__in=list(stale[keep:])).delete()
    PasswordState.objects.update_or_create(user=user, defaults={"changed_at": timezone.now(), "must_change": False})
    return had_password


def password_set_by_another(*, user: User, by: User) -> None:
    """Someone else set this account's password (an administrator helping a person who forgot theirs). Under
    三员分立 nobody may act as another person: the password works once, to log in and choose a new one, and the
    account's open sessions end now."""
    PasswordState.objects.update_or_create(user=user, defaults={"changed_at": timezone.now(), "must_change": True})
    sessions_end(user=user, reason=SessionEndReason.ACCOUNT_CHANGED)


def password_was_used(*, user: User, password: str) -> bool:
    """Whether `password` is one of the account's last CRM_PASSWORD_HISTORY passwords (current one included)."""
    if not user.pk or settings.CRM_PASSWORD_HISTORY <= 0:
        return False
    hashes = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id").values_list(
        "password", flat=True)[: settings.CRM_PASSWORD_HISTORY]
    return any(check_password(password, encoded) for encoded in hashes)


def password_expires_at(*, user: User) -> datetime | None:
    """When the account's password expires (None: never). An account we never saw set a password starts now."""
    if not user.has_usable_password():
        return None
    state, _created = PasswordState.objects.get_or_create(user=user, defaults={"changed_at": timezone.now()})
    if state.must_change:
        return state.changed_at  # expired from the moment it was set
    if settings.CRM_PASSWORD_MAX_AGE_DAYS <= 0:
        return None
    return state.changed_at + timedelta(days=settings.CRM_PASSWORD_MAX_AGE_DAYS)


# --- second factor --------------------------------------------------------------------------------------

def otp_required(user) -> bool:
    """Whether the account must pass a second factor: its role is in CRM_OTP_REQUIRED_ROLES."""
    return bool(user.is_authenticated and user.role in settings.CRM_OTP_REQUIRED_ROLES)


def otp_confirmed_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def otp_enrolment_device(*, user: User) -> TOTPDevice:
    """The authenticator the user is enrolling: an unconfirmed device with a fresh secret, reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def otp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm an enrolment with the first code the app shows; return the new recovery codes (shown once)."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        raise ValidationError(_("The code is wrong or has expired. Enter the code your app shows now."),
                              code="otp_wrong")
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = otp_recovery_codes_issue(user=user)
    audit.record(action=AuditAction.OTP_ENROLLED, actor=user, target=user)
    return codes


def otp_match(*, user: User, token: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts the code: the authenticator app, or a recovery code (which is then used up).

    Devices are locked while checking so two requests cannot use one code; wrong codes slow the next
    attempts down (django-otp's throttling doubles the wait after each failure).
    """
    with transaction.atomic():
        devices = [*TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True),
                   *StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)]
        return next((device for device in devices if device.verify_token(token)), None)


def otp_recovery_codes_issue(*, user: User) -> list[str]:
    """Replace the account's recovery codes with RECOVERY_CODE_COUNT new single-use ones."""
    device, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": _("Recovery codes")})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit.record(action=AuditAction.RECOVERY_CODES_ISSUED, actor=user, target=user)
    return codes


def otp_recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- the security administrator's powers ----------------------------------------------------------------

def _require_security_admin(actor: User, user: User) -> None:
    if not access.can_assign_role(actor, user):
        audit.record(action=AuditAction.PERMISSION_DENIED, actor=actor, target=user, result=AuditResult.DENIED,
                     detail={"attempt": "account_security_change"})
        raise PermissionDenied


@transaction.atomic
def account_set_role(*, actor: User, user: User, role: str, bureau: Bureau | None) -> User:
    """Give an account a new role (security administrator only, never their own) and end its sessions.

    The role change itself is recorded by the account-history hook (security.signals); ending the sessions
    makes the new powers apply from the next login.
    """
    _require_security_admin(actor, user)
    user = crm_services.user_set_role(user=user, role=role, bureau=bureau)
    sessions_end(user=user, reason=SessionEndReason.ACCOUNT_CHANGED)
    return user


@transaction.atomic
def account_reset_otp(*, actor: User, user: User) -> None:
    """Remove an account's authenticator and recovery codes (a lost phone); it enrols again at next login."""
    _require_security_admin(actor, user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sessions_end(user=user, reason=SessionEndReason.ACCOUNT_CHANGED)
    audit.record(action=AuditAction.OTP_RESET, actor=actor, target=user)


def account_unlock(*, actor: User, user: User) -> None:
    """Lift a lockout after failed logins before its cool-off ends (the person was identified)."""
    _require_security_admin(actor, user)
    axes_reset(username=user.get_username())
    audit.record(action=AuditAction.ACCOUNT_UNLOCKED, actor=actor, target=user)


# --- the scheduled checks of the audit log --------------------------------------------------------------

def audit_chain_check(*, today) -> ChainReport:
    """Verify the whole chain; if it is broken, record that and tell every audit administrator (once a day)."""
    report = audit.verify_chain()
    if report.broken:
        where = audit.describe_break(report.broken)
        audit.record(action=AuditAction.AUDIT_VERIFIED, actor=None, result=AuditResult.FAILURE,
                     detail={"checked": report.checked, "broken_at": report.broken.seq})
        _alert_audit_admins(key=f"audit-chain-broken:{today.isoformat()}",
                            message=_("The security audit log's chain is broken. %(where)s") % {"where": where})
    return report


def audit_chain_anchor(*, today) -> str | None:
    """Write today's chain head outside the database: the anchor file, the system log and, when e-mail is
    configured, the audit administrators' mailboxes. Returns the anchor line (None when there was nothing to
    anchor or the chain is broken: a broken chain is reported by the nightly check, never anchored)."""
    report = audit.verify_chain()
    if report.broken or report.last_seq == 0:
        return None
    line = audit.anchor_write(date=today.isoformat(), seq=report.last_seq, entry_hash=report.last_hash)
    recipients = list(User.objects.filter(role=Role.AUDIT_ADMIN, is_active=True).exclude(email="")
                      .values_list("email", flat=True))
    if settings.EMAIL_HOST and recipients:
        send_mail(
            subject=_("Security audit log anchor, %(date)s") % {"date": today.isoformat()},
            message=_("Keep this message. It records the security audit log's last entry today; "
                      "manage.py audit_verify --anchors <saved file> checks that the log still passes through "
                      "it.\n\n%(line)s\n") % {"line": line},
            from_email=None, recipient_list=recipients, fail_silently=True,
        )
    return line


def audit_archive_run(*, today) -> int:
    """Archive entries past the retention; a broken chain is reported to the audit administrators instead."""
    try:
        return audit.archive()
    except audit.ChainBroken as exc:
        _alert_audit_admins(key=f"audit-archive-refused:{today.isoformat()}",
                            message=_("Audit entries were not archived: the chain is broken. %(where)s") % {
                                "where": str(exc)})
        return 0


def _alert_audit_admins(*, key: str, message: str) -> None:
    for admin in User.objects.filter(role=Role.AUDIT_ADMIN, is_active=True):
        notify(recipient=admin, key=key, message=message, url=reverse("security:audit_list"))
