"""The backward engine: runs the nodes of a graph in dependency order.

How a backward pass runs (the same order as PyTorch's engine on one thread):

1. Walk the graph from the roots with an explicit stack (no recursion: a 100,000-node chain
   works) and count, for each node, how many edges point at it.
2. Seed the roots' input buffers with the starting gradients. With several roots PyTorch first
   runs a ``GraphRoot`` node that hands each root its gradient; that is replayed here.
3. Repeatedly take the ready node with the highest sequence number (the most recently created
   op first; AccumulateGrad nodes first of all), run its hooks and its derivative, and add each
   returned gradient into the buffer of the node it flows to. A node becomes ready when every
   edge pointing at it has delivered (its dependency count reaches zero), so gradients arriving
   along several paths are summed before the node runs (``b = a + a; c = b + b``).
4. Without ``retain_graph``, each node frees its saved tensors once it has run.

The ready queue is the same binary heap as PyTorch's (``std::priority_queue``), so that nodes
of equal priority (several AccumulateGrad) run in PyTorch's order, and with them leaf hooks.

``autograd.grad`` and ``backward(inputs=...)`` run only the nodes on a path to the requested
inputs (PyTorch's ``exec_info``): a node is *needed* if one of its edges leads to an input or
to a needed node. A node reached but not needed receives nothing and does not run; a requested
input's node that is not needed only runs its tensor hooks and has its gradient captured.
"""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np

from . import anomaly_mode, grad_mode, trace
from .hooks import call_hooks, hook_name
from .node import AccumulateGrad, Node, set_creation_order

if TYPE_CHECKING:
    from ..tensor import Tensor


class GraphTask:
    """What one backward call needs to know beyond the graph itself."""

    __slots__ = ("keep_graph", "create_graph", "captures", "needed", "accumulate", "runs")

    def __init__(self, keep_graph: bool, create_graph: bool) -> None:
        self.keep_graph = keep_graph
        self.create_graph = create_graph
        # (node, input slot) -> indices in the result list, for autograd.grad
        self.captures: dict[tuple[Node, int], list[int]] = {}
        # None: run every node reached; else the nodes to run (see nodes_to_run)
        self.needed: set[Node] | None = None
        self.accumulate = True
        # None: every node reached receives its gradients; else the needed and captured nodes
        self.runs: set[Node] | None = None


def _count_dependencies(roots: Sequence[Node]) -> dict[Node, int]:
    """For each node reached from ``roots``, how many edges point at it."""
    deps: dict[Node, int] = {}
    # a root reached from another root is walked from where it starts, not a second time
    other_roots = set(roots) if len(roots) > 1 else ()
    stack = list(roots)
    while stack:
        for fn in stack.pop()._next_nodes:
            if fn is not None:
                count = deps.get(fn)
                if count is None:
                    deps[fn] = 1
                    if fn not in other_roots:
                        stack.append(fn)
                else:
                    deps[fn] = count + 1
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
            for fn in node._next_nodes:
                if fn is not None and (fn in needed or fn in targets):
                    needed.add(node)
                    break
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append((node, True))
        for fn in node._next_nodes:
            if fn is not None and fn not in visited:
                stack.append((fn, False))
    return needed


# -- the ready queue ------------------------------------------------------------------------------
# A binary max-heap on the sequence number, kept in a list, with the moves PyTorch's
# std::priority_queue makes. Only AccumulateGrad nodes share a priority, and which of them runs
# first depends on exactly how the heap moves its entries; so it is reproduced move for move:
#
# * push: the new node goes to the end and climbs while its parent ranks strictly lower;
# * pop: the root leaves a hole that sinks to the bottom, each time taking the place of the
#   higher-ranked child (the right one when both rank the same); the heap's last entry then
#   fills the hole and climbs like a pushed node.
def _climb(heap: list, i: int, node: Node) -> None:
    key = node._seq
    while i:
        parent = (i - 1) // 2
        if heap[parent]._seq >= key:
            break
        heap[i] = heap[parent]
        i = parent
    heap[i] = node


def _push(heap: list, node: Node) -> None:
    heap.append(node)
    _climb(heap, len(heap) - 1, node)


def _pop(heap: list) -> Node:
    top = heap[0]
    last = heap.pop()
    size = len(heap)
    if size:
        hole = 0
        while True:
            right = 2 * hole + 2
            if right < size:
                child = right - 1 if heap[right]._seq < heap[right - 1]._seq else right
            elif right == size:  # a left child only
                child = right - 1
            else:
                break
            heap[hole] = heap[child]
            hole = child
        _climb(heap, hole, last)
    return top


