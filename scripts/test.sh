#!/usr/bin/env bash
# Set up .venv and run the whole test suite: unit, oracle (when torch is installed: see the
# README), picture and notebook tests. Extra arguments go to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
cd "$root"
if .venv/bin/python -c 'import torch' 2>/dev/null; then
  echo "PyTorch found: oracle tests compare against it."
else
  echo "PyTorch not installed: oracle tests will be skipped (.venv/bin/pip install torch==2.13.0 to run them)."
fi
targets=(tests)
shopt -s nullglob
chapters=(notebooks/*.ipynb)
if ((${#chapters[@]})); then
  targets+=(--nbval notebooks --nbval-sanitize-with assets/nbval_sanitize.cfg)
fi
exec .venv/bin/python -m pytest "${targets[@]}" "$@"
