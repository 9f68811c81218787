"""Audit entries for tests, written through the one real entrance so the chain is genuine, and tampering with
them as someone with full database rights would."""

from contextlib import contextmanager

from django.db import connection

from security import audit
from security.choices import AuditAction, AuditResult
from security.triggers import sqlite_audit_triggers_lifted


def audit_entries(count: int, *, action=AuditAction.EXPORT, actor=None, result=AuditResult.SUCCESS):
    return [audit.record(action=action, actor=actor, target_label=f"export {i}", result=result,
                         detail={"rows": i}) for i in range(count)]


@contextmanager
def triggers_off():
    """Tamper as a database owner would: with the append-only triggers switched off (PostgreSQL) or dropped
    for the moment (SQLite)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
    else:
        with sqlite_audit_triggers_lifted(connection):
            yield


def tamper(sql, params=()):
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)
