from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.choices import Role
from crm.models import Bureau
from security.choices import AuditAction, AuditResult


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app, or one of the recovery codes."""

    token = forms.CharField(
        label=_("Verification code"), max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("The 6-digit code your authenticator app shows, or one of your recovery codes."),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "")


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    bureau = forms.ModelChoiceField(label=_("Bureau"), queryset=Bureau.objects.filter(is_active=True),
                                    required=False, help_text=_("Required for partner reviewers."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.REVIEWER and not cleaned.get("bureau"):
            self.add_error("bureau", _("A partner reviewer must belong to a bureau."))
        return cleaned


class AuditFilterForm(forms.Form):
    """The audit administrator's filters; every field is optional."""

    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    username = forms.CharField(label=_("Username"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("All actions")), *AuditAction.choices])
    result = forms.ChoiceField(label=_("Result"), required=False,
                               choices=[("", _("All results")), *AuditResult.choices])
    ip_address = forms.CharField(label=_("Address"), required=False, max_length=45)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ApiTokenForm(forms.Form):
    """A new API token of one's own: what it is for and, if wanted, the last day it works."""

    name = forms.CharField(label=_("Name"), max_length=60, strip=True,
                           help_text=_("The system that will use it, e.g. “NDRC office system”."))
    expires_on = forms.DateField(label=_("Works until"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Leave empty for a token that works until it is revoked."))

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("The last day cannot be in the past."))
        return day

    def expires_at(self):
        """The end of the last day, in local time (None: no expiry)."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
