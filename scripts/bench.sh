#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them; arguments go to the benchmark program
# (--events N, --dogs N, --gets N, --quick). Prints a table of results with the machine described.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Benchmarks -c Release -nologo -v quiet
echo "nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
exec dotnet bench/Benchmarks/bin/Release/net10.0/EventSourcing.Benchmarks.dll "$@"
