"""Pages of the security controls: login, second factor, password change, the security administrator's
account roles and the audit administrator's log."""

import csv
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from crm import access
from crm.api import tokens
from crm.choices import Role
from crm.lib.exports import neutralise
from crm.lib.pagination import list_page
from crm.models import User
from crm.navigation import home_url_for
from security import audit, selectors, services
from security.choices import AuditAction, AuditResult
from security.forms import ApiTokenForm, AuditFilterForm, RoleForm, TokenForm

AUDIT_EXPORT_LIMIT = 50_000


class LoginView(auth_views.LoginView):
    """Username and password (django-axes counts failures); the second factor and an expired password are
    asked for next, by security.middleware, before any other page opens."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True


def _next_url(request) -> str:
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return home_url_for(request.user)


# --- the user's own account -----------------------------------------------------------------------------

@login_required
def account_security(request):
    """The user's own security: password age, second factor, recovery codes left."""
    user = request.user
    return render(request, "security/account_security.html", {
        "password_expires_at": services.password_expires_at(user=user),
        "device": services.otp_confirmed_device(user=user),
        "otp_required": services.otp_required(user),
        "recovery_codes_left": services.otp_recovery_codes_left(user=user),
        "verified": DEVICE_ID_SESSION_KEY in request.session,
    })


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            update_session_auth_hash(request, user)
            expires = services.password_expires_at(user=user)
            request.session[services.SESSION_PASSWORD_EXPIRES] = int(expires.timestamp()) if expires else None
            messages.success(request, _("Your password was changed."))
            return redirect("security:account_security")
        reasons = sorted({error.code or "invalid" for errors in form.errors.as_data().values() for error in errors})
        audit.record(action=AuditAction.PASSWORD_REFUSED, result=AuditResult.FAILURE, target=request.user,
                     detail={"reasons": reasons})
    return render(request, "security/password_change.html", {"form": form})


def _qr_svg(url: str) -> str:
    # segno draws the QR code as inline SVG here: the secret never leaves the server for an external service.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#1f2d3d"))


def _grouped_secret(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i: i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """Add an authenticator app: scan the QR code, type the first code, receive the recovery codes once."""
    user = request.user
    if services.otp_confirmed_device(user=user) is not None:
        return redirect("security:otp_verify")  # a second enrolment needs a reset by the security administrator
    device = services.otp_enrolment_device(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.otp_confirm(user=user, device=device, token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", exc)
            audit.record(action=AuditAction.OTP_FAILED, result=AuditResult.FAILURE, target=user,
                         detail={"step": "enrol"})
        else:
            otp_login(request, device)
            return render(request, "security/otp_recovery_codes.html", {"codes": codes, "next": _next_url(request)})
    return render(request, "security/otp_enrol.html", {
        "form": form, "qr_svg": _qr_svg(device.config_url), "secret": _grouped_secret(device),
        "next": _next_url(request),
    })


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of a login: a code from the authenticator app or a recovery code."""
    user = request.user
    if DEVICE_ID_SESSION_KEY in request.session:
        return redirect(_next_url(request))
    if services.otp_confirmed_device(user=user) is None:
        return redirect("security:otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.otp_match(user=user, token=form.cleaned_data["token"])
        if device is None:
            form.add_error("token", _("The code is wrong or has expired. Enter the code your app shows now."))
            audit.record(action=AuditAction.OTP_FAILED, result=AuditResult.FAILURE, target=user,
                         detail={"step": "login"})
        else:
            otp_login(request, device)
            method = "recovery_code" if isinstance(device, StaticDevice) else "authenticator"
            audit.record(action=AuditAction.OTP_VERIFIED, target=user, detail={"method": method})
            if method == "recovery_code":
                messages.warning(request, _("You used a recovery code; %(n)s are left.") % {
                    "n": services.otp_recovery_codes_left(user=user)})
            return redirect(_next_url(request))
    return render(request, "security/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_POST
def otp_recovery_codes(request):
    """New recovery codes (the old ones stop working), only in a session that passed the second factor."""
    if DEVICE_ID_SESSION_KEY not in request.session or services.otp_confirmed_device(user=request.user) is None:
        raise PermissionDenied
    codes = services.otp_recovery_codes_issue(user=request.user)
    return render(request, "security/otp_recovery_codes.html", {
        "codes": codes, "next": reverse("security:account_security"),
    })


# --- the user's own API tokens ("我的接口令牌") ------------------------------------------------------------

def _second_factor_gate(request):
    """Credentials are made only in a session that passed the second factor, whatever the role: a redirect to
    the code (or to setting up the authenticator first) and back here, or None when the session passed it."""
    if DEVICE_ID_SESSION_KEY in request.session:
        return None
    has_device = services.otp_confirmed_device(user=request.user) is not None
    url = reverse("security:otp_verify" if has_device else "security:otp_enrol")
    back = request.get_full_path() if request.method == "GET" else reverse("security:api_token_list")
    return redirect(f"{url}?{urlencode({REDIRECT_FIELD_NAME: back})}")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_token_list(request):
    """The person's own API tokens: make one (the key is shown once, on the answer to the POST), see, revoke."""
    gate = _second_factor_gate(request)
    if gate is not None:
        return gate
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = tokens.api_token_issue(user=request.user, by=request.user, name=form.cleaned_data["name"],
                                         expires_at=form.expires_at())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return render(request, "security/api_token_created.html", {"token": token, "key": key})
    return render(request, "security/api_token_list.html", {
        "form": form, "tokens": selectors.api_tokens_of(user=request.user), "now": timezone.now(),
    })


@login_required
@require_POST
def api_token_revoke(request, pk):
    gate = _second_factor_gate(request)
    if gate is not None:
        return gate
    token = get_object_or_404(selectors.api_tokens_of(user=request.user), pk=pk)
    tokens.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked; its next call will be refused.") % {
        "name": token.name})
    return redirect("security:api_token_list")


# --- the security administrator -------------------------------------------------------------------------

def _require_security_admin(user):
    if not access.can_assign_role(user):
        raise Http404


@login_required
def account_list(request):
    _require_security_admin(request.user)
    role = request.GET.get("role", "")
    qs = selectors.accounts_for_role_management(user=request.user, role=role if role in Role.values else "")
    return render(request, "security/account_list.html", {
        "page": list_page(request, qs), "roles": Role.choices, "role": role,
    })


def _account_for_security_admin(request, pk) -> User:
    _require_security_admin(request.user)
    account = get_object_or_404(User.objects.select_related("bureau"), pk=pk)
    if not access.can_assign_role(request.user, account):
        raise PermissionDenied
    return account


@login_required
@require_http_methods(["GET", "POST"])
def account_role(request, pk):
    account = _account_for_security_admin(request, pk)
    form = RoleForm(request.POST or None, initial={"role": account.role, "bureau": account.bureau})
    if request.method == "POST" and form.is_valid():
        try:
            services.account_set_role(actor=request.user, user=account, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The role of %(name)s is now “%(role)s”; their sessions were ended.") % {
                "name": account.display_name, "role": account.get_role_display()})
            return redirect("security:account_list")
    return render(request, "security/account_role_form.html", {"form": form, "account": account})


