#!/usr/bin/env bash
# The main job: set up .venv, mark the chapter notebooks trusted (so their pictures and widgets
# show on first open), and start JupyterLab on notebooks/. Extra arguments go to jupyter lab.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
shopt -s nullglob
chapters=("$root"/notebooks/*.ipynb)
if ((${#chapters[@]})); then
  "$root/.venv/bin/jupyter" trust "${chapters[@]}"
fi
extra=()
if [ "$(id -u)" = "0" ]; then
  extra+=(--allow-root)  # JupyterLab refuses to run as root without it
fi
echo "Starting JupyterLab on notebooks/: open the http://127.0.0.1:<port>/lab?token=... URL it prints below."
exec "$root/.venv/bin/jupyter" lab --notebook-dir="$root/notebooks" "${extra[@]}" "$@"