def _pop_order(heap: list) -> list:
    """The order the queued nodes will run in (for traces)."""
    copy = list(heap)
    return [_pop(copy) for _ in range(len(copy))]


def _shape_str(shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _validate(node: Node, grads: Sequence["Tensor | None"]) -> list["Tensor | None"]:
    """Check a node returned one gradient per input, and fit each to its input's shape/dtype."""
    n = len(node._next_nodes)
    if len(grads) != n:
        raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                           f"(expected {n}, got {len(grads)})")
    out = list(grads)
    for i, (g, fn, nr) in enumerate(zip(out, node._next_nodes, node._next_slots)):
        if g is None or fn is None:  # (PyTorch checks only gradients that go somewhere)
            continue
        shape, dtype = fn._output_meta[nr]
        if g._data.shape != shape:
            if not _expandable(shape, g._data.shape):
                raise RuntimeError(
                    f"Function {node.name()} returned an invalid gradient at index {i} - got "
                    f"{_shape_str(g._data.shape)} but expected shape compatible with "
                    f"{_shape_str(shape)}")
            g = g._sum_to(shape)
        if g.dtype is not dtype:
            g = g.to(dtype)
        out[i] = g
    return out


def _checked(node: Node, outputs: Sequence["Tensor | None"]) -> Sequence["Tensor | None"]:
    """``outputs`` of ``node``, fitted by ``_validate`` if one does not fit where it goes (they
    nearly always do as they are: this quick look runs for every node)."""
    if len(outputs) != len(node._next_nodes):
        return _validate(node, outputs)
    for g, fn, slot in zip(outputs, node._next_nodes, node._next_slots):
        if g is not None and fn is not None:
            shape, dtype = fn._output_meta[slot]
            if g._data.shape != shape or g.dtype is not dtype:
                return _validate(node, outputs)
    return outputs


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


class _StepEvents:
    """What happened around one node while a trace is being recorded (see trace.py)."""

    __slots__ = ("inputs", "hooks_fired", "retained", "captured", "grad_before")

    def __init__(self) -> None:
        self.inputs: list = []
        self.hooks_fired: list = []
        self.retained: list = []
        self.captured: list = []
        self.grad_before: np.ndarray | None = None


def _fired(events: "_StepEvents | None") -> "list | None":
    return None if events is None else []


def _call_tensor_pre_hooks(node: Node, inputs: list, events: "_StepEvents | None") -> None:
    """The hooks of the tensors whose gradients these are, then retain_grad (PyTorch's
    ``call_tensor_pre_hooks``). Hooks run even for a gradient that is None."""
    groups: Iterable[tuple[int, Any]]
    if node._tensor_pre_hooks is not None:
        groups = node._tensor_pre_hooks.items()
    elif type(node) is AccumulateGrad and node.variable._hooks:
        groups = ((0, node.variable._hooks),)
    else:
        groups = ()
    for slot, hooks in list(groups):
        if not hooks:
            continue
        fired = _fired(events)
        new = call_hooks(hooks, (inputs[slot],), fired)
        if new is not None:
            inputs[slot] = new
        if fired and events is not None:
            events.hooks_fired.extend(
                f"tensor hook {_qualname(h)} on input {slot}"
                + (" (replaced the gradient)" if replaced else "") for h, replaced in fired)
    if node._retain_grad_hooks is not None:
        for slot, ref in list(node._retain_grad_hooks.items()):
            tensor = ref()
            grad = inputs[slot]
            if tensor is not None and grad is not None:
                _retain(tensor, grad)
                if events is not None:
                    events.retained.append((tensor, grad))


def _qualname(hook: object) -> str:
    return getattr(hook, "__qualname__", None) or hook_name(hook)


def _retain(tensor: "Tensor", grad: "Tensor") -> None:
    """retain_grad: keep a copy of the gradient (recorded if create_graph) on a non-leaf."""
    tensor._grad = grad.clone() if tensor._grad is None else tensor._grad + grad


def _capture(node: Node, inputs: list, task: GraphTask, captured: list,
             events: "_StepEvents | None") -> None:
    for slot, g in enumerate(inputs):
        for index in task.captures.get((node, slot), ()):
            captured[index] = g
            if events is not None:
                events.captured.append((index, g))


