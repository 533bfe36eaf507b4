#!/usr/bin/env bash
# Dumps the teamchat database (both schemas) and keeps the last DAYS days of dumps.
#
#   backup-database.sh FOLDER DAYS        (run as postgres by teamchat-db-backup.service)
#
# A custom-format dump (pg_restore can restore one schema or table); written under a temporary
# name and renamed when complete, so a dump with the final name is never partial.
set -euo pipefail

FOLDER=${1:?usage: backup-database.sh FOLDER DAYS}
DAYS=${2:?usage: backup-database.sh FOLDER DAYS}
DATABASE=${PGDATABASE:-teamchat}

name="$FOLDER/$DATABASE-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --compress=6 --file="$name.partial" "$DATABASE"
mv "$name.partial" "$name"
echo "backup-database: wrote $name ($(du -h "$name" | cut -f1))"
# Old dumps and any partial left by a crash.
find "$FOLDER" -maxdepth 1 -name "$DATABASE-*.dump*" -mtime +"$DAYS" -delete
