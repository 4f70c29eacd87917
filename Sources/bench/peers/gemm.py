"""Peer for `bench gemm`: numpy (OpenBLAS) sgemm GFLOP/s for the cases given as JSON on argv[1].

Each case is {"name", "m", "k", "n", "transA", "transB"}; C = op(A)·op(B) with op(A) m×k and op(B) k×n, operands
stored as the Swift side stores them (A is k×m when transA, B is n×k when transB), so numpy hands BLAS a transposed
view without copying. Thread count and OpenBLAS core type come from the environment the Swift side sets
(OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, OPENBLAS_CORETYPE). argv[2]: minimum seconds per case; argv[3] "cputime":
time with this thread's CPU clock (valid with one thread only). Prints {"gflops": {name: value}, "config": …}.
"""
import json, sys, time
import numpy as np

cases = json.loads(sys.argv[1])
min_time = float(sys.argv[2]) if len(sys.argv) > 2 else 0.3
clock = time.thread_time if "cputime" in sys.argv[3:] else time.perf_counter   # CPU time: 1 thread only
rng = np.random.default_rng(0)
out = {}
for c in cases:
    m, k, n = c["m"], c["k"], c["n"]
    a = rng.standard_normal((k, m) if c["transA"] else (m, k), dtype=np.float32)
    b = rng.standard_normal((n, k) if c["transB"] else (k, n), dtype=np.float32)
    opa = a.T if c["transA"] else a
    opb = b.T if c["transB"] else b
    dst = np.empty((m, n), dtype=np.float32)
    for _ in range(2):
        np.matmul(opa, opb, out=dst)
    times = []
    start = clock()
    while len(times) < 5 or clock() - start < min_time:
        t0 = clock()
        np.matmul(opa, opb, out=dst)
        times.append(clock() - t0)
        if len(times) > 10000:
            break
    times.sort()
    out[c["name"]] = 2.0 * m * n * k / times[len(times) // 2] / 1e9
config = {}
try:
    import threadpoolctl
    config = [{k: v for k, v in d.items() if k in ("internal_api", "version", "num_threads", "architecture")}
              for d in threadpoolctl.threadpool_info()]
except Exception:
    pass
print(json.dumps({"gflops": out, "config": config}))
