"""Forms of the statistics pages: the period picker and the annual work plan."""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.choices import Role
from crm.models import Industry, User
from reports.choices import Indicator
from reports.indicators import INDICATORS, PeriodError, make_period
from reports.models import DEFAULT_THRESHOLDS, WorkPlan

FIRST_YEAR = 2020


class PeriodForm(forms.Form):
    """Which year, through which month, and which indicator the charts follow."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=9999)
    month = forms.IntegerField(label=_("Through month"), min_value=1, max_value=12, required=False)
    indicator = forms.ChoiceField(label=_("Charts show"), choices=[(d.key, d.label) for d in INDICATORS
                                                                   if not d.stock], required=False)

    def __init__(self, data=None, *, today=None):
        self.today = today or timezone.localdate()
        data = data.copy() if data is not None else {}
        data.setdefault("year", self.today.year)
        super().__init__(data)
        years = range(self.today.year, FIRST_YEAR - 1, -1)
        self.fields["year"].widget = forms.Select(choices=[(y, y) for y in years])
        self.fields["month"].widget = forms.Select(choices=[("", _("Latest"))] + [(m, m) for m in range(1, 13)])

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            cleaned["period"] = make_period(cleaned["year"], cleaned.get("month"), today=self.today)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None
        cleaned["indicator"] = cleaned.get("indicator") or Indicator.SIGNED_AMOUNT.value
        return cleaned


class PublishForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=9999)
    month = forms.IntegerField(min_value=1, max_value=12)


class WorkPlanForm(forms.ModelForm):
    """The year's thresholds and the district's target for each indicator (empty: no target)."""

    class Meta:
        model = WorkPlan
        fields = ["note", *DEFAULT_THRESHOLDS]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, targets: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for d in INDICATORS:
            self.fields[f"target_{d.key}"] = forms.DecimalField(
                label=_("%(indicator)s (%(unit)s)") % {"indicator": d.label, "unit": d.unit_label},
                required=False, max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))],
                initial=(targets or {}).get(d.key))

    def target_fields(self):
        return [self[f"target_{d.key}"] for d in INDICATORS]

    def district_targets(self) -> dict[str, Decimal]:
        return {d.key: self.cleaned_data[f"target_{d.key}"] for d in INDICATORS
                if self.cleaned_data.get(f"target_{d.key}") is not None}


class DetailTargetForm(forms.Form):
    """One target for an officer or an industry section."""

    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices)
    officer = forms.ModelChoiceField(label=_("Officer"), required=False,
                                     queryset=User.objects.filter(role=Role.OFFICER, is_active=True))
    industry = forms.ModelChoiceField(label=_("Industry"), required=False, queryset=Industry.objects.all())
    value = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2,
                               validators=[MinValueValidator(Decimal(0))])

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("officer")) == bool(cleaned.get("industry")):
            raise forms.ValidationError(_("Choose either an officer or an industry."))
        return cleaned


DetailTargetFormSet = forms.formset_factory(DetailTargetForm, extra=3, can_delete=True)
