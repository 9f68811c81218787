from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from crm import services
from crm.back_office import ReadOnlyAdmin, RecordAdmin, SettingAdmin
from crm.models import (
    Bureau,
    CalendarDay,
    Contact,
    Enterprise,
    Industry,
    KeyIndustry,
    Notification,
    User,
    VerifiedCreditCode,
)
from crm.personal_data import PersonalDataAdminMixin

admin.site.site_header = _("Jiyang investment promotion CRM — back office")
admin.site.site_title = _("Back office")
admin.site.index_title = _("Administration")


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "full_name", "role", "bureau", "is_active", "last_login")
    list_filter = ("role", "bureau", "is_active")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "phone")}),
        (_("Role"), {"fields": ("role", "bureau", "is_active")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")}),
    )
    # 三员分立: the system administrator keeps accounts but cannot give roles or move a person to another bureau
    # (which changes what a partner reviewer sees); new accounts start as officers and the security administrator
    # gives roles with their bureau on their own page (security:account_role), which ends the person's sessions.
    readonly_fields = ("last_login", "date_joined", "role", "bureau")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting an account to an earlier version would bring back its earlier role and bureau.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # One role, one group: the group carries the role's permissions.
        user = form.instance
        services.user_set_role(user=user, role=user.role, bureau=user.bureau)


@admin.register(Bureau)
class BureauAdmin(SettingAdmin):
    list_display = ("name", "short_name", "kind", "reviews_by_default", "reviews_only_with_land",
                    "review_due_working_days", "is_active", "sort_order")
    list_editable = ("sort_order",)
    list_filter = ("kind", "is_active")


@admin.register(Industry)
class IndustryAdmin(SettingAdmin):
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")


@admin.register(KeyIndustry)
class KeyIndustryAdmin(SettingAdmin):
    list_display = ("name", "code", "sort_order")


class ContactInline(PersonalDataAdminMixin, admin.TabularInline):
    # Minimum necessary: roles that do not call investors see the numbers masked and read-only.
    model = Contact
    extra = 0
    fields = ("name", "title", "mobile", "phone", "email", "is_primary")


@admin.register(Enterprise)
class EnterpriseAdmin(RecordAdmin):
    list_display = ("name", "credit_code", "kind", "industry", "origin_province", "origin_country")
    list_filter = ("kind", "industry", "key_industries")
    search_fields = ("name", "credit_code")
    inlines = [ContactInline]
    readonly_fields = ("version", "created_by", "created_at", "updated_at")
    filter_horizontal = ("key_industries",)


@admin.register(VerifiedCreditCode)
class VerifiedCreditCodeAdmin(SettingAdmin):
    list_display = ("code", "verified_by", "verified_at", "reason")
    readonly_fields = ("verified_by", "verified_at")
    search_fields = ("code",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.verified_by = request.user  # who vouched for the code is recorded, never typed
        super().save_model(request, obj, form, change)


@admin.register(CalendarDay)
class CalendarDayAdmin(SettingAdmin):
    """Holidays and make-up working days for a year the calendar package does not know yet."""

    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "message", "created_at", "read_at")
    list_filter = ("read_at",)
    search_fields = ("message", "recipient__username")
    readonly_fields = ("recipient", "key", "message", "url", "created_at", "read_at")
