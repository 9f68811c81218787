"""System checks: settings that would quietly weaken a control stop `manage.py check` (and deployment)."""

from django.conf import settings
from django.core.checks import Error, register

from crm.choices import Role
from security.audit import MINIMUM_RETENTION_DAYS


@register()
def security_settings(app_configs=None, **kwargs):
    errors = []
    if settings.CRM_AUDIT_RETENTION_DAYS < MINIMUM_RETENTION_DAYS:
        errors.append(Error(
            f"CRM_AUDIT_RETENTION_DAYS is {settings.CRM_AUDIT_RETENTION_DAYS}; audit entries must be kept at "
            f"least {MINIMUM_RETENTION_DAYS} days (Cybersecurity Law, art. 21).", id="security.E001"))
    for name in ("CRM_OTP_REQUIRED_ROLES", "CRM_PERSONAL_DATA_ROLES"):
        unknown = sorted(set(getattr(settings, name)) - set(Role.values))
        if unknown:
            errors.append(Error(f"{name} names roles that do not exist: {', '.join(unknown)}.",
                                hint=f"Known roles: {', '.join(Role.values)}.", id="security.E002"))
    return errors
