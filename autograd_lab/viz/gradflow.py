"""The gradient along every arrow of a picture: the chain rule, read off one real pass.

``gradient_flow(model, outputs)`` runs the engine once over the drawn graph, as
``torch.autograd.grad(outputs, leaves, retain_graph=True)`` would, and listens to the reports
the engine gives the motion player's recorder (``autograd.trace``): what each node was called
with, and what it sent along each ``next_functions`` arrow. So the values on the arrows are the
ones the engine computes, in its order, summed as it sums them, the same the player shows;
only what crosses the arrows is kept (the player's trace also keeps the whole state after each
step, for its frames, which grows with the square of the graph). Nothing of the learner's
changes:

* it is ``autograd.grad``, so no ``.grad`` is written (leaves' gradients are captured);
* the graph is kept (``retain_graph=True``), so a later ``backward`` works as before;
* hooks (tensor, node, ``retain_grad``) are set aside for the pass and put back after it, so
  no hook runs and no retained ``.grad`` changes. The arrows show the derivatives the graph
  computes, without what a hook would change.

Each node's *local derivative* (``∂out/∂input``) is given where it is a single number: the node
has one output and both the output and the input have one element. It is the node's own
derivative applied to 1 (``node.apply(1)``: no hooks, nothing recorded), so that ``grad of the
input = grad of the output × local derivative`` can be read on the picture.

The pass needs the saved tensors that a ``backward()`` without ``retain_graph=True`` frees;
then ``gradient_flow`` says so, in PyTorch's words, before running anything.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from ..autograd.node import AccumulateGrad, Node
from .picture_words import word
from .walk import GraphModel, is_custom

if TYPE_CHECKING:
    from ..tensor import Tensor

FREED = ("render_graph(..., show_grads=True) computes the gradient along each arrow from the "
         "graph's saved tensors, and they were freed: Trying to backward through the graph a "
         "second time (or directly access saved tensors after they have already been freed). "
         "Saved intermediate values of the graph are freed when you call .backward() or "
         "autograd.grad(). Specify retain_graph=True if you need to backward through the graph "
         "a second time or if you need to access saved tensors after calling backward "
         "(y.backward(retain_graph=True)), or draw the picture before calling backward.")


@dataclass
class Flow:
    """What went along each arrow of one pass (arrays; None where no gradient went)."""

    sent: dict[tuple[int, int], "np.ndarray | None"] = field(default_factory=dict)
    received: dict[int, tuple] = field(default_factory=dict)   # node -> its grads_in
    leaves: dict[int, "np.ndarray | None"] = field(default_factory=dict)  # tensor box -> grad
    local: dict[tuple[int, int], float] = field(default_factory=dict)     # edge -> d out/d in
    seeds: dict[int, "np.ndarray | None"] = field(default_factory=dict)   # tensor box -> seed


def gradient_flow(model: GraphModel, outputs: Sequence[Any], gradient: Any = None) -> Flow:
    """The gradients of ``outputs`` along every arrow of ``model``; see the module docstring.

    ``gradient``: what ``backward(gradient)`` takes (None: ones, for one-element outputs).
    """
    from .. import autograd
    from ..autograd import trace
    from ..tensor import Tensor

    roots = [t for t in outputs if isinstance(t, Tensor) and t.grad_fn is not None]
    if not roots:
        raise ValueError("show_grads=True needs an output with a grad_fn: no gradient flows "
                         "through a leaf or a tensor that does not require grad")
    for node in model.ops:
        if any(record.freed for _, record in node.saved_tensors_items()):
            raise RuntimeError(FREED)
    leaves = [node.variable for node in model.ops if isinstance(node, AccumulateGrad)]
    if not leaves:
        raise ValueError("show_grads=True: the graph has no leaf that requires grad")
    if isinstance(gradient, Tensor):
        gradient = [gradient]
    recorder = _ArrowRecorder()
    with _hooks_set_aside(model.ops, leaves):
        trace._active.append(recorder)  # the engine reports to the innermost recorder
        try:
            autograd.grad(roots, leaves, gradient, retain_graph=True, allow_unused=True)
        finally:
            trace._active.remove(recorder)
    return recorder.flow(model, leaves)


class _ArrowRecorder:
    """Listens to the engine's reports (as ``trace.record_backward``'s recorder does) and keeps
    only what crossed each arrow: linear in the graph's size, where the motion player's trace
    keeps the whole state after every step (for its frames)."""

    def __init__(self) -> None:
        self.seeds: list = []
        self.steps: list[tuple[Node, tuple, tuple]] = []   # node, grads in, grads out
        self.captured: list[tuple[int, "np.ndarray | None"]] = []

    def begin(self, roots: Any, grads: Any, keep_graph: bool, create_graph: bool) -> None:
        self.seeds = [(node, slot, _array(g)) for (node, slot), g in zip(roots, grads)]

    def step(self, node: Node, grads_in: list, grads_out: Any, ready: Any, deps: Any,
             buffers: Any, hooks_fired: Any, retained: Any, freed: Any, captured: Any,
             grad_before: Any = None) -> None:
        self.steps.append((node, tuple(_array(g) for g in grads_in),
                           tuple(_array(g) for g in grads_out)))
        self.captured.extend((i, _array(g)) for i, g in captured)

    def flow(self, model: GraphModel, leaves: Sequence["Tensor"]) -> Flow:
        index = model.index
        result = Flow()
        for node, grads_in, grads_out in self.steps:
            i = index.get(node)
            if i is None:
                continue
            result.received[i] = grads_in
            for pos, ((fn, _), g) in enumerate(zip(node.next_functions, grads_out)):
                if fn is not None:
                    result.sent[(i, pos)] = g
        box_of_leaf = {}
        k: int | None
        for k, spot in enumerate(model.tensors):
            if spot.op is not None and isinstance(model.ops[spot.op], AccumulateGrad):
                box_of_leaf[id(spot.tensor)] = k
        for input_index, g in self.captured:
            k = box_of_leaf.get(id(leaves[input_index]))
            if k is not None:
                before = result.leaves.get(k)
                result.leaves[k] = g if before is None or g is None else before + g
        for node, slot, g in self.seeds:
            i = index.get(node)
            for k, spot in enumerate(model.tensors):
                if spot.op == i and spot.output_nr == slot and spot.kind == "output":
                    result.seeds[k] = g
        result.local = _local_derivatives(model, result)
        return result


def _array(t: Any) -> "np.ndarray | None":
    return None if t is None else np.array(t._data, copy=True)


class _hooks_set_aside:
    """Take every hook off the graph's nodes and leaves for one pass; put them back after."""

    _NODE = ("_pre_hooks", "_hooks", "_tensor_pre_hooks", "_retain_grad_hooks")

    def __init__(self, nodes: Sequence[Node], leaves: Sequence["Tensor"]) -> None:
        self.nodes = nodes
        self.leaves = leaves
        self.kept: list[tuple[Any, str, Any]] = []

    def __enter__(self) -> None:
        for node in self.nodes:
            for name in self._NODE:
                value = getattr(node, name)
                if value is not None:
                    self.kept.append((node, name, value))
                    setattr(node, name, None)
        for leaf in self.leaves:
            if leaf._hooks is not None:
                self.kept.append((leaf, "_hooks", leaf._hooks))
                leaf._hooks = None

    def __exit__(self, *exc: Any) -> None:
        for owner, name, value in self.kept:
            setattr(owner, name, value)