@login_required
@require_POST
def account_otp_reset(request, pk):
    account = _account_for_security_admin(request, pk)
    services.account_reset_otp(actor=request.user, user=account)
    messages.success(request, _("The second factor of %(name)s was removed; they enrol again at their next "
                                "login.") % {"name": account.display_name})
    return redirect("security:account_list")


@login_required
@require_POST
def account_unlock(request, pk):
    account = _account_for_security_admin(request, pk)
    services.account_unlock(actor=request.user, user=account)
    messages.success(request, _("%(name)s may log in again.") % {"name": account.display_name})
    return redirect("security:account_list")


@login_required
def account_token_list(request):
    """Every API token, with its owner: the security administrator revokes any of them (and makes none)."""
    _require_security_admin(request.user)
    return render(request, "security/account_token_list.html", {
        "page": list_page(request, selectors.api_tokens_for_security_admin(user=request.user)),
        "now": timezone.now(),
    })


@login_required
@require_POST
def account_token_revoke(request, pk):
    _require_security_admin(request.user)
    token = get_object_or_404(selectors.api_tokens_for_security_admin(user=request.user), pk=pk)
    tokens.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” of %(owner)s was revoked.") % {
        "name": token.name, "owner": token.user.display_name})
    return redirect("security:account_token_list")


# --- the audit administrator ----------------------------------------------------------------------------

def _audit_filters(request):
    if not access.can_read_audit_log(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, selectors.audit_entries(user=request.user, filters=filters)


@login_required
def audit_list(request):
    """The security audit log, newest first; reading it is itself recorded."""
    form, qs = _audit_filters(request)
    page = list_page(request, qs)
    params = request.GET.copy()
    params.pop("page", None)
    audit.record(action=AuditAction.AUDIT_VIEWED, detail={"query": params.urlencode()[:300]})
    return render(request, "security/audit_entry_list.html", {
        "form": form, "page": page, "head": selectors.audit_chain_head(),
        "retention_days": settings.CRM_AUDIT_RETENTION_DAYS,
    })


AUDIT_EXPORT_COLUMNS = ("seq", "occurred_at", "actor_username", "actor_role", "ip_address", "action",
                        "target_type", "target_id", "target_label", "result", "path", "entry_hash")


@login_required
@audit.audited_download(AuditAction.EXPORT, what="security audit log")
def audit_export(request):
    """The filtered log as CSV (at most AUDIT_EXPORT_LIMIT rows) for the assessor's working papers."""
    _form, qs = _audit_filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="security-audit-{stamp}.csv"'
    response.write("\ufeff")  # Excel and WPS read UTF-8 only with a byte-order mark
    writer = csv.writer(response)
    writer.writerow(AUDIT_EXPORT_COLUMNS)
    for row in qs.values_list(*AUDIT_EXPORT_COLUMNS)[:AUDIT_EXPORT_LIMIT]:
        writer.writerow([_csv_cell(value) for value in row])
    return response


def _csv_cell(value):
    """Times in local time; text that a spreadsheet would run as a formula (a forged username "=cmd|...")
    goes through the exports' formula guard and is written as text."""
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).isoformat(sep=" ", timespec="seconds")
    return neutralise(value)


@login_required
@require_POST
def audit_verify(request):
    """Check the whole hash chain now and say whether it holds, naming the first broken entry if not."""
    if not access.can_read_audit_log(request.user):
        raise Http404
    report = audit.verify_chain()
    if report.broken:
        messages.error(request, _("The audit chain is broken. %(where)s") % {
            "where": audit.describe_break(report.broken)})
    else:
        messages.success(request, _("The audit chain holds: %(n)s entries checked, the last is number %(seq)s.") % {
            "n": report.checked, "seq": report.last_seq})
    audit.record(action=AuditAction.AUDIT_VERIFIED,
                 result=AuditResult.FAILURE if report.broken else AuditResult.SUCCESS,
                 detail={"checked": report.checked, "broken_at": report.broken.seq if report.broken else None})
    return redirect("security:audit_list")
