"""Back office for the pipeline: thresholds and areas are edited here; the pipeline's own records are shown.

The stage is read-only and there is no stage action: projects move only on their pages, through
services.project_change_stage, so the back office can never sign a project past the signing guard.
Opinions, requests, milestones and capital records are read-only here (they are the record of what happened
and carry cross-row rules the services check)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


class RecordAdmin(SimpleHistoryAdmin):
    """A record written by the pipeline's services: the back office reads it and its history."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    search_fields = ("name",)


@admin.register(EntryThreshold)
class EntryThresholdAdmin(SimpleHistoryAdmin):
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
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "enterprise", "industry", "stage", "owner", "is_key_project")
    list_filter = ("stage", "industry", "is_key_project")
    search_fields = ("code", "name", "enterprise__name")
    list_select_related = ("enterprise", "industry", "owner")
    readonly_fields = ("code", "stage", "paused_from", "stage_changed_at", "version", "created_by", "created_at",
                       "updated_at")
    autocomplete_fields = ("enterprise",)
    filter_horizontal = ("co_owners",)
    inlines = [StageChangeInline]

    def has_add_permission(self, request):
        return False  # projects are opened on the project pages, which give them a code and a first stage

    def save_model(self, request, obj, form, change):
        # Pages still holding the older version will get a conflict instead of overwriting this edit.
        obj.version += 1
        super().save_model(request, obj, form, change)


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
