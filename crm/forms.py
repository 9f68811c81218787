from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Contact, Enterprise


class VersionedFormMixin:
    """A hidden `version`: the version of the record the page showed, handed to the update service, which
    raises crm.services.StaleEdit when someone saved in between (docs/architecture.md, optimistic locking).

    A ModelForm takes it from its instance; a plain form is given `version=`. After a StaleEdit the view calls
    `stale(exc)`: the message goes above the form, the saved values are listed beside it (`conflict`), and the
    hidden version becomes the current one, so saving again overwrites knowingly.
    """

    def __init__(self, *args, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk:
            version = instance.version
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, initial=version)
        self.conflict = None

    @property
    def shown_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def without_version(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    def stale(self, exc) -> None:
        current = exc.current
        self.add_error(None, exc.messages[0])
        self.conflict = [(field.label, _shown(current, name)) for name, field in self.fields.items()
                         if name != "version" and hasattr(current, name)]
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.version


def _shown(record, name: str) -> str:
    display = getattr(record, f"get_{name}_display", None)
    value = display() if display else getattr(record, name)
    if hasattr(value, "all"):  # a many-to-many field
        value = "、".join(str(v) for v in value.all())
    return "—" if value in (None, "") else str(value)


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


class ContactForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "mobile", "phone", "email", "is_primary", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
