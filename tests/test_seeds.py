"""The seed notebooks must look the same under autograd_lab as under PyTorch.

Families:
- ``test_cell_matches_torch``: every cell of every seed, replayed under torch
  (the oracle) and under autograd_lab, shows the same stdout, displayed value,
  warnings and exception (after ``seed_replay.normalise``).
- ``test_torch_raises_the_recorded_errors`` / ``test_torch_replay_is_reproducible``:
  the oracle itself agrees with the transcription and is deterministic.
- ``test_seed_fact``: values recorded in the documents, checked without torch.
- ``test_transcription_matches_documents``: seed_cells.py is the documents' code.
"""
import difflib
import functools
import re
from pathlib import Path

import pytest

try:  # tests/ as a package, or (pytest's default) tests/ itself on sys.path
    from .seed_cells import SEEDS
    from .seed_replay import Shown, normalise, render, replay
except ImportError:
    from seed_cells import SEEDS
    from seed_replay import Shown, normalise, render, replay

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"

CELLS = [
    pytest.param(doc, index, id=f"{doc}-{cell.label}")
    for doc, cells in SEEDS.items()
    for index, cell in enumerate(cells)
]


@functools.lru_cache(maxsize=None)
def _replayed(doc, library):
    return tuple(normalise(doc, replay(doc, library)))


def shown(doc, library):
    """The normalised replay of ``doc`` under ``library`` (once per session)."""
    if library == "torch":
        pytest.importorskip("torch")
    try:
        return _replayed(doc, library)
    except Exception as exc:  # the library did not even import or seed
        problem = f"{type(exc).__name__}: {exc}"
    pytest.fail(f"cannot replay {doc} under {library}: {problem}", pytrace=False)


def cell(doc, label, library):
    """The normalised ``Shown`` of one cell, looked up by its label."""
    return next(s for s in shown(doc, library) if s.label == label)


def _diff(expected, actual):
    lines = difflib.unified_diff(render(expected).splitlines(), render(actual).splitlines(),
                                 "torch", "autograd_lab", lineterm="")
    return "what the learner sees differs:\n" + "\n".join(lines)


@pytest.mark.parametrize("doc, index", CELLS)
def test_cell_matches_torch(doc, index):
    expected = shown(doc, "torch")[index]
    actual = shown(doc, "autograd_lab")[index]
    assert actual == expected, _diff(expected, actual)


@pytest.mark.parametrize("doc", SEEDS)
def test_torch_raises_the_recorded_errors(doc):
    raised = {s.label: s.error[0] for s in shown(doc, "torch") if s.error}
    recorded = {c.label: c.error for c in SEEDS[doc] if c.error}
    assert raised == recorded


@pytest.mark.parametrize("doc", SEEDS)
def test_torch_replay_is_reproducible(doc):
    """A second, uncached torch replay matches: the oracle is deterministic."""
    first = list(shown(doc, "torch"))
    assert normalise(doc, replay(doc, "torch")) == first


def test_normalise_changes_only_addresses_module_path_and_ids():
    doc = "003_06eb90092a57de85"  # cells 6 and 7 are In [14], In [15]: prints_ids
    raw = [Shown(c.label) for c in SEEDS[doc]]
    raw[0] = Shown("In [1]", "<autograd_lab.X object at 0x7f3a>\n", "tensor([5.])",
                   (("UserWarning", "at 0xab 1280307597208"),), ("RuntimeError", "0x1"))
    raw[6] = Shown("In [14]", "1280307597208 tensor([1.])\n1280307596328 tensor([2.])\n")
    raw[7] = Shown("In [15]", "1280307596328 tensor([3.])\n")
    out = normalise(doc, raw)
    assert out[0] == Shown("In [1]", "<torch.X object at 0xADDR>\n", "tensor([5.])",
                           (("UserWarning", "at 0xADDR 1280307597208"),),
                           ("RuntimeError", "0xADDR"))
    assert out[6].stdout == "<id 1> tensor([1.])\n<id 2> tensor([2.])\n"
    assert out[7].stdout == "<id 2> tensor([3.])\n"
    assert normalise(doc, [Shown("In [1]", display="tensor([5.0001])")])[0].display \
        == "tensor([5.0001])"


_NON_LEAF_GRAD = ["UserWarning"]  # PyTorch warns when .grad of a non-leaf is read

