"""The texts of the parity test: every query and passage in ../shared/data, read exactly as
Tests/VocabTests/SharedTexts.swift reads them (keep the two in step).

  dl19/dl20 collection.tsv, queries.tsv : the text after the first tab of each line
  cranfield cran.all.1400, cran.qry     : the lines of each record's .W field, joined with "\n"
  vaswani doc-text.trec                 : the lines between <DOCNO>…</DOCNO> and </DOC>, joined with "\n"
  vaswani query-text.trec               : the lines between <title> and </title>, joined with "\n"
  scifact corpus_train.csv              : the title, then the abstract field (as written), of each row
  scifact queries.test.tsv              : the text after the first tab
Lines are split on "\n" and lose one trailing "\r"; the empty piece after a final newline is not a line.
"""
import csv, os

def lines(path):
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    ls = data.split("\n")
    if ls and ls[-1] == "":
        ls.pop()
    return [l[:-1] if l.endswith("\r") else l for l in ls]

def tsv(path):
    return [l.split("\t", 1)[1] if "\t" in l else "" for l in lines(path)]

def smart(path):
    out, field, cur = [], None, None
    for l in lines(path):
        if l.startswith(".I"):
            if cur is not None:
                out.append("\n".join(cur))
            cur, field = [], None
        elif l in (".T", ".A", ".B", ".W"):
            field = l
        elif field == ".W" and cur is not None:
            cur.append(l)
    if cur is not None:
        out.append("\n".join(cur))
    return out

def trec(path, start, end):
    out, cur = [], None
    for l in lines(path):
        if cur is None:
            if start in l:
                cur = []
        elif l.strip() == end:
            out.append("\n".join(cur)); cur = None
        else:
            cur.append(l)
    return out

def scifact_corpus(path):
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            out.append(row[1]); out.append(row[2])
    return out

def datasets(root):
    d = os.path.join(root, "msmarco-passage-trec-dl")
    return [
        ("dl19-queries", tsv(f"{d}/dl19/queries.tsv")),
        ("dl19-passages", tsv(f"{d}/dl19/collection.tsv")),
        ("dl20-queries", tsv(f"{d}/dl20/queries.tsv")),
        ("dl20-passages", tsv(f"{d}/dl20/collection.tsv")),
        ("cranfield-docs", smart(f"{root}/cranfield/cran.all.1400")),
        ("cranfield-queries", smart(f"{root}/cranfield/cran.qry")),
        ("vaswani-docs", trec(f"{root}/vaswani/doc-text.trec", "<DOCNO>", "</DOC>")),
        ("vaswani-queries", trec(f"{root}/vaswani/query-text.trec", "<title>", "</title>")),
        ("scifact-corpus", scifact_corpus(f"{root}/scifact/corpus_train.csv")),
        ("scifact-queries", tsv(f"{root}/scifact/queries.test.tsv")),
    ]

if __name__ == "__main__":
    for name, ts in datasets("/work/shared/data"):
        print(name, len(ts), sum(map(len, ts)), repr(ts[0][:80]))
