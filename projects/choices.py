"""Enumerations of the project pipeline, and the stage machine as data (enforced in services.project_change_stage)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    NEGOTIATING = "negotiating", _("Negotiating")
    REVIEW = "review", _("Inter-bureau review")
    SIGNED = "signed", _("Signed")
    REGISTERED = "registered", _("Registered in the district")
    CONSTRUCTION = "construction", _("Under construction")
    OPERATING = "operating", _("In operation")
    PAUSED = "paused", _("Paused")
    TERMINATED = "terminated", _("Terminated")


# The working stages in pipeline order (a paused project resumes into the one it left).
PIPELINE = (Stage.NEGOTIATING, Stage.REVIEW, Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION, Stage.OPERATING)

# Every allowed move. Pause and terminate are possible from any working stage; a paused project can only
# resume into the stage it was paused from (checked against Project.paused_from) or be terminated.
STAGE_MOVES: dict[str, frozenset[str]] = {
    Stage.NEGOTIATING: frozenset({Stage.REVIEW, Stage.PAUSED, Stage.TERMINATED}),
    Stage.REVIEW: frozenset({Stage.SIGNED, Stage.NEGOTIATING, Stage.PAUSED, Stage.TERMINATED}),
    Stage.SIGNED: frozenset({Stage.REGISTERED, Stage.PAUSED, Stage.TERMINATED}),
    Stage.REGISTERED: frozenset({Stage.CONSTRUCTION, Stage.PAUSED, Stage.TERMINATED}),
    Stage.CONSTRUCTION: frozenset({Stage.OPERATING, Stage.PAUSED, Stage.TERMINATED}),
    Stage.OPERATING: frozenset({Stage.PAUSED, Stage.TERMINATED}),
    Stage.PAUSED: frozenset(set(PIPELINE) | {Stage.TERMINATED}),
    Stage.TERMINATED: frozenset(),
}

# Moves that must carry a written reason (pausing, terminating, going back to negotiation).
MOVES_NEEDING_REASON = frozenset({Stage.PAUSED, Stage.TERMINATED})

# Stages a project may be moved to directly from its page; the others follow from recorded facts
# (a round opened, a milestone recorded, a disagree received).
MANUAL_TARGETS = frozenset({Stage.PAUSED, Stage.TERMINATED})


def manual_stage_targets(stage: str, paused_from: str = "") -> list[str]:
    """The stages a person may move a project to from ``stage`` by hand (its page and the API offer the same):
    back into the stage it was paused from (first), pause and terminate."""
    targets = sorted(t for t in STAGE_MOVES[stage] if t in MANUAL_TARGETS)
    if paused_from and paused_from in STAGE_MOVES[stage]:
        targets.insert(0, paused_from)
    return targets


class MilestoneKind(models.TextChoices):
    CONTRACT = "contract", _("Contract signed")
    REGISTRATION = "registration", _("Registered in the district")
    CONSTRUCTION = "construction", _("Construction started")
    OPERATION = "operation", _("Operation started")


# Recording a milestone moves the project into this stage; milestones come in this order.
MILESTONE_STAGE = {
    MilestoneKind.CONTRACT: Stage.SIGNED,
    MilestoneKind.REGISTRATION: Stage.REGISTERED,
    MilestoneKind.CONSTRUCTION: Stage.CONSTRUCTION,
    MilestoneKind.OPERATION: Stage.OPERATING,
}
MILESTONE_ORDER = tuple(MILESTONE_STAGE)


class Metric(models.TextChoices):
    INVESTMENT_INTENSITY = "intensity", _("Investment intensity (10k CNY per mu)")
    TAX_PER_MU = "tax_per_mu", _("Expected annual tax per mu (10k CNY per mu)")
    TOTAL_INVESTMENT = "total_investment", _("Total planned investment (10k CNY)")


class Comparator(models.TextChoices):
    # 以上 includes the number, 超过 excludes it (Civil Code art. 1259); each threshold says which.
    GTE = "gte", _("at least (≥)")
    GT = "gt", _("more than (>)")
    LTE = "lte", _("at most (≤)")
    LT = "lt", _("less than (<)")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the bureau")
    NEEDS_MATERIAL = "needs_material", _("Returned for more material")
    ANSWERED = "answered", _("Answered")


class Outcome(models.TextChoices):
    AGREE = "agree", _("Agree")
    AGREE_WITH_CONDITIONS = "agree_conditions", _("Agree with conditions")
    DISAGREE = "disagree", _("Disagree")
    NEEDS_MATERIAL = "needs_material", _("Needs more material")


AGREEING = frozenset({Outcome.AGREE, Outcome.AGREE_WITH_CONDITIONS})


class ConditionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    WAIVED = "waived", _("Waived by a leader")
    SUPERSEDED = "superseded", _("Superseded by an amended opinion")


class CapitalKind(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic (10k CNY)")
    FOREIGN = "foreign", _("Foreign (10k USD)")


class DocumentKind(models.TextChoices):
    MATERIAL = "material", _("Project material")
    SUPPLEMENT = "supplement", _("Supplementary material")
    OPINION = "opinion", _("Opinion attachment")
    CONTRACT = "contract", _("Contract")
    CAPITAL = "capital", _("Evidence of capital in place")


# What a partner reviewer may open: the project's materials and the round's (submitted) opinions.
REVIEWER_DOCUMENT_KINDS = frozenset({DocumentKind.MATERIAL, DocumentKind.SUPPLEMENT, DocumentKind.OPINION})


class TalentKind(models.TextChoices):
    SETTLEMENT = "settlement", _("Household settlement")
    HOUSING = "housing", _("Housing")
    SCHOOLING = "schooling", _("Schooling for children")
    SUBSIDY = "subsidy", _("Talent subsidies")


class TalentStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the talent bureau")
    IN_PROGRESS = "in_progress", _("Being handled")
    GRANTED = "granted", _("Granted")
    PARTLY = "partly", _("Partly granted")
    DECLINED = "declined", _("Declined")