def execute(roots: Sequence[tuple[Node, int]], grads: Sequence["Tensor | None"],
            task: GraphTask, n_captures: int = 0) -> list["Tensor | None"]:
    """Run the backward pass from ``roots`` (``(node, slot)`` pairs) seeded with ``grads``.

    Returns the captured gradients (for ``autograd.grad``); accumulates into ``.grad``
    through the AccumulateGrad nodes it runs (``backward``).
    """
    root_nodes = [roots[0][0]] if len(roots) == 1 else list(dict.fromkeys(n for n, _ in roots))
    deps = _count_dependencies(root_nodes)
    needed = task.needed
    runs = task.runs = None if needed is None else needed | {node for node, _ in task.captures}
    buffers: dict[Node, list] = {}
    buf: list | None
    node: Node | None
    ready: list[Node] = []
    captured: list["Tensor | None"] = [None] * n_captures
    if len(roots) == 1:
        (node, slot), = roots
        buf = buffers[node] = [None] * max(node._num_outputs, slot + 1)
        buf[slot] = grads[0]
        _push(ready, node)
    elif runs is None or any(n in runs for n in root_nodes):
        # PyTorch's GraphRoot: one more edge to each root, delivered in order
        for node, _ in roots:
            deps[node] = deps.get(node, 0) + 1
        for (node, slot), g in zip(roots, grads):
            remaining = deps[node] - 1
            deps[node] = remaining
            if runs is not None and node not in runs:
                continue
            buf = buffers.get(node)
            if buf is None:
                buf = buffers[node] = [None] * max(node._num_outputs, slot + 1)
            buf[slot] = _add_grads(buf[slot], g)
            if remaining == 0:
                _push(ready, node)

    recorder = trace.active_recorder()
    if recorder is not None:
        recorder.begin(roots, grads, task.keep_graph, task.create_graph)
    anomaly = anomaly_mode.state.enabled
    keep_graph = task.keep_graph
    previous_mode = grad_mode.set_enabled(task.create_graph)
    node = None
    outputs: Sequence[Tensor | None] | None
    freed: tuple[str, ...]
    parents = anomaly_mode.running.stack if anomaly else []
    depth = len(parents)
    # nothing to capture, trace or prune, no graph to record: a node without hooks needs only
    # its derivative (the first branch below, _run_node's common path written out)
    plain = recorder is None and needed is None and not task.captures and not task.create_graph
    try:
        while ready:
            # a chain keeps one node queued at a time: no heap moves to make then
            node = ready.pop() if len(ready) == 1 else _pop(ready)
            if anomaly:  # nodes created from here on (create_graph) have this one as parent
                del parents[depth:]
                parents.append(node)
            inputs = buffers.pop(node, None) or [None] * node._num_outputs
            events = None if recorder is None else _StepEvents()
            if (plain and node._tensor_pre_hooks is None and node._retain_grad_hooks is None
                    and not node._pre_hooks and not node._hooks and not node._always_apply):
                if node._saved_slots:
                    node._check_saved()
                for g in inputs:
                    if g is not None:
                        outputs = _checked(node, node.apply(*inputs))
                        break
                else:  # no gradient arrived (see _run_node)
                    outputs = [None] * len(node._next_nodes)
                freed = ()
                if not keep_graph and node._frees_saved:
                    node._release_saved()
                if anomaly and anomaly_mode.state.check_nan:
                    anomaly_mode.check_nan(node, outputs)
            elif (plain and type(node) is AccumulateGrad and node._tensor_pre_hooks is None
                  and node._retain_grad_hooks is None and not node._pre_hooks
                  and not node._hooks and not node.variable._hooks):
                # a leaf without hooks (_run_node's path for it, written out): its first
                # gradient is taken over when only this list holds it
                owned = node.variable._grad is None and _only_engine_holds(inputs)
                outputs = node.apply(inputs[0], owned)
                freed = ()
                if anomaly and anomaly_mode.state.check_nan:
                    anomaly_mode.check_nan(node, outputs)
            elif needed is None or node in needed:
                outputs = _run_node(node, inputs, task, captured, events)
                freed = ()
                if not keep_graph and node._frees_saved:
                    if events is not None:
                        freed = tuple(n for n, s in node.saved_tensors_items() if not s.freed)
                    node._release_saved()
                if anomaly and anomaly_mode.state.check_nan:
                    anomaly_mode.check_nan(node, outputs)
            else:  # an input of autograd.grad that leads to no other: hooks, then capture
                if (node._tensor_pre_hooks is not None or node._retain_grad_hooks is not None
                        or (type(node) is AccumulateGrad and node.variable._hooks)):
                    _call_tensor_pre_hooks(node, inputs, events)
                _capture(node, inputs, task, captured, events)
                if events is not None:
                    events.inputs = list(inputs)
                outputs = ()
                freed = ()
            for fn, slot, g in zip(node._next_nodes, node._next_slots, outputs):
                if fn is None:
                    continue
                remaining = deps[fn] - 1
                deps[fn] = remaining
                if runs is not None and fn not in runs:
                    continue
                if g is not None:
                    buf = buffers.get(fn)
                    if buf is None:
                        if fn._num_outputs == 1:
                            buffers[fn] = [g]
                        else:
                            buf = buffers[fn] = [None] * fn._num_outputs
                            buf[slot] = g
                    else:
                        buf[slot] = g if buf[slot] is None else buf[slot] + g
                if remaining == 0:
                    if ready:
                        _push(ready, fn)
                    else:
                        ready.append(fn)
            if recorder is not None and events is not None:
                order = _pop_order(ready)
                recorder.step(node, events.inputs, outputs,
                              [(k, k, n) for k, n in enumerate(order)], deps, buffers,
                              events.hooks_fired, events.retained, freed, events.captured,
                              events.grad_before)
            # drop this step's references to gradients: an AccumulateGrad may take over a
            # gradient only the engine holds (see _run_node), which these would hide
            node = outputs = g = None
    except BaseException:
        if anomaly and node is not None:
            anomaly_mode.print_stack(node)
        raise
    finally:
        grad_mode.set_enabled(previous_mode)
        if anomaly:
            del parents[depth:]
    return captured


