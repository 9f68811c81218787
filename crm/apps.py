from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "crm"
    verbose_name = _("Core records")

    def ready(self):
        # Permissions exist only after migrate; keep the role groups in step every time it runs.
        post_migrate.connect(_sync_groups, dispatch_uid="crm_sync_groups")


def _sync_groups(sender, **kwargs):
    """Run once per migrate, after the last app's permissions have been created (post_migrate is sent
    app by app, in INSTALLED_APPS order)."""
    from django.apps import apps

    from crm.roles import sync_group_permissions

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label == last.label:
        sync_group_permissions()
