"""The audit tables refuse UPDATE and DELETE in the database itself on SQLite too, as 0002 does on PostgreSQL.

Without them the model's refusal (security.models.AppendOnlyQuerySet) is the only guard, and code that goes
around it (`AuditEntry._base_manager`, a plain QuerySet, raw SQL through the connection) rewrites the log.
The only DELETE allowed is the archive's: a live entry whose identical copy, same number and same hash, is
already in the archive table. The age rule (older than 180 days) stays in the application on SQLite: SQLite's
clock is the machine's, not the application's. The archive table refuses every UPDATE and DELETE.

Django rebuilds a SQLite table to alter most of its columns, which drops the table's triggers: a later
migration that alters these tables must create them again (tests/security/test_audit_log.py fails otherwise).
"""

from django.db import migrations

REFUSE = "SELECT RAISE(ABORT, 'the security audit log is append-only: {op} on {table} refused');"

CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS security_auditentry_no_update BEFORE UPDATE ON security_auditentry
    BEGIN {REFUSE.format(op="UPDATE", table="security_auditentry")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS security_auditentry_no_delete BEFORE DELETE ON security_auditentry
    WHEN NOT EXISTS (SELECT 1 FROM security_auditarchiveentry a
                     WHERE a.seq = OLD.seq AND a.entry_hash = OLD.entry_hash)
    BEGIN {REFUSE.format(op="DELETE", table="security_auditentry")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS security_auditarchiveentry_no_update BEFORE UPDATE ON security_auditarchiveentry
    BEGIN {REFUSE.format(op="UPDATE", table="security_auditarchiveentry")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS security_auditarchiveentry_no_delete BEFORE DELETE ON security_auditarchiveentry
    BEGIN {REFUSE.format(op="DELETE", table="security_auditarchiveentry")} END""",
]

DROP = [
    "DROP TRIGGER IF EXISTS security_auditentry_no_update",
    "DROP TRIGGER IF EXISTS security_auditentry_no_delete",
    "DROP TRIGGER IF EXISTS security_auditarchiveentry_no_update",
    "DROP TRIGGER IF EXISTS security_auditarchiveentry_no_delete",
]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [("security", "0003_audit_actions_from_code")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
