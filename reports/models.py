"""The annual work plan with its targets, and the published month-end snapshots with their restatements."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reports.choices import Indicator

# The exception lists' default thresholds (months), used for a year without a work plan.
DEFAULT_THRESHOLDS = {"months_to_register": 3, "months_to_start": 6, "months_to_operate": 24, "months_to_capital": 6}


def _months(verbose_name, default):
    return models.PositiveSmallIntegerField(verbose_name, default=default,
                                            validators=[MinValueValidator(1), MaxValueValidator(120)])


class WorkPlan(models.Model):
    """The year's investment-promotion work plan (年度招商工作计划): its targets and the exception thresholds."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True,
                                            validators=[MinValueValidator(2000), MaxValueValidator(9999)])
    note = models.TextField(_("note"), blank=True)
    months_to_register = _months(_("signed but not registered after (months)"),
                                 DEFAULT_THRESHOLDS["months_to_register"])
    months_to_start = _months(_("registered but not started after (months)"), DEFAULT_THRESHOLDS["months_to_start"])
    months_to_operate = _months(_("started but not in operation after (months)"),
                                DEFAULT_THRESHOLDS["months_to_operate"])
    months_to_capital = _months(_("signed with no capital in place after (months)"),
                                DEFAULT_THRESHOLDS["months_to_capital"])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-year"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(months_to_register__gte=1) & Q(months_to_start__gte=1) & Q(months_to_operate__gte=1)
                & Q(months_to_capital__gte=1),
                name="work_plan_thresholds_positive",
            ),
        ]

    def __str__(self):
        return _("Work plan %(year)s") % {"year": self.year}


class Target(models.Model):
    """One target of a work plan: for the whole district, or for one officer, or for one industry section."""

    plan = models.ForeignKey(WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("officer"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="targets")
    industry = models.ForeignKey("crm.Industry", verbose_name=_("industry"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="targets")
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "indicator", "officer", "industry", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_non_negative"),
            models.CheckConstraint(condition=Q(officer__isnull=True) | Q(industry__isnull=True),
                                   name="target_officer_or_industry_not_both"),
            models.UniqueConstraint(fields=["plan", "indicator"], name="target_once_for_district",
                                    condition=Q(officer__isnull=True, industry__isnull=True)),
            models.UniqueConstraint(fields=["plan", "indicator", "officer"], name="target_once_per_officer",
                                    condition=Q(officer__isnull=False)),
            models.UniqueConstraint(fields=["plan", "indicator", "industry"], name="target_once_per_industry",
                                    condition=Q(industry__isnull=False)),
        ]

    def __str__(self):
        scope = self.officer or self.industry or _("district")
        return f"{self.plan.year} {self.get_indicator_display()} {scope}: {self.value}"


class Snapshot(models.Model):
    """The figures of "January to month M of year Y" as published at month end (月度快照). A published month
    keeps its numbers; later changes to the records behind them show as restatements.

    ``figures`` is the whole report as reported (reports.services.statistics_for_period, Decimals as text);
    ``records`` lists, per indicator, each record that counted and its value, so a later change can name the
    record and the difference.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    figures = models.JSONField(_("figures"))
    records = models.JSONField(_("records behind the figures"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+",
                                     help_text=_("Empty when published by the month-end task."))
    checked_at = models.DateTimeField(_("restatements checked at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("monthly snapshot")
        verbose_name_plural = _("monthly snapshots")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="snapshot_once_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="snapshot_month_valid"),
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


class Restatement(models.Model):
    """A published figure that a later change to a record would now make different (更正): which record, what
    changed and by how much. Kept up to date by reports.services.snapshot_check_restatements."""

    snapshot = models.ForeignKey(Snapshot, verbose_name=_("snapshot"), on_delete=models.CASCADE,
                                 related_name="restatements")
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    record_key = models.CharField(_("record"), max_length=40)
    record_label = models.CharField(_("record name"), max_length=200)
    record_url = models.CharField(_("link"), max_length=200, blank=True)
    published_value = models.DecimalField(_("published value"), max_digits=16, decimal_places=2)
    current_value = models.DecimalField(_("current value"), max_digits=16, decimal_places=2)
    detected_at = models.DateTimeField(_("detected at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["snapshot", "indicator", "record_key"]
        verbose_name = _("restatement")
        verbose_name_plural = _("restatements")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "indicator", "record_key"],
                                    name="restatement_once_per_record"),
        ]

    def __str__(self):
        return f"{self.snapshot} {self.get_indicator_display()} {self.record_label}: {self.difference:+}"

    @property
    def difference(self):
        return self.current_value - self.published_value
