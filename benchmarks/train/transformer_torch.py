"""The functional-modes transformer protocol (docs/science.md, "Other experiment setups") in PyTorch, for a steps-per-second
comparison with `sedge train examples/configs/transformer-mod97.json`.

(a + b) mod 97, every pair, 50/50 split (sedge's split: the Fisher-Yates of java.util.SplittableRandom
with the task seed of run seed 0, see lockin_torch.py; 4705 train pairs, as Java's Math.round(0.5 * 9409));
2 pre-LN encoder layers (nn.TransformerEncoderLayer(norm_first=True, activation='gelu', dropout=0,
batch_first=True)), d 128, 4 heads, ff 256, learned token and position embeddings, a final LayerNorm and
a linear readout from position 0 (token a), cross-entropy; AdamW(lr=1e-3, weight_decay=1.0,
betas=(0.9, 0.98)) on every parameter; minibatches of 512 drawn with replacement; clip_grad_norm_ 1.0.
290 401 parameters, as sedge's transformer. Initialisation is PyTorch's own (xavier for the attention
in-projection, where sedge's follows nn.Linear), so learning curves differ in detail; the work per step
is the same.

Evaluation (train and test loss and accuracy on all 9409 pairs, no_grad) runs at step 0, every
--eval-every steps and at the last step, as sedge's schedule does.

Run with Debian's /usr/bin/python3 (python3-torch 1.13), not the pyenv python3 on PATH.
Usage: transformer_torch.py [--threads N] [--steps 300] [--eval-every 1000]
--threads also sets OPENBLAS_NUM_THREADS before torch is imported: Debian's torch does its GEMMs in
OpenBLAS (pthreads), whose pool torch.set_num_threads does not limit.
Prints the wall time of the loop, steps per second over all steps and over the steps after the first
20 (warm-up excluded), and the median step time.
"""
import argparse
import math
import os
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--steps", type=int, default=300)
parser.add_argument("--eval-every", type=int, default=1000)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lockin_torch import sedge_split  # noqa: E402


class Transformer(nn.Module):
    def __init__(self, vocab, positions, d=128, heads=4, ff=256, layers=2):
        super().__init__()
        self.token = nn.Embedding(vocab, d)
        self.position = nn.Embedding(positions, d)
        layer = nn.TransformerEncoderLayer(d, heads, ff, dropout=0.0, activation="gelu", batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, tokens):
        x = self.token(tokens) + self.position.weight
        x = self.encoder(x)
        return self.head(self.ln_f(x[:, 0]))


def main():
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    p = 97
    train_idx, test_idx = sedge_split(p, math.floor(0.5 * p * p + 0.5), args.seed)

    def pairs(idx):
        a, b = idx // p, idx % p
        return torch.stack([a, b], dim=1), (a + b) % p

    x_tr, y_tr = pairs(train_idx)
    x_te, y_te = pairs(test_idx)
    model = Transformer(p, 2)
    assert sum(t.numel() for t in model.parameters()) == 290401
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1.0, betas=(0.9, 0.98))
    generator = torch.Generator().manual_seed(args.seed)

    def evaluate(step):
        model.eval()
        with torch.no_grad():
            out = []
            for x, y in ((x_tr, y_tr), (x_te, y_te)):
                logits = model(x)
                out += [F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()]
        model.train()
        return (step,) + tuple(out)

    metrics = [evaluate(0)]
    times = []
    started = time.perf_counter()
    for step in range(1, args.steps + 1):
        t0 = time.perf_counter()
        batch = torch.randint(0, len(y_tr), (512,), generator=generator)
        loss = F.cross_entropy(model(x_tr[batch]), y_tr[batch])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        times.append(time.perf_counter() - t0)
        if step % args.eval_every == 0 or step == args.steps:
            metrics.append(evaluate(step))
    loop = time.perf_counter() - started
    steady = times[20:]
    median = sorted(times)[len(times) // 2]
    last = metrics[-1]
    print(f"torch {torch.__version__} threads {args.threads} (OPENBLAS_NUM_THREADS "
          f"{os.environ['OPENBLAS_NUM_THREADS']}): {args.steps} steps in {loop:.2f} s with "
          f"{len(metrics)} evaluations: {args.steps / loop:.2f} steps/s; steps 21-{args.steps} alone "
          f"{len(steady) / sum(steady):.2f} steps/s; median step {1e3 * median:.1f} ms")
    print(f"step {last[0]}: train_loss {last[1]:.4f} train_acc {last[2]:.4f} test_loss {last[3]:.4f} "
          f"test_acc {last[4]:.4f}")


if __name__ == "__main__":
    main()
