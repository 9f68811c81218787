"""Award policies as stored documents, the facts entered for awards, and applications from draft to payment.

The maths is not here: a policy row holds the canonical policy document (YAML, the format of
``policy_file``) and every amount comes from ``engine.compute``. These models keep what was decided, by whom
and when, and the database constraints that no form can bypass (no clause awarded twice to one project).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from awards import policy_file
from awards.choices import (
    APPROVED_STATUSES,
    ENTERED_AMOUNT_FACTS,
    ENTERED_FLAG_FACTS,
    ENTERED_YEARLY_FACTS,
    ApplicationStatus,
    AppliesToChoice,
    BeneficiaryKind,
    FactName,
    InstalmentStatus,
    MoneyUnit,
)

ZERO = Decimal(0)


def _yuan(verbose_name, **kwargs):
    """An amount in 元 to the fen (awards are paid in 元)."""
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, **kwargs)


class AwardPolicy(models.Model):
    """One version of an award policy document (奖励政策): its text in the policy file format, and the
    metadata read from it so lists and filters need no parsing. Approved awards freeze their version."""

    key = models.SlugField(_("key"), max_length=60, help_text=_("The same for every version of a policy."))
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=120, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    applies_to = models.CharField(_("applies to"), max_length=20, choices=AppliesToChoice.choices)
    source = models.TextField(_("source"), blank=True)
    document = models.TextField(
        _("policy document (YAML)"),
        help_text=_("The policy in the award-policy file format (docs/award-policy.md): money with its unit "
                    "(5000万元), rates with their sign (2%), thresholds with their side (at_least, over, at_most, "
                    "under)."),
    )
    public_notice_days = models.PositiveSmallIntegerField(
        _("public notice (days)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Calendar days an approved award is publicly announced (公示) before anything is paid."),
    )
    is_current = models.BooleanField(_("current version"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("award policy")
        verbose_name_plural = _("award policies")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="award_policy_version_unique"),
            models.UniqueConstraint(fields=["key"], condition=Q(is_current=True),
                                    name="award_policy_one_current_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="award_policy_version_positive"),
            models.CheckConstraint(condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                                   name="award_policy_dates_ordered"),
            models.CheckConstraint(condition=Q(public_notice_days__gte=1), name="award_policy_notice_positive"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @cached_property
    def policy(self):
        """The engine's ``Policy`` read from the stored document (validated when it was saved)."""
        return policy_file.load_policy(self.document)


class AwardFact(models.Model):
    """A figure the project records do not hold (contribution, rent, paid-in registered capital...), entered
    with its source so the calculation sheet can say where each base came from."""

    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="award_facts")
    name = models.CharField(_("fact"), max_length=40, choices=FactName.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("Calendar year, for a figure counted by year (contribution, rent)."),
    )
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(ZERO)])
    unit = models.CharField(_("unit"), max_length=4, choices=MoneyUnit.choices, blank=True)
    flag = models.BooleanField(_("yes or no"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300,
                              help_text=_("The document the figure comes from, e.g. the tax bureau's certificate."))
    as_of = models.DateField(_("source dated"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "name", "year", "id"]
        verbose_name = _("award fact")
        verbose_name_plural = _("award facts")
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], condition=Q(year__isnull=True),
                                    name="award_fact_once_per_project"),
            models.UniqueConstraint(fields=["project", "name", "year"], condition=Q(year__isnull=False),
                                    name="award_fact_once_per_year"),
            models.CheckConstraint(condition=Q(name__in=FactName.values), name="award_fact_name_known"),
            models.CheckConstraint(
                condition=(Q(name__in=ENTERED_AMOUNT_FACTS) & Q(year__isnull=True) & Q(amount__gte=0)
                           & Q(unit__in=MoneyUnit.values) & Q(flag__isnull=True))
                | (Q(name__in=ENTERED_YEARLY_FACTS) & Q(year__isnull=False) & Q(amount__gte=0)
                   & Q(unit__in=MoneyUnit.values) & Q(flag__isnull=True))
                | (Q(name__in=ENTERED_FLAG_FACTS) & Q(year__isnull=True) & Q(amount__isnull=True) & Q(unit="")
                   & Q(flag__isnull=False)),
                name="award_fact_value_matches_name",
            ),
            models.CheckConstraint(condition=~Q(source=""), name="award_fact_has_source"),
        ]

    def __str__(self):
        year = f" {self.year}" if self.year else ""
        return f"{self.get_name_display()}{year}"


