"""Peer for `bench vocab`: Hugging Face `tokenizers` on the same texts, single-threaded.
  python3 vocab.py VOCAB_TXT COLLECTION_TSV ROUNDS
Prints JSON: encode_seconds (median over ROUNDS of one encode_batch_fast call on all passages, no padding or
truncation), ids (total ids), train_seconds (BertWordPieceTokenizer.train_from_iterator, vocab 8000, defaults).
"""
import json, os, sys, time, statistics
os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
from tokenizers import BertWordPieceTokenizer

vocab, collection, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(collection, encoding="utf-8", newline="") as f:
    texts = [l.rstrip("\n").split("\t", 1)[1] for l in f if "\t" in l]

tok = BertWordPieceTokenizer(vocab, lowercase=True)
tok.no_padding(); tok.no_truncation()
inner = tok._tokenizer
enc = getattr(inner, "encode_batch_fast", inner.encode_batch)
times = []
for _ in range(rounds + 1):
    t0 = time.perf_counter(); out = enc(texts); times.append(time.perf_counter() - t0)
ids = sum(len(e.ids) for e in out)
encode_seconds = statistics.median(times[1:])

train_times = []
for _ in range(max(1, rounds // 2)):
    t = BertWordPieceTokenizer(lowercase=True)
    t0 = time.perf_counter()
    t.train_from_iterator(texts, vocab_size=8000, min_frequency=2, limit_alphabet=1000, show_progress=False)
    train_times.append(time.perf_counter() - t0)
print(json.dumps({"encode_seconds": encode_seconds, "ids": ids, "train_seconds": statistics.median(train_times),
                  "vocab_size": t.get_vocab_size()}))
