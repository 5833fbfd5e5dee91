"""The save hook (autograd_lab.notebook_save) and the learner's chapter copies
(autograd_lab.chapter_copies), which scripts/lab.sh sets up; tests/browser/test_lab_browser.py
checks both in JupyterLab."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import autograd_lab as torch
from autograd_lab.chapter_copies import copy_chapters, kernel_python_version, main
from autograd_lab.notebook_save import WIDGET_VIEW, drop_live_views, pre_save_hook

ROOT = Path(__file__).resolve().parents[1]


def _graph():
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    return torch.mul(torch.add(x, w), torch.add(w, 1))


def _output(bundle: dict) -> dict:
    return {"output_type": "display_data", "data": dict(bundle), "metadata": {}}


def _notebook(*outputs: dict) -> dict:
    cells = [{"cell_type": "markdown", "id": "m", "metadata": {}, "source": "# title"}]
    cells += [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "execution_count": i + 1,
               "source": "x", "outputs": [o]} for i, o in enumerate(outputs)]
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


@pytest.fixture(scope="module")
def bundles():
    """What animate_backward and step_through display live: a widget view beside the player."""
    anim = torch.animate_backward(_graph())._repr_mimebundle_()
    steps = torch.step_through(_graph())._repr_mimebundle_()
    import ipywidgets
    slider = ipywidgets.IntSlider(value=3)._repr_mimebundle_()
    for b in (anim, steps):
        assert WIDGET_VIEW in b and "text/html" in b   # else these tests test nothing
    assert WIDGET_VIEW in slider and "text/html" not in slider
    return {"anim": anim, "steps": steps, "slider": slider}


def test_views_beside_a_player_are_dropped_the_rest_kept(bundles):
    plain = {"output_type": "stream", "name": "stdout", "text": "hi\n"}
    html_only = _output({"text/html": "<b>no player</b>", "text/plain": "x"})
    nb = _notebook(_output(bundles["anim"]), _output(bundles["steps"]),
                   _output(bundles["slider"]), plain, html_only)
    before = copy.deepcopy(nb)
    assert drop_live_views(nb) == 2
    anim, steps, slider, stream, html = (c["outputs"][0] for c in nb["cells"][1:])
    for out, name in ((anim, "anim"), (steps, "steps")):
        assert set(out["data"]) == {"text/html", "text/plain"}
        assert out["data"]["text/html"] == bundles[name]["text/html"]   # the player, unchanged
    # a widget with no player beside it keeps its view: its saved state may render it
    assert slider == before["cells"][3]["outputs"][0]
    assert (stream, html) == (plain, html_only)
    assert nb["cells"][0] == before["cells"][0] and nb["metadata"] == before["metadata"]


def test_player_stored_as_a_list_of_lines_counts(bundles):
    data = dict(bundles["anim"], **{"text/html": bundles["anim"]["text/html"].splitlines(True)})
    nb = _notebook({"output_type": "execute_result", "execution_count": 1, "metadata": {},
                    "data": data})
    assert drop_live_views(nb) == 1
    assert WIDGET_VIEW not in nb["cells"][1]["outputs"][0]["data"]


def test_pre_save_hook_changes_notebooks_only(bundles):
    nb = _notebook(_output(bundles["anim"]))
    model = {"type": "notebook", "format": "json", "content": nb}
    pre_save_hook(model=model, path="a.ipynb", contents_manager=None)
    assert WIDGET_VIEW not in nb["cells"][1]["outputs"][0]["data"]
    text = json.dumps(_notebook(_output(bundles["anim"])))
    as_file = {"type": "file", "format": "text", "content": text}
    pre_save_hook(model=as_file, path="a.json", contents_manager=None)
    assert as_file["content"] == text
    renamed = {"type": "notebook", "content": None}
    pre_save_hook(model=renamed, path="b.ipynb", contents_manager=None)
    assert renamed == {"type": "notebook", "content": None}


def test_jupyter_server_saves_players_through_the_configured_hook(bundles, tmp_path):
    """The hook as lab.sh configures it: by its import path, on the server's contents manager."""
    manager_module = pytest.importorskip("jupyter_server.services.contents.filemanager")
    manager = manager_module.FileContentsManager(
        root_dir=str(tmp_path), pre_save_hook="autograd_lab.notebook_save.pre_save_hook")
    nb = _notebook(_output(bundles["anim"]), _output(bundles["slider"]))
    manager.save({"type": "notebook", "format": "json", "content": nb}, "saved.ipynb")
    stored = json.loads((tmp_path / "saved.ipynb").read_text())
    anim, slider = (c["outputs"][0]["data"] for c in stored["cells"][1:])
    assert WIDGET_VIEW not in anim and 'class="agm-player' in "".join(anim["text/html"])
    assert slider[WIDGET_VIEW] == bundles["slider"][WIDGET_VIEW]


