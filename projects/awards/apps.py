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

    def ready(self):
        from projects.signals import project_facts_changed

        project_facts_changed.connect(_recompute, dispatch_uid="awards-recompute-on-project-facts")


def _recompute(sender, project_id, **kwargs):
    from projects.awards.services import project_facts_changed

    project_facts_changed(project_id=project_id)
