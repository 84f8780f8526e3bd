#!/usr/bin/env bash
# Fault injection, end to end: launches the DogSchool system with es-runner (each application its own node process),
# sends AddTrick commands from several clients while nodes are SIGKILLed at random (the runner restarts them) and,
# with --store postgres, the database crashes and comes back; then checks that every trick DogSchool logged was
# counted exactly once, that every acknowledged one was logged, and that Counters' pipe recovered.
#
#   scripts/chaos.sh [--store sqlite|postgres] [--seconds S] [--clients N] [--kill-every SECONDS] [--pipelined]
#
# With --pipelined the clients share one RemoteCallStream: their calls go on one Application.CallStream, which breaks
# with every kill of DogSchool and is opened again by the next call.
#
# Prints acknowledged / logged / counted per trick; exits non-zero on any difference or a pipe that did not
# recover. PostgreSQL runs in a durable throwaway cluster (scripts/start-postgres.sh --durable): a crash of a
# cluster without fsync and synchronous commits could lose acknowledged commits.
set -euo pipefail
cd "$(dirname "$0")/.."

store=sqlite seconds=60 clients=8 kill_every=3 pipelined=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --store) store="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --kill-every) kill_every="$2"; shift 2 ;;
    --pipelined) pipelined=1; shift ;;
    *) echo "usage: scripts/chaos.sh [--store sqlite|postgres] [--seconds S] [--clients N] [--kill-every SECONDS] [--pipelined]" >&2; exit 2 ;;
  esac
done
if [[ "$store" != sqlite && "$store" != postgres ]]; then
  echo "chaos: --store is sqlite or postgres, not '$store'" >&2
  exit 2
fi

dotnet build src/Runner -nologo -v quiet >&2
dotnet build bench/Chaos -nologo -v quiet >&2

work="$(mktemp -d "${TMPDIR:-/tmp}/eventsourcing-chaos.XXXXXX")"
runner_pid=""
pg_dir=""
finish() {
  if [[ -n "$runner_pid" ]] && kill -0 "$runner_pid" 2>/dev/null; then
    kill -TERM "$runner_pid" 2>/dev/null || true
    wait "$runner_pid" 2>/dev/null || true
  fi
  if [[ -n "$pg_dir" ]]; then
    scripts/stop-postgres.sh "$pg_dir" || true
  fi
  rm -rf "$work"
}
trap finish EXIT

env_args=()
if [[ "$store" == postgres ]]; then
  eval "$(env -u POSTGRES_HOST -u POSTGRES_PORT -u POSTGRES_USER -u POSTGRES_PASSWORD -u POSTGRES_DBNAME scripts/start-postgres.sh --durable)"
  pg_dir="$EVENTSOURCING_POSTGRES_DIR"
  env_args=(--env PERSISTENCE_MODULE=postgres --env POSTGRES_CONNECT_TIMEOUT=2)
else
  # Unset so that the runner's default, a SQLite file per application in the data directory, applies.
  unset PERSISTENCE_MODULE DOGSCHOOL_PERSISTENCE_MODULE COUNTERS_PERSISTENCE_MODULE
fi

# Nodes are killed every few seconds: restart them quickly, and never give up on them.
dotnet src/Runner/bin/Debug/net10.0/es-runner.dll run --system DogSchool --data-dir "$work" "${env_args[@]}" \
  --max-restarts 1000000 --restart-window 1 --max-restart-delay 1 >"$work/runner.log" 2>&1 &
runner_pid=$!

for _ in $(seq 1 180); do
  if grep -q '^system DogSchool running' "$work/runner.log"; then break; fi
  if ! kill -0 "$runner_pid" 2>/dev/null; then break; fi
  sleep 0.5
done
if ! grep -q '^system DogSchool running' "$work/runner.log"; then
  echo "chaos: the system did not start; es-runner said:" >&2
  cat "$work/runner.log" >&2
  exit 1
fi

url_of() { sed -n "s/^node $1 pid [0-9]* listening on \\(.*\\)$/\\1/p" "$work/runner.log" | head -n 1; }
chaos_args=(--school "$(url_of DogSchool)" --counters "$(url_of Counters)" --seconds "$seconds" --clients "$clients" --kill-every "$kill_every")
if [[ -n "$pipelined" ]]; then
  chaos_args+=(--pipelined)
fi
if [[ -n "$pg_dir" ]]; then
  chaos_args+=(--postgres-dir "$pg_dir")
fi

echo "chaos: $store, $seconds s, $clients clients${pipelined:+ on one call stream}" >&2
status=0
dotnet bench/Chaos/bin/Debug/net10.0/EventSourcing.Chaos.dll "${chaos_args[@]}" || status=$?
if [[ $status -ne 0 ]]; then
  echo "chaos: es-runner's log, last 60 lines:" >&2
  tail -n 60 "$work/runner.log" >&2
fi
exit $status
