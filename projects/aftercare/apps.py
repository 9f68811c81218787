from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    """Aftercare (跟踪服务): key enterprises and their visits, investors' complaints and requests, the register of
    foreign-invested enterprises with their annual checks, and the foreign-business organisations.

    An app of its own inside the projects package (label ``aftercare``) so its migrations never collide with
    the pipeline's; it reads projects' records (capital in place) and leads' meeting logs, never the reverse.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "projects.aftercare"
    label = "aftercare"
    verbose_name = _("Aftercare")

    def ready(self):
        # crm.roles only knows the apps it lists; give the back-office rights on ours once they exist.
        post_migrate.connect(_grant_back_office, sender=self, dispatch_uid="aftercare_grant_back_office")


def _grant_back_office(sender, apps=None, **kwargs):
    """Administrators keep aftercare records in the back office; leaders may read them there."""
    from django.apps import apps as global_apps

    from crm.roles import ROLE_GROUP_NAMES

    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label=AftercareConfig.label)
    administrators, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES["admin"])
    administrators.permissions.add(*permissions)
    leaders, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES["leader"])
    leaders.permissions.add(*permissions.filter(codename__startswith="view_"))
