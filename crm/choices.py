from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Promotion officer")
    LEADER = "leader", _("Leader")
    REVIEWER = "reviewer", _("Partner reviewer")
    ADMIN = "admin", _("Administrator")


class BureauKind(models.TextChoices):
    PROMOTION = "promotion", _("Investment promotion bureau")
    PARTNER = "partner", _("Partner bureau")


class EnterpriseKind(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic")
    FOREIGN = "foreign", _("Foreign")
    HMT = "hmt", _("Hong Kong, Macao or Taiwan")
