"""Back office for aftercare: organisations and their contacts are kept here too; key designations,
complaints and checks are read-only (they change only through the services, which enforce routing, due dates
and the complaint machine)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftercare.models import (
    Complaint,
    ComplaintCycle,
    ComplianceCheck,
    KeyEnterprise,
    Organisation,
    OrganisationContact,
)


class RecordAdmin(SimpleHistoryAdmin):
    """A record written by the aftercare services: the back office reads it and its history."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(KeyEnterprise)
class KeyEnterpriseAdmin(RecordAdmin):
    list_display = ("enterprise", "officer", "cadence_months", "designated_on", "ended_on")
    list_filter = ("cadence_months",)
    search_fields = ("enterprise__name",)


class CycleInline(admin.TabularInline):
    model = ComplaintCycle
    fk_name = "complaint"
    extra = 0
    can_delete = False
    fields = ("number", "bureau", "due_on", "answered_at", "answered_on_time", "satisfaction", "closed_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(RecordAdmin):
    list_display = ("subject", "enterprise", "kind", "category", "status", "received_on")
    list_filter = ("status", "kind", "category", "channel")
    search_fields = ("subject", "content", "enterprise__name")
    inlines = [CycleInline]


@admin.register(ComplianceCheck)
class ComplianceCheckAdmin(RecordAdmin):
    list_display = ("enterprise", "year", "result", "follow_up_state", "checked_on")
    list_filter = ("year", "result", "follow_up_state")
    search_fields = ("enterprise__name",)


class OrganisationContactInline(admin.TabularInline):
    model = OrganisationContact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "country")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [OrganisationContactInline]
