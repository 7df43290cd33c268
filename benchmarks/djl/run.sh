#!/bin/sh
# Times one full-batch mlp2 + adam step (p = 71, K = 2048, 2016 examples, x^2) in sedge's DJL
# plugins, run on the module path exactly as bin/sedge runs (natives from a folder named by
# PYTORCH_LIBRARY_PATH, the native jar on no path), and the same step in Debian's PyTorch.
#
# Needs: JDK 25 (JAVA_HOME or /usr/lib/jvm/temurin-25-jdk-amd64), plugin-models and
# plugin-optimizers installed in ~/.m2 (mvn -o -pl plugin-models,plugin-optimizers install),
# and for the comparison /usr/bin/python3 with python3-torch (not the pyenv python3 on PATH).
# Usage: benchmarks/djl/run.sh [warmup] [timed]
set -eu
here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
root=$(cd -P -- "$here/../.." && pwd -P)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ ! -x "$JAVA_HOME/bin/java" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25'; then
    echo "run.sh: needs a JDK 25; set JAVA_HOME (tried $JAVA_HOME)" >&2
    exit 1
fi
export JAVA_HOME
warmup=${1:-5}
timed=${2:-30}
work=${TMPDIR:-/tmp}/sedge-bench-djl
mkdir -p "$work/native" "$work/cache"
m2=${HOME}/.m2/repository

# Runtime module path: plugin-optimizers' test class path (which holds plugin-models, the
# engine, pytorch-jni, commons-lang3) minus JUnit and the test kit, plus plugin-optimizers.
(cd "$root" && mvn -q -o -pl plugin-optimizers dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/cp.txt" >/dev/null)
modulepath=$(tr ':' '\n' < "$work/cp.txt" | grep -v -e junit -e opentest4j -e apiguardian -e platform-testkit \
    | paste -sd: -):$m2/dev/sedge/plugin-optimizers/0.1.0/plugin-optimizers-0.1.0.jar

if [ ! -f "$work/native/libtorch.so" ]; then
    unzip -q -o -j "$m2/ai/djl/pytorch/pytorch-native-cpu/2.7.1/pytorch-native-cpu-2.7.1-linux-x86_64.jar" \
        'pytorch/cpu/linux-x86_64/*.so*' -d "$work/native"
    unzip -q -o -j "$m2/ai/djl/pytorch/pytorch-jni/2.7.1-0.35.1/pytorch-jni-2.7.1-0.35.1.jar" \
        'jnilib/linux-x86_64/cpu/libdjl_torch.so' -d "$work/native"
fi

for threads in 1 2; do
    echo "DJL, $threads intra-op thread(s):"
    PYTORCH_LIBRARY_PATH=$work/native PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cpu DJL_CACHE_DIR=$work/cache/djl \
    XDG_CACHE_HOME=$work/cache \
        "$JAVA_HOME/bin/java" -Dai.djl.offline=true -Xmx4g \
        -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
        --enable-native-access=ai.djl.pytorch_engine,com.sun.jna \
        --module-path "$modulepath" --add-modules ALL-MODULE-PATH \
        "$here/Mlp2StepBench.java" "$warmup" "$timed"
done

if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    for threads in 1 2; do
        /usr/bin/python3 "$here/mlp2_step.py" "$threads" "$warmup" "$timed"
    done
else
    echo "run.sh: /usr/bin/python3 with torch not found; skipped the PyTorch comparison" >&2
fi
