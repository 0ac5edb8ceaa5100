#!/usr/bin/env bash
# What the publish-time self-check costs: the same commit built twice, once as it is and once with
# every fingerprint stubbed to 0 (both sides then agree and the hashing is gone), run in
# alternation on the same input; prints each run's wall and CPU seconds (user + sys) and the
# ratios of the means. CPU time varies less than wall time on a shared machine; only ratios from
# one invocation count.
#
#   bench/self-check-cost.sh INPUT_GLOB PAIRS [run options...]
#   e.g. bench/self-check-cost.sh '/data/5m-sorted/*.parquet' 5 --assumeOrdered=true
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
input=$1
pairs=$2
shift 2
work=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$work/stubbed" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

(cd "$here" && mvn -B -q -pl runners -am package -DskipTests)
checked="$here/runners/target/probe-rows.jar"
git -C "$here" worktree add -q --detach "$work/stubbed" HEAD
digest="$work/stubbed/transforms/src/main/java/dev/probe/rows/parquet/EventDigest.java"
for method in 'ofLong(long bits)' 'ofBinary(Binary value, ByteSink scratch)' \
    'ofBytes(byte\[\] bytes, int offset, int length)' 'field(long field, long value)' \
    'group(long group, int index, long field)' 'event(long key, long place, long columns)'; do
  sed -i "s/static long $method {/&\n    if (true) return 0;/" "$digest"
done
sed -i 's/    public long digest(ColumnReader column) {/&\n      if (true) return 0;/' \
  "$work/stubbed/transforms/src/main/java/dev/probe/rows/parquet/FlatColumns.java"
[ "$(git -C "$work/stubbed" diff --numstat | awk '{s += $1} END {print s}')" = 7 ] \
  || { echo "self-check-cost: the stub no longer applies; update this script" >&2; exit 1; }
(cd "$work/stubbed" && mvn -B -q -o -pl runners -am package -DskipTests)
stubbed="$work/stubbed/runners/target/probe-rows.jar"

for pair in $(seq 1 "$pairs"); do
  for side in stubbed checked; do
    rm -rf "$work/out"
    TIMEFORMAT="$side %R %U %S"
    { time java -Xmx2g -jar "${!side}" run --input="$input" --output="$work/out" "$@" \
        >/dev/null 2>&1; } 2>&1
  done
done | awk '{ print; wall[$1] += $2; cpu[$1] += $3 + $4 }
  END { printf "self-check: wall %.3fx, CPU %.3fx of the stubbed build (%s pairs)\n",
        wall["checked"] / wall["stubbed"], cpu["checked"] / cpu["stubbed"], NR / 2 }'
