"""The security audit log (append-only, hash-chained) and the account-security records behind the controls."""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.choices import Role
from security.chain import HASHED_FIELDS
from security.choices import AuditResult, SessionEndReason, audit_action_choices


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or delete an audit entry through the application."""


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses UPDATE and DELETE so that no code path (admin action, bulk edit, shell) rewrites the log."""

    def update(self, **kwargs):
        raise AuditLogImmutable("The security audit log is append-only.")

    def delete(self):
        raise AuditLogImmutable("The security audit log is append-only.")

    def _update(self, values):  # what Model.save uses to rewrite an existing row
        raise AuditLogImmutable("The security audit log is append-only.")


class AuditEntryBase(models.Model):
    """The fields of one audit entry, shared by the live log and its archive.

    `seq` numbers the chain without gaps; `entry_hash` covers the hashed fields and `prev_hash` (see
    security.chain), so an entry changed or removed anywhere is found by `manage.py audit_verify`.
    """

    seq = models.PositiveBigIntegerField(_("number"), primary_key=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    # No database constraint: an entry outlives anything it mentions, and the username is kept beside the id.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
        on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    ip_address = models.CharField(_("address"), max_length=45, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=audit_action_choices, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=AuditResult.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-seq"]

    def __str__(self):
        return f"#{self.seq} {self.get_action_display()} {self.actor_username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("The security audit log is append-only.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("The security audit log is append-only.")

    @property
    def actor_role_label(self) -> str:
        """The actor's role as people read it (the code is what the entry stores and hashes)."""
        return Role(self.actor_role).label if self.actor_role in Role.values else self.actor_role

    @property
    def detail_text(self) -> str:
        """The detail as compact JSON for the list (Chinese kept readable)."""
        return json.dumps(self.detail, ensure_ascii=False, sort_keys=True) if self.detail else ""

    def chain_fields(self) -> dict:
        """The values the hash covers, as security.chain expects them."""
        return {name: getattr(self, name) for name in (*HASHED_FIELDS, "prev_hash", "entry_hash")}


class AuditEntry(AuditEntryBase):
    """One security-relevant event: when, who, from where, what, on which object, and the result."""

    class Meta(AuditEntryBase.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("security audit log")
        indexes = [models.Index(fields=["actor_username", "-seq"]), models.Index(fields=["action", "-seq"])]


class AuditArchiveEntry(AuditEntryBase):
    """An audit entry moved out of the live log after the retention period, unchanged and still chained."""

    archived_at = models.DateTimeField(_("archived at"), auto_now_add=True)

    class Meta(AuditEntryBase.Meta):
        verbose_name = _("archived audit entry")
        verbose_name_plural = _("audit archive")


class AuditChainHead(models.Model):
    """The last sequence number and hash of the chain: one row, locked while an entry is appended.

    Locking this row (SELECT ... FOR UPDATE) serialises appends, so concurrent requests cannot both
    chain onto the same previous entry.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_single_row")]

    def __str__(self):
        return f"#{self.last_seq} {self.last_hash[:12]}"


class PasswordState(models.Model):
    """When an account's password was last set: the start of its expiry period."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="password_state")
    changed_at = models.DateTimeField(_("password changed at"))
    # Set when someone other than the account's holder set the password (an administrator in the back office):
    # the holder must choose a new one at the next login, so nobody keeps a password another person knows.
    must_change = models.BooleanField(_("must be changed at the next login"), default=False)

    class Meta:
        verbose_name = _("password state")
        verbose_name_plural = _("password states")

    def __str__(self):
        return f"{self.user_id} {self.changed_at:%Y-%m-%d}"


class PasswordHistory(models.Model):
    """A former password hash of an account, so the last few passwords cannot be chosen again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class SessionRecord(models.Model):
    """A login session of an account, so a new login can end the older one and tell its browser why."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The session table holds the same key in clear; we need it to end that session.
    session_key = models.CharField(max_length=40, unique=True)
    ip_address = models.CharField(max_length=45, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=SessionEndReason.choices, blank=True)

    class Meta:
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self):
        return f"{self.user_id} {self.started_at:%Y-%m-%d %H:%M}"
