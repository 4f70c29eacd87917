#!/usr/bin/env python3
"""Makes Tests/Fixtures/Eval/goldens.json: trec_eval 9.0.4's own output for every parity case that EvalTests checks,
and ir_measures per-query values (full precision) for the queries without tied scores.

trec_eval 9.0.4 (the reference; pytrec_eval and ir_measures break ties differently) comes from the pyserini 1.6.0
sdist on PyPI:
    pip download pyserini==1.6.0 --no-deps --no-binary :all: -d /tmp/te
    tar xzf /tmp/te/pyserini-1.6.0.tar.gz -C /tmp/te pyserini-1.6.0/pyserini/resources/jars/anserini-1.7.1-fatjar.jar
    unzip -j /tmp/te/pyserini-1.6.0/pyserini/resources/jars/anserini-1.7.1-fatjar.jar trec_eval/trec_eval-linux-amd64 -d /tmp/te
    (sha256 a282ee9c22966f306c4bcbbfda9142ff22f371012a2994782194e6afdadbe6e4)
Run from the package root:  TREC_EVAL=/tmp/te/trec_eval-linux-amd64 REPRODUCE=.build/debug/reproduce \
                            python3 Tests/Fixtures/Eval/make_goldens.py
It also (re)writes the synthetic tie fixture (seeded) under Tests/Fixtures/Eval/ties/.
"""
import json, os, random, subprocess, sys, tempfile

ROOT = os.getcwd()
SHARED = os.path.join(ROOT, "..", "shared", "data")
FIX = os.path.join(ROOT, "Tests", "Fixtures", "Eval")
TE = os.environ.get("TREC_EVAL", "/tmp/te/trec_eval-linux-amd64")
REPRODUCE = os.environ.get("REPRODUCE", ".build/debug/reproduce")
TMP = tempfile.mkdtemp()

MEASURES = ["-m", "num_q", "-m", "num_ret", "-m", "num_rel", "-m", "num_rel_ret", "-m", "map", "-m", "Rprec",
            "-m", "recip_rank", "-m", "P", "-m", "recall", "-m", "ndcg", "-m", "ndcg_cut", "-m", "map_cut",
            "-m", "success"]
PER_QUERY = ["-q", "-m", "map", "-m", "recip_rank", "-m", "ndcg_cut.10", "-m", "P.10", "-m", "recall.100"]


def resolve(ref):
    """'shared:PATH' | 'fixture:PATH' | 'cranqrels' | 'bm25:DATASET' | 'trunc:DIGITS:shared:PATH' → a file path."""
    kind, _, rest = ref.partition(":")
    if kind == "shared":
        return os.path.join(SHARED, rest)
    if kind == "fixture":
        return os.path.join(FIX, rest)
    if kind == "cranqrels":  # Corpus.Cranfield.readQrels: relevance = 5 - grade, -1 -> 0
        out = os.path.join(TMP, "cran.qrels")
        with open(out, "w") as f:
            for line in open(os.path.join(SHARED, "cranfield", "cranqrel")):
                q, d, g = line.split()
                f.write(f"{q} 0 {d} {0 if int(g) == -1 else 5 - int(g)}\n")
        return out
    if kind == "cranrawqrels":  # the raw Cranfield grades (1 best … 4, and -1): trec_eval semantics with negative grades
        out = os.path.join(TMP, "cranraw.qrels")
        with open(out, "w") as f:
            for line in open(os.path.join(SHARED, "cranfield", "cranqrel")):
                q, d, g = line.split()
                f.write(f"{q} 0 {d} {g}\n")
        return out
    if kind == "bm25":
        coll, qry = {"cranfield": ("cranfield/cran.all.1400", "cranfield/cran.qry"),
                     "vaswani": ("vaswani/doc-text.trec", "vaswani/query-text.trec"),
                     "scifact": ("scifact/corpus_train.csv", "scifact/queries.test.tsv")}[rest]
        out = os.path.join(TMP, rest + ".bm25.run")
        subprocess.run([REPRODUCE, "bm25", "--collection", os.path.join(SHARED, coll), "--queries",
                        os.path.join(SHARED, qry), "--k", "100", "-o", out], check=True)
        return out
    if kind == "trunc":  # scores truncated to DIGITS decimals (many ties); EvalTests applies the same truncation
        digits, _, inner = rest.partition(":")
        src, out = resolve(inner), os.path.join(TMP, f"trunc{digits}.run")
        scale = 10 ** int(digits)
        with open(src) as f, open(out, "w") as g:
            for line in f:
                q, z, d, r, s, t = line.split()
                g.write(f"{q} {z} {d} {r} {int(float(s) * scale) / scale} {t}\n")
        return out
    raise SystemExit("bad ref " + ref)