def test_lab_script_starts_the_server_with_the_hook():
    lab = (ROOT / "scripts" / "lab.sh").read_text()
    assert "--ContentsManager.pre_save_hook=autograd_lab.notebook_save.pre_save_hook" in lab
    assert "autograd_lab.chapter_copies" in lab


# -- the learner's copies ---------------------------------------------------------------------

def _write(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content))


def _chapter(title: str) -> dict:
    nb = _notebook()
    nb["cells"][0]["source"] = title
    nb["metadata"] = {"language_info": {"name": "python", "file_extension": ".py"}}
    return nb


def test_copies_every_notebook_subfolders_too_never_overwriting(tmp_path):
    src, dst = tmp_path / "notebooks", tmp_path / "mine"
    _write(src / "00_a.ipynb", _chapter("a"))
    _write(src / "zh" / "00_a.ipynb", _chapter("a zh"))
    _write(src / ".ipynb_checkpoints" / "00_a-checkpoint.ipynb", _chapter("old"))
    (src / "README.md").write_text("not a notebook")
    _write(dst / "00_a.ipynb", {"learner": "work"})
    made = copy_chapters(src, dst)
    assert made == [dst / "zh" / "00_a.ipynb"]
    assert json.loads((dst / "00_a.ipynb").read_text()) == {"learner": "work"}
    assert json.loads(made[0].read_text())["cells"][0]["source"] == "a zh"
    assert sorted(p.relative_to(dst).as_posix() for p in dst.rglob("*")) == [
        "00_a.ipynb", "zh", "zh/00_a.ipynb"]
    assert copy_chapters(src, dst) == []   # a second run copies nothing


def test_missing_chapters_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no chapters folder"):
        copy_chapters(tmp_path / "nowhere", tmp_path / "mine")
    assert not (tmp_path / "mine").exists()


def test_copy_reports_what_the_kernel_reports_so_opening_changes_nothing(tmp_path):
    """JupyterLab writes the kernel's language_info into an open notebook; a copy that already
    holds exactly that is not marked modified when its kernel starts."""
    ipkernel = pytest.importorskip("ipykernel.ipkernel")
    chapters = sorted((ROOT / "notebooks").rglob("*.ipynb"))
    assert chapters
    made = copy_chapters(ROOT / "notebooks", tmp_path)
    assert len(made) == len(chapters)
    for chapter in chapters:
        original = json.loads(chapter.read_text(encoding="utf-8"))
        mine = json.loads((tmp_path / chapter.relative_to(ROOT / "notebooks")).read_text())
        assert mine["metadata"]["language_info"] == ipkernel.IPythonKernel.language_info
        original["metadata"]["language_info"]["version"] = kernel_python_version()
        assert mine == original   # nothing else changed


def test_command_line_prints_the_new_copies(tmp_path, capsys):
    _write(tmp_path / "src" / "01_b.ipynb", _chapter("b"))
    assert main([str(tmp_path / "src"), str(tmp_path / "dst")]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'dst' / '01_b.ipynb'}\n"
    assert main([]) == 2