def _only_engine_holds(inputs: list) -> bool:
    """Whether the one gradient in ``inputs`` and its memory are held by nothing but this list
    (no hook kept it, it is not a user's tensor, not shared with another leaf): then a leaf may
    keep it as its ``.grad`` without a copy, as PyTorch's AccumulateGrad does (it checks the
    tensor's use count). The counts include getrefcount's own argument."""
    grad = inputs[0]  # (a third reference, while this runs)
    return (grad is not None and sys.getrefcount(grad) == 3
            and sys.getrefcount(grad._data) == 2)


def _run_node(node: Node, inputs: list, task: GraphTask, captured: list,
              events: _StepEvents | None) -> "Sequence[Tensor | None]":
    """Hooks, captures and the node's own derivative for one step of the pass."""
    if task.captures:
        # PyTorch captures a needed node's gradient as it arrives, before its tensor hooks
        _capture(node, inputs, task, captured, events)
    if node._tensor_pre_hooks is not None or node._retain_grad_hooks is not None or (
            type(node) is AccumulateGrad and node.variable._hooks):
        _call_tensor_pre_hooks(node, inputs, events)
    if node._pre_hooks:
        fired = _fired(events)
        new = call_hooks(node._pre_hooks, (tuple(inputs),), fired)
        if new is not None:
            inputs = list(new)
        if fired and events is not None:
            events.hooks_fired.extend(f"node pre-hook {_qualname(h)}" for h, _ in fired)
    if events is not None:
        events.inputs = list(inputs)
        if type(node) is AccumulateGrad:
            grad = node.variable._grad
            events.grad_before = None if grad is None else grad._data.copy()
    if node._saved_slots:
        node._check_saved()  # PyTorch's nodes unpack all their saved tensors first
    run = node._always_apply
    if not run:
        for g in inputs:
            if g is not None:
                run = True
                break
    outputs: Sequence[Tensor | None]
    if not run:  # no gradient arrived: PyTorch's derivative formulas give undefined gradients
        outputs = [None] * len(node._next_nodes)
    else:
        if task.create_graph:
            # nodes recorded by this derivative belong to the next derivative order
            previous_order = set_creation_order(node._order + 1)
            try:
                outputs = node.apply(*inputs)
            finally:
                set_creation_order(previous_order)
        elif (type(node) is AccumulateGrad and node.variable._grad is None
              and _only_engine_holds(inputs)):
            # (only a leaf's first gradient can be taken over; later ones are added in place)
            outputs = node.apply(inputs[0], owned=True)
        else:
            outputs = node.apply(*inputs)
        outputs = _checked(node, outputs)
    runs = task.runs
    if runs is not None and node._prunes_outputs:
        # PyTorch computes no gradient for an edge that leads to nothing to run
        outputs = list(outputs)
        for i, fn in enumerate(node._next_nodes):
            if fn is not None and fn not in runs:
                outputs[i] = None
    if node._hooks:
        fired = _fired(events)
        new = call_hooks(node._hooks, (tuple(outputs), tuple(inputs)), fired)
        if new is not None:
            outputs = list(new)
        if fired and events is not None:
            events.hooks_fired.extend(f"node hook {_qualname(h)}" for h, _ in fired)
    return outputs

