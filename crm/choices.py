from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Promotion officer")
    LEADER = "leader", _("Leader")
    REVIEWER = "reviewer", _("Partner reviewer")
    # 三员分立: "admin" is the system administrator (accounts and settings); the security administrator
    # assigns roles and second factors; the audit administrator only reads the security audit log.
    ADMIN = "admin", _("Administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


class BureauKind(models.TextChoices):
    PROMOTION = "promotion", _("Investment promotion bureau")
    PARTNER = "partner", _("Partner bureau")


class EnterpriseKind(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic")
    FOREIGN = "foreign", _("Foreign")
    HMT = "hmt", _("Hong Kong, Macao or Taiwan")
