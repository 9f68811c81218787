"""Leads, introducers, promotion events, meeting logs, follow-ups, response-clock rules and lead imports."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm.models import Contact, Enterprise, Industry, NameField
from crm.validators import date_in_range, validate_due_date, validate_event_date
from leads.choices import (
    STATUSES_WITH_REASON,
    EventKind,
    FollowUpStatus,
    ImportStatus,
    IntroducerKind,
    LeadSource,
    LeadStatus,
    MeetingKind,
)


class Introducer(models.Model):
    """A person or an intermediary organisation who brought a lead; kept because awards are paid to them."""

    name = NameField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=IntroducerKind.choices,
                            default=IntroducerKind.ORGANISATION)
    id_number = models.CharField(
        _("ID number or credit code"), max_length=30, blank=True,
        help_text=_("A person's ID card number or an organisation's unified social credit code."),
    )
    contact = models.CharField(_("contact"), max_length=120, blank=True)
    registered_at = models.DateField(
        _("registered on"), null=True, blank=True,
        help_text=_("The day the introducer was put on record (备案) with the bureau; awards need it before signing."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("introducer")
        verbose_name_plural = _("introducers")

    def __str__(self):
        return self.name


class PromotionEvent(models.Model):
    """A promotion event (招商活动): a conference, fair, tour, symposium or online session, and what it produced."""

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.PROMOTION)
    starts_on = models.DateField(_("starts on"), validators=[validate_due_date])
    ends_on = models.DateField(_("ends on"), validators=[validate_due_date])
    city = models.CharField(_("city"), max_length=60, blank=True)
    organiser = models.CharField(_("organiser"), max_length=120, blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("our attendees"), blank=True,
                                       related_name="promotion_events")
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Optimistic locking (crm.services.StaleEdit): a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("promotion event")
        verbose_name_plural = _("promotion events")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="event_ends_after_start"),
            date_in_range("starts_on", name="event_starts_on_plausible"),
            date_in_range("ends_on", name="event_ends_on_plausible"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("leads:event_detail", args=[self.pk])


class ResponseClockRule(models.Model):
    """How many working days a lead may wait for a first response and for an assessment (研判).

    The rule with the highest threshold not above the lead's intended investment applies, so a major lead can
    be given longer (or shorter) clocks. An administrator keeps these rows.
    """

    name = models.CharField(_("name"), max_length=60)
    min_investment_wan = models.DecimalField(
        _("from intended investment (10k CNY)"), max_digits=14, decimal_places=2, unique=True,
        validators=[MinValueValidator(0)],
    )
    first_response_working_days = models.PositiveSmallIntegerField(
        _("first response within (working days)"), validators=[MinValueValidator(1)])
    assessment_working_days = models.PositiveSmallIntegerField(
        _("assessment within (working days)"), validators=[MinValueValidator(1)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["min_investment_wan"]
        verbose_name = _("response clock rule")
        verbose_name_plural = _("response clock rules")
        constraints = [
            models.CheckConstraint(condition=Q(min_investment_wan__gte=0), name="clock_rule_threshold_non_negative"),
            models.CheckConstraint(condition=Q(first_response_working_days__gte=1)
                                   & Q(assessment_working_days__gte=1), name="clock_rule_days_positive"),
        ]

    def __str__(self):
        return self.name


class Lead(models.Model):
    """A possible investment (招商线索): who, where it came from, how big, who follows it and how far it got."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="leads")
    title = models.CharField(_("title"), max_length=160)
    source = models.CharField(_("source"), max_length=20, choices=LeadSource.choices)
    source_event = models.ForeignKey(PromotionEvent, verbose_name=_("source event"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="leads")
    introducer = models.ForeignKey(Introducer, verbose_name=_("introducer"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="leads")
    intended_investment_wan = models.DecimalField(
        _("intended investment (10k CNY)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    industry = models.ForeignKey(Industry, verbose_name=_("industry"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="leads")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="owned_leads")
    co_owners = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("co-owners"), blank=True,
                                       related_name="co_owned_leads")
    status = models.CharField(_("status"), max_length=20, choices=LeadStatus.choices, default=LeadStatus.NEW)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)
    notes = models.TextField(_("notes"), blank=True)
    duplicate_reason = models.TextField(
        _("reason to proceed despite a possible duplicate"), blank=True,
        help_text=_("Why this lead was kept although the enterprise already had a lead or project."),
    )
    # Response clocks: the day the lead arrived and the working-day deadlines computed from it when created.
    received_on = models.DateField(_("received on"), validators=[validate_event_date])
    first_response_due = models.DateField(_("first response due"))
    first_responded_on = models.DateField(_("first responded on"), null=True, blank=True)
    assessment_due = models.DateField(_("assessment due"))
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    assessment = models.TextField(_("assessment"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        constraints = [
            models.CheckConstraint(
                condition=Q(intended_investment_wan__isnull=True) | Q(intended_investment_wan__gte=0),
                name="lead_investment_non_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=STATUSES_WITH_REASON) | ~Q(status_reason=""),
                name="lead_shelved_or_invalid_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(first_response_due__gte=F("received_on")) & Q(assessment_due__gte=F("received_on")),
                name="lead_clocks_after_arrival",
            ),
            date_in_range("received_on", name="lead_received_on_plausible"),
        ]
        indexes = [
            models.Index(fields=["owner", "status"]), models.Index(fields=["status", "-created_at"]),
            # The list's default order: page 1 reads 25 index entries instead of sorting every lead.
            models.Index(fields=["-created_at", "-id"], name="lead_newest_first"),
            # The statistics count leads by the day received, and find an enterprise's first lead.
            models.Index(fields=["received_on"], name="lead_received_on"),
            models.Index(fields=["enterprise", "received_on", "id"], name="lead_enterprise_first"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("leads:lead_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status in (LeadStatus.NEW, LeadStatus.FOLLOWING)


class LeadStatusChange(models.Model):
    """One move of a lead's status: who, when, from what to what and why (the timeline reads these)."""

    lead = models.ForeignKey(Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(_("from"), max_length=20, choices=LeadStatus.choices, blank=True)
    new_status = models.CharField(_("to"), max_length=20, choices=LeadStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("lead status change")
        verbose_name_plural = _("lead status changes")

    def __str__(self):
        return f"{self.lead_id}: {self.old_status} → {self.new_status}"


class MeetingLog(models.Model):
    """A visit, reception, call or event talk (洽谈/走访记录), on an enterprise and, when there is one, a lead.

    Aftercare visits to landed enterprises use the same log without a lead.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.VISIT)
    occurred_at = models.DateTimeField(_("time"), validators=[validate_event_date])
    place = models.CharField(_("place"), max_length=160, blank=True)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="meetings")
    lead = models.ForeignKey(Lead, verbose_name=_("lead"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="meetings")
    # Referred to by string: projects sits to the right of leads (see docs/architecture.md).
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="meetings")
    our_attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("our people"), blank=True,
                                           related_name="meetings_attended")
    their_attendees = models.ManyToManyField(Contact, verbose_name=_("their people"), blank=True,
                                             related_name="meetings")
    discussion = models.TextField(_("what was discussed"))
    demands = models.TextField(_("investor's demands"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("logged by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("meeting log")
        verbose_name_plural = _("meeting logs")
        constraints = [date_in_range("occurred_at", name="meeting_occurred_at_plausible", is_datetime=True)]
        # The list's order: a page's keys are read from this index alone, from either end.
        indexes = [models.Index(fields=["-occurred_at", "-id"], name="meeting_newest_first")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.enterprise} {self.occurred_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("leads:meeting_detail", args=[self.pk])


def _attachment_path(instance, filename):
    # The stored name is not the uploaded one: the original name is kept in the row and sent on download.
    return f"meetings/{instance.meeting_id}/{instance.token}{instance.extension}"


class MeetingAttachment(models.Model):
    """A file on a meeting (agenda, photo, signed minutes), stored under MEDIA_ROOT and served by a view."""

    meeting = models.ForeignKey(MeetingLog, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    token = models.CharField(max_length=32, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("meeting attachment")
        verbose_name_plural = _("meeting attachments")

    def __str__(self):
        return self.original_name


class FollowUp(models.Model):
    """Something to do by a date (跟进事项), usually the next step agreed at a meeting."""

    title = models.CharField(_("what to do"), max_length=200)
    due_on = models.DateField(_("due on"), validators=[validate_due_date])
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="follow_ups")
    status = models.CharField(_("status"), max_length=20, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.OPEN)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="follow_ups")
    lead = models.ForeignKey(Lead, verbose_name=_("lead"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="follow_ups")
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="follow_ups")
    meeting = models.ForeignKey(MeetingLog, verbose_name=_("meeting"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="follow_ups")
    rescheduled_to = models.OneToOneField("self", verbose_name=_("rescheduled to"), null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="rescheduled_from")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=FollowUpStatus.OPEN, closed_at__isnull=True)
                | (~Q(status=FollowUpStatus.OPEN) & Q(closed_at__isnull=False)),
                name="followup_closed_at_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(status=FollowUpStatus.RESCHEDULED) | Q(rescheduled_to__isnull=False),
                name="followup_rescheduled_has_successor",
            ),
            date_in_range("due_on", name="followup_due_on_plausible"),
        ]
        indexes = [models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self):
        return self.title


def _import_path(instance, filename):
    return f"imports/{instance.token}{instance.extension}"


class LeadImport(models.Model):
    """One upload of a lead ledger: the file, the dry run's plan, progress, and the row-by-row result."""

    file = models.FileField(_("file"), upload_to=_import_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    token = models.CharField(max_length=32, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.ANALYSING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    # The dry run: one entry per data row (action, messages, what it would write) and the file's problems.
    preview = models.JSONField(_("dry run"), default=dict, blank=True)
    # The import: one entry per data row with what was done.
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                   on_delete=models.PROTECT, related_name="lead_imports")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lead import")
        verbose_name_plural = _("lead imports")
        constraints = [
            models.CheckConstraint(condition=Q(processed_rows__lte=F("total_rows")),
                                   name="lead_import_progress_within_total"),
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("leads:import_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        return 100 if not self.total_rows else int(100 * self.processed_rows / self.total_rows)
