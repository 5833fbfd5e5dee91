"""Keeping a large graph readable: fold long stretches and wide fans into summary nodes.

A picture of 2,000 boxes is either huge or scaled down until nothing can be read. Beyond a
budget, ``plan`` chooses nodes to fold into *groups*, each drawn as one summary box that says
how many nodes it holds and which ops they are. Two folds, on the nodes' depth (the longest
path from an output, so every edge goes one level down or more):

1. **Wide levels** (repeated structure side by side, e.g. ``stack([x_i * w for ...])``): a level
   with more than ``width`` visible nodes keeps its first ones and folds the others into one
   group per parent. A node all of whose parents are in the same group joins that group, so
   each folded branch disappears whole.
2. **Long stretches** (a loop's chain, ``b = b * 2`` a thousand times): when the graph is deeper
   than ``head + tail`` levels, the nodes between the first ``head`` levels and the last ``tail``
   ones fold into one group per connected piece.

Nodes in ``keep`` (outputs, named or retained tensors, highlighted nodes, nodes whose saved
tensors were modified) are never folded. If the result is still over budget, the folds are
redone tighter. Everything is iterative (a queue for the levels, union-find for the pieces),
so a 100,000-node chain folds in linear time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

Children = Sequence[Sequence[tuple["int | None", int]]]

# (width, head, tail) tried in turn until the picture fits the budget
SCHEDULE = ((8, 6, 4), (6, 4, 3), (4, 3, 2), (3, 2, 1), (2, 1, 1))
KEPT = -1


@dataclass
class Plan:
    """``group_of[i]`` is ``KEPT`` (drawn as itself) or the index of node ``i``'s group."""

    group_of: list[int]
    groups: list[list[int]] = field(default_factory=list)

    def folded(self) -> bool:
        return bool(self.groups)


def no_folding(n: int) -> Plan:
    return Plan([KEPT] * n)


def levels(children: Children) -> tuple[list[int], list[int]]:
    """Longest-path depth of each node from the nodes nothing points at, and a topological
    order (Kahn's algorithm: a node comes after every node pointing at it)."""
    n = len(children)
    pending = [0] * n
    for kids in children:
        for child, _ in kids:
            if child is not None:
                pending[child] += 1
    depth = [0] * n
    order = [i for i in range(n) if pending[i] == 0]
    position = 0
    while position < len(order):
        node = order[position]
        position += 1
        for child, _ in children[node]:
            if child is None:
                continue
            if depth[child] <= depth[node]:
                depth[child] = depth[node] + 1
            pending[child] -= 1
            if pending[child] == 0:
                order.append(child)
    return depth, order


def plan(children: Children, keep: set[int], weight: Sequence[int], max_nodes: int) -> Plan:
    """Fold nodes until the boxes drawn (``weight[i]`` per kept node, one per group) fit in
    ``max_nodes``, or the tightest folding is reached."""
    depth, order = levels(children)
    parents: list[list[int]] = [[] for _ in children]
    for node in order:
        for child, _ in children[node]:
            if child is not None and (not parents[child] or parents[child][-1] != node):
                parents[child].append(node)
    result = no_folding(len(children))
    for width, head, tail in SCHEDULE:
        result = _fold(children, parents, depth, keep, width, head, tail)
        if _cost(result, weight) <= max_nodes:
            break
    return result


def _cost(p: Plan, weight: Sequence[int]) -> int:
    return sum(w for w, g in zip(weight, p.group_of) if g == KEPT) + len(p.groups)


def _fold(children: Children, parents: list[list[int]], depth: list[int], keep: set[int],
          width: int, head: int, tail: int) -> Plan:
    n = len(children)
    group_of = [KEPT] * n
    groups: list[list[int]] = []
    by_level: list[list[int]] = [[] for _ in range(max(depth, default=0) + 1)]
    for i in range(n):
        by_level[depth[i]].append(i)

    # 1. wide levels, top down (a node's parents are all on levels above it)
    for nodes in by_level:
        free = []
        for v in nodes:
            if v in keep:
                continue
            ps = parents[v]
            g = group_of[ps[0]] if ps else KEPT
            if g != KEPT and all(group_of[p] == g for p in ps):
                group_of[v] = g
                groups[g].append(v)
            else:
                free.append(v)
        if len(nodes) <= width or sum(1 for v in nodes if group_of[v] == KEPT) <= width:
            continue
        room = max(width - 1 - sum(1 for v in nodes if v in keep), 0)
        new_groups: dict[tuple[str, int], int] = {}
        for v in free[room:]:
            first = parents[v][0] if parents[v] else None
            key = (("root", 0) if first is None else
                   ("group", group_of[first]) if group_of[first] != KEPT else ("node", first))
            if key not in new_groups:
                new_groups[key] = len(groups)
                groups.append([])
            g = new_groups[key]
            group_of[v] = g
            groups[g].append(v)

    # 2. long stretches: the levels between the head and the tail, one group per piece
    deepest = len(by_level) - 1
    if deepest + 1 > head + tail + 1:
        band = [v for v in range(n) if group_of[v] == KEPT and v not in keep
                and head <= depth[v] <= deepest - tail]
        in_band = set(band)
        root = {v: v for v in band}

        def find(v: int) -> int:
            while root[v] != v:
                root[v] = root[root[v]]
                v = root[v]
            return v

        for v in band:
            for child, _ in children[v]:
                if child in in_band:
                    a, b = find(v), find(child)
                    if a != b:
                        root[max(a, b)] = min(a, b)
        piece_group: dict[int, int] = {}
        for v in band:  # in walk order, so groups are numbered deterministically
            r = find(v)
            if r not in piece_group:
                piece_group[r] = len(groups)
                groups.append([])
            g = piece_group[r]
            group_of[v] = g
            groups[g].append(v)

    return _drop_single(Plan(group_of, groups))


def _drop_single(p: Plan) -> Plan:
    """A summary of one node says less than the node itself: draw it instead."""
    renumber: dict[int, int] = {}
    groups: list[list[int]] = []
    for g, members in enumerate(p.groups):
        if len(members) >= 2:
            renumber[g] = len(groups)
            groups.append(sorted(members))
    group_of = [renumber.get(g, KEPT) if g != KEPT else KEPT for g in p.group_of]
    return Plan(group_of, groups)
