"""Peer for `bench pca`, a session: reads the float32 [n x d] matrix the Swift side wrote, then answers one request per
line on stdin with one JSON line (flushed), until end of input:
  {"case": "explained"}                 -> {"top32": the top-32 explained variances of PCA(svd_solver='full')}
  {"case": C, "seconds": t}             -> {"seconds": median seconds per call of case C, timed for at least t seconds
                                           after one warm-up call}, or {"missing": true} if this sklearn lacks it
Cases: "full" and "covariance_eigh" (scikit-learn PCA fits), "numpy_cov" (centred Xc^T Xc in float32), "numpy_eigh"
(eigh of the float64 covariance). The Swift side alternates its own measurement with these, case by case (paired).
Threads and the OpenBLAS core type come from the environment the Swift side sets.

  pca.py PATH N D serve
"""
import json, sys, time
import numpy as np
from sklearn.decomposition import PCA

path, n, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
x = np.fromfile(path, dtype="<f4").reshape(n, d)
xc = x - x.mean(axis=0)
c = (xc.astype(np.float64).T @ xc.astype(np.float64)) / (n - 1)

cases = {
    "full": lambda: PCA(svd_solver="full").fit(x),
    "covariance_eigh": lambda: PCA(svd_solver="covariance_eigh").fit(x),
    "numpy_cov": lambda: (x - x.mean(axis=0)).T @ (x - x.mean(axis=0)),
    "numpy_eigh": lambda: np.linalg.eigh(c),
}


def median_seconds(f, min_time):
    f()  # warm-up
    ts = []
    start = time.perf_counter()
    while not ts or time.perf_counter() - start < min_time:
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2]


for line in sys.stdin:
    if not line.strip():
        continue
    req = json.loads(line)
    if req["case"] == "explained":
        full = PCA(svd_solver="full").fit(x)
        answer = {"top32": [float(v) for v in full.explained_variance_[:32]]}
    else:
        try:
            answer = {"seconds": median_seconds(cases[req["case"]], float(req["seconds"]))}
        except (ValueError, TypeError):   # an sklearn without svd_solver='covariance_eigh'
            answer = {"missing": True}
    print(json.dumps(answer), flush=True)
