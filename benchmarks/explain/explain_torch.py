"""`sedge explain RUN --window W --centered -n N` in PyTorch + numpy, for a wall-time comparison (run.sh).

The same work as sedge explain (docs/explain.md, steps 1-7) on one window of a trained sedge run of the
`transformer` architecture on a one-head mod-p task (mod-add, mod-sub, mod-mul, mod-x2y2, ...):

1. the W + 1 checkpoints ending at the run's last checkpoint (or --step), the group's W updates (the run's
   spectrum.group, members from run.json "layout"), centered; sigma and v_1..v_n from the W x W Gram
   (eigh), v_j = X^T u_j / sigma_j, as sedge does;
2. the functional modes: the group moved by eps = 0.005 |theta_group| along each v_k, the residual stream at
   position 0 before ln_f over every input of the task, f_k = |dh_k|^2;
3. every applicable basis (fourier over y, dlog over a, b, fourier2d over (a, b), gaussian, angular): F,
   peak, top 3, and a permutation p-value over --permutations shuffles (numpy; shuffles seeded with k,
   one set of shuffles per direction reused by every basis: numpy's generator, not Java's, so p-values
   above the floor differ by sampling noise);
4. the composition probe (ridge, alpha = 1, on additive, multiplicative, combined and cross-term features);
5. the ablation of the edge {v_1, v_2}, the bulk {v_3, v_4} and --random-planes random planes on the test
   split (accuracy and cross-entropy); the planes are numpy Gaussians seeded with step + i (sedge draws
   them with Java's SplittableRandom: other planes, the same distribution);
6. the perturbation curve along each v_k (25 steps in [-0.03, 0.03]: accuracy, loss, KL) and the curvature
   of the test loss (delta = 0.001 |theta_group|);
7. the gradient / weight-decay split from checkpoints/decay/step-N.safetensors when every interval has one,
   else the AdamW approximation -eta*omega*N*(theta_prev + theta_curr)/2 (eta from metrics.csv).

The model is a functional PyTorch forward (F.layer_norm, F.linear, softmax attention, exact GELU) that reads
sedge's checkpoint tensors by name; every model evaluation is one batch under torch.no_grad(). Checkpoints
are read with numpy from the safetensors layout (8-byte header length, JSON header, raw little-endian data).

Run with Debian's /usr/bin/python3 (python3-torch 1.13). --threads N (default: every core) sets
torch.set_num_threads and, before torch and numpy are imported, OPENBLAS_NUM_THREADS / OMP_NUM_THREADS
(Debian's torch does its GEMMs in OpenBLAS, whose pool torch.set_num_threads does not limit).

Usage: explain_torch.py RUN [--step STEP] [--window 20] [--[no-]centered] [-n 5] [--permutations 199]
                        [--random-planes 20] [--threads N] [--json OUT.json] [--flip K,..]
Prints the key numbers on stdout, phase times on stderr; --json writes the results in the layout of
`sedge explain --json` (the fields compare.py reads).
"""
import argparse
import json
import os
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("run", help="a trained sedge run directory (run.json, checkpoints/)")
parser.add_argument("--step", type=int, default=None, help="the window's last checkpoint (default: the last)")
parser.add_argument("--window", type=int, default=None, help="W (default: the run's spectrum.window)")
parser.add_argument("--centered", dest="centered", action="store_true", default=None)
parser.add_argument("--no-centered", dest="centered", action="store_false")
parser.add_argument("-n", "--directions", type=int, default=5)
parser.add_argument("--permutations", type=int, default=199)
parser.add_argument("--random-planes", type=int, default=20)
parser.add_argument("--threads", type=int, default=os.cpu_count())
parser.add_argument("--json", default=None, help="write the results here")
parser.add_argument("--flip", default="", help="K[,K..]: negate v_k (an eigenvector's sign is arbitrary; to evaluate "
                    "f_k, the probe and the curve at the sign another tool chose)")
args = parser.parse_args()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

START = time.perf_counter()
PHASES = []


def phase(name, since):
    now = time.perf_counter()
    PHASES.append((name, now - since))
    print(f"explain_torch: {name}: {now - since:.2f} s", file=sys.stderr, flush=True)
    return now


