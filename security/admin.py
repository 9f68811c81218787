"""The audit log in the back office is read-only for everyone (no add, change or delete, no bulk action), and
visible to the audit administrator only. Authenticator secrets are kept out of the back office: second
factors are reset by the security administrator on their own page."""

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from crm import access
from security.models import AuditArchiveEntry, AuditEntry

for model in (TOTPDevice, StaticDevice):
    try:
        admin.site.unregister(model)
    except NotRegistered:
        pass


class ReadOnlyAuditAdmin(admin.ModelAdmin):
    list_display = ("seq", "occurred_at", "actor_username", "actor_role", "ip_address", "action", "target_label",
                    "result")
    list_filter = ("action", "result")
    search_fields = ("actor_username", "target_label", "ip_address")
    date_hierarchy = "occurred_at"
    actions = None

    def has_view_permission(self, request, obj=None):
        return access.can_read_audit_log(request.user)

    def has_module_permission(self, request):
        return access.can_read_audit_log(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(AuditEntry, ReadOnlyAuditAdmin)
admin.site.register(AuditArchiveEntry, ReadOnlyAuditAdmin)
