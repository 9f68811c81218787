"""Every field that holds personal data, in one table, and the one rule for showing it (个人信息保护法: minimum
necessary): in full to the roles that call investors (`crm.access.can_see_personal_data`), masked to everyone
else, in every channel: pages, exports, the API (`crm.api.serializers.PersonalDataSerializerMixin`) and the back
office (`PersonalDataAdminMixin`: list columns, the change form as masked read-only values, the history's diffs).

A model is named by its label, so the core lists the fields of the apps above it without importing them. A new
field holding a person's number, ID or address goes into PERSONAL_DATA, and every channel masks it.
"""

from django.db import models
from simple_history.template_utils import HistoricalRecordContextHelper

from crm.access import can_see_personal_data
from crm.lib.masking import MASKERS

# model label -> {field: kind of masking (crm.lib.masking.MASKERS)}. "text" is free text that may hold a
# number or an address among words ("何经理 13907560001"); names stay, numbers and addresses are masked.
# Staff accounts' own work phone and e-mail are not here: the system administrator keeps them with the account.
PERSONAL_DATA: dict[str, dict[str, str]] = {
    "crm.contact": {"mobile": "mobile", "phone": "phone", "email": "email"},
    "leads.introducer": {"id_number": "id_number", "contact": "text"},
    # The dry run of a lead import holds the spreadsheet's rows, with their contacts' phone numbers.
    "leads.leadimport": {"preview": "text"},
    "aftercare.organisationcontact": {"mobile": "mobile", "phone": "phone", "email": "email"},
    "aftercare.complaint": {"complainant": "text"},
}


def personal_fields(model: type[models.Model] | models.Model) -> dict[str, str]:
    """The personal-data fields of a model (or of an instance's model) and their kind; empty if none."""
    return PERSONAL_DATA.get(model._meta.label_lower, {})


def mask_value(kind: str, value, *, reveal: bool):
    """One value as a user may see it: unchanged when `reveal` or empty, else masked by its kind."""
    if reveal or not value:
        return value
    return MASKERS[kind](str(value))


def shown(instance: models.Model, *, reveal: bool) -> dict[str, str]:
    """The personal-data fields of a record as a user may see them: {"mobile": "139****1234", ...}."""
    return {field: mask_value(kind, getattr(instance, field), reveal=reveal)
            for field, kind in personal_fields(instance).items()}


def shown_for(instance: models.Model, user) -> dict[str, str]:
    return shown(instance, reveal=can_see_personal_data(user))


def _masked_column(field: str, kind: str, label):
    """A back-office column or read-only form value showing `field` masked."""
    def column(obj):
        return mask_value(kind, getattr(obj, field, ""), reveal=False) or "-"
    column.short_description = label
    column.__name__ = f"masked_{field}"
    return column


class _MaskedHistoryHelper(HistoricalRecordContextHelper):
    """The back office's history page shows each change's old and new values: masked like the record."""

    def prepare_delta_change_value(self, change, value):
        kind = personal_fields(self.model).get(change.field)
        if kind is not None:
            return mask_value(kind, value, reveal=False)
        return super().prepare_delta_change_value(change, value)


class PersonalDataAdminMixin:
    """For a ModelAdmin or an inline (first among its bases) of a model in PERSONAL_DATA: a user who may not see
    the data gets masked list columns, masked read-only values in the change form (so nothing can be read or
    overwritten through it) and history diffs, and cannot search by those fields (a search would confirm a
    guessed number)."""

    def _masks(self, request) -> dict:
        if can_see_personal_data(request.user):
            return {}
        cache = self.__dict__.setdefault("_masked_columns", {})
        for field, kind in personal_fields(self.model).items():
            if field not in cache:
                label = self.model._meta.get_field(field).verbose_name
                cache[field] = _masked_column(field, kind, label)
        return cache

    def _swap(self, names, masks):
        """The names with each personal field replaced by its masked column, once."""
        swapped = []
        for name in names:
            name = masks.get(name, name) if isinstance(name, str) else name
            if name not in swapped:
                swapped.append(name)
        return swapped

    def get_list_display(self, request):
        return self._swap(super().get_list_display(request), self._masks(request))

    def get_search_fields(self, request):
        masks = self._masks(request)
        return [name for name in super().get_search_fields(request) if name.split("__")[0] not in masks]

    def get_fieldsets(self, request, obj=None):
        # The form is built from the fieldsets, so a masked field is neither shown nor accepted in a POST.
        fieldsets = super().get_fieldsets(request, obj)
        masks = self._masks(request)
        if not masks:
            return fieldsets
        return [(name, {**options, "fields": self._swap(options["fields"], masks)}) for name, options in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        masks = self._masks(request)
        return readonly + [column for column in masks.values() if column not in readonly]

    def get_historical_record_context_helper(self, request, historical_record):
        if can_see_personal_data(request.user):
            return super().get_historical_record_context_helper(request, historical_record)
        return _MaskedHistoryHelper(self.model, historical_record)

