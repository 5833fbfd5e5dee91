"""Replay a public lesson cell by cell under PyTorch and under autograd_lab, and compare.

A lesson is a file in ``cells/``: our own adaptation of a public lesson (small seeded data
instead of downloads, no CUDA, no file IO), written for PyTorch exactly as a learner would type
it. Cells start with a marker line::

    # %% label
    # %% label  [differs: why this cell cannot match; see the README]

The second form makes the cell a strict expected failure. A lesson may set, in a line of its own
before its first cell, ``# rtol: 1e-4``: the relative tolerance for printed numbers (default
``RTOL``).

``replay(name, library)`` runs the cells in order in one fresh namespace under ``"torch"`` (the
code as written) or ``"autograd_lab"`` (only the import lines changed, see ``port``) and returns
what a notebook would show under each cell (``seed_replay.Shown``). ``same(a, b, rtol)`` compares
two of them: text exactly, except that numbers may differ by one unit in their last printed
digit or by ``rtol`` relatively (matrix products sum in a different order in NumPy's BLAS and
PyTorch's kernels, so a long training loop drifts in the last bits).
"""
from __future__ import annotations

import importlib
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from seed_replay import DEFAULT_SEED, Shown, render, run_cell

CELLS_DIR = Path(__file__).resolve().parent / "cells"
RTOL = 1e-5

_MARKER = re.compile(r"^# %% (?P<label>[\w.-]+)(?:\s+\[differs: (?P<why>[^\]]+)\])?\s*$")
_RTOL_LINE = re.compile(r"^# rtol: (?P<rtol>\S+)\s*$")


@dataclass(frozen=True)
class Cell:
    label: str
    code: str
    differs: Optional[str] = None  # why this cell is a known difference (strict xfail)


@dataclass(frozen=True)
class Lesson:
    name: str
    cells: tuple
    rtol: float = RTOL


def lesson_names() -> list:
    """Every lesson in ``cells/``, by file name without ``.py``."""
    return sorted(p.stem for p in CELLS_DIR.glob("*.py") if not p.name.startswith("_"))


def load(name: str) -> Lesson:
    """Read ``cells/<name>.py`` into its cells."""
    rtol, cells, label, why, lines = RTOL, [], None, None, []
    for line in (CELLS_DIR / f"{name}.py").read_text(encoding="utf-8").splitlines():
        marker = _MARKER.match(line)
        if marker:
            if label is not None:
                cells.append(Cell(label, "\n".join(lines).strip("\n"), why))
            label, why, lines = marker["label"], marker["why"], []
        elif label is None:
            found = _RTOL_LINE.match(line)
            if found:
                rtol = float(found["rtol"])
        else:
            lines.append(line)
    if label is not None:
        cells.append(Cell(label, "\n".join(lines).strip("\n"), why))
    labels = [c.label for c in cells]
    if len(set(labels)) != len(labels) or not cells:
        raise ValueError(f"lesson {name}: cell labels must be present and unique: {labels}")
    return Lesson(name, tuple(cells), rtol)


# import torch / import torch.nn as nn / from torch.utils.data import X / from torch import nn
_IMPORT = re.compile(r"^(?P<indent>\s*)import torch(?P<rest>(\.\w+)*)(?P<alias> as \w+)?"
                     r"(?P<comment>\s*#.*)?\s*$")
_FROM = re.compile(r"^(?P<indent>\s*)from torch(?P<rest>(\.\w+)*) import ")


def port(code: str) -> str:
    """``code`` for autograd_lab: each ``torch`` import names ``autograd_lab`` instead, binding
    the same names (``import torch.nn`` still binds ``torch``)."""
    out = []
    for line in code.split("\n"):
        m = _IMPORT.match(line)
        if m:
            indent, rest, alias = m["indent"], m["rest"], m["alias"]
            comment = m["comment"] or ""
            if alias:
                line = f"{indent}import autograd_lab{rest}{alias}{comment}"
            elif rest:
                line = f"{indent}import autograd_lab{rest}; import autograd_lab as torch{comment}"
            else:
                line = f"{indent}import autograd_lab as torch{comment}"
        else:
            m = _FROM.match(line)
            if m:
                line = f"{m['indent']}from autograd_lab{m['rest']} import " + line[m.end():]
        out.append(line)
    ported = "\n".join(out)
    if re.search(r"^\s*(import|from) torch\b", ported, re.M):
        raise ValueError(f"a torch import has no autograd_lab form:\n{code}")
    return ported


