"""The default `sedge train` experiment written the way a researcher would write it in PyTorch.

mlp2 of the lock-in setup (docs/science.md, "The Feature Repulsion paper"): y_hat = sigma(X W) V, X the concatenated one-hot
codes of a and b, sigma = x^2, K = 2048 hidden units, no biases (two nn.Linear(bias=False), PyTorch's
default initialisation U(+-1/sqrt(fan_in)), as sedge's mlp2); (a + b) mod 71, 2016 training pairs;
zero-mean MSE ||P_perp(Y - y_hat)||^2 summed over classes and averaged over examples, without a 1/2
(sedge's LossKind.ZERO_MEAN_MSE_NO_HALF, the default; the paper's code); full-batch torch.optim.Adam(lr=1e-3, weight_decay=2e-4) (coupled L2, as
sedge's adam); 400 epochs. After every epoch, as sedge's default does: train and test loss and
accuracy (no_grad, one forward pass per split), and a copy of the first-layer weight.

--spectrum copy   only keeps the copies (what a researcher records for a later analysis);
--spectrum live   also computes, every epoch once 20 updates exist, the eigenvalues of the W = 20 Gram
                  matrix of the last 20 updates (uncentered, as sedge's default), like sedge's live monitor.

The train/test split is sedge's: the pairs (a, b), index a*p + b, shuffled by the Fisher-Yates of
java.util.SplittableRandom seeded with the task seed sedge derives from run seed 0 (RunSeeds), the
first 2016 for training. The initial weights are PyTorch's own (torch.manual_seed), not sedge's.

Run with Debian's /usr/bin/python3 (python3-torch 1.13), not the pyenv python3 on PATH.
Usage: lockin_torch.py [--threads N] [--spectrum copy|live] [--epochs 400] [--out DIR]
--threads sets torch.set_num_threads and OPENBLAS_NUM_THREADS (see below).
Prints the wall time of the training loop and of main() (after the imports); time the whole process
from outside (benchmarks/train/compare.sh does).
"""
import argparse
import os
import time

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--spectrum", choices=["copy", "live"], default="copy")
parser.add_argument("--epochs", type=int, default=400)
parser.add_argument("--window", type=int, default=20)
parser.add_argument("--out", default=None, help="write metrics.csv (and spectrum.csv) here")
parser.add_argument("--seed", type=int, default=0)
if __name__ == "__main__":
    # Debian's torch does its GEMMs in OpenBLAS (pthreads), whose pool torch.set_num_threads does not
    # limit: without this, "1 thread" runs its matrix products on every core.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(parser.parse_args().threads))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

MASK64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


class SplittableRandom:
    """java.util.SplittableRandom: nextLong, nextInt and nextInt(bound), bit for bit."""

    def __init__(self, seed):
        self.seed = seed & MASK64

    def _next_seed(self):
        self.seed = (self.seed + GOLDEN_GAMMA) & MASK64
        return self.seed

    def next_long(self):
        z = self._next_seed()
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        z ^= z >> 31
        return z - (1 << 64) if z >> 63 else z

    def next_int(self):
        z = self._next_seed()
        z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & MASK64
        r = (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & MASK64) >> 32
        return r - (1 << 32) if r >> 31 else r

    def next_int_bound(self, bound):
        r = self.next_int()
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = (r & 0xFFFFFFFF) >> 1
        while True:
            r = u % bound
            if ((u + m - r + (1 << 31)) & 0xFFFFFFFF) - (1 << 31) >= 0:  # Java int overflow test
                return r
            u = (self.next_int() & 0xFFFFFFFF) >> 1


def sedge_split(p, train_size, run_seed=0):
    task_seed = SplittableRandom(run_seed).next_long()  # RunSeeds.of(seed).task()
    order = list(range(p * p))
    rng = SplittableRandom(task_seed)
    for i in range(len(order) - 1, 0, -1):
        j = rng.next_int_bound(i + 1)
        order[i], order[j] = order[j], order[i]
    order = torch.tensor(order)
    return order[:train_size], order[train_size:]


