"""Back office for the pipeline: thresholds and areas are edited here; the pipeline's own records are shown.

Projects, rounds, requests, opinions, conditions, milestones, capital records and talent requests are read-only
here (crm.back_office.RecordAdmin): owners, co-owners, money figures and stages change only on the project pages
and the API, through the services with their checks and history, so the back office can never sign a project
past the signing guard or move one to another owner unseen."""

from django.contrib import admin

from crm.back_office import RecordAdmin, SettingAdmin
from projects.models import (
    Area,
    CapitalInPlace,
    Condition,
    EntryThreshold,
    Milestone,
    Opinion,
    Project,
    ReviewRequest,
    ReviewRound,
    StageChange,
    TalentRequest,
)


@admin.register(Area)
class AreaAdmin(SettingAdmin):
    search_fields = ("name",)


@admin.register(EntryThreshold)
class EntryThresholdAdmin(SettingAdmin):
    """The entry conditions per industry (and area) that the pre-check compares a project with."""

    list_display = ("industry", "area", "metric", "comparator", "value", "source")
    list_filter = ("metric", "area", "industry")
    list_select_related = ("industry", "area")


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ("at", "from_stage", "to_stage", "by", "reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(RecordAdmin):
    list_display = ("code", "name", "enterprise", "industry", "stage", "owner", "is_key_project")
    list_filter = ("stage", "industry", "is_key_project")
    search_fields = ("code", "name", "enterprise__name")
    list_select_related = ("enterprise", "industry", "owner")
    readonly_fields = ("code", "stage", "paused_from", "stage_changed_at", "version", "created_by", "created_at",
                       "updated_at")
    autocomplete_fields = ("enterprise",)
    filter_horizontal = ("co_owners",)
    inlines = [StageChangeInline]


class OpinionInline(admin.TabularInline):
    model = Opinion
    extra = 0
    can_delete = False
    fields = ("version", "outcome", "reason", "reviewer", "submitted_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReviewRound)
class ReviewRoundAdmin(RecordAdmin):
    list_display = ("project", "number", "opened_by", "opened_at", "superseded_at")
    list_select_related = ("project", "opened_by")


@admin.register(ReviewRequest)
class ReviewRequestAdmin(RecordAdmin):
    """Requests and their opinions are shown, never edited: they are the bureaus' record."""

    list_display = ("round", "bureau", "status", "due_on", "outcome", "answered_at")
    list_filter = ("status", "bureau")
    list_select_related = ("round__project", "bureau")
    inlines = [OpinionInline]


@admin.register(Condition)
class ConditionAdmin(RecordAdmin):
    list_display = ("text", "project", "blocks_stage", "due_on", "status", "owner")
    list_filter = ("status", "blocks_stage")
    list_select_related = ("project", "owner")


@admin.register(Milestone)
class MilestoneAdmin(RecordAdmin):
    list_display = ("project", "kind", "date", "contract_amount_wan", "credit_code")
    list_filter = ("kind",)
    list_select_related = ("project",)


@admin.register(CapitalInPlace)
class CapitalInPlaceAdmin(RecordAdmin):
    list_display = ("project", "date", "kind", "amount_wan", "amount_usd_wan", "usd_cny_rate", "cny_equivalent_wan")
    list_filter = ("kind",)
    list_select_related = ("project",)


@admin.register(TalentRequest)
class TalentRequestAdmin(RecordAdmin):
    list_display = ("project", "kind", "people", "status", "answered_at")
    list_filter = ("kind", "status")
    list_select_related = ("project",)
