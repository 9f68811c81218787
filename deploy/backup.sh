#!/bin/sh
# The production backup (docker-compose.yml, service "backup"): every night at CRM_BACKUP_AT (local time, TZ),
# pg_dump of the database in custom format and a tar of the uploaded files, into a dated directory under
# /backups, with a manifest the restore command checks; directories older than CRM_BACKUP_KEEP_DAYS days are
# removed (the newest always stays). /backups is a volume only this service mounts: the web app, the workers
# and the application's database account cannot reach it. Restore: docs/security.md, "Backup and recovery".
set -eu
: "${CRM_BACKUP_AT:=03:20}" "${CRM_BACKUP_KEEP_DAYS:=30}"

backup_once() {
    name=$(date +%Y-%m-%d-%H%M%S)
    work="/backups/$name.partial"
    # Each step is checked: a backup that failed half-way never loses its ".partial" name.
    rm -rf "$work" && mkdir -p "$work" || return 1
    pg_dump --format=custom --no-owner --file "$work/database.dump" || return 1
    (cd /media && find . -type f | sort | tar -czf "$work/media.tar.gz" --no-recursion -T -) || return 1
    files=$(cd /media && find . -type f | wc -l)
    head=$(psql -Atc "SELECT last_seq || ' ' || last_hash FROM security_auditchainhead WHERE id = 1" || true)
    [ -n "$head" ] || head="0 "
    cat > "$work/manifest.json" <<JSON
{
  "created_at": "$(date -Iseconds)",
  "engine": "postgresql",
  "database": "database.dump",
  "media": "media.tar.gz",
  "media_files": $files,
  "audit_head": {"seq": ${head%% *}, "hash": "${head#* }"},
  "sha256": {
    "database.dump": "$(sha256sum "$work/database.dump" | cut -d' ' -f1)",
    "media.tar.gz": "$(sha256sum "$work/media.tar.gz" | cut -d' ' -f1)"
  }
}
JSON
    mv "$work" "/backups/$name" || return 1
    echo "backup written to /backups/$name"
    newest=$(ls -d /backups/20*-*-*-* 2>/dev/null | grep -v '\.partial$' | sort | tail -n 1)
    find /backups -mindepth 1 -maxdepth 1 -type d -name '20*' -mtime "+$CRM_BACKUP_KEEP_DAYS" \
        ! -path "$newest" -exec rm -rf {} +
}

if [ "${1:-}" = "--now" ]; then
    backup_once
    exit 0
fi
while true; do
    now=$(date +%s)
    next=$(date -d "today $CRM_BACKUP_AT" +%s)
    [ "$next" -gt "$now" ] || next=$(date -d "tomorrow $CRM_BACKUP_AT" +%s)
    sleep $((next - now))
    backup_once || echo "backup FAILED at $(date -Iseconds)" >&2
done
