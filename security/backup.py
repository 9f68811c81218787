"""Backups of the database and the uploaded files, and restoring them (数据备份恢复, docs/security.md).

A backup is one directory under CRM_BACKUP_DIR named by its local time (`2026-12-02-032000`), holding the
database (`database.sqlite3`, made with SQLite's online backup API, never a copy of a file in use; or
`database.dump`, pg_dump's custom format), the uploaded files (`media.tar.gz`) and `manifest.json` (what it
holds, the audit chain head at the time, a SHA-256 of each file). It is written under a `.partial` name and
renamed when complete, so a directory with a date for a name is a whole backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from security.models import AuditChainHead

NAME_FORMAT = "%Y-%m-%d-%H%M%S"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRESQL_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def backup_create(*, directory: Path | None = None, keep_days: int | None = None,
                  using: str = DEFAULT_DB_ALIAS) -> Path:
    """Back up the database and MEDIA_ROOT into a new dated directory; prune backups past `keep_days`."""
    connection = connections[using]
    if connection.in_atomic_block:
        # SQLite's backup waits for the source's write lock, which this very transaction holds, for ever.
        raise BackupError("A backup cannot be made inside a database transaction")
    base = Path(directory or settings.CRM_BACKUP_DIR)
    now = timezone.localtime()
    target = base / now.strftime(NAME_FORMAT)
    partial = base / f"{target.name}.partial"
    if target.exists():
        raise BackupError(f"{target} exists already")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    if connection.vendor == "sqlite":
        database = SQLITE_FILE
        connection.ensure_connection()
        copy = sqlite3.connect(partial / database)
        try:
            connection.connection.backup(copy)  # pages read through SQLite itself: consistent while in use
        finally:
            copy.close()
    elif connection.vendor == "postgresql":
        database = POSTGRESQL_FILE
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(partial / database)],
             connection.settings_dict)
    else:
        raise BackupError(f"No backup method for a {connection.vendor} database")
    media_files = _media_archive(Path(settings.MEDIA_ROOT), partial / MEDIA_FILE)
    head = AuditChainHead.objects.using(using).filter(pk=1).values("last_seq", "last_hash").first() or {}
    manifest = {
        "created_at": now.isoformat(),
        "engine": connection.vendor,
        "database": database,
        "media": MEDIA_FILE,
        "media_files": media_files,
        "audit_head": {"seq": head.get("last_seq", 0), "hash": head.get("last_hash", "")},
        "sha256": {name: _sha256(partial / name) for name in (database, MEDIA_FILE)},
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    partial.rename(target)
    backups_prune(directory=base, keep_days=keep_days, today=now.date())
    return target


def backups_prune(*, directory: Path, keep_days: int | None, today) -> list[Path]:
    """Remove backups older than `keep_days` days (CRM_BACKUP_KEEP_DAYS); the newest one is always kept."""
    keep_days = settings.CRM_BACKUP_KEEP_DAYS if keep_days is None else keep_days
    dated = sorted(path for path in directory.iterdir() if path.is_dir() and _backup_date(path))
    oldest_kept = today - timedelta(days=keep_days)
    removed = [path for path in dated[:-1] if _backup_date(path) < oldest_kept]
    for path in removed:
        shutil.rmtree(path)
    return removed


def backup_restore(*, source: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Restore a backup into the configured database and MEDIA_ROOT; return its manifest.

    The files are checked against the manifest first. The database is replaced whole: on SQLite through the
    online backup API, on PostgreSQL with pg_restore into the (preferably empty) database. Uploaded files are
    extracted over MEDIA_ROOT.
    """
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} is not a backup: {exc}") from exc
    for name, expected in manifest["sha256"].items():
        if not (source / name).is_file() or _sha256(source / name) != expected:
            raise BackupError(f"{source / name} is missing or damaged (its SHA-256 differs from the manifest)")
    connection = connections[using]
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"This backup is of a {manifest['engine']} database; the configured one is "
                          f"{connection.vendor}")
    database = source / manifest["database"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        backup = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
    else:
        _run(["pg_restore", "--no-owner", "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
              str(database)], connection.settings_dict, database_option=True)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / manifest["media"], "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    return manifest


def _media_archive(media_root: Path, path: Path) -> int:
    """Every regular file under MEDIA_ROOT into a gzipped tar, names relative to it; return how many."""
    count = 0
    with tarfile.open(path, "w:gz") as archive:
        if media_root.is_dir():
            for file in sorted(media_root.rglob("*")):
                if file.is_file() and not file.is_symlink():
                    archive.add(file, arcname=str(file.relative_to(media_root)), recursive=False)
                    count += 1
    return count


def _run(command: list[str], settings_dict: dict, *, database_option: bool = False) -> None:
    """Run a PostgreSQL client program against the configured database (connection details in its environment)."""
    env = dict(os.environ)
    for key, variable in (("NAME", "PGDATABASE"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                          ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings_dict["OPTIONS"]["sslmode"]
    if database_option:  # pg_restore restores into --dbname; without it, it prints the SQL instead
        command = [*command[:1], "--dbname", env.get("PGDATABASE", ""), *command[1:]]
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (the PostgreSQL client programs are needed)")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _backup_date(path: Path):
    try:
        return datetime.strptime(path.name, NAME_FORMAT).date()
    except ValueError:
        return None
