"""Backward by hand: call each ``grad_fn`` yourself through ``next_functions`` (seed 004).

``Stepper(y)`` does, one node per ``.next()``, what a learner does by hand::

    dv = a.grad_fn(torch.tensor(1.))                # the output's node, with d a/d a = 1
    v_grad_fn = a.grad_fn.next_functions[0][0]      # follow next_functions[i][0]
    du, db = v_grad_fn(dv)                          # one result per next_functions entry
    b_grad_fn = v_grad_fn.next_functions[1][0]
    b_grad_fn(db)                                   # AccumulateGrad fills b.grad

It calls the real nodes (``node(grad)``), in grad mode as PyTorch does when you call a node by
hand: the results carry grad_fns (``ThresholdBackwardBackward0``...), and AccumulateGrad stores
a ``.grad`` with ``grad_fn=<CopyBackwards>``. Where several arrows lead to one node it first
adds up what they brought (``dw = dw_1 + dw_2``), and it calls the ready nodes in the engine's
order (the one created last first), so it ends with the very gradients ``y.backward()`` gives.
What it does not do, like any call by hand: run hooks or ``retain_grad`` (the engine does).
A custom Function's node cannot be called by hand (in PyTorch either); for it the stepper calls
the Function's ``backward`` with the node as ``ctx``: ``dx = Square.backward(y.grad_fn, dy)``.

Each step also writes the Python code of the call, with your variable names, so that the
transcript (``.code``) can be run on its own.

``Stepper(y, rehearsal=True)`` makes the same calls without touching your tensors: every node
but AccumulateGrad is called for real (a call by hand frees nothing and writes nothing), and
AccumulateGrad is not called: what it would store is computed on a stand-in, so no ``.grad``
changes. It starts from ``start`` (the ``.grad`` values seen when stepping began). This is how
a stored player shows the whole pass before anyone clicked. (A custom Function's ``backward``
is your code: the rehearsal runs it too.)

>>> import autograd_lab as torch
>>> b = torch.tensor(1.0, requires_grad=True)
>>> w = torch.tensor(2.0, requires_grad=True)
>>> x = torch.tensor(3.0)
>>> u = w * x
>>> v = u + b
>>> a = torch.relu(v)
>>> stepper = Stepper(a, names=dict(a=a, b=b, w=w, x=x, u=u, v=v))
>>> stepper.next().code
['dv = a.grad_fn(torch.tensor(1.))']
>>> stepper.next().code
['v_grad_fn = a.grad_fn.next_functions[0][0]', 'du, db = v_grad_fn(dv)']
>>> stepper.state.grads["du"]
tensor(1., grad_fn=<ThresholdBackwardBackward0>)
>>> stepper.run()[-1].code
['w_grad_fn = u_grad_fn.next_functions[0][0]', 'w_grad_fn(dw)']
>>> w.grad
tensor(3., grad_fn=<CopyBackwards>)
"""
from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from ..autograd.node import AccumulateGrad, Node, set_creation_order
from .names import Names, collect
from .passstate import PassState, Sent, Start, expected_gradients, first_state, tensor_at
from .walk import GraphModel, is_custom, op_name, walk

if TYPE_CHECKING:
    from ..tensor import Tensor


@dataclass(repr=False)
class Call:
    """One node called by hand, and what it gave back (printed as its code)."""

    step: int                       # 1 for the first call
    node: Node
    node_var: str                   # the node as code: "a.grad_fn", "v_grad_fn"
    args: tuple                     # the gradients it was called with (tensors or None)
    arg_vars: tuple[str, ...]       # the same as code
    results: tuple                  # one per next_functions entry (tensors or None)
    result_vars: tuple[str, ...]    # their names ("_" where next_functions has None)
    code: list[str]                 # the lines of this call
    printed: list[str]              # what printing the results shows
    leaf: "Tensor | None" = None    # AccumulateGrad: the leaf whose .grad it filled
    leaf_grad: "Tensor | None" = None  # ... and what that .grad became

    def __repr__(self) -> str:
        # no node repr (it has an address): the code of the call says which node it was
        return f"<Call {self.step}: {'; '.join(self.code)}>"


@dataclass
class StepperState:
    """Where the stepping stands (plain data: what tests and learners look at)."""

    step: int
    done: bool
    code: list[str]                       # every line so far
    ready: list[str]                      # nodes that can be called now, next first
    waiting: dict[str, tuple[int, int]]   # node -> (gradients arrived, gradients needed)
    grads: dict[str, "Tensor | None"]     # gradient variables defined so far
    leaf_grads: dict[str, "Tensor | None"]  # leaf name -> its .grad now
    last: Call | None = None


