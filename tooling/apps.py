from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolingConfig(AppConfig):
    """Seeding and measuring: `seed_demo`, `seed_scale` and `bench`. At the top of the layers, because it
    builds and reads every app's records; no product code imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tooling"
    verbose_name = _("Tooling")
