#!/usr/bin/env bash
# Gram-update throughput of the spectral engine against numpy's X @ X.T, same machine, same run.
#
#   benchmarks/spectral/run.sh [--no-build] [p] [W,W,...]      defaults: p = 10000000, W = 10,20,40
#
# Builds platform-spectral (and what it needs), runs GramBenchmark.java (JDK 25 source launcher, the
# engine on the module path) and gram_numpy.py (Debian's /usr/bin/python3 and its numpy), then
# prints the ratio at W = 20. Needs about 2 GB of heap for W = 40 and p = 1e7 (run with -Xmx6g),
# and as much again for numpy. Takes 1–3 minutes. Results are noisy on a loaded machine: run it alone.
set -euo pipefail

build=1
if [[ "${1:-}" == "--no-build" ]]; then
    build=0
    shift
fi
p="${1:-10000000}"
widths="${2:-10,20,40}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

source "$root/benchmarks/lib.sh"
java_home="$(jdk25)"
export JAVA_HOME="$java_home"

python=/usr/bin/python3
if ! "$python" -c 'import numpy' 2>/dev/null; then
    echo "run.sh: $python has no numpy; install it with: apt-get install python3-numpy" \
         "(and libopenblas0-pthread for an optimised BLAS)" >&2
    exit 2
fi

if [[ "$build" == 1 ]]; then
    echo "# building platform-spectral ..." >&2
    mvn -B -q -Dstyle.color=never -pl platform-spectral -am install -DskipTests >&2
fi
classpath_file="$root/platform-spectral/target/benchmark.classpath"
mvn -B -q -Dstyle.color=never -pl platform-spectral dependency:build-classpath -Dmdep.outputFile="$classpath_file" \
    -DincludeScope=runtime >&2
echo >&2 # Maven's last colour reset has no newline
module_path="$(cat "$classpath_file"):platform-spectral/target/platform-spectral-0.1.0.jar"

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

"$JAVA_HOME/bin/java" -Xmx6g --module-path "$module_path" --add-modules dev.sedge.spectral \
    "$here/GramBenchmark.java" "$p" "$widths" "$(nproc)" 2>&1 | grep -v 'Using incubator modules' | tee -a "$out"
"$python" "$here/gram_numpy.py" "$p" "$widths" | tee -a "$out"

awk -v p="$p" '
    function field(name,    i, a) { for (i = 1; i <= NF; i++) if (index($i, name "=") == 1) { split($i, a, "="); return a[2] } }
    /^RESULT java/ && / W=20 / { java = field("ms"); javaMin = field("min_ms") }
    /^RESULT numpy op=X@X.T W=20 / { gram = field("ms"); gramMin = field("min_ms") }
    /^RESULT numpy op=X@x W=20 / { gemv = field("ms"); gemvMin = field("min_ms") }
    END {
        if (java == "" || gram == "") { print "# no W = 20 result to compare"; exit }
        bytes = 20 * p * 4 / 1e9
        printf "SUMMARY W=20 p=%s, GB/s of the window (median | fastest): engine update %.2f | %.2f; numpy X@X.T %.2f | %.2f; numpy X@x %.2f | %.2f\n", p, bytes / java * 1e3, bytes / javaMin * 1e3, bytes / gram * 1e3, bytes / gramMin * 1e3, bytes / gemv * 1e3, bytes / gemvMin * 1e3
        printf "SUMMARY ratio engine / numpy X@X.T: %.2f (medians), %.2f (fastest); engine / numpy X@x: %.2f (medians), %.2f (fastest)\n", gram / java, gramMin / javaMin, gemv / java, gemvMin / javaMin
    }' "$out"
