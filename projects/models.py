"""The project pipeline: projects and their stage history, entry thresholds, review rounds, requests and
versioned opinions, conditions, milestones, capital in place, talent requests and documents."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm.lib.uploads import validate_upload
from crm.validators import date_in_range, validate_due_date, validate_event_date
from projects.choices import (
    CapitalKind,
    Comparator,
    ConditionStatus,
    DocumentKind,
    Metric,
    MilestoneKind,
    Outcome,
    RequestStatus,
    Stage,
    TalentKind,
    TalentStatus,
)

ZERO = Decimal(0)
# Sanity ceilings: a typo of three extra zeros is refused instead of distorting every statistic.
MAX_WAN = Decimal("100000000")  # 1 万亿元, larger than any single project in the province
MAX_MU = Decimal("100000")  # 10万亩, larger than the whole district's construction land


def _money(verbose_name, **kwargs):
    kwargs.setdefault("validators", [MinValueValidator(ZERO), MaxValueValidator(MAX_WAN)])
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class Area(models.Model):
    """A zone with its own entry thresholds (a park, the central business district); editable data."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self):
        return self.name


class Project(models.Model):
    """An investor's intended project, followed from negotiation to operation (招商项目)."""

    class Relation(models.TextChoices):
        """How a project continues an earlier one; the statistics then count only its own new amounts."""

        LATER_PHASE = "later_phase", _("Later phase")
        CAPITAL_INCREASE = "capital_increase", _("Capital increase")

    code = models.CharField(_("project code"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    enterprise = models.ForeignKey(
        "crm.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="projects"
    )
    industry = models.ForeignKey(
        "crm.Industry", verbose_name=_("industry"), on_delete=models.PROTECT, related_name="projects"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT, related_name="projects",
        help_text=_("Only where the area has its own entry thresholds."),
    )
    description = models.TextField(_("description"), blank=True)
    total_investment_wan = _money(_("total planned investment (10k CNY)"))
    fixed_asset_investment_wan = _money(_("of which fixed-asset investment (10k CNY)"))
    foreign_capital_usd_wan = _money(_("foreign capital (10k USD)"), default=ZERO)
    land_mu = models.DecimalField(
        _("land needed (mu)"), max_digits=10, decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(MAX_MU)],
        help_text=_("0 for an office or headquarters project."),
    )
    expected_output_wan = _money(_("expected annual output (10k CNY)"), default=ZERO)
    expected_tax_wan = _money(_("expected annual tax (10k CNY)"), default=ZERO)
    expected_jobs = models.PositiveIntegerField(_("expected jobs"), default=0,
                                                validators=[MaxValueValidator(1_000_000)])
    is_key_project = models.BooleanField(_("key project"), default=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("earlier project"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="continuations",
        help_text=_("The project this one is a later phase or a capital increase of."),
    )
    relation = models.CharField(_("relation to the earlier project"), max_length=20, choices=Relation.choices,
                                blank=True)
    lead = models.ForeignKey(
        "leads.Lead", verbose_name=_("lead"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="projects", help_text=_("The lead this project was opened from."),
    )
    introducer = models.ForeignKey(
        "leads.Introducer", verbose_name=_("introducer"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="projects",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_projects"
    )
    co_owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("co-owners"), blank=True, related_name="co_owned_projects"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.NEGOTIATING)
    paused_from = models.CharField(_("paused from"), max_length=20, choices=Stage.choices, blank=True)
    stage_changed_at = models.DateTimeField(_("stage changed at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[co_owners])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="project_stage_valid"),
            models.CheckConstraint(
                condition=(Q(stage=Stage.PAUSED) & ~Q(paused_from="") & ~Q(paused_from=Stage.PAUSED)
                           & ~Q(paused_from=Stage.TERMINATED))
                | (~Q(stage=Stage.PAUSED) & Q(paused_from="")),
                name="project_paused_from_iff_paused",
            ),
            models.CheckConstraint(
                condition=Q(total_investment_wan__gte=0) & Q(fixed_asset_investment_wan__gte=0)
                & Q(foreign_capital_usd_wan__gte=0) & Q(land_mu__gte=0) & Q(expected_output_wan__gte=0)
                & Q(expected_tax_wan__gte=0),
                name="project_figures_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(fixed_asset_investment_wan__lte=F("total_investment_wan")),
                name="project_fixed_assets_within_total",
            ),
            models.CheckConstraint(
                condition=(Q(parent__isnull=True) & Q(relation=""))
                | (Q(parent__isnull=False) & Q(relation__in=["later_phase", "capital_increase"])),
                name="project_relation_iff_parent",
            ),
            models.UniqueConstraint(fields=["lead"], condition=Q(lead__isnull=False),
                                    name="project_once_per_lead"),
        ]
        indexes = [
            models.Index(fields=["stage"]), models.Index(fields=["name"]),
            # The list's default order: page 1 reads 25 index entries instead of sorting every project.
            models.Index(fields=["-created_at", "-id"], name="project_newest_first"),
            # The pipeline board reads the first cards of each column in its order.
            models.Index(fields=["stage", "-is_key_project", "code"], name="project_board_order"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    def clean(self):
        if (self.fixed_asset_investment_wan is not None and self.total_investment_wan is not None
                and self.fixed_asset_investment_wan > self.total_investment_wan):
            raise ValidationError({"fixed_asset_investment_wan": _(
                "Fixed-asset investment cannot exceed the total planned investment.")})


class StageChange(models.Model):
    """One move of a project between stages: from, to, who, when and why (never edited)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        # A project's stage at a moment (the statistics' stock) is one probe of this index per project.
        indexes = [models.Index(fields=["project", "at", "id"], name="stage_change_project_at"),
                   # The funnel's stays: the projects that moved within a period.
                   models.Index(fields=["at"], name="stage_change_at")]
        constraints = [
            models.CheckConstraint(condition=~Q(from_stage=F("to_stage")), name="stage_change_moves"),
            models.CheckConstraint(
                condition=~Q(to_stage__in=[Stage.PAUSED, Stage.TERMINATED]) | ~Q(reason=""),
                name="stage_change_pause_or_terminate_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.project_id}: {self.from_stage} → {self.to_stage}"


class EntryThreshold(models.Model):
    """One entry condition (准入指标) for an industry, optionally only in one area, with its passing side."""

    industry = models.ForeignKey("crm.Industry", verbose_name=_("industry"), on_delete=models.CASCADE,
                                 related_name="entry_thresholds")
    area = models.ForeignKey(Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="entry_thresholds", help_text=_("Empty: the whole district."))
    metric = models.CharField(_("figure"), max_length=20, choices=Metric.choices)
    comparator = models.CharField(_("passes when the figure is"), max_length=3, choices=Comparator.choices,
                                  default=Comparator.GTE)
    value = models.DecimalField(_("threshold"), max_digits=14, decimal_places=2,
                                validators=[MinValueValidator(ZERO)])
    source = models.CharField(_("source"), max_length=200, blank=True,
                              help_text=_("The document that sets this figure."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["industry__code", "area__name", "metric"]
        verbose_name = _("entry threshold")
        verbose_name_plural = _("entry thresholds")
        constraints = [
            models.UniqueConstraint(fields=["industry", "area", "metric"], name="threshold_once_per_area",
                                    condition=Q(area__isnull=False)),
            models.UniqueConstraint(fields=["industry", "metric"], name="threshold_once_district_wide",
                                    condition=Q(area__isnull=True)),
            models.CheckConstraint(condition=Q(value__gte=0), name="threshold_value_non_negative"),
        ]

    def __str__(self):
        return f"{self.industry} {self.area or ''} {self.get_metric_display()} {self.get_comparator_display()} " \
               f"{self.value}"


class ReviewRound(models.Model):
    """One inter-bureau review (会签轮次) of a project; a new round after a disagree keeps the old ones."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="review_rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    superseded_at = models.DateTimeField(
        _("superseded at"), null=True, blank=True, help_text=_("When a later round replaced this one.")
    )
    note = models.TextField(_("note to the bureaus"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="review_round_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="review_round_number_positive"),
        ]

    def __str__(self):
        return _("Round %(n)s") % {"n": self.number}


class ReviewRequest(models.Model):
    """One bureau's part of a round (会签事项): due in the bureau's number of Chinese working days."""

    round = models.ForeignKey(ReviewRound, verbose_name=_("round"), on_delete=models.CASCADE,
                              related_name="requests")
    bureau = models.ForeignKey("crm.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT,
                               related_name="review_requests")
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING)
    requested_at = models.DateTimeField(_("requested at"))
    due_on = models.DateField(_("due on"))
    due_is_estimate = models.BooleanField(
        _("due date is an estimate"), default=False,
        help_text=_("The holiday calendar of a year in the count was not known; weekdays were counted."),
    )
    outcome = models.CharField(_("current opinion"), max_length=20, choices=Outcome.choices, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "bureau__sort_order", "id"]
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        constraints = [
            models.UniqueConstraint(fields=["round", "bureau"], name="one_request_per_bureau_per_round"),
            models.CheckConstraint(
                condition=(Q(status=RequestStatus.PENDING) & Q(outcome="") & Q(answered_at__isnull=True))
                | (Q(status=RequestStatus.NEEDS_MATERIAL) & Q(outcome=Outcome.NEEDS_MATERIAL))
                | (Q(status=RequestStatus.ANSWERED) & Q(outcome__in=[Outcome.AGREE, Outcome.AGREE_WITH_CONDITIONS,
                                                                      Outcome.DISAGREE])
                   & Q(answered_at__isnull=False)),
                name="review_request_status_matches_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            # A reviewer's inbox: their bureau's open requests by due date, and the answered ones newest first.
            models.Index(fields=["bureau", "status", "due_on", "id"], name="review_request_inbox"),
            models.Index(fields=["bureau", "-answered_at", "-id"], name="review_request_answered"),
            # The turnaround statistics: requests answered within a period.
            models.Index(fields=["answered_at"], name="review_request_answered_at"),
        ]

    def __str__(self):
        return f"{self.round.project.code} · {self.round} · {self.bureau.short_name}"

    def get_absolute_url(self):
        return reverse("projects:review_request_detail", args=[self.pk])


class Opinion(models.Model):
    """A bureau's answer (会签意见), submitted once and never changed: an amendment is a new version, and the
    old one stays visible beside it."""

    request = models.ForeignKey(ReviewRequest, verbose_name=_("review request"), on_delete=models.CASCADE,
                                related_name="opinions")
    version = models.PositiveSmallIntegerField(_("version"))
    outcome = models.CharField(_("opinion"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT,
                                 related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "version"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        constraints = [
            models.UniqueConstraint(fields=["request", "version"], name="opinion_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="opinion_version_positive"),
            models.CheckConstraint(condition=Q(outcome=Outcome.AGREE) | ~Q(reason=""),
                                   name="opinion_reason_unless_plain_agree"),
        ]

    def __str__(self):
        return f"{self.request} v{self.version} {self.get_outcome_display()}"

    def save(self, *args, **kwargs):
        # A submitted opinion is the record of what a bureau said: it is never rewritten in place.
        if not self._state.adding:
            raise ValidationError(_("A submitted opinion cannot be changed; submit an amendment instead."))
        super().save(*args, **kwargs)


class Condition(models.Model):
    """An obligation attached to an agree-with-conditions opinion; it blocks one stage until closed or waived."""

    opinion = models.ForeignKey(Opinion, verbose_name=_("opinion"), on_delete=models.CASCADE,
                                related_name="conditions")
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="conditions")
    text = models.TextField(_("condition"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="+")
    due_on = models.DateField(_("due on"), validators=[validate_due_date])
    blocks_stage = models.CharField(_("blocks the stage"), max_length=20, choices=Stage.choices)
    status = models.CharField(_("status"), max_length=20, choices=ConditionStatus.choices,
                              default=ConditionStatus.OPEN)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("how it was met, or why it was waived"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        constraints = [
            models.CheckConstraint(
                condition=Q(blocks_stage__in=[Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION, Stage.OPERATING]),
                name="condition_blocks_a_later_stage",
            ),
            models.CheckConstraint(
                condition=~Q(status=ConditionStatus.WAIVED) | (~Q(resolution="") & Q(resolved_by__isnull=False)),
                name="condition_waiver_has_reason",
            ),
            date_in_range("due_on", name="condition_due_on_plausible"),
        ]

    def __str__(self):
        return self.text[:60]


class Milestone(models.Model):
    """A dated step of a project: contract (amount, file), registration (credit code), construction, operation."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=20, choices=MilestoneKind.choices)
    date = models.DateField(_("date"), validators=[validate_event_date])
    contract_amount_wan = _money(_("contract amount (10k CNY)"), null=True, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="milestone_once_per_kind"),
            date_in_range("date", name="milestone_date_plausible"),
            models.CheckConstraint(
                condition=~Q(kind=MilestoneKind.CONTRACT)
                | (Q(contract_amount_wan__isnull=False) & Q(contract_amount_wan__gt=0)),
                name="milestone_contract_has_amount",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MilestoneKind.REGISTRATION) | ~Q(credit_code=""),
                name="milestone_registration_has_credit_code",
            ),
        ]
        # The statistics read milestones by date; the exception lists by kind and date.
        indexes = [models.Index(fields=["date"], name="milestone_date"),
                   models.Index(fields=["kind", "date"], name="milestone_kind_date")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"


class CapitalInPlace(models.Model):
    """Capital actually paid in (实际到位资金) on a date: 万元, or 万美元 with the CNY rate of that date kept."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="capital_records")
    date = models.DateField(_("date"), validators=[validate_event_date])
    kind = models.CharField(_("kind"), max_length=10, choices=CapitalKind.choices)
    amount_wan = _money(_("amount (10k CNY)"), null=True, blank=True,
                        help_text=_("For domestic capital."))
    amount_usd_wan = _money(_("amount (10k USD)"), null=True, blank=True, help_text=_("For foreign capital."))
    usd_cny_rate = models.DecimalField(
        _("CNY per USD on that date"), max_digits=8, decimal_places=4, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("100"))],
    )
    cny_equivalent_wan = _money(_("CNY equivalent (10k CNY)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("capital in place")
        verbose_name_plural = _("capital in place")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=CapitalKind.DOMESTIC) & Q(amount_wan__gt=0) & Q(amount_usd_wan__isnull=True)
                           & Q(usd_cny_rate__isnull=True) & Q(cny_equivalent_wan=F("amount_wan")))
                | (Q(kind=CapitalKind.FOREIGN) & Q(amount_usd_wan__gt=0) & Q(usd_cny_rate__gt=0)
                   & Q(amount_wan__isnull=True)),
                name="capital_amount_matches_kind",
            ),
            date_in_range("date", name="capital_date_plausible"),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.cny_equivalent_wan}"


class TalentRequest(models.Model):
    """The enterprise's talent need (人才诉求), answered by the talent bureau with a status and text."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="talent_requests")
    kind = models.CharField(_("kind"), max_length=20, choices=TalentKind.choices)
    people = models.PositiveIntegerField(_("people"), validators=[MinValueValidator(1), MaxValueValidator(100000)])
    description = models.TextField(_("need"))
    status = models.CharField(_("status"), max_length=20, choices=TalentStatus.choices, default=TalentStatus.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("talent request")
        verbose_name_plural = _("talent requests")
        constraints = [
            models.CheckConstraint(condition=Q(people__gte=1), name="talent_request_people_positive"),
            models.CheckConstraint(
                condition=Q(status=TalentStatus.OPEN) | (~Q(answer="") & Q(answered_by__isnull=False)),
                name="talent_request_answer_has_text",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} × {self.people}"


def _document_path(instance, filename):
    return f"projects/{instance.project_id}/{filename}"


class Document(models.Model):
    """A file on a project: material for the reviewers, an opinion's attachment, the contract, evidence of
    capital. Stored under MEDIA_ROOT and only served by projects.views.document_download, which checks access."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=_document_path, validators=[validate_upload], max_length=255)
    title = models.CharField(_("title"), max_length=120)
    request = models.ForeignKey(ReviewRequest, verbose_name=_("review request"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="documents")
    opinion = models.ForeignKey(Opinion, verbose_name=_("opinion"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="documents")
    milestone = models.ForeignKey(Milestone, verbose_name=_("milestone"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="documents")
    capital = models.ForeignKey(CapitalInPlace, verbose_name=_("capital in place"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="documents")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(condition=~Q(kind=DocumentKind.OPINION) | Q(opinion__isnull=False),
                                   name="document_opinion_attachment_has_opinion"),
            models.CheckConstraint(condition=~Q(kind=DocumentKind.CAPITAL) | Q(capital__isnull=False),
                                   name="document_capital_evidence_has_record"),
            models.CheckConstraint(condition=~Q(kind=DocumentKind.CONTRACT) | Q(milestone__isnull=False),
                                   name="document_contract_has_milestone"),
        ]

    def __str__(self):
        return self.title
