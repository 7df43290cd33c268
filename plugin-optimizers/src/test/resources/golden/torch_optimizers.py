"""Golden values for the sedge optimizers from PyTorch 1.13 (Debian's python3-torch).

Run with Debian's interpreter, not a pyenv one:

    /usr/bin/python3 plugin-optimizers/src/test/resources/golden/torch_optimizers.py \
        > plugin-optimizers/src/test/resources/golden/torch-optimizers.txt

Every case minimises the quadratic loss sum(a * (theta - c)^2) / 2 in float32 from theta0 for
STEPS steps and prints one line: the case id, then the final theta (row-major), as repr floats.
The muon cases run the update of the reference Muon (github.com/KellerJordan/Muon, muon.py,
muon_update + Muon.step) written out below, in float32 instead of bfloat16.
"""
import torch

STEPS = 5
THETA0 = [[0.5, -1.0, 2.0], [0.0, -0.25, 1.5]]
A = [[1.0, 2.0, 0.5], [3.0, 1.0, 0.1]]
C = [[0.0, 1.0, -1.0], [0.5, 0.0, 2.0]]


def quadratic(transpose=False):
    t = lambda m: torch.tensor(m, dtype=torch.float32)
    theta0, a, c = t(THETA0), t(A), t(C)
    if transpose:
        theta0, a, c = theta0.T.contiguous(), a.T.contiguous(), c.T.contiguous()
    return theta0, a, c


def run_torch(make_optimizer):
    theta0, a, c = quadratic()
    theta = theta0.clone().requires_grad_(True)
    optimizer = make_optimizer([theta])
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = (a * (theta - c) ** 2).sum() / 2
        loss.backward()
        optimizer.step()
    return theta.detach()


def newton_schulz5(g, steps=5, eps=1e-7):
    a, b, c = (3.4445, -4.7750, 2.0315)
    x = g.clone()
    if g.size(0) > g.size(1):
        x = x.T
    x = x / (x.norm() + eps)
    for _ in range(steps):
        gram = x @ x.T
        poly = b * gram + c * gram @ gram
        x = a * x + poly @ x
    if g.size(0) > g.size(1):
        x = x.T
    return x


def run_muon(transpose, lr=0.02, momentum=0.95, nesterov=True, weight_decay=0.0):
    theta, a, c = quadratic(transpose)
    buf = torch.zeros_like(theta)
    for _ in range(STEPS):
        grad = a * (theta - c)
        buf.lerp_(grad, 1 - momentum)
        update = grad.lerp(buf, momentum) if nesterov else buf
        update = newton_schulz5(update)
        update = update * max(1, theta.size(-2) / theta.size(-1)) ** 0.5
        theta.mul_(1 - lr * weight_decay)
        theta.add_(update, alpha=-lr)
    return theta


CASES = {
    "sgd-plain": lambda: run_torch(lambda p: torch.optim.SGD(p, lr=0.1)),
    "sgd-momentum-dampening-wd": lambda: run_torch(
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.1)),
    "sgd-nesterov-wd": lambda: run_torch(
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.05)),
    "adamw-defaults-lr": lambda: run_torch(lambda p: torch.optim.AdamW(p, lr=0.05)),
    "adamw-protocol": lambda: run_torch(
        lambda p: torch.optim.AdamW(p, lr=0.05, betas=(0.9, 0.98), eps=1e-8, weight_decay=1.0)),
    "muon-wide": lambda: run_muon(False, lr=0.05, weight_decay=0.1),
    "muon-tall-plain-momentum": lambda: run_muon(True, lr=0.05, nesterov=False),
}

if __name__ == "__main__":
    print("# torch " + torch.__version__ + ", float32, " + str(STEPS) + " steps; see torch_optimizers.py")
    for name, case in CASES.items():
        values = case().reshape(-1).tolist()
        print(name + " " + " ".join(repr(v) for v in values))
