#!/bin/bash
# Runs per core for sweeps, measured: the same small sweep with `sedge sweep --jobs 1` (one run at a time, libtorch
# on every core) and `--jobs 2` (two runs at once, cores/2 threads each), back to back in rounds, each with the load
# average read just before it. Reports each sweep's wall time and runs per minute.
#
# Two experiments: the functional-modes transformer (examples/configs/transformer-mod97.json, STEPS steps, evaluated
# only at the start and end, no checkpoint but the last) and the default lock-in experiment (mlp2, EPOCHS full-batch
# epochs, its usual evaluation, snapshot and live spectrum every epoch).
#
# Needs: the runnable image (./sedge builds it; or SEDGE=.../bin/sedge).
# Usage: benchmarks/train/sweep_jobs.sh [rounds] [runs] [steps] [epochs]      (defaults 2 4 600 150)
set -eu
here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
root=$(cd -P -- "$here/../.." && pwd -P)
rounds=${1:-2}
runs=${2:-4}
steps=${3:-600}
epochs=${4:-150}
. "$root/benchmarks/lib.sh"
SEDGE=${SEDGE:-$(sedge_image)bin/sedge}
work=${TMPDIR:-/tmp}/sedge-bench-sweep-jobs
rm -rf "$work"
mkdir -p "$work"
cat > "$work/transformer.json" <<JSON
{"description": "sweep_jobs.sh: $runs transformer runs", "base": "$root/examples/configs/transformer-mod97.json",
 "set": {"train.steps": $steps, "train.eval-every": 100000, "train.checkpoint-every": 0}, "seeds": $runs}
JSON
cat > "$work/lockin.json" <<JSON
{"description": "sweep_jobs.sh: $runs lock-in runs", "set": {"train.steps": $epochs}, "seeds": $runs}
JSON

echo "# $(date -u +%FT%TZ) $(nproc) cores; sedge: $SEDGE; $runs runs per sweep; transformer $steps steps, lock-in $epochs epochs"
echo "# experiment	jobs	load1	wall_s	runs_per_min"
r=0
while [ $r -lt "$rounds" ]; do
    for experiment in transformer lockin; do
        for jobs in 1 2; do
            out=$work/$experiment-$jobs
            rm -rf "$out"
            load=$(cut -d' ' -f1 /proc/loadavg)
            start=$(date +%s.%N)
            "$SEDGE" sweep "$work/$experiment.json" --jobs "$jobs" --out "$out" > "$work/out.txt" 2>&1 || {
                echo "sweep_jobs.sh: $experiment --jobs $jobs failed:" >&2; tail -5 "$work/out.txt" >&2; exit 1; }
            wall=$(echo "$(date +%s.%N) - $start" | bc -l)
            printf '%s\t%s\t%s\t%.1f\t%.2f\n' "$experiment" "$jobs" "$load" "$wall" "$(echo "$runs * 60 / $wall" | bc -l)" \
                | tee -a "$work/all.tsv"
        done
    done
    r=$((r + 1))
done
echo "# medians: experiment, jobs, wall s"
for experiment in transformer lockin; do
    for jobs in 1 2; do
        awk -F'\t' -v e="$experiment" -v j="$jobs" '$1 == e && $2 == j { n++; w[n] = $4 }
            END { for (i = 1; i <= n; i++) for (k = i + 1; k <= n; k++) if (w[k] < w[i]) { t = w[i]; w[i] = w[k]; w[k] = t }
                  printf "%-12s --jobs %s  %6.1f s\n", e, j, n % 2 ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2 }' "$work/all.tsv"
    done
done
