"""Peer for `bench selftest`: times a tiny numpy loop and prints JSON {"seconds": s}."""
import json, sys, time
import numpy as np
x = np.ones(1000, dtype=np.float32)
t0 = time.perf_counter()
for _ in range(1000):
    x = x * 1.0001
print(json.dumps({"seconds": (time.perf_counter() - t0) / 1000}))
