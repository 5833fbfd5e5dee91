#!/usr/bin/env bash
# Create or reuse the project's virtual environment in .venv and install autograd_lab into it
# (editable, with the test extras). Idempotent: a second run only reinstalls when pyproject.toml
# changed. Run by scripts/lab.sh and scripts/test.sh; PYTHON picks the interpreter.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "autograd_lab needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
# a .venv without pip is one whose creation failed halfway (no ensurepip): make it again
if [ ! -x "$venv/bin/python" ] || [ ! -x "$venv/bin/pip" ]; then
  if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    echo "Python's venv module is not installed. On Debian/Ubuntu: sudo apt-get install" \
         "python3-venv (python3.X-venv for a Python other than the default one)." >&2
    exit 1
  fi
  echo "Creating the virtual environment in .venv ..."
  "$python" -m venv --clear "$venv"
fi
stamp="$venv/.autograd_lab-installed"
want="$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing autograd_lab and its dependencies into .venv ..."
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  # setuptools announces every editable install with a boxed "Editable installation." notice
  # (information only: folders named like the package could shadow it); keep it off the screen
  PYTHONWARNINGS="ignore:Editable installation:UserWarning" \
    "$venv/bin/python" -m pip install --quiet -e "$root[test]"
  echo "$want" > "$stamp"
fi
