"""The state of a backward pass between two of its steps: what a motion picture shows.

A ``PassState`` is plain data keyed by the numbers of a ``GraphModel`` (node ``i`` is
``model.ops[i]``, tensor ``k`` is ``model.tensors[k]``). Frame 0 is the moment before the first
node runs; frame ``k`` the moment just after step ``k`` (1-based) ran.

``replay`` reads the states off the engine's trace of a real pass (``record_backward``): it
copies what the trace says happened and never decides anything itself. The manual stepper
(``stepper.py``) builds the same states from the nodes it calls by hand, so both are drawn and
explained by the same code (``scene``, ``frames``, ``explain``).

>>> import autograd_lab as torch
>>> from autograd_lab.autograd.trace import record_backward
>>> from autograd_lab.viz.names import Names
>>> from autograd_lab.viz.walk import walk
>>> x = torch.tensor([2.], requires_grad=True)
>>> y = (x * x).sum()
>>> model = walk([y], Names())
>>> start = Start.of(model)
>>> with record_backward() as trace:
...     y.backward()
>>> states = replay(trace, model, start)
>>> [s.current for s in states]     # node numbers in walk order: Sum, Mul, AccumulateGrad
[None, 0, 1, 2]
>>> states[-1].grads[1].tolist()    # x's box (tensor 1) now shows x.grad
[4.0]
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from ..autograd.node import AccumulateGrad
from .walk import GraphModel

if TYPE_CHECKING:
    from ..autograd.trace import BackwardTrace
    from ..tensor import Tensor

Edge = tuple[int, int]  # (node, position in its next_functions)


@dataclass(frozen=True)
class Sent:
    """A gradient that went along an arrow: its value (an array or None) and the step."""

    value: "np.ndarray | None"
    step: int
    grad_fn: str | None = None  # with create_graph=True: the gradient's own grad_fn


@dataclass
class PassState:
    """Where a backward pass stands; see the module docstring."""

    step: int = 0
    current: int | None = None          # the node that ran at this step
    ran_at: dict[int, int] = field(default_factory=dict)       # node -> step it ran at
    received: dict[int, tuple] = field(default_factory=dict)   # node -> what it was called with
    buffers: dict[int, tuple] = field(default_factory=dict)    # waiting node -> sums so far
    arrived: dict[int, int] = field(default_factory=dict)      # waiting node -> edges delivered
    queue: tuple[int, ...] = ()         # nodes ready to run, in the order they will run
    sent: dict[Edge, Sent] = field(default_factory=dict)       # every arrow that carried a grad
    seeds: dict[int, "np.ndarray | None"] = field(default_factory=dict)  # tensor -> root grad
    grads: dict[int, "np.ndarray | None"] = field(default_factory=dict)  # tensor -> its .grad
    captured: dict[int, tuple] = field(default_factory=dict)   # tensor -> ((index, grad), ...)
    freed: frozenset[int] = frozenset()  # nodes whose saved tensors are gone
    changed: frozenset[int] = frozenset()  # tensors whose .grad changed at this step
    hooks: tuple[str, ...] = ()         # hooks that ran at this step
    mode: str = "backward"              # "backward", "grad" (autograd.grad) or "by hand"

    def advance(self) -> "PassState":
        """A copy for the next step (dicts copied, so earlier states stay as they were)."""
        return replace(self, step=self.step + 1, current=None, ran_at=dict(self.ran_at),
                       received=dict(self.received), buffers=dict(self.buffers),
                       arrived=dict(self.arrived), sent=dict(self.sent),
                       grads=dict(self.grads), captured=dict(self.captured),
                       changed=frozenset(), hooks=())

    def just_sent(self) -> dict[Edge, Sent]:
        """The arrows the current node sent its results along."""
        return {e: s for e, s in self.sent.items() if s.step == self.step and self.step > 0}


@dataclass
class Start:
    """What the graph held before the pass: the trace records only what changed."""

    grads: dict[int, "np.ndarray | None"]   # tensor -> .grad (leaves and retained tensors)
    freed: frozenset[int]                   # nodes whose saved tensors were already freed

    @classmethod
    def of(cls, model: GraphModel) -> "Start":
        grads = {}
        for k, spot in enumerate(model.tensors):
            t = spot.tensor
            if t.requires_grad and (t.grad_fn is None or t._retains_grad):
                grads[k] = None if t._grad is None else np.array(t._grad._data, copy=True)
        freed = frozenset(i for i, node in enumerate(model.ops)
                          if (saved := [r for _, r in node.saved_tensors_items()])
                          and all(r.freed for r in saved))
        return cls(grads, freed)


def expected_gradients(model: GraphModel) -> list[int]:
    """How many arrows point at each node: the gradients it waits for before it can run."""
    counts = [0] * len(model.ops)
    for kids in model.children:
        for child, _ in kids:
            if child is not None:
                counts[child] += 1
    return counts


def tensor_at(model: GraphModel) -> dict[tuple[int, int], int]:
    """``(node, output_nr) -> tensor box``: a leaf at its AccumulateGrad, a non-leaf at its
    grad_fn (only tensors drawn as boxes are found)."""
    found: dict[tuple[int, int], int] = {}
    for k, spot in enumerate(model.tensors):
        if spot.op is not None:
            found.setdefault((spot.op, spot.output_nr), k)
    return found


def spot_of(model: GraphModel, t: "Tensor") -> int | None:
    """The box of tensor ``t`` in the picture, or None."""
    for k, spot in enumerate(model.tensors):
        if spot.tensor is t:
            return k
    if t.grad_fn is not None and t.grad_fn in model.index:
        return tensor_at(model).get((model.index[t.grad_fn], t._output_nr))
    return None


def add(a: "np.ndarray | None", b: "np.ndarray | None") -> "np.ndarray | None":
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def first_state(model: GraphModel, start: Start, roots: Sequence[tuple[Any, int]],
                root_grads: Sequence["np.ndarray | None"], first_to_run: Sequence[Any],
                mode: str) -> PassState:
    """Frame 0: the roots' buffers hold the starting gradients; the nodes nothing points at
    wait in the queue in the order given (``first_to_run``, as they are seen running)."""
    state = PassState(grads=dict(start.grads), freed=start.freed, mode=mode)
    at = tensor_at(model)
    expected = expected_gradients(model)
    for (node, slot), g in zip(roots, root_grads):
        i = model.index[node]
        buf = list(state.buffers.get(i, (None,) * max(node._num_outputs, slot + 1)))
        buf[slot] = add(buf[slot], g)
        state.buffers[i] = tuple(buf)
        k = at.get((i, slot))
        if k is not None:
            state.seeds[k] = g
    ready = [model.index[n] for n in first_to_run]
    state.queue = tuple(dict.fromkeys(i for i in ready if expected[i] == 0
                                      and i in state.buffers))
    return state


def replay(trace: "BackwardTrace", model: GraphModel, start: Start,
           inputs: Sequence["Tensor"] = ()) -> list[PassState]:
    """One state per frame of the traced pass (``len(trace.steps) + 1`` of them).

    ``inputs`` are the tensors of ``autograd.grad(outputs, inputs)``, to show where each
    captured gradient belongs.
    """
    index = model.index
    at = tensor_at(model)
    expected = expected_gradients(model)
    mode = "grad" if inputs else "backward"
    order = [step.node for step in trace.steps]
    state = first_state(model, start, trace.roots, trace.root_grads, order, mode)
    states = [state]
    for step in trace.steps:
        state = state.advance()
        i = index[step.node]
        state.current = i
        state.ran_at[i] = state.step
        state.received[i] = step.grads_in
        state.buffers.pop(i, None)
        state.arrived.pop(i, None)
        fns = step.grad_fns_out or (None,) * len(step.grads_out)
        for pos, ((fn, _), g, fn_name) in enumerate(zip(step.next_functions, step.grads_out,
                                                         fns)):
            if fn is None:
                continue
            state.sent[(i, pos)] = Sent(g, state.step, fn_name)
            child = index[fn]
            state.arrived[child] = expected[child] - step.dependencies_after.get(fn, 0)
        state.buffers = {index[n]: tuple(b) for n, b in step.buffers_after.items()
                         if n in index}
        state.queue = tuple(index[n] for n in step.ready_nodes_after if n in index)
        if step.freed:
            state.freed = state.freed | {i}
        changed = set()
        if step.accumulation is not None and isinstance(step.node, AccumulateGrad):
            k = at.get((i, 0))
            if k is not None and step.accumulation.after is not None:
                state.grads[k] = step.accumulation.after
                changed.add(k)
        for (t, _), after in zip(step.retained, step.retained_after):
            k = spot_of(model, t)
            if k is not None:
                state.grads[k] = after
                changed.add(k)
        for input_index, g in step.captured:
            k = spot_of(model, inputs[input_index]) if input_index < len(inputs) else None
            if k is not None:
                state.captured[k] = state.captured.get(k, ()) + ((input_index, g),)
                changed.add(k)
        state.changed = frozenset(changed)
        state.hooks = step.hooks_fired
        states.append(state)
    return states
