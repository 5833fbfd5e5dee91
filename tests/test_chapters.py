"""The chapter notebooks: complete, faithful to the source documents, stored as they run, in
English and in Chinese.

nbval (``scripts/test.sh`` runs ``pytest --nbval notebooks``) re-runs every chapter and compares
its outputs with the stored ones. These tests check what nbval cannot:

* every chapter (00-06) and appendix (A1) exists in both editions, ``notebooks/NN_slug.ipynb``
  (English) and ``notebooks/zh/NN_slug.ipynb`` (Chinese), and its cells are exactly what
  ``notebooks/src`` builds for that edition (no hand edits of an ``.ipynb`` that the next build
  would lose); both editions run the same code (a cell may differ only where its source gives
  it a ``lang=`` variant), every English text cell has its Chinese counterpart, and
  ``notebooks/seed_map.json`` is current;
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
* every chapter 00-05 animates a backward pass, chapters 00 and 05 have the manual stepper, and
  a stepper shown for clicking is fresh after Run All (no cell calls ``.next()``/``.run()`` on
  it: scripted steps use a stepper of their own);
* each chapter opens with its objectives and ends with a recap and a link to the next chapter
  of the same edition, links to the one glossary (``notebooks/glossary.md``), and asks at least
  three self-checking exercises (``autograd_lab.exercises.check``), one at least asking for
  code, stored unanswered;
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

SOURCES = build_chapters.chapter_sources()
#: chapter keys the chapter map has (00-06 chapters, A1 the appendix), each in both editions
CHAPTER_KEYS = ["00", "01", "02", "03", "04", "05", "06", "A1"]
EN = [f"{s.stem}.ipynb" for s in SOURCES]
ZH = [f"zh/{s.stem}.ipynb" for s in SOURCES]
CHAPTERS = EN + ZH
SEED_OR_TOUR = [n for n in CHAPTERS if Path(n).name[:2] in ("00", "01", "02", "03", "04", "05")]
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


def lang_of(name: str) -> str:
    return "zh" if name.startswith("zh/") else "en"


def source_of(name: str) -> Path:
    return NOTEBOOKS / "src" / Path(name).name.replace(".ipynb", ".py")


def key_of(name: str) -> str:
    return Path(name).name.split("_")[0]


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

def test_chapter_map_is_complete():
    assert [build_chapters.chapter_key(s) for s in SOURCES] == CHAPTER_KEYS


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_exists(name):
    assert (NOTEBOOKS / name).exists(), \
        f"chapter notebook {name} is missing: run notebooks/build_chapters.py {key_of(name)}"


def test_no_other_notebooks():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(EN)
    assert sorted(f"zh/{p.name}" for p in (NOTEBOOKS / "zh").glob("*.ipynb")) == sorted(ZH)


@pytest.mark.parametrize("name", CHAPTERS)
def test_notebook_matches_its_source(name, notebooks):
    """The stored notebook has exactly the cells notebooks/src builds for its edition (ids,
    kinds, sources, tags): rebuild with `.venv/bin/python notebooks/build_chapters.py NN`."""
    want = [(c.id, c.kind, c.source, c.tags)
            for c in build_chapters.parse(source_of(name), lang_of(name))]
    got = [(c.id, c.cell_type, c.source, list(c.metadata.get("tags", [])))
           for c in notebooks[name].cells]
    assert got == want


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem[:2] for s in SOURCES])
def test_editions_have_the_same_cells_and_code(source):
    """Cell for cell the two editions match (same ids and kinds: every English text cell has its
    Chinese counterpart); code is the same except in a cell written in two lang= variants."""
    en, zh = (build_chapters.parse(source, lang) for lang in ("en", "zh"))
    assert [(c.id, c.kind) for c in en] == [(c.id, c.kind) for c in zh]
    for one, two in zip(en, zh):
        if one.kind == "code" and not one.lang:
            assert one.source == two.source, one.id
        if one.kind == "markdown":
            assert one.lang == "en" and two.lang == "zh", \
                f"{source.name} {one.id}: write text cells as a lang=en / lang=zh pair"


_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("name", ZH)
def test_chinese_edition_is_in_chinese(name, notebooks):
    nb = notebooks[name]
    first_code = code_cells(nb)[0]
    assert 'set_language("zh")' in first_code.source, \
        "the Chinese edition sets the teaching layer's language first"
    for c in nb.cells:
        if c.cell_type == "markdown":
            assert _CJK.search(c.source), f"{c.id} has no Chinese text"


_LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("name", CHAPTERS)
def test_links_resolve_within_the_edition(name, notebooks):
    here = (NOTEBOOKS / name).parent
    for c in notebooks[name].cells:
        if c.cell_type != "markdown":
            continue
        for target in _LINK.findall(c.source):
            if target.startswith(("http://", "https://")):
                continue
            path = (here / target).resolve()
            assert path.exists(), f"{c.id}: link {target} leads nowhere"
            if target.endswith(".ipynb") and path.name != Path(name).name:  # not its translation
                assert path.parent == here, f"{c.id}: {target} leaves the {lang_of(name)} edition"


def test_seed_map_is_current(seed_map):
    want = build_chapters.seed_map({build_chapters.notebook_path(s): build_chapters.parse(s)
                                    for s in SOURCES})
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
    assert where["notebook_zh"] == f"zh/{SEED_CHAPTER[stem]}"
    for name in (where["notebook"], where["notebook_zh"]):
        nb = notebooks[name]
        by_id = {c.id: c for c in nb.cells}
        assert where["cell_id"] in by_id, f"{where['cell_id']} is not in {name}"
        target = by_id[where["cell_id"]]
        assert target.cell_type == "code"
        chapter_lines = [line for c in code_cells(nb) for line in code_lines(c.source)]
        lines = code_lines(target.source)
        pos = 0
        for line in code_lines(cell.code):
            if is_import(line):
                ported = PORTED_IMPORTS[line]
                assert ported in chapter_lines, f"{ported!r} is not in {name}"
                continue
            match = _PRINT_ID.match(line) if cell.prints_ids else None
            if match:
                assert f"id({match.group(1)})" in target.source, \
                    f"{where['cell_id']} does not compare id({match.group(1)})"
                continue
            assert line in lines[pos:], \
                f"{cell.label} line {line!r} is not in cell {where['cell_id']} of {name} (in order)"
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

OPENING = {"en": ("In this chapter you will", "In this appendix you will"),
           "zh": ("在本章中，你将", "在本附录中，你将")}
RECAP = {"en": "## Recap", "zh": "## 小结"}
GLOSSARY = NOTEBOOKS / "glossary.md"


def markdown_text(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_opens_with_objectives_and_ends_with_recap_and_next(name, notebooks):
    nb, lang = notebooks[name], lang_of(name)
    texts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert any(o in texts[0] for o in OPENING[lang]), \
        f"the first cell states the objectives ({OPENING[lang][0]}...)"
    recap = [i for i, t in enumerate(texts) if RECAP[lang] in t]
    assert recap, f"no {RECAP[lang]} section"
    stems = [s.stem for s in SOURCES]
    following = stems[(stems.index(Path(name).stem) + 1) % len(stems)]
    assert any(f"]({following}.ipynb)" in t for t in texts[recap[-1]:]), \
        f"the recap should link to the next chapter, {following}.ipynb"


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_links_the_glossary(name, notebooks):
    link = "glossary.md" if lang_of(name) == "en" else "../glossary.md"
    assert f"]({link}" in markdown_text(notebooks[name])


def test_glossary_has_the_terms():
    rows = [line for line in GLOSSARY.read_text(encoding="utf-8").split("\n")
            if line.startswith("|") and not line.startswith(("|---", "| 中文"))]
    assert len(rows) >= 25
    cells = [[part.strip() for part in row.strip("|").split("|")] for row in rows]
    assert all(len(c) == 4 and all(c) for c in cells), "中文 | English | definition | 释义"
    terms = {c[0] for c in cells}
    for term in ("链式法则", "叶子节点", "雅可比矩阵", "向量-雅可比积", "版本计数器", "保存的张量",
                 "计算图", "梯度", "反向传播", "梯度累加", "原地操作", "动态图", "标量"):
        assert any(term in t for t in terms), term


_CHECK = re.compile(r'^check\("([0-9A-Z]+\.\d+)",', re.MULTILINE)


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_asks_self_checking_exercises(name, notebooks):
    from autograd_lab import exercises as ex

    key, lang = key_of(name), lang_of(name)
    asked = {}
    for c in code_cells(notebooks[name]):
        for found in _CHECK.findall(c.source):
            asked[found] = c
    registered = ex.exercises(key)
    assert sorted(asked) == sorted(e.key for e in registered), \
        "the chapter asks exactly the exercises registered for it"
    assert len(registered) >= 3
    assert any(e.kind == "code" for e in registered), "at least one asks for code"
    for k, c in asked.items():
        blank = f"{k}: {ex.NOT_ANSWERED['en']}" if lang == "en" else f"{k}：{ex.NOT_ANSWERED['zh']}"
        assert blank in stream_text(c, "stdout"), f"{c.id} should be stored unanswered"


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


@pytest.mark.parametrize("name", SEED_OR_TOUR)
def test_chapter_animates_a_backward_pass(name, notebooks):
    cells = code_cells(notebooks[name])
    kinds = ["BackwardAnimation"] + (["StepThrough"] if key_of(name) in ("00", "05") else [])
    for kind in kinds:
        made = [p for c in cells for p in players(c, kind)]
        assert made, f"{name} stores no {kind} player"
        for page in made:
            assert 'class="agm-player"' in page and "<script" in page and "<svg" in page
            assert "http://" not in page.replace("http://www.w3.org/", "") and \
                "https://" not in page, "the player must need no network"


#: issue 14's corrections in chapters 00-02: cell id -> (chapter, what the cell must print).
#: Each prints the fact, identically in both editions (PyTorch 2.13 prints the same).
CORRECTIONS = {
    "ch00-scripted-steps": ("00_tour.ipynb", ["dw = dw_1 + dw_2\nw_grad_fn(dw)"]),
    "ch00-trace": ("00_tour.ipynb", ["torch::autograd::AccumulateGrad', "
                                     "'torch::autograd::AccumulateGrad']\ntensor([2.]) tensor([5.])"]),
    "ch01-leaf-rule": ("01_computation_graphs_and_backward.ipynb",
                       ["zeros(2) * 3:                      is_leaf True  grad_fn None",
                        "randn(3, requires_grad=True) * 0.01: is_leaf False  grad_fn MulBackward0"]),
    "ch01-accumulate-once": ("01_computation_graphs_and_backward.ipynb",
                             ["AccumulateGrad called 1 time(s), with [tensor([5.])]"]),
    "ch01-grad-outputs": ("01_computation_graphs_and_backward.ipynb",
                          ["TypeError: grad() got an unexpected keyword argument 'grad_tensors'",
                           "grad_outputs=[2.]: (tensor([12.]),)"]),
    "ch01-requires-grad-flows": ("01_computation_graphs_and_backward.ipynb",
                                 ["x * 2 under no_grad:  requires_grad False",
                                  "x > 1 (a bool tensor): requires_grad False",
                                  "a * 2 (a is a non-leaf): requires_grad True"]),
    "ch01-leaf-inplace": ("01_computation_graphs_and_backward.ipynb",
                          ["RuntimeError: a leaf Variable that requires grad is being used in an "
                           "in-place operation."]),
    "ch01-finite-differences": ("01_computation_graphs_and_backward.ipynb",
                                ["torch.float32  h = 1e-05  one-sided 5.00679016   central 5.00679016",
                                 "torch.float64  h = 0.001  one-sided 5.00100000   central 5.00000000"]),
    "ch02-inplace-nonleaf": ("02_requires_grad_and_the_graph.ipynb",
                             ["tensor([2., 2.], grad_fn=<AddBackward0>)  version 1"]),
    "ch02-retain-grad": ("02_requires_grad_and_the_graph.ipynb",
                         ["False tensor([1., 1., 1., 1.])"]),
    "ch02-grad-none-classic": ("02_requires_grad_and_the_graph.ipynb",
                               ["is_leaf: False  grad_fn: MulBackward0\ngrad: None"]),
}


@pytest.mark.parametrize("cell_id", sorted(CORRECTIONS))
def test_each_correction_is_shown_by_a_cell(cell_id, notebooks):
    chapter, facts = CORRECTIONS[cell_id]
    for name in (chapter, f"zh/{chapter}"):
        cell = {c.id: c for c in notebooks[name].cells}[cell_id]
        printed = stream_text(cell, "stdout")
        for fact in facts:
            assert fact in printed, f"{name} {cell_id} should print {fact!r}"


_STEPPER = re.compile(r"^(\w+) = step_through\(", re.MULTILINE)


@pytest.mark.parametrize("name", CHAPTERS)
def test_steppers_shown_for_clicking_are_fresh(name, notebooks):
    """A stepper displayed for the learner to click is left alone by every later cell, so that
    after Run All it starts at its first step (scripted steps use a stepper of their own)."""
    cells = code_cells(notebooks[name])
    for i, c in enumerate(cells):
        for var in _STEPPER.findall(c.source):
            shown = code_lines(c.source)[-1] == var
            if not shown:
                continue
            for later in cells[i:]:
                assert not re.search(rf"\b{var}\.(next|run|stepper)\b", later.source), \
                    f"{later.id} drives the stepper {var} shown in {c.id}: use a separate one"
        for o in c.outputs:
            text = o.get("data", {}).get("text/plain", "")
            if text.startswith("<StepThrough of "):
                assert ": 0 of " in text, f"{c.id} stores a stepper already stepped: {text}"


# -- HTML export ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def html_pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    jupyter = Path(sys.executable).with_name("jupyter")
    pages = {}
    for lang, names in (("en", EN), ("zh", ZH)):
        command = [str(jupyter) if jupyter.exists() else "jupyter", "nbconvert", "--to", "html",
                   "--output-dir", str(out / lang), *(str(NOTEBOOKS / n) for n in names)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        for n in names:
            pages[n] = (out / lang / Path(n).name.replace(".ipynb", ".html")).read_text(
                encoding="utf-8")
    return pages


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
