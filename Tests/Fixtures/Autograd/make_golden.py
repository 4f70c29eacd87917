"""Golden values for Tests/TensorsTests/TorchGoldenTests.swift, from PyTorch (CPU, float32).

A tiny post-LN BERT layer with embeddings (H=8, 2 heads, FFN 16, 2 sequences of 5 tokens with padding, additive
mask -10000 as HF BERT), its output, the loss sum(out * r) and every gradient; plus 4 AdamW steps with global-norm
clipping and the linear warm-up/decay schedule (HF get_linear_schedule_with_warmup, written out as a LambdaLR).
Run: python3 make_golden.py > bert_layer.json
"""
import json
import torch

torch.manual_seed(0)
H, NH, I, V, S, B = 8, 2, 16, 11, 5, 2
D = H // NH
ids = [[1, 5, 7, 2, 0], [1, 9, 3, 10, 2]]
mask = [[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]]

shapes = {
    "tok": [V, H], "pos": [S, H], "emb_ln.gamma": [H], "emb_ln.beta": [H],
    "q.weight": [H, H], "q.bias": [H], "k.weight": [H, H], "k.bias": [H], "v.weight": [H, H], "v.bias": [H],
    "o.weight": [H, H], "o.bias": [H], "ln1.gamma": [H], "ln1.beta": [H],
    "ff1.weight": [I, H], "ff1.bias": [I], "ff2.weight": [H, I], "ff2.bias": [H], "ln2.gamma": [H], "ln2.beta": [H],
}
params = {}
for n, s in shapes.items():
    if n.endswith("gamma"):
        t = 1 + 0.1 * torch.randn(s)
    else:
        t = 0.3 * torch.randn(s)
    params[n] = t.requires_grad_(True)
P = params

def layer_norm(x, g, b):
    return torch.nn.functional.layer_norm(x, (H,), g, b, eps=1e-12)

ids_t = torch.tensor(ids)
x = P["tok"][ids_t] + P["pos"][:S]
x = layer_norm(x, P["emb_ln.gamma"], P["emb_ln.beta"])
lin = torch.nn.functional.linear
def heads(t):
    return t.view(B, S, NH, D).permute(0, 2, 1, 3)
q, k, v = (heads(lin(x, P[f"{n}.weight"], P[f"{n}.bias"])) for n in "qkv")
add_mask = (1 - torch.tensor(mask, dtype=torch.float32))[:, None, None, :] * -10000.0
scores = q @ k.transpose(-1, -2) / D ** 0.5 + add_mask
probs = scores.softmax(-1)
ctx = (probs @ v).permute(0, 2, 1, 3).reshape(B, S, H)
h1 = layer_norm(lin(ctx, P["o.weight"], P["o.bias"]) + x, P["ln1.gamma"], P["ln1.beta"])
inter = torch.nn.functional.gelu(lin(h1, P["ff1.weight"], P["ff1.bias"]))
out = layer_norm(lin(inter, P["ff2.weight"], P["ff2.bias"]) + h1, P["ln2.gamma"], P["ln2.beta"])
r = torch.randn(B, S, H)
loss = (out * r).sum()
loss.backward()

def flat(t):
    return [float(f"{v:.8g}") for v in t.detach().reshape(-1).tolist()]

# AdamW with clipping and schedule.
torch.manual_seed(1)
p = (torch.randn(6)).requires_grad_(True)
p0 = flat(p)
grads = [torch.randn(6) * 3 for _ in range(4)]
opt = torch.optim.AdamW([p], lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
W, T = 2, 4
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / W if s < W else max(0.0, (T - s) / (T - W)))
lrs, norms = [], []
for g in grads:
    p.grad = g.clone()
    norms.append(float(torch.nn.utils.clip_grad_norm_([p], max_norm=1.0)))
    lrs.append(opt.param_groups[0]["lr"])
    opt.step()
    sched.step()

json.dump({
    "config": {"H": H, "heads": NH, "I": I, "V": V, "S": S, "B": B},
    "ids": sum(ids, []), "mask": sum(mask, []),
    "params": {n: {"shape": shapes[n], "data": flat(t)} for n, t in P.items()},
    "r": flat(r), "out": flat(out), "loss": float(loss.detach()),
    "grads": {n: flat(t.grad) for n, t in P.items()},
    "adamw": {"p0": p0, "grads": [flat(g) for g in grads], "lrs": lrs, "norms": norms, "p": flat(p),
              "peak": 0.1, "warmup": W, "total": T, "weight_decay": 0.01, "max_norm": 1.0},
}, __import__("sys").stdout, separators=(",", ":"))
