#!/bin/sh
# Wall time of `sedge explain RUN --window 20 --centered -n 5` against explain_torch.py, the same computation
# in PyTorch + numpy (docs/explain.md steps 1-7: window, functional modes, 5 bases x 200 projections,
# composition probe, ablation with 20 random planes, 25-point perturbation curves, curvature, gradient split),
# on the same machine in the same run, alternating (sedge, torch, sedge, torch, ...), then the medians and the
# ratio torch / sedge, and whether the two agree (compare.py on the last pair of results).
#
# Usage: benchmarks/explain/run.sh [RUN] [ROUNDS]
#   RUN     a trained transformer run on a one-head mod-p task with >= 21 checkpoints (default runs/t97;
#           make one: sedge train examples/configs/transformer-mod97.json --set train.steps=3000
#           --set train.checkpoint-every=100 --set detectors= --out runs/t97)
#   ROUNDS  default 3
# Environment:
#   SEDGE     the runnable image's bin/sedge (default distribution/target/sedge-<version>/bin/sedge; ./sedge
#             builds it; this script never builds)
#   PYTHON    default /usr/bin/python3: Debian's, with python3-torch (1.13) and python3-numpy
#   THREADS   torch.set_num_threads and OPENBLAS_NUM_THREADS of the torch variant (default: nproc)
#   VARIANTS  default "sedge torch"; also torch-tN (PyTorch on N threads) and sedge-tN (sedge with
#             -Dai.djl.pytorch.num_threads=N), e.g. VARIANTS="sedge torch sedge-t1 torch-t1"
#   WORK      scratch directory (default ${TMPDIR:-/tmp}/sedge-bench-explain)
# The run's window (run.json, metrics.csv, the last 21 checkpoints and their weight-decay records) is copied
# once into WORK/run, and both tools read that copy: sedge's explain/ output and run lock stay out of RUN.
# sedge runs with libtorch's default threads (SEDGE_JAVA_OPTS as set in the environment). Times are whole
# processes (JVM start, interpreter start and imports included), from /usr/bin/time; the load average is read
# before each. On a machine shared with other work the times are noisy: run it alone.
set -eu
here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
root=$(cd -P -- "$here/../.." && pwd -P)
usage="usage: benchmarks/explain/run.sh [RUN] [ROUNDS]   (env: SEDGE, PYTHON, THREADS, VARIANTS, WORK)"
case ${1:-} in -h|--help) echo "$usage"; exit 0 ;; esac
run=${1:-runs/t97}
rounds=${2:-3}
window=20
PYTHON=${PYTHON:-/usr/bin/python3}
THREADS=${THREADS:-$(nproc)}
VARIANTS=${VARIANTS:-sedge torch}
WORK=${WORK:-${TMPDIR:-/tmp}/sedge-bench-explain}
die() { echo "run.sh: $*" >&2; exit 2; }

case $rounds in ''|*[!0-9]*) die "ROUNDS must be a positive integer, found '$rounds'; $usage" ;; esac
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)
SEDGE=${SEDGE:-$root/distribution/target/sedge-$version/bin/sedge}
[ -x "$SEDGE" ] || die "no sedge image at $SEDGE: build it (./sedge --version builds it) or set SEDGE=.../bin/sedge"
[ -x /usr/bin/time ] || die "needs /usr/bin/time (apt-get install -y time)"
"$PYTHON" -c 'import torch, numpy' 2>/dev/null || die "$PYTHON cannot import torch and numpy: use Debian's python3
  with apt-get install -y python3-torch python3-numpy (not the pyenv python3 first on PATH), or set PYTHON"
[ -f "$run/run.json" ] || die "$run is not a run directory (no run.json); $usage"
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)
case $blas in
    */blas/libblas.so.3) echo "run.sh: warning: libblas.so.3 is the reference BLAS ($blas): PyTorch's GEMMs will be" \
        "several times slower than a normal install's; apt-get install -y libopenblas0-pthread" >&2 ;;
esac

# the window: the last W + 1 checkpoints, copied once
checkpoints=$(ls "$run/checkpoints" | grep '^step-[0-9]*\.safetensors$' | sort | tail -n $((window + 1)))
[ "$(echo "$checkpoints" | grep -c .)" -eq $((window + 1)) ] \
    || die "$run has fewer than $((window + 1)) checkpoints; train with train.checkpoint-every smaller"
rm -rf "$WORK/run" "$WORK"/sedge*-*.json "$WORK"/torch*-*.json
mkdir -p "$WORK/run/checkpoints"
cp "$run/run.json" "$WORK/run/"
[ -f "$run/metrics.csv" ] && cp "$run/metrics.csv" "$WORK/run/"
for f in $checkpoints; do
    cp "$run/checkpoints/$f" "$WORK/run/checkpoints/"
    if [ -f "$run/checkpoints/decay/$f" ]; then
        mkdir -p "$WORK/run/checkpoints/decay"
        cp "$run/checkpoints/decay/$f" "$WORK/run/checkpoints/decay/"
    fi
done
: > "$WORK/times.tsv"

