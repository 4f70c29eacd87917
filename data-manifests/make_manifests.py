#!/usr/bin/env python3
"""Writes data-manifests/*.json from the files in ../shared/data and ../shared/models (sizes and sha256 computed here;
sources, licences and citations stated below). Run from the package root: python3 data-manifests/make_manifests.py
The URLs are the public origins named in ../shared/data/README.md; they were not downloaded from this machine (no
network), so a file whose bytes differ upstream will fail `reproduce fetch`'s checksum rather than be used silently."""
import hashlib, json, os

SHARED = os.path.join("..", "shared")
AT = "https://raw.githubusercontent.com/castorini/anserini-tools/master/topics-and-qrels/"
MSMARCO_LICENCE = "MS MARCO terms: non-commercial research use (https://microsoft.github.io/msmarco/)"
MSMARCO_CITE = "Nguyen et al. 2016, MS MARCO: A Human Generated MAchine Reading COmprehension Dataset. arXiv:1611.09268"
DL_CITE = {"dl19": "Craswell et al. 2020, Overview of the TREC 2019 Deep Learning Track. arXiv:2003.07820",
           "dl20": "Craswell et al. 2021, Overview of the TREC 2020 Deep Learning Track. arXiv:2102.07662"}


def entry(rel, url=None, derived=None, root="data", unpack=None):
    p = os.path.join(SHARED, root, rel)
    h = hashlib.sha256(open(p, "rb").read()).hexdigest()
    e = {"path": rel, "bytes": os.path.getsize(p), "sha256": h}
    if url: e["url"] = url
    if unpack: e["unpack"] = unpack
    if derived: e["derived"] = derived
    return e


def write(name, description, licence, citation, files):
    m = {"name": name, "description": description, "licence": licence, "citation": citation, "files": files}
    with open(f"data-manifests/{name}.json", "w") as f:
        json.dump(m, f, indent=2, ensure_ascii=False); f.write("\n")


for y in ["dl19", "dl20"]:
    d = f"msmarco-passage-trec-dl/{y}"
    runs = [entry(f"{d}/run.{r}.top100.trec", derived=f"top 100 per judged query of the {r} candidate list in the "
                  "castorini/rank_llm repository history (Apache-2.0); TREC run format") for r in ["bm25", "bm25-rm3", "tasb", "splade-pp-ed"]]
    write(f"trec-{y}-passage", f"TREC Deep Learning {y[2:]} passage task: judged queries, official graded qrels, four "
          "first-stage top-100 candidate lists, and the MS MARCO passages those lists contain.",
          MSMARCO_LICENCE + "; qrels/topics from castorini/anserini-tools (Apache-2.0); runs from castorini/rank_llm (Apache-2.0)",
          DL_CITE[y],
          [entry(f"{d}/qrels.txt", url=AT + f"qrels.{y}-passage.txt"),
           entry(f"{d}/queries.tsv", derived=f"the judged queries of {AT}topics.{y}-passage.txt (qid<TAB>text)"),
           entry(f"{d}/collection.tsv", derived="every MS MARCO v1 passage (pid<TAB>text) that appears in the runs, from "
                 "https://msmarco.z22.web.core.windows.net/msmarcoranking/collection.tar.gz")] + runs)

DEV_TEXTS = ("joined to the official ids and checked against the official qrels by qid/pid and query text (the ids "
             "are those of https://msmarco.z22.web.core.windows.net/msmarcoranking/collection.tar.gz)")
write("msmarco-passage-dev-small", "MS MARCO passage dev 'small': queries and qrels; one judged-relevant passage with its "
      "text for every query (4,233 of them with a document title in front); the full-collection BM25 top 20 with text "
      "and labels for 600 of the queries. The two text files are TSV with a header line.",
      MSMARCO_LICENCE, MSMARCO_CITE,
      [entry("msmarco-passage-dev-small/qrels.txt", url=AT + "qrels.msmarco-passage.dev-subset.txt"),
       entry("msmarco-passage-dev-small/queries.tsv", url=AT + "topics.msmarco-passage.dev-subset.txt"),
       entry("msmarco-passage-dev-small/positives.tsv",
             derived="qid<TAB>pid<TAB>status<TAB>text, one judged-relevant passage per query, from three public GitHub "
             "repositories: baba9811/msmarco_Kor data/msmarco_eng.json (a dump of the Hugging Face dataset "
             "namespace-Pt/msmarco), Tomjg14/Master_Thesis_MSMARCO_Passage_Reranking_BERT and "
             "AntoninJarolim/explaining-ms-marco (623 exact positives), " + DEV_TEXTS + ". status: collection = the "
             "exact collection text, untitled = the collection text, titled = a document title and a space in front "
             "of the passage text (the title's length unknown); pid empty for queries with several relevant passages"),
       entry("msmarco-passage-dev-small/bm25-top20.tsv",
             derived="qid<TAB>pid<TAB>rank<TAB>label<TAB>text: the BM25 top 20 of the full 8.8M-passage collection for "
             "600 of the queries, with the MS MARCO label, from the public GitHub repository "
             "Tomjg14/Master_Thesis_MSMARCO_Passage_Reranking_BERT, " + DEV_TEXTS)])

