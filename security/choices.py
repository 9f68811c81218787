from django.db import models
from django.utils.translation import gettext_lazy as _

from crm import audit as business_events


class AuditAction(models.TextChoices):
    """What an audit entry records. Other apps add entries with these codes through security.audit.record."""

    LOGIN = "login", _("Login")
    LOGOUT = "logout", _("Logout")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKOUT = "lockout", _("Account locked after failed logins")
    ACCOUNT_UNLOCKED = "account_unlocked", _("Account unlocked")
    SESSION_TIMEOUT = "session_timeout", _("Session ended after inactivity")
    SESSION_SUPERSEDED = "session_superseded", _("Session ended by a login elsewhere")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_REFUSED = "password_refused", _("New password refused")
    PASSWORD_EXPIRED = "password_expired", _("Password expired")
    OTP_ENROLLED = "otp_enrolled", _("Second factor enrolled")
    OTP_VERIFIED = "otp_verified", _("Second factor verified")
    OTP_FAILED = "otp_failed", _("Wrong second-factor code")
    OTP_RESET = "otp_reset", _("Second factor reset")
    RECOVERY_CODES_ISSUED = "recovery_codes_issued", _("Recovery codes issued")
    USER_CREATED = "user_created", _("Account created")
    USER_CHANGED = "user_changed", _("Account changed")
    USER_DELETED = "user_deleted", _("Account deleted")
    ROLE_CHANGED = "role_changed", _("Role changed")
    SETTINGS_CHANGED = "settings_changed", _("Back-office record changed")
    PERMISSION_DENIED = "permission_denied", _("Access refused")
    EXPORT = "export", _("Export")
    DOWNLOAD = "download", _("Download")
    OPINION_CHANGED = business_events.OPINION_CHANGED, _("Review opinion changed")
    AWARD_CHANGED = business_events.AWARD_CHANGED, _("Award changed")
    API_TOKEN_CREATED = business_events.API_TOKEN_CREATED, _("API token created")
    API_TOKEN_REVOKED = business_events.API_TOKEN_REVOKED, _("API token revoked")
    API_WRITE = business_events.API_WRITE, _("Change made through the API")
    RECORD_DELETED = "record_deleted", _("Record deleted")
    AUDIT_VIEWED = "audit_viewed", _("Audit log viewed")
    AUDIT_VERIFIED = "audit_verified", _("Audit chain verified")
    AUDIT_ARCHIVED = "audit_archived", _("Audit entries archived")


def audit_action_choices():
    """The audit entry's `action` choices, read from AuditAction when needed: the database stores the code only,
    so a new kind of event needs no migration."""
    return AuditAction.choices


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Refused")


class SessionEndReason(models.TextChoices):
    LOGOUT = "logout", _("Logged out")
    IDLE = "idle", _("Idle timeout")
    SUPERSEDED = "superseded", _("Logged in elsewhere")
    ACCOUNT_CHANGED = "account_changed", _("Role or second factor changed")
