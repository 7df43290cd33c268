"""Golden logits, loss and greedy decoding for the sedge `encoder-decoder` architecture from PyTorch 1.13's
own nn.Transformer (norm_first=True, activation="gelu", dropout=0, batch_first=True): the encoder under the
input's key padding mask, the decoder under the causal mask nn.Transformer.generate_square_subsequent_mask
with cross-attention to the encoder under the same key padding mask, then a final linear;
F.cross_entropy(ignore_index=-1) under teacher forcing.

Run with Debian's interpreter, not a pyenv one:

    /usr/bin/python3 plugin-models/src/test/resources/golden/encoder_decoder_forward.py \
        > plugin-models/src/test/resources/golden/encoder-decoder-forward.txt

Parameters, k their index in sedge's declared order, get one of two sets of values. "sin": those of
transformer_forward.py, w[i] = 0.4 * sin(0.37 * i + 1.1 * k + 0.2) for every parameter; every matrix is
then of rank 2, and the greedy decoding repeats one class. "lcg": a 64-bit linear congruential generator
(x <- x * 6364136223846793005 + 1442695040888963407 mod 2^64 from x = k * 1000003 + 1, w[i] =
(x >> 40) / 2^23 - 1, i.e. uniform in [-1, 1)), times 3 for the embeddings and 0.5 for the other weights,
every linear bias 0 and every LayerNorm gain 1 and shift 0: outputs that differ by row and position.
Inputs: VOCAB tokens, 0 the padding, each row padded to SEQ;
CLASSES decoder classes, BOS and EOS the last two; targets y_0 .. y_{m-1}, EOS, then -1 (ignored) to
TARGET. The decoder reads BOS, then the targets shifted right, -1 read as EOS. Output: per case the
teacher-forced logits (case id, "logits", batch x TARGET x CLASSES row-major), the loss (case id, "loss",
the value), the greedy decoding (case id, "greedy", batch x TARGET classes: from BOS, the argmax class
appended TARGET times, never stopped, so every position is compared) and the smallest gap between the
largest and second largest logit over the greedy steps (case id, "margin"), which must stay well above the
tolerance for the argmax to be a fair comparison.
"""
import math

import torch

VOCAB = 6
SEQ = 5
CLASSES = 5
BOS = 3
EOS = 4
TARGET = 4
TOKENS = [[1, 2, 3, 0, 0], [5, 4, 3, 2, 1], [2, 0, 0, 0, 0]]
TARGETS = [[0, 2, EOS, -1], [1, 1, 0, EOS], [EOS, -1, -1, -1]]
CASES = {
    # id: (encoder layers, decoder layers, d_model, heads, ff, values)
    "two-by-two": (2, 2, 16, 2, 24, "sin"),
    "one-by-two-four-heads": (1, 2, 8, 4, 12, "sin"),
    "two-by-two-lcg": (2, 2, 16, 2, 24, "lcg"),
}
MASK64 = (1 << 64) - 1


def values(name, shape, k, kind):
    n = math.prod(shape)
    if kind == "sin":
        flat = [0.4 * math.sin(0.37 * i + 1.1 * k + 0.2) for i in range(n)]
    elif name == "ln_f.weight" or name == "ln_enc.weight" or ".ln" in name and name.endswith(".weight"):
        flat = [1.0] * n
    elif name.endswith(".bias"):
        flat = [0.0] * n
    else:
        scale = 3.0 if name.startswith("embed.") else 0.5
        x = (k * 1000003 + 1) & MASK64
        flat = []
        for _ in range(n):
            x = (x * 6364136223846793005 + 1442695040888963407) & MASK64
            flat.append(scale * ((x >> 40) / float(1 << 23) - 1.0))
    return torch.tensor(flat, dtype=torch.float32).reshape(shape)


def attention(prefix, d):
    return [(prefix + proj + "." + kind, (d, d) if kind == "weight" else (d,)) for proj in "qkvo"
            for kind in ("weight", "bias")]


def parameter_shapes(encoder, decoder, d, ff):
    shapes = [("embed.token.weight", (VOCAB, d)), ("embed.position.weight", (SEQ, d)),
              ("embed.decoder-token.weight", (CLASSES, d)), ("embed.decoder-position.weight", (TARGET, d))]
    mlp = lambda p: [(p + "mlp.fc1.weight", (ff, d)), (p + "mlp.fc1.bias", (ff,)),
                     (p + "mlp.fc2.weight", (d, ff)), (p + "mlp.fc2.bias", (d,))]
    norm = lambda name: [(name + ".weight", (d,)), (name + ".bias", (d,))]
    for l in range(encoder):
        p = "encoder.%d." % l
        shapes += norm(p + "ln1") + attention(p + "attn.", d) + norm(p + "ln2") + mlp(p)
    shapes += norm("ln_enc")
    for l in range(decoder):
        p = "decoder.%d." % l
        shapes += norm(p + "ln1") + attention(p + "attn.", d) + norm(p + "ln2") + attention(p + "cross.", d)
        shapes += norm(p + "ln3") + mlp(p)
    shapes += norm("ln_f") + [("head.0.weight", (CLASSES, d)), ("head.0.bias", (CLASSES,))]
    return shapes


