"""One full-batch step of the lock-in setup in PyTorch, the counterpart of Mlp2StepBench.java.

mlp2 as sedge computes it: W (2p x K) gathered (row a of W_a plus row b of W_b), x^2, V (K x p),
no biases; zero-mean MSE averaged over examples; torch.optim.Adam(lr=1e-3, weight_decay=2e-4).
Run with Debian's /usr/bin/python3 (python3-torch). Arguments: threads warmup timed.
"""
import sys
import time

import torch

threads, warmup, timed = (int(a) for a in (sys.argv[1:] + ["1", "5", "30"][len(sys.argv) - 1:])[:3])
torch.set_num_threads(threads)
torch.manual_seed(0)
p, k, n = 71, 2048, 2016
pairs = torch.randperm(p * p)[:n]
a, b = pairs // p, pairs % p
rows = torch.stack([a, b + p], dim=1)  # n x 2 rows of W
y = torch.nn.functional.one_hot((a + b) % p, p).float()
w = torch.nn.Parameter(torch.empty(2 * p, k).uniform_(-(2 * p) ** -0.5, (2 * p) ** -0.5))
v = torch.nn.Parameter(torch.empty(k, p).uniform_(-k ** -0.5, k ** -0.5))
opt = torch.optim.Adam([w, v], lr=1e-3, weight_decay=2e-4)
times = []
for step in range(warmup + timed):
    start = time.perf_counter()
    opt.zero_grad()
    out = torch.nn.functional.embedding(rows, w).sum(1).square() @ v
    r = y - out
    loss = 0.5 * (r - r.mean(1, keepdim=True)).square().sum(1).mean()
    loss.backward()
    opt.step()
    if step >= warmup:
        times.append((time.perf_counter() - start) * 1e3)
times.sort()
print(f"torch {torch.__version__} mlp2 step ({threads} thread(s)): median {times[timed // 2]:.1f} ms, "
      f"min {times[0]:.1f} ms, max {times[-1]:.1f} ms over {timed} steps; loss {loss.item():.6f}")
