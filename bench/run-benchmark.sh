#!/usr/bin/env bash
# The probe-rows benchmark (issue 4, item 5): probe-rows (sorted path, assumeOrdered path,
# DirectRunner), DuckDB's ordered and unordered LIST, and a parquet-mr read+write floor, on the
# same generated files, each in its own process; prints one Markdown table per size.
#
#   bench/run-benchmark.sh                      # 2M, 5M and 20M events
#   bench/run-benchmark.sh 2000000 5000000      # chosen sizes
#   bench/run-benchmark.sh --quick              # 200k events, to try it out
#
# Environment:
#   BENCH_DATA=/work/bench-data   where generated data goes (what the run creates is deleted at
#                                 the end unless BENCH_KEEP=1)
#   BENCH_KEEP=1                  keep the generated data, outputs and logs
#   BENCH_SKIP_BUILD=1            use the jar and classes already built
#   BENCH_XMX=2g                  heap of the probe-rows and floor processes
#   BENCH_DIRECT_XMX=<BENCH_XMX>  heap of the DirectRunner process
#   BENCH_DIRECT_MAX=2000000      largest size the DirectRunner runs
#   BENCH_PARALLELISM=2           probe-rows --parallelism, DuckDB threads, floor threads
#   BENCH_DUCKDB_MEMORY=16GB      DuckDB memory_limit
#   BENCH_APPROACHES=...          subset of sorted,assumeOrdered,direct,duckdbOrdered,duckdbUnordered,floor
#   BENCH_ORDER_CHECK=true        also count out-of-order lists in every grouped output
#   BENCH_TIMEOUT_MINUTES=60      per approach
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

sizes=()
for arg in "$@"; do
  case "$arg" in
    --quick) sizes+=(200000) ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *[!0-9_,]*) echo "run-benchmark: not a size: $arg" >&2; exit 2 ;;
    *) sizes+=("$arg") ;;
  esac
done
if [ "${#sizes[@]}" -eq 0 ]; then
  sizes=(2000000 5000000 20000000)
fi

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! "$java_bin" -version 2>&1 | grep -q 'version "17'; then
  for candidate in /usr/lib/jvm/java-17-openjdk-*/bin/java /usr/lib/jvm/temurin-17*/bin/java; do
    if [ -x "$candidate" ]; then java_bin="$candidate"; break; fi
  done
fi

if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  echo "run-benchmark: building (mvn install -DskipTests, test-compile -pl runners)..." >&2
  mvn -q -B -Dstyle.color=never install -DskipTests
  mvn -q -B -Dstyle.color=never test-compile -pl runners
fi

classpath_file="$(mktemp)"
mvn -q -B -Dstyle.color=never -pl runners dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file" >&2
classpath="$here/runners/target/test-classes:$here/runners/target/classes:$(cat "$classpath_file")"
rm -f "$classpath_file"

echo "run-benchmark: sizes ${sizes[*]}; data in ${BENCH_DATA:-/work/bench-data}" >&2
exec "$java_bin" -Xmx1g -cp "$classpath" \
  -Dbench.launcher="$here/probe-rows" \
  -Dbench.data="${BENCH_DATA:-/work/bench-data}" \
  -Dbench.keep="$([ "${BENCH_KEEP:-0}" = "1" ] && echo true || echo false)" \
  -Dbench.xmx="${BENCH_XMX:-2g}" \
  -Dbench.directXmx="${BENCH_DIRECT_XMX:-${BENCH_XMX:-2g}}" \
  -Dbench.directMax="${BENCH_DIRECT_MAX:-2000000}" \
  -Dbench.parallelism="${BENCH_PARALLELISM:-2}" \
  -Dbench.duckdbMemory="${BENCH_DUCKDB_MEMORY:-16GB}" \
  -Dbench.approaches="${BENCH_APPROACHES:-sorted,assumeOrdered,direct,duckdbOrdered,duckdbUnordered,floor}" \
  -Dbench.orderCheck="${BENCH_ORDER_CHECK:-true}" \
  -Dbench.timeoutMinutes="${BENCH_TIMEOUT_MINUTES:-60}" \
  dev.probe.rows.runners.bench.Benchmark "${sizes[@]}"
