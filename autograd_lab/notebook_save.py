"""Saving a notebook keeps its animations: a Jupyter server pre-save hook.

Run live, ``animate_backward`` and ``step_through`` display two things in one output: a widget
view (``application/vnd.jupyter.widget-view+json``), which JupyterLab prefers while the kernel
that made it is alive, and the self-contained HTML player (``text/html``), which needs no kernel.
A notebook saved with the view shows "Error displaying widget: model not found" when it is
opened again, because the widget's model lived in the old kernel. The chapters' build drops such
views; this hook does the same on every save, so a saved notebook reopens with its players::

    jupyter lab --ContentsManager.pre_save_hook=autograd_lab.notebook_save.pre_save_hook

(``scripts/lab.sh`` starts JupyterLab so.) Only views whose output also carries the player are
dropped; other widgets' views, and everything else in the notebook, are saved as they are. The
notebook open in the browser keeps its live widgets until it is closed.
"""
from __future__ import annotations

from typing import Any

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PLAYER_MARK = 'class="agm-player'  # the root element of every autograd_lab player


def _text(value: Any) -> str:
    """A notebook's multi-line string, stored either whole or as a list of lines."""
    return "".join(value) if isinstance(value, list) else str(value)


def drop_live_views(notebook: dict) -> int:
    """Remove, in place, each widget view stored beside an autograd_lab player.

    ``notebook`` is the notebook as JSON (a dict, as the contents API gives it). Returns how
    many views were dropped."""
    dropped = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data")
            if (isinstance(data, dict) and WIDGET_VIEW in data
                    and PLAYER_MARK in _text(data.get("text/html", ""))):
                del data[WIDGET_VIEW]
                dropped += 1
    return dropped


def pre_save_hook(model: dict, path: str = "", **_: Any) -> None:
    """Jupyter's ``ContentsManager.pre_save_hook``: drop live views before a notebook is saved.

    Called by the server with the model it is about to write; files and directories pass
    through untouched."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        drop_live_views(model["content"])
