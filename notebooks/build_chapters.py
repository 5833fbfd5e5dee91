"""Build the chapter notebooks from their sources, run them, and write the seed map.

    .venv/bin/python notebooks/build_chapters.py            # every chapter
    .venv/bin/python notebooks/build_chapters.py 03 05      # only these chapters

Each chapter is written as a Python file of cells, ``notebooks/src/NN_slug.py``, in the
"percent" format that editors and jupytext understand: a line ``# %%`` starts a code cell and
``# %% [markdown]`` a markdown cell whose lines are comments (``# `` is removed). A header may
carry attributes (shell-quoted):

    # %% seeds="000/In [7]"          this cell reproduces seed cell In [7] of document 000_...
    # %% id=tour-animate             an explicit cell id (default: from the seed, or numbered)
    # %% tags=silent                 the cell shows nothing, on purpose (tests/test_chapters.py)
    # %% [markdown] lang=zh          the cell belongs to one edition only (en or zh)

Every chapter is built in two editions from the one source: English, ``notebooks/NN_slug.ipynb``,
and Simplified Chinese, ``notebooks/zh/NN_slug.ipynb``. A cell without ``lang=`` is in both
(code cells normally are: the same code, run again in each edition); a cell with ``lang=en`` or
``lang=zh`` only in that one. Ids are given per edition, so a cell and its counterpart in the
other edition carry the same id. The appendices (``A1_slug.py`` ...) are built the same way.

The notebooks are executed in a fresh kernel with nbclient, so every stored output is the real
output of that run (pictures, printed text, caught errors). A cell that raises stops the build:
the chapters show errors only as caught ones. ``notebooks/seed_map.json`` is written from the
``seeds=`` attributes: seed document and label -> notebook (both editions) and cell id; a seed
cell written per language (e.g. an import cell that also sets the language) has a variant with
the same ``seeds=`` in each edition.
"""
from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent
ROOT = NOTEBOOKS.parent
SOURCES = NOTEBOOKS / "src"
SEED_MAP = NOTEBOOKS / "seed_map.json"
EDITIONS: tuple[str, ...] = ("en", "zh")
EDITION_DIRS = {"en": NOTEBOOKS, "zh": NOTEBOOKS / "zh"}

_HEADER = re.compile(r"^# %%(?P<rest>.*)$")
_ID_OK = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass
class SourceCell:
    """One cell as written in a chapter source."""

    kind: str  # "code" or "markdown"
    source: str
    id: str = ""
    seeds: list[tuple[str, str]] = field(default_factory=list)  # (document prefix, label)
    tags: list[str] = field(default_factory=list)
    lang: str = ""  # "" (both editions), "en" or "zh"


