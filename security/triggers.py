"""The database's own refusal to change the audit tables (migrations 0002 on PostgreSQL, 0004 on SQLite), and
the one place it is lifted: emptying the whole database (`manage.py flush`, which the test runner also uses)."""

from contextlib import contextmanager

AUDIT_TABLES = ("security_auditentry", "security_auditarchiveentry")


@contextmanager
def sqlite_audit_triggers_lifted(connection):
    """Drop the SQLite triggers on the audit tables for the duration of the block, then put them back.

    Only for a whole-database flush: PostgreSQL empties tables with TRUNCATE, which row triggers do not see,
    while SQLite deletes row by row. On other databases this does nothing.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
                       AUDIT_TABLES)
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)