class Mlp2(nn.Module):
    def __init__(self, p, hidden):
        super().__init__()
        self.p = p
        self.layer1 = nn.Linear(2 * p, hidden, bias=False)
        self.layer2 = nn.Linear(hidden, p, bias=False)

    def forward(self, a, b):
        x = torch.cat([F.one_hot(a, self.p), F.one_hot(b, self.p)], dim=1).float()
        return self.layer2(self.layer1(x) ** 2)


def zero_mean_mse(out, y, p):
    r = F.one_hot(y, p).float() - out
    r = r - r.mean(dim=1, keepdim=True)
    return r.pow(2).sum(dim=1).mean()


def main():
    started = time.perf_counter()
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    p, hidden, train_size = 71, 2048, 2016

    train_idx, test_idx = sedge_split(p, train_size, args.seed)
    a_tr, b_tr, y_tr = train_idx // p, train_idx % p, (train_idx // p + train_idx % p) % p
    a_te, b_te, y_te = test_idx // p, test_idx % p, (test_idx // p + test_idx % p) % p

    model = Mlp2(p, hidden)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=2e-4)

    def evaluate(a, b, y):
        with torch.no_grad():
            out = model(a, b)
            return zero_mean_mse(out, y, p).item(), (out.argmax(1) == y).float().mean().item()

    metrics = []
    weights = [model.layer1.weight.detach().clone()]
    spectra = []
    metrics.append((0,) + evaluate(a_tr, b_tr, y_tr) + evaluate(a_te, b_te, y_te))
    loop_started = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        opt.zero_grad()
        loss = zero_mean_mse(model(a_tr, b_tr), y_tr, p)
        loss.backward()
        opt.step()
        metrics.append((epoch,) + evaluate(a_tr, b_tr, y_tr) + evaluate(a_te, b_te, y_te))
        weights.append(model.layer1.weight.detach().clone())
        if args.spectrum == "live" and len(weights) > args.window:
            with torch.no_grad():
                last = torch.stack(weights[-args.window - 1:]).flatten(1)
                updates = last[1:] - last[:-1]  # W x p
                eigenvalues = torch.linalg.eigvalsh(updates @ updates.T).flip(0)
            spectra.append((epoch, eigenvalues.tolist()))
    loop_seconds = time.perf_counter() - loop_started

    first = {}
    for t in (0.5, 0.95, 0.99):
        first[t] = next((m[0] for m in metrics if m[4] >= t), None)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "metrics.csv"), "w") as f:
            f.write("step,train_loss,train_acc,test_loss,test_acc\n")
            for m in metrics:
                f.write(",".join(str(v) for v in m) + "\n")
        if spectra:
            with open(os.path.join(args.out, "spectrum.csv"), "w") as f:
                f.write("step," + ",".join(f"sigma2_{j + 1}" for j in range(args.window)) + "\n")
                for step, values in spectra:
                    f.write(f"{step}," + ",".join(repr(v) for v in values) + "\n")
    if spectra:
        late = spectra[-1][1]
        print(f"last window: lambda1/lambda2 {late[0] / late[1]:.2f}, lambda2/lambda3 {late[1] / late[2]:.2f}")
    last = metrics[-1]
    print(f"torch {torch.__version__} numpy {np.__version__} threads {args.threads} spectrum {args.spectrum}: "
          f"{args.epochs} epochs, train loop {loop_seconds:.2f} s ({1e3 * loop_seconds / args.epochs:.1f} ms/epoch), "
          f"main() {time.perf_counter() - started:.2f} s; windows {len(spectra)}; OPENBLAS_NUM_THREADS "
          f"{os.environ.get('OPENBLAS_NUM_THREADS')}")
    print(f"final train_loss {last[1]:.6g} train_acc {last[2]:.4f} test_loss {last[3]:.6g} test_acc {last[4]:.4f}; "
          f"test acc >= 0.5/0.95/0.99 at epoch {first[0.5]}/{first[0.95]}/{first[0.99]}")


if __name__ == "__main__":
    main()
