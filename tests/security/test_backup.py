"""Backup and recovery (数据备份恢复): a backup restored into a fresh database holds every record, upload and
audit entry, and the audit chain verifies there, anchors included."""

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from leads.models import MeetingAttachment
from security import services
from security.backup import backup_create, backups_prune
from security.models import AuditEntry
from tests.leads.factories import LeadFactory, MeetingLogFactory
from tests.security.factories import audit_entries

ROOT = Path(__file__).resolve().parents[2]


def _tables():
    """Every table the product's models keep (with its key column), plus Django's record of migrations."""
    tables = {model._meta.db_table: model._meta.pk.column for model in apps.get_models()
              if model._meta.managed and not model._meta.proxy}
    return {**tables, "django_migrations": "id"}


def _keys(cursor, table, column):
    cursor.execute(f'SELECT "{column}" FROM "{table}"')
    return sorted(str(row[0]) for row in cursor.fetchall())


@pytest.fixture
def fresh_database(tmp_path):
    """A database nobody has used: a new SQLite file, or a new PostgreSQL database beside the test one.
    Yields its DATABASE_URL and a function opening a plain DB-API connection to it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "fresh.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("the PostgreSQL client programs (pg_dump, pg_restore) are not installed")
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    credentials = quote(params["USER"] or "") + (f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else "")
    url = f"postgres://{credentials}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{name}"
    yield url, lambda: psycopg.connect(dbname=name, user=params["USER"], password=params["PASSWORD"] or None,
                                       host=params["HOST"] or None, port=params["PORT"] or None)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_database_has_every_record_upload_and_audit_entry(
        officer, settings, tmp_path, fresh_database):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CRM_BACKUP_DIR = tmp_path / "backups"
    settings.CRM_AUDIT_ANCHOR_DIR = str(tmp_path / "anchors")
    LeadFactory.create_batch(3, owner=officer)
    meeting = MeetingLogFactory()
    attachment = MeetingAttachment.objects.create(
        meeting=meeting, file=ContentFile(b"%PDF-1.4 signed minutes", name="minutes.pdf"), original_name="纪要.pdf",
        size=23, token="a" * 32, extension=".pdf")
    audit_entries(3, actor=officer)
    services.audit_chain_anchor(today=timezone.localdate())

    backup = backup_create()
    assert backup.parent == tmp_path / "backups" and (backup / "manifest.json").is_file()

    url, connect = fresh_database
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DATABASE_URL")}
    env.update(DEBUG="True", DATABASE_URL=url, MEDIA_ROOT=str(tmp_path / "restored-media"),
               CRM_AUDIT_ANCHOR_DIR=str(tmp_path / "anchors"))
    restored = _manage("restore", str(backup), "--yes", env=env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    verified = _manage("audit_verify", env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "1 anchors matched" in verified.stdout

    fresh = connect()
    try:
        with connection.cursor() as source:
            fresh_cursor = fresh.cursor()
            for table, column in _tables().items():
                assert _keys(fresh_cursor, table, column) == _keys(source, table, column), table
            fresh_cursor.execute("SELECT seq, entry_hash FROM security_auditentry ORDER BY seq")
            assert [tuple(row) for row in fresh_cursor.fetchall()] == list(
                AuditEntry.objects.order_by("seq").values_list("seq", "entry_hash"))
    finally:
        fresh.close()
    upload = tmp_path / "restored-media" / attachment.file.name
    assert upload.read_bytes() == b"%PDF-1.4 signed minutes"


def test_backups_older_than_the_kept_days_are_removed_and_the_newest_is_always_kept(tmp_path):
    for name in ("2026-10-01-032000", "2026-11-01-032000", "2026-11-20-032000", "2026-12-01-032000",
                 "2026-12-02-032000.partial", "notes"):
        (tmp_path / name).mkdir()
    removed = backups_prune(directory=tmp_path, keep_days=30, today=date(2026, 12, 2))
    assert sorted(p.name for p in removed) == ["2026-10-01-032000", "2026-11-01-032000"]  # before 11-02
    backups_prune(directory=tmp_path, keep_days=0, today=date(2027, 6, 1))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-12-01-032000", "2026-12-02-032000.partial", "notes"]


@pytest.mark.django_db
def test_a_backup_is_refused_inside_a_transaction_rather_than_waiting_for_ever(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with pytest.raises(CommandError, match="inside a database transaction"):
        call_command("backup", "--dir", str(tmp_path))


def test_the_compose_backup_service_dumps_nightly_into_a_volume_only_it_mounts():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services_ = compose["services"]
    backup = services_["backup"]
    mounts = [volume.split(":")[0] for volume in backup["volumes"]]
    assert "backups" in mounts and "backups" in compose["volumes"]
    for name in set(services_) - {"backup"}:
        assert all(not str(volume).startswith("backups:") for volume in services_[name].get("volumes", []))
    assert "pg_dump" in (ROOT / "deploy" / "backup.sh").read_text()
