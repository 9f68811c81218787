"""Aftercare records: key-enterprise designations, complaints and requests with their handling cycles, the
annual compliance checks of foreign-invested enterprises, and the foreign-business organisations."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftercare.choices import (
    COMPLAINT_MOVES,
    Cadence,
    Category,
    Channel,
    CheckResult,
    ComplaintKind,
    ComplaintStatus,
    FollowUpState,
    OrganisationKind,
    Satisfaction,
)
from crm.models import NameField
from crm.validators import date_in_range, validate_event_date


class KeyEnterprise(models.Model):
    """An enterprise a leader marked as key (重点企业): its service officer and how often it is visited.

    The visits themselves are meeting logs (leads.MeetingLog of kind "visit"); when the next one is due is
    computed from the latest of them, so a visit logged anywhere counts.
    """

    enterprise = models.OneToOneField("crm.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                      related_name="key_designation")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("service officer"),
                                on_delete=models.PROTECT, related_name="key_enterprises")
    cadence_months = models.PositiveSmallIntegerField(_("visit cadence"), choices=Cadence.choices,
                                                      default=Cadence.QUARTERLY)
    designated_on = models.DateField(_("designated on"))
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("designated by"),
                                      on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why it is key"), blank=True)
    ended_on = models.DateField(_("no longer key since"), null=True, blank=True)
    # Optimistic locking (crm.services.StaleEdit): a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise__name", "id"]
        verbose_name = _("key enterprise")
        verbose_name_plural = _("key enterprises")
        constraints = [
            models.CheckConstraint(condition=Q(cadence_months__in=Cadence.values), name="key_enterprise_cadence"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("designated_on")),
                                   name="key_enterprise_ends_after_designation"),
        ]

    def __str__(self):
        return str(self.enterprise)

    @property
    def is_active(self):
        return self.ended_on is None


class Complaint(models.Model):
    """An investor's complaint or request (投诉/诉求): who, what, which bureau must act, and by when.

    Each routing to a bureau is a ComplaintCycle (the first, and one more for every reopening); `current_cycle`
    is the one being handled. The status moves only through aftercare.services (COMPLAINT_MOVES).
    """

    enterprise = models.ForeignKey("crm.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="complaints")
    contact = models.ForeignKey("crm.Contact", verbose_name=_("contact"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="complaints")
    complainant = models.CharField(_("raised by"), max_length=60, blank=True,
                                   help_text=_("The person who raised it, when not a contact on record."))
    kind = models.CharField(_("kind"), max_length=20, choices=ComplaintKind.choices, default=ComplaintKind.REQUEST)
    channel = models.CharField(_("received by"), max_length=20, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=120)
    content = models.TextField(_("what the investor says"))
    meeting = models.ForeignKey("leads.MeetingLog", verbose_name=_("raised at the visit"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="complaints")
    received_on = models.DateField(_("received on"), validators=[validate_event_date])
    status = models.CharField(_("status"), max_length=20, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.OPEN)
    current_cycle = models.OneToOneField("ComplaintCycle", verbose_name=_("current handling"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("officer in charge"),
                              on_delete=models.PROTECT, related_name="complaints_owned")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("complaint or request")
        verbose_name_plural = _("complaints and requests")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=list(COMPLAINT_MOVES)), name="complaint_status_valid"),
            models.CheckConstraint(condition=~Q(content=""), name="complaint_has_content"),
            models.CheckConstraint(condition=~Q(subject=""), name="complaint_has_subject"),
            date_in_range("received_on", name="complaint_received_on_plausible"),
        ]
        indexes = [models.Index(fields=["status", "received_on"])]

    def __str__(self):
        return f"{self.code} {self.subject}"

    def get_absolute_url(self):
        return reverse("aftercare:complaint_detail", args=[self.pk])

    @property
    def code(self) -> str:
        """The number people quote on the phone: the year received and the record's id (TS-2026-00042)."""
        return f"TS-{self.received_on.year}-{self.pk:05d}"


