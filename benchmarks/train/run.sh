#!/bin/sh
# The live spectral monitor's cost against the step time in the default experiment (the issue asks
# for < 5%): the same run with the monitor on and off, alternated, per-step times from a listener.
#
# Needs: JDK 25 (JAVA_HOME or /usr/lib/jvm/temurin-25-jdk-amd64); platform-train and the plugins it
# tests with installed in ~/.m2 (mvn -o -pl platform-train -am install -DskipTests).
# Usage: benchmarks/train/run.sh [steps] [from] [repeats] [threads]    defaults: 60 30 3 1
set -eu
here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
root=$(cd -P -- "$here/../.." && pwd -P)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ ! -x "$JAVA_HOME/bin/java" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25'; then
    echo "run.sh: needs a JDK 25; set JAVA_HOME (tried $JAVA_HOME)" >&2
    exit 1
fi
export JAVA_HOME
steps=${1:-60}
from=${2:-30}
repeats=${3:-3}
threads=${4:-1}
work=${TMPDIR:-/tmp}/sedge-bench-train
mkdir -p "$work/native" "$work/cache"
m2=${HOME}/.m2/repository

# Runtime module path: platform-train's test class path (core, plugins, engine, pytorch-jni,
# commons-lang3, jackson, ejml) minus JUnit and the test kit, plus platform-train itself.
(cd "$root" && mvn -q -o -pl platform-train dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/cp.txt" >/dev/null)
modulepath=$(tr ':' '\n' < "$work/cp.txt" | grep -v -e junit -e opentest4j -e apiguardian -e platform-testkit \
    | paste -sd: -):$m2/dev/sedge/platform-train/0.1.0/platform-train-0.1.0.jar

if [ ! -f "$work/native/libtorch.so" ]; then
    unzip -q -o -j "$m2/ai/djl/pytorch/pytorch-native-cpu/2.7.1/pytorch-native-cpu-2.7.1-linux-x86_64.jar" \
        'pytorch/cpu/linux-x86_64/*.so*' -d "$work/native"
    unzip -q -o -j "$m2/ai/djl/pytorch/pytorch-jni/2.7.1-0.35.1/pytorch-jni-2.7.1-0.35.1.jar" \
        'jnilib/linux-x86_64/cpu/libdjl_torch.so' -d "$work/native"
fi
echo "# load average $(cut -d' ' -f1-3 /proc/loadavg)"
exports=""
exports="--add-exports dev.sedge.train/dev.sedge.train=ALL-UNNAMED"
for pkg in experiment plugin; do exports="$exports --add-exports dev.sedge.core/dev.sedge.core.$pkg=ALL-UNNAMED"; done
# glibc's allocator and the spectral engine's JIT thresholds as bin/sedge sets them (see distribution/src/main/launcher/sedge)
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-1} MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-33554432} MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-134217728} \
PYTORCH_LIBRARY_PATH=$work/native PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cpu DJL_CACHE_DIR=$work/cache/djl \
XDG_CACHE_HOME=$work/cache \
    "$JAVA_HOME/bin/java" -Dai.djl.offline=true -Xmx4g \
    -XX:CompileCommand=quiet '-XX:CompileCommand=CompileThresholdScaling,dev.sedge.spectral.BatchGramKernel*::*,0.1' \
    ${BENCH_JAVA_OPTS:-} \
    -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
    --enable-native-access=ai.djl.pytorch_engine,com.sun.jna \
    --module-path "$modulepath" --add-modules ALL-MODULE-PATH $exports \
    "$here/MonitorOverheadBenchmark.java" "$work" "$steps" "$from" "$repeats" 2>&1 \
    | grep -v -e '^WARNING: Using incubator modules' -e '^SLF4J'
