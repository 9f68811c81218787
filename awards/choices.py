"""Enumerations of the awards app, and the application workflow as data (enforced in services)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.engine import AMOUNT_FACTS, BY_YEAR_FACTS, FLAG_FACTS, AppliesTo, Beneficiary


class BeneficiaryKind(models.TextChoices):
    """Who an application pays: the engine's beneficiaries, labelled for people."""

    ENTERPRISE = Beneficiary.ENTERPRISE.value, _("Enterprise")
    INTRODUCER = Beneficiary.INTRODUCER.value, _("Introducer or intermediary")
    UNIT_OR_OFFICER = Beneficiary.UNIT_OR_OFFICER.value, _("Unit or officer")


class AppliesToChoice(models.TextChoices):
    SIGNED = AppliesTo.SIGNED.value, _("Projects signed within its dates")
    REGISTERED = AppliesTo.REGISTERED.value, _("Projects registered within its dates")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REJECTED = "rejected", _("Rejected")
    PUBLIC_NOTICE = "public_notice", _("Approved, in public notice")
    PAYING = "paying", _("Paying in instalments")
    COMPLETED = "completed", _("Paid in full")
    CANCELLED = "cancelled", _("Cancelled")


S = ApplicationStatus

# The whole workflow. A submitted application can be returned to its officer for correction; an objection
# upheld during the public notice rejects it; an award whose conditions fail later is cancelled (the
# remaining instalments with it), even after it was paid in full, so that a recovery can be recorded.
APPLICATION_MOVES: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.PUBLIC_NOTICE, S.REJECTED, S.DRAFT}),
    S.PUBLIC_NOTICE: frozenset({S.PAYING, S.REJECTED}),
    S.PAYING: frozenset({S.COMPLETED, S.CANCELLED}),
    S.COMPLETED: frozenset({S.CANCELLED}),
    S.REJECTED: frozenset(),
    S.CANCELLED: frozenset(),
}

# Moves that must carry a written reason.
MOVES_NEEDING_REASON = frozenset({S.REJECTED, S.CANCELLED, S.DRAFT})
# Moves only a leader makes (approval is a leader's act: 领导审批).
LEADER_MOVES = frozenset({S.PUBLIC_NOTICE, S.REJECTED, S.CANCELLED})
# Statuses whose result still follows the project's facts (a recompute may change them).
RECOMPUTED_STATUSES = frozenset({S.DRAFT, S.SUBMITTED})
# Statuses of an approved award: its policy version is frozen from then on.
APPROVED_STATUSES = frozenset({S.PUBLIC_NOTICE, S.PAYING, S.COMPLETED, S.CANCELLED})


class InstalmentStatus(models.TextChoices):
    DUE = "due", _("Due")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class FactName(models.TextChoices):
    """Facts the project records do not hold, entered on the award side with their source (engine names)."""

    PAID_IN_REGISTERED_CAPITAL = "paid_in_registered_capital", _("Paid-in registered capital")
    FIXED_ASSET_INVESTMENT_EXCL_LAND = "fixed_asset_investment_excl_land", _(
        "Fixed-asset investment made, excluding land")
    PURCHASE_PRICE = "purchase_price", _("Office purchase price (market guide price)")
    LOCAL_FISCAL_CONTRIBUTION = "local_fiscal_contribution", _("Local fiscal contribution of a year")
    RENT = "rent", _("Office rent of a year")
    IS_NEWLY_SETTLED = "is_newly_settled", _("Newly settled headquarters")
    IS_INTERNATIONAL_ORGANISATION_HQ = "is_international_organisation_hq", _(
        "International organisation regional headquarters")


ENTERED_AMOUNT_FACTS = tuple(name for name in FactName.values if name in AMOUNT_FACTS)
ENTERED_YEARLY_FACTS = tuple(name for name in FactName.values if name in BY_YEAR_FACTS)
ENTERED_FLAG_FACTS = tuple(name for name in FactName.values if name in FLAG_FACTS)


class MoneyUnit(models.TextChoices):
    YUAN = "元", _("CNY (元)")
    WAN_YUAN = "万元", _("10k CNY (万元)")
    YI_YUAN = "亿元", _("100m CNY (亿元)")
