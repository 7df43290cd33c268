"""Golden logits and loss for the sedge `causal-transformer` architecture from PyTorch 1.13's own
nn.TransformerEncoderLayer (norm_first=True, activation="gelu", dropout=0, batch_first=True) under
the causal mask nn.Transformer.generate_square_subsequent_mask, and F.cross_entropy(ignore_index=-1).

Run with Debian's interpreter, not a pyenv one:

    /usr/bin/python3 plugin-models/src/test/resources/golden/causal_transformer_forward.py \
        > plugin-models/src/test/resources/golden/causal-transformer-forward.txt

Parameters get the values of transformer_forward.py (w[i] = 0.4 * sin(0.37 * i + 1.1 * k + 0.2) for
parameter k in sedge's declared order); the tokens and targets are below, -1 marking an ignored
position. Output: per case, one line per head (case id, "logits", head index, then the
batch x T x classes logits row-major) and one line with the loss (case id, "loss", the value).
"""
import math

import torch

VOCAB = 5
SEQ = 4
BATCH = 3
TOKENS = [[(2 * i + 3 * j + 1) % VOCAB for j in range(SEQ)] for i in range(BATCH)]
CASES = {
    # id: (layers, d_model, heads, ff, head classes)
    "two-layers": (2, 8, 2, 16, [4]),
    "one-layer-two-outputs": (1, 8, 4, 12, [4, 3]),
}


def targets(classes):
    """Row i, position j: (i + 2j) mod classes, with the last i positions ignored (as padding)."""
    return [[(i + 2 * j) % classes if j < SEQ - i else -1 for j in range(SEQ)] for i in range(BATCH)]


def values(shape, k):
    n = math.prod(shape)
    flat = torch.tensor([0.4 * math.sin(0.37 * i + 1.1 * k + 0.2) for i in range(n)], dtype=torch.float32)
    return flat.reshape(shape)


def parameter_shapes(layers, d, ff, heads):
    shapes = [("embed.token.weight", (VOCAB, d)), ("embed.position.weight", (SEQ, d))]
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


def run(layers, d, nhead, ff, heads):
    w = {name: values(shape, k) for k, (name, shape) in enumerate(parameter_shapes(layers, d, ff, heads))}
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
    mask = torch.nn.Transformer.generate_square_subsequent_mask(SEQ)
    tokens = torch.tensor(TOKENS)
    with torch.no_grad():
        x = w["embed.token.weight"][tokens] + w["embed.position.weight"]
        for layer in stack:
            x = layer(x, src_mask=mask)
        z = torch.nn.functional.layer_norm(x, (d,), w["ln_f.weight"], w["ln_f.bias"], 1e-5)
        logits = [torch.nn.functional.linear(z, w["head.%d.weight" % h], w["head.%d.bias" % h])
                  for h in range(len(heads))]
        loss = sum(torch.nn.functional.cross_entropy(logits[h].reshape(-1, c),
                                                     torch.tensor(targets(c)).reshape(-1), ignore_index=-1)
                   for h, c in enumerate(heads))
    return logits, loss


if __name__ == "__main__":
    print("# torch " + torch.__version__ + "; see causal_transformer_forward.py")
    for case, config in CASES.items():
        logits, loss = run(*config)
        for h, out in enumerate(logits):
            print(case + " logits " + str(h) + " " + " ".join(repr(v) for v in out.reshape(-1).tolist()))
        print(case + " loss " + repr(loss.item()))
