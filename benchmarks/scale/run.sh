#!/usr/bin/env bash
# `sedge spectrum` over a trajectory too large for the heap, against the machine's sequential read bandwidth.
#
#   benchmarks/scale/run.sh [DIR] [W] [repeats]      defaults: /tmp/sedge-big, 20, 5
#
# Writes the synthetic trajectory first if DIR holds none (benchmarks/scale/make_big_trajectory.py: p = 1.24e8,
# W + 1 snapshots, 10.4 GB for W = 20, about a minute; Debian's /usr/bin/python3 with numpy). Then, with the files
# in the page cache: dd's read bandwidth, BigSpectrumBenchmark.java (the job in process against FileChannel.read
# of the same files, alternating; JDK 25 source launcher, the runnable image's modules; ./sedge builds it), the
# command itself in a 256 MB heap, and the float64 reference (reference_spectrum.py) against its spectrum.csv.
# Run it alone: the figures are bandwidths, and another process's memory traffic lowers them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${1:-/tmp/sedge-big}"; window="${2:-20}"; repeats="${3:-5}"

source "$root/benchmarks/lib.sh"
java_home="$(jdk25)"
image="$(sedge_image)"
if ! ls "$dir"/step-*.safetensors >/dev/null 2>&1; then
    /usr/bin/python3 "$here/make_big_trajectory.py" "$dir" 124000000 $((window + 1))
fi

echo "# load average $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$dir"/step-*.safetensors > /dev/null # into the page cache
bytes=$(cat "$dir"/step-*.safetensors | wc -c)
start=$(date +%s.%N)
for f in "$dir"/step-*.safetensors; do dd if="$f" of=/dev/null bs=1M status=none; done
end=$(date +%s.%N)
echo "dd bs=1M: $(/usr/bin/python3 -c "print('%.1f' % ($bytes / 1e9 / ($end - $start)))") GB/s"

"$java_home/bin/java" -XX:CompileCommand=quiet \
    '-XX:CompileCommand=CompileThresholdScaling,dev.sedge.spectral.BatchGramKernel*::*,0.1' \
    '-XX:CompileCommand=CompileThresholdScaling,dev.sedge.spectral.PieceChain*::*,0.1' \
    --module-path "$image/lib" --add-modules dev.sedge.core \
    --add-exports dev.sedge.core/dev.sedge.core.format=ALL-UNNAMED \
    --add-exports dev.sedge.core/dev.sedge.core.trajectory=ALL-UNNAMED \
    "$here/BigSpectrumBenchmark.java" "$dir" "$window" "$repeats" "$(nproc)" 2>&1 | grep -v '^WARNING: Using incubator'

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "# sedge spectrum $dir --group w --window $window --no-digest, heap 256 MB:"
SEDGE_JAVA_OPTS=-Xmx256m /usr/bin/time -f "wall %e s, peak RSS %M KB" \
    "$image/bin/sedge" spectrum "$dir" --group w --window "$window" --no-digest --out "$out/spectrum.csv" 2>&1 \
    | grep -v '^WARNING: Using incubator\|^spectrum: '
/usr/bin/python3 "$here/reference_spectrum.py" "$dir" "$window" "$out/spectrum.csv"