def seed_documents() -> dict[str, str]:
    """Seed document prefix ("000") -> file stem ("000_0bdeb554638b7c07")."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from seed_cells import SEEDS
    finally:
        sys.path.pop(0)
    return {stem.split("_")[0]: stem for stem in SEEDS}


def chapter_sources() -> list[Path]:
    """The chapters (``NN_slug.py``) in order, then the appendices (``A1_slug.py`` ...)."""
    return sorted(SOURCES.glob("[0-9][0-9]_*.py")) + sorted(SOURCES.glob("A[0-9]_*.py"))


def chapter_key(source: Path) -> str:
    """What the command line calls a chapter: "03", "A1"."""
    return source.stem.split("_")[0]


def notebook_path(source: Path, lang: str = "en") -> Path:
    return EDITION_DIRS[lang] / f"{source.stem}.ipynb"


def _attributes(rest: str) -> tuple[str, dict[str, str]]:
    words = shlex.split(rest)
    kind = "code"
    if words and words[0] == "[markdown]":
        kind = "markdown"
        words = words[1:]
    attrs = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or key not in ("id", "seeds", "tags", "lang"):
            raise ValueError(f"bad cell attribute {word!r} (id=, seeds=, tags=, lang=)")
        if key == "lang" and value not in EDITIONS:
            raise ValueError(f"lang={value!r}: the editions are {', '.join(EDITIONS)}")
        attrs[key] = value
    return kind, attrs


def _trim(lines: list[str]) -> str:
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def parse(path: Path, lang: str = "en") -> list[SourceCell]:
    """The cells of one chapter source in edition ``lang``, with their ids filled in."""
    if lang not in EDITIONS:
        raise ValueError(f"lang={lang!r}: the editions are {', '.join(EDITIONS)}")
    cells = [c for c in parse_all(path) if c.lang in ("", lang)]
    _assign_ids(cells, chapter_key(path))
    return cells


def parse_all(path: Path) -> list[SourceCell]:
    """Every cell of one chapter source, of both editions, ids not yet filled in."""
    cells: list[SourceCell] = []
    body: list[str] | None = None  # lines before the first header are the file's own notes
    for line in path.read_text(encoding="utf-8").split("\n"):
        match = _HEADER.match(line)
        if match:
            if body is not None:
                cells[-1].source = _finish(cells[-1].kind, body, path)
            kind, attrs = _attributes(match.group("rest"))
            seeds = []
            for item in filter(None, (s.strip() for s in attrs.get("seeds", "").split(";"))):
                doc, _, label = item.partition("/")
                seeds.append((doc, label))
            cells.append(SourceCell(kind, "", attrs.get("id", ""), seeds,
                                    [t for t in attrs.get("tags", "").split(",") if t],
                                    attrs.get("lang", "")))
            body = []
        elif body is not None:
            body.append(line)
    if body is not None:
        cells[-1].source = _finish(cells[-1].kind, body, path)
    for cell in cells:  # a seed cell written per language must exist in both editions
        if cell.seeds and cell.lang and not any(
                c.seeds == cell.seeds and c.lang not in ("", cell.lang) for c in cells):
            raise ValueError(f"{path.name}: seed cell {cell.seeds} has lang={cell.lang} "
                             f"but no variant in the other edition")
    return cells


def _finish(kind: str, lines: list[str], path: Path) -> str:
    if kind == "code":
        return _trim(lines)
    text = []
    for line in lines:
        if line == "#":
            text.append("")
        elif line.startswith("# "):
            text.append(line[2:])
        elif not line.strip():
            text.append("")
        else:
            raise ValueError(f"{path.name}: markdown line not commented: {line!r}")
    return _trim(_join_cjk_lines(text))


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_ENDS_CJK = re.compile(f"[{_CJK}]$")
_STARTS_CJK = re.compile(f"^\\s*[{_CJK}]")


def _join_cjk_lines(lines: list[str]) -> list[str]:
    """Join a wrapped line of Chinese text to the next where both sides of the break are Chinese:
    Markdown turns a line break inside a paragraph into a space, which Chinese text does not
    have. Code blocks and lines that start a block (quote, table, list item) are left alone."""
    joined: list[str] = []
    fenced = False
    for line in lines:
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif (not fenced and joined and _ENDS_CJK.search(joined[-1])
              and _STARTS_CJK.match(line) and not joined[-1].lstrip().startswith("```")):
            joined[-1] += line.strip()
            continue
        joined.append(line)
    return joined


def _assign_ids(cells: list[SourceCell], chapter: str) -> None:
    seen: set[str] = set()
    counts = {"code": 0, "markdown": 0}
    for cell in cells:
        counts[cell.kind] += 1
        if not cell.id:
            if cell.seeds:
                doc, label = cell.seeds[0]
                number = re.sub(r"\D", "", label)
                cell.id = f"seed{doc}-in{number}"
            else:
                prefix = f"ch{chapter}" if chapter[0].isdigit() else chapter.lower()
                cell.id = f"{prefix}-{'md' if cell.kind == 'markdown' else 'code'}" \
                          f"{counts[cell.kind]:02d}"
        if not _ID_OK.match(cell.id) or cell.id in seen:
            raise ValueError(f"chapter {chapter}: bad or repeated cell id {cell.id!r}")
        seen.add(cell.id)


def to_notebook(cells: list[SourceCell]):
    import nbformat
    from nbformat import v4

    nb = v4.new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"},
    }
    for cell in cells:
        metadata = {"tags": cell.tags} if cell.tags else {}
        if cell.kind == "code":
            made = v4.new_code_cell(cell.source, id=cell.id, metadata=metadata)
        else:
            made = v4.new_markdown_cell(cell.source, id=cell.id, metadata=metadata)
        nb.cells.append(made)
    nbformat.validate(nb)
    return nb


def execute(nb, timeout: int = 300, cwd: Path = NOTEBOOKS) -> None:
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            coalesce_streams=True, store_widget_state=False,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()  # raises CellExecutionError on an uncaught error


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _drop_live_views(nb) -> None:
    """Store the static player, not the live widget, of animate_backward and step_through.

    Their outputs hold both: a widget view, which needs the kernel that made it, and a
    self-contained HTML player. JupyterLab prefers the view, so a stored one would show "Error
    displaying widget: model not found" in a notebook opened without that kernel. Run again,
    the cell shows the live widget; nbval leaves the view out of its comparison and compares
    the player."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and "text/html" in data:
                del data[WIDGET_VIEW]


def _tidy(nb) -> None:
    """Keep what a reader needs: outputs and counts; drop run-specific metadata."""
    info = nb.metadata.get("language_info", {})
    nb.metadata["language_info"] = {k: info[k] for k in
                                    ("codemirror_mode", "file_extension", "mimetype", "name",
                                     "nbconvert_exporter", "pygments_lexer") if k in info}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)


