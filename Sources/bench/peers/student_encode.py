#!/usr/bin/env python3
"""Peer for the student encoder benchmarks: all-MiniLM-L6-v2 with sentence-transformers on PyTorch (CPU, fp32).

Throughput: encodes the distinct passages of the DL19 BM25 top-100 candidate lists (4,297 passages, in ascending pid
order) with `model.encode(batch_size=B)` (sentence-transformers sorts by length and pads per batch; max 256 tokens).
Latency: batch-1 `model.encode([text])` on texts that tokenize to exactly 52 and 90 tokens ([CLS] and [SEP]
included), median of --repeats runs after warm-up.

  python3 student_encode.py --threads 2 [--batch-size 32] [--limit N] [--repeats 30] [--shared ../shared]
Prints one JSON object: {passages_per_second, seconds, count, threads, batch_size, latency_ms: {"52": …, "90": …}}.
"""
import argparse, json, os, statistics, sys, time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--limit", type=int, default=0, help="encode only the first N passages (0: all)")
    ap.add_argument("--repeats", type=int, default=30)
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[3] / ".." / "shared"))
    ap.add_argument("--skip-throughput", action="store_true")
    args = ap.parse_args()

    import torch
    torch.set_num_threads(args.threads)
    from sentence_transformers import SentenceTransformer

    shared = Path(args.shared).resolve()
    dl19 = shared / "data/msmarco-passage-trec-dl/dl19"
    pids = sorted({line.split()[2] for line in open(dl19 / "run.bm25.top100.trec") if line.strip()}, key=int)
    text = {}
    for line in open(dl19 / "collection.tsv", encoding="utf-8"):
        pid, _, t = line.rstrip("\n").partition("\t")
        text[pid] = t
    passages = [text[p] for p in pids]
    if args.limit:
        passages = passages[: args.limit]

    model = SentenceTransformer(str(shared / "models/all-MiniLM-L6-v2"), device="cpu")
    model.eval()
    result = {"threads": args.threads, "batch_size": args.batch_size, "count": len(passages),
              "torch": torch.__version__}

    with torch.inference_mode():
        model.encode(passages[:64], batch_size=args.batch_size)  # warm-up
        if not args.skip_throughput:
            t0 = time.perf_counter()
            model.encode(passages, batch_size=args.batch_size, convert_to_numpy=True)
            secs = time.perf_counter() - t0
            result.update(seconds=secs, passages_per_second=len(passages) / secs)

        # Batch-1 latency at fixed token counts: the first passage (pid order) whose ids, cut to n-2 word pieces,
        # decode back to a text that tokenizes to exactly n tokens.
        tok = model.tokenizer
        latency = {}
        for n in (52, 90):
            probe = None
            for p in passages:
                ids = tok(p, add_special_tokens=False)["input_ids"]
                if len(ids) < n - 2:
                    continue
                cand = tok.decode(ids[: n - 2])
                if len(model.tokenize([cand])["input_ids"][0]) == n:
                    probe = cand
                    break
            assert probe is not None, f"no passage gives {n} tokens"
            for _ in range(5):
                model.encode([probe], batch_size=1)
            times = []
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                model.encode([probe], batch_size=1)
                times.append(time.perf_counter() - t0)
            latency[str(n)] = statistics.median(times) * 1000
        result["latency_ms"] = latency
    print(json.dumps(result))


if __name__ == "__main__":
    main()