def attention_state(w, sedge, torch_name):
    return {
        torch_name + ".in_proj_weight": torch.cat([w[sedge + "q.weight"], w[sedge + "k.weight"], w[sedge + "v.weight"]]),
        torch_name + ".in_proj_bias": torch.cat([w[sedge + "q.bias"], w[sedge + "k.bias"], w[sedge + "v.bias"]]),
        torch_name + ".out_proj.weight": w[sedge + "o.weight"],
        torch_name + ".out_proj.bias": w[sedge + "o.bias"],
    }


def mlp_state(w, sedge, torch_name):
    return {torch_name + "linear1.weight": w[sedge + "mlp.fc1.weight"], torch_name + "linear1.bias": w[sedge + "mlp.fc1.bias"],
            torch_name + "linear2.weight": w[sedge + "mlp.fc2.weight"], torch_name + "linear2.bias": w[sedge + "mlp.fc2.bias"]}


def norm_state(w, sedge, torch_name):
    return {torch_name + ".weight": w[sedge + ".weight"], torch_name + ".bias": w[sedge + ".bias"]}


def run(encoder, decoder, d, nhead, ff, kind):
    w = {name: values(name, shape, k, kind)
         for k, (name, shape) in enumerate(parameter_shapes(encoder, decoder, d, ff))}
    model = torch.nn.Transformer(d, nhead, encoder, decoder, dim_feedforward=ff, dropout=0.0, activation="gelu",
                                 layer_norm_eps=1e-5, batch_first=True, norm_first=True)
    sd = {}
    for l in range(encoder):
        p, t = "encoder.%d." % l, "encoder.layers.%d." % l
        sd.update(attention_state(w, p + "attn.", t + "self_attn"))
        sd.update(mlp_state(w, p, t))
        sd.update(norm_state(w, p + "ln1", t + "norm1"))
        sd.update(norm_state(w, p + "ln2", t + "norm2"))
    sd.update(norm_state(w, "ln_enc", "encoder.norm"))
    for l in range(decoder):
        p, t = "decoder.%d." % l, "decoder.layers.%d." % l
        sd.update(attention_state(w, p + "attn.", t + "self_attn"))
        sd.update(attention_state(w, p + "cross.", t + "multihead_attn"))
        sd.update(mlp_state(w, p, t))
        for n in (1, 2, 3):
            sd.update(norm_state(w, p + "ln%d" % n, t + "norm%d" % n))
    sd.update(norm_state(w, "ln_f", "decoder.norm"))
    model.load_state_dict(sd)
    model.train()  # dropout is 0; training mode keeps PyTorch off its inference fast paths

    tokens = torch.tensor(TOKENS)
    padding = tokens == 0

    def logits(decoder_inputs):
        length = decoder_inputs.shape[1]
        src = w["embed.token.weight"][tokens] + w["embed.position.weight"]
        tgt = w["embed.decoder-token.weight"][decoder_inputs] + w["embed.decoder-position.weight"][:length]
        mask = torch.nn.Transformer.generate_square_subsequent_mask(length)
        out = model(src, tgt, tgt_mask=mask, src_key_padding_mask=padding, memory_key_padding_mask=padding)
        return torch.nn.functional.linear(out, w["head.0.weight"], w["head.0.bias"])

    with torch.no_grad():
        targets = torch.tensor(TARGETS)
        shifted = torch.cat([torch.full((len(TOKENS), 1), BOS), targets[:, :-1]], dim=1)
        shifted = torch.where(shifted < 0, torch.full_like(shifted, EOS), shifted)
        forced = logits(shifted)
        loss = torch.nn.functional.cross_entropy(forced.reshape(-1, CLASSES), targets.reshape(-1), ignore_index=-1)
        decoded = torch.full((len(TOKENS), 1), BOS)
        margin = math.inf
        for t in range(TARGET):
            step = logits(decoded)[:, t]
            top = step.topk(2, dim=1).values
            margin = min(margin, (top[:, 0] - top[:, 1]).min().item())
            decoded = torch.cat([decoded, step.argmax(1, keepdim=True)], dim=1)
    return forced, loss, decoded[:, 1:], margin


if __name__ == "__main__":
    print("# torch " + torch.__version__ + "; see encoder_decoder_forward.py")
    for case, config in CASES.items():
        forced, loss, greedy, margin = run(*config)
        print(case + " logits " + " ".join(repr(v) for v in forced.reshape(-1).tolist()))
        print(case + " loss " + repr(loss.item()))
        print(case + " greedy " + " ".join(str(v) for v in greedy.reshape(-1).tolist()))
        print(case + " margin " + repr(margin))
