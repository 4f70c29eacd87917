#!/usr/bin/env python3
"""Golden values for loading a DistilBERT checkpoint (the paper's students start from distilbert-base-uncased).

A tiny random `transformers.DistilBertModel` (vocab 60, dim 16, 2 layers, 2 heads, hidden_dim 32, 40 positions; seed 7;
fp32, CPU) with its tensors under DistilBERT's own names, as a Hugging Face folder would hold them (the checkpoint on the
Hub prefixes them with `distilbert.`; both forms are read), its config.json fields, and `last_hidden_state` for three
inputs: one sequence alone, and a padded batch of two with its attention mask.

Writes distilbert-tiny.json next to this script: {"config": {...}, "tensors": {name: {"shape": [...], "values": [...]}},
"inputs": [...], "outputs": [...]} with 9 significant digits. The test writes the tensors to model.safetensors and
compares our encoder's hidden states with these.
Run: python3 Tests/Fixtures/Student/make_distilbert_golden.py   (transformers 5.x, torch 2.13 CPU)
"""
import json
from pathlib import Path

import torch
import transformers
from transformers import DistilBertConfig, DistilBertModel

HERE = Path(__file__).resolve().parent
torch.manual_seed(7)
config = DistilBertConfig(vocab_size=60, dim=16, n_layers=2, n_heads=2, hidden_dim=32, max_position_embeddings=40,
                          activation="gelu", dropout=0.1, attention_dropout=0.1, sinusoidal_pos_embds=False,
                          pad_token_id=0)
model = DistilBertModel(config).eval()
with torch.no_grad():
    for p in model.parameters():          # random LayerNorm parameters too, so that no default hides a mix-up
        p.add_(torch.randn_like(p) * 0.2)


def g(x):
    return [float(f"{v:.9g}") for v in x.detach().double().reshape(-1).tolist()]


inputs = [
    {"input_ids": [[2, 17, 33, 45, 9, 3]], "attention_mask": [[1, 1, 1, 1, 1, 1]]},
    {"input_ids": [[2, 5, 6, 7, 8, 9, 10, 3], [2, 41, 59, 3, 0, 0, 0, 0]],
     "attention_mask": [[1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0, 0, 0]]},
]
outputs = []
with torch.no_grad():
    for i in inputs:
        h = model(input_ids=torch.tensor(i["input_ids"]), attention_mask=torch.tensor(i["attention_mask"])).last_hidden_state
        outputs.append({"shape": list(h.shape), "values": g(h)})

fields = {k: v for k, v in config.to_dict().items()
          if k in ["vocab_size", "dim", "n_layers", "n_heads", "hidden_dim", "max_position_embeddings", "activation",
                   "dropout", "attention_dropout", "sinusoidal_pos_embds", "pad_token_id", "model_type",
                   "initializer_range", "qa_dropout", "seq_classif_dropout", "tie_weights_"]}
fields["architectures"] = ["DistilBertModel"]
out = {"meta": {"transformers": transformers.__version__, "torch": torch.__version__},
       "config": fields,
       "tensors": {n: {"shape": list(t.shape), "values": g(t)} for n, t in model.state_dict().items()},
       "inputs": inputs, "outputs": outputs}
(HERE / "distilbert-tiny.json").write_text(json.dumps(out, indent=0, sort_keys=True) + "\n")
print("tensors:", sorted(out["tensors"]))
