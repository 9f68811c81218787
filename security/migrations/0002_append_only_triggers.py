"""The audit tables refuse UPDATE and DELETE in the database itself, on PostgreSQL.

The only DELETE allowed is the archive's: a live entry older than 180 days (the legal minimum, whatever the
setting says) whose identical copy, same number and same hash, is already in the archive table. The archive
table refuses every UPDATE and DELETE. SQLite has no such trigger: there the application's guards
(security.models.AppendOnlyQuerySet) are the protection, and docs/security.md says so.
"""

from django.db import migrations

CREATE = ["""
CREATE OR REPLACE FUNCTION security_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'security_auditentry'
       AND OLD.occurred_at < now() - interval '180 days'
       AND EXISTS (SELECT 1 FROM security_auditarchiveentry a
                   WHERE a.seq = OLD.seq AND a.entry_hash = OLD.entry_hash) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the security audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
""", """
CREATE TRIGGER security_auditentry_append_only
    BEFORE UPDATE OR DELETE ON security_auditentry
    FOR EACH ROW EXECUTE FUNCTION security_audit_append_only()
""", """
CREATE TRIGGER security_auditarchiveentry_append_only
    BEFORE UPDATE OR DELETE ON security_auditarchiveentry
    FOR EACH ROW EXECUTE FUNCTION security_audit_append_only()
"""]

DROP = [
    "DROP TRIGGER IF EXISTS security_auditentry_append_only ON security_auditentry",
    "DROP TRIGGER IF EXISTS security_auditarchiveentry_append_only ON security_auditarchiveentry",
    "DROP FUNCTION IF EXISTS security_audit_append_only()",
]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)  # no parameters: "%" in the message is literal


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


def create_chain_head(apps, schema_editor):
    apps.get_model("security", "AuditChainHead").objects.get_or_create(pk=1, defaults={"last_hash": "0" * 64})


class Migration(migrations.Migration):

    dependencies = [("security", "0001_audit_log_and_account_security")]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.RunPython(create_chain_head, migrations.RunPython.noop),
    ]
