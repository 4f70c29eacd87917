"""Reference for `reproduce paper-a --minilm-teacher`'s teacher row (Table B, "MiniLM"): all-MiniLM-L6-v2 through
sentence-transformers re-ranks the TREC DL 2019 BM25 top-100 by cosine; nDCG@10 and MRR@10 (relevance >= 2) by
pytrec_eval (trec_eval semantics). Our BERT_DOT with mean pooling and cosine should give the same numbers to three
decimals (its inputs are cut at 30 query / 200 passage word pieces, sentence-transformers' at 256).

    python3 Tests/Fixtures/MarginMSE/minilm_teacher_reference.py ../shared/data/msmarco-passage-trec-dl/dl19 \
        ../shared/models/all-MiniLM-L6-v2

Not run by the tests (Python is never a dependency of the package); its output is quoted in Docs/Paper-MarginMSE.md.
"""
import sys, collections
import pytrec_eval
import torch
from sentence_transformers import SentenceTransformer

folder, model_dir = sys.argv[1], sys.argv[2]
torch.set_num_threads(2)
queries = dict(l.rstrip("\n").split("\t", 1) for l in open(f"{folder}/queries.tsv", encoding="utf-8"))
passages = dict(l.rstrip("\n").split("\t", 1) for l in open(f"{folder}/collection.tsv", encoding="utf-8"))
qrels = collections.defaultdict(dict)
for l in open(f"{folder}/qrels.txt"):
    q, _, d, g = l.split()
    qrels[q][d] = int(g)
cands = collections.defaultdict(list)
for l in open(f"{folder}/run.bm25.top100.trec"):
    q, _, d, *_ = l.split()
    cands[q].append(d)
model = SentenceTransformer(model_dir, device="cpu")
run = {}
for q in sorted(cands):
    if q not in qrels:
        continue
    qv = model.encode([queries[q]], convert_to_tensor=True, normalize_embeddings=True)
    pv = model.encode([passages[d] for d in cands[q]], convert_to_tensor=True, normalize_embeddings=True, batch_size=64)
    s = (pv @ qv.T).squeeze(1).tolist()
    run[q] = {d: float(x) for d, x in zip(cands[q], s)}
ndcg = pytrec_eval.RelevanceEvaluator(qrels, {"ndcg_cut.10"}).evaluate(run)
mrr_run = {q: dict(sorted(r.items(), key=lambda kv: (-kv[1], kv[0]))[:10]) for q, r in run.items()}
mrr = pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"}, relevance_level=2).evaluate(mrr_run)
n = len(run)
print(f"queries {n}; nDCG@10 {sum(v['ndcg_cut_10'] for v in ndcg.values()) / n:.4f}; "
      f"MRR@10 (rel >= 2) {sum(v['recip_rank'] for v in mrr.values()) / n:.4f}")
