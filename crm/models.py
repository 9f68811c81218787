"""Shared core records: bureaus, users and their roles, industries, enterprises and contacts."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm.choices import BureauKind, EnterpriseKind, Role
from crm.validators import normalize_credit_code, strip_invisible, validate_credit_code


class Bureau(models.Model):
    """A department: the promotion bureau itself or a partner bureau that signs off projects (data, not code)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=BureauKind.choices, default=BureauKind.PARTNER)
    review_scope = models.TextField(_("review scope"), blank=True)
    reviews_by_default = models.BooleanField(
        _("reviews by default"), default=True, help_text=_("Proposed for every review round.")
    )
    reviews_only_with_land = models.BooleanField(
        _("reviews only projects that need land"), default=False
    )
    review_due_working_days = models.PositiveSmallIntegerField(
        _("review due (working days)"), default=5, validators=[MinValueValidator(1)]
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")
        constraints = [
            models.CheckConstraint(condition=Q(review_due_working_days__gte=1), name="bureau_due_days_positive"),
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A named account with exactly one role; a partner reviewer belongs to exactly one partner bureau."""

    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.REVIEWER) & Q(bureau__isnull=False)) | ~Q(role=Role.REVIEWER),
                name="user_reviewer_has_bureau",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.get_full_name() or self.username


class Industry(models.Model):
    """A section of the national classification GB/T 4754-2017 (A-T)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self):
        return f"{self.code} {self.name}"


class KeyIndustry(models.Model):
    """One of Hainan's key industries (tourism, modern services, high-tech, tropical agriculture): a tag."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("key industry")
        verbose_name_plural = _("key industries")

    def __str__(self):
        return self.name


class VerifiedCreditCode(models.Model):
    """A legal credit code that fails the check character (early pilot regions), verified by an administrator."""

    code = models.CharField(_("credit code"), max_length=18, unique=True)
    reason = models.TextField(_("reason"))
    verified_by = models.ForeignKey(User, verbose_name=_("verified by"), on_delete=models.PROTECT)
    verified_at = models.DateTimeField(_("verified at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verified credit code")
        verbose_name_plural = _("verified credit codes")
        ordering = ["-verified_at"]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.code = normalize_credit_code(self.code)
        super().save(*args, **kwargs)


class NameField(models.CharField):
    """A name (an enterprise's, a person's): invisible characters (zero-width spaces, BOM, control characters)
    are removed before it is checked and before it is saved, so a name of nothing but them is refused as empty."""

    def to_python(self, value):
        return strip_invisible(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = strip_invisible(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class CreditCodeField(models.CharField):
    """A unified social credit code: normalised on the way in, checked by GB 32100-2015, empty stored as NULL."""

    default_validators = [validate_credit_code]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        value = normalize_credit_code(value)
        return value or None

    def get_prep_value(self, value):
        return self.to_python(value)

    def formfield(self, **kwargs):
        kwargs.setdefault("max_length", 30)  # people paste codes with spaces; the model normalises them
        return super().formfield(**kwargs)


class Enterprise(models.Model):
    """An investor or a company in the district. Officers share one register so nobody chases an investor twice."""

    name = NameField(_("name"), max_length=120)
    credit_code = CreditCodeField(
        _("unified social credit code"), null=True, blank=True, unique=True,
        error_messages={"unique": _("An enterprise with this unified social credit code already exists.")},
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EnterpriseKind.choices, default=EnterpriseKind.DOMESTIC)
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="enterprises",
    )
    key_industries = models.ManyToManyField(KeyIndustry, verbose_name=_("key industries"), blank=True)
    origin_province = models.CharField(_("origin province"), max_length=30, blank=True)
    origin_country = models.CharField(_("origin country or region"), max_length=60, blank=True)
    registered_capital_wan = models.DecimalField(
        _("registered capital (10k CNY)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking: a save based on an older version is refused instead of overwriting someone's edit.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            models.CheckConstraint(
                condition=Q(registered_capital_wan__isnull=True) | Q(registered_capital_wan__gte=0),
                name="enterprise_capital_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["-updated_at"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("crm:enterprise_detail", args=[self.pk])

    def validate_unique(self, exclude=None):
        """Name the enterprise that already holds a credit code, so the officer can go to it."""
        try:
            super().validate_unique(exclude=exclude)
        except ValidationError as exc:
            errors = getattr(exc, "error_dict", {})
            if "credit_code" in errors and self.credit_code:
                existing = Enterprise.objects.exclude(pk=self.pk).filter(credit_code=self.credit_code).first()
                if existing is not None:
                    errors["credit_code"] = [ValidationError(
                        _("This unified social credit code already belongs to “%(name)s” (No. %(pk)s)."),
                        code="unique", params={"name": existing.name, "pk": existing.pk},
                    )]
            raise (ValidationError(errors) if errors else exc) from None


class Contact(models.Model):
    """A person at an enterprise."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = NameField(_("name"), max_length=60)
    title = models.CharField(_("title"), max_length=60, blank=True)
    mobile = models.CharField(_("mobile"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Optimistic locking (crm.services.StaleEdit): a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_primary", "name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.name


class CalendarDay(models.Model):
    """An administrator-entered holiday or make-up working day (调休), for years the calendar package lacks."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Statutory holiday")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class Notification(models.Model):
    """An in-app notice for one user (a due follow-up, a review request, an escalation).

    `key` makes a sweep idempotent: the same reminder for the same object on the same day is stored once,
    however often the task runs.
    """

    recipient = models.ForeignKey(User, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications")
    key = models.CharField(_("key"), max_length=200)
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.message


class ApiToken(models.Model):
    """A person's own token for the REST API, made by that person after their second factor (crm.api.tokens).
    Only a hash of the key is stored: the key is shown once, when it is made; revoking keeps the row for the
    audit trail."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60, help_text=_("What the token is for, e.g. “NDRC office system”."))
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(User, verbose_name=_("issued by"), null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… {self.name} ({self.user})"
