"""Forms of the leads app: they parse and check input; the services decide and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.access import working_people
from crm.forms import VersionedFormMixin
from crm.models import Contact, Enterprise, User
from leads.choices import LEAD_MOVES, IntroducerKind, LeadSource, LeadStatus, MeetingKind
from leads.models import Introducer, Lead, PromotionEvent

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def working_users():
    return working_people().order_by("full_name", "username")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


def _not_negative(value, message):
    if value is not None and value < 0:
        raise forms.ValidationError(message)
    return value


class LeadFieldsMixin:
    """Checks shared by the new-lead and edit-lead forms."""

    def clean_intended_investment_wan(self):
        return _not_negative(self.cleaned_data.get("intended_investment_wan"),
                             _("The intended investment cannot be negative."))

    def _clean_source(self, data):
        if data.get("source") == LeadSource.EVENT and not data.get("source_event"):
            self.add_error("source_event", _("Name the promotion event this lead came from."))
        if data.get("introducer") and data.get("new_introducer_name"):
            self.add_error("new_introducer_name", _("Pick an introducer or enter a new one, not both."))
        if data.get("new_introducer_name") and not data.get("new_introducer_kind"):
            self.add_error("new_introducer_kind", _("Say whether the introducer is a person or an organisation."))


class LeadForm(LeadFieldsMixin, forms.Form):
    """A new lead, in under a minute: an enterprise picked or created here, and the essentials."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.order_by("name"),
                                        required=False, help_text=_("Pick it from the register, or enter a new one."))
    new_enterprise_name = forms.CharField(label=_("or new enterprise name"), max_length=120, required=False)
    new_enterprise_credit_code = forms.CharField(label=_("its unified social credit code"), max_length=30,
                                                 required=False)
    title = forms.CharField(label=_("Title"), max_length=160,
                            help_text=_("What the investor intends, e.g. “regional headquarters”."))
    source = forms.ChoiceField(label=_("Source"), choices=LeadSource.choices)
    source_event = forms.ModelChoiceField(label=_("Source event"), queryset=PromotionEvent.objects.all(),
                                          required=False)
    introducer = forms.ModelChoiceField(label=_("Introducer"), queryset=Introducer.objects.all(), required=False)
    new_introducer_name = forms.CharField(label=_("or new introducer"), max_length=120, required=False)
    new_introducer_kind = forms.ChoiceField(label=_("introducer kind"), choices=[("", "—"), *IntroducerKind.choices],
                                            required=False)
    intended_investment_wan = forms.DecimalField(label=_("Intended investment (10k CNY)"), max_digits=14,
                                                 decimal_places=2, required=False)
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Lead._meta.get_field("industry")
                                      .related_model.objects.all(), required=False)
    received_on = forms.DateField(label=_("Received on"), widget=DATE, required=False,
                                  help_text=_("Leave empty for today."))
    co_owners = UsersChoiceField(label=_("Co-owners"), queryset=working_users(), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    duplicate_reason = forms.CharField(label=_("Reason to proceed"), widget=forms.Textarea(attrs={"rows": 2}),
                                       required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_owners"].queryset = working_users()

    def clean_received_on(self):
        value = self.cleaned_data.get("received_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("A lead cannot arrive in the future."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("enterprise") and not data.get("new_enterprise_name"):
            self.add_error("enterprise", _("Pick an enterprise from the register or enter a new one."))
        if data.get("enterprise") and data.get("new_enterprise_name"):
            self.add_error("new_enterprise_name", _("Pick an enterprise or enter a new one, not both."))
        self._clean_source(data)
        return data


class LeadEditForm(LeadFieldsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    co_owners = UsersChoiceField(label=_("Co-owners"), queryset=User.objects.none(), required=False)
    new_introducer_name = forms.CharField(label=_("or new introducer"), max_length=120, required=False)
    new_introducer_kind = forms.ChoiceField(label=_("introducer kind"), choices=[("", "—"), *IntroducerKind.choices],
                                            required=False)

    class Meta:
        model = Lead
        fields = ["title", "source", "source_event", "introducer", "intended_investment_wan", "industry",
                  "co_owners", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_owners"].queryset = working_users()
        self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        self._clean_source(data)
        return data

    def _post_clean(self):
        # The service validates and saves the model (optimistic locking); don't touch the instance here.
        pass


class LeadStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                             help_text=_("Required when shelving a lead or marking it invalid."))

    def __init__(self, *args, lead: Lead, **kwargs):
        super().__init__(*args, **kwargs)
        moves = LEAD_MOVES[LeadStatus(lead.status)] - {LeadStatus.CONVERTED}
        self.fields["status"].choices = [(s.value, s.label) for s in LeadStatus if s in moves]


class AssessmentForm(forms.Form):
    assessment = forms.CharField(label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("Is the investor real, how big is the intention, what comes next."))


class ReassignForm(forms.Form):
    owner = UserChoiceField(label=_("New owner"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = working_users()


class MeetingForm(forms.Form):
    """A meeting and, optionally, the follow-up it sets."""

    lead = forms.ModelChoiceField(label=_("Lead"), queryset=Lead.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    occurred_at = forms.DateTimeField(label=_("Time"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=160, required=False)
    our_attendees = UsersChoiceField(label=_("Our people"), queryset=User.objects.none(), required=False)
    their_attendees = forms.ModelMultipleChoiceField(label=_("Their people"), queryset=Contact.objects.none(),
                                                     required=False)
    discussion = forms.CharField(label=_("What was discussed"), widget=forms.Textarea(attrs={"rows": 4}))
    demands = forms.CharField(label=_("Investor's demands"), widget=forms.Textarea(attrs={"rows": 2}),
                              required=False)
    next_steps = forms.CharField(label=_("Next steps"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    follow_up_title = forms.CharField(label=_("Follow-up"), max_length=200, required=False,
                                      help_text=_("What must be done next; the next steps are used if empty."))
    follow_up_due = forms.DateField(label=_("Follow-up date"), widget=DATE, required=False)
    follow_up_owner = UserChoiceField(label=_("Follow-up owner"), queryset=User.objects.none(), required=False,
                                      help_text=_("You, if empty."))

    def __init__(self, *args, enterprise: Enterprise, lead: Lead | None = None, with_follow_up: bool = True,
                 choose_lead: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["our_attendees"].queryset = working_users()
        self.fields["follow_up_owner"].queryset = working_users()
        self.fields["their_attendees"].queryset = enterprise.contacts.all()
        if lead is not None or not choose_lead:
            del self.fields["lead"]
        else:
            self.fields["lead"].queryset = enterprise.leads.all()
        if not with_follow_up:
            for name in ("follow_up_title", "follow_up_due", "follow_up_owner"):
                del self.fields[name]

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        if value and value > timezone.now():
            raise forms.ValidationError(_("A meeting that has been held cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        due, occurred = data.get("follow_up_due"), data.get("occurred_at")
        if due and occurred and due < timezone.localdate(occurred):
            self.add_error("follow_up_due", _("A follow-up cannot be due before the meeting it follows."))
        if data.get("follow_up_title") and not due:
            self.add_error("follow_up_due", _("Give the follow-up a due date."))
        return data


class MeetingEditForm(MeetingForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, enterprise=meeting.enterprise, with_follow_up=False, choose_lead=False,
                         **kwargs)
        if not self.is_bound:
            self.initial.update({
                "kind": meeting.kind, "occurred_at": timezone.localtime(meeting.occurred_at), "place": meeting.place,
                "our_attendees": list(meeting.our_attendees.all()),
                "their_attendees": list(meeting.their_attendees.all()), "discussion": meeting.discussion,
                "demands": meeting.demands, "next_steps": meeting.next_steps, "version": meeting.version,
            })


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("Agenda, photos, signed minutes: PDF, images, Office "
                                                        "documents."))


class FollowUpCloseForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class FollowUpRescheduleForm(forms.Form):
    due_on = forms.DateField(label=_("New date"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class EventForm(VersionedFormMixin, forms.ModelForm):
    attendees = UsersChoiceField(label=_("Our attendees"), queryset=User.objects.none(), required=False)

    class Meta:
        model = PromotionEvent
        fields = ["name", "kind", "starts_on", "ends_on", "city", "organiser", "attendees", "notes"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = working_users()

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("An event cannot end before it starts."))
        return data

    def _post_clean(self):
        pass

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("attendees", "version")}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Lead ledger"), help_text=_("An Excel workbook (.xlsx) or a CSV file, laid out "
                                                               "like the template."))

