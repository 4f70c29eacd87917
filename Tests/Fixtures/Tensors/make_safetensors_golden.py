#!/usr/bin/env python3
"""Golden safetensors files written by the reference Python/Rust `safetensors` library (0.8), for the Swift reader
and writer tests (Tests/TensorsTests/SafeTensorsGoldenTests.swift).

  mixed.safetensors    F32 [2,3], F32 'scalar' (torch saves a 0-d tensor as [1]), F32 empty [0,3], F16 [8] (incl. subnormal, max, inf, -0),
                       BF16 [2,2] ('bfloat'), I64 [5], metadata {"format": "pt", "source": "make_safetensors_golden.py"}
  mixed.json           the expected values of mixed.safetensors as Float32-exact decimals (I64 as integers)
  f32only.safetensors  only F32 tensors + one metadata key: the Swift writer must produce these exact bytes

Run: python3 Tests/Fixtures/Tensors/make_safetensors_golden.py
"""
import json
from pathlib import Path
import numpy as np
from safetensors.numpy import save_file

HERE = Path(__file__).resolve().parent

f16 = np.array([1.0, -2.0, 0.5, 65504.0, 2.0**-24, float("inf"), -0.0, 0.333251953125], dtype=np.float16)
# BF16 through torch if present, else by truncating float32 bit patterns (these values are exact in bfloat16).
bf16_vals = [1.0, 3.140625, -0.0078125, 1.0e30]
mixed = {
    "weight": np.arange(6, dtype=np.float32).reshape(2, 3) / 8 - 0.25,
    "scalar": np.array(3.5, dtype=np.float32),
    "empty": np.zeros((0, 3), dtype=np.float32),
    "half": f16,
    "ids": np.array([0, 1, 101, 102, -7], dtype=np.int64),
}
meta = {"format": "pt", "source": "make_safetensors_golden.py"}
try:
    import torch
    from safetensors.torch import save_file as save_torch
    t = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in mixed.items()}
    t["bfloat"] = torch.tensor(bf16_vals, dtype=torch.bfloat16).reshape(2, 2)
    bf16_exact = t["bfloat"].float().reshape(-1).tolist()
    save_torch(t, str(HERE / "mixed.safetensors"), metadata=meta)
except ImportError:
    raise SystemExit("needs torch for the BF16 tensor")

expected = {k: {"shape": list(t[k].shape), "values": [float(x) if k != "ids" else int(x) for x in v.reshape(-1)]}
            for k, v in mixed.items()}
expected["half"]["values"] = [("inf" if np.isinf(x) else float(x)) for x in f16.astype(np.float32)]
expected["bfloat"] = {"shape": [2, 2], "values": bf16_exact}
expected["__metadata__"] = meta
(HERE / "mixed.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")

f32only = {"b.bias": np.array([0.5, -1.5], dtype=np.float32),
           "a.weight": (np.arange(12, dtype=np.float32).reshape(3, 4) - 5.5) / 3,
           "z": np.array(7.0, dtype=np.float32)}
save_file(f32only, str(HERE / "f32only.safetensors"), metadata={"note": "quote\" and é"})  # one key: the Rust writer orders keys by hash
print("wrote mixed.safetensors, mixed.json, f32only.safetensors")
