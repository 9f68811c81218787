"""Back-office screens for API tokens: issue (the key is shown once) and revoke."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.api.tokens import api_token_issue, api_token_revoke
from crm.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "created_by", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    fields = ("user", "name", "expires_at")
    readonly_fields = ()
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ("user", "name", "expires_at") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False  # revoked tokens stay, so every past call can be traced to its token

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = api_token_issue(user=obj.user, name=obj.name, by=request.user, expires_at=obj.expires_at)
        obj.pk = token.pk
        messages.warning(request, _("API key for %(user)s (shown only now, copy it): %(key)s")
                         % {"user": obj.user, "key": key})

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)
        messages.success(request, _("%(n)d token(s) revoked.") % {"n": queryset.count()})
