from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    """Incentive awards: policies in the database, the calculator, applications, instalments and recoveries.

    Sits above projects in the layers: it reads projects' facts and reacts to their changes through
    ``projects.signals``; the pure engine and the policy file format (``engine/``, ``policy_file.py``) live here.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "awards"
    label = "awards"
    verbose_name = _("Incentive awards")

    def ready(self):
        from projects.signals import project_facts_changed

        project_facts_changed.connect(_recompute, dispatch_uid="awards-recompute-on-project-facts")


def _recompute(sender, project_id, **kwargs):
    from awards.services import project_facts_changed

    project_facts_changed(project_id=project_id)
