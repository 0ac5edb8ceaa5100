#!/usr/bin/env bash
# What the Parquet-specific composite (ParquetProbeRows: row groups, runs as read, own-key files)
# saves over the generic transform behind Beam's own IO (ParquetIO.read -> GroupIntoProbeRows ->
# ParquetIO.sink), both on embedded Flink with 2 workers, -Xmx2g, run in alternation on the same
# events; prints each run's wall and CPU seconds (user + sys) and the ratios of the means. Only
# ratios from one invocation count.
#
#   bench/library-path-cost.sh EVENTS_GLOB PAIRS
#   e.g. bench/library-path-cost.sh '/data/1m/*.parquet' 3
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
events=$1
pairs=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$here" && mvn -B -q -pl runners -am test-compile \
  && mvn -B -q -pl runners dependency:build-classpath -Dmdep.includeScope=test \
       -Dmdep.outputFile="$work/classpath")
classpath="$here/runners/target/test-classes:$here/runners/target/classes"
classpath="$classpath:$here/transforms/target/classes:$here/transforms/target/test-classes"
classpath="$classpath:$here/pipeline/target/classes:$(cat "$work/classpath")"
main=dev.probe.rows.runners.bench.LibraryPath
java -cp "$classpath" "$main" prepare "$events" "$work/in" event_time
first=$(ls "$work"/in/*.parquet | head -1)

for pair in $(seq 1 "$pairs"); do
  for side in parquet library; do
    rm -rf "$work/out" "$work/spill" && mkdir "$work/spill"
    TIMEFORMAT="$side %R %U %S"
    { time java -Xmx2g -cp "$classpath" "$main" "$side" "$first" "$work/in/*.parquet" \
        "$work/out/" "$work/spill" 2 src_addr event_time >/dev/null 2>&1; } 2>&1
  done
done | awk '{ print; wall[$1] += $2; cpu[$1] += $3 + $4 }
  END { printf "library path: wall %.2fx, CPU %.2fx of ParquetProbeRows (%s pairs)\n",
        wall["library"] / wall["parquet"], cpu["library"] / cpu["parquet"], NR / 2 }'
