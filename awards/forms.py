"""Forms of the awards pages and of the back office. They parse and check input; services decide."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards import policy_file
from awards.choices import (
    ENTERED_FLAG_FACTS,
    ENTERED_YEARLY_FACTS,
    ApplicationStatus,
    BeneficiaryKind,
    FactName,
    MoneyUnit,
)
from awards.models import AwardPolicy
from awards.services import read_policy_document
from crm.models import Industry
from leads.models import Introducer
from projects.models import Project

YES_NO_UNKNOWN = [("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]
YEARS_SHOWN = range(0, 6)  # the calculator's contribution years: year 0 (the year before) to year 5
MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": Decimal(0), "required": False}


def _tri_state(value):
    return {"yes": True, "no": False}.get(value)


class AwardPolicyAdminForm(forms.ModelForm):
    """The back office's policy form: the document is validated by the policy file format, so every problem
    is named by its clause and field; metadata is read from the document, never typed twice."""

    class Meta:
        model = AwardPolicy
        fields = ["document", "public_notice_days"]
        widgets = {"document": forms.Textarea(attrs={"rows": 40, "cols": 110, "style": "font-family: monospace"})}

    def clean_document(self):
        text = self.cleaned_data["document"]
        parsed = read_policy_document(text)
        if self.instance.pk is None:
            if AwardPolicy.objects.filter(key=parsed.key).exists():
                raise ValidationError(_("A policy with the key “%(key)s” exists: edit its current version instead "
                                        "(a new version is created if an approved award refers to it)."),
                                      params={"key": parsed.key})
        elif parsed.key != self.instance.key:
            raise ValidationError(_("The key of a policy cannot change (it is “%(key)s”)."),
                                  params={"key": self.instance.key})
        return text


class CalculatorForm(forms.Form):
    """What-if figures for the award calculator, in the units people type (万元; foreign capital in 万美元).

    A field left empty is unknown: the clauses that need it say so instead of counting it as zero.
    """

    policy = forms.ModelChoiceField(queryset=AwardPolicy.objects.none(), label=_("Policy"))
    paid_in_registered_capital = forms.DecimalField(label=_("Paid-in registered capital (10k CNY)"), **MONEY)
    capital_domestic = forms.DecimalField(label=_("Domestic capital in place (10k CNY)"), **MONEY)
    capital_foreign_usd = forms.DecimalField(label=_("Foreign capital in place (10k USD)"), **MONEY)
    usd_cny_rate = forms.DecimalField(label=_("CNY per USD on the day it arrived"), max_digits=8, decimal_places=4,
                                      min_value=Decimal("0.0001"), required=False)
    fixed_asset_investment_excl_land = forms.DecimalField(
        label=_("Fixed-asset investment made, excluding land (10k CNY)"), **MONEY)
    total_investment = forms.DecimalField(label=_("Total investment (10k CNY)"), **MONEY)
    purchase_price = forms.DecimalField(label=_("Office purchase price (10k CNY)"), **MONEY)
    industry = forms.ModelChoiceField(queryset=Industry.objects.all(), label=_("Industry"), required=False)
    is_newly_settled = forms.ChoiceField(choices=YES_NO_UNKNOWN, label=_("Newly settled headquarters"),
                                         required=False)
    is_international_organisation_hq = forms.ChoiceField(
        choices=YES_NO_UNKNOWN, label=_("International organisation regional headquarters"), required=False)
    is_high_tech = forms.ChoiceField(choices=YES_NO_UNKNOWN, label=_("High-tech enterprise"), required=False)
    registered_in_district = forms.ChoiceField(choices=YES_NO_UNKNOWN, label=_("Registered in the district"),
                                               required=False)
    years_since_signing = forms.DecimalField(label=_("Years since signing"), max_digits=5, decimal_places=2,
                                             min_value=Decimal(0), required=False)

    def __init__(self, *args, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = policies
        for year in YEARS_SHOWN:
            self.fields[f"contribution_{year}"] = forms.DecimalField(
                label=_("Local fiscal contribution, award year %(n)s (10k CNY)") % {"n": year}, **MONEY)
        for year in YEARS_SHOWN[1:]:
            self.fields[f"rent_{year}"] = forms.DecimalField(
                label=_("Office rent, award year %(n)s (10k CNY)") % {"n": year}, **MONEY)

    def clean(self):
        data = super().clean()
        if data.get("capital_foreign_usd") and not data.get("usd_cny_rate"):
            self.add_error("usd_cny_rate", _("Give the exchange rate of the day the foreign capital arrived."))
        return data

    def facts_data(self) -> dict:
        """The figures in the facts-file format, for ``policy_file.facts_from_data`` (bare numbers are 万元)."""
        data = self.cleaned_data
        facts = {}
        for name in ("paid_in_registered_capital", "fixed_asset_investment_excl_land", "total_investment",
                     "purchase_price"):
            if data.get(name) is not None:
                facts[name] = str(data[name])
        records, foreign = [], []
        if data.get("capital_domestic") is not None:
            records.append({"amount": str(data["capital_domestic"]), "unit": "万元"})
        if data.get("capital_foreign_usd") is not None:
            record = {"amount": str(data["capital_foreign_usd"]), "unit": "万美元", "rate": str(data["usd_cny_rate"])}
            records.append(record)
            foreign.append(record)
        if records:
            facts["capital_in_place"] = records
            facts["foreign_capital_usd"] = foreign
        for name, prefix, years in (("local_fiscal_contribution", "contribution", YEARS_SHOWN),
                                    ("rent", "rent", YEARS_SHOWN[1:])):
            series = {str(y): str(data[f"{prefix}_{y}"]) for y in years if data.get(f"{prefix}_{y}") is not None}
            if series:
                facts[name] = series
        for name in ("is_newly_settled", "is_international_organisation_hq", "is_high_tech",
                     "registered_in_district"):
            if _tri_state(data.get(name)) is not None:
                facts[name] = _tri_state(data[name])
        if data.get("industry") is not None:
            facts["industry"] = data["industry"].code
            facts["is_real_estate"] = data["industry"].code == "K"
        if data.get("years_since_signing") is not None:
            facts["years_since_signing"] = str(data["years_since_signing"])
        return facts

    def facts(self):
        """The engine's facts; a value the facts format refuses becomes an error of the form."""
        try:
            return policy_file.facts_from_data(self.facts_data())
        except policy_file.FactsError as exc:
            self.add_error(None, str(exc))
            return None


