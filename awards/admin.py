"""The back office: administrators keep award policies here (the document is checked clause by clause);
applications and facts are shown read-only, since their changes go through the workflow pages."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from awards import services
from awards.forms import AwardPolicyAdminForm
from awards.models import AwardApplication, AwardFact, AwardPolicy
from crm.back_office import RecordAdmin, SettingAdmin

METADATA = ("key", "version", "title", "document_number", "issuer", "effective_from", "effective_to", "applies_to",
            "source", "is_current", "created_by", "export_links")


@admin.register(AwardPolicy)
class AwardPolicyAdmin(SettingAdmin):
    form = AwardPolicyAdminForm
    list_display = ("title", "version", "document_number", "effective_from", "effective_to", "is_current",
                    "public_notice_days")
    list_filter = ("is_current", "applies_to")
    search_fields = ("key", "title", "document_number", "issuer")

    def get_fields(self, request, obj=None):
        return ("document", "public_notice_days") if obj is None else (*METADATA, "document", "public_notice_days")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else METADATA

    def has_change_permission(self, request, obj=None):
        # Old versions are the record of what earlier awards were computed on: shown, never edited.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_current)

    @admin.display(description=_("export"))
    def export_links(self, obj):
        url = reverse("awards:policy_export", args=[obj.pk])
        return format_html('<a href="{}">YAML</a> · <a href="{}?format=json">JSON</a>', url, url)

    def save_model(self, request, obj, form, change):
        # The service decides between a change in place and a new version; the form has validated the text.
        data = form.cleaned_data
        if change:
            saved = services.award_policy_update(policy=obj, text=data["document"], by=request.user,
                                                 public_notice_days=data["public_notice_days"])
        else:
            saved = services.award_policy_import(text=data["document"], by=request.user,
                                                 public_notice_days=data["public_notice_days"])
        form.instance = saved.policy
        obj.pk, obj._saved = saved.policy.pk, saved

    def response_change(self, request, obj):
        saved = getattr(obj, "_saved", None)
        if saved is not None and saved.action == "new_version":
            messages.warning(request, _("An approved award refers to the version you edited, so your change was "
                                        "saved as version %(version)s.") % {"version": saved.policy.version})
            return HttpResponseRedirect(reverse("admin:awards_awardpolicy_change", args=[saved.policy.pk]))
        return super().response_change(request, obj)

    def save_related(self, request, form, formsets, change):
        """No related objects: the policy's clauses live in its document."""


@admin.register(AwardApplication)
class AwardApplicationAdmin(RecordAdmin):
    list_display = ("__str__", "project", "policy", "beneficiary", "status", "total", "created_at")
    list_filter = ("status", "beneficiary", "policy")
    search_fields = ("project__name", "project__code")


@admin.register(AwardFact)
class AwardFactAdmin(RecordAdmin):
    list_display = ("project", "name", "year", "amount", "unit", "flag", "source", "as_of", "entered_by")
    list_filter = ("name",)
    search_fields = ("project__name", "project__code", "source")
