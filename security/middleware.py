"""Account-security checks on every request: idle timeout, second factor, password expiry, and the record of
every refusal (403, and 404/405 for logged-in users).

Everything an ordinary page needs is read from the session the request loads anyway, so the checks add no
query to a page; the idle clock is written back at most once a minute.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY

from security import audit, services
from security.choices import AuditAction, AuditResult, SessionEndReason

TOUCH_INTERVAL_SECONDS = 60
# Pages a logged-in user may reach before passing the second factor or replacing an expired password.
SECOND_FACTOR_PAGES = {"security:otp_verify", "security:otp_enrol", "logout", "set_language"}
EXPIRED_PASSWORD_PAGES = SECOND_FACTOR_PAGES | {"security:password_change"}


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.bind_request(request)
        try:
            response = self._check(request) or self.get_response(request)
            self._record_refusal(request, response)
            return response
        finally:
            audit.unbind_request(token)

    def _check(self, request):
        if request.path.startswith(settings.STATIC_URL):
            return None
        user = request.user
        if not user.is_authenticated:
            self._explain_ended_session(request)
            return None
        now = int(timezone.now().timestamp())
        if self._idle_too_long(request, now):
            return self._end_idle_session(request)
        if services.otp_required(user) and DEVICE_ID_SESSION_KEY not in request.session:
            if _url_name(request) not in SECOND_FACTOR_PAGES:
                return _second_factor_redirect(request)
        expires = request.session.get(services.SESSION_PASSWORD_EXPIRES)
        if expires is not None and now >= expires and _url_name(request) not in EXPIRED_PASSWORD_PAGES:
            messages.warning(request, _("Your password has expired. Choose a new one to continue."))
            return redirect(reverse("security:password_change"))
        return None

    def _idle_too_long(self, request, now: int) -> bool:
        idle_minutes = settings.CRM_SESSION_IDLE_MINUTES
        if not idle_minutes:
            return False
        last_seen = request.session.get(services.SESSION_LAST_SEEN)
        if last_seen is not None and now - last_seen > idle_minutes * 60:
            return True
        if last_seen is None or now - last_seen >= TOUCH_INTERVAL_SECONDS:
            request.session[services.SESSION_LAST_SEEN] = now
        return False

    def _end_idle_session(self, request):
        user = request.user
        services.session_end(session_key=request.session.session_key, reason=SessionEndReason.IDLE)
        audit.record(action=AuditAction.SESSION_TIMEOUT, actor=user,
                     detail={"idle_minutes": settings.CRM_SESSION_IDLE_MINUTES})
        # Not logout(): that would also record a logout the person never asked for.
        request.session.flush()
        request.user = AnonymousUser()
        messages.info(request, _("Your session ended after %(minutes)s minutes without activity. Please log in "
                                 "again.") % {"minutes": settings.CRM_SESSION_IDLE_MINUTES})
        return redirect_to_login(request.get_full_path() if request.method == "GET" else "/")

    def _explain_ended_session(self, request):
        """A browser whose session was ended by a login elsewhere is told so, once, on its next request."""
        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not cookie or request.session.session_key is not None:
            return
        if services.session_end_reason(session_key=cookie) == SessionEndReason.SUPERSEDED:
            messages.warning(request, _(
                "You were logged out because your account was logged in from another place. If that was "
                "not you, log in, change your password and tell the security administrator."))

    def _record_refusal(self, request, response):
        status = response.status_code
        user = getattr(request, "user", None)
        if status == 403 or (status in (404, 405) and user is not None and user.is_authenticated):
            audit.record(action=AuditAction.PERMISSION_DENIED, result=AuditResult.DENIED,
                         target_label=request.path, detail={"status": status, "method": request.method})


def _url_name(request) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def _second_factor_redirect(request):
    has_device = services.otp_confirmed_device(user=request.user) is not None
    url = reverse("security:otp_verify" if has_device else "security:otp_enrol")
    if request.method == "GET":
        url = f"{url}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
    return redirect(url)
