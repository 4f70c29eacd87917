"""Peer for `bench pca`: reads the float32 [n x d] matrix the Swift side wrote, times scikit-learn PCA fits
(svd_solver='full' and, if this sklearn has it, 'covariance_eigh') and the two stages in numpy (centred Xc^T Xc in
float32, eigh of the float64 covariance). Threads come from OMP/OPENBLAS/MKL_NUM_THREADS set by the Swift side.
Prints JSON: median seconds per case, and the top-32 explained variances of the 'full' fit."""
import json, sys, time
import numpy as np
from sklearn.decomposition import PCA

path, n, d, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(path, dtype="<f4").reshape(n, d)


def median_time(f, rounds):
    f()  # warm-up
    ts = []
    for _ in range(rounds):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return sorted(ts)[len(ts) // 2]


out = {}
full = PCA(svd_solver="full").fit(x)
out["explained_variance_top32"] = [float(v) for v in full.explained_variance_[:32]]
out["full"] = median_time(lambda: PCA(svd_solver="full").fit(x), rounds)
try:
    out["covariance_eigh"] = median_time(lambda: PCA(svd_solver="covariance_eigh").fit(x), rounds)
except Exception:
    pass
xc = x - x.mean(axis=0)
out["numpy_cov"] = median_time(lambda: (x - x.mean(axis=0)).T @ (x - x.mean(axis=0)), rounds)
c = (xc.astype(np.float64).T @ xc.astype(np.float64)) / (n - 1)
out["numpy_eigh"] = median_time(lambda: np.linalg.eigh(c), rounds)
print(json.dumps(out))