one() { # variant round
    v=$1
    round=$2
    case $v in
        sedge) set -- "$SEDGE" explain "$WORK/run" --window $window --centered -n 5 --json ;;
        sedge-t*) set -- env SEDGE_JAVA_OPTS="${SEDGE_JAVA_OPTS:-} -Dai.djl.pytorch.num_threads=${v#sedge-t}" \
                   "$SEDGE" explain "$WORK/run" --window $window --centered -n 5 --json ;;
        torch) set -- "$PYTHON" "$here/explain_torch.py" "$WORK/run" --window $window --centered -n 5 \
                   --threads "$THREADS" --json "$WORK/$v-$round.json" ;;
        torch-t*) set -- "$PYTHON" "$here/explain_torch.py" "$WORK/run" --window $window --centered -n 5 \
                   --threads "${v#torch-t}" --json "$WORK/$v-$round.json" ;;
        *) die "unknown variant '$v' (sedge, sedge-tN, torch, torch-tN)" ;;
    esac
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" "$@" >"$WORK/$v-$round.out" 2>"$WORK/$v-$round.err" || {
        echo "run.sh: $v failed (round $round):" >&2; tail -5 "$WORK/$v-$round.err" >&2; exit 1; }
    if [ "${v%%-*}" = sedge ]; then cp "$WORK/$v-$round.out" "$WORK/$v-$round.json"; fi
    read -r wall user sys < "$WORK/time.txt"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "$round" "$load" "$wall" "$user" "$sys" | tee -a "$WORK/times.tsv"
}

torch_version=$("$PYTHON" -c 'import torch; print(torch.__version__)')
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(uname -r); run $run (window of the last $((window + 1)) checkpoints," \
    "copied to $WORK/run); $rounds rounds of: $VARIANTS"
echo "# sedge: $SEDGE, libtorch's default threads (SEDGE_JAVA_OPTS='${SEDGE_JAVA_OPTS:-}'; sedge-tN: plus" \
    "-Dai.djl.pytorch.num_threads=N)"
echo "# torch: $PYTHON, torch $torch_version, torch.set_num_threads($THREADS) and OPENBLAS_NUM_THREADS=$THREADS" \
    "(torch-tN: N); BLAS $blas"
echo "# variant	round	load1	wall_s	user_s	sys_s"
r=1
while [ $r -le "$rounds" ]; do
    for v in $VARIANTS; do
        one "$v" $r
    done
    r=$((r + 1))
done

echo "# medians over $rounds rounds: variant, wall s (process), user s, load average min-max"
for v in $VARIANTS; do
    awk -F'\t' -v v="$v" '$1 == v { n++; w[n] = $4; u[n] = $5; l[n] = $3 }
        function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
        END { lo = l[1]; hi = l[1]; for (i = 1; i <= n; i++) { if (l[i] < lo) lo = l[i]; if (l[i] > hi) hi = l[i] }
            printf "%-9s wall %7.1f s  user %7.1f s  load %s-%s\n", v, med(w, n), med(u, n), lo, hi }' "$WORK/times.tsv" \
        | tee -a "$WORK/medians.txt"
done
median() { awk -v v="$1" '$1 == v { print $3 }' "$WORK/medians.txt" | tail -1; }
for v in $VARIANTS; do
    case $v in torch*) ;; *) continue ;; esac
    m=$(median "$v")
    sedge_median=$(median sedge)
    [ -n "$sedge_median" ] && awk -v v="$v" -v t="$m" -v s="$sedge_median" \
        'BEGIN { if (s > 0) printf "ratio %s / sedge (median wall): %.3f\n", v, t / s }'
    peer=sedge${v#torch}
    [ "$peer" != sedge ] || continue
    sedge_median=$(median "$peer")
    [ -n "$sedge_median" ] && awk -v v="$v" -v p="$peer" -v t="$m" -v s="$sedge_median" \
        'BEGIN { if (s > 0) printf "ratio %s / %s (median wall): %.3f\n", v, p, t / s }'
done
rm -f "$WORK/medians.txt"

# agreement, outside the timed runs: the last round's results
last_torch=$WORK/torch-$rounds.json
[ -f "$last_torch" ] || last_torch=$(ls "$WORK"/torch-t*-"$rounds".json 2>/dev/null | head -1)
last_sedge=$WORK/sedge-$rounds.json
[ -f "$last_sedge" ] || last_sedge=$(ls "$WORK"/sedge-t*-"$rounds".json 2>/dev/null | head -1)
if [ -n "$last_sedge" ] && [ -n "$last_torch" ]; then
    echo "# agreement (compare.py $last_sedge $last_torch; the whole table in $WORK/compare.txt):"
    "$PYTHON" "$here/compare.py" "$last_sedge" "$last_torch" > "$WORK/compare.txt" || true
    grep -E '^  (sigma_1|eps|test |edge )|listed first|best by|^largest|^peaks|^agreement|^opposite' \
        "$WORK/compare.txt"
    sed -n 's/^/torch: /p' "$(echo "$last_torch" | sed 's/\.json$/.out/')"
fi
