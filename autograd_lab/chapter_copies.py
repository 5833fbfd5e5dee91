"""The learner's own copies of the chapter notebooks.

``scripts/lab.sh`` opens the chapters from copies in a folder git ignores (``my_chapters/``),
so what a learner runs, edits and saves never changes the built notebooks in ``notebooks/``.
A copy is made only where none exists: a learner's work is never overwritten. To get a fresh
copy of a chapter, delete (or rename) yours and start ``lab.sh`` again.

Each copy records the Python version its kernel will report (``language_info.version``,
which the built notebooks leave out so that they do not depend on the machine that built
them). Without it JupyterLab would mark every chapter modified as soon as its kernel starts.

Run as ``python -m autograd_lab.chapter_copies SOURCE TARGET``: prints each new copy's path,
one per line.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def kernel_python_version() -> str:
    """The version string an IPython kernel on this interpreter reports (e.g. "3.11.7")."""
    return sys.version.split()[0]


def copy_chapters(source: str | Path, target: str | Path) -> list[Path]:
    """Copy every notebook under ``source`` (subfolders too, e.g. ``zh/``) to the same place
    under ``target``, unless a file is already there; returns the new copies, sorted.

    Jupyter's checkpoint folders are skipped. The copy is the notebook with its
    ``language_info.version`` set to this interpreter's (see the module docstring)."""
    source, target = Path(source), Path(target)
    if not source.is_dir():
        raise FileNotFoundError(f"no chapters folder at {source}")
    made = []
    for notebook in sorted(source.rglob("*.ipynb")):
        relative = notebook.relative_to(source)
        if ".ipynb_checkpoints" in relative.parts:
            continue
        copy = target / relative
        if copy.exists():
            continue
        content = json.loads(notebook.read_text(encoding="utf-8"))
        info = content.get("metadata", {}).get("language_info")
        if isinstance(info, dict) and info.get("name") == "python":
            info["version"] = kernel_python_version()
        copy.parent.mkdir(parents=True, exist_ok=True)
        # written as Jupyter writes notebooks, to a temporary name first: an interrupted copy
        # never leaves a half-written notebook that a later run would keep
        partial = copy.with_name(copy.name + ".partial")
        partial.write_text(json.dumps(content, indent=1, sort_keys=True, ensure_ascii=False)
                           + "\n", encoding="utf-8")
        partial.replace(copy)
        made.append(copy)
    return made


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m autograd_lab.chapter_copies SOURCE TARGET", file=sys.stderr)
        return 2
    for copy in copy_chapters(*args):
        print(copy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
