#!/usr/bin/env bash
# What the publish-time self-check costs, as a share of one run's CPU: the run is recorded with
# JFR and each execution sample whose stack is in the self-check's own code (fingerprinting values
# as read and as handed to the writer; not the writer it hands them on to) counts against it.
# A share measured inside one run holds on a noisy machine, where wall times of separate runs do
# not.
#
#   bench/self-check-cost.sh INPUT_GLOB [run options...]
#   e.g. bench/self-check-cost.sh '/data/5m/*.parquet' --assumeOrdered=false
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
jar="$here/runners/target/probe-rows.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -pl runners -am package -DskipTests)
input=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -Xmx2g -Xmn384m -XX:StartFlightRecording=filename="$work/run.jfr",settings=profile,method-profiling=max \
  -jar "$jar" run --input="$input" --output="$work/out" "$@" 2>&1 | grep '^probe-rows: read'
jfr print --events jdk.ExecutionSample --stack-depth 64 "$work/run.jfr" > "$work/samples.txt"
python3 - "$work/samples.txt" <<'PY'
import sys
text = open(sys.argv[1]).read()
samples = text.split("jdk.ExecutionSample {")[1:]
own_code = ("EventDigest", "DigestingConsumer", "Fingerprint.", "eventDigest", "keyDigest", "$digester")
own = 0
for sample in samples:
    stack = sample.split("stackTrace = [", 1)[1] if "stackTrace = [" in sample else ""
    frames = [l.strip() for l in stack.split("\n") if l.strip() and not l.strip().startswith("]")]
    for i, frame in enumerate(frames):
        if any(name in frame for name in own_code):
            # Time in Parquet's writer below the digesting consumer is the write, not the check.
            if not any("org.apache.parquet" in callee for callee in frames[:i]):
                own += 1
            break
print("self-check: %d of %d CPU samples, %.1f%%" % (own, len(samples), 100.0 * own / max(len(samples), 1)))
PY
