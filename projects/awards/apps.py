from django.apps import AppConfig
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
