"""Enumerations of aftercare, and the complaint state machine as data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Cadence(models.IntegerChoices):
    """How often a key enterprise is visited, in months."""

    MONTHLY = 1, _("Every month")
    BIMONTHLY = 2, _("Every two months")
    QUARTERLY = 3, _("Every quarter")
    HALF_YEARLY = 6, _("Every half year")
    YEARLY = 12, _("Every year")


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REQUEST = "request", _("Request")


class Channel(models.TextChoices):
    CALL = "call", _("Telephone call")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    API = "api", _("Another system (API)")


class Category(models.TextChoices):
    APPROVAL_DELAY = "approval_delay", _("Approval delay")
    LAND = "land", _("Land")
    PERMITS = "permits", _("Permits and licences")
    UTILITIES = "utilities", _("Water, power, gas and roads")
    TALENT = "talent", _("Talent")
    POLICY_PAYMENT = "policy_payment", _("Policy payment")
    OTHER = "other", _("Other")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("With the bureau")
    ANSWERED = "answered", _("Answered, awaiting the investor's verdict")
    CLOSED = "closed", _("Closed")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


# The whole complaint machine: the bureau answers, the officer closes with the investor's verdict, and only a
# dissatisfied close can be reopened (a new handling cycle, routed again with a new due date).
COMPLAINT_MOVES = {
    ComplaintStatus.OPEN: {ComplaintStatus.ANSWERED},
    ComplaintStatus.ANSWERED: {ComplaintStatus.CLOSED},
    ComplaintStatus.CLOSED: {ComplaintStatus.OPEN},
}

# Verdicts that count as satisfied in the satisfaction rate (满意率 = 满意 + 基本满意).
SATISFIED_VERDICTS = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)

# Working days a bureau has to answer, by default, unless the officer sets another limit.
DEFAULT_DUE_WORKING_DAYS = 10


class CheckResult(models.TextChoices):
    """The outcome of the annual compliance check of a foreign-invested enterprise."""

    COMPLIANT = "compliant", _("Compliant")
    RECTIFY = "rectify", _("Rectification required")
    REFERRED = "referred", _("Referred to the competent authority")


class FollowUpState(models.TextChoices):
    NONE = "none", _("No follow-up needed")
    OPEN = "open", _("Follow-up open")
    DONE = "done", _("Follow-up done")


class OrganisationKind(models.TextChoices):
    ASSOCIATION = "association", _("Association of foreign-invested enterprises")
    CHAMBER = "chamber", _("Chamber of commerce")
    REPRESENTATIVE_OFFICE = "office", _("Representative office")
