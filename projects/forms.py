"""Forms of the project pages: they parse and validate input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.access import working_people
from crm.choices import BureauKind
from crm.models import Bureau, Enterprise
from projects.choices import (
    CapitalKind,
    MilestoneKind,
    Outcome,
    Stage,
    TalentStatus,
)
from projects.models import Project, TalentRequest
from projects.services import EDITABLE_FIELDS, ConditionInput

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files; each is checked by crm.lib.uploads when the document is stored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _bureau_people():
    return working_people().order_by("username")


class ProjectForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [*EDITABLE_FIELDS, "co_owners"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "co_owners": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_owners"].queryset = _bureau_people()
        self.fields["enterprise"].queryset = Enterprise.objects.order_by("name")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        total, fixed = data.get("total_investment_wan"), data.get("fixed_asset_investment_wan")
        if total is not None and fixed is not None and fixed > total:
            self.add_error("fixed_asset_investment_wan",
                           _("Fixed-asset investment cannot exceed the total planned investment."))
        return data

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class StageMoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(t, Stage(t).label) for t in targets]


class RoundOpenForm(forms.Form):
    bureaus = forms.ModelMultipleChoiceField(
        label=_("Bureaus asked for their opinion"), queryset=Bureau.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note to the bureaus"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureaus"].queryset = Bureau.objects.filter(kind=BureauKind.PARTNER, is_active=True)
        self.fields["bureaus"].label_from_instance = lambda b: f"{b.name}（{b.review_scope}）"


class OpinionForm(forms.Form):
    """A bureau's answer; up to three conditions, each with a due date and the stage it blocks."""

    CONDITION_ROWS = 3
    BLOCKABLE = [(s, Stage(s).label) for s in (Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION, Stage.OPERATING)]

    outcome = forms.ChoiceField(label=_("Opinion"), choices=Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                             help_text=_("Required for anything but a plain agree."))
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, amendment: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if amendment:
            self.fields["outcome"].choices = [c for c in Outcome.choices if c[0] != Outcome.NEEDS_MATERIAL]
        for i in range(self.CONDITION_ROWS):
            self.fields[f"condition_{i}_text"] = forms.CharField(
                label=_("Condition %(n)s") % {"n": i + 1}, required=False, max_length=500)
            self.fields[f"condition_{i}_due"] = forms.DateField(label=_("due on"), required=False, widget=DATE_INPUT)
            self.fields[f"condition_{i}_blocks"] = forms.ChoiceField(
                label=_("blocks the stage"), choices=self.BLOCKABLE, initial=Stage.CONSTRUCTION, required=False)

    def clean(self):
        data = super().clean()
        conditions = []
        for i in range(self.CONDITION_ROWS):
            text = (data.get(f"condition_{i}_text") or "").strip()
            if not text:
                continue
            due = data.get(f"condition_{i}_due")
            if due is None:
                self.add_error(f"condition_{i}_due", _("Give the date by which the condition must be met."))
                continue
            conditions.append(ConditionInput(text=text, due_on=due,
                                             blocks_stage=data.get(f"condition_{i}_blocks") or Stage.CONSTRUCTION))
        data["conditions"] = conditions
        outcome = data.get("outcome")
        if outcome and outcome != Outcome.AGREE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Write the reason for this opinion; only a plain agree needs none."))
        if outcome == Outcome.AGREE_WITH_CONDITIONS and not conditions and not self.errors:
            self.add_error("condition_0_text", _("List at least one condition for an agree with conditions."))
        if outcome and outcome != Outcome.AGREE_WITH_CONDITIONS and conditions:
            self.add_error("outcome", _("Conditions belong only to an agree with conditions."))
        return data

    def condition_rows(self):
        return [(self[f"condition_{i}_text"], self[f"condition_{i}_due"], self[f"condition_{i}_blocks"])
                for i in range(self.CONDITION_ROWS)]


class ReturnMaterialForm(forms.Form):
    note = forms.CharField(label=_("What was added"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Material"))


class MilestoneForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, kind: str, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == MilestoneKind.CONTRACT:
            self.fields["contract_amount_wan"] = forms.DecimalField(
                label=_("Contract amount (10k CNY)"), max_digits=14, decimal_places=2, min_value=0.01)
            self.fields["contract_file"] = forms.FileField(label=_("Signed contract"))
        if kind == MilestoneKind.REGISTRATION:
            self.fields["credit_code"] = forms.CharField(
                label=_("Unified social credit code"), max_length=30, initial=project.enterprise.credit_code,
                help_text=_("The enterprise's code; it must be valid (GB 32100-2015)."))


class CapitalForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("Kind"), choices=CapitalKind.choices)
    amount_wan = forms.DecimalField(label=_("Amount (10k CNY)"), max_digits=14, decimal_places=2, required=False,
                                    min_value=0.01)
    amount_usd_wan = forms.DecimalField(label=_("Amount (10k USD)"), max_digits=14, decimal_places=2,
                                        required=False, min_value=0.01)
    usd_cny_rate = forms.DecimalField(label=_("CNY per USD on that date"), max_digits=8, decimal_places=4,
                                      required=False, min_value=0.0001)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    evidence = MultipleFileField(label=_("Evidence (bank slips, capital verification report)"))

    def clean(self):
        data = super().clean()
        if data.get("kind") == CapitalKind.DOMESTIC:
            if data.get("amount_wan") is None:
                self.add_error("amount_wan", _("Give the amount in 10k CNY."))
            data["amount_usd_wan"] = data["usd_cny_rate"] = None
        elif data.get("kind") == CapitalKind.FOREIGN:
            if data.get("amount_usd_wan") is None:
                self.add_error("amount_usd_wan", _("Give the amount in 10k USD."))
            if data.get("usd_cny_rate") is None:
                self.add_error("usd_cny_rate", _("Give the CNY rate of that date."))
            data["amount_wan"] = None
        return data


class ConditionResolveForm(forms.Form):
    action = forms.ChoiceField(choices=[("close", _("Met")), ("waive", _("Waive"))])
    resolution = forms.CharField(label=_("How it was met, or why it is waived"),
                                 widget=forms.Textarea(attrs={"rows": 2}))


class TalentRequestForm(forms.ModelForm):
    class Meta:
        model = TalentRequest
        fields = ["kind", "people", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TalentAnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"),
                               choices=[c for c in TalentStatus.choices if c[0] != TalentStatus.OPEN])
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    file = forms.FileField(label=_("File"))