def _reset(lib) -> None:
    """The library's global state as a fresh process has it, before each lesson."""
    lib.manual_seed(DEFAULT_SEED)
    lib.set_grad_enabled(True)
    lib.set_default_dtype(lib.float32)
    lib.set_printoptions(profile="default")
    lib.set_default_device(None)  # (any device named there leaves PyTorch's device mode on)


def replay(name: str, library: str) -> list:
    """Run lesson ``name``'s cells in order under ``library``; one ``Shown`` per cell."""
    lib = importlib.import_module(library)
    if library == "torch":
        # one thread, as bench/ times it: PyTorch's thread pool on a loaded machine makes a
        # lesson many times slower and its float sums no more faithful
        lib.set_num_threads(1)
    lesson = load(name)
    _reset(lib)
    namespace = {"__name__": "__main__"}
    try:
        return [run_cell(cell.label, cell.code if library == "torch" else port(cell.code),
                         namespace)
                for cell in lesson.cells]
    finally:
        _reset(lib)


_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_MODULE = re.compile(r"\bautograd_lab\.")
_TRIGGERED = re.compile(r" \(Triggered internally at [^)]*\)\.?$")


def _clean(text: Optional[str]) -> Optional[str]:
    if text is None:
        return None
    return _MODULE.sub("torch.", _ADDRESS.sub("0xADDR", text))


def normalise(shown: Shown) -> Shown:
    """Memory addresses become ``0xADDR``, ``autograd_lab.`` becomes ``torch.``, and a
    warning's `` (Triggered internally at <C++ file>)`` is dropped (there is no C++ here)."""
    return replace(
        shown, stdout=_clean(shown.stdout), display=_clean(shown.display),
        warnings=tuple((c, _TRIGGERED.sub("", _clean(m))) for c, m in shown.warnings),
        error=shown.error and (shown.error[0], _clean(shown.error[1])))


_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def _unit(token: str) -> float:
    """One unit in the last printed digit of ``token`` (0 for an integer)."""
    mantissa, _, exponent = token.lower().partition("e")
    if "." not in mantissa:
        return 0.0 if not exponent else 10.0 ** int(exponent)
    decimals = len(mantissa.split(".")[1])
    return 10.0 ** (int(exponent or 0) - decimals)


def same_text(a: Optional[str], b: Optional[str], rtol: float = RTOL) -> bool:
    """Equal text, numbers allowed one unit of their last digit or ``rtol`` apart."""
    if a is None or b is None:
        return a is b
    if a == b:
        return True
    if _NUMBER.split(a) != _NUMBER.split(b):
        return False
    for x, y in zip(_NUMBER.findall(a), _NUMBER.findall(b)):
        if x == y:
            continue
        fx, fy = float(x), float(y)
        if math.isnan(fx) or math.isnan(fy) or math.isinf(fx) or math.isinf(fy):
            return False
        if abs(fx - fy) > min(_unit(x), _unit(y)) * 1.000001 + rtol * abs(fy):
            return False
    return True


def same(a: Shown, b: Shown, rtol: float = RTOL) -> bool:
    """Whether two cells show the same (see ``same_text``)."""
    if len(a.warnings) != len(b.warnings) or (a.error is None) != (b.error is None):
        return False
    pairs = [(a.stdout, b.stdout), (a.display, b.display)]
    pairs += [(f"{c}: {m}", f"{d}: {n}") for (c, m), (d, n) in zip(a.warnings, b.warnings)]
    if a.error is not None:
        pairs.append((f"{a.error[0]}: {a.error[1]}", f"{b.error[0]}: {b.error[1]}"))
    return all(same_text(x, y, rtol) for x, y in pairs)


__all__ = ["Cell", "Lesson", "lesson_names", "load", "port", "replay", "normalise", "same",
           "same_text", "render"]
