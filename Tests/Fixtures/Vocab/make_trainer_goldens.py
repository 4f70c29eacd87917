"""Vocabularies trained by Hugging Face `tokenizers` (BertWordPieceTokenizer.train_from_iterator, i.e.
WordPieceTrainer = BPE trainer with "##"), for the trainer parity tests of Tests/VocabTests/TrainerParityTests.swift.

  python3 Tests/Fixtures/Vocab/make_trainer_goldens.py [../shared]     (from the package root)

Writes trainer-<corpus>-<size>.txt (vocab.txt format). Settings: BertWordPieceTokenizer defaults (lowercase, strip
accents, CJK spacing; min_frequency=2, limit_alphabet=1000, special tokens [PAD] [UNK] [CLS] [SEP] [MASK]).
Corpora: "worked" = the worked example of Docs/Vocab.md (no data needed); "cranfield" = the Cranfield documents as
read by texts.py; "dl19" = the TREC DL 2019 passages. HF's result depends on hash-map order: run it twice and the
"##c" ids (and so some tie-breaks) can differ; the tests compare token sets.
"""
import os, sys
from tokenizers import BertWordPieceTokenizer
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import texts as T

WORKED = ["low lower lowest", "newer newest new", "wider widest wide", "low new wide", "lower newer wider",
          "Low, LOWER; lowest!", "the newest widest low"]

def train(texts, size):
    tok = BertWordPieceTokenizer(lowercase=True)
    tok.train_from_iterator(texts, vocab_size=size, min_frequency=2, limit_alphabet=1000, show_progress=False)
    v = tok.get_vocab()
    return [t for t, _ in sorted(v.items(), key=lambda x: x[1])]

here = os.path.dirname(os.path.abspath(__file__))
shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
sets = dict(T.datasets(f"{shared}/data"))
for name, texts, size in [("worked", WORKED, 40), ("cranfield", sets["cranfield-docs"], 4000),
                          ("dl19", sets["dl19-passages"], 8000)]:
    vocab = train(texts, size)
    with open(os.path.join(here, f"trainer-{name}-{size}.txt"), "w", encoding="utf-8") as f:
        f.write("".join(t + "\n" for t in vocab))
    print(name, size, len(vocab), vocab[:12])
