"""The chapter notebooks: complete, faithful to the source documents, and stored as they run.

nbval (``scripts/test.sh`` runs ``pytest --nbval notebooks``) re-runs every chapter and compares
its outputs with the stored ones. These tests check what nbval cannot:

* every chapter exists, and its cells are exactly what ``notebooks/src`` builds (no hand edits of
  an ``.ipynb`` that the next build would lose), and ``notebooks/seed_map.json`` is current;
* every code cell of the five source documents (``tests/seed_cells.py``) has a counterpart in the
  map, and that chapter cell reproduces it. **The rule**: the seed cell's code lines, with
  comments removed (comments are ours, in English) and surrounding whitespace stripped, appear
  in the chapter cell in the same order (other lines may come between them, e.g. a ``try:`` around
  a line that raises). Two kinds of line are checked differently: import lines are ported as
  ``tests/seed_replay.py`` ports them (``import torch`` -> ``import autograd_lab as torch``) and
  must appear somewhere in the chapter, since a chapter imports once at the top; and in cells
  that print ``id(...)`` (whose raw values change in every run) a ``print(id(v), ...)`` line is
  replaced by a comparison of ids, so the chapter cell must mention ``id(v)``;
* no notebook stores an error output: an error a document shows is caught and printed as
  ``Type: message``, and the mapped cell prints exactly that for the seed's error type;
* no stored output is missing: every code cell ran, in order, and has outputs unless tagged
  ``silent`` (then it has none); a cell ending in ``render_graph(...)`` stores its picture;
* no display problem: pictures are ``image/svg+xml`` (what JupyterLab renders once
  ``scripts/lab.sh`` has trusted the notebook) with a ``text/plain`` fallback, and no other HTML
  output than an animation player carries an SVG; the animations (``animate_backward``,
  ``step_through``) are stored as their self-contained HTML players, never as live widget views,
  which need the kernel that made them (JupyterLab would show "model not found"); an
  ``NBVAL_IGNORE_OUTPUT`` is allowed only on a live widget view and must say why;
* every chapter animates a backward pass, and chapter 05 has the manual stepper;
* ``jupyter nbconvert --to html`` embeds every picture and every animation player's script.
"""
from __future__ import annotations

import ast
import base64
import html
import io
import json
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import nbformat
import pytest

from seed_cells import SEEDS
from seed_replay import PORTED_IMPORTS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
sys.path.insert(0, str(NOTEBOOKS))
import build_chapters  # noqa: E402

CHAPTERS = [
    "00_tour.ipynb",
    "01_computation_graphs_and_backward.ipynb",
    "02_requires_grad_and_the_graph.ipynb",
    "03_derivatives_and_gradients.ipynb",
    "04_autograd_tips.ipynb",
    "05_grad_fn_by_hand_and_custom_functions.ipynb",
]
SEED_CHAPTER = {  # which chapter follows which source document
    "000_0bdeb554638b7c07": "01_computation_graphs_and_backward.ipynb",
    "001_eb5d88cff90534e4": "02_requires_grad_and_the_graph.ipynb",
    "002_f4f0882e939c3981": "03_derivatives_and_gradients.ipynb",
    "003_06eb90092a57de85": "04_autograd_tips.ipynb",
    "004_e613237166c6ea6f": "05_grad_fn_by_hand_and_custom_functions.ipynb",
}
SEED_CELLS = [(stem, cell) for stem, cells in SEEDS.items() for cell in cells]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def load(name: str):
    return nbformat.read(str(NOTEBOOKS / name), as_version=4)


@pytest.fixture(scope="module")
def notebooks():
    return {name: load(name) for name in CHAPTERS if (NOTEBOOKS / name).exists()}


