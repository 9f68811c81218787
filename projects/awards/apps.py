from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    """Incentive awards: policies in the database, the calculator, applications, instalments and recoveries.

    An app of its own inside the projects package (label ``awards``) so its migrations never collide with the
    pipeline's; the pure engine and the policy file format (``engine.py``, ``policy_file.py``) live beside it.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "projects.awards"
    label = "awards"
    verbose_name = _("Incentive awards")

    def ready(self):
        # crm's group sync runs when crm's post_migrate fires, before this app's permissions exist on a fresh
        # database, and it only knows the apps listed in crm.roles; grant ours once they exist.
        post_migrate.connect(_grant_back_office, sender=self, dispatch_uid="awards_grant_back_office")


def _grant_back_office(sender, apps=None, **kwargs):
    """Administrators keep award policies in the back office; leaders may read them there."""
    from django.apps import apps as global_apps

    from crm.roles import ROLE_GROUP_NAMES

    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label=AwardsConfig.label)
    administrators, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES["admin"])
    administrators.permissions.add(*permissions)
    leaders, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES["leader"])
    leaders.permissions.add(*permissions.filter(codename__startswith="view_"))
