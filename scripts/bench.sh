#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them; arguments go to the benchmark program
# (--persistence popo|sqlite|postgres|all, --events N, --dogs N, --gets N, --repeat N, --quick).
# Prints a table of results per backend with the machine described.
#
# --subscribers runs bench/Subscribers instead: the write rate of a DogSchool es-node with no subscribers and with
# many live Subscribe streams, and a check that every stream received every notification
# (--subscribers-count N, --seconds S, --warmup S, --clients N, --persistence sqlite|postgres|all; default all).
#
# --grpc runs bench/Grpc instead: the DogSchool system launched with es-runner (each application its own es-node)
# and driven over gRPC on each store (popo, sqlite-full, sqlite-normal, postgres), with the store's raw single-row
# commit rate and the in-process multi-threaded runner as baselines (--persistence a,b|sqlite|all, --sizes N,N,
# --clients N,N, --repeat N, --log-size N, --raw-seconds S, --warmup-seconds S (discarded runs of the same size first,
# for at least S seconds: 20, or 5 with --quick), --only raw,log,aggregates,e2e (only those parts),
# --quick: popo and sqlite-normal, small sizes, one run).
# Its PostgreSQL cluster is durable (fsync, synchronous_commit and full_page_writes on).
#
# PostgreSQL (--persistence postgres or all): the POSTGRES_* variables name the server; without
# POSTGRES_DBNAME and POSTGRES_USER a throwaway cluster is started (scripts/start-postgres.sh) and stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

project=bench/Benchmarks
program=bench/Benchmarks/bin/Release/net10.0/EventSourcing.Benchmarks.dll
persistence="popo"
postgres_args=()
args=()
for arg in "$@"; do
  if [[ "$arg" == "--subscribers" ]]; then
    project=bench/Subscribers
    program=bench/Subscribers/bin/Release/net10.0/EventSourcing.Subscribers.dll
    persistence="all"
  elif [[ "$arg" == "--grpc" ]]; then
    project=bench/Grpc
    program=bench/Grpc/bin/Release/net10.0/EventSourcing.GrpcBench.dll
    persistence="all"
    postgres_args=(--durable)
  else
    args+=("$arg")
  fi
done
if [[ "$project" == bench/Grpc && " ${args[*]} " == *" --quick "* ]]; then
  persistence="popo,sqlite-normal"
fi
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ "${args[i]}" == "--persistence" && $((i + 1)) -lt ${#args[@]} ]]; then
    persistence="${args[i + 1]}"
  fi
done

dotnet build "$project" -c Release -nologo -v quiet >&2
echo "nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"

if [[ ",$persistence," == *,postgres,* || "$persistence" == "all" ]] && [[ -z "${POSTGRES_DBNAME:-}" || -z "${POSTGRES_USER:-}" ]]; then
  if ! exports="$(scripts/start-postgres.sh "${postgres_args[@]}")"; then
    echo "bench.sh: could not start PostgreSQL; set POSTGRES_* to use a running server" >&2
    exit 1
  fi
  eval "$exports"
  trap 'scripts/stop-postgres.sh "$EVENTSOURCING_POSTGRES_DIR" || true' EXIT
  dotnet "$program" "${args[@]}"
else
  exec dotnet "$program" "${args[@]}"
fi
