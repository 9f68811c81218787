from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from security.triggers import sqlite_audit_triggers_lifted


class Command(flush.Command):
    help = (flush.Command.help + " The audit log is emptied too: on SQLite its append-only triggers are lifted "
            "for the flush and put back after it (PostgreSQL's TRUNCATE does not fire them).")

    def handle(self, **options):
        with sqlite_audit_triggers_lifted(connections[options.get("database") or DEFAULT_DB_ALIAS]):
            return super().handle(**options)
