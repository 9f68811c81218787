from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Contact, Enterprise


class EnterpriseForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enterprise
        fields = [
            "name", "credit_code", "kind", "industry", "key_industries", "origin_province", "origin_country",
            "registered_capital_wan", "address", "notes",
        ]
        widgets = {
            "key_industries": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "credit_code": _("18 characters (GB 32100-2015). Leave empty if not yet known."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_registered_capital_wan(self):
        value = self.cleaned_data.get("registered_capital_wan")
        if value is not None and value < 0:
            raise forms.ValidationError(_("Registered capital cannot be negative."))
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in ("foreign", "hmt") and not data.get("origin_country"):
            self.add_error("origin_country", _("Give the country or region the foreign capital comes from."))
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("key_industries", None)
        return data


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "mobile", "phone", "email", "is_primary", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
