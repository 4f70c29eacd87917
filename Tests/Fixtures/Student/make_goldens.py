#!/usr/bin/env python3
"""Golden values for the all-MiniLM-L6-v2 sentence encoder, from sentence-transformers on PyTorch (CPU, fp32).

Writes, next to this script:
  minilm-embeddings.json     ~200 real texts (TREC DL 19/20 queries and passages, Cranfield, Vaswani, SciFact, the
                             probe sentences, a few edge cases), each with its source, id, input_ids (the model's own
                             tokenizer as sentence-transformers calls it: max_seq_length 256, longest_first) and the
                             final L2-normalised embedding (384 floats, 7 significant digits); plus the probe cosines.
  minilm-hidden-states.json  for 3 texts: hidden states after the embeddings layer and after each of the 6 layers
                             (first 8 tokens x 384 dims, row-major) and the mean-pooled vector before normalisation.

Run (offline, deterministic; ~1 minute on 2 cores):
  HF_HUB_OFFLINE=1 python3 Tests/Fixtures/Student/make_goldens.py [--shared ../shared]
Embeddings are computed one text at a time (batch size 1, no padding) so that no padding effect enters the values.

Texts from ../shared/data are NOT written into the fixtures (the data may not be redistributed): an item of a data
source has no "text", only its source and record id; the text is the whole record as the reader below returns it
(meta.text_sources names the file and the rule for each source; Tests/StudentTests/GoldenTexts.swift mirrors the
readers). Only the probe sentences (from the data README) and the edge cases keep a literal "text".
"""
import argparse, csv, hashlib, json, os, random, re, sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import torch
import sentence_transformers
import transformers
from sentence_transformers import SentenceTransformer

HERE = Path(__file__).resolve().parent
SIG = 7  # significant digits kept in the committed floats


def r7(x):
    return [float(f"{v:.{SIG}g}") for v in np.asarray(x, dtype=np.float64).ravel()]


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]


def cranfield(data):
    docs, cur, field = [], None, None
    for line in open(data / "cranfield/cran.all.1400", encoding="utf-8", errors="replace"):
        if line.startswith(".I"):
            if cur: docs.append(cur)
            cur, field = {"id": line.split()[1], "W": []}, None
        elif line.startswith("."):
            field = line[1:2]
        elif field == "W":
            cur["W"].append(line.strip())
    docs.append(cur)
    docs = [(d["id"], " ".join(d["W"]).strip()) for d in docs]
    qs, cur = [], None
    for line in open(data / "cranfield/cran.qry", encoding="utf-8", errors="replace"):
        if line.startswith(".I"):
            if cur: qs.append(cur)
            cur = [line.split()[1], []]
        elif line.startswith(".W"):
            pass
        else:
            cur[1].append(line.strip())
    qs.append(cur)
    return docs, [(i, " ".join(t).strip()) for i, t in qs]


def vaswani(data):
    txt = open(data / "vaswani/doc-text.trec", encoding="utf-8", errors="replace").read()
    docs = [(m.group(1), " ".join(m.group(2).split()))
            for m in re.finditer(r"<DOCNO>(\d+)</DOCNO>(.*?)</DOC>", txt, re.S)]
    qtxt = open(data / "vaswani/query-text.trec", encoding="utf-8", errors="replace").read()
    qs = [(m.group(1), " ".join(m.group(2).split()))
          for m in re.finditer(r"<num>(\d+)</num><title>(.*?)</title>", qtxt, re.S)]
    return docs, qs


def scifact(data):
    csv.field_size_limit(10**8)
    docs = []
    with open(data / "scifact/corpus_train.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            sents = [a or b for a, b in re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", row["abstract"])]
            docs.append((row["doc_id"], (row["title"] + " " + " ".join(sents)).strip()))
    qs = read_tsv(data / "scifact/queries.test.tsv")
    return docs, [(q[0], q[1]) for q in qs]


