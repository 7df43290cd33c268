"""A grokking run trained in PyTorch, saved the way docs/import.md says, for `sedge import`: the
functional-modes transformer (2 pre-LN layers, d 128, 4 heads, ff 256; export_onnx.py's module, with
sedge's parameter names) on (a + b) mod 97, a random half of the 9409 pairs for training (the script's
own split, torch.randperm with seed 0, saved as train.json), AdamW(lr 1e-3, weight decay 1.0, betas
(0.9, 0.98)), minibatches of 512 drawn with replacement, clip_grad_norm_ 1.0, 3000 steps. Every 100
steps: torch.save({"model": state_dict, "step": N}) to OUT/ckpt/step-N.pt and the test accuracy to
OUT/metrics.json; at the end the ONNX export (OUT/model.onnx, outputs logits and residual).

Run with Debian's /usr/bin/python3 (python3-torch 1.13), not the pyenv python3 on PATH.
Usage: train_torch.py OUT [--steps 3000] [--threads 2]
"""
import argparse
import json
import os
import sys

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--steps", type=int, default=3000)
parser.add_argument("--threads", type=int, default=2)
args = parser.parse_args()
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_onnx import Transformer, Wrapped  # noqa: E402

P, EVERY = 97, 100


def main():
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    os.makedirs(f"{args.out}/ckpt", exist_ok=True)
    a, b = torch.meshgrid(torch.arange(P), torch.arange(P), indexing="ij")
    tokens = torch.stack([a.reshape(-1), b.reshape(-1)], dim=1)       # index a*P + b, as sedge's mod-add
    labels = (tokens[:, 0] + tokens[:, 1]) % P
    order = torch.randperm(P * P, generator=torch.Generator().manual_seed(0))
    train, test = order[: P * P // 2], order[P * P // 2:]
    json.dump(train.tolist(), open(f"{args.out}/train.json", "w"))

    model = Transformer(P, P, 128, 4, 256, 2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1.0, betas=(0.9, 0.98))
    metrics = []
    for step in range(args.steps + 1):
        if step % EVERY == 0:
            torch.save({"model": model.state_dict(), "step": step}, f"{args.out}/ckpt/step-{step}.pt")
            with torch.no_grad():
                accuracy = (model(tokens[test])[0].argmax(1) == labels[test]).float().mean().item()
            metrics.append({"step": step, "test_acc": accuracy})
            print(f"step {step}: test accuracy {accuracy:.4f}", flush=True)
        if step == args.steps:
            break
        batch = train[torch.randint(len(train), (512,))]
        loss = torch.nn.functional.cross_entropy(model(tokens[batch])[0], labels[batch])
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    json.dump(metrics, open(f"{args.out}/metrics.json", "w"), indent=1)
    torch.onnx.export(Wrapped(model).eval(), (tokens[:1],), f"{args.out}/model.onnx", do_constant_folding=False,
                      opset_version=14, input_names=["tokens"], output_names=["logits", "residual"],
                      dynamic_axes={"tokens": {0: "batch"}, "logits": {0: "batch"}, "residual": {0: "batch"}})


if __name__ == "__main__":
    main()