class ComplaintCycle(models.Model):
    """One handling of a complaint: routed to a bureau with a due date in working days, answered by that
    bureau, closed with the investor's satisfaction. A reopened complaint gets a new cycle; old ones stay,
    so the on-time and satisfaction rates count every handling, including those later reopened."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint or request"), on_delete=models.CASCADE,
                                  related_name="cycles")
    number = models.PositiveSmallIntegerField(_("handling"))
    bureau = models.ForeignKey("crm.Bureau", verbose_name=_("responsible bureau"), on_delete=models.PROTECT,
                               related_name="complaint_cycles")
    routed_at = models.DateTimeField(_("routed at"))
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("routed by"), on_delete=models.PROTECT,
                                  related_name="+")
    reopen_reason = models.TextField(_("why it was reopened"), blank=True)
    due_on = models.DateField(_("answer due on"))
    due_is_estimate = models.BooleanField(_("due date is an estimate"), default=False)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    satisfaction = models.CharField(_("investor's satisfaction"), max_length=20, choices=Satisfaction.choices,
                                    blank=True)
    close_note = models.TextField(_("note on the close"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["complaint", "number"]
        verbose_name = _("handling of a complaint")
        verbose_name_plural = _("handlings of complaints")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "number"], name="complaint_cycle_number_unique"),
            models.CheckConstraint(
                condition=(Q(answered_at__isnull=True) & Q(answer="") & Q(answered_by__isnull=True)
                           & Q(answered_on_time__isnull=True))
                | (Q(answered_at__isnull=False) & ~Q(answer="") & Q(answered_by__isnull=False)
                   & Q(answered_on_time__isnull=False)),
                name="complaint_cycle_answer_complete",
            ),
            models.CheckConstraint(
                condition=(Q(closed_at__isnull=True) & Q(satisfaction="") & Q(closed_by__isnull=True))
                | (Q(closed_at__isnull=False) & Q(satisfaction__in=Satisfaction.values)
                   & Q(closed_by__isnull=False) & Q(answered_at__isnull=False)),
                name="complaint_cycle_close_has_satisfaction",
            ),
            models.CheckConstraint(condition=Q(number=1) | ~Q(reopen_reason=""),
                                   name="complaint_cycle_reopen_has_reason"),
        ]
        indexes = [models.Index(fields=["due_on"]), models.Index(fields=["closed_at"])]

    def __str__(self):
        return f"{self.complaint.code} #{self.number}"


class ComplianceCheck(models.Model):
    """The annual check (年度检查) that a foreign-invested enterprise follows the laws and regulations (duty 20:
    依法监督检查外商投资企业执行有关法律法规情况), with its findings and the follow-up they call for."""

    enterprise = models.ForeignKey("crm.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="compliance_checks")
    year = models.PositiveSmallIntegerField(_("year checked"))
    checked_on = models.DateField(_("checked on"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"),
                                   on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=20, choices=CheckResult.choices)
    findings = models.TextField(_("findings"), blank=True)
    follow_up = models.TextField(_("follow-up required"), blank=True)
    follow_up_due = models.DateField(_("follow-up due on"), null=True, blank=True)
    follow_up_state = models.CharField(_("follow-up"), max_length=10, choices=FollowUpState.choices,
                                       default=FollowUpState.NONE)
    follow_up_done_on = models.DateField(_("follow-up done on"), null=True, blank=True)
    follow_up_note = models.TextField(_("what was done"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "enterprise__name", "id"]
        verbose_name = _("annual compliance check")
        verbose_name_plural = _("annual compliance checks")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="compliance_check_once_a_year"),
            models.CheckConstraint(condition=Q(result=CheckResult.COMPLIANT) | ~Q(findings=""),
                                   name="compliance_check_findings_when_not_compliant"),
            models.CheckConstraint(
                condition=(Q(follow_up_state=FollowUpState.NONE) & Q(follow_up=""))
                | (~Q(follow_up_state=FollowUpState.NONE) & ~Q(follow_up="") & Q(follow_up_due__isnull=False)),
                name="compliance_check_follow_up_has_text_and_due",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_state=FollowUpState.DONE, follow_up_done_on__isnull=False)
                | (~Q(follow_up_state=FollowUpState.DONE) & Q(follow_up_done_on__isnull=True)),
                name="compliance_check_done_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.year}"


class Organisation(models.Model):
    """The association of foreign-invested enterprises, a chamber of commerce or a representative office the
    bureau keeps in touch with (duty 20)."""

    name = NameField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = models.CharField(_("country or region"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Optimistic locking (crm.services.StaleEdit): a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("aftercare:organisation_detail", args=[self.pk])


class OrganisationContact(models.Model):
    """A person at an organisation."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="contacts")
    name = NameField(_("name"), max_length=60)
    title = models.CharField(_("title"), max_length=60, blank=True)
    mobile = models.CharField(_("mobile"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name", "id"]
        verbose_name = _("organisation contact")
        verbose_name_plural = _("organisation contacts")

    def __str__(self):
        return self.name
