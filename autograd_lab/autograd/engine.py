"""The backward engine: runs the nodes of a graph in dependency order.

How a backward pass runs (the same order as PyTorch's engine on one thread):

1. Walk the graph from the roots with an explicit stack (no recursion: a 100,000-node chain
   works) and count, for each node, how many edges point at it.
2. Seed the roots' input buffers with the starting gradients.
3. Repeatedly take the ready node with the highest sequence number (the most recently created
   op first; AccumulateGrad nodes first of all), run its hooks and its derivative, and add each
   returned gradient into the buffer of the node it flows to. A node becomes ready when every
   edge pointing at it has delivered (its dependency count reaches zero), so gradients arriving
   along several paths are summed before the node runs (``b = a + a; c = b + b``).
4. Without ``retain_graph``, each node frees its saved tensors once it has run.

``autograd.grad`` runs the same loop but captures the gradients of the requested inputs
instead of accumulating into ``.grad``, and runs only the nodes on a path to those inputs.
"""
from __future__ import annotations

import heapq
from typing import TYPE_CHECKING, Sequence

from . import grad_mode, trace
from .node import AccumulateGrad, Node, creation

if TYPE_CHECKING:
    from ..tensor import Tensor


class GraphTask:
    """What one backward call needs to know beyond the graph itself."""

    __slots__ = ("keep_graph", "create_graph", "captures", "needed", "accumulate")

    def __init__(self, keep_graph: bool, create_graph: bool) -> None:
        self.keep_graph = keep_graph
        self.create_graph = create_graph
        # (node, input slot) -> index in the result list, for autograd.grad / inputs=
        self.captures: dict[tuple[Node, int], list[int]] = {}
        self.needed: set[Node] | None = None  # None: run every node reached
        self.accumulate = True


def _count_dependencies(roots: Sequence[Node]) -> dict[Node, int]:
    deps: dict[Node, int] = {}
    seen = set(roots)
    stack = list(roots)
    while stack:
        node = stack.pop()
        for fn, _ in node.next_functions:
            if fn is None:
                continue
            deps[fn] = deps.get(fn, 0) + 1
            if fn not in seen:
                seen.add(fn)
                stack.append(fn)
    return deps


def nodes_to_run(roots: Sequence[Node], targets: set[Node]) -> set[Node]:
    """The nodes that must run so that every target receives its gradient.

    A node runs when one of its edges leads to a target or to a node that runs. (A target
    itself only needs to *receive* its gradient, so it runs only if it leads to another.)
    Iterative post-order walk: a node is decided after all the nodes it points at.
    """
    needed: set[Node] = set()
    visited: set[Node] = set()
    stack: list[tuple[Node, bool]] = [(r, False) for r in roots]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            for fn, _ in node.next_functions:
                if fn is not None and (fn in needed or fn in targets):
                    needed.add(node)
                    break
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append((node, True))
        for fn, _ in node.next_functions:
            if fn is not None and fn not in visited:
                stack.append((fn, False))
    return needed


# ops import the engine's package, so the engine finds the ops it needs on first use
_ops = None


def _bind_ops() -> None:
    global _ops
    from .. import ops
    _ops = ops


def _validate(node: Node, grads: Sequence["Tensor | None"]) -> list["Tensor | None"]:
    """Check a node returned one gradient per input, and fit each to its input's shape/dtype."""
    n = len(node.next_functions)
    if len(grads) != n:
        raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                           f"(expected {n}, got {len(grads)})")
    out = list(grads)
    for i, g in enumerate(out):
        if g is None:
            continue
        shape, dtype = node._input_meta[i]
        if g._data.shape != shape:
            if not _expandable(shape, g._data.shape):
                raise RuntimeError(
                    f"Function {node.name()} returned an invalid gradient at index {i} - got "
                    f"{_ops._core.shape_str(g._data.shape)} but expected shape compatible with "
                    f"{_ops._core.shape_str(shape)}")
            g = _ops._core.sum_to(g, shape)
        if g.dtype is not dtype:
            g = _ops.to(g, dtype)
        out[i] = g
    return out


def _expandable(shape: tuple[int, ...], to_shape: tuple[int, ...]) -> bool:
    if len(shape) > len(to_shape):
        return False
    for s, t in zip(reversed(shape), reversed(to_shape)):
        if s != 1 and s != t:
            return False
    return True


def _add_grads(a: "Tensor | None", b: "Tensor | None") -> "Tensor | None":
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def _call_tensor_hooks(node: Node, slot: int, grad: "Tensor | None",
                       events: "_StepEvents | None") -> "Tensor | None":
    """Hooks registered on the tensor whose gradient this slot is, then retain_grad."""
    hooks = None
    if node._tensor_pre_hooks is not None:
        hooks = node._tensor_pre_hooks.get(slot)
    elif isinstance(node, AccumulateGrad):
        hooks = node.variable._hooks
    if hooks and grad is not None:
        for hook in list(hooks.values()):
            new = hook(grad)
            if events is not None:
                events.hooks_fired.append(f"tensor hook {_hook_name(hook)} on input {slot}"
                                          + (" (replaced the gradient)" if new is not None
                                             else ""))
            if new is not None:
                grad = new
    if node._retain_grad_hooks is not None and grad is not None:
        ref = node._retain_grad_hooks.get(slot)
        tensor = ref() if ref is not None else None
        if tensor is not None:
            _retain(tensor, grad)
            if events is not None:
                events.retained.append((tensor, grad))
    return grad


