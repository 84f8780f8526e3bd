#!/usr/bin/env bash
# Builds the solution and runs every test, the PostgreSQL ones included.
#
# PostgreSQL: with EVENTSOURCING_TEST_POSTGRES=postgresql://USER:PASSWORD@HOST:PORT/DBNAME, or with the
# POSTGRES_* variables (POSTGRES_DBNAME and POSTGRES_USER at least), the tests use that server. Otherwise a
# throwaway cluster is started (scripts/start-postgres.sh) and stopped afterwards. If PostgreSQL cannot be
# started the run fails: the PostgreSQL tests never skip.
#
# What the tests need besides the .NET SDK (PostgreSQL server binaries, npm for buf) is installed first when it can be
# (scripts/prerequisites.sh); when it cannot, the run stops at once naming the command that would install it.
#
# Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Sqlite).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/prerequisites.sh

if [[ -n "${EVENTSOURCING_TEST_POSTGRES:-}" ]]; then
  url_pattern='^postgres(ql)?://([^:@/]+)(:([^@/]*))?@([^:/]+)(:([0-9]+))?/([^?]+)$'
  if [[ ! "$EVENTSOURCING_TEST_POSTGRES" =~ $url_pattern ]]; then
    echo "test.sh: EVENTSOURCING_TEST_POSTGRES must look like postgresql://USER:PASSWORD@HOST:PORT/DBNAME" >&2
    exit 2
  fi
  export POSTGRES_USER="${BASH_REMATCH[2]}" POSTGRES_PASSWORD="${BASH_REMATCH[4]}" POSTGRES_HOST="${BASH_REMATCH[5]}"
  export POSTGRES_PORT="${BASH_REMATCH[7]:-5432}" POSTGRES_DBNAME="${BASH_REMATCH[8]}"
  echo "test.sh: using PostgreSQL at $POSTGRES_HOST:$POSTGRES_PORT/$POSTGRES_DBNAME (EVENTSOURCING_TEST_POSTGRES)" >&2
elif [[ -n "${POSTGRES_DBNAME:-}" && -n "${POSTGRES_USER:-}" ]]; then
  echo "test.sh: using PostgreSQL at ${POSTGRES_HOST:-localhost}:${POSTGRES_PORT:-5432}/$POSTGRES_DBNAME (POSTGRES_*)" >&2
else
  if ! exports="$(scripts/start-postgres.sh)"; then
    echo "test.sh: could not start PostgreSQL, so the PostgreSQL tests cannot run; failing" >&2
    exit 1
  fi
  eval "$exports"
  stop_postgres=1
fi

summary=""
finish() {
  if [[ -n "${stop_postgres:-}" ]]; then
    scripts/stop-postgres.sh "$EVENTSOURCING_POSTGRES_DIR" || true
  fi
  # The summary closes the output, after the cluster's own messages.
  if [[ -n "$summary" ]]; then
    echo "$summary"
  fi
}
trap finish EXIT

dotnet build EventSourcing.sln
status=0
log="$(mktemp)"
dotnet test EventSourcing.sln --no-build "$@" 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test projects' own summaries.
summary="$(awk '/(Passed|Failed)! +- +Failed:/ {
       gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log")"
rm -f "$log"
exit "$status"