write("msmarco-train-sample", "10 MS MARCO training queries with 1 positive, 25 negatives and teacher scores each "
      "(FlagEmbedding's example data): a loader fixture.",
      "MIT (FlagEmbedding); passages under the MS MARCO terms",
      "Xiao et al. 2023, C-Pack: Packaged Resources To Advance General Chinese Embedding. arXiv:2309.07597",
      [entry("msmarco-train-sample/flagembedding-msmarco.jsonl",
             derived="the first 10 lines of an MS MARCO example file with teacher scores in the FlagOpen/FlagEmbedding repository")])

write("cranfield", "Cranfield 1400: aeronautics abstracts, 225 queries, graded judgements (SMART format).",
      "Glasgow IR test collections: freely distributed for research",
      "Cleverdon 1967, The Cranfield tests on index language devices. Aslib Proceedings 19(6)",
      [entry(f"cranfield/{f}", derived="unpacked from http://ir.dcs.gla.ac.uk/resources/test_collections/cran/cran.tar.gz")
       for f in ["cran.all.1400", "cran.qry", "cranqrel", "cranqrel.readme"]])

PT = "https://raw.githubusercontent.com/terrier-org/pyterrier/master/tests/fixtures/vaswani_npl/"
write("vaswani", "Vaswani (NPL): 11,429 electronics abstracts, 93 queries, binary qrels (TREC SGML).",
      "Glasgow IR test collections: freely distributed; files as in the PyTerrier test fixtures (MPL-2.0 repository)",
      "Vaswani and Cameron 1970, The National Physical Laboratory experiments in statistical word associations and their use in document indexing and retrieval",
      [entry("vaswani/doc-text.trec", url=PT + "corpus/doc-text.trec"),
       entry("vaswani/query-text.trec", url=PT + "query-text.trec"),
       entry("vaswani/qrels", url=PT + "qrels")])

write("scifact", "BEIR SciFact: 5,183 abstracts, 300 test claims as queries, qrels; plus the SciFact claims CSVs.",
      "CC BY-NC 2.0 (SciFact); queries/qrels via castorini/anserini-tools (Apache-2.0)",
      "Wadden et al. 2020, Fact or Fiction: Verifying Scientific Claims. EMNLP 2020. Thakur et al. 2021, BEIR. arXiv:2104.08663",
      [entry("scifact/corpus_train.csv", derived="the allenai/scifact corpus (doc_id, title, abstract sentences, structured) as CSV; "
             "original https://scifact.s3-us-west-2.amazonaws.com/release/latest/data.tar.gz"),
       entry("scifact/queries.test.tsv", derived=AT + "topics.beir-v1.0.0-scifact.test.tsv.gz, unpacked"),
       entry("scifact/qrels.test.txt", derived=AT + "qrels.beir-v1.0.0-scifact.test.txt")]
      + [entry(f"scifact/claims_{s}.csv", derived="the allenai/scifact claims split as CSV") for s in ["train", "validation", "test"]])

HF = "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main/"
files = []
mroot = os.path.join(SHARED, "models", "all-MiniLM-L6-v2")
for dp, _, fs in sorted(os.walk(mroot)):
    for f in sorted(fs):
        rel = os.path.relpath(os.path.join(dp, f), mroot)
        e = entry(f"all-MiniLM-L6-v2/{rel}", url=HF + rel, root="models")
        e["path"] = f"models/all-MiniLM-L6-v2/{rel}"
        files.append(e)
write("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2: BERT, 6 layers, hidden 384, mean pooling, L2 "
      "normalisation (the teacher of the compression paper's experiments). Paths are relative to ../shared.",
      "Apache-2.0", "Reimers and Gurevych 2019, Sentence-BERT. EMNLP 2019; Wang et al. 2020, MiniLM. NeurIPS 2020", files)

write("margin-mse-teacher-scores", "The published Margin-MSE teacher scores (Zenodo 4068216): pos_score, neg_score, "
      "qid, pos_pid, neg_pid per MS MARCO train triple (~40M rows). Full scale only; md5 from the Zenodo record.",
      "See the Zenodo record 4068216 (MS MARCO terms apply to the ids' texts)",
      "Hofstätter et al. 2020, Improving Efficient Neural Ranking Models with Cross-Architecture Knowledge Distillation. arXiv:2010.02666",
      [{"path": "margin-mse/bertbase_cat_msmarcopassage_train_scores_ids.tsv", "md5": "a2575af08a19b47c2041e67c9efcd917",
        "url": "https://zenodo.org/record/4068216/files/bertbase_cat_msmarcopassage_train_scores_ids.tsv"},
       {"path": "margin-mse/bert_cat_ensemble_msmarcopassage_train_scores_ids.tsv", "md5": "4d99696386f96a7f1631076bcc53ac3c",
        "url": "https://zenodo.org/record/4068216/files/bert_cat_ensemble_msmarcopassage_train_scores_ids.tsv"}])
