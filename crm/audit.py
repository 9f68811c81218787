"""The door through which the business apps write to the security audit log.

The audit log lives in `security`, at the top of the layers; the pipeline and the awards sit below it and do
not import it. They call `record` here, and `security` installs the writer when it starts
(`SecurityConfig.ready`), so each entry is written in the same transaction as the change it records.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# The business events the audit log records (security.choices.AuditAction uses the same codes).
OPINION_CHANGED = "opinion_changed"
AWARD_CHANGED = "award_changed"
# API credentials and what is done with them (crm/api): a token made or revoked, a write made with a token.
API_TOKEN_CREATED = "api_token_created"
API_TOKEN_REVOKED = "api_token_revoked"
API_WRITE = "api_write"

_writer: Callable[..., Any] | None = None


def install(writer: Callable[..., Any]) -> None:
    """Called once by the security app: every later `record` call goes to `writer`."""
    global _writer
    _writer = writer


def record(*, action: str, target: Any, actor: Any, detail: dict, result: str = "success") -> None:
    """Append a business event to the security audit log (`result`: "success", "failure" or "denied")."""
    if _writer is None:
        raise ImproperlyConfigured("The security app is not installed: business events cannot be audited.")
    _writer(action=action, target=target, actor=actor, detail=detail, result=result)