# Deterministic values recorded in the documents: (document, cell, field, value),
# field being a Shown field or "warned" (the sorted warning categories).
FACTS = [
    ("000_0bdeb554638b7c07", "In [7]", "stdout",
     "w.grad= tensor([5.])\nx.grad= tensor([2.])\n"
     "is_leaf: x, w, a, b, y:\n True True False False False\n"
     "gradient: x, w, a, b, y:\n tensor([2.]) tensor([5.]) tensor([2.]) None None\n"
     "grad func: x, w, a, b, y:\n None None <AddBackward0 object at 0xADDR> "
     "<AddBackward0 object at 0xADDR> <MulBackward0 object at 0xADDR>\n"),
    ("000_0bdeb554638b7c07", "In [7]", "warned", _NON_LEAF_GRAD),
    ("000_0bdeb554638b7c07", "In [11]", "stdout", "w.grad= tensor([10.])\nx.grad= tensor([4.])\n"),
    ("000_0bdeb554638b7c07", "In [16]", "stdout", "w.grad= tensor([7.])\nx.grad= tensor([3.])\n"),
    ("000_0bdeb554638b7c07", "In [17]", "stdout",
     "1st grad= (tensor([6.], grad_fn=<MulBackward0>),)\n2nd grad= (tensor([2.]),)\n"),
    ("001_eb5d88cff90534e4", "In [4]", "display",
     "tensor([[1., 1., 1., 1.],\n        [1., 1., 1., 1.],\n"
     "        [1., 1., 1., 1.]], grad_fn=<AddBackward0>)"),
    ("001_eb5d88cff90534e4", "In [8]", "display", "(True, False, True)"),
    ("001_eb5d88cff90534e4", "In [22]", "display",
     "((<MulBackward0 at 0xADDR>, 0),\n (<AccumulateGrad at 0xADDR>, 0))"),
    ("001_eb5d88cff90534e4", "In [23]", "display", "((<AccumulateGrad at 0xADDR>, 0), (None, 0))"),
    ("002_f4f0882e939c3981", "In [4]", "display", "tensor(28., grad_fn=<MulBackward0>)"),
    ("002_f4f0882e939c3981", "In [5]", "display", "tensor([ 0.,  4.,  8., 12.])"),
    ("002_f4f0882e939c3981", "In [8]", "stdout",
     "tensor([0., 2., 4., 6.])\ntensor([0., 1., 4., 9.], grad_fn=<MulBackward0>)\n" * 2),
    ("002_f4f0882e939c3981", "In [12]", "stdout", "tensor([1.])\ntensor([1.])\ntensor([2., 4.])\n"),
    ("002_f4f0882e939c3981", "In [12]", "error",
     ("RuntimeError", "Trying to backward through the graph a second time (or directly access "
      "saved tensors after they have already been freed). Saved intermediate values of the "
      "graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True "
      "if you need to backward through the graph a second time or if you need to access saved "
      "tensors after calling backward.")),
    ("003_06eb90092a57de85", "In [4]", "stdout", "tensor([9.])\n"),
    ("003_06eb90092a57de85", "In [14]", "stdout", "<id 1> tensor([1.])\n<id 2> tensor([2.])\n"),
    ("003_06eb90092a57de85", "In [15]", "stdout", "<id 2> tensor([3.])\n"),
    ("003_06eb90092a57de85", "In [17]", "error",
     ("RuntimeError", "a leaf Variable that requires grad is being used in an in-place operation.")),
    ("004_e613237166c6ea6f", "In [3]", "warned", _NON_LEAF_GRAD),
    ("004_e613237166c6ea6f", "In [5]", "display", "tensor(7., grad_fn=<ReluBackward0>)"),
    ("004_e613237166c6ea6f", "In [6]", "display", "tensor(1., grad_fn=<ThresholdBackwardBackward0>)"),
    ("004_e613237166c6ea6f", "In [11]", "stdout",
     "tensor(1., grad_fn=<CopyBackwards>)\ntensor(3., grad_fn=<CopyBackwards>)\n"),
    ("004_e613237166c6ea6f", "In [17]", "stdout", "tensor(4.)\n"),
    ("004_e613237166c6ea6f", "In [23]", "display",
     "<torch.autograd.function.SquareFunctionBackward at 0xADDR>"),
    ("004_e613237166c6ea6f", "In [37]", "display", "tensor(6.)"),
    ("004_e613237166c6ea6f", "In [34]", "display", "tensor(4.)"),
]


@pytest.mark.parametrize("library", ["autograd_lab", "torch"])
@pytest.mark.parametrize("doc, label, field, value", [
    pytest.param(*fact, id=f"{fact[0]}-{fact[1]}-{fact[2]}") for fact in FACTS])
def test_seed_fact(doc, label, field, value, library):
    s = cell(doc, label, library)
    seen = sorted({category for category, _ in s.warnings}) if field == "warned" else getattr(s, field)
    assert seen == value, render(s)


def _rstrip_lines(text):
    return "\n".join(line.rstrip() for line in text.split("\n"))


@pytest.mark.parametrize("doc", SEEDS)
def test_transcription_matches_documents(doc):
    if not SEED_DIR.is_dir():
        pytest.skip(f"seed documents not present at {SEED_DIR}")
    assert sorted(p.stem for p in SEED_DIR.glob("*.txt")) == sorted(SEEDS)
    text = _rstrip_lines((SEED_DIR / f"{doc}.txt").read_text(encoding="utf-8"))
    labels = re.findall(r"^(In \[\d+\]):$", text, flags=re.M)
    assert labels == [c.label for c in SEEDS[doc]], "cells missing or out of order"
    for c in SEEDS[doc]:
        # The code follows its label directly and ends at a blank line (or the end).
        assert f"\n{c.label}:\n{_rstrip_lines(c.code)}\n\n" in f"\n{text}\n\n", c.label
