from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "crm"
    verbose_name = _("Core records")

    def ready(self):
        # Permissions exist only after migrate; keep the role groups in step every time it runs.
        post_migrate.connect(_sync_groups, sender=self, dispatch_uid="crm_sync_groups")


def _sync_groups(sender, **kwargs):
    from crm.roles import sync_group_permissions

    sync_group_permissions()
