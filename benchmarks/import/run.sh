#!/bin/sh
# Explain on an imported run against explain on the native run it was made from: the same window of a
# sedge transformer run, once as sedge trained it (the model rebuilt in DJL) and once imported from its
# checkpoints with an ONNX export of the same network (export_onnx.py), run by ONNX Runtime. Times
# `sedge explain RUN --window 20 --centered -n 5 --probe residual` on both, alternating (native, imported,
# ...), then the medians and the ratio imported / native, and how far the two explanations agree (F of
# each direction's best basis, the edge ablation) -- they read the same weights through two engines.
#
# Usage: benchmarks/import/run.sh [RUN] [ROUNDS]
#   RUN     a trained transformer run on a one-head mod-p task with >= 21 checkpoints (default runs/t97;
#           make one: sedge train examples/configs/transformer-mod97.json --set train.steps=3000
#           --set train.checkpoint-every=100 --set detectors= --out runs/t97)
#   ROUNDS  default 3
# Environment: SEDGE (default distribution/target/sedge-<version>/bin/sedge; never built here), PYTHON
# (default /usr/bin/python3, Debian's, with python3-torch 1.13), WORK (default ${TMPDIR:-/tmp}/sedge-bench-import).
# Both explains run with the image's defaults: libtorch's threads for the native run, one ONNX Runtime
# intra-op thread per core for the imported one. Run it alone: the times are wall times of whole processes.
set -eu
here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
root=$(cd -P -- "$here/../.." && pwd -P)
usage="usage: benchmarks/import/run.sh [RUN] [ROUNDS]   (env: SEDGE, PYTHON, WORK)"
case ${1:-} in -h|--help) echo "$usage"; exit 0 ;; esac
run=${1:-runs/t97}
rounds=${2:-3}
window=20
PYTHON=${PYTHON:-/usr/bin/python3}
WORK=${WORK:-${TMPDIR:-/tmp}/sedge-bench-import}
die() { echo "run.sh: $*" >&2; exit 2; }
case $rounds in ''|*[!0-9]*) die "ROUNDS must be a positive integer, found '$rounds'; $usage" ;; esac
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)
SEDGE=${SEDGE:-$root/distribution/target/sedge-$version/bin/sedge}
[ -x "$SEDGE" ] || die "no sedge image at $SEDGE: build it (./sedge --version builds it) or set SEDGE=.../bin/sedge"
[ -x /usr/bin/time ] || die "needs /usr/bin/time (apt-get install -y time)"
"$PYTHON" -c 'import torch, numpy' 2>/dev/null || die "$PYTHON cannot import torch and numpy: use Debian's python3"
[ -f "$run/run.json" ] || die "$run is not a run directory (no run.json); $usage"

# the window, copied once: the last W + 1 checkpoints with their weight-decay records
checkpoints=$(ls "$run/checkpoints" | grep '^step-[0-9]*\.safetensors$' | sort | tail -n $((window + 1)))
[ "$(echo "$checkpoints" | grep -c .)" -eq $((window + 1)) ] || die "$run has fewer than $((window + 1)) checkpoints"
rm -rf "$WORK"
mkdir -p "$WORK/native/checkpoints/decay"
cp "$run/run.json" "$WORK/native/"
[ -f "$run/metrics.csv" ] && cp "$run/metrics.csv" "$WORK/native/"
for c in $checkpoints; do
    cp "$run/checkpoints/$c" "$WORK/native/checkpoints/"
    [ -f "$run/checkpoints/decay/$c" ] && cp "$run/checkpoints/decay/$c" "$WORK/native/checkpoints/decay/"
done
last=$(echo "$checkpoints" | tail -n 1)
step=$(echo "$last" | sed 's/^step-0*\([0-9][0-9]*\)\.safetensors$/\1/; s/^$/0/')
p=$(sed -n 's/.*"task.p" *: *"\([0-9]*\)".*/\1/p' "$run/run.json" | head -n 1)
task=$(sed -n 's/.*"task.name" *: *"\([^"]*\)".*/\1/p' "$run/run.json" | head -n 1)

"$PYTHON" "$here/export_onnx.py" "$run" "$run/checkpoints/$last" "$WORK/model.onnx"
"$SEDGE" import --checkpoints "$WORK/native/checkpoints" --model "$WORK/model.onnx" --task "$task" \
    --set "task.p=$p" --group 'attn=blocks.*.attn.*.weight' --out "$WORK/imported" 2>/dev/null

explain() { # explain VARIANT ROUND
    dir=$WORK/$1
    rm -rf "$dir/explain"
    /usr/bin/time -f "%e" -o "$WORK/$1-$2.time" "$SEDGE" --json explain "$dir" --step "$step" --group attn \
        --window $window --centered -n 5 --probe residual > "$WORK/$1-$2.json" 2>/dev/null
    echo "run.sh: $1 round $2: $(cat "$WORK/$1-$2.time") s (load $(cut -d' ' -f1 /proc/loadavg))"
}
i=1
while [ $i -le "$rounds" ]; do
    explain native $i
    explain imported $i
    i=$((i + 1))
done

"$PYTHON" - "$WORK" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
med = {v: statistics.median(float(open(f"{work}/{v}-{i}.time").read()) for i in range(1, rounds + 1))
       for v in ("native", "imported")}
print(f"median wall time: native {med['native']:.1f} s, imported {med['imported']:.1f} s, "
      f"imported / native = {med['imported'] / med['native']:.2f}")
a, b = (json.load(open(f"{work}/{v}-{rounds}.json")) for v in ("native", "imported"))
for da, db in zip(a["directions"], b["directions"]):
    ba, bb = da["bases"][0], db["bases"][0]
    print(f"v_{da['index']}: native {ba['basis']} F {ba['concentration']:.4f} peak {ba['peak']}; "
          f"imported {bb['basis']} F {bb['concentration']:.4f} peak {bb['peak']}")
print(f"edge ablation: native {a['ablation']['edge']['accuracy']:+.4f}, imported {b['ablation']['edge']['accuracy']:+.4f}")
PY