# source -> (file under ../shared/data, rule); the rules are the readers above, mirrored by GoldenTexts.swift.
TEXT_SOURCES = {
    "dl19-query": ("msmarco-passage-trec-dl/dl19/queries.tsv", "tsv"),
    "dl20-query": ("msmarco-passage-trec-dl/dl20/queries.tsv", "tsv"),
    "dl19-passage": ("msmarco-passage-trec-dl/dl19/collection.tsv", "tsv"),
    "dl19-passage-long": ("msmarco-passage-trec-dl/dl19/collection.tsv", "tsv"),
    "dl20-passage": ("msmarco-passage-trec-dl/dl20/collection.tsv", "tsv"),
    "cranfield-query": ("cranfield/cran.qry", "cranfield-query"),
    "cranfield-doc": ("cranfield/cran.all.1400", "cranfield-doc"),
    "vaswani-query": ("vaswani/query-text.trec", "vaswani-query"),
    "vaswani-doc": ("vaswani/doc-text.trec", "vaswani-doc"),
    "scifact-query": ("scifact/queries.test.tsv", "tsv"),
    "scifact-doc": ("scifact/corpus_train.csv", "scifact-doc"),
}
TEXT_RULES = {
    "tsv": "lines (universal newlines, blank lines skipped), id = text before the first tab, text = the rest",
    "cranfield-query": "cran.qry: id = the .I number as written; text = the lines after .W, each stripped, joined "
                       "with one space, stripped",
    "cranfield-doc": "cran.all.1400: id = the .I number; text = the lines of the .W field, each stripped, joined with "
                     "one space, stripped",
    "vaswani-query": "query-text.trec: each <num>ID</num><title>TEXT</title>, TEXT with whitespace runs collapsed to "
                     "one space and trimmed",
    "vaswani-doc": "doc-text.trec: each <DOCNO>ID</DOCNO>TEXT</DOC>, TEXT with whitespace runs collapsed and trimmed",
    "scifact-doc": "corpus_train.csv: id = doc_id; text = title + ' ' + the quoted strings of the abstract list "
                   "literal (raw, escapes kept), joined with ' ', stripped",
}


def read_source(data, source):
    """id -> text of a source's records (first record of an id wins), as a reference is resolved."""
    file, rule = TEXT_SOURCES[source]
    rows = (read_tsv(data / file) if rule == "tsv" else
            cranfield(data)[rule == "cranfield-query"] if rule.startswith("cranfield") else
            vaswani(data)[rule == "vaswani-query"] if rule.startswith("vaswani") else scifact(data)[0])
    table = {}
    for i, t in rows:
        table.setdefault(i, t)
    return table