def fail(message):
    print(f"explain_torch.py: {message}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------------------------------------- run files

DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    """name -> numpy array (a copy), in the file's order."""
    with open(path, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    out = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(data, dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<"),
                                  count=(end - start) // np.dtype(DTYPES[info["dtype"]]).itemsize,
                                  offset=8 + n + start).reshape(info["shape"]).copy()
    return out


def glob_members(pattern, names):
    import fnmatch
    pats = pattern.split(",")
    return [n for n in names if any(fnmatch.fnmatchcase(n, p) for p in pats)]


def latest_learning_rate(run, step):
    path = os.path.join(run, "metrics.csv")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        cols = f.readline().strip().split(",")
        if "learning_rate" not in cols:
            return None
        c = cols.index("learning_rate")
        best = None
        for line in f:
            row = line.strip().split(",")
            if row and int(row[0]) <= step:
                try:
                    v = float(row[c])
                except ValueError:
                    continue
                if v == v:
                    best = v
        return best


# ---------------------------------------------------------------------------------------------- the task

class SplittableRandom:
    """java.util.SplittableRandom's nextLong and nextInt(bound), bit for bit (the task's train/test split)."""
    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.seed = seed & self.MASK

    def _next(self):
        self.seed = (self.seed + 0x9E3779B97F4A7C15) & self.MASK
        return self.seed

    def next_long(self):
        z = self._next()
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        z ^= z >> 31
        return z - (1 << 64) if z >> 63 else z

    def _next_int(self):
        z = self._next()
        z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & self.MASK
        r = (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & self.MASK) >> 32
        return r - (1 << 32) if r >> 31 else r

    def next_int(self, bound):
        r = self._next_int()
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = (r & 0xFFFFFFFF) >> 1
        while True:
            r = u % bound
            if ((u + m - r + (1 << 31)) & 0xFFFFFFFF) - (1 << 31) >= 0:
                return r
            u = (self._next_int() & 0xFFFFFFFF) >> 1


OPERATIONS = {
    "mod-add": (False, lambda a, b, p: (a + b) % p),
    "mod-sub": (False, lambda a, b, p: (a - b) % p),
    "mod-mul": (True, lambda a, b, p: (a * b) % p),
    "mod-div": (True, lambda a, b, p: (a * pow_inv(b, p)) % p),
    "mod-x2y2": (False, lambda a, b, p: (a * a + b * b) % p),
    "mod-a2abb2": (False, lambda a, b, p: (a * a + a * b + b * b) % p),
    "mod-a3ab": (False, lambda a, b, p: (a * a % p * a + a * b) % p),
}


def pow_inv(b, p):
    return np.array([pow(int(x), p - 2, p) for x in b])


def task_data(config, seed):
    name = config["task.name"]
    if name not in OPERATIONS:
        fail(f"task '{name}' is not supported here (one-head modular tasks only: {', '.join(OPERATIONS)})")
    p = int(config.get("task.p", "97"))
    non_zero, op = OPERATIONS[name]
    lo = 1 if non_zero else 0
    side = p - lo
    n = side * side
    i = np.arange(n)
    a, b = lo + i // side, lo + i % side
    y = op(a, b, p)
    size = int(config.get("task.train-size", "0"))
    train = size if size > 0 else int(np.floor(float(config.get("task.train-fraction", "0.5")) * n + 0.5))
    rng = SplittableRandom(SplittableRandom(seed).next_long())  # RunSeeds.of(seed).task()
    order = list(range(n))
    for k in range(n - 1, 0, -1):
        j = rng.next_int(k + 1)
        order[k], order[j] = order[j], order[k]
    return p, a, b, y, np.array(order[train:])


def discrete_logs(p):
    g = next(g for g in range(2, p) if all(pow(g, (p - 1) // q, p) != 1 for q in prime_factors(p - 1)))
    log = np.full(p, -1)
    x = 1
    for e in range(p - 1):
        log[x] = e
        x = x * g % p
    return g, log


def prime_factors(n):
    out, d = set(), 2
    while d * d <= n:
        while n % d == 0:
            out.add(d)
            n //= d
        d += 1
    if n > 1:
        out.add(n)
    return out


def is_prime(n):
    return n >= 2 and all(n % d for d in range(2, int(n ** 0.5) + 1))


# ---------------------------------------------------------------------------------------------- the model

class Transformer:
    """sedge's `transformer` (pre-LN, exact GELU, learned positions, readout from position 0) as a function of
    a dict of checkpoint tensors, so that any parameter values can be evaluated without rebuilding a module."""

    def __init__(self, config, params):
        if config.get("architecture.name") != "transformer":
            fail(f"architecture '{config.get('architecture.name')}' is not supported here (transformer only)")
        if config.get("architecture.cls", "false") == "true":
            fail("architecture.cls=true is not supported here")
        self.d = int(config.get("architecture.d-model", "128"))
        self.heads = int(config.get("architecture.heads", "4"))
        self.layers = int(config.get("architecture.layers", "2"))
        self.readouts = sorted({k.split(".")[1] for k in params if k.startswith("head.")}, key=int)
        if len(self.readouts) != 1:
            fail(f"{len(self.readouts)} readout heads; one-head tasks only")

    def __call__(self, P, tokens, probe):
        d, H = self.d, self.heads
        x = P["embed.token.weight"][tokens] + P["embed.position.weight"]
        B, S, _ = x.shape
        scale = 1.0 / (d / H) ** 0.5
        for layer in range(self.layers):
            pre = f"blocks.{layer}."
            h = F.layer_norm(x, (d,), P[pre + "ln1.weight"], P[pre + "ln1.bias"], 1e-5)
            q, k, v = (F.linear(h, P[f"{pre}attn.{m}.weight"], P[f"{pre}attn.{m}.bias"])
                       .view(B, S, H, d // H).transpose(1, 2) for m in "qkv")
            w = torch.softmax(q @ k.transpose(-1, -2) * scale, dim=-1)
            ctx = (w @ v).transpose(1, 2).reshape(B, S, d)
            x = x + F.linear(ctx, P[pre + "attn.o.weight"], P[pre + "attn.o.bias"])
            h = F.layer_norm(x, (d,), P[pre + "ln2.weight"], P[pre + "ln2.bias"], 1e-5)
            x = x + F.linear(F.gelu(F.linear(h, P[pre + "mlp.fc1.weight"], P[pre + "mlp.fc1.bias"])),
                             P[pre + "mlp.fc2.weight"], P[pre + "mlp.fc2.bias"])
        residual = x[:, 0]
        if probe == "residual":
            return residual
        z = F.layer_norm(residual, (d,), P["ln_f.weight"], P["ln_f.bias"], 1e-5)
        return F.linear(z, P["head.0.weight"], P["head.0.bias"])


# ---------------------------------------------------------------------------------------------- the bases

class Basis1d:
    """Fourier over a residue q in Z_M per input (-1: left out); per-residue means, |DFT|^2 at omega = 1..M//2."""

    def __init__(self, name, label, modulus, q):
        self.name, self.label, self.M = name, label, modulus
        self.keep = np.flatnonzero(q >= 0)
        self.q = q[self.keep]
        self.count = np.bincount(self.q, minlength=modulus)
        self.labels = [f"ω={w}" for w in range(1, modulus // 2 + 1)]
        self.shares = None

    def project(self, fs):
        """fs: B x n -> B x modes, the raw powers."""
        B = fs.shape[0]
        idx = (np.arange(B)[:, None] * self.M + self.q[None, :]).ravel()
        sums = np.bincount(idx, weights=fs[:, self.keep].ravel(), minlength=B * self.M).reshape(B, self.M)
        means = np.divide(sums, self.count, out=np.zeros_like(sums), where=self.count > 0)
        return np.abs(np.fft.fft(means, axis=1)[:, 1:self.M // 2 + 1]) ** 2


class Basis2d:
    """2-D Fourier over (s, t) in Z_M^2: cell means, empty cells at the occupied mean, DC dropped, (u, v) and
    (-u, -v) merged (power 2|F|^2, |F|^2 for a self-conjugate character); shares by u = v, u = -v, the rest."""

    def __init__(self, name, label, modulus, s, t, share_names):
        self.name, self.label, self.M = name, label, modulus
        self.keep = np.flatnonzero((s >= 0) & (t >= 0))
        self.cell = s[self.keep] * modulus + t[self.keep]
        self.count = np.bincount(self.cell, minlength=modulus * modulus)
        us, vs, factor, kind, labels = [], [], [], [], []
        for u in range(modulus // 2 + 1):
            for v in range(modulus):
                nu, nv = (modulus - u) % modulus, (modulus - v) % modulus
                if (u == 0 and v == 0) or not (u < nu or (u == nu and v <= nv)):
                    continue
                us.append(u)
                vs.append(v)
                factor.append(1.0 if (u == nu and v == nv) else 2.0)
                kind.append(0 if u == v else 1 if u == nv else 2)
                labels.append(f"(u,v)=({u},{v})")
        self.u, self.v, self.factor, self.kind = np.array(us), np.array(vs), np.array(factor), np.array(kind)
        self.labels = labels
        self.share_names = share_names
        self.shares = True

    def project(self, fs):
        B, M = fs.shape[0], self.M
        idx = (np.arange(B)[:, None] * (M * M) + self.cell[None, :]).ravel()
        sums = np.bincount(idx, weights=fs[:, self.keep].ravel(), minlength=B * M * M).reshape(B, M * M)
        occupied = self.count > 0
        means = np.divide(sums, self.count, out=np.zeros_like(sums), where=occupied)
        means -= means[:, occupied].mean(axis=1, keepdims=True)
        means[:, ~occupied] = 0
        spectrum = np.fft.fft2(means.reshape(B, M, M))
        return np.abs(spectrum[:, self.u, self.v]) ** 2 * self.factor

    def share(self, power):
        return {name: float(power[self.kind == k].sum()) for k, name in enumerate(self.share_names)}


def make_bases(p, a, b, y):
    bases, not_applicable = [], []
    bases.append(Basis1d("fourier", f"fourier over y (mod {p})", p, y))
    if is_prime(p) and p >= 3:
        g, log = discrete_logs(p)
        q = np.where((a == 0) | (b == 0), -1, (log[a] + log[b]) % (p - 1))
        bases.append(Basis1d("dlog", f"fourier over dlog a + dlog b (mod {p - 1}, g = {g})", p - 1, q))
    else:
        not_applicable.append("dlog")
    bases.append(Basis2d("fourier2d", f"fourier over (a, b) (mod {p})", p, a, b,
                         ("diagonal", "anti_diagonal", "off_diagonal")))
    if is_prime(p) and p % 4 == 1:
        g, log = discrete_logs(p)
        i_p = next(i for i in range(2, p) if i * i % p == p - 1)
        plus, minus = (a + i_p * b) % p, (a - i_p * b) % p
        left = (plus == 0) | (minus == 0)
        u = np.where(left, -1, log[plus])
        v = np.where(left, -1, log[minus])
        consts = f"mod {p - 1}, p = {p}, g = {g}, i_p = {i_p}"
        bases.append(Basis2d("gaussian", f"fourier over (dlog(a + {i_p}b), dlog(a − {i_p}b)) ({consts})", p - 1,
                             u, v, ("norm", "angle", "mixed")))
        bases.append(Basis1d("angular", f"fourier over dlog(a + {i_p}b) − dlog(a − {i_p}b) ({consts})", p - 1,
                             np.where(left, -1, (u - v) % (p - 1))))
    else:
        not_applicable += ["gaussian", "angular"]
    return bases, not_applicable


def score(basis, f, shuffles):
    """F, peak, top 3 and the permutation p-value of f (n,) in one basis; shuffles: N x n permuted copies."""
    raw = basis.project(np.vstack([f[None, :], shuffles]))
    total = raw.sum(axis=1, keepdims=True)
    power = np.divide(raw, total, out=np.zeros_like(raw), where=total > 0)
    conc = power.max(axis=1)
    own = power[0]
    peak = int(np.argmax(own))
    top = [basis.labels[i] for i in np.argsort(-own, kind="stable")[:3]]
    uniform = 1.0 / len(basis.labels)
    out = {"basis": basis.name, "label": basis.label, "concentration": float(conc[0]), "uniform": uniform,
           "lift": float(conc[0] / uniform), "peak": basis.labels[peak], "top": top,
           "p_value": (1.0 + np.count_nonzero(conc[1:] >= conc[0])) / (1.0 + len(shuffles)),
           "permutations": len(shuffles)}
    if basis.shares:
        out["shares"] = basis.share(own)
    return out


def best_first(scores):
    """docs/explain.md: the smallest p, then the largest F (to 9 decimals), then the fewest modes."""
    return sorted(scores, key=lambda s: (s["p_value"], -round(s["concentration"] * 1e9), s["uniform"] * -1))


# ---------------------------------------------------------------------------------------------- composition probe

CROSS = 10


class CompositionProbe:
    def __init__(self, p, a, b, alpha=1.0):
        _, log = discrete_logs(p)
        self.rows = np.flatnonzero((a != 0) & (b != 0))
        aa, bb = a[self.rows], b[self.rows]
        add_w = np.arange(1, p // 2 + 1)
        mul_w = np.arange(1, (p - 1) // 2 + 1)

        def chars(q, w, m):
            ang = 2 * np.pi * ((w[None, :] * q[:, None]) % m) / m
            return np.stack([np.cos(ang), np.sin(ang)], axis=2).reshape(len(q), 2 * len(w))

        add = chars((aa + bb) % p, add_w, p)
        mul = chars((log[aa] + log[bb]) % (p - 1), mul_w, p - 1)
        cross = (add[:, :CROSS, None] * mul[:, None, :CROSS]).reshape(len(aa), CROSS * CROSS)
        x = np.hstack([add, mul, cross])
        self.x = x - x.mean(axis=0)
        self.gram = self.x.T @ self.x
        na, nm = add.shape[1], mul.shape[1]
        self.sets = {"additive": np.arange(na), "multiplicative": np.arange(na, na + nm),
                     "combined": np.arange(na + nm), "cross_terms": np.arange(x.shape[1])}
        self.alpha = alpha

    def fit(self, change):
        y = change[self.rows]
        y = y - y.mean(axis=0)
        total = float((y * y).sum())
        xty = self.x.T @ y
        out = {}
        for name, s in self.sets.items():
            g = self.gram[np.ix_(s, s)]
            beta = np.linalg.solve(g + self.alpha * np.eye(len(s)), xty[s])
            residual = total - 2 * (beta * xty[s]).sum() + (beta * (g @ beta)).sum()
            out[name] = 1 - residual / total if total > 0 else float("nan")
        out["synergy"] = out["cross_terms"] - out["combined"]
        return out


# ---------------------------------------------------------------------------------------------- main

def main():
    torch.set_num_threads(args.threads)
    t = START
    run = args.run
    manifest = json.load(open(os.path.join(run, "run.json")))
    config = manifest["provenance"]["config"]
    seed = int(manifest["provenance"].get("seed", config.get("seed", 0)))
    window = args.window or int(config.get("spectrum.window", "20"))
    centered = args.centered if args.centered is not None else config.get("spectrum.centered", "true") == "true"
    group_name = config.get("spectrum.group", "all")
    members = [e["name"] for e in manifest["layout"] if e["group"] == group_name]
    if not members:
        members = glob_members(group_name, [e["name"] for e in manifest["layout"]])
    ckdir = os.path.join(run, "checkpoints")
    steps = sorted(int(f[5:-12]) for f in os.listdir(ckdir) if f.startswith("step-") and f.endswith(".safetensors"))
    end = args.step if args.step is not None else steps[-1]
    steps = [s for s in steps if s <= end]
    if not steps or steps[-1] != end or len(steps) < window + 1:
        fail(f"{run} has {len(steps)} checkpoints up to step {end}; W = {window} needs {window + 1}")
    wsteps = steps[-window - 1:]
    path = lambda s: os.path.join(ckdir, f"step-{s:09d}.safetensors")  # noqa: E731

    # 1. the window: W updates of the group, centered, sigma and v_1..v_n through the W x W Gram
    checkpoints = [read_safetensors(path(s)) for s in wsteps]
    theta = np.stack([np.concatenate([c[m].ravel() for m in members]) for c in checkpoints])  # (W+1) x p, f32
    updates = theta[1:] - theta[:-1]  # float32, as sedge subtracts
    x = updates.astype(np.float64)
    if centered:
        x -= x.mean(axis=0)
    lam, u = np.linalg.eigh(x @ x.T)
    lam, u = np.maximum(lam[::-1], 0), u[:, ::-1]
    sigma = np.sqrt(lam)
    n = min(args.directions, int(np.count_nonzero(sigma[:args.directions] > 1e-12 * sigma[0])))
    directions = ((x.T @ u[:, :n]) / sigma[:n]).T.astype(np.float32)  # n x p, unit
    for k in (int(k) for k in args.flip.split(",") if k):
        directions[k - 1] *= -1
    t = phase("read the window, sigma and v_1..v_n", t)

    # 2. the model at the window's step; functional modes over every input
    params = {k: torch.from_numpy(v) for k, v in checkpoints[-1].items()}
    model = Transformer(config, params)
    p, a, b, y, test = task_data(config, seed)
    tokens = torch.from_numpy(np.stack([a, b], axis=1))
    theta64 = theta[-1].astype(np.float64)
    norm = float(np.linalg.norm(theta64))
    epsilon = 0.005 * norm
    shapes = [(m, params[m].shape, params[m].numel()) for m in members]

    def with_group(values64):
        """The parameters with the group set to values64 (rounded to float32, as sedge stores them)."""
        flat = torch.from_numpy(values64.astype(np.float32))
        out, off = dict(params), 0
        for m, shape, count in shapes:
            out[m] = flat[off:off + count].view(shape)
            off += count
        return out

    with torch.no_grad():
        h0 = model(params, tokens, "residual").double().numpy()
        changes, modes = [], []
        for k in range(n):
            h = model(with_group(theta64 + epsilon * directions[k].astype(np.float64)), tokens, "residual")
            dh = h.double().numpy() - h0
            changes.append(dh)
            modes.append((dh * dh).sum(axis=1))
    t = phase("functional modes (residual, every input)", t)

    # 4. composition probe
    probe = CompositionProbe(p, a, b) if is_prime(p) and p >= 5 else None
    probes = [probe.fit(c) for c in changes] if probe else [None] * n
    t = phase("composition probe", t)

    # 5, 6. test split: ablation, perturbation curves, curvature
    test_tokens, test_y = tokens[torch.from_numpy(test)], torch.from_numpy(y[test])

    def logits(values64):
        return model(with_group(values64), test_tokens, "logits")

    def acc_loss(z):
        logp = torch.log_softmax(z.double(), dim=1)
        return ((z.argmax(dim=1) == test_y).double().mean().item(),
                -logp.gather(1, test_y[:, None]).mean().item(), logp)

    with torch.no_grad():
        base_acc, base_loss, base_logp = acc_loss(logits(theta64))

        def ablate(va, vb):
            out = theta64 - (theta64 @ va) * va - (theta64 @ vb) * vb
            acc, loss, _ = acc_loss(logits(out))
            return {"accuracy": acc - base_acc, "loss": loss - base_loss}

        unit = [d.astype(np.float64) / np.linalg.norm(d.astype(np.float64)) for d in directions]
        edge = ablate(unit[0], unit[1]) if n >= 2 else None
        bulk = ablate(unit[2], unit[3]) if n >= 4 else None
        random = []
        for i in range(args.random_planes):
            rng = np.random.default_rng(end + i)
            va, vb = rng.standard_normal(len(theta64)), rng.standard_normal(len(theta64))
            va /= np.linalg.norm(va)
            vb -= (va @ vb) * va
            vb /= np.linalg.norm(vb)
            random.append(ablate(va, vb))
        t = phase(f"ablation (edge, bulk, {args.random_planes} random planes)", t)

        eps_grid = [-0.03 + 2 * 0.03 * i / 24 for i in range(25)]
        delta = 0.001 * norm
        curves = []
        p_base = base_logp.exp()
        for k in range(n):
            v = directions[k].astype(np.float64)
            acc, loss, kl = [], [], []
            for e in eps_grid:
                ac, lo, logq = acc_loss(logits(theta64 + e * v))
                acc.append(ac)
                loss.append(lo)
                kl.append((p_base * (base_logp - logq)).sum(dim=1).mean().item())
            plus = acc_loss(logits(theta64 + delta * v))[1]
            minus = acc_loss(logits(theta64 - delta * v))[1]
            curves.append({"epsilon": eps_grid, "accuracy": acc, "loss": loss, "kl": kl,
                           "curvature": (plus + minus - 2 * base_loss) / delta ** 2})
        t = phase("perturbation curves and curvature", t)

    # 7. gradient / weight-decay split
    decay_dir = os.path.join(ckdir, "decay")
    recorded = all(os.path.exists(os.path.join(decay_dir, f"step-{s:09d}.safetensors")) for s in wsteps[1:])
    if recorded:
        records = [read_safetensors(os.path.join(decay_dir, f"step-{s:09d}.safetensors")) for s in wsteps[1:]]
        recorded = all(all(m in r for m in members) for r in records)
    split_source, shares = "none", None
    vt = directions.astype(np.float64).T
    if recorded:
        split_source = "recorded"
        wd = np.stack([np.concatenate([r[m].ravel() for m in members]) for r in records])
    elif config.get("optimizer.name") == "adamw":
        split_source = "adamw-approximation"
        omega = float(config.get("optimizer.weight-decay", "0"))
        rate = float(config.get("optimizer.learning-rate", "nan"))
        wd = np.stack([(-(latest_learning_rate(run, s) or rate) * omega * (s - s0) / 2
                        * (theta[j].astype(np.float64) + theta[j + 1])).astype(np.float32)
                       for j, (s0, s) in enumerate(zip(wsteps[:-1], wsteps[1:]))])
    if split_source != "none":
        along = updates.astype(np.float64) @ vt
        decay = wd.astype(np.float64) @ vt
        grad = along - decay
        g2, d2, prod = (grad ** 2).sum(0), (decay ** 2).sum(0), (grad * decay).sum(0)
        shares = [{"gradient_share": float(g2[k] / (g2[k] + d2[k])) if g2[k] + d2[k] > 0 else None,
                   "aligned": bool(prod[k] > 0)} for k in range(n)]
    t = phase(f"gradient / weight-decay split ({split_source})", t)

    # 3. the bases: every applicable one, with --permutations shuffles each
    bases, not_applicable = make_bases(p, a, b, y)
    results = []
    for k in range(n):
        rng = np.random.default_rng(k + 1)
        f = modes[k]
        shuffles = rng.permuted(np.tile(f, (args.permutations, 1)), axis=1)
        scores = best_first([score(basis, f, shuffles) for basis in bases])
        d = {"index": k + 1, "sigma": float(sigma[k]), "curvature": curves[k]["curvature"], "bases": scores,
             "perturbation": {key: curves[k][key] for key in ("epsilon", "accuracy", "loss", "kl")}}
        if shares:
            d["split"] = shares[k]
        if probes[k]:
            d["probe"] = probes[k]
        results.append(d)
    t = phase(f"basis scores ({len(bases)} bases x {args.permutations + 1} projections x {n} directions)", t)

    total = time.perf_counter() - START
    result = {"step": end, "window_steps": wsteps, "probe": "residual", "epsilon": epsilon,
              "sigma": sigma.tolist(), "directions": results, "not_applicable": not_applicable,
              "ablation": {"accuracy": base_acc, "loss": base_loss, "edge": edge, "bulk": bulk, "random": random},
              "split": {"source": split_source},
              "runtime": {"torch": torch.__version__, "numpy": np.__version__,
                          "torch_threads": torch.get_num_threads(),
                          "OPENBLAS_NUM_THREADS": os.environ["OPENBLAS_NUM_THREADS"], "cores": os.cpu_count(),
                          "phases_s": dict(PHASES), "total_s": total}}
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=1, ensure_ascii=False)

    v1 = results[0]["bases"][0]
    print(f"explain_torch: torch {torch.__version__}, {torch.get_num_threads()} threads "
          f"(OPENBLAS_NUM_THREADS {os.environ['OPENBLAS_NUM_THREADS']}), {total:.2f} s after imports")
    print(f"window {wsteps[0]}-{end} W={window} {'centered' if centered else 'uncentered'} group {group_name} "
          f"(p = {len(theta64)}), sigma_1..{n} = {' '.join(f'{s:.4f}' for s in sigma[:n])}, eps = {epsilon:.6f}")
    print(f"test accuracy {base_acc:.4f} loss {base_loss:.6g}; edge ablation dacc {edge['accuracy']:+.4f} "
          f"dloss {edge['loss']:+.4f}" + (f"; bulk dacc {bulk['accuracy']:+.4f}" if bulk else "")
          + f"; random planes max |dacc| {max((abs(r['accuracy']) for r in random), default=0):.4f}")
    print(f"v_1: best {v1['basis']} F = {v1['concentration']:.4f} ({v1['lift']:.1f}x) {v1['peak']} p = "
          f"{v1['p_value']:.3f}; " + ", ".join(f"{s['basis']} {s['concentration']:.4f} p {s['p_value']:.3f}"
                                              for s in results[0]["bases"][1:]))


if __name__ == "__main__":
    main()
