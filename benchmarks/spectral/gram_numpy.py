"""numpy's X @ X.T (and X @ x, the same work as one incremental update) on the same machine.

Run with Debian's system python (/usr/bin/python3), whose numpy uses the system BLAS.
Prints one "RESULT" line per measurement:
  RESULT numpy op=<X@X.T|X@x> W=<W> p=<p> ms=<median> window_gbps=<W*p*4 bytes / median> min_ms=<fastest>
"""
import ctypes.util
import sys
import time

import numpy as np


def blas_library():
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
        return ", ".join(sorted(libs)) or "unknown"
    except OSError:
        return "unknown"


def timings_ms(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return times[len(times) // 2], times[0]


def main():
    p = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    widths = [int(w) for w in sys.argv[2].split(",")] if len(sys.argv) > 2 else [10, 20, 40]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    X = np.random.default_rng(42).standard_normal((max(widths), p), dtype=np.float32)
    x = np.random.default_rng(7).standard_normal(p, dtype=np.float32)
    X @ x
    print(f"# numpy {np.__version__}, BLAS: {blas_library()}")
    for w in widths:
        Xw = np.ascontiguousarray(X[:w])
        for op, fn in (("X@X.T", lambda: Xw @ Xw.T), ("X@x", lambda: Xw @ x)):
            ms, fastest = timings_ms(fn, repeats)
            gbps = w * p * 4 / 1e9 / (ms / 1e3)
            print(f"RESULT numpy op={op} W={w} p={p} ms={ms:.2f} window_gbps={gbps:.2f} min_ms={fastest:.2f}")


if __name__ == "__main__":
    main()
