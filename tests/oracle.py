"""Run the same small program under PyTorch (the oracle) and under autograd_lab, and compare.

A *program* is a function of one argument, the library module: ``def prog(torch): ...``. It is
called once with ``torch`` and once with ``autograd_lab``, so its body reads like a lesson. What
it returns is compared by ``assert_same``: tensors by dtype, shape, values, ``requires_grad``,
``is_leaf`` and ``grad_fn`` name; nodes by name; numbers, strings, tuples, lists and dicts
structurally. Warnings and exceptions raised by the program are captured and compared too (type
and message, after ``clean``).

``graph_signature`` walks a graph from a tensor or node iteratively and numbers the nodes in
order of discovery, so comparing two signatures checks node names, ``next_functions``
structure (``None`` entries, ``input_nr``) and identity sharing (a node reached twice).

Nothing here fails when torch is missing: ``TORCH`` is then None and tests that need the oracle
call ``need_torch()`` (``pytest.importorskip``).
"""
from __future__ import annotations

import collections
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pytest

import autograd_lab

try:
    import torch as TORCH
except ImportError:  # the suite still checks known values without the oracle
    TORCH = None

LAB = autograd_lab


def need_torch():
    """The torch module, or skip the calling test when it is not installed."""
    return pytest.importorskip("torch")


# -- normalising text -----------------------------------------------------------------------------
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_MODULE = re.compile(r"\bautograd_lab\.")
# PyTorch appends the C++ line that raised a warning; it is not part of the message.
_TRIGGERED = re.compile(r" \(Triggered internally at [^)]*\)$")


def clean(text: str) -> str:
    """A message or repr made comparable: addresses masked, ``autograd_lab.`` read as
    ``torch.``, PyTorch's trailing ``(Triggered internally at ...)`` dropped."""
    text = _MODULE.sub("torch.", _ADDRESS.sub("0xADDR", str(text)))
    return _TRIGGERED.sub("", text)


# -- running a program ----------------------------------------------------------------------------
@dataclass
class Outcome:
    """What running a program under one library gave."""

    value: Any = None
    warnings: list = field(default_factory=list)  # [(category name, cleaned message)]
    error: tuple | None = None  # (exception type name, cleaned message)
    exception: BaseException | None = None


def run(program: Callable[[Any], Any], lib: Any) -> Outcome:
    """Call ``program(lib)``, capturing its warnings and the exception it raises, if any."""
    out = Outcome()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out.value = program(lib)
        except Exception as exc:  # compared, not hidden: see assert_same_outcome
            out.error = (type(exc).__name__, clean(exc))
            out.exception = exc
    out.warnings = [(w.category.__name__, clean(w.message)) for w in caught]
    return out


def run_both(program: Callable[[Any], Any]) -> tuple[Outcome, Outcome]:
    """(torch's outcome, autograd_lab's outcome); skips the test without torch."""
    torch = need_torch()
    return run(program, torch), run(program, LAB)


def assert_same_outcome(program: Callable[[Any], Any], *, rtol: float = 1e-5,
                        atol: float = 1e-6, check_warnings: bool = True) -> Outcome:
    """Run under both libraries; the error, the warnings and the returned value must agree.

    Returns autograd_lab's outcome (for extra, library-specific checks).
    """
    expected, actual = run_both(program)
    assert actual.error == expected.error, (
        f"error differs:\n  torch:        {expected.error}\n  autograd_lab: {actual.error}")
    if check_warnings:
        assert actual.warnings == expected.warnings, (
            f"warnings differ:\n  torch:        {expected.warnings}\n"
            f"  autograd_lab: {actual.warnings}")
    if expected.error is None:
        assert_same(expected.value, actual.value, rtol=rtol, atol=atol)
    return actual


def assert_same_error(program: Callable[[Any], Any]) -> tuple[str, str]:
    """Both libraries raise, with the same exception type and message. Returns it."""
    expected, actual = run_both(program)
    assert expected.error is not None, "torch did not raise: the test program is wrong"
    assert actual.error == expected.error, (
        f"error differs:\n  torch:        {expected.error}\n  autograd_lab: {actual.error}")
    return actual.error


# -- comparing values -----------------------------------------------------------------------------
def is_tensor(x: Any) -> bool:
    return isinstance(x, LAB.Tensor) or (TORCH is not None and isinstance(x, TORCH.Tensor))


def is_node(x: Any) -> bool:
    if isinstance(x, LAB.autograd.Node):
        return True
    return TORCH is not None and isinstance(x, TORCH.autograd.graph.Node)


def node_name(node: Any) -> str | None:
    """The class name of a node (``AddBackward0``, ``AccumulateGrad``, ``SquareBackward``)."""
    return None if node is None else type(node).__name__