@dataclass
class _Inbox:
    """What has arrived for a node that has not been called yet."""

    parts: list[list[tuple[str, Any]]] = field(default_factory=list)  # per slot: (var, grad)
    arrived: int = 0


class Stepper:
    """Call the nodes of ``output``'s graph by hand; see the module docstring.

    ``names`` maps variable names to tensors (default: none; ``step_through`` passes the
    caller's); ``alias`` is what the code calls the package (``torch``).
    """

    def __init__(self, output: "Tensor", gradient: "Tensor | None" = None, *,
                 names: Mapping[str, Any] | Names | None = None, alias: str = "torch",
                 model: GraphModel | None = None, rehearsal: bool = False,
                 start: Start | None = None) -> None:
        from ..tensor import Tensor, _make
        if not isinstance(output, Tensor):
            raise TypeError(f"step_through() takes a tensor, got {type(output).__name__}")
        if output.grad_fn is None:
            raise ValueError("this tensor has no grad_fn: there is no node to call "
                             "(it is a leaf, or it does not require grad)")
        known = names if isinstance(names, Names) else collect(None, names)
        self.model = model if model is not None else walk([output], known)
        self.output = output
        self.alias = alias
        if gradient is None:
            if output._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            gradient = _make(np.ones_like(output._data), None)
        self.gradient = gradient
        self._known = known
        self.rehearsal = rehearsal
        self._rehearsed: dict[int, Any] = {}  # rehearsal: AccumulateGrad node -> its .grad
        self._at = tensor_at(self.model)
        self._expected = expected_gradients(self.model)
        self._labels = _Labels(self.model, known)
        out_name = _first(known.of_tensor(output)) or "output"
        self.output_name = out_name
        root = self.model.index[output.grad_fn]
        self._var: dict[int, str] = {root: f"{out_name}.grad_fn"}
        self._via: dict[int, tuple[int, int]] = {}
        self._inbox: dict[int, _Inbox] = {}
        self._heap: list[tuple[float, int, int]] = []
        self._tie = 0
        seed = _first(known.of_tensor(gradient)) or _literal(gradient, alias)
        self._receive(root, output._output_nr, seed, gradient)
        self.calls: list[Call] = []
        self.code: list[str] = []
        self.grads: dict[str, Any] = {}
        self.start = start = start if start is not None else Start.of(self.model)
        self.states: list[PassState] = [first_state(
            self.model, start, [(output.grad_fn, output._output_nr)],
            [np.array(gradient._data, copy=True)], [output.grad_fn], "by hand")]

    # -- the public API ------------------------------------------------------------------------
    @property
    def done(self) -> bool:
        """True once every node has been called."""
        return not self._heap

    @property
    def total(self) -> int:
        """How many calls the whole pass takes (one per node)."""
        return len(self.model.ops)

    def next(self) -> Call | None:
        """Call the next node for real; None when every node has been called."""
        if not self._heap:
            return None
        entry = heapq.heappop(self._heap)
        i = entry[2]
        node = self.model.ops[i]
        inbox = self._inbox.pop(i)
        named = i in self._var
        grads_before = dict(self.grads)
        code: list[str] = []
        if i not in self._var:
            parent, pos = self._via[i]
            self._var[i] = self._labels.node_var(i)
            code.append(f"{self._var[i]} = {self._var[parent]}.next_functions[{pos}][0]")
        args: list[Any] = []
        arg_vars: list[Any] = []
        for slot, parts in enumerate(inbox.parts):
            got = [(var, g) for var, g in parts if g is not None]
            if not got:
                args.append(None)
                arg_vars.append("None")
            elif len(parts) == 1:
                args.append(got[0][1])
                arg_vars.append(got[0][0])
            else:  # several arrows: add up what they brought, as the engine's buffer does
                total = got[0][1]
                for _, g in got[1:]:
                    total = total + g
                name = self._labels.grad_var(i, slot)
                code.append(f"{name} = {' + '.join(var for var, _ in got)}")
                self.grads[name] = total
                args.append(total)
                arg_vars.append(name)
        try:
            results, call = self._call(node, i, args, arg_vars)
        except BaseException:  # the call failed: nothing happened, it can be tried again
            heapq.heappush(self._heap, entry)
            self._inbox[i] = inbox
            if not named:
                del self._var[i]
            self.grads = grads_before
            raise
        result_vars = []
        arrivals: dict[int, int] = {}
        for pos, (fn, nr) in enumerate(node.next_functions):
            if fn is None:
                result_vars.append("_")
                continue
            child = self.model.index[fn]
            name = self._labels.grad_var(child, nr)
            if self._expected[child] > 1:  # one of several: numbered in order of arrival
                arrivals[child] = arrivals.get(child, self._arrivals(child)) + 1
                name = f"{name}_{arrivals[child]}"
            result_vars.append(name)
        leaf = node.variable if isinstance(node, AccumulateGrad) else None
        leaf_grad = None
        if leaf is not None:
            leaf_grad = self._rehearsed.get(i) if self.rehearsal else leaf.grad
        if not result_vars:
            code.append(call)
        else:
            code.append(f"{', '.join(result_vars)} = {call}")
        printed = []
        for var, value in zip(result_vars, results):
            if var != "_":
                self.grads[var] = value
                printed.append(f"{var} = {value!r}")
            else:
                printed.append(f"_ = {value!r}  (next_functions has None here)")
        if leaf is not None:
            printed.append(f"{self._labels.tensor(i)}.grad = {leaf_grad!r}")
        step = len(self.calls) + 1
        record = Call(step, node, self._var[i], tuple(args), tuple(arg_vars), tuple(results),
                      tuple(result_vars), code, printed, leaf, leaf_grad)
        for pos, ((fn, nr), value, var) in enumerate(zip(node.next_functions, results,
                                                          result_vars)):
            if fn is not None:
                self._via.setdefault(self.model.index[fn], (i, pos))
                self._receive(self.model.index[fn], nr, var, value)
        self.calls.append(record)
        self.code += code
        self.states.append(self._state_after(record, i))
        return record

    def _call(self, node: Node, i: int, args: list, arg_vars: list[str]) -> tuple[tuple, str]:
        """Call node ``i`` for real; return its results (one per next_functions entry) and the
        code of the call.

        A custom Function's node cannot be called by hand (PyTorch: "object is not callable"),
        so, as one does in PyTorch, its ``backward`` is called with the node as ``ctx``.
        """
        if is_custom(node):
            function = type(node)._forward_cls  # type: ignore[attr-defined]  # (a custom node)
            previous = set_creation_order(node._order + 1)
            try:
                raw = function.backward(node, *args)
            finally:
                set_creation_order(previous)
            results = raw if isinstance(raw, tuple) else (raw,)
            mask = getattr(node, "_is_variable_input", None)  # forward's non-tensor arguments
            if mask is not None and len(results) > len(node.next_functions):
                results = tuple(r for r, tensor in zip(results, mask) if tensor)
            return results, (f"{function.__name__}.backward({self._var[i]}, "
                             f"{', '.join(arg_vars)})")
        if self.rehearsal and isinstance(node, AccumulateGrad):
            self._rehearse_accumulate(i, node, args[0])
            return (), f"{self._var[i]}({', '.join(arg_vars)})"
        results = node(*args)
        if not isinstance(results, tuple):
            results = (results,)
        return results, f"{self._var[i]}({', '.join(arg_vars)})"

    def _rehearse_accumulate(self, i: int, node: AccumulateGrad, grad: Any) -> None:
        """What calling AccumulateGrad would store in ``.grad``, kept here, not in the leaf."""
        from ..autograd.node import accumulate_into_grad
        from ..tensor import _make
        variable = node.variable
        if variable.grad_fn is not None:  # what the real call would say
            raise RuntimeError("leaf variable has been moved into the graph interior")
        if i not in self._rehearsed:
            k = self._at.get((i, 0))
            before = self.start.grads.get(k) if k is not None else None
            self._rehearsed[i] = None if before is None else _make(np.array(before), None)
        if grad is None or not variable._requires_grad:
            return
        stand_in = _make(variable._data, None)  # its dtype and shape; nothing is written to it
        stand_in._grad = self._rehearsed[i]
        accumulate_into_grad(stand_in, grad)
        self._rehearsed[i] = stand_in._grad

    def run(self) -> list[Call]:
        """Call every node left; returns the calls made."""
        made = []
        while (call := self.next()) is not None:
            made.append(call)
        return made

    @property
    def state(self) -> StepperState:
        """The stepping as plain data (see ``StepperState``)."""
        ready = [self._var.get(i) or self._labels.node_var(i) for _, _, i in sorted(self._heap)]
        waiting = {}
        for i, inbox in self._inbox.items():
            if any(i == j for _, _, j in self._heap):
                continue
            waiting[self._var.get(i) or self._labels.node_var(i)] = (inbox.arrived,
                                                                    self._expected[i])
        leaves = {}
        for k, spot in enumerate(self.model.tensors):
            t = spot.tensor
            if t.grad_fn is None and t.requires_grad and spot.names:
                leaves[spot.names[0]] = t.grad
                if self.rehearsal and spot.op in self._rehearsed:
                    leaves[spot.names[0]] = self._rehearsed[spot.op]
        return StepperState(len(self.calls), self.done, list(self.code), ready, waiting,
                            dict(self.grads), leaves, self.calls[-1] if self.calls else None)

    def transcript(self) -> str:
        """The code of every call so far, one line each."""
        return "\n".join(self.code)

    # -- bookkeeping (what a learner keeps track of on paper) --------------------------------
    def _arrivals(self, i: int) -> int:
        inbox = self._inbox.get(i)
        return inbox.arrived if inbox is not None else 0

    def _receive(self, i: int, slot: int, var: str, value: Any) -> None:
        node = self.model.ops[i]
        inbox = self._inbox.get(i)
        if inbox is None:
            inbox = self._inbox[i] = _Inbox([[] for _ in range(max(node._num_outputs, 1))])
        inbox.parts[slot].append((var, value))
        inbox.arrived += 1
        # ready once every arrow that points at it has delivered; the root has none
        if inbox.arrived >= self._expected[i]:
            heapq.heappush(self._heap, (-_sequence(node), self._tie, i))
            self._tie += 1

    def _state_after(self, call: Call, i: int) -> PassState:
        s = self.states[-1].advance()
        s.current = i
        s.ran_at[i] = s.step
        s.received[i] = tuple(_array(a) for a in call.args)
        s.buffers.pop(i, None)
        s.arrived.pop(i, None)
        for pos, ((fn, _), value) in enumerate(zip(call.node.next_functions, call.results)):
            if fn is None:
                continue
            grad_fn = value.grad_fn.name() if value is not None and value.grad_fn else None
            s.sent[(i, pos)] = Sent(_array(value), s.step, grad_fn)
        for j, inbox in self._inbox.items():
            s.arrived[j] = inbox.arrived
            sums = []
            for parts in inbox.parts:
                total = None
                for _, g in parts:
                    if g is not None:
                        total = _array(g) if total is None else total + _array(g)
                sums.append(total)
            s.buffers[j] = tuple(sums)
        s.queue = tuple(j for _, _, j in sorted(self._heap))
        if call.leaf is not None:
            k = self._at.get((i, 0))
            if k is not None:
                s.grads[k] = _array(call.leaf_grad)
                s.changed = frozenset({k})
        return s


