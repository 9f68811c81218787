"""Issuing, checking and revoking API tokens (only hashes are stored)."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from crm.models import ApiToken, User


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, name: str, by: User | None, expires_at=None) -> tuple[ApiToken, str]:
    """Create a token and return it with the clear key, which is never stored and cannot be shown again."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:8], key_hash=_hash(key), created_by=by,
                                    expires_at=expires_at)
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
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