@pytest.fixture(scope="module")
def seed_map():
    return json.loads((NOTEBOOKS / "seed_map.json").read_text(encoding="utf-8"))


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def code_lines(source: str) -> list[str]:
    """The lines of ``source`` without comments, stripped, blank ones dropped."""
    lines = source.split("\n")
    cuts: dict[int, int] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            cuts[tok.start[0] - 1] = tok.start[1]
    result = []
    for i, line in enumerate(lines):
        line = line[:cuts[i]] if i in cuts else line
        if line.strip():
            result.append(line.strip())
    return result


def is_import(line: str) -> bool:
    return line.startswith(("import ", "from "))


_PRINT_ID = re.compile(r"^print\(id\((\w+)\)")


def stream_text(cell, name: str) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == name)


# -- chapters exist and are built from their sources ------------------------------------------

@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_exists(name):
    assert (NOTEBOOKS / name).exists(), f"chapter notebook {name} is missing"
    assert (NOTEBOOKS / "src" / name.replace(".ipynb", ".py")).exists(), \
        f"the source of {name} is missing from notebooks/src"


def test_no_other_notebooks():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == CHAPTERS


@pytest.mark.parametrize("name", CHAPTERS)
def test_notebook_matches_its_source(name, notebooks):
    """The stored notebook has exactly the cells notebooks/src builds (ids, kinds, sources,
    tags): rebuild with `.venv/bin/python notebooks/build_chapters.py` after editing a source."""
    source = NOTEBOOKS / "src" / name.replace(".ipynb", ".py")
    want = [(c.id, c.kind, c.source, c.tags) for c in build_chapters.parse(source)]
    got = [(c.id, c.cell_type, c.source, list(c.metadata.get("tags", [])))
           for c in notebooks[name].cells]
    assert got == want


def test_seed_map_is_current(seed_map):
    sources = build_chapters.chapter_sources()
    want = build_chapters.seed_map({build_chapters.notebook_path(s): build_chapters.parse(s)
                                    for s in sources})
    assert seed_map == want, "seed_map.json is stale: run notebooks/build_chapters.py"


# -- every seed cell is reproduced ------------------------------------------------------------

def test_seed_map_covers_every_seed_cell(seed_map):
    missing = [(stem, cell.label) for stem, cell in SEED_CELLS
               if cell.label not in seed_map["seeds"].get(stem, {})]
    assert not missing, f"seed cells with no chapter cell: {missing}"
    extra = [(stem, label) for stem, labels in seed_map["seeds"].items() for label in labels
             if stem not in SEEDS or label not in {c.label for c in SEEDS[stem]}]
    assert not extra, f"map entries for cells the documents do not have: {extra}"


@pytest.mark.parametrize("stem,cell", SEED_CELLS, ids=[f"{s[:3]}-{c.label}" for s, c in SEED_CELLS])
def test_seed_cell_reproduced(stem, cell, seed_map, notebooks):
    where = seed_map["seeds"][stem][cell.label]
    assert where["notebook"] == SEED_CHAPTER[stem]
    nb = notebooks[where["notebook"]]
    by_id = {c.id: c for c in nb.cells}
    assert where["cell_id"] in by_id, f"{where} names a cell that does not exist"
    target = by_id[where["cell_id"]]
    assert target.cell_type == "code"
    chapter_lines = [line for c in code_cells(nb) for line in code_lines(c.source)]
    lines = code_lines(target.source)
    pos = 0
    for line in code_lines(cell.code):
        if is_import(line):
            ported = PORTED_IMPORTS[line]
            assert ported in chapter_lines, f"{ported!r} is not in {where['notebook']}"
            continue
        match = _PRINT_ID.match(line) if cell.prints_ids else None
        if match:
            assert f"id({match.group(1)})" in target.source, \
                f"{where['cell_id']} does not compare id({match.group(1)})"
            continue
        assert line in lines[pos:], \
            f"{cell.label} line {line!r} is not in cell {where['cell_id']} (in order)"
        pos = lines.index(line, pos) + 1


@pytest.mark.parametrize("stem,cell", [(s, c) for s, c in SEED_CELLS if c.error],
                         ids=[f"{s[:3]}-{c.label}" for s, c in SEED_CELLS if c.error])
