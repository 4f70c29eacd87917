"""Peer for `bench eval` (metrics): pytrec_eval over the same TREC run and qrels files. Loading is not timed; only
RelevanceEvaluator(...).evaluate(run). Prints JSON {"seconds": median of 3, "map": mean AP} .
  python3 eval_metrics.py QRELS RUN"""
import json, sys, time
import pytrec_eval

qrels, run = {}, {}
for line in open(sys.argv[1]):
    q, _, d, r = line.split()
    qrels.setdefault(q, {})[d] = int(r)
for line in open(sys.argv[2]):
    q, _, d, _, s, _ = line.split()
    run.setdefault(q, {})[d] = float(s)
measures = {"map", "ndcg_cut.10", "recip_rank", "recall.1000", "P.10"}
times, res = [], None
for _ in range(3):
    t0 = time.perf_counter()
    ev = pytrec_eval.RelevanceEvaluator(qrels, measures)
    res = ev.evaluate(run)
    times.append(time.perf_counter() - t0)
m = sum(v["map"] for v in res.values()) / len(res)
print(json.dumps({"seconds": sorted(times)[1], "map": m, "queries": len(res)}))
