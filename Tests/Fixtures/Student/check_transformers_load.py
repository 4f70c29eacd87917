"""Checks that a TransformerEncoder saved by the Swift package loads in Hugging Face `transformers` with its reduced
shape and gives the same hidden states. Run once by hand (it needs torch + transformers):

    STUDENT_EXPORT_DIR=/tmp/reduced swift test --filter ReducedEncoderExportTests
    python3 Tests/Fixtures/Student/check_transformers_load.py /tmp/reduced
"""
import json, sys
import torch
from transformers import BertModel

folder = sys.argv[1]
model = BertModel.from_pretrained(folder).eval()
assert model.config.num_hidden_layers == 2, model.config.num_hidden_layers
with torch.no_grad():
    h = model(input_ids=torch.tensor([[101, 7592, 2088, 102]])).last_hidden_state[0].flatten()
swift = torch.tensor(json.load(open(folder + "/swift_hidden.json")))
diff = (h - swift).abs().max().item()
print(f"transformers loaded {folder}: {model.config.num_hidden_layers} layers, hidden {model.config.hidden_size}; "
      f"max |Δ| vs Swift = {diff:.3g}")
assert diff < 1e-4
