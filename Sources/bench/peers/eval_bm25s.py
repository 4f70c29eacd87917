"""Peer BM25 with bm25s (k1 0.9, b 0.4, method "lucene") and the same analyser as Eval.Analyzer: lowercase,
`(?u)\\b\\w\\w+\\b`, Lucene's 33 English stop words, no stemmer. Readers follow Corpus's rules (Cranfield: title + .W,
queries numbered by position; Vaswani: TREC SGML; SciFact: title + abstract sentences).

  python3 eval_bm25s.py run DATASET DATA_DIR OUT_RUN [K] [porter]   writes a TREC run (the parity table in Docs/Eval.md);
                                                         `porter`: NLTK's PorterStemmer(MARTIN_EXTENSIONS) as stemmer
  python3 eval_bm25s.py time DATASET DATA_DIR [NQ]         prints JSON {"seconds": index + NQ queries, median of 3}
"""
import csv, json, re, sys, time
import bm25s

LUCENE_STOP = ["a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no",
               "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to",
               "was", "will", "with"]


def smart(path):
    recs, field = [], None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith(".I"):
            recs.append({"I": line[2:].strip()}); field = None
        elif len(line) == 2 and line[0] == "." and line[1] in "TABW":
            field = line[1]
        elif field:
            recs[-1][field] = recs[-1].get(field, "") + " " + line
    return recs


def sgml_docs(path):
    text = open(path, encoding="utf-8").read()
    out = []
    for m in re.finditer(r"<DOC>(.*?)</DOC>", text, re.S):
        body = m.group(1)
        docno = re.search(r"<DOCNO>(.*?)</DOCNO>", body).group(1).strip()
        body = re.sub(r"<DOCNO>.*?</DOCNO>", " ", body)
        out.append((docno, " ".join(re.sub(r"<[^>]*>", " ", body).split())))
    return out


def sgml_topics(path):
    text = open(path, encoding="utf-8").read()
    out = []
    for m in re.finditer(r"<top>(.*?)</top>", text, re.S | re.I):
        body = m.group(1)
        num = re.search(r"<num>([^<]*)", body, re.I).group(1).strip()
        title = re.search(r"<title>([^<]*)", body, re.I).group(1)
        out.append((num, " ".join(title.split())))
    return out


def load(dataset, d):
    if dataset == "cranfield":
        docs = [(r["I"], " ".join((r.get("T", "") + " " + r.get("W", "")).split())) for r in smart(f"{d}/cranfield/cran.all.1400")]
        queries = [(str(i + 1), " ".join(r["W"].split())) for i, r in enumerate(smart(f"{d}/cranfield/cran.qry"))]
    elif dataset == "vaswani":
        docs = sgml_docs(f"{d}/vaswani/doc-text.trec")
        queries = sgml_topics(f"{d}/vaswani/query-text.trec")
    elif dataset == "scifact":
        csv.field_size_limit(1 << 30)
        docs = []
        with open(f"{d}/scifact/corpus_train.csv", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                sents = [a or b for a, b in re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", row["abstract"])]
                docs.append((row["doc_id"], " ".join(" ".join([row["title"]] + sents).split())))
        queries = [tuple(l.rstrip("\n").split("\t", 1)) for l in open(f"{d}/scifact/queries.test.tsv", encoding="utf-8")]
    else:
        raise SystemExit(f"unknown dataset {dataset}")
    return docs, queries


def search(docs, queries, k, stemmer=None):
    tok = bm25s.tokenize([t for _, t in docs], stopwords=LUCENE_STOP, stemmer=stemmer, show_progress=False, return_ids=False)
    r = bm25s.BM25(k1=0.9, b=0.4, method="lucene")
    r.index(tok, show_progress=False)
    qtok = bm25s.tokenize([t for _, t in queries], stopwords=LUCENE_STOP, stemmer=stemmer, show_progress=False, return_ids=False)
    ids, scores = r.retrieve(qtok, k=min(k, len(docs)), show_progress=False, n_threads=1)
    return ids, scores


def main():
    mode, dataset, d = sys.argv[1], sys.argv[2], sys.argv[3]
    docs, queries = load(dataset, d)
    if mode == "run":
        k = int(sys.argv[5]) if len(sys.argv) > 5 else 100
        stemmer = None
        if len(sys.argv) > 6 and sys.argv[6] == "porter":
            from nltk.stem.porter import PorterStemmer
            p = PorterStemmer(mode=PorterStemmer.MARTIN_EXTENSIONS)
            stemmer = lambda words: [p.stem(w) for w in words]
        ids, scores = search(docs, queries, k, stemmer)
        with open(sys.argv[4], "w") as f:
            for qi, (qid, _) in enumerate(queries):
                rank = 0
                for j in range(ids.shape[1]):
                    if scores[qi, j] <= 0:
                        continue
                    rank += 1
                    f.write(f"{qid} Q0 {docs[ids[qi, j]][0]} {rank} {float(scores[qi, j]):.6f} bm25s\n")
    else:
        nq = int(sys.argv[4]) if len(sys.argv) > 4 else 100
        qs = queries[:nq]
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            search(docs, qs, 100)
            times.append(time.perf_counter() - t0)
        print(json.dumps({"seconds": sorted(times)[1], "queries": len(qs), "documents": len(docs)}))


if __name__ == "__main__":
    main()
