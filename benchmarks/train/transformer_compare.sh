#!/bin/sh
# Steps per second of the functional-modes transformer (examples/configs/transformer-mod97.json: mod-97
# addition, 2 pre-LN layers, d 128, 4 heads, ff 256, AdamW, batch 512 with replacement, clip 1.0): `sedge
# train` against transformer_torch.py, back to back in rounds, each with the load average read just before.
# Both evaluate only at step 0 and at the last step (all 9409 pairs), sedge snapshots the attn group every
# 100 steps (no window fills in 300 steps), and no checkpoint is written but the last.
#
# Needs: the runnable image (./sedge builds it; or SEDGE=.../bin/sedge), Debian's /usr/bin/python3 with
# python3-torch.
# Usage: benchmarks/train/transformer_compare.sh [rounds] [steps] [variant ...]
#   variants: sedge (default threads), sedge-t1 (-Dai.djl.pytorch.num_threads=1), torch-t1, torch-t2 (torch and
#   OpenBLAS 2 threads each), torch-t2b1 (torch 2 intra-op threads, OpenBLAS 1)
# Per run: the loop's wall time as each reports it (sedge: "steps N in X s", the trainer's loop without JVM
# start and setup; torch: the loop without interpreter start), steps/s from it, and the whole process's wall
# time; then medians per variant.
set -eu
here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
root=$(cd -P -- "$here/../.." && pwd -P)
rounds=${1:-3}
steps=${2:-300}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift
variants=${*:-sedge sedge-t1 torch-t1 torch-t2}
SEDGE=${SEDGE:-}
if [ -z "$SEDGE" ]; then
    "$root/sedge" --version >/dev/null
    SEDGE=$root/distribution/target/sedge-$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)/bin/sedge
fi
config=$root/examples/configs/transformer-mod97.json
work=${TMPDIR:-/tmp}/sedge-bench-transformer
mkdir -p "$work"
: > "$work/this.tsv"

run() {
    v=$1
    rm -rf "$work/run"
    case $v in
        sedge|sedge-t1)
            opts=; [ "$v" = sedge-t1 ] && opts=-Dai.djl.pytorch.num_threads=1
            set -- env SEDGE_JAVA_OPTS="$opts" "$SEDGE" train "$config" --out "$work/run" --set train.steps="$steps" \
                --set train.eval-every=100000 --set train.checkpoint-every=0 ;;
        torch-t2b1) set -- env OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$here/transformer_torch.py" --threads 2 \
                --steps "$steps" --eval-every 100000 ;;
        torch-t*) set -- /usr/bin/python3 "$here/transformer_torch.py" --threads "${v#torch-t}" --steps "$steps" \
                --eval-every 100000 ;;
        *) echo "transformer_compare.sh: unknown variant $v" >&2; exit 2 ;;
    esac
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" || {
        echo "transformer_compare.sh: $v failed:" >&2; tail -5 "$work/err.txt" >&2; exit 1; }
    case $v in
        sedge*) loop=$(sed -n 's/^steps *[0-9]* in \([0-9.]*\) s.*/\1/p' "$work/out.txt") ;;
        torch*) loop=$(sed -n 's/.* steps in \([0-9.]*\) s with.*/\1/p' "$work/out.txt") ;;
    esac
    acc=$(grep -o 'test_acc *[0-9.]*' "$work/out.txt" | tail -1 | awk '{print $2}')
    printf '%s\t%s\t%s\t%.2f\t%s\t%s\n' "$v" "$load" "$loop" "$(echo "$steps / $loop" | bc -l)" \
        "$(cut -d' ' -f1 "$work/time.txt")" "$acc" | tee -a "$work/this.tsv"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores; sedge: $SEDGE; $steps steps; $rounds rounds of: $variants"
echo "# variant	load1	loop_s	steps_per_s	process_wall_s	final_test_acc"
r=0
while [ $r -lt "$rounds" ]; do
    for v in $variants; do
        run "$v"
    done
    r=$((r + 1))
done
rm -rf "$work/run"
echo "# medians: variant, steps/s (loop), process wall s, load average (min-max)"
for v in $variants; do
    awk -F'\t' -v v="$v" '$1 == v { n++; s[n] = $4; w[n] = $5; l[n] = $2 }
        function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
        END { lo = l[1]; hi = l[1]; for (i = 1; i <= n; i++) { if (l[i] < lo) lo = l[i]; if (l[i] > hi) hi = l[i] }
            printf "%-10s %6.2f steps/s  wall %6.1f s  load %s-%s\n", v, med(s, n), med(w, n), lo, hi }' "$work/this.tsv"
done
