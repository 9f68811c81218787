"""Audit entries for tests, written through the one real entrance so the chain is genuine."""

from security import audit
from security.choices import AuditAction, AuditResult


def audit_entries(count: int, *, action=AuditAction.EXPORT, actor=None, result=AuditResult.SUCCESS):
    return [audit.record(action=action, actor=actor, target_label=f"export {i}", result=result,
                         detail={"rows": i}) for i in range(count)]
