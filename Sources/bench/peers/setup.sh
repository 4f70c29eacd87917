#!/usr/bin/env bash
# Installs the benchmark peers (requirements.txt beside this file) into .venv-bench/ at the package root.
# `bench` uses .venv-bench/bin/python when it exists (BENCH_PYTHON overrides it), from any working directory.
#   bash Sources/bench/peers/setup.sh            # needs python3 (3.10 or newer) with venv and pip
# torch: on Linux, pip may pick torch's CUDA build (about 3 GiB) unless a CPU build is at hand; to force the CPU
# build, point pip at PyTorch's CPU wheel index first (PIP_EXTRA_INDEX_URL, see PyTorch's installation page).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
python3 -m venv "$root/.venv-bench"
"$root/.venv-bench/bin/pip" install --upgrade pip >/dev/null
"$root/.venv-bench/bin/pip" install -r "$here/requirements.txt"
"$root/.venv-bench/bin/python" - <<'PY'
import numpy, torch, sentence_transformers, sklearn, tokenizers, pytrec_eval, bm25s, threadpoolctl
print("peers ready: numpy", numpy.__version__, "| torch", torch.__version__, "| sentence-transformers",
      sentence_transformers.__version__, "| scikit-learn", sklearn.__version__, "| tokenizers", tokenizers.__version__)
PY
