#!/bin/sh
# The live monitor's cost the way a user meets it: `sedge train` (the default experiment, a fresh
# JVM each run, libtorch's default threads) against the same run with a snapshot only at steps 0
# and 400 (`--set spectrum.every=400`: no window, everything else equal), alternated, ROUNDS rounds.
# Prints each run's training-loop time (from sedge's summary) and wall time, then the median of the
# paired differences.
#
# Needs: the runnable image (./sedge builds it). Usage: benchmarks/train/monitor_end_to_end.sh [rounds]
set -eu
here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
root=$(cd -P -- "$here/../.." && pwd -P)
rounds=${1:-5}
work=${TMPDIR:-/tmp}/sedge-bench-monitor
"$root/sedge" --version >/dev/null # builds the image if stale
sedge=$(ls -d "$root"/distribution/target/sedge-*/bin/sedge | head -n 1)
mkdir -p "$work"
echo "# load average $(cut -d' ' -f1-3 /proc/loadavg)"
diffs=""
r=1
while [ "$r" -le "$rounds" ]; do
    for variant in on off; do
        rm -rf "$work/run-$variant"
        if [ "$variant" = on ]; then set --; else set -- --set spectrum.every=400; fi
        start=$(date +%s.%N)
        "$sedge" train --out "$work/run-$variant" "$@" >"$work/$variant.out" 2>/dev/null
        end=$(date +%s.%N)
        loop=$(sed -n 's/^steps *[0-9]* in \([0-9.]*\) s.*/\1/p' "$work/$variant.out")
        eval "loop_$variant=$loop"
        printf 'round %d  monitor %-3s  loop %5.1f s  wall %5.1f s\n' "$r" "$variant" "$loop" \
            "$(echo "$end - $start" | bc)"
    done
    diffs="$diffs $(echo "$loop_on - $loop_off" | bc) $loop_off"
    r=$((r + 1))
done
echo "$diffs" | awk '{
    n = 0
    for (i = 1; i <= NF; i += 2) { d[++n] = $i; off[n] = $(i + 1) }
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) {
        if (d[j] < d[i]) { t = d[i]; d[i] = d[j]; d[j] = t }
        if (off[j] < off[i]) { t = off[i]; off[i] = off[j]; off[j] = t }
    }
    md = n % 2 ? d[(n + 1) / 2] : (d[n / 2] + d[n / 2 + 1]) / 2
    mo = n % 2 ? off[(n + 1) / 2] : (off[n / 2] + off[n / 2 + 1]) / 2
    printf "median paired difference %.1f s = %.1f%% of the median loop without the monitor (%.1f s)\n", md, 100 * md / mo, mo
}'
