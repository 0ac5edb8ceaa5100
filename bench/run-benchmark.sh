#!/usr/bin/env bash
# The probe-rows benchmark (issue 4, item 5; issue 18, item 1): probe-rows (sorted path,
# assumeOrdered path, DirectRunner) against its anchors, DuckDB 1.4's and DuckDB 2's ordered LIST,
# Polars, DuckDB's unordered LIST and a parquet-mr read+write floor, on the same files in two data
# shapes, each in its own process; checks every output against the input, prints one Markdown table
# per size and shape and writes a chart of them all.
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
#   BENCH_PARALLELISM=2           probe-rows --parallelism, DuckDB threads, POLARS_MAX_THREADS,
#                                 floor threads
#   BENCH_DUCKDB_MEMORY=16GB      DuckDB memory_limit (both versions)
#   BENCH_SHAPES=events,wide      data shapes: generate's events, and 14 columns with 7 strings
#   BENCH_LAYOUTS=hashed,windowed sorted layouts besides the global sort (each file sorted; empty
#                                 for none) on which assumeOrdered, DuckDB unordered and the floor
#                                 also run
#   BENCH_APPROACHES=...          subset of sorted,assumeOrdered,direct,duckdbOrdered,
#                                 duckdb2Ordered,polars,duckdbUnordered,floor
#   BENCH_ORDER_CHECK=true        also count out-of-order lists in every grouped output
#   BENCH_TIMEOUT_MINUTES=60      per approach
#   BENCH_CHART=bench/benchmark-chart.svg   the chart (time and peak RSS against events)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

sizes=()
for arg in "$@"; do
  case "$arg" in
    --quick) sizes+=(200000) ;;
    -h|--help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
  echo "run-benchmark: building (mvn install -DskipTests, test-compile -pl runners -am)..." >&2
  mvn -q -B -Dstyle.color=never install -DskipTests
  # -am: the sibling modules from this tree, not whatever another checkout last installed into
  # the shared local repository.
  mvn -q -B -Dstyle.color=never test-compile -pl runners -am
fi

approaches="${BENCH_APPROACHES:-sorted,assumeOrdered,direct,duckdbOrdered,duckdb2Ordered,polars,duckdbUnordered,floor}"
wants() { [[ ",$approaches," == *",$1,"* ]]; }

# DuckDB 2 shares DuckDB 1.4's class names, so it never joins the class path below: Maven copies
# its jar (the version the root pom pins) for a JVM of its own.
duckdb2_jar="$here/runners/target/bench-duckdb2/duckdb_jdbc.jar"
if wants duckdb2Ordered && { [ "${BENCH_SKIP_BUILD:-0}" != "1" ] || [ ! -f "$duckdb2_jar" ]; }; then
  mvn -q -B -Dstyle.color=never -pl runners dependency:copy@duckdb2-for-bench >&2
fi

# Polars runs on Node.js, from the pinned nodejs-polars in bench/package.json, installed into
# bench/node_modules on first use (or when the pin changed) so that a fresh machine gets it.
if wants polars; then
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "run-benchmark: installing Node.js and npm for the Polars anchor..." >&2
    apt-get update -q >&2 && apt-get install -y -q nodejs npm >&2
  fi
  if ! (cd bench && npm ls --depth=0 >/dev/null 2>&1); then
    echo "run-benchmark: installing nodejs-polars into bench/node_modules..." >&2
    (cd bench && npm install --no-package-lock --no-audit --no-fund --loglevel=error) >&2
  fi
fi

# The harness needs only third-party jars beside its own classes; the project's own modules would
# come from the shared local repository, which another checkout may have overwritten.
classpath_file="$(mktemp)"
mvn -q -B -Dstyle.color=never -pl runners -am dependency:build-classpath \
  -Dmdep.includeScope=test -DexcludeGroupIds=dev.probe.rows \
  -Dmdep.outputFile="$classpath_file" >&2
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
  -Dbench.duckdb2Jar="$duckdb2_jar" \
  -Dbench.node="$(command -v node || echo node)" \
  -Dbench.polarsScript="$here/bench/polars-group.js" \
  -Dbench.shapes="${BENCH_SHAPES:-events,wide}" \
  -Dbench.layouts="${BENCH_LAYOUTS-hashed,windowed}" \
  -Dbench.chart="${BENCH_CHART:-$here/bench/benchmark-chart.svg}" \
  -Dbench.approaches="$approaches" \
  -Dbench.orderCheck="${BENCH_ORDER_CHECK:-true}" \
  -Dbench.timeoutMinutes="${BENCH_TIMEOUT_MINUTES:-60}" \
  dev.probe.rows.runners.bench.Benchmark "${sizes[@]}"
