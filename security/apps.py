from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "security"
    verbose_name = _("Security")

    def ready(self):
        # The receivers that turn authentication and account events into audit entries (listed in
        # docs/security.md, "Signals"): they are events of other apps' code we cannot call into.
        from security import checks, signals  # noqa: F401  (checks registers itself)

        signals.connect()

        # The business apps below this one write their events through crm.audit.
        from crm import audit as business_events
        from security import audit

        business_events.install(audit.record)
