"""``highlight=``: the chosen tensors and nodes, and everything on a path between two of them.

``highlight=[y, x]`` marks the nodes a gradient goes through from ``y`` to ``x``: those below a
chosen node (reachable along ``next_functions``) *and* above one (it can reach a chosen node),
and the arrows between such nodes. One chosen node alone marks just itself.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..autograd.node import AccumulateGrad, Node
from .walk import GraphModel


@dataclass
class Marks:
    ops: set[int] = field(default_factory=set)               # node indices
    edges: set[tuple[int, int]] = field(default_factory=set)  # (node, next node)
    tensors: set[int] = field(default_factory=set)           # indices into model.tensors


def mark(model: GraphModel, items: Sequence[Any]) -> Marks:
    """The marks for ``items`` (tensors or backward nodes)."""
    from ..tensor import Tensor
    marks = Marks()
    chosen: set[int] = set()
    for item in items:
        if isinstance(item, Tensor):
            for k, spot in enumerate(model.tensors):
                if spot.tensor is item or (item.grad_fn is not None and spot.op is not None
                                           and model.ops[spot.op] is item.grad_fn
                                           and spot.output_nr == item._output_nr):
                    marks.tensors.add(k)
            node = item.grad_fn
            if node is None:  # a leaf: its AccumulateGrad, if the graph reaches it
                node = next((n for n in model.ops if isinstance(n, AccumulateGrad)
                             and n.variable is item), None)
            if node is not None and node in model.index:
                chosen.add(model.index[node])
        elif isinstance(item, Node):
            if item in model.index:
                chosen.add(model.index[item])
        else:
            raise TypeError(f"highlight takes tensors or backward nodes, got "
                            f"{type(item).__name__}")
    if not chosen:
        return marks
    below = _reach(chosen, model.children)
    above = _reach(chosen, [[(p, 0) for p in ps] for ps in model.parents()])
    marks.ops = below & above
    for u in below:
        for child, _ in model.children[u]:
            if child is not None and child in above:
                marks.edges.add((u, child))
    return marks


def _reach(start: set[int], adjacency: Sequence[Sequence[tuple[int | None, int]]]) -> set[int]:
    """``start`` and every node reachable from it (breadth first, no recursion)."""
    seen = set(start)
    queue = deque(start)
    while queue:
        node = queue.popleft()
        for nxt, _ in adjacency[node]:
            if nxt is not None and nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
