"""Replay a seed document cell by cell, capturing what Jupyter would show.

``replay(doc, library)`` runs the cells of ``seed_cells.SEEDS[doc]`` in order in
one fresh namespace, with ``library`` either ``"torch"`` (the code as is) or
``"autograd_lab"`` (only the import lines swapped, see ``port``), and returns one
``Shown`` per cell.  ``normalise(doc, shown)`` prepares that for comparison.
"""
import ast
import contextlib
import functools
import importlib
import io
import re
import signal
import threading
import warnings
from dataclasses import dataclass, replace
from typing import Optional, Tuple

from IPython.lib.pretty import pretty

try:  # tests/ as a package, or (pytest's default) tests/ itself on sys.path
    from .seed_cells import SEEDS
except ImportError:
    from seed_cells import SEEDS

LIBRARIES = ("torch", "autograd_lab")

# torch's default seed: a fresh process's generator state, before each document.
DEFAULT_SEED = 67280421310721

# The only import lines in the seeds, and what they become for autograd_lab.
PORTED_IMPORTS = {
    "import torch": "import autograd_lab as torch",
    "import torch as t": "import autograd_lab as t",
    "import torch.nn as nn": "import autograd_lab.nn as nn",
    "from torch.autograd import variable": "from autograd_lab.autograd import variable",
}

CELL_TIME_LIMIT = 60  # seconds; a hung engine fails its cell, not the suite


@dataclass(frozen=True)
class Shown:
    """What a learner sees under one cell (empty fields: nothing shown)."""

    label: str
    stdout: str = ""
    display: Optional[str] = None  # the displayhook's text for the last expression
    warnings: Tuple[Tuple[str, str], ...] = ()  # (category name, message)
    error: Optional[Tuple[str, str]] = None  # (exception type name, message)


def _imported_modules(code: str):
    """The module names that ``code``'s import statements import."""
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.module or ""


def port(code: str, library: str) -> str:
    """Return ``code`` to run under ``library``: only the import lines change."""
    if library not in LIBRARIES:
        raise ValueError(f"unknown library {library!r}")
    if library == "torch":
        return code
    ported = "\n".join(PORTED_IMPORTS.get(line, line) for line in code.split("\n"))
    if any(name.split(".")[0] == "torch" for name in _imported_modules(ported)):
        raise ValueError(f"a torch import in this cell has no autograd_lab form:\n{code}")
    return ported


@contextlib.contextmanager
def _time_limit(seconds):
    """Raise TimeoutError in the running code after ``seconds`` (main thread only)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeoutError(f"cell still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _execute(code: str, filename: str, namespace: dict):
    """Run ``code`` like IPython: all statements, then a final expression's value."""
    tree = ast.parse(code, filename)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, filename, "exec"), namespace)
    if last is not None:
        return eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
    return None


def run_cell(label: str, code: str, namespace: dict) -> Shown:
    """Run one cell in ``namespace``; capture stdout, display, warnings, exception."""
    stdout, display, error = io.StringIO(), None, None
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(stdout):
        warnings.simplefilter("always")
        try:
            with _time_limit(CELL_TIME_LIMIT):
                value = _execute(code, f"<{label}>", namespace)
                if value is not None:
                    display = pretty(value)
        except Exception as exc:  # a notebook shows the traceback and goes on
            error = (type(exc).__name__, str(exc))
    shown_warnings = tuple((w.category.__name__, str(w.message)) for w in caught)
    return Shown(label, stdout.getvalue(), display, shown_warnings, error)


def replay(doc: str, library: str) -> list:
    """Run document ``doc``'s cells in order under ``library``; one ``Shown`` each.

    Raises whatever importing ``library`` or seeding its generator raises.
    """
    lib = importlib.import_module(library)
    lib.manual_seed(DEFAULT_SEED)
    namespace = {"__name__": "__main__"}
    return [run_cell(cell.label, port(cell.code, library), namespace) for cell in SEEDS[doc]]


_ADDRESS = re.compile(r"0x[0-9a-f]+")
_MODULE = re.compile(r"\bautograd_lab\.")
_ID = re.compile(r"\b\d{10,}\b")


_TRIGGERED = re.compile(r" \(Triggered internally at [^)]*\)$")


def normalise(doc: str, shown: list) -> list:
    """Make ``replay(doc, ...)`` output comparable across libraries and runs.

    Only three things change, in every text field:
    - memory addresses ``0x...`` become ``0xADDR``;
    - ``autograd_lab.`` becomes ``torch.``: e.g. a custom Function's node is
      ``autograd_lab.autograd.function.SquareFunctionBackward``, honestly named
      after the module it lives in, where torch shows
      ``torch.autograd.function.SquareFunctionBackward``;
    - in cells marked ``prints_ids`` (they print ``id(...)``), each distinct
      10+ digit number becomes ``<id N>``, numbered by first appearance in the
      document, so object identity (same or new object) is still compared;
    - a warning's trailing `` (Triggered internally at <C++ source path>.)`` is
      dropped: it names the line of PyTorch's C++ that raised it, not part of
      the message, and there is no C++ here to point at.
    """
    ids = {}

    def clean(text, prints_ids):
        if text is None:
            return None
        text = _MODULE.sub("torch.", _ADDRESS.sub("0xADDR", text))
        if prints_ids:
            text = _ID.sub(lambda m: ids.setdefault(m.group(), f"<id {len(ids) + 1}>"), text)
        return text

    result = []
    for cell, s in zip(SEEDS[doc], shown):
        fix = functools.partial(clean, prints_ids=cell.prints_ids)
        result.append(replace(
            s,
            stdout=fix(s.stdout),
            display=fix(s.display),
            warnings=tuple((fix(category), _TRIGGERED.sub("", fix(message)))
                           for category, message in s.warnings),
            error=s.error and (fix(s.error[0]), fix(s.error[1])),
        ))
    return result


def render(s: Shown) -> str:
    """A readable multi-line view of ``s``, for assertion diffs."""
    parts = [f"[{s.label} stdout]\n{s.stdout}"]
    if s.display is not None:
        parts.append(f"[display]\n{s.display}\n")
    parts += [f"[{category}] {message}\n" for category, message in s.warnings]
    if s.error is not None:
        parts.append(f"[raised {s.error[0]}] {s.error[1]}\n")
    return "".join(parts)
