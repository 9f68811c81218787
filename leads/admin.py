"""Back office for leads: the first-response rules are kept here; leads, meetings, follow-ups, events,
introducers and imports are shown read-only (crm.back_office): they change through the leads' services."""

from django.contrib import admin

from crm.back_office import ReadOnlyAdmin, RecordAdmin, SettingAdmin
from crm.personal_data import PersonalDataAdminMixin
from leads.models import (
    FollowUp,
    Introducer,
    Lead,
    LeadImport,
    MeetingLog,
    PromotionEvent,
    ResponseClockRule,
)


@admin.register(ResponseClockRule)
class ResponseClockRuleAdmin(SettingAdmin):
    list_display = ("name", "min_investment_wan", "first_response_working_days", "assessment_working_days")


@admin.register(Introducer)
class IntroducerAdmin(PersonalDataAdminMixin, RecordAdmin):
    list_display = ("name", "kind", "id_number", "registered_at")
    list_filter = ("kind",)
    search_fields = ("name", "id_number")


@admin.register(PromotionEvent)
class PromotionEventAdmin(RecordAdmin):
    list_display = ("name", "kind", "starts_on", "ends_on", "city")
    list_filter = ("kind",)
    search_fields = ("name", "city", "organiser")


@admin.register(Lead)
class LeadAdmin(RecordAdmin):
    list_display = ("title", "enterprise", "owner", "status", "source", "received_on")
    list_filter = ("status", "source")
    search_fields = ("title", "enterprise__name")
    raw_id_fields = ("enterprise", "owner", "source_event", "introducer", "industry")
    readonly_fields = ("version", "status", "status_changed_at")


@admin.register(MeetingLog)
class MeetingLogAdmin(RecordAdmin):
    list_display = ("occurred_at", "kind", "enterprise", "lead", "created_by")
    list_filter = ("kind",)
    raw_id_fields = ("enterprise", "lead")


@admin.register(FollowUp)
class FollowUpAdmin(RecordAdmin):
    list_display = ("title", "due_on", "owner", "status")
    list_filter = ("status",)
    raw_id_fields = ("enterprise", "lead", "meeting", "rescheduled_to")


@admin.register(LeadImport)
class LeadImportAdmin(PersonalDataAdminMixin, ReadOnlyAdmin):
    list_display = ("original_name", "created_by", "created_at", "status", "total_rows")
    readonly_fields = ("preview", "result")
