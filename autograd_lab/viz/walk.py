"""Walk an autograd graph (iteratively) into a plain model that the picture is drawn from.

The walk is breadth-first from the outputs, in the order they were given, following each
node's ``next_functions`` in order. That order numbers the nodes, and the numbers become the
node ids of the DOT source: the same code gives the same ids in every run and every process
(``id()`` never appears). An explicit queue, no recursion: a 100,000-node chain is walked like
a 3-node one.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from ..autograd.function import BackwardCFunction
from ..autograd.node import AccumulateGrad, Node
from .names import Names

if TYPE_CHECKING:
    from ..tensor import Tensor


@dataclass
class TensorSpot:
    """A tensor drawn as its own box, and the backward node it hangs from."""

    tensor: "Tensor"
    kind: str              # "output", "leaf", "constant" or "tensor" (see style.LOOKS)
    names: list[str]
    op: int | None         # index of its grad_fn (non-leaf) or of its AccumulateGrad (leaf)
    output_nr: int = 0
    output_index: int | None = None  # position among the outputs, if it is one


@dataclass
class GraphModel:
    """Everything the picture shows, with nodes numbered in walk order."""

    ops: list[Node] = field(default_factory=list)
    index: dict[Node, int] = field(default_factory=dict)
    # per node, per next_functions entry: (index of the next node or None, input_nr)
    children: list[list[tuple[int | None, int]]] = field(default_factory=list)
    tensors: list[TensorSpot] = field(default_factory=list)
    roots: list[int] = field(default_factory=list)        # nodes the outputs point at
    stale: dict[int, list[str]] = field(default_factory=dict)  # node -> modified saved fields
    output_count: int = 0

    def parents(self) -> list[list[int]]:
        """For each node, the nodes whose next_functions point at it (with repeats)."""
        result: list[list[int]] = [[] for _ in self.ops]
        for i, kids in enumerate(self.children):
            for child, _ in kids:
                if child is not None:
                    result[child].append(i)
        return result


def op_name(node: Node) -> str:
    """``AccumulateGrad`` rather than ``torch::autograd::AccumulateGrad``."""
    return node.name().rsplit("::", 1)[-1]


def is_custom(node: Node) -> bool:
    return isinstance(node, BackwardCFunction)


def flatten_outputs(outputs: Sequence[Any]) -> list[Any]:
    """``render_graph(y0, y1)``, ``render_graph([y0, y1])`` and ``render_graph(grad_1)`` alike."""
    flat: list[Any] = []
    for item in outputs:
        if isinstance(item, (list, tuple)):
            flat.extend(item)
        else:
            flat.append(item)
    return flat


def walk(outputs: Sequence[Any], names: Names) -> GraphModel:
    """The model of the graph behind ``outputs`` (tensors or backward nodes)."""
    from ..tensor import Tensor
    model = GraphModel()
    index = model.index
    queue: deque[Node] = deque()

    def reach(node: Node) -> int:
        i = index.get(node)
        if i is None:
            i = index[node] = len(model.ops)
            model.ops.append(node)
            model.children.append([])
            queue.append(node)
        return i

    for item in outputs:
        if isinstance(item, Tensor):
            if item.grad_fn is not None:
                model.roots.append(reach(item.grad_fn))
        elif isinstance(item, Node):
            model.roots.append(reach(item))
        elif item is not None:
            raise TypeError(f"render_graph() takes tensors or backward nodes, got "
                            f"{type(item).__name__}")
    while queue:
        node = queue.popleft()
        kids = model.children[index[node]]
        for fn, input_nr in node.next_functions:
            kids.append((None if fn is None else reach(fn), input_nr))

    for i, node in enumerate(model.ops):
        modified = [name for name, saved in node.saved_tensors_items()
                    if not saved.freed and saved.current_version != saved.saved_version]
        if modified:
            model.stale[i] = modified
    _place_tensors(model, outputs, names)
    return model


def _place_tensors(model: GraphModel, outputs: Sequence[Any], names: Names) -> None:
    """Outputs first, then, node by node, leaves, named and retained tensors."""
    from ..tensor import Tensor
    by_identity: dict[int, TensorSpot] = {}   # leaves (id() only as a lookup key)
    by_place: dict[tuple[int, int], TensorSpot] = {}

    def place(t: "Tensor", kind: str, op: int | None) -> TensorSpot:
        key = (op, t._output_nr) if t.grad_fn is not None and op is not None else None
        spot = by_place.get(key) if key is not None else by_identity.get(id(t))
        if spot is None:
            spot = TensorSpot(t, kind, list(names.of_tensor(t)), op,
                              t._output_nr if t.grad_fn is not None else 0)
            model.tensors.append(spot)
            if key is not None:
                by_place[key] = spot
            else:
                by_identity[id(t)] = spot
        return spot

    tensor_outputs = [o for o in outputs if isinstance(o, Tensor)]
    model.output_count = len(tensor_outputs)
    for position, t in enumerate(tensor_outputs):
        if t.grad_fn is not None:
            spot = place(t, "output", model.index[t.grad_fn])
        else:
            spot = place(t, "leaf" if t.requires_grad else "constant", None)
        if spot.output_index is None:
            spot.output_index = position

    named: dict[tuple[int, int], Tensor] = {}
    for t in names.named_tensors():
        i = model.index.get(t.grad_fn) if t.grad_fn is not None else None
        if i is not None:
            named.setdefault((i, t._output_nr), t)
    for i, node in enumerate(model.ops):
        if isinstance(node, AccumulateGrad):
            spot = place(node.variable, "leaf", i)
            spot.op = i
            continue
        for nr in range(node._num_outputs):
            tensor = named.get((i, nr))
            if tensor is None and node._retain_grad_hooks is not None:
                ref = node._retain_grad_hooks.get(nr)
                tensor = ref() if ref is not None else None
            if tensor is not None:
                place(tensor, "tensor", i)
