#!/usr/bin/env bash
# The main job: set up .venv, give the learner their own copies of the chapters, and start
# JupyterLab on them. Extra arguments go to jupyter lab (e.g. --port=8899 --no-browser).
#
# - Copies: every notebook under notebooks/ (zh/ too) is copied into my_chapters/, which git
#   ignores (AUTOGRAD_LAB_MY_CHAPTERS names another folder). A copy that exists is never
#   overwritten: delete or rename yours to get a fresh one. New copies are marked trusted, so
#   their pictures and players show on first open.
# - Saving: the server's pre-save hook (autograd_lab/notebook_save.py) stores each animation's
#   self-contained player instead of its live widget view, so a saved notebook reopens with
#   every animation, with or without a kernel.
# - Quiet: no prompt to fetch Jupyter's news (a JupyterLab setting, in .venv, unless set).
# - Kernels: the server gives each kernel CurveZMQ keys (transport_encryption=auto), so the
#   kernel's messages are encrypted and it does not warn about plain-text TCP.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
mine="${AUTOGRAD_LAB_MY_CHAPTERS:-$root/my_chapters}"
copies="$("$root/.venv/bin/python" -m autograd_lab.chapter_copies "$root/notebooks" "$mine")"
if [ -n "$copies" ]; then
  mapfile -t new <<<"$copies"
  echo "Copied ${#new[@]} chapter notebooks into $mine: yours to run, change and save."
  "$root/.venv/bin/jupyter" trust "${new[@]}" >/dev/null
fi
# JupyterLab asks every new user whether to fetch Jupyter's news from the web: a prompt a
# class does not need, and a request to an outside host. Say "never" once, unless set already.
settings="$root/.venv/share/jupyter/lab/settings"
if [ ! -e "$settings/overrides.json" ]; then
  mkdir -p "$settings"
  printf '%s\n' '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
    > "$settings/overrides.json"
fi
options=(
  --notebook-dir="$mine"
  --ContentsManager.pre_save_hook=autograd_lab.notebook_save.pre_save_hook
  --MappingKernelManager.transport_encryption=auto
)
if [ "$(id -u)" = "0" ]; then
  options+=(--allow-root)  # JupyterLab refuses to run as root without it
fi
echo "Starting JupyterLab on $mine: open the http://127.0.0.1:<port>/lab?token=... URL it"
echo "prints below. To stop it, press Ctrl+C twice here (or File > Shut Down in JupyterLab)."
exec "$root/.venv/bin/jupyter" lab "${options[@]}" "$@"
