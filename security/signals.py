"""Receivers turning authentication and account events into audit entries and session bookkeeping.

The complete list (docs/security.md keeps it too):
- django.contrib.auth `user_logged_in`: register the session (ending the older one), start the idle clock,
  note when the password expires, record the login.
- `user_logged_out`: record the logout, mark the session ended.
- `user_login_failed`: record the failed login (refused when the account is locked).
- django-axes `user_locked_out`: record the lockout.
- django-simple-history `post_create_historical_record` for accounts: record account creation, changes,
  role changes and deletions, with the changed field names; a new role or bureau ends the person's sessions.
- `post_save` of the admin's LogEntry: record a change made in the back office (settings).
- `post_delete` of every model of the product's apps (but history rows, link rows and the rows in
  DELETE_NOT_RECORDED): record what was deleted, whatever deleted it (a back-office delete or "delete selected",
  a page, the API, a service, a command); a cascade names the record it came from.
"""

from django.apps import apps
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from crm.models import User
from crm.roles import BACK_OFFICE_APPS
from security import audit, services
from security.choices import AuditAction, AuditResult, SessionEndReason

# Account fields whose old and new values are worth keeping in the log (others are named only: personal data).
WATCHED_ACCOUNT_FIELDS = ("role", "bureau", "is_active", "is_staff", "is_superuser", "username")
ADMIN_FLAGS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}
# Deletions not recorded as such: accounts (recorded as "account deleted" by their history) and rows a service
# rewrites whole with their parent, whose change is the parent's (an award's computed lines, a published month's
# restatements, a work plan's targets).
DELETE_NOT_RECORDED = frozenset({"crm.user", "awards.awardedline", "reports.restatement", "reports.target"})


def connect():
    user_logged_in.connect(on_login, dispatch_uid="security_login")
    user_logged_out.connect(on_logout, dispatch_uid="security_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="security_login_failed")
    from axes.signals import user_locked_out

    user_locked_out.connect(on_lockout, dispatch_uid="security_lockout")
    post_create_historical_record.connect(on_account_history, sender=User.history.model,
                                          dispatch_uid="security_account_history")
    post_save.connect(on_back_office_change, sender=LogEntry, dispatch_uid="security_back_office_change")
    # One receiver per model, not one for all: a model without receivers keeps Django's fast bulk delete.
    for model in deletions_recorded():
        post_delete.connect(on_record_deleted, sender=model, dispatch_uid=f"security_deleted_{model._meta.label}")


def deletions_recorded() -> list[type[models.Model]]:
    """The models whose every deleted row is an audit entry: the product's records (crm.roles.BACK_OFFICE_APPS)
    without their history rows, many-to-many link rows and DELETE_NOT_RECORDED."""
    return [model for model in apps.get_models()
            if model._meta.app_label in BACK_OFFICE_APPS and not model._meta.auto_created
            and not hasattr(model, "instance_type")  # django-simple-history's historical models
            and model._meta.label_lower not in DELETE_NOT_RECORDED]


def on_login(sender, request, user, **kwargs):
    meta = audit.meta_from_request(request)
    if request.session.session_key is None:
        request.session.save()
    ended = services.session_start(user=user, session_key=request.session.session_key,
                                   ip_address=meta.ip_address)
    for session in ended:
        audit.record(action=AuditAction.SESSION_SUPERSEDED, actor=user, target=user, request_meta=meta,
                     detail={"ended_session_address": session.ip_address})
    request.session[services.SESSION_LAST_SEEN] = int(timezone.now().timestamp())
    expires = services.password_expires_at(user=user)
    if expires is None:
        request.session.pop(services.SESSION_PASSWORD_EXPIRES, None)
    else:
        request.session[services.SESSION_PASSWORD_EXPIRES] = int(expires.timestamp())
    audit.record(action=AuditAction.LOGIN, actor=user, request_meta=meta,
                 detail={"second_factor_required": services.otp_required(user)})
    if expires is not None and expires <= timezone.now():
        audit.record(action=AuditAction.PASSWORD_EXPIRED, actor=user, target=user, request_meta=meta,
                     result=AuditResult.DENIED)


def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    if request.session.session_key:
        services.session_end(session_key=request.session.session_key, reason=SessionEndReason.LOGOUT)
    audit.record(action=AuditAction.LOGOUT, actor=user, request_meta=audit.meta_from_request(request))


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    locked = bool(getattr(request, "axes_locked_out", False))
    audit.record(
        action=AuditAction.LOGIN_FAILED, actor=None, actor_username=username, target_label=username,
        result=AuditResult.DENIED if locked else AuditResult.FAILURE,
        request_meta=audit.meta_from_request(request) if request is not None else None,
        detail={"locked": True} if locked else {},
    )


def on_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    audit.record(
        action=AuditAction.LOCKOUT, actor=None, actor_username=username or "", target_label=username or "",
        result=AuditResult.DENIED,
        request_meta=audit.meta_from_request(request) if request is not None else None,
    )


def on_account_history(sender, instance, history_instance, **kwargs):
    """Every saved change to an account; saves that change nothing recorded (a login) are skipped."""
    kind = history_instance.history_type
    if kind == "+":
        audit.record(action=AuditAction.USER_CREATED, target=instance,
                     detail={"role": instance.role, "is_active": instance.is_active})
        return
    if kind == "-":
        audit.record(action=AuditAction.USER_DELETED, target=instance)
        return
    previous = history_instance.prev_record
    if previous is None:
        return
    changes = history_instance.diff_against(previous).changes
    if not changes:
        return
    detail = {"changed": sorted(change.field for change in changes)}
    for change in changes:
        if change.field in WATCHED_ACCOUNT_FIELDS:
            detail[change.field] = {"from": change.old, "to": change.new}
    # A new bureau changes what a partner reviewer sees as much as a new role does: both are recorded as a role
    # change and end the person's sessions, whatever made the change, so the new powers apply from the next login.
    powers_changed = "role" in detail or "bureau" in detail
    action = AuditAction.ROLE_CHANGED if powers_changed else AuditAction.USER_CHANGED
    audit.record(action=action, target=instance, detail=detail)
    if powers_changed:
        with transaction.atomic():
            services.sessions_end(user=instance, reason=SessionEndReason.ACCOUNT_CHANGED)


def on_record_deleted(sender, instance, origin=None, **kwargs):
    """A record deleted, by anyone through anything; the actor is the account of the request being handled."""
    label = sender._meta.label_lower
    detail = {"model": label, "object_id": str(instance.pk)}
    if isinstance(origin, models.QuerySet):
        detail["bulk"] = True
    elif isinstance(origin, models.Model) and origin is not instance:
        detail["cascade_from"] = f"{origin._meta.label_lower} {origin.pk}"
    try:
        name = str(instance)
    except Exception:  # a name built from a row deleted before this one in the same cascade
        name = f"{label} {instance.pk}"
    audit.record(action=AuditAction.RECORD_DELETED, target=instance, target_label=name, detail=detail)


def on_back_office_change(sender, instance, created, **kwargs):
    """A record added, changed or deleted in the back office (account changes are recorded above)."""
    if not created or instance.content_type is None:
        return
    model = f"{instance.content_type.app_label}.{instance.content_type.model}"
    if model == User._meta.label_lower:
        return
    audit.record(
        action=AuditAction.SETTINGS_CHANGED, actor=instance.user, target_label=f"{model} {instance.object_repr}",
        detail={"model": model, "object_id": instance.object_id or "", "operation": ADMIN_FLAGS.get(
            instance.action_flag, ""), "message": instance.get_change_message()[:300]},
    )