def _hook_name(hook: object) -> str:
    return getattr(hook, "__qualname__", None) or type(hook).__name__


class _StepEvents:
    """What happened around one node while a trace is being recorded (see trace.py)."""

    __slots__ = ("inputs", "hooks_fired", "retained", "captured", "grad_before")

    def __init__(self) -> None:
        self.inputs: list = []
        self.hooks_fired: list = []
        self.retained: list = []
        self.captured: list = []
        self.grad_before = None


def _retain(tensor: "Tensor", grad: "Tensor") -> None:
    """retain_grad: keep a copy of the gradient (recorded if create_graph) on a non-leaf."""
    tensor._grad = _ops.clone(grad) if tensor._grad is None else tensor._grad + grad


def execute(roots: Sequence[tuple[Node, int]], grads: Sequence["Tensor"], task: GraphTask,
            n_captures: int = 0) -> list["Tensor | None"]:
    """Run the backward pass from ``roots`` (``(node, slot)`` pairs) seeded with ``grads``.

    Returns the captured gradients (for ``autograd.grad``); accumulates into ``.grad`` when
    ``task.accumulate``.
    """
    if _ops is None:
        _bind_ops()
    root_nodes = list(dict.fromkeys(node for node, _ in roots))
    deps = _count_dependencies(root_nodes)
    buffers: dict[Node, list] = {}
    for (node, slot), g in zip(roots, grads):
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * max(node._num_outputs, slot + 1)
        buf[slot] = _add_grads(buf[slot], g)

    captured: list["Tensor | None"] = [None] * n_captures
    ready: list[tuple[float, int, Node]] = []
    tie = 0
    for node in root_nodes:
        if deps.get(node, 0) == 0:
            heapq.heappush(ready, (-node._seq, tie, node))
            tie += 1

    recorder = trace.active_recorder()
    if recorder is not None:
        recorder.begin(roots, grads, task.keep_graph, task.create_graph)
    previous_mode = grad_mode.state.enabled
    grad_mode.state.enabled = task.create_graph
    try:
        while ready:
            _, _, node = heapq.heappop(ready)
            inputs = buffers.pop(node, None) or [None] * node._num_outputs
            events = None if recorder is None else _StepEvents()
            outputs = _run_node(node, inputs, task, captured, events)
            freed = ()
            if not task.keep_graph:
                if events is not None:
                    freed = tuple(n for n, saved in node.saved_tensors_items() if not saved.freed)
                node._release_saved()
            for (fn, slot), g in zip(node.next_functions, outputs):
                if fn is None:
                    continue
                if g is not None:
                    buf = buffers.get(fn)
                    if buf is None:
                        buf = buffers[fn] = [None] * fn._num_outputs
                    buf[slot] = g if buf[slot] is None else buf[slot] + g
                remaining = deps[fn] - 1
                deps[fn] = remaining
                if remaining == 0:
                    heapq.heappush(ready, (-fn._seq, tie, fn))
                    tie += 1
            if recorder is not None:
                recorder.step(node, events.inputs, outputs, ready, deps, buffers,
                              events.hooks_fired, events.retained, freed, events.captured,
                              events.grad_before)
    finally:
        grad_mode.state.enabled = previous_mode
    return captured


def _run_node(node: Node, inputs: list, task: GraphTask, captured: list,
              events: _StepEvents | None) -> list:
    """Hooks, captures and the node's own derivative for one step of the pass."""
    if node._tensor_pre_hooks is not None or node._retain_grad_hooks is not None or (
            isinstance(node, AccumulateGrad) and node.variable._hooks):
        inputs = [_call_tensor_hooks(node, i, g, events) for i, g in enumerate(inputs)]
    if task.captures:
        for slot, g in enumerate(inputs):
            for index in task.captures.get((node, slot), ()):
                captured[index] = g
                if events is not None:
                    events.captured.append((index, g))
    if node._pre_hooks:
        for hook in list(node._pre_hooks.values()):
            new = hook(tuple(inputs))
            if events is not None:
                events.hooks_fired.append(f"node pre-hook {_hook_name(hook)}")
            if new is not None:
                inputs = list(new)
    if events is not None:
        events.inputs = list(inputs)
    if task.needed is not None and node not in task.needed:
        return [None] * len(node.next_functions)
    if isinstance(node, AccumulateGrad):
        if not task.accumulate:
            return []
        if events is not None:
            grad = node.variable._grad
            events.grad_before = None if grad is None else grad._data.copy()
    if all(g is None for g in inputs):
        outputs = [None] * len(node.next_functions)
    elif task.create_graph:
        # nodes recorded by this derivative belong to the next derivative order
        creation.order = node._order + 1
        try:
            outputs = _validate(node, node.apply(*inputs))
        finally:
            creation.order = 0
    else:
        outputs = _validate(node, node.apply(*inputs))
    if node._hooks:
        for hook in list(node._hooks.values()):
            new = hook(tuple(outputs), tuple(inputs))
            if events is not None:
                events.hooks_fired.append(f"node hook {_hook_name(hook)}")
            if new is not None:
                outputs = list(new)
    return outputs
