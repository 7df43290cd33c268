#!/bin/sh
# A run trained in PyTorch, imported and explained: train_torch.py trains the functional-modes transformer
# on (a + b) mod 97 (3000 steps, a checkpoint every 100, its own train split) and exports it; `sedge import`
# makes a run of it (with --train, so the test split is the pairs PyTorch never trained on); `sedge spectrum`
# takes W = 20 centered windows over the attention weights; `sedge explain` explains the last window
# (steps 1000-3000, after grokking), as the functional-modes protocol does for sedge's own runs.
#
# Usage: benchmarks/import/grokked.sh   (env: SEDGE, PYTHON as run.sh; WORK default ${TMPDIR:-/tmp}/sedge-grokked)
# About 6 minutes on 2 cores: run it alone.
set -eu
here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
root=$(cd -P -- "$here/../.." && pwd -P)
PYTHON=${PYTHON:-/usr/bin/python3}
WORK=${WORK:-${TMPDIR:-/tmp}/sedge-grokked}
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)
SEDGE=${SEDGE:-$root/distribution/target/sedge-$version/bin/sedge}
[ -x "$SEDGE" ] || { echo "grokked.sh: no sedge image at $SEDGE; set SEDGE" >&2; exit 2; }
rm -rf "$WORK"
mkdir -p "$WORK"
"$PYTHON" "$here/train_torch.py" "$WORK/torch" | awk 'NR % 5 == 1'
"$SEDGE" import --checkpoints "$WORK/torch/ckpt" --model "$WORK/torch/model.onnx" --train "$WORK/torch/train.json" \
    --task mod-add --set task.p=97 --group 'attn=blocks.*.attn.*.weight' --out "$WORK/run"
"$SEDGE" spectrum "$WORK/run" --window 20 --centered
"$SEDGE" explain "$WORK/run" --window 20 --centered --probe residual -n 3
