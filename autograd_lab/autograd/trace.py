"""A record of what the backward engine did, step by step: plain data, no widgets.

>>> import autograd_lab as torch
>>> from autograd_lab.autograd.trace import record_backward
>>> x = torch.tensor([2.], requires_grad=True)
>>> y = (x * x).sum()
>>> with record_backward() as trace:
...     y.backward()
>>> [step.node_name for step in trace.steps]
['SumBackward0', 'MulBackward0', 'torch::autograd::AccumulateGrad']

The engine fills the trace as it runs (``engine.execute`` reports to the active recorder), so the
animation replays the pass that really happened. Gradients are stored as detached copies of
their values at that moment: later in-place changes (``x.grad.zero_()``) do not rewrite history.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import numpy as np

if TYPE_CHECKING:
    from ..tensor import Tensor
    from .node import Node


def _snapshot(t: "Tensor | None") -> "np.ndarray | None":
    return None if t is None else np.array(t._data, copy=True)


@dataclass
class Accumulation:
    """An AccumulateGrad step: the leaf's ``.grad`` before and after."""
    leaf: "Tensor"
    before: "np.ndarray | None"
    after: "np.ndarray | None"


@dataclass
class Step:
    """One node executed by the engine."""
    index: int
    node: "Node"
    node_name: str
    grads_in: tuple  # the gradient of each forward output of the node, as received (arrays)
    grads_out: tuple  # what the node returned for each next_functions entry (arrays or None)
    next_functions: tuple  # ((node or None, input_nr), ...) at the time it ran
    ready_after: tuple  # names of the nodes waiting in the ready queue after this step
    dependencies_after: dict  # node -> edges still to deliver, for nodes not yet ready
    buffers_after: dict  # node -> per-slot gradient arrays summed so far
    accumulation: Accumulation | None = None
    hooks_fired: tuple = ()  # descriptions of the hooks that ran
    retained: tuple = ()  # (tensor, grad array) for retain_grad captures
    freed: tuple = ()  # names of the saved tensors this step released
    captured: tuple = ()  # (input index, grad array) for autograd.grad
    # the ready queue as node objects, in the order they will run (ready_after has their names)
    ready_nodes_after: tuple = ()
    # name of the grad_fn of each returned gradient (create_graph=True), else None
    grad_fns_out: tuple = ()
    retained_after: tuple = ()  # the .grad of each retained tensor once this step stored it


@dataclass
class BackwardTrace:
    """Everything one backward/grad call did, in order."""
    roots: tuple = ()
    root_grads: tuple = ()
    keep_graph: bool = False
    create_graph: bool = False
    steps: list[Step] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.steps)


class _Recorder:
    """Receives the engine's reports for the backward calls inside ``record_backward``."""

    def __init__(self) -> None:
        self.traces: list[BackwardTrace] = []

    # -- called by the engine -------------------------------------------------------------------
    def begin(self, roots: Any, grads: Any, keep_graph: bool, create_graph: bool) -> None:
        self.traces.append(BackwardTrace(tuple(roots), tuple(_snapshot(g) for g in grads),
                                         keep_graph, create_graph))

    def step(self, node: "Node", grads_in: Sequence[Any], grads_out: Sequence[Any],
             ready: list, deps: dict, buffers: dict, hooks_fired: list, retained: list,
             freed: Sequence[str],
             captured: list, grad_before: Any = None) -> None:
        from .node import AccumulateGrad
        trace = self.traces[-1]
        accumulation = None
        if isinstance(node, AccumulateGrad):
            after = node.variable._grad
            accumulation = Accumulation(node.variable, grad_before, _snapshot(after))
        queue = tuple(n for _, _, n in sorted(ready))
        trace.steps.append(Step(
            index=len(trace.steps),
            node=node,
            node_name=node.name(),
            grads_in=tuple(_snapshot(g) for g in grads_in),
            grads_out=tuple(_snapshot(g) for g in grads_out),
            next_functions=node.next_functions,
            ready_after=tuple(n.name() for n in queue),
            dependencies_after={n: d for n, d in deps.items() if d > 0},
            buffers_after={n: [_snapshot(g) for g in buf] for n, buf in buffers.items()},
            accumulation=accumulation,
            hooks_fired=tuple(hooks_fired),
            retained=tuple((t, _snapshot(g)) for t, g in retained),
            freed=tuple(freed),
            captured=tuple((i, _snapshot(g)) for i, g in captured),
            ready_nodes_after=queue,
            grad_fns_out=tuple(None if g is None or g.grad_fn is None else g.grad_fn.name()
                               for g in grads_out),
            retained_after=tuple(_snapshot(t._grad) for t, _ in retained),
        ))


# (a _Recorder, or an object with its methods: viz.gradflow's arrow recorder)
_active: list[Any] = []


def active_recorder() -> _Recorder | None:
    """The innermost recorder, or None: the engine checks this once per backward call."""
    return _active[-1] if _active else None


@contextmanager
def record_backward() -> Iterator[_TraceProxy]:
    """Record the backward passes run inside the block; yields the (first) pass's trace.

    All passes are available as ``trace.all`` once the block ends.
    """
    recorder = _Recorder()
    _active.append(recorder)
    proxy = _TraceProxy(recorder)
    try:
        yield proxy
    finally:
        _active.remove(recorder)


class _TraceProxy:
    """Looks like the first BackwardTrace of the block (the usual case: one backward call)."""

    def __init__(self, recorder: _Recorder) -> None:
        self._recorder = recorder

    @property
    def all(self) -> list[BackwardTrace]:
        return self._recorder.traces

    def __getattr__(self, name: str) -> Any:
        if not self._recorder.traces:
            raise RuntimeError("no backward pass was recorded in this block")
        return getattr(self._recorder.traces[0], name)

    def __len__(self) -> int:
        return len(self._recorder.traces[0]) if self._recorder.traces else 0
