"""Back office for the statistics: work plans and published months are shown read-only (crm.back_office): a
plan is set on its page by the leaders (reports.services.work_plan_save), a published figure is never edited,
only restated."""

from django.contrib import admin

from crm.back_office import ReadOnlyAdmin, ReadOnlyInline, RecordAdmin
from reports.models import Restatement, Snapshot, Target, WorkPlan


class TargetInline(ReadOnlyInline):
    model = Target


@admin.register(WorkPlan)
class WorkPlanAdmin(RecordAdmin):
    list_display = ["year", "months_to_register", "months_to_start", "months_to_operate", "months_to_capital",
                    "updated_by", "updated_at"]
    inlines = [TargetInline]
    readonly_fields = ["updated_by"]


class RestatementInline(admin.TabularInline):
    model = Restatement
    extra = 0
    can_delete = False
    readonly_fields = ["indicator", "record_label", "published_value", "current_value", "detected_at"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    """Published months are read only: a published figure is never edited, only restated."""

    list_display = ["__str__", "published_at", "published_by", "checked_at"]
    readonly_fields = ["year", "month", "published_at", "published_by", "checked_at", "figures", "records"]
    inlines = [RestatementInline]