def values(t: Any) -> np.ndarray:
    """A tensor's values as a NumPy array (without touching its graph)."""
    return np.array(t.detach().tolist()) if t.dim() else np.array(t.detach().item())


def tensor_meta(t: Any) -> dict:
    """What must match exactly between the two libraries for a tensor."""
    return {"dtype": str(t.dtype), "shape": tuple(t.shape), "requires_grad": t.requires_grad,
            "is_leaf": t.is_leaf, "grad_fn": node_name(t.grad_fn)}


def assert_same(expected: Any, actual: Any, *, rtol: float = 1e-5, atol: float = 1e-6,
                path: str = "result") -> None:
    """``actual`` (autograd_lab) matches ``expected`` (torch), recursively."""
    if is_tensor(expected):
        assert is_tensor(actual), f"{path}: expected a tensor, got {actual!r}"
        em, am = tensor_meta(expected), tensor_meta(actual)
        assert am == em, f"{path}: tensor metadata differs\n  torch: {em}\n  lab:   {am}"
        ev, av = values(expected), values(actual)
        if ev.dtype.kind in "fc":
            np.testing.assert_allclose(av, ev, rtol=rtol, atol=atol, equal_nan=True,
                                       err_msg=f"{path}: values differ")
        else:
            np.testing.assert_array_equal(av, ev, err_msg=f"{path}: values differ")
    elif is_node(expected):
        assert node_name(actual) == node_name(expected), (
            f"{path}: node {node_name(actual)} != {node_name(expected)}")
    elif isinstance(expected, (tuple, list)):
        assert type(actual) is type(expected) or (
            # torch.Size is a tuple subclass; so is ours
            isinstance(actual, tuple) and isinstance(expected, tuple)), (
            f"{path}: {type(actual).__name__} != {type(expected).__name__}")
        assert len(actual) == len(expected), f"{path}: length {len(actual)} != {len(expected)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_same(e, a, rtol=rtol, atol=atol, path=f"{path}[{i}]")
    elif isinstance(expected, dict):
        assert list(actual) == list(expected), f"{path}: keys {list(actual)} != {list(expected)}"
        for k in expected:
            assert_same(expected[k], actual[k], rtol=rtol, atol=atol, path=f"{path}[{k!r}]")
    elif isinstance(expected, float) and isinstance(actual, float):
        assert np.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True), (
            f"{path}: {actual} != {expected}")
    elif is_dtype(expected):
        assert str(actual) == str(expected), f"{path}: {actual} != {expected}"
    elif isinstance(expected, str):
        assert clean(actual) == clean(expected), f"{path}:\n  torch: {expected!r}\n  lab:   {actual!r}"
    else:
        assert type(actual) is type(expected) and actual == expected, (
            f"{path}: {actual!r} != {expected!r}")


def is_dtype(x: Any) -> bool:
    return isinstance(x, LAB.dtype) or (TORCH is not None and isinstance(x, TORCH.dtype))


# -- graph structure ------------------------------------------------------------------------------
def graph_signature(root: Any) -> list[tuple]:
    """The graph below ``root`` (a tensor or a node), breadth first, as comparable tuples.

    Nodes are numbered in order of discovery; each entry is
    ``(number, class name, name(), ((number or None, input_nr), ...), variable shape)``, where
    the last field is the shape of an AccumulateGrad's leaf (else None). The same node reached
    along two paths gets one number, so comparing signatures also compares identity sharing.
    Iterative: a deep graph does not recurse.
    """
    node = root.grad_fn if is_tensor(root) else root
    if node is None:
        return []
    numbers: dict[int, int] = {id(node): 0}
    keep = [node]  # keeps every node alive, so no id() is reused during the walk
    queue = collections.deque([node])
    out = []
    while queue:
        n = queue.popleft()
        edges = []
        for fn, nr in n.next_functions:
            if fn is None:
                edges.append((None, nr))
                continue
            if id(fn) not in numbers:
                numbers[id(fn)] = len(numbers)
                keep.append(fn)
                queue.append(fn)
            edges.append((numbers[id(fn)], nr))
        variable = getattr(n, "variable", None)
        out.append((numbers[id(n)], node_name(n), n.name(), tuple(edges),
                    tuple(variable.shape) if variable is not None else None))
    return out


def assert_same_graph(expected_root: Any, actual_root: Any) -> None:
    e, a = graph_signature(expected_root), graph_signature(actual_root)
    assert a == e, "graphs differ:\n" + "\n".join(
        f"  torch: {x}\n  lab:   {y}" for x, y in zip(e + [None] * len(a), a + [None] * len(e))
        if x != y)