def _local_derivatives(model: GraphModel, flow: Flow) -> dict[tuple[int, int], float]:
    """``∂ output / ∂ input`` of each arrow where both are single numbers."""
    from ..autograd.grad_mode import no_grad
    from ..tensor import _make
    found: dict[tuple[int, int], float] = {}
    for i, node in enumerate(model.ops):
        received = flow.received.get(i)
        if (isinstance(node, AccumulateGrad) or is_custom(node) or node._num_outputs != 1
                or not received
                or received[0] is None or np.size(received[0]) != 1):
            continue
        scalar_inputs = [pos for pos, (child, _) in enumerate(model.children[i])
                         if child is not None and (sent := flow.sent.get((i, pos))) is not None
                         and np.size(sent) == 1]
        if not scalar_inputs:
            continue
        one = _make(np.ones_like(np.asarray(received[0])), None)
        try:
            with no_grad():
                results = node.apply(one)
        except Exception:  # a derivative that cannot take a plain 1: no local value
            continue
        for pos in scalar_inputs:
            local = results[pos] if pos < len(results) else None
            if local is not None:
                found[(i, pos)] = float(np.asarray(local._data).reshape(()))
    return found


MAX_VALUE_TEXT = 40


def value_text(value: "np.ndarray | float | None", lang: str = "en") -> str:
    """A gradient as PyTorch prints its values, without ``tensor(...)``: ``3.``, ``[1., 2.]``;
    the shape when that is long."""
    from ..tensor import _make
    if value is None:
        return "None"
    array = np.asarray(value)
    if array.dtype.kind != "f":
        array = array.astype(np.float32)
    text = repr(_make(array, None))
    if "\n" not in text and text.startswith("tensor(") and text.endswith(")"):
        inner = text[len("tensor("):-1].split(", dtype=")[0]
        if len(inner) <= MAX_VALUE_TEXT:
            return inner
    return word(lang, "shape", dims=", ".join(str(n) for n in array.shape))
