"""Golden values for Tests/PCATests, made with scikit-learn's PCA (the reference the Swift PCA must match).

Run from the package root:  HF_HUB_OFFLINE=1 python3 Tests/Fixtures/PCA/make_goldens.py

Writes, next to this script:
  minilm-embeddings.bin   float32 little-endian, row-major [n x d]: all-MiniLM-L6-v2 embeddings (normalised, as the
                          model's pipeline outputs them) of n real MS MARCO passages (every 9th passage of
                          ../shared/data/msmarco-passage-trec-dl/dl19/collection.tsv, file order, first n).
  minilm-embeddings.json  header: n, d, dtype, byte order, source, model.
  minilm-pca.json         sklearn PCA(svd_solver='full') fitted on those float32 values promoted to float64:
                          mean, explained_variance (all d), explained_variance_ratio, the first 32 components,
                          the k=32 transform of the first 5 rows, and n_components_ chosen for variance 0.5/0.9/0.95.
  synthetic-pca.json      a 300 x 8 Gaussian cloud with known structure (std 5, 3, 2, 1, .5, .25, .1, .05 along a
                          fixed random rotation, offset mean), the data itself, and sklearn's outputs on it.

sklearn's sign rule (svd_flip with u_based_decision=False, sklearn >= 1.5): each component's largest-|value| entry
is positive. The script asserts that rule on its own output so the fixture documents which convention it carries.
"""
import json, os, sys
os.environ.setdefault("HF_HUB_OFFLINE", "1")
import numpy as np
import sklearn
from sklearn.decomposition import PCA

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared"))
N, K_STORE, K_TRANSFORM, ROWS_TRANSFORM = 1000, 32, 32, 5


def check_sign_rule(components):
    for row in components:
        i = int(np.argmax(np.abs(row)))
        assert row[i] > 0, "sklearn's sign rule (largest-|value| entry positive) does not hold"


def fit_outputs(x64, k_store, rows, k_transform):
    pca = PCA(svd_solver="full").fit(x64)
    check_sign_rule(pca.components_)
    t = PCA(n_components=k_transform, svd_solver="full").fit(x64)
    choose = {str(s): int(PCA(n_components=s, svd_solver="full").fit(x64).n_components_) for s in (0.5, 0.9, 0.95)}
    return {
        "sklearn_version": sklearn.__version__,
        "n_samples": int(x64.shape[0]), "n_features": int(x64.shape[1]),
        "mean": pca.mean_.tolist(),
        "explained_variance": pca.explained_variance_.tolist(),
        "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
        "components_k": k_store,
        "components": pca.components_[:k_store].reshape(-1).tolist(),
        "transform_rows": rows,
        "transform_k": k_transform,
        "transform": t.transform(x64[:rows]).reshape(-1).tolist(),
        "n_components_for_variance": choose,
    }


def minilm():
    from sentence_transformers import SentenceTransformer
    path = os.path.join(SHARED, "data", "msmarco-passage-trec-dl", "dl19", "collection.tsv")
    texts = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 9 == 0:
                texts.append(line.rstrip("\n").split("\t", 1)[1])
            if len(texts) == N:
                break
    model = SentenceTransformer(os.path.join(SHARED, "models", "all-MiniLM-L6-v2"), device="cpu")
    emb = model.encode(texts, batch_size=64, convert_to_numpy=True).astype("<f4")
    emb.tofile(os.path.join(HERE, "minilm-embeddings.bin"))
    with open(os.path.join(HERE, "minilm-embeddings.json"), "w") as f:
        json.dump({"n": int(emb.shape[0]), "d": int(emb.shape[1]), "dtype": "float32", "byte_order": "little",
                   "layout": "row-major",
                   "source": "every 9th passage of msmarco-passage-trec-dl/dl19/collection.tsv (file order), first 1000",
                   "model": "all-MiniLM-L6-v2 via sentence-transformers encode() (mean pooling + L2 normalise)"},
                  f, indent=1)
    out = fit_outputs(emb.astype(np.float64), K_STORE, ROWS_TRANSFORM, K_TRANSFORM)
    with open(os.path.join(HERE, "minilm-pca.json"), "w") as f:
        json.dump(out, f)


def synthetic():
    rng = np.random.default_rng(20221)
    d, n = 8, 300
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    std = np.array([5, 3, 2, 1, 0.5, 0.25, 0.1, 0.05])
    mean = np.arange(1, d + 1, dtype=np.float64)
    x = (rng.standard_normal((n, d)) * std) @ q.T + mean
    x = x.astype(np.float32)
    out = fit_outputs(x.astype(np.float64), d, 5, 3)
    out["data"] = x.reshape(-1).astype(np.float64).tolist()
    out["true_std"] = std.tolist()
    out["true_mean"] = mean.tolist()
    out["true_axes"] = q.T.reshape(-1).tolist()   # row i = the axis with std[i]
    with open(os.path.join(HERE, "synthetic-pca.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    synthetic()
    if "--synthetic-only" not in sys.argv:
        minilm()
    print("goldens written to", HERE)
