#!/usr/bin/env bash
# `sedge spectrum` over a folder of safetensors checkpoints against only reading the files.
#
#   benchmarks/spectrum-job/run.sh [count] [p] [W] [repeats] [warm|cold] [old|noold]
#       defaults: 40 checkpoints, p = 4000000, W = 20, 5 repeats, warm, noold
#
# Uses the runnable image (./sedge builds it; rebuild it after changing platform-core or platform-spectral) and the
# JDK 25 source launcher. Writes count × 4p bytes of checkpoints into a temporary folder (640 MB by
# default) and deletes them afterwards. "cold" drops the page cache before each timed pass (root
# only); "old" also times the pre-batching path (differencer + one update at a time).
# SEDGE_JAVA_OPTS (as for bin/sedge) adds JVM options, e.g. -XX:+UseTransparentHugePages.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
count="${1:-40}"; p="${2:-4000000}"; window="${3:-20}"; repeats="${4:-5}"; cache="${5:-warm}"; old="${6:-noold}"

source "$root/benchmarks/lib.sh"
java_home="$(jdk25)"
image="$(sedge_image)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "# load average $(cut -d' ' -f1-3 /proc/loadavg); JVM options: -Xmx6g ${SEDGE_JAVA_OPTS-}"
exports=""
for pkg in format trajectory run; do exports="$exports --add-exports dev.sedge.core/dev.sedge.core.$pkg=ALL-UNNAMED"; done
# shellcheck disable=SC2086
"$java_home/bin/java" -Xmx6g ${SEDGE_JAVA_OPTS-} --module-path "$image/lib" --add-modules dev.sedge.core $exports \
    "$here/SpectrumJobBenchmark.java" "$work/ckpt" "$count" "$p" "$window" "$repeats" "$cache" "$old" 2>&1 \
    | grep -v '^WARNING: Using incubator modules'