def write_ties():
    """Synthetic run with heavy ties: 30 queries x 40 docs, scores in {-1.5, 0, 0.5, 1}, docids of mixed length and case
    (byte-order tie-breaking), some queries with no relevant document, one query only in the run, one only in qrels."""
    rng = random.Random(20201005)
    with open(os.path.join(FIX, "ties", "qrels.txt"), "w") as qf, open(os.path.join(FIX, "ties", "run.trec"), "w") as rf:
        for q in range(1, 31):
            docs = rng.sample([f"d{i}" for i in range(60)] + [f"D{i}" for i in range(20)] + [f"doc-{i:03d}" for i in range(20)], 40)
            if q != 30:  # q30 only in the run
                for d in rng.sample(docs, 12) + [f"unretrieved{q}"]:
                    rel = 0 if q % 7 == 0 else rng.choice([0, 0, 1, 2, 3])
                    qf.write(f"{q} 0 {d} {rel}\n")
            for d in docs:
                rf.write(f"{q} Q0 {d} 0 {rng.choice([-1.5, 0, 0.5, 1])} ties\n")
        qf.write("31 0 x 1\n")  # only in the qrels


def trec_eval(args, qrels, run):
    return subprocess.run([TE] + args + [qrels, run], check=True, capture_output=True, text=True).stdout


def ir_measures_values(qrels, run, rel, depth):
    import ir_measures
    from ir_measures import nDCG, AP, RR, R, P
    ms = [nDCG @ 10, AP(rel=rel), RR(rel=rel) @ depth if depth else RR(rel=rel), R(rel=rel) @ 100, P(rel=rel) @ 10]
    qr = list(ir_measures.read_trec_qrels(qrels))
    rn = list(ir_measures.read_trec_run(run))
    seen, tied = {}, set()
    for s in rn:
        if (s.query_id, s.score) in seen:
            tied.add(s.query_id)
        seen[(s.query_id, s.score)] = 1
    out = {}
    for m in ir_measures.iter_calc(ms, qr, rn):
        if m.query_id not in tied:
            out.setdefault(str(m.measure), {})[m.query_id] = round(m.value, 10)
    return out


def main():
    write_ties()
    cases = []
    runs = []
    for year in ["dl19", "dl20"]:
        for r in ["bm25", "bm25-rm3", "tasb", "splade-pp-ed"]:
            runs.append((f"{year}-{r}", f"shared:msmarco-passage-trec-dl/{year}/qrels.txt",
                         f"shared:msmarco-passage-trec-dl/{year}/run.{r}.top100.trec"))
    runs += [("cranfield-bm25", "cranqrels", "bm25:cranfield"),
             ("vaswani-bm25", "shared:vaswani/qrels", "bm25:vaswani"),
             ("scifact-bm25", "shared:scifact/qrels.test.txt", "bm25:scifact"),
             ("dl19-bm25-trunc0", "shared:msmarco-passage-trec-dl/dl19/qrels.txt",
              "trunc:0:shared:msmarco-passage-trec-dl/dl19/run.bm25.top100.trec"),
             ("dl20-tasb-trunc1", "shared:msmarco-passage-trec-dl/dl20/qrels.txt",
              "trunc:1:shared:msmarco-passage-trec-dl/dl20/run.tasb.top100.trec"),
             ("cranfield-rawgrades-bm25", "cranrawqrels", "bm25:cranfield"),
             ("ties", "fixture:ties/qrels.txt", "fixture:ties/run.trec")]
    for name, q, r in runs:
        qp, rp = resolve(q), resolve(r)
        for opts in [[], ["-l", "2"], ["-M", "10", "-l", "2"], ["-M", "7"]]:
            args = opts + MEASURES
            cases.append({"name": name, "qrels": q, "run": r, "args": args, "output": trec_eval(args, qp, rp)})
        for opts in [["-M", "10", "-l", "2"]]:
            args = opts + PER_QUERY
            cases.append({"name": name, "qrels": q, "run": r, "args": args, "output": trec_eval(args, qp, rp)})
    irm = []
    for name, q, r in runs[:8]:
        for rel, depth in [(1, None), (2, 10)]:
            irm.append({"name": name, "qrels": q, "run": r, "rel": rel, "depth": depth,
                        "values": ir_measures_values(resolve(q), resolve(r), rel, depth)})
    version = subprocess.run([TE, "-v"], capture_output=True, text=True)
    golden = {"trec_eval": (version.stdout + version.stderr).strip(), "cases": cases, "ir_measures": irm}
    with open(os.path.join(FIX, "goldens.json"), "w") as f:
        json.dump(golden, f, separators=(",", ":"))
    print(f"wrote {len(cases)} trec_eval cases, {len(irm)} ir_measures cases")


if __name__ == "__main__":
    main()
