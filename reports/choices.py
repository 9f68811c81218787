"""Enumerations of the reports app: the indicators of the annual statistics (DOMAIN.md, 年度招商统计)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    NEW_LEADS = "new_leads", _("New leads")
    SIGNED_PROJECTS = "signed_projects", _("Signed projects")
    SIGNED_AMOUNT = "signed_amount", _("Signed amount")
    LANDED_PROJECTS = "landed_projects", _("Landed projects")
    STARTED_PROJECTS = "started_projects", _("Started projects")
    OPERATING_PROJECTS = "operating_projects", _("Operating projects")
    DOMESTIC_CAPITAL = "domestic_capital", _("Domestic capital in place")
    FOREIGN_CAPITAL = "foreign_capital", _("Foreign capital actually used")
    NEGOTIATING_PROJECTS = "negotiating_projects", _("Projects in negotiation")


class Dimension(models.TextChoices):
    """The ways every indicator can be broken down."""

    INDUSTRY = "industry", _("Industry (GB/T 4754)")
    KEY_INDUSTRY = "key_industry", _("Hainan key industry")
    ORIGIN = "origin", _("Investor origin")
    SOURCE = "source", _("Lead source")
    OFFICER = "officer", _("Officer")
    MONTH = "month", _("Month")


class ExceptionList(models.TextChoices):
    """The lists a bureau chases every week, each with its threshold in months (on the work plan)."""

    NOT_REGISTERED = "not_registered", _("Signed but not registered")
    NOT_STARTED = "not_started", _("Registered but not started")
    NOT_OPERATING = "not_operating", _("Started but not in operation")
    NO_CAPITAL = "no_capital", _("Signed with no capital in place")
    OVERDUE_REVIEWS = "overdue_reviews", _("Review requests overdue")
