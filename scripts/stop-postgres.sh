#!/usr/bin/env bash
# Stops a cluster started by scripts/start-postgres.sh and removes its directory.
#   scripts/stop-postgres.sh [DIR]     (DIR defaults to $EVENTSOURCING_POSTGRES_DIR)
set -euo pipefail

dir="${1:-${EVENTSOURCING_POSTGRES_DIR:-}}"
if [[ -z "$dir" ]]; then
  echo "usage: scripts/stop-postgres.sh DIR (or set EVENTSOURCING_POSTGRES_DIR)" >&2
  exit 2
fi
if [[ ! -f "$dir/data/PG_VERSION" ]]; then
  echo "stop-postgres: $dir is not a cluster made by start-postgres.sh" >&2
  exit 1
fi

PG_BIN="${PG_BIN:-}"
if [[ -z "$PG_BIN" ]]; then
  version="$(cat "$dir/data/PG_VERSION")"
  PG_BIN="/usr/lib/postgresql/$version/bin"
  [[ -x "$PG_BIN/pg_ctl" ]] || PG_BIN="$(dirname "$(command -v pg_ctl)")"
fi

run_as=()
if [[ "$(id -u)" == 0 ]]; then
  run_as=(runuser -u "$(stat -c %U "$dir/data")" --)
fi

if [[ -f "$dir/data/postmaster.pid" ]]; then
  "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null \
    || "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null
fi
rm -rf "$dir"
echo "stop-postgres: stopped and removed $dir" >&2
