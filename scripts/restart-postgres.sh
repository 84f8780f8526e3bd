#!/usr/bin/env bash
# Restarts a cluster started by scripts/start-postgres.sh the way a crash would: an immediate stop (no
# checkpoint, every connection cut), then, after an optional outage, a start on the same port.
#   scripts/restart-postgres.sh DIR [--down SECONDS]
set -euo pipefail

dir="${1:-}"
down=0
if [[ $# -ge 3 && "$2" == "--down" ]]; then
  down="$3"
fi
if [[ -z "$dir" || ! -f "$dir/data/PG_VERSION" || ! -f "$dir/port" ]]; then
  echo "usage: scripts/restart-postgres.sh DIR [--down SECONDS]  (DIR made by scripts/start-postgres.sh)" >&2
  exit 2
fi

version="$(cat "$dir/data/PG_VERSION")"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/$version/bin}"
[[ -x "$PG_BIN/pg_ctl" ]] || PG_BIN="$(dirname "$(command -v pg_ctl)")"
run_as=()
if [[ "$(id -u)" == 0 ]]; then
  run_as=(runuser -u "$(stat -c %U "$dir/data")" --)
fi

"${run_as[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null
sleep "$down"
"${run_as[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $(cat "$dir/port")" -w -t 60 start >/dev/null
echo "restart-postgres: restarted $dir (down for ${down}s)" >&2
