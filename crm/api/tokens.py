"""Making, checking and revoking API tokens (only hashes are stored).

A person makes their own tokens, after their second factor (security's "my API tokens" page); nobody makes
one for another account. The owner or the security administrator revokes them. Making and revoking are
recorded in the security audit log through crm.audit, and so is every write made with a token (crm.api.base).
"""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm import access, audit
from crm.models import ApiToken, User


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, name: str, by: User | None, expires_at=None) -> tuple[ApiToken, str]:
    """Make a token for `user` and return it with the clear key, which is never stored and cannot be shown again.

    `by` must be `user`: nobody makes a credential for another account (None is the system, e.g. a test fixture).
    """
    if by is not None and by.pk != user.pk:
        raise PermissionDenied(_("An API token can only be made by its owner."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the token after the system that will use it.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:8], key_hash=_hash(key), created_by=by,
                                    expires_at=expires_at)
    audit.record(action=audit.API_TOKEN_CREATED, target=token, actor=by,
                 detail={"token": token.name, "expires_at": expires_at.isoformat() if expires_at else None})
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User | None = None) -> ApiToken:
    """Revoke a token (its owner or the security administrator); the row stays so past calls can be traced."""
    if by is not None and not access.can_revoke_api_token(by, token):
        raise PermissionDenied
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(action=audit.API_TOKEN_REVOKED, target=token, actor=by,
                     detail={"token": token.name, "owner": token.user.get_username()})
    return token


def api_token_check(key: str) -> ApiToken | None:
    """The live token for a key (not revoked, not expired, user active), or None."""
    token = ApiToken.objects.select_related("user", "user__bureau").filter(key_hash=_hash(key)).first()
    now = timezone.now()
    if token is None or token.revoked_at or (token.expires_at and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    # Record use at most once a minute: one UPDATE per request would make every API call write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
