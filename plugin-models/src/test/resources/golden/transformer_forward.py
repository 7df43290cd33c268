"""Golden logits for the sedge `transformer` architecture from PyTorch 1.13's own
nn.TransformerEncoderLayer (norm_first=True, activation="gelu", dropout=0, batch_first=True).

Run with Debian's interpreter, not a pyenv one:

    /usr/bin/python3 plugin-models/src/test/resources/golden/transformer_forward.py \
        > plugin-models/src/test/resources/golden/transformer-forward.txt

Every parameter of the sedge model, in its declared order k = 0, 1, ..., gets the values
w[i] = 0.4 * sin(0.37 * i + 1.1 * k + 0.2) over its row-major elements i; the test sets the
same values in DJL. Output: one line per case and head: case id, head index, then the
batch x classes logits row-major.
"""
import math

import torch

VOCAB = 7
SEQ = 3
BATCH = 4
TOKENS = [[(5 * i + 3 * j + 1) % VOCAB for j in range(SEQ)] for i in range(BATCH)]
CASES = {
    # id: (layers, d_model, heads, ff, cls, head classes)
    "two-layers-two-heads": (2, 8, 2, 16, False, [7, 5]),
    "one-layer-cls": (1, 8, 4, 12, True, [7]),
}


def values(shape, k):
    n = math.prod(shape)
    flat = torch.tensor([0.4 * math.sin(0.37 * i + 1.1 * k + 0.2) for i in range(n)], dtype=torch.float32)
    return flat.reshape(shape)


def parameter_shapes(layers, d, ff, cls, heads):
    """The sedge parameter list: (name, shape) in declared order."""
    positions = SEQ + 1 if cls else SEQ
    shapes = [("embed.token.weight", (VOCAB, d)), ("embed.position.weight", (positions, d))]
    if cls:
        shapes.append(("embed.cls", (d,)))
    for l in range(layers):
        p = "blocks.%d." % l
        shapes += [(p + "ln1.weight", (d,)), (p + "ln1.bias", (d,))]
        for proj in "qkvo":
            shapes += [(p + "attn." + proj + ".weight", (d, d)), (p + "attn." + proj + ".bias", (d,))]
        shapes += [(p + "ln2.weight", (d,)), (p + "ln2.bias", (d,))]
        shapes += [(p + "mlp.fc1.weight", (ff, d)), (p + "mlp.fc1.bias", (ff,)),
                   (p + "mlp.fc2.weight", (d, ff)), (p + "mlp.fc2.bias", (d,))]
    shapes += [("ln_f.weight", (d,)), ("ln_f.bias", (d,))]
    for h, c in enumerate(heads):
        shapes += [("head.%d.weight" % h, (c, d)), ("head.%d.bias" % h, (c,))]
    return shapes


def run(layers, d, nhead, ff, cls, heads):
    w = {name: values(shape, k) for k, (name, shape) in enumerate(parameter_shapes(layers, d, ff, cls, heads))}
    stack = []
    for l in range(layers):
        p = "blocks.%d." % l
        layer = torch.nn.TransformerEncoderLayer(d, nhead, dim_feedforward=ff, dropout=0.0, activation="gelu",
                                                 layer_norm_eps=1e-5, batch_first=True, norm_first=True)
        sd = {
            "self_attn.in_proj_weight": torch.cat([w[p + "attn.q.weight"], w[p + "attn.k.weight"],
                                                   w[p + "attn.v.weight"]]),
            "self_attn.in_proj_bias": torch.cat([w[p + "attn.q.bias"], w[p + "attn.k.bias"], w[p + "attn.v.bias"]]),
            "self_attn.out_proj.weight": w[p + "attn.o.weight"],
            "self_attn.out_proj.bias": w[p + "attn.o.bias"],
            "linear1.weight": w[p + "mlp.fc1.weight"], "linear1.bias": w[p + "mlp.fc1.bias"],
            "linear2.weight": w[p + "mlp.fc2.weight"], "linear2.bias": w[p + "mlp.fc2.bias"],
            "norm1.weight": w[p + "ln1.weight"], "norm1.bias": w[p + "ln1.bias"],
            "norm2.weight": w[p + "ln2.weight"], "norm2.bias": w[p + "ln2.bias"],
        }
        layer.load_state_dict(sd)
        layer.eval()
        stack.append(layer)
    tokens = torch.tensor(TOKENS)
    with torch.no_grad():
        x = w["embed.token.weight"][tokens]
        if cls:
            x = torch.cat([w["embed.cls"].expand(BATCH, 1, d), x], dim=1)
        x = x + w["embed.position.weight"]
        for layer in stack:
            x = layer(x)
        z = torch.nn.functional.layer_norm(x[:, 0, :], (d,), w["ln_f.weight"], w["ln_f.bias"], 1e-5)
        return [torch.nn.functional.linear(z, w["head.%d.weight" % h], w["head.%d.bias" % h])
                for h in range(len(heads))]


if __name__ == "__main__":
    print("# torch " + torch.__version__ + "; see transformer_forward.py")
    for case, config in CASES.items():
        for h, logits in enumerate(run(*config)):
            print(case + " " + str(h) + " " + " ".join(repr(v) for v in logits.reshape(-1).tolist()))
