"""Exports a sedge `transformer` run's network as ONNX, the way a PyTorch user would export theirs:
the same architecture written in PyTorch with sedge's parameter names, wrapped in a module whose
network is `self.net` (so the initializers are named net.<name>, as a wrapper's would be), loaded
with the weights of one of the run's checkpoints (any: sedge import replaces them), and
torch.onnx.export'ed with do_constant_folding=False, input "tokens" (int64 [batch, 2]) and outputs
"logits" and "residual" (the residual stream at position 0 before the final LayerNorm, sedge's
default probe point). Reads only run.json and the safetensors file (numpy), needs torch 1.13.

Run with Debian's /usr/bin/python3 (python3-torch), not the pyenv python3 on PATH.
Usage: export_onnx.py RUN CHECKPOINT.safetensors OUT.onnx
"""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn as nn


def read_safetensors(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        assert entry["dtype"] == "F32", f"{name}: {entry['dtype']}"
        out[name] = np.frombuffer(data[8 + n + start:8 + n + end], dtype="<f4").reshape(entry["shape"])
    return out


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.d, self.heads = d, heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x):
        batch, length, _ = x.shape
        split = lambda t: t.reshape(batch, length, self.heads, self.d // self.heads).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = torch.matmul(q, k.transpose(-2, -1)) * (1.0 / math.sqrt(self.d // self.heads))
        mixed = torch.matmul(torch.softmax(scores, dim=-1), v)
        return self.o(mixed.transpose(1, 2).reshape(batch, length, self.d))


class MLP(nn.Module):
    def __init__(self, d, ff):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(d, ff), nn.Linear(ff, d)

    def forward(self, x):
        return self.fc2(nn.functional.gelu(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, d, heads, ff):
        super().__init__()
        self.ln1, self.attn = nn.LayerNorm(d), Attention(d, heads)
        self.ln2, self.mlp = nn.LayerNorm(d), MLP(d, ff)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class Embed(nn.Module):
    def __init__(self, vocab, positions, d):
        super().__init__()
        self.token, self.position = nn.Embedding(vocab, d), nn.Embedding(positions, d)

    def forward(self, tokens):
        return self.token(tokens) + self.position.weight


class Transformer(nn.Module):
    def __init__(self, vocab, classes, d, heads, ff, layers):
        super().__init__()
        self.embed = Embed(vocab, 2, d)
        self.blocks = nn.ModuleList(Block(d, heads, ff) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.ModuleList([nn.Linear(d, classes)])

    def forward(self, tokens):
        x = self.embed(tokens)
        for block in self.blocks:
            x = block(x)
        residual = x[:, 0, :]
        return self.head[0](self.ln_f(residual)), residual


class Wrapped(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, tokens):
        return self.net(tokens)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: export_onnx.py RUN CHECKPOINT.safetensors OUT.onnx")
    run, checkpoint, out = sys.argv[1:]
    config = json.load(open(f"{run}/run.json"))["provenance"]["config"]
    if config.get("architecture.name") != "transformer" or config.get("architecture.cls") == "true":
        sys.exit(f"{run}: not a transformer run without a CLS vector")
    p = int(config["task.p"])
    model = Transformer(p, p, int(config["architecture.d-model"]), int(config["architecture.heads"]),
                        int(config["architecture.ff"]), int(config["architecture.layers"]))
    weights = read_safetensors(checkpoint)
    missing = set(model.state_dict()) ^ set(weights)
    if missing:
        sys.exit(f"names differ between the PyTorch module and {checkpoint}: {sorted(missing)}")
    model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in weights.items()})
    torch.onnx.export(Wrapped(model).eval(), (torch.zeros(1, 2, dtype=torch.long),), out,
                      do_constant_folding=False, opset_version=14, input_names=["tokens"],
                      output_names=["logits", "residual"],
                      dynamic_axes={"tokens": {0: "batch"}, "logits": {0: "batch"}, "residual": {0: "batch"}})
    print(f"export_onnx.py: {out} ({sum(v.size for v in weights.values())} parameters)")


if __name__ == "__main__":
    main()
