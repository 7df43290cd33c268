#!/usr/bin/python3
"""A float64 reference for `sedge spectrum` over a trajectory too large for memory (#18).

Reads OUT/step-*.safetensors (one float32 tensor each, as make_big_trajectory.py writes them) in
chunks of coordinates, forms the W updates of the last window in float64 and accumulates their Gram
matrix G = D Dᵀ (W × W) chunk by chunk, so memory stays at a few hundred MB whatever P. Prints the
window's singular values sigma_j = sqrt(lambda_j(G)), and, given sedge's spectrum.csv, each one's
relative difference from sedge's (which forms the updates in float32 and sums in float blocks).

    /usr/bin/python3 benchmarks/scale/reference_spectrum.py DIR [W] [SPECTRUM_CSV]
"""
import csv
import json
import re
import struct
import sys
import time

import numpy as np


def tensor(path):
    """The file's only tensor, memory-mapped as float32."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    (name, entry), = [(k, v) for k, v in header.items() if k != "__metadata__"]
    assert entry["dtype"] == "F32", entry
    begin, end = entry["data_offsets"]
    return np.memmap(path, dtype="<f4", mode="r", offset=8 + n + begin, shape=((end - begin) // 4,))


def main():
    folder = sys.argv[1]
    window = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    import os
    files = sorted((f for f in os.listdir(folder) if f.endswith(".safetensors")),
                   key=lambda f: int(re.search(r"(\d+)", f).group(1)))
    files = files[-(window + 1):]
    thetas = [tensor(os.path.join(folder, f)) for f in files]
    p = thetas[0].size
    started = time.time()
    gram = np.zeros((window, window))
    chunk = 1 << 20
    for start in range(0, p, chunk):
        block = np.stack([t[start:start + chunk].astype(np.float64) for t in thetas])
        d = np.diff(block, axis=0)
        gram += d @ d.T
    sigma = np.sqrt(np.clip(np.linalg.eigvalsh(gram)[::-1], 0, None))
    print("# float64 reference over %s (%d files, p = %d, W = %d) in %.0f s" % (folder, len(files), p, window,
                                                                                 time.time() - started))
    print("sigma_64: " + " ".join("%.6f" % s for s in sigma))
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            last = list(csv.DictReader(f))[-1]
        ours = np.array([float(last["sigma_%d" % (j + 1)]) for j in range(window)])
        rel = np.abs(ours - sigma) / sigma
        print("sedge:    " + " ".join("%.6f" % s for s in ours))
        print("relative difference per sigma_j: " + " ".join("%.1e" % r for r in rel))
        print("max relative difference: %.2e" % rel.max())


if __name__ == "__main__":
    main()