# Full scale only (not in ../shared): sizes and md5 sums as ir_datasets records them for these URLs
# (allenai/ir_datasets, ir_datasets/etc/downloads.json, "msmarco-passage").
Z = "https://msmarco.z22.web.core.windows.net/msmarcoranking/"
write("msmarco-passage-full", "MS MARCO passage ranking at full size, for `reproduce --scale full`: the 8.8M-passage "
      "collection with the train/dev queries and qrels (one archive), the training triples by id and by text, the BM25 "
      "top-1000 of dev and of TREC DL 2019. Not on the machines this package is developed on: sizes and md5 sums are the "
      "ones ir_datasets (allenai/ir_datasets, ir_datasets/etc/downloads.json) records for these URLs. The MS MARCO blobs "
      "moved from msmarco.blob.core.windows.net to msmarco.z22.web.core.windows.net in 2023; some need the request "
      "header X-Ms-Version: 2019-12-12.", MSMARCO_LICENCE, MSMARCO_CITE,
      [{"path": "msmarco-passage/collection.tsv", "bytes": 1057717952, "md5": "31644046b18952c1386cd4564ba2ae69",
        "url": Z + "collectionandqueries.tar.gz", "unpack": "tar.gz"},
       {"path": "msmarco-passage/qidpidtriples.train.full.2.tsv", "bytes": 1841693309, "md5": "219083e80a0a751c08b968c2f31a4e0b",
        "url": Z + "qidpidtriples.train.full.2.tsv.gz", "unpack": "gzip"},
       {"path": "msmarco-passage/triples.train.small.tsv", "bytes": 7930881353, "md5": "c13bf99ff23ca691105ad12eab837f84",
        "url": Z + "triples.train.small.tar.gz", "unpack": "tar.gz"},
       {"path": "msmarco-passage/top1000.dev", "bytes": 687414398, "md5": "8c140662bdf123a98fbfe3bb174c5831",
        "url": Z + "top1000.dev.tar.gz", "unpack": "tar.gz"},
       {"path": "msmarco-passage/msmarco-passagetest2019-top1000.tsv", "bytes": 26634062, "md5": "ec9e012746aa9763c7ff10b3336a3ce1",
        "url": Z + "msmarco-passagetest2019-top1000.tsv.gz", "unpack": "gzip"}])
# The paper's students start from these two checkpoints (full scale only; not in ../shared). huggingface.co is not
# reachable from the machines this package is developed on: the sha256 sums and sizes are those of Hugging Face's
# LFS pointers at the pinned revisions, as several public repositories that pin these revisions record them;
# vocab.txt is checked here against all-MiniLM-L6-v2's vocab.txt, the same WordPiece vocabulary
# (Tests/CorpusTests/FetchTests.swift). A fetched file whose bytes differ fails `reproduce fetch`'s checksum.
BERT_REV, DISTIL_REV = "86b5e0934494bd15c9632b12f734a8a67f723594", "12040accade4e8a0f71eabdb258fecc2e7e948be"
VOCAB = {"bytes": 231508, "sha256": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"}
for name, repo, rev, files, what, cite in [
        ("bert-base-uncased", "google-bert/bert-base-uncased", BERT_REV,
         [("config.json", {"bytes": 570, "sha256": "7160e1553ad2ca51d8c1cb066be533db31826e12d173824c1bb0cb1a4f187d20"}),
          ("vocab.txt", VOCAB),
          ("model.safetensors", {"bytes": 440449768,
                                 "sha256": "68d45e234eb4a928074dfd868cead0219ab85354cc53d20e772753c6bb9169d3"})],
         "BERT-Base, uncased: 12 layers, hidden 768, 110M parameters. The paper's BERT-Base_DOT student starts from it; "
         "so does every student of `reproduce paper-a --scale full` without a DistilBERT folder.",
         "Devlin et al. 2019, BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding. NAACL 2019"),
        ("distilbert-base-uncased", "distilbert/distilbert-base-uncased", DISTIL_REV,
         [("config.json", {"sha256": "69c94b0222d5d1f4b0ad027ca7416cdafb98378cbbb8305d0bf47c9365c60c83"}),
          ("vocab.txt", VOCAB),
          ("model.safetensors", {"bytes": 267954768,
                                 "sha256": "5e3f1108e3cb34ee048634875d8482665b65ac713291a7e32396fb18f6ff0063"})],
         "DistilBERT, uncased: 6 layers, hidden 768, 66M parameters, BERT-Base's vocabulary. The paper's DistilBERT_CAT, "
         "PreTT, ColBERT, DistilBERT_DOT and TK students start from it.",
         "Sanh et al. 2019, DistilBERT, a distilled version of BERT: smaller, faster, cheaper and lighter. arXiv:1910.01108")]:
    write(name, what + f" Pinned to revision {rev}. Full scale only (`reproduce paper-a --scale full` reads "
          f"DATA/models/{name}); the checksums are Hugging Face's own (its LFS pointers), read from public "
          "repositories that pin this revision, as huggingface.co could not be reached where this manifest was written.",
          "Apache-2.0", cite,
          [dict({"path": f"models/{name}/{f}"}, **meta, url=f"https://huggingface.co/{repo}/resolve/{rev}/{f}")
           for f, meta in files])
print("written:", sorted(os.listdir("data-manifests")))
