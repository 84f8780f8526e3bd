#!/usr/bin/env bash
# Creates and starts a throwaway PostgreSQL cluster for tests and trials: initdb into a temporary
# directory, listening on 127.0.0.1 on a free port, password authentication over TCP.
#
#   eval "$(scripts/start-postgres.sh)"     # exports POSTGRES_HOST, _PORT, _USER, _PASSWORD, _DBNAME
#   ...
#   scripts/stop-postgres.sh                # stops it and removes the directory
#
# By default the cluster trades durability for speed (fsync, synchronous_commit and full_page_writes off): a
# crash of the server can lose commits it acknowledged. With --durable they stay on, as in production: use it
# to measure durable commits, or to crash the server (scripts/restart-postgres.sh) and expect nothing lost.
#
# Only the export lines go to stdout; progress goes to stderr. The server must not run as root
# (initdb refuses), so as root it runs as the `postgres` user (created when missing).
set -euo pipefail

PG_BIN="${PG_BIN:-}"
if [[ -z "$PG_BIN" ]]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [[ -x "$candidate/initdb" ]] && PG_BIN="$candidate"
  done
fi
if [[ -z "$PG_BIN" && -n "$(command -v initdb || true)" ]]; then
  PG_BIN="$(dirname "$(command -v initdb)")"
fi
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
  echo "start-postgres: PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql or set PG_BIN" >&2
  exit 1
fi

durable=""
if [[ "${1:-}" == "--durable" ]]; then
  durable="yes"
elif [[ -n "${1:-}" ]]; then
  echo "usage: scripts/start-postgres.sh [--durable]" >&2
  exit 2
fi

DB_USER="${POSTGRES_USER:-eventsourcing}"
DB_NAME="${POSTGRES_DBNAME:-eventsourcing}"
DB_PASSWORD="${POSTGRES_PASSWORD:-eventsourcing}"

run_as=()
if [[ "$(id -u)" == 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  run_as=(runuser -u postgres --)
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/eventsourcing-pg.XXXXXX")"
chmod 755 "$dir"
if [[ ${#run_as[@]} -gt 0 ]]; then chown postgres: "$dir"; fi
cleanup_on_failure() {
  echo "start-postgres: failed; server log:" >&2
  cat "$dir/server.log" >&2 2>/dev/null || true
  "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup_on_failure ERR

printf '%s\n' "$DB_PASSWORD" > "$dir/pwfile"
if [[ ${#run_as[@]} -gt 0 ]]; then chown postgres: "$dir/pwfile"; fi
"${run_as[@]}" "$PG_BIN/initdb" -D "$dir/data" -U "$DB_USER" --pwfile="$dir/pwfile" \
  --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; false; }
rm -f "$dir/pwfile"

cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 300
CONF
if [[ -z "$durable" ]]; then
  # A throwaway cluster: durability is traded for speed (the data is deleted afterwards anyway).
  printf '%s\n' "fsync = off" "synchronous_commit = off" "full_page_writes = off" >>"$dir/data/postgresql.conf"
fi

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

started=""
for _ in 1 2 3 4 5; do
  port="$(free_port)"
  if "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
    started="yes"
    break
  fi
done
if [[ -z "$started" ]]; then
  echo "start-postgres: the server did not start" >&2
  false
fi

echo "$port" > "$dir/port"
PGPASSWORD="$DB_PASSWORD" "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB_NAME"
trap - ERR

echo "start-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir$([[ -n "$durable" ]] && echo " (durable)" || echo " (fsync off)")" >&2
cat <<OUT
export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=$port POSTGRES_USER=$DB_USER POSTGRES_PASSWORD=$DB_PASSWORD POSTGRES_DBNAME=$DB_NAME
export EVENTSOURCING_POSTGRES_DIR=$dir
# stop with: scripts/stop-postgres.sh $dir
OUT
