#!/usr/bin/env bash
# Where one run's CPU goes, by stage (read, encode, shuffle, sort and spill, merge, write,
# self-check): runs `probe-rows run` under JFR and prints StageProfile's table of its execution
# samples, with the run's wall and CPU seconds.
#
#   bench/stage-profile.sh INPUT_GLOB [run options...]
#   e.g. bench/stage-profile.sh '/data/5m/*.parquet' --assumeOrdered=false
# STAGE_PROFILE_TOP=N also prints the N innermost methods of each stage.
# STAGE_PROFILE_KEEP=FILE keeps the recording.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
input=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

TIMEFORMAT="run: %R s wall, %U s user, %S s sys"
time JAVA_OPTS="-Xmx2g -XX:StartFlightRecording=filename=$work/run.jfr,settings=profile" \
  "$here/probe-rows" run --input="$input" --output="$work/out" "$@" >"$work/run.log" 2>&1 \
  || { cat "$work/run.log" >&2; exit 1; }
java "$here/runners/src/test/java/dev/probe/rows/runners/bench/StageProfile.java" "$work/run.jfr" \
  "${STAGE_PROFILE_TOP:-0}"
if [ -n "${STAGE_PROFILE_KEEP:-}" ]; then cp "$work/run.jfr" "$STAGE_PROFILE_KEEP"; fi
