from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    """Aftercare (跟踪服务): key enterprises and their visits, investors' complaints and requests, the register of
    foreign-invested enterprises with their annual checks, and the foreign-business organisations.

    Sits above projects in the layers: it reads projects' records (capital in place) and leads' meeting logs,
    never the reverse.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "aftercare"
    label = "aftercare"
    verbose_name = _("Aftercare")
