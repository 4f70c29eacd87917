"""Peer for `bench elementwise`: numpy (and scipy.special.erf for GELU) ns/element for the same ops as the Swift
kernels. numpy ufuncs run on one thread whatever OMP/OPENBLAS_NUM_THREADS say. argv[1]: JSON {"n", "rows", "cols",
"lnRows", "lnCols"}; argv[2]: minimum seconds per op. Prints {"ns": {op: ns per element}}.
"""
import json, math, sys, time
import numpy as np
from scipy.special import erf

cfg = json.loads(sys.argv[1])
min_time = float(sys.argv[2]) if len(sys.argv) > 2 else 0.3
rng = np.random.default_rng(0)
n = cfg["n"]
x = rng.standard_normal(n, dtype=np.float32)
dy = rng.standard_normal(n, dtype=np.float32)
y = np.empty_like(x)
s = rng.standard_normal((cfg["rows"], cfg["cols"]), dtype=np.float32)
ln = rng.standard_normal((cfg["lnRows"], cfg["lnCols"]), dtype=np.float32)
gamma = np.ones(cfg["lnCols"], dtype=np.float32)
beta = np.zeros(cfg["lnCols"], dtype=np.float32)
p = rng.standard_normal(n, dtype=np.float32)
m = np.zeros(n, dtype=np.float32)
v = np.zeros(n, dtype=np.float32)
inv_sqrt2 = np.float32(1 / math.sqrt(2))


def softmax():
    e = np.exp(s - s.max(axis=1, keepdims=True))
    e /= e.sum(axis=1, keepdims=True)


def layernorm():
    mu = ln.mean(axis=1, keepdims=True)
    var = ln.var(axis=1, keepdims=True)
    (ln - mu) / np.sqrt(var + np.float32(1e-12)) * gamma + beta


def gelu_backward():
    cdf = 0.5 * (1 + erf(x * inv_sqrt2))
    pdf = np.exp(-0.5 * x * x) * np.float32(0.3989422804)
    dy * (cdf + x * pdf)


def adam():
    global m, v, p
    b1, b2, lr, eps = np.float32(0.9), np.float32(0.999), np.float32(1e-4), np.float32(1e-8)
    np.multiply(m, b1, out=m); m += (1 - b1) * dy
    np.multiply(v, b2, out=v); v += (1 - b2) * dy * dy
    p -= lr * ((m / np.float32(0.1)) / (np.sqrt(v / np.float32(0.001)) + eps))


ops = {
    "exp": (lambda: np.exp(x, out=y), n),
    "tanh": (lambda: np.tanh(x, out=y), n),
    "gelu": (lambda: np.multiply(0.5 * x, 1 + erf(x * inv_sqrt2), out=y), n),
    "geluBackward": (gelu_backward, n),
    "softmaxRows": (softmax, s.size),
    "layerNormRows": (layernorm, ln.size),
    "adamStep": (adam, n),
}
out = {}
for name, (f, count) in ops.items():
    f()
    times = []
    start = time.perf_counter()
    while len(times) < 3 or time.perf_counter() - start < min_time:
        t0 = time.perf_counter(); f(); times.append(time.perf_counter() - t0)
    times.sort()
    out[name] = times[len(times) // 2] / count * 1e9
print(json.dumps({"ns": out}))
