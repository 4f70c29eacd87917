"""Peer for `bench gemm`: numpy (OpenBLAS) sgemm GFLOP/s for the cases given as JSON on argv[1].

Each case is {"name", "m", "k", "n", "transA", "transB"}; C = op(A)·op(B) with op(A) m×k and op(B) k×n, operands
stored as the Swift side stores them (A is k×m when transA, B is n×k when transB), so numpy hands BLAS a transposed
view without copying. Thread count and OpenBLAS core type come from the environment the Swift side sets
(OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, OPENBLAS_CORETYPE).

Two modes:
  gemm.py CASES MIN_TIME [cputime]    times every case once; prints {"gflops": {name: value}, "config": …}
  gemm.py CASES serve                 a session: reads one request per line on stdin, {"case": name,
                                      "seconds": t, "cputime": bool}, times that case for at least t seconds and
                                      prints {"gflops": value} (one line, flushed); ends at end of input. The Swift
                                      side alternates its own measurement with the peer's, case by case (paired).
CPU time (time.thread_time) is valid with one thread only.
"""
import json, sys, time
import numpy as np

cases = {c["name"]: c for c in json.loads(sys.argv[1])}
rng = np.random.default_rng(0)
operands = {}


def gflops(c, min_time, cputime):
    clock = time.thread_time if cputime else time.perf_counter
    if c["name"] not in operands:
        m, k, n = c["m"], c["k"], c["n"]
        a = rng.standard_normal((k, m) if c["transA"] else (m, k), dtype=np.float32)
        b = rng.standard_normal((n, k) if c["transB"] else (k, n), dtype=np.float32)
        operands[c["name"]] = (a.T if c["transA"] else a, b.T if c["transB"] else b,
                               np.empty((m, n), dtype=np.float32))
    opa, opb, dst = operands[c["name"]]
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
    return 2.0 * c["m"] * c["n"] * c["k"] / times[len(times) // 2] / 1e9


if len(sys.argv) > 2 and sys.argv[2] == "serve":
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        print(json.dumps({"gflops": gflops(cases[req["case"]], float(req["seconds"]), bool(req.get("cputime")))}),
              flush=True)
    sys.exit(0)

min_time = float(sys.argv[2]) if len(sys.argv) > 2 else 0.3
cputime = "cputime" in sys.argv[3:]
out = {name: gflops(c, min_time, cputime) for name, c in cases.items()}
config = {}
try:
    import threadpoolctl
    config = [{k: v for k, v in d.items() if k in ("internal_api", "version", "num_threads", "architecture")}
              for d in threadpoolctl.threadpool_info()]
except Exception:
    pass
print(json.dumps({"gflops": out, "config": config}))
