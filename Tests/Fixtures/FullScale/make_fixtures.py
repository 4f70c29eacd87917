"""Writes a miniature MS MARCO data directory in the exact published formats that `reproduce paper-a --scale full`
reads (Tests/Fixtures/FullScale/data/), so that the whole full-scale path runs in CI in seconds.

Formats (from the MS MARCO passage README, the TREC DL 2019 guidelines and the Margin-MSE score files on Zenodo 4068216):
  msmarco-passage/collection.tsv                 pid<TAB>passage            (pids 0, 1, 2, ... in order)
  msmarco-passage/queries.train.tsv              qid<TAB>query
  msmarco-passage/queries.dev.small.tsv          qid<TAB>query
  msmarco-passage/qrels.dev.small.tsv            qid<TAB>0<TAB>pid<TAB>1
  msmarco-passage/qidpidtriples.train.full.2.tsv qid<TAB>pos_pid<TAB>neg_pid
  msmarco-passage/top1000.dev                    qid<TAB>pid<TAB>query<TAB>passage
  msmarco-passage/msmarco-passagetest2019-top1000.tsv   (the same, DL19 queries)
  msmarco-passage-trec-dl/dl19/queries.tsv       qid<TAB>query
  msmarco-passage-trec-dl/dl19/qrels.txt         qid Q0 pid grade           (grades 0-3)
  margin-mse/*_train_scores_ids.tsv              pos_score<TAB>neg_score<TAB>qid<TAB>pos_pid<TAB>neg_pid
and models/vocab.txt: BERT's special tokens at BERT's ids, then every word (the test builds a tiny random BERT on it).

The texts are synthetic: 12 topics of 6 words each; a passage mixes words of its topic with filler; a query takes 3
words of its topic; a passage is relevant when it shares at least 2 of the query's words. The teacher scores count
shared words (T1) and add a little noise (T2). Deterministic: run it again and the files are identical.
Run: python3 Tests/Fixtures/FullScale/make_fixtures.py
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
rng = random.Random(20201006)

FILLER = "the of a in on for with is are was this that from by at as it be".split()
TOPICS = [[f"{stem}{k}" for k in ["a", "b", "c", "d", "e", "f"]] for stem in
          ["river", "stone", "cloud", "metal", "garden", "engine", "music", "forest", "ocean", "market", "castle", "planet"]]


def passage(topic):
    words = rng.sample(TOPICS[topic], rng.randint(2, 4)) + rng.sample(FILLER, rng.randint(3, 6))
    rng.shuffle(words)
    return " ".join(words)


passages = []  # (pid, topic, text)
for pid in range(240):
    t = pid % len(TOPICS)
    passages.append((pid, t, passage(t)))


def overlap(query, text):
    return len(set(query.split()) & set(text.split()))


def make_queries(first_qid, n):
    out = []
    for i in range(n):
        t = rng.randrange(len(TOPICS))
        out.append((first_qid + 7 * i, t, " ".join(rng.sample(TOPICS[t], 3))))
    return out


train = make_queries(1000, 60)
dev = make_queries(5000, 10)
dl19 = make_queries(9000, 8)


def write(path, lines):
    full = os.path.join(OUT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(line + "\n" for line in lines))


def candidates(queries, depth=20):
    """The first stage: passages ranked by shared words, then pid (a BM25 stand-in), top `depth`."""
    out = {}
    for qid, _, q in queries:
        ranked = sorted(passages, key=lambda p: (-overlap(q, p[2]), p[0]))[:depth]
        shuffled = ranked[:]
        rng.shuffle(shuffled)  # the published files promise no order within a query
        out[qid] = shuffled
    return out


write("msmarco-passage/collection.tsv", [f"{pid}\t{text}" for pid, _, text in passages])
write("msmarco-passage/queries.train.tsv", [f"{qid}\t{q}" for qid, _, q in train])
write("msmarco-passage/queries.dev.small.tsv", [f"{qid}\t{q}" for qid, _, q in dev])

dev_cands = candidates(dev)
dev_qrels = []
for qid, _, q in dev:
    best = max(dev_cands[qid], key=lambda p: (overlap(q, p[2]), -p[0]))
    dev_qrels.append(f"{qid}\t0\t{best[0]}\t1")  # dev-small: mostly one relevant passage per query
write("msmarco-passage/qrels.dev.small.tsv", dev_qrels)

triples, t1, t2 = [], [], []
for qid, topic, q in train:
    ranked = sorted(passages, key=lambda p: (-overlap(q, p[2]), p[0]))
    pos = [p for p in ranked if overlap(q, p[2]) >= 2][:2] or ranked[:1]
    neg = [p for p in ranked[:40] if overlap(q, p[2]) <= 1]
    for p in pos:
        for n in rng.sample(neg, 2):
            triples.append((qid, p, n))
rng.shuffle(triples)  # the published triples are in random order
write("msmarco-passage/qidpidtriples.train.full.2.tsv", [f"{qid}\t{p[0]}\t{n[0]}" for qid, p, n in triples])
q_text = {qid: q for qid, _, q in train}
for qid, p, n in triples:
    sp, sn = 2.0 * overlap(q_text[qid], p[2]) - 1.5, 2.0 * overlap(q_text[qid], n[2]) - 1.5
    t1.append(f"{sp:.6f}\t{sn:.6f}\t{qid}\t{p[0]}\t{n[0]}")
    t2.append(f"{sp + rng.uniform(-0.3, 0.3):.6f}\t{sn + rng.uniform(-0.3, 0.3):.6f}\t{qid}\t{p[0]}\t{n[0]}")
write("margin-mse/bertbase_cat_msmarcopassage_train_scores_ids.tsv", t1)
write("margin-mse/bert_cat_ensemble_msmarcopassage_train_scores_ids.tsv", t2)

write("msmarco-passage/top1000.dev",
      [f"{qid}\t{p[0]}\t{q}\t{p[2]}" for qid, _, q in dev for p in dev_cands[qid]])
dl19_cands = candidates(dl19)
write("msmarco-passage/msmarco-passagetest2019-top1000.tsv",
      [f"{qid}\t{p[0]}\t{q}\t{p[2]}" for qid, _, q in dl19 for p in dl19_cands[qid]])
write("msmarco-passage-trec-dl/dl19/queries.tsv", [f"{qid}\t{q}" for qid, _, q in dl19])
write("msmarco-passage-trec-dl/dl19/qrels.txt",
      [f"{qid} Q0 {p[0]} {min(3, overlap(q, p[2]))}" for qid, _, q in dl19 for p in sorted(dl19_cands[qid])])

specials = ["[PAD]"] + [f"[unused{i}]" for i in range(99)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
words = sorted(set(FILLER) | {w for t in TOPICS for w in t})
write("../model/vocab.txt", specials + words)