def pick(rng, items, n):
    items = sorted(items, key=lambda x: x[0])
    return rng.sample(items, n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(HERE.parents[2] / ".." / "shared"))
    args = ap.parse_args()
    shared = Path(args.shared).resolve()
    data, model_dir = shared / "data", shared / "models/all-MiniLM-L6-v2"
    torch.manual_seed(0)
    rng = random.Random(20201105)

    texts = []  # (source, id, text)
    def add(source, rows):
        texts.extend((source, i, t) for i, t in rows)

    dl = data / "msmarco-passage-trec-dl"
    add("dl19-query", pick(rng, read_tsv(dl / "dl19/queries.tsv"), 30))
    add("dl20-query", pick(rng, read_tsv(dl / "dl20/queries.tsv"), 20))
    coll19 = read_tsv(dl / "dl19/collection.tsv")
    add("dl19-passage", pick(rng, coll19, 45))
    longest = sorted(coll19, key=lambda r: (-len(r[1]), r[0]))[:8]  # the longest MS MARCO passages
    add("dl19-passage-long", longest)
    add("dl20-passage", pick(rng, read_tsv(dl / "dl20/collection.tsv"), 15))
    cd, cq = cranfield(data)
    add("cranfield-query", pick(rng, cq, 12)); add("cranfield-doc", pick(rng, cd, 15))
    vd, vq = vaswani(data)
    add("vaswani-query", pick(rng, vq, 12)); add("vaswani-doc", pick(rng, vd, 12))
    sd, sq = scifact(data)
    add("scifact-query", pick(rng, sq, 12)); add("scifact-doc", pick(rng, sd, 16))  # long: hit the 256 cap
    probe_q = "How many people live in London?"
    probe_p = ["Around 9 Million people live in London", "London is known for its financial district",
               "The mitochondria is the powerhouse of the cell"]
    add("probe", [("q", probe_q)] + [(f"p{i}", p) for i, p in enumerate(probe_p)])
    add("edge", [("empty", ""), ("one-char", "a"), ("accents", "Café naïve résumé — Zürich’s “quotes”"),
                 ("cjk", "東京 is the capital of 日本"), ("long-word", "x" * 120 + " short"),
                 ("punct", "what's the cost?!? (approx.) $1,000.50 -- e.g. 3.5%")])

    # Every data text must be what its reference (source, id) resolves to, or it could not be left out.
    tables = {}
    for source, tid, text in texts:
        if source in TEXT_SOURCES:
            table = tables.setdefault(source, read_source(data, source))
            assert table.get(tid) == text, f"{source}/{tid}: the reference does not resolve to the text"

    model = SentenceTransformer(str(model_dir), device="cpu")
    model.eval()
    assert model.max_seq_length == 256, model.max_seq_length

    items = []
    with torch.inference_mode():
        for source, tid, text in texts:
            feats = model.tokenize([text])
            ids = feats["input_ids"][0].tolist()
            emb = model.encode([text], batch_size=1, convert_to_numpy=True)[0]
            items.append({"source": source, "id": tid, "text": text, "input_ids": ids, "embedding": r7(emb)})
        embs = {(it["source"], it["id"]): np.array(it["embedding"]) for it in items}
        q = model.encode([probe_q], convert_to_numpy=True)[0]
        ps = model.encode(probe_p, convert_to_numpy=True)
        cos = [float(np.dot(q, p) / np.linalg.norm(q) / np.linalg.norm(p)) for p in ps]

        # (b) hidden states for 3 texts: the probe query, a mid-length passage, a truncated long one.
        dbg_texts = [items[[i for i, it in enumerate(items) if it["source"] == "probe"][0]],
                     next(it for it in items if it["source"] == "dl19-passage" and 40 <= len(it["input_ids"]) <= 90),
                     next(it for it in items if len(it["input_ids"]) == 256)]
        bert = model[0].auto_model
        debug = []
        for it in dbg_texts:
            feats = model.tokenize([it["text"]])
            out = bert(input_ids=feats["input_ids"], attention_mask=feats["attention_mask"],
                       token_type_ids=feats.get("token_type_ids"), output_hidden_states=True)
            hs = out.hidden_states  # 7 x [1, T, 384]
            pooled = model[1]({"token_embeddings": hs[-1], "attention_mask": feats["attention_mask"]})
            debug.append({
                "source": it["source"], "id": it["id"], "text": it["text"], "input_ids": it["input_ids"],
                "tokens": min(8, len(it["input_ids"])),
                "hidden_states": [r7(h[0, :8, :].numpy()) for h in hs],
                "mean_pooled": r7(pooled["sentence_embedding"][0].numpy()),
                "embedding": it["embedding"],
            })

    sha = hashlib.sha256(open(model_dir / "model.safetensors", "rb").read()).hexdigest()
    meta = {
        "model": "sentence-transformers/all-MiniLM-L6-v2", "model_safetensors_sha256": sha,
        "max_seq_length": model.max_seq_length, "dims": 384, "significant_digits": SIG,
        "torch": torch.__version__, "transformers": transformers.__version__,
        "sentence_transformers": sentence_transformers.__version__,
        "generator": "Tests/Fixtures/Student/make_goldens.py",
    }
    meta["text_sources"] = {k: {"file": f, "rule": TEXT_RULES[r]} for k, (f, r) in TEXT_SOURCES.items()}
    def public(it):  # drop the text of data records: it is read back from ../shared/data by (source, id)
        return {k: v for k, v in it.items() if k != "text" or it["source"] not in TEXT_SOURCES}
    items = [public(it) for it in items]
    debug = [public(d) for d in debug]
    out1 = {"meta": meta, "items": items,
            "probe": {"query": probe_q, "passages": probe_p, "cosines": cos}}
    out2 = {"meta": meta, "layout": "hidden_states[l] is layer l's output (l=0: embeddings layer, l=1..6: encoder "
            "layers), first `tokens` tokens x 384 dims, row-major", "texts": debug}
    for name, obj in [("minilm-embeddings.json", out1), ("minilm-hidden-states.json", out2)]:
        with open(HERE / (name + ".tmp"), "w") as f:
            json.dump(obj, f, separators=(",", ":"), ensure_ascii=False)
            f.write("\n")
        os.replace(HERE / (name + ".tmp"), HERE / name)
    lens = [len(it["input_ids"]) for it in items]
    print(f"{len(items)} texts, token lengths {min(lens)}..{max(lens)}, {sum(l == 256 for l in lens)} truncated at 256;"
          f" probe cosines {[round(c, 4) for c in cos]}", file=sys.stderr)


if __name__ == "__main__":
    main()
