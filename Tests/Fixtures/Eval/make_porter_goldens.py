#!/usr/bin/env python3
"""Makes Tests/Fixtures/Eval/porter.tsv: `word<TAB>stem` for every distinct ASCII word (length >= 3, letters only)
of the Cranfield and Vaswani collections, stemmed by NLTK's PorterStemmer(mode=MARTIN_EXTENSIONS) (Martin Porter's
reference implementation, the one Lucene's PorterStemFilter follows). Run from the package root (needs nltk and
../shared/data): python3 Tests/Fixtures/Eval/make_porter_goldens.py"""
import re
import nltk
from nltk.stem.porter import PorterStemmer

p = PorterStemmer(mode=PorterStemmer.MARTIN_EXTENSIONS)
words = set()
for f in ["../shared/data/cranfield/cran.all.1400", "../shared/data/vaswani/doc-text.trec"]:
    words |= set(re.findall(r"[a-z]{3,}", open(f, encoding="utf-8").read().lower()))
with open("Tests/Fixtures/Eval/porter.tsv", "w") as out:
    out.write(f"# nltk {nltk.__version__} PorterStemmer(MARTIN_EXTENSIONS)\n")
    for w in sorted(words):
        out.write(f"{w}\t{p.stem(w)}\n")
print(len(words), "words")
