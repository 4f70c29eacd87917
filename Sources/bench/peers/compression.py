#!/usr/bin/env python3
"""Peer for `bench compression`: batch-1 latency of BERT encoders of the compression grid in PyTorch (CPU, fp32).

For each shape LxKxV: transformers BertModel(vocab V, hidden K, L layers, K/32 heads, intermediate 4K), random
weights, eval mode, no grad; input = one sequence of exactly T tokens (T = 52, 90) with a full attention mask;
forward + mean pooling. Median seconds of --repeats runs after 3 warm-up runs.

  python3 compression.py --threads 2 --repeats 50 --shapes 6x384x30522,1x128x8000
Prints one JSON object {"LxKxV@T": seconds, ...}.
"""
import argparse, json, os, statistics, time

os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--repeats", type=int, default=50)
    ap.add_argument("--shapes", default="6x384x30522,1x128x8000")
    args = ap.parse_args()
    import torch
    from transformers import BertConfig, BertModel
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    out = {}
    for spec in args.shapes.split(","):
        l, k, v = (int(x) for x in spec.split("x"))
        cfg = BertConfig(vocab_size=v, hidden_size=k, num_hidden_layers=l, num_attention_heads=max(1, k // 32),
                         intermediate_size=4 * k, add_pooling_layer=False)
        model = BertModel(cfg, add_pooling_layer=False).eval()
        for t in (52, 90):
            ids = torch.randint(5, v, (1, t))
            mask = torch.ones(1, t, dtype=torch.long)
            def run():
                with torch.inference_mode():
                    h = model(input_ids=ids, attention_mask=mask).last_hidden_state
                    (h * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True)
            for _ in range(3):
                run()
            times = []
            for _ in range(args.repeats):
                s = time.perf_counter(); run(); times.append(time.perf_counter() - s)
            out[f"{spec}@{t}"] = statistics.median(times)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