class AwardApplication(models.Model):
    """An application (奖励申报) of one project under one policy version for one kind of beneficiary.

    ``facts``, ``fact_sources`` and ``result`` are the snapshot the calculation sheet shows: the facts given
    to the engine (facts-file format), where each came from, and ``engine.result_as_data``. They follow the
    project's facts while the application is a draft or submitted and are frozen once it is approved.
    """

    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="award_applications")
    policy = models.ForeignKey(AwardPolicy, verbose_name=_("policy"), on_delete=models.PROTECT,
                               related_name="applications")
    beneficiary = models.CharField(_("beneficiary"), max_length=20, choices=BeneficiaryKind.choices)
    introducer = models.ForeignKey("leads.Introducer", verbose_name=_("introducer"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="award_applications")
    introducer_is_public_servant = models.BooleanField(
        _("the introducer is a public servant"), null=True, blank=True,
        help_text=_("Public servants (公职人员) cannot be awarded as introducers."),
    )
    first_award_year = models.PositiveSmallIntegerField(
        _("first award year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The calendar year the policy counts as year 1 (e.g. the year of recognition or "
                    "registration)."),
    )
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT)
    facts = models.JSONField(_("facts given to the computation"), default=dict, blank=True)
    fact_sources = models.JSONField(_("where each fact came from"), default=dict, blank=True)
    result = models.JSONField(_("computation"), default=dict, blank=True)
    total = _yuan(_("award (CNY)"), default=ZERO)
    complete = models.BooleanField(_("all facts known"), default=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the last decision"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    notice_starts_on = models.DateField(_("public notice from"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("award application")
        verbose_name_plural = _("award applications")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ApplicationStatus.values),
                                   name="award_application_status_valid"),
            models.CheckConstraint(
                condition=(Q(beneficiary=BeneficiaryKind.INTRODUCER) & Q(introducer__isnull=False))
                | (~Q(beneficiary=BeneficiaryKind.INTRODUCER) & Q(introducer__isnull=True)),
                name="award_application_introducer_iff_introducer_award",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="award_application_total_non_negative"),
            models.CheckConstraint(
                condition=~Q(status__in=APPROVED_STATUSES)
                | (Q(approved_by__isnull=False) & Q(approved_at__isnull=False) & Q(notice_starts_on__isnull=False)
                   & Q(notice_ends_on__gte=F("notice_starts_on"))),
                name="award_application_approval_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ApplicationStatus.REJECTED, ApplicationStatus.CANCELLED])
                | ~Q(decision_reason=""),
                name="award_application_refusal_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"]),
                   # The list's order: a page's keys come from this index, from either end.
                   models.Index(fields=["-created_at", "-id"], name="award_application_newest_first")]

    def __str__(self):
        return _("Award application No. %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("awards:application_detail", args=[self.pk])


class ApplicationStatusChange(models.Model):
    """One move of an application through the workflow: from, to, who, when and why (never edited)."""

    application = models.ForeignKey(AwardApplication, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+",
                           help_text=_("Empty when the system made the move (end of the public notice)."))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application status change")
        verbose_name_plural = _("application status changes")
        constraints = [
            models.CheckConstraint(condition=~Q(from_status=F("to_status")), name="award_status_change_moves"),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class AwardedLine(models.Model):
    """A payable line an application claims: one clause of a policy for one project (and one year, for a
    yearly clause). The partial unique constraint is what makes "never awarded twice" a fact of the database."""

    application = models.ForeignKey(AwardApplication, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="awarded_lines")
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="+")
    policy_key = models.SlugField(_("policy"), max_length=60)
    clause = models.CharField(_("clause"), max_length=80)
    year = models.PositiveSmallIntegerField(
        _("year"), default=0, help_text=_("Calendar year of a yearly line; 0 for a clause paid once."))
    amount = _yuan(_("amount (CNY)"))
    active = models.BooleanField(_("active"), default=True,
                                 help_text=_("Cleared when the application is rejected or returned."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("awarded line")
        verbose_name_plural = _("awarded lines")
        constraints = [
            models.UniqueConstraint(fields=["project", "policy_key", "clause", "year"], condition=Q(active=True),
                                    name="award_clause_once_per_project"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="awarded_line_amount_positive"),
        ]

    def __str__(self):
        return f"{self.policy_key}/{self.clause}/{self.year}"


class Instalment(models.Model):
    """One payment (分期兑付) of an approved line: its share, amount and condition, paid only after the public
    notice and once its condition is confirmed."""

    application = models.ForeignKey(AwardApplication, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="instalments")
    clause = models.CharField(_("clause"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"), default=0,
                                            help_text=_("Calendar year of a yearly line; 0 for a clause paid once."))
    number = models.PositiveSmallIntegerField(_("instalment"))
    share = models.DecimalField(_("share"), max_digits=9, decimal_places=6)
    amount = _yuan(_("amount (CNY)"))
    condition = models.TextField(_("condition"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=InstalmentStatus.choices,
                              default=InstalmentStatus.DUE)
    condition_met_on = models.DateField(_("condition met on"), null=True, blank=True)
    condition_note = models.TextField(_("how the condition was checked"), blank=True)
    condition_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("condition confirmed by"),
                                               null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("payment recorded by"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "clause", "year", "number"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        constraints = [
            models.UniqueConstraint(fields=["application", "clause", "year", "number"],
                                    name="instalment_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status=InstalmentStatus.PAID)
                | (Q(paid_on__isnull=False) & Q(paid_by__isnull=False)
                   & (Q(condition="") | Q(condition_met_on__isnull=False))),
                name="instalment_paid_after_its_condition",
            ),
        ]

    def __str__(self):
        return f"{self.clause} #{self.number}"


class Recovery(models.Model):
    """Money to be recovered (追回) from a cancelled award whose conditions failed after payment."""

    application = models.ForeignKey(AwardApplication, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="recoveries")
    amount = _yuan(_("amount to recover (CNY)"))
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(_("reason"))
    recovered_on = models.DateField(_("recovered on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_on", "id"]
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_amount_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="recovery_has_reason"),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.amount}"