def test_seed_error_is_caught_and_printed(stem, cell, seed_map, notebooks):
    where = seed_map["seeds"][stem][cell.label]
    target = {c.id: c for c in notebooks[where["notebook"]].cells}[where["cell_id"]]
    assert f"except {cell.error} as e:" in target.source
    assert re.search(rf"^{cell.error}: \S", stream_text(target, "stdout"), re.MULTILINE), \
        f"{where['cell_id']} should print '{cell.error}: <PyTorch's message>'"


# -- stored outputs ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", CHAPTERS)
def test_no_error_outputs(name, notebooks):
    errors = [(c.id, o.get("ename")) for c in code_cells(notebooks[name]) for o in c.outputs
              if o.output_type == "error"]
    assert not errors, f"uncaught errors stored in {name}: {errors}"


@pytest.mark.parametrize("name", CHAPTERS)
def test_caught_errors_are_printed_as_type_and_message(name, notebooks):
    for c in code_cells(notebooks[name]):
        if "except " in c.source:
            assert 'print(f"{type(e).__name__}: {e}")' in c.source, c.id
            assert re.search(r"^\w+(Error|Exception): \S", stream_text(c, "stdout"),
                             re.MULTILINE), f"{c.id} catches an error but printed none"


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_cell_ran_and_stored_its_output(name, notebooks):
    cells = code_cells(notebooks[name])
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1)), \
        "every code cell must have run, once, in order"
    for c in cells:
        silent = "silent" in c.metadata.get("tags", [])
        if silent:
            assert not c.outputs, f"{c.id} is tagged silent but has output"
        else:
            assert c.outputs, f"{c.id} stores no output (tag it silent if that is intended)"
        last = code_lines(c.source)[-1] if code_lines(c.source) else ""
        if last.startswith("render_graph("):
            assert any("image/svg+xml" in o.get("data", {}) for o in c.outputs), \
                f"{c.id} draws a picture but stores none"


@pytest.mark.parametrize("name", CHAPTERS)
def test_outputs_need_no_trust_to_be_read(name, notebooks):
    for c in code_cells(notebooks[name]):
        for o in c.outputs:
            data = o.get("data", {})
            if not data:
                continue
            assert "text/plain" in data, f"{c.id}: a rich output needs a text/plain fallback"
            assert "application/javascript" not in data, f"{c.id}: JavaScript output"
            if "image/svg+xml" in data:
                svg = data["image/svg+xml"]
                assert svg.lstrip().startswith(("<?xml", "<svg")) and "</svg>" in svg, c.id
                assert "<script" not in svg, f"{c.id}: a picture must not carry script"
            page = data.get("text/html", "")
            assert "<svg" not in page or "agm-player" in page, \
                f"{c.id}: pictures belong in image/svg+xml, not text/html"


@pytest.mark.parametrize("name", CHAPTERS)
def test_no_live_widget_views_stored(name, notebooks):
    nb = notebooks[name]
    assert "widgets" not in nb.metadata, "no widget state: the players need none"
    for c in code_cells(nb):
        for o in c.outputs:
            assert WIDGET_VIEW not in o.get("data", {}), \
                f"{c.id}: a stored widget view shows 'model not found' without its kernel"


@pytest.mark.parametrize("name", CHAPTERS)
def test_nbval_ignores_only_live_widget_views(name, notebooks):
    for c in code_cells(notebooks[name]):
        assert "NBVAL_SKIP" not in c.source and "NBVAL_RAISES_EXCEPTION" not in c.source, c.id
        if "NBVAL_IGNORE_OUTPUT" in c.source:
            line = next(l for l in c.source.split("\n") if "NBVAL_IGNORE_OUTPUT" in l)
            assert len(line.split("NBVAL_IGNORE_OUTPUT", 1)[1].strip(" :-—")) > 10, \
                f"{c.id}: say why the output is not compared"
            assert any(WIDGET_VIEW in o.get("data", {}) for o in c.outputs), \
                f"{c.id}: only a live widget view may be left uncompared"


