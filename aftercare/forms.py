"""Forms of aftercare: they parse and validate input; the services enforce the rules and say what is wrong."""

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.choices import (
    DEFAULT_DUE_WORKING_DAYS,
    Cadence,
    Category,
    Channel,
    CheckResult,
    ComplaintKind,
    Satisfaction,
)
from aftercare.models import Organisation, OrganisationContact
from crm.access import working_people
from crm.forms import VersionedFormMixin
from crm.models import Bureau, Contact, Enterprise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _officers():
    return working_people().order_by("full_name", "username")


def _bureaus():
    return Bureau.objects.filter(is_active=True).order_by("sort_order", "id")


class KeyEnterpriseForm(VersionedFormMixin, forms.Form):
    enterprise = forms.ModelChoiceField(Enterprise.objects.order_by("name"), label=_("Enterprise"))
    officer = forms.ModelChoiceField(_officers(), label=_("Service officer"))
    cadence_months = forms.TypedChoiceField(choices=Cadence.choices, coerce=int, initial=Cadence.QUARTERLY,
                                            label=_("Visit cadence"))
    reason = forms.CharField(label=_("Why it is key"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = _officers()
        if editing:
            del self.fields["enterprise"]


class VisitForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("Time"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=160, required=False)
    their_attendees = forms.ModelMultipleChoiceField(Contact.objects.none(), label=_("Their people"),
                                                     required=False, widget=forms.CheckboxSelectMultiple)
    discussion = forms.CharField(label=_("What was discussed"), widget=forms.Textarea(attrs={"rows": 4}))
    next_steps = forms.CharField(label=_("Next steps"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["their_attendees"].queryset = enterprise.contacts.all()
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class DemandForm(forms.Form):
    """One demand raised at a visit; a row left empty is ignored."""

    subject = forms.CharField(label=_("Demand"), max_length=120, required=False)
    content = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.OTHER)
    bureau = forms.ModelChoiceField(_bureaus(), label=_("Bureau that must act"), required=False)
    due_working_days = forms.IntegerField(label=_("Answer within (working days)"), min_value=1, max_value=120,
                                          initial=DEFAULT_DUE_WORKING_DAYS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = _bureaus()

    def clean(self):
        data = super().clean()
        if data.get("subject") or data.get("content"):
            if not data.get("subject"):
                self.add_error("subject", _("Give the demand a short title."))
            if not data.get("bureau"):
                self.add_error("bureau", _("Choose the bureau that must act."))
            data["content"] = data.get("content") or data.get("subject", "")
        return data


DemandFormSet = formset_factory(DemandForm, extra=3, max_num=10)


class ComplaintForm(forms.Form):
    enterprise = forms.ModelChoiceField(Enterprise.objects.order_by("name"), label=_("Enterprise"),
                                        required=False)
    contact = forms.ModelChoiceField(Contact.objects.select_related("enterprise").order_by("enterprise__name", "name"),
                                     label=_("Contact"), required=False)
    complainant = forms.CharField(label=_("Raised by (if not a contact on record)"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ComplaintKind.choices, initial=ComplaintKind.COMPLAINT)
    channel = forms.ChoiceField(label=_("Received by"),
                                choices=[c for c in Channel.choices if c[0] != Channel.API])
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    subject = forms.CharField(label=_("Subject"), max_length=120, required=False)
    content = forms.CharField(label=_("What the investor says"), widget=forms.Textarea(attrs={"rows": 5}),
                              required=False)
    bureau = forms.ModelChoiceField(_bureaus(), label=_("Bureau that must act"), required=False)
    received_on = forms.DateField(label=_("Received on"), widget=DATE, required=False)
    due_working_days = forms.IntegerField(label=_("Answer within (working days)"), min_value=1, max_value=120,
                                          initial=DEFAULT_DUE_WORKING_DAYS, required=False)
    due_on = forms.DateField(label=_("Or answer by this date"), widget=DATE, required=False,
                             help_text=_("Leave empty to count the working days above from today."))

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = _bureaus()
        self.fields["received_on"].initial = timezone.localdate()
        if enterprise is not None:  # registered from the enterprise's page: offer only its contacts
            self.fields["enterprise"].initial = enterprise.pk
            self.fields["contact"].queryset = enterprise.contacts.all()


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class CloseForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("Investor's satisfaction"),
                                     choices=[("", "---------"), *Satisfaction.choices], required=False)
    note = forms.CharField(label=_("Note on the close"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why it is reopened"), widget=forms.Textarea(attrs={"rows": 2}),
                             required=False)
    bureau = forms.ModelChoiceField(_bureaus(), label=_("Route to"), required=False,
                                    help_text=_("Leave empty to route it to the same bureau again."))
    due_working_days = forms.IntegerField(label=_("Answer within (working days)"), min_value=1, max_value=120,
                                          initial=DEFAULT_DUE_WORKING_DAYS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = _bureaus()


class ComplianceCheckForm(forms.Form):
    year = forms.IntegerField(label=_("Year checked"), min_value=2000, max_value=2100)
    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)
    result = forms.ChoiceField(label=_("Result"), choices=CheckResult.choices)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    follow_up = forms.CharField(label=_("Follow-up required"), widget=forms.Textarea(attrs={"rows": 2}),
                                required=False)
    follow_up_due = forms.DateField(label=_("Follow-up due on"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year - 1
        self.fields["checked_on"].initial = today


class FollowUpDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OrganisationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "country", "address", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class OrganisationContactForm(forms.ModelForm):
    class Meta:
        model = OrganisationContact
        fields = ["name", "title", "mobile", "phone", "email"]