class _Labels:
    """Variable names for the code: ``v_grad_fn`` for the node behind ``v``, ``dv`` for the
    gradient of ``v``; made-up but stable names (``mul1``) for tensors without one."""

    def __init__(self, model: GraphModel, known: Names) -> None:
        self.model = model
        self.at = tensor_at(model)
        self._made: dict[tuple[int, int], str] = {}
        self._count: dict[str, int] = {}
        self._taken = {_identifier(n) for spot in model.tensors for n in spot.names}

    def tensor(self, i: int, nr: int = 0) -> str:
        k = self.at.get((i, nr))
        if k is not None and self.model.tensors[k].names:
            return _identifier(self.model.tensors[k].names[0])
        key = (i, nr)
        if key not in self._made:
            node = self.model.ops[i]
            base = "leaf" if isinstance(node, AccumulateGrad) else re.sub(
                r"backward\d*$", "", op_name(node).lower()) or "t"
            while True:
                n = self._count[base] = self._count.get(base, 0) + 1
                name = f"{base}{n}"
                if name not in self._taken:
                    break
            self._made[key] = name
        return self._made[key]

    def node_var(self, i: int) -> str:
        return f"{self.tensor(i)}_grad_fn"

    def grad_var(self, i: int, slot: int) -> str:
        node = self.model.ops[i]
        if node._num_outputs > 1 and (i, slot) not in self.at:
            return f"d{self.tensor(i)}_{slot}"
        return f"d{self.tensor(i, slot)}"


def _identifier(name: str) -> str:
    """``grad_1[0]`` -> ``grad_1_0``: a name usable in code."""
    text = re.sub(r"\W+", "_", name).strip("_")
    return text if text.isidentifier() else f"t_{text}"


def _first(items: list[str]) -> str | None:
    return _identifier(items[0]) if items else None


def _literal(t: "Tensor", alias: str) -> str:
    """Code that makes ``t``: ``torch.tensor(1.)``."""
    text = repr(t.detach())
    if "\n" not in text and "..." not in text:
        return f"{alias}.{text}"
    if bool((t._data == 1).all()):
        shape = ", ".join(str(s) for s in t._data.shape)
        return f"{alias}.ones({shape})"
    return "gradient"


def _sequence(node: Node) -> float:
    nr = node._sequence_nr()
    return float(nr)


def _array(t: Any) -> "np.ndarray | None":
    return None if t is None else np.array(t._data, copy=True)