def test_lab_script_trusts_the_chapters():
    """JupyterLab renders SVG and runs a player's script only in trusted notebooks; the
    signature lives on the reader's machine, so scripts/lab.sh signs the chapters there."""
    lab = (ROOT / "scripts" / "lab.sh").read_text()
    assert "jupyter\" trust" in lab or "jupyter trust" in lab


# -- chapter structure ------------------------------------------------------------------------

@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_glossary_and_exercises(name, notebooks):
    nb = notebooks[name]
    assert any("**Glossary**" in c.source for c in nb.cells if c.cell_type == "markdown")
    checks = [c for c in code_cells(nb) if 'print("right" if' in c.source]
    assert 2 <= len(checks) <= 3, "two or three predict-then-check exercises"
    for c in checks:
        assert re.match(r"^(right|wrong)\b", stream_text(c, "stdout")), c.id


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_imports_autograd_lab_not_torch(name, notebooks):
    for c in code_cells(notebooks[name]):
        for node in ast.walk(ast.parse(c.source)):
            if isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] != "torch" for a in node.names), c.id
            elif isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "torch", c.id


def players(cell, kind: str) -> list[str]:
    """The stored HTML players of ``kind`` ("BackwardAnimation" or "StepThrough")."""
    return [o.data["text/html"] for o in cell.outputs
            if o.get("data", {}).get("text/plain", "").startswith(f"<{kind} of ")
            and "text/html" in o.data]


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_animates_a_backward_pass(name, notebooks):
    cells = code_cells(notebooks[name])
    kinds = ["BackwardAnimation"] + (["StepThrough"] if name.startswith(("00_", "05_")) else [])
    for kind in kinds:
        made = [p for c in cells for p in players(c, kind)]
        assert made, f"{name} stores no {kind} player"
        for page in made:
            assert 'class="agm-player"' in page and "<script" in page and "<svg" in page
            assert "http://" not in page.replace("http://www.w3.org/", "") and \
                "https://" not in page, "the player must need no network"


# -- HTML export ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def html_pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [str(jupyter) if jupyter.exists() else "jupyter", "nbconvert", "--to", "html",
               "--output-dir", str(out), *(str(NOTEBOOKS / n) for n in CHAPTERS)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {n: (out / n.replace(".ipynb", ".html")).read_text(encoding="utf-8")
            for n in CHAPTERS}


def embedded_svgs(page: str) -> list[str]:
    """SVG pictures in an nbconvert page: inline <svg> elements or data: URIs (nbconvert 7
    embeds SVG outputs as base64 data URIs unless told to skip the encoding)."""
    found = [base64.b64decode(html.unescape(m)).decode("utf-8")
             for m in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)]
    found += re.findall(r"<svg\b.*?</svg>", page, re.DOTALL)
    return found


@pytest.mark.parametrize("name", CHAPTERS)
def test_html_export_embeds_the_pictures(name, notebooks, html_pages):
    page = html_pages[name]
    pictures = embedded_svgs(page)
    stored = [o.data["image/svg+xml"] for c in code_cells(notebooks[name]) for o in c.outputs
              if "image/svg+xml" in o.get("data", {})]
    assert stored, f"{name} has no pictures"
    for svg in stored:
        body = svg[svg.index("<svg"):]
        assert any(body in p for p in pictures), "a stored picture is missing from the HTML"
    for c in code_cells(notebooks[name]):
        for o in c.outputs:
            player = o.get("data", {}).get("text/html", "")
            # nbconvert re-serializes output HTML (attribute order may change): compare what
            # each script holds, not its tag
            for body in re.findall(r"<script\b[^>]*>(.*?)</script>", player, re.DOTALL):
                assert body in page, f"{c.id}: the player's script is not in the HTML"
