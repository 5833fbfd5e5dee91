#!/usr/bin/env bash
# Set up .venv, type-check the package (mypy) and run the whole test suite: unit, oracle (when
# torch is installed: see the README), picture, browser and notebook tests. Extra arguments go to
# pytest; when one of them names a test file or folder (tests/test_printing.py,
# notebooks/00_tour.ipynb), only those run (the type check always runs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
cd "$root"
if .venv/bin/python -c 'import torch' 2>/dev/null; then
  echo "PyTorch found: oracle tests compare against it."
else
  echo "PyTorch not installed: oracle tests will be skipped (.venv/bin/pip install torch==2.13.0 to run them)."
fi
# the type checker first ([tool.mypy] in pyproject.toml): a type error in the package fails the run
echo "Type-checking autograd_lab (mypy) ..."
.venv/bin/python -m mypy
nbval=(--nbval --nbval-sanitize-with assets/nbval_sanitize.cfg)
targets=()
chosen=false
value=false  # the argument is the value of the option before it (-k notebooks), not a path
for arg in "$@"; do
  path="${arg%%::*}"   # tests/test_x.py::test_y names a file too
  if ! $value && [[ "$arg" != -* && -e "$path" ]]; then
    chosen=true
    if [[ "$path" == notebooks* ]]; then targets=("${nbval[@]}"); fi
  fi
  value=false
  case "$arg" in
    -k|-m|-p|-c|-o|-W|-n|--basetemp|--rootdir|--ignore|--deselect|--confcutdir) value=true ;;
  esac
done
if ! $chosen; then
  targets=(tests)
  shopt -s nullglob
  chapters=(notebooks/*.ipynb)
  if ((${#chapters[@]})); then
    targets+=("${nbval[@]}" notebooks)
  fi
fi
exec .venv/bin/python -m pytest "${targets[@]}" "$@"