def sanitize_rules() -> list[tuple[re.Pattern, str]]:
    """The regex/replace pairs of assets/nbval_sanitize.cfg, read as nbval reads them."""
    text = (ROOT / "assets" / "nbval_sanitize.cfg").read_text(encoding="utf-8")
    return [(re.compile(rx), rep)
            for rx, rep in re.findall(r"^regex: (.*)$\n^replace: (.*)$", text, re.MULTILINE)]


def _comparable(outputs: list, rules: list[tuple[re.Pattern, str]]) -> str:
    """The outputs as nbval compares them: sanitized text, without counts or metadata."""
    def clean(value):
        if isinstance(value, str):
            for rx, rep in rules:
                value = rx.sub(rep, value)
            return value
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()
                    if k not in ("execution_count", "metadata", "transient")}
        return value
    return json.dumps(clean([dict(o) for o in outputs]), sort_keys=True)


def _keep_unchanged_outputs(nb, target: Path) -> None:
    """Where a cell's fresh outputs equal the stored ones up to what nbval masks (memory
    addresses, the kernel's temporary file names), keep the stored ones: both are real outputs,
    and a rebuild then changes only what really changed."""
    import nbformat

    if not target.exists():
        return
    rules = sanitize_rules()
    old = {c.id: c for c in nbformat.read(str(target), as_version=4).cells
           if c.cell_type == "code"}
    for cell in nb.cells:
        before = old.get(cell.id)
        if (cell.cell_type == "code" and before is not None and before.source == cell.source
                and _comparable(before.outputs, rules) == _comparable(cell.outputs, rules)):
            cell.outputs = before.outputs
            for output in cell.outputs:
                if output.get("output_type") == "execute_result":
                    output["execution_count"] = cell.execution_count


def build(source: Path, lang: str = "en") -> tuple[Path, list[SourceCell], float]:
    import nbformat

    cells = parse(source, lang)
    nb = to_notebook(cells)
    target = notebook_path(source, lang)
    target.parent.mkdir(exist_ok=True)
    start = time.perf_counter()
    execute(nb, cwd=target.parent)
    seconds = time.perf_counter() - start
    _tidy(nb)
    _drop_live_views(nb)
    _keep_unchanged_outputs(nb, target)
    nbformat.write(nb, str(target))
    return target, cells, seconds


def seed_map(chapters: dict[Path, list[SourceCell]]) -> dict:
    """The map from the English edition's cells (keys: English notebook paths); each entry
    also names the Chinese notebook, where the same cell has the same id."""
    docs = seed_documents()
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from seed_cells import SEEDS
    finally:
        sys.path.pop(0)
    where: dict[tuple[str, str], dict[str, str]] = {}
    for target, cells in chapters.items():
        for cell in cells:
            for doc, label in cell.seeds:
                if doc not in docs:
                    raise ValueError(f"{target.name}: unknown seed document {doc!r}")
                key = (docs[doc], label)
                if key in where:
                    raise ValueError(f"seed cell {key} is reproduced twice")
                where[key] = {"notebook": target.name, "notebook_zh": f"zh/{target.name}",
                              "cell_id": cell.id}
    result = {}
    for stem, seed_cells in SEEDS.items():
        result[stem] = {}
        for seed in seed_cells:
            if (stem, seed.label) in where:
                result[stem][seed.label] = where.pop((stem, seed.label))
    if where:
        raise ValueError(f"seeds= names cells that are not in tests/seed_cells.py: {list(where)}")
    return {
        "about": "Where each code cell of the five source documents (tests/seed_cells.py) is "
                 "reproduced: document stem -> cell label -> chapter notebook (English edition; "
                 "notebook_zh: the Chinese edition, where the cell has the same id) and cell "
                 "id. Written by notebooks/build_chapters.py from the seeds= attributes of "
                 "notebooks/src/*.py; checked by tests/test_chapters.py.",
        "seeds": result,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("chapters", nargs="*", help="chapter numbers, e.g. 03 A1 (default: all)")
    parser.add_argument("--lang", choices=EDITIONS, action="append",
                        help="build only this edition (default: both)")
    args = parser.parse_args(argv)
    sources = chapter_sources()
    known = {chapter_key(s) for s in sources}
    unknown = [c for c in args.chapters if c not in known]
    if unknown:
        parser.error(f"no chapter source for {', '.join(unknown)} (have {', '.join(sorted(known))})")
    chosen = [s for s in sources if not args.chapters or chapter_key(s) in args.chapters]
    for source in chosen:
        for lang in args.lang or EDITIONS:
            target, _, seconds = build(source, lang)
            print(f"{target.relative_to(ROOT)}: executed in {seconds:.1f} s")
    # the map always covers every chapter: parse (not run) the ones not rebuilt
    mapping = seed_map({notebook_path(s): parse(s) for s in sources})
    SEED_MAP.write_text(json.dumps(mapping, indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    total = sum(len(v) for v in mapping["seeds"].values())
    print(f"{SEED_MAP.relative_to(ROOT)}: {total} seed cells mapped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
