#!/usr/bin/python3
"""A synthetic trajectory of GPT-2-small size with a planted spectrum, for sedge spectrum at scale (#18).

Writes OUT/step-0.safetensors … step-N.safetensors, each one float32 tensor 'w' of P values:
theta_0 ~ N(0, 1) and theta_t = theta_{t-1} + u_t, where every update is
u_t = sum_k s_k(t) a_k d_k + noise * n_t with three fixed random directions d_k of norm sqrt(P),
amplitudes a = (10, 5, 2), random signs s_k(t) and n_t ~ N(0, 1). So a window's top singular values
sit near a_k sqrt(P W) and the bulk near noise sqrt(P) (1 ± sqrt(W/P)). Seeded: same arguments, same bytes.

    /usr/bin/python3 benchmarks/scale/make_big_trajectory.py OUT [P] [SNAPSHOTS]
    (default P = 124,000,000, GPT-2 small; SNAPSHOTS = 21, a window of W = 20 updates: 10.4 GB)
"""
import json
import os
import struct
import sys

import numpy as np


def write(path, values):
    header = json.dumps({"w": {"dtype": "F32", "shape": [int(values.size)], "data_offsets": [0, int(values.nbytes)]}})
    header += " " * (-len(header) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(header)))
        f.write(header.encode())
        values.tofile(f)
    os.replace(tmp, path)


def main():
    out = sys.argv[1]
    p = int(sys.argv[2]) if len(sys.argv) > 2 else 124_000_000
    snapshots = int(sys.argv[3]) if len(sys.argv) > 3 else 21
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261207)
    amplitudes = (10.0, 5.0, 2.0)
    directions = [rng.standard_normal(p, dtype=np.float32) for _ in amplitudes]
    theta = rng.standard_normal(p, dtype=np.float32)
    write(os.path.join(out, "step-0.safetensors"), theta)
    for t in range(1, snapshots):
        update = rng.standard_normal(p, dtype=np.float32)
        for a, d in zip(amplitudes, directions):
            update += np.float32(a * rng.choice((-1.0, 1.0))) * d
        theta += update
        write(os.path.join(out, "step-%d.safetensors" % t), theta)
        print("step", t, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