class ApplicationForm(forms.Form):
    """A new application: which project, under which policy, for whom."""

    project = forms.ModelChoiceField(queryset=Project.objects.none(), label=_("Project"))
    policy = forms.ModelChoiceField(queryset=AwardPolicy.objects.none(), label=_("Policy"))
    beneficiary = forms.ChoiceField(choices=BeneficiaryKind.choices, label=_("Beneficiary"))
    introducer = forms.ModelChoiceField(queryset=Introducer.objects.all(), label=_("Introducer"), required=False,
                                        help_text=_("Only for an award to an introducer or intermediary."))
    introducer_is_public_servant = forms.ChoiceField(
        choices=YES_NO_UNKNOWN, required=False, label=_("Is the introducer a public servant (公职人员)?"))
    first_award_year = forms.IntegerField(
        label=_("First award year"), min_value=1990, max_value=2100, required=False,
        help_text=_("The calendar year the policy counts as year 1; empty: the year of registration in the "
                    "district (or of signing)."))

    def __init__(self, *args, projects, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["policy"].queryset = policies

    def clean(self):
        data = super().clean()
        data["introducer_is_public_servant"] = _tri_state(data.get("introducer_is_public_servant"))
        if data.get("beneficiary") != BeneficiaryKind.INTRODUCER:
            data["introducer"] = None
        return data


class AwardFactForm(forms.Form):
    """A figure for awards that the project records do not hold, with the document it comes from."""

    name = forms.ChoiceField(choices=FactName.choices, label=_("Fact"))
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False,
                              help_text=_("Calendar year, for contribution and rent."))
    amount = forms.DecimalField(label=_("Amount"), **MONEY)
    unit = forms.ChoiceField(choices=[("", "—"), *MoneyUnit.choices], label=_("Unit"), required=False,
                             initial=MoneyUnit.WAN_YUAN)
    flag = forms.ChoiceField(choices=YES_NO_UNKNOWN, label=_("Yes or no"), required=False,
                             help_text=_("For a yes-or-no fact (newly settled, international organisation)."))
    source = forms.CharField(label=_("Source document"), max_length=300,
                             help_text=_("The document the figure comes from, e.g. the tax bureau's certificate."))
    as_of = forms.DateField(label=_("Source dated"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        name = data.get("name")
        data["flag"] = _tri_state(data.get("flag"))
        if name in ENTERED_YEARLY_FACTS and data.get("year") is None:
            self.add_error("year", _("Give the year this figure is for."))
        if name in ENTERED_FLAG_FACTS:
            if data["flag"] is None:
                self.add_error("flag", _("Say yes or no."))
        elif name and (data.get("amount") is None or not data.get("unit")):
            self.add_error("amount", _("Give the amount and its unit."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TransitionForm(ReasonForm):
    """A move of the workflow chosen by its target status (the service decides whether it is allowed)."""

    to = forms.ChoiceField(choices=ApplicationStatus.choices)
    recovery_amount = forms.DecimalField(label=_("Amount to recover (CNY)"), max_digits=16, decimal_places=2,
                                         min_value=Decimal("0.01"), required=False)


class ConditionForm(forms.Form):
    met_on = forms.DateField(label=_("Condition met on"), widget=forms.DateInput(attrs={"type": "date"}),
                             initial=timezone.localdate)
    note = forms.CharField(label=_("How it was checked"), max_length=1000)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}),
                              initial=timezone.localdate)
    reference = forms.CharField(label=_("Payment reference"), max_length=100, required=False)


class RecoveryForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount to recover (CNY)"), max_digits=16, decimal_places=2,
                                min_value=Decimal("0.01"))
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"}),
                                 initial=timezone.localdate)
    recovered_on = forms.DateField(label=_("Recovered on"), widget=forms.DateInput(attrs={"type": "date"}),
                                   required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ApplicationFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *ApplicationStatus.choices],
                               required=False)
    beneficiary = forms.ChoiceField(label=_("Beneficiary"), choices=[("", _("All")), *BeneficiaryKind.choices],
                                    required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All")), *[(y, str(y)) for y in years]]
