"""Back office for aftercare: key designations, complaints, checks and organisations are shown read-only
(crm.back_office.RecordAdmin): they change only through the services and the pages, which enforce routing, due
dates, the complaint machine and the edit-conflict check."""

from django.contrib import admin

from aftercare.models import (
    Complaint,
    ComplaintCycle,
    ComplianceCheck,
    KeyEnterprise,
    Organisation,
    OrganisationContact,
)
from crm.back_office import RecordAdmin
from crm.personal_data import PersonalDataAdminMixin


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
class ComplaintAdmin(PersonalDataAdminMixin, RecordAdmin):
    list_display = ("subject", "enterprise", "kind", "category", "status", "received_on")
    list_filter = ("status", "kind", "category", "channel")
    search_fields = ("subject", "content", "enterprise__name")
    inlines = [CycleInline]


@admin.register(ComplianceCheck)
class ComplianceCheckAdmin(RecordAdmin):
    list_display = ("enterprise", "year", "result", "follow_up_state", "checked_on")
    list_filter = ("year", "result", "follow_up_state")
    search_fields = ("enterprise__name",)


class OrganisationContactInline(PersonalDataAdminMixin, admin.TabularInline):
    model = OrganisationContact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(RecordAdmin):
    list_display = ("name", "kind", "country")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [OrganisationContactInline]
