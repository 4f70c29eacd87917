#!/usr/bin/env python3
"""Peer for `bench train`: one Margin-MSE training step of a 2-layer BERT_DOT on PyTorch (CPU, fp32), the same model,
inputs, loss and optimiser as the Swift side.

Model: all-MiniLM-L6-v2's BertModel with encoder layers 0 and 5 kept (layer reduction), dropout on (train mode);
score = [CLS]_q · [CLS]_p. Inputs: 32 triples, queries of 32 tokens and passages of 128 tokens ([CLS] ids [SEP], no
padding), ids 1000 + ((r·L + c)·7919 + seed·104729) mod 28000 with seeds 1 (queries), 2 (positives), 3 (negatives),
exactly as TrainBench.swift. Teacher scores t+ = i mod 7, t- = −(i mod 5). Loss: mean(((s+ − s−) − (t+ − t−))²).
Optimiser: torch.optim.AdamW(lr 1e-5, weight_decay 0.01). Positive and negative pairs go through one forward of 64
sequences per side (queries are repeated), as the Swift trainer scores 2B pairs in one call.

  python3 train_bertdot.py --threads 2 --steps 8 --model ../shared/models/all-MiniLM-L6-v2
Prints {"seconds_per_step": median, "steps": n, "threads": t, "torch": version}.
  python3 train_bertdot.py --threads 2 --model DIR serve
A session (after one warm-up step): reads one request per line on stdin, {"steps": k}, runs k steps and answers
{"seconds_per_step": median of the k, "torch": version} on one line; ends at end of input. `bench train` alternates
these rounds with its own, so that both sides see the same moments of a shared host.
"""
import argparse, json, os, statistics, time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def tokens(count, length, seed):
    return [[1000 + ((r * length + c) * 7919 + seed * 104729) % 28000 for c in range(length)] for r in range(count)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--model", required=True)
    ap.add_argument("mode", nargs="?", default="once", choices=["once", "serve"])
    args = ap.parse_args()
    import torch
    from transformers import BertModel
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = BertModel.from_pretrained(args.model, add_pooling_layer=False)
    model.encoder.layer = torch.nn.ModuleList([model.encoder.layer[i] for i in (0, 5)])
    model.config.num_hidden_layers = 2
    model.train()
    b = 32
    cls, sep = 101, 102
    q = torch.tensor([[cls] + t + [sep] for t in tokens(b, 30, 1)])
    p = torch.tensor([[cls] + t + [sep] for t in tokens(b, 126, 2)])
    n = torch.tensor([[cls] + t + [sep] for t in tokens(b, 126, 3)])
    tp = torch.tensor([float(i % 7) for i in range(b)])
    tn = torch.tensor([-float(i % 5) for i in range(b)])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=0.01)

    def step():
        opt.zero_grad()
        qv = model(input_ids=torch.cat([q, q]), attention_mask=torch.ones(2 * b, 32, dtype=torch.long)).last_hidden_state[:, 0]
        pv = model(input_ids=torch.cat([p, n]), attention_mask=torch.ones(2 * b, 128, dtype=torch.long)).last_hidden_state[:, 0]
        s = (qv * pv).sum(-1)
        loss = torch.mean(((s[:b] - s[b:]) - (tp - tn)) ** 2)
        loss.backward()
        opt.step()
        return loss.item()

    step()  # warm-up
    if args.mode == "serve":
        import sys
        for line in sys.stdin:
            request = json.loads(line)
            times = []
            for _ in range(int(request.get("steps", 1))):
                t0 = time.perf_counter()
                step()
                times.append(time.perf_counter() - t0)
            print(json.dumps({"seconds_per_step": statistics.median(times), "torch": torch.__version__}), flush=True)
        return
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    print(json.dumps({"seconds_per_step": statistics.median(times), "steps": args.steps, "threads": args.threads,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
