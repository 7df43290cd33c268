#!/bin/sh
# End-to-end wall time of the default experiment (400 full-batch epochs of the lock-in setup, an
# evaluation and a snapshot per epoch): `sedge train` (JVM start included) against the PyTorch script a
# researcher would write (lockin_torch.py, interpreter start and imports included), variants run back to
# back in rounds (A, B, C, ..., A, B, C, ...), each with the load average read just before it.
#
# Needs: the runnable image (./sedge builds it; or name one with SEDGE=.../bin/sedge), and Debian's
# /usr/bin/python3 with python3-torch (not the pyenv python3 on PATH).
# Usage: benchmarks/train/compare.sh [rounds] [variant ...]
#   variants (default: all but the before-* ones):
#     sedge            sedge train, default threads (libtorch's: one per core)
#     sedge-t1         SEDGE_JAVA_OPTS=-Dai.djl.pytorch.num_threads=1
#     before-sedge, before-sedge-t1   the same with $SEDGE_BEFORE (another image, e.g. an older build)
#     torch-t1-copy, torch-t2-copy    lockin_torch.py --threads N --spectrum copy
#     torch-t1-live, torch-t2-live    lockin_torch.py --threads N --spectrum live
# Output: one line per run (variant, load average, wall, user, sys seconds), then the median wall per
# variant; also appended to $TMPDIR/sedge-bench-compare/runs.tsv.
set -eu
here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
root=$(cd -P -- "$here/../.." && pwd -P)
rounds=${1:-3}
[ $# -gt 0 ] && shift
variants=${*:-sedge sedge-t1 torch-t1-copy torch-t1-live torch-t2-copy torch-t2-live}
SEDGE=${SEDGE:-}
if [ -z "$SEDGE" ]; then
    "$root/sedge" --version >/dev/null # builds the image when it is missing or stale
    SEDGE=$root/distribution/target/sedge-$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)/bin/sedge
fi
work=${TMPDIR:-/tmp}/sedge-bench-compare
mkdir -p "$work"
log=$work/runs.tsv

run() { # variant
    v=$1
    rm -rf "$work/run"
    case $v in
        sedge) set -- env "$SEDGE" train --out "$work/run" ;;
        sedge-t1) set -- env SEDGE_JAVA_OPTS=-Dai.djl.pytorch.num_threads=1 "$SEDGE" train --out "$work/run" ;;
        before-sedge) set -- env "$SEDGE_BEFORE" train --out "$work/run" ;;
        before-sedge-t1) set -- env SEDGE_JAVA_OPTS=-Dai.djl.pytorch.num_threads=1 "$SEDGE_BEFORE" train --out "$work/run" ;;
        torch-t*-*) t=${v#torch-t}; t=${t%%-*}; set -- /usr/bin/python3 "$here/lockin_torch.py" --threads "$t" --spectrum "${v##*-}" ;;
        *) echo "compare.sh: unknown variant $v" >&2; exit 2 ;;
    esac
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" || {
        echo "compare.sh: $v failed:" >&2; tail -5 "$work/err.txt" >&2; exit 1; }
    line=$(printf '%s\t%s\t%s' "$v" "$load" "$(tr ' ' '\t' < "$work/time.txt")")
    printf '%s\n' "$line" | tee -a "$log"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores; sedge: $SEDGE; $rounds rounds of: $variants"
echo "# variant	load1	wall_s	user_s	sys_s"
: > "$work/this.tsv"
r=0
while [ $r -lt "$rounds" ]; do
    for v in $variants; do
        run "$v" | tee -a "$work/this.tsv"
    done
    r=$((r + 1))
done
rm -rf "$work/run"
echo "# medians over $rounds rounds: variant, wall s, user+sys s, load average (min-max)"
for v in $variants; do
    awk -F'\t' -v v="$v" '$1 == v { n++; w[n] = $3; c[n] = $4 + $5; l[n] = $2 }
        function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
        END { lo = l[1]; hi = l[1]; for (i = 1; i <= n; i++) { if (l[i] < lo) lo = l[i]; if (l[i] > hi) hi = l[i] }
            printf "%-16s wall %6.1f  cpu %6.1f  load %s-%s\n", v, med(w, n), med(c, n), lo, hi }' "$work/this.tsv"
done
