"""The back office's two kinds of screen (docs/security.md, "The back office").

- Settings and reference data (bureaus, industries, calendar days, thresholds, award policies; the list is
  `crm.roles.SETTINGS_MODELS`): the system administrator keeps them here. `SettingAdmin`.
- Business records (enterprises, leads, meetings, projects, reviews, awards, aftercare, published months...):
  shown with their history, never added, changed, deleted or reverted here, whoever asks (a superuser too);
  their changes go through the services, with their checks and history, on the pages and the API.
  `RecordAdmin` (`ReadOnlyAdmin` for a model without history).

Accounts have their own screen (crm.admin.UserAdmin): no delete, and role and bureau are the security
administrator's.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class SettingAdmin(SimpleHistoryAdmin):
    """A setting or reference record the system administrator keeps, with its history."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves an old version posted to this form for anyone who may merely view the
        # record: a revert is a change, so it needs the change permission.
        if request.method == "POST" and not self.has_change_permission(request, self.get_object(request,
                                                                                              unquote(object_id))):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyMixin:
    """No add, change or delete, and no bulk action, for anyone."""

    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordAdmin(ReadOnlyMixin, SettingAdmin):
    """A business record: shown with its history, changed only through the services."""


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A business record without history (notifications, imports, published months)."""


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    """Rows shown under a business record."""

    extra = 0
    can_delete = False
