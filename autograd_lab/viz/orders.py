"""Derivative order: which backward pass created each node of a higher-order graph.

The engine records nothing about *when* a node was made, except its sequence number: one
counter shared by every node, so a larger number means made later. Nothing else in the graph
tells a node recorded during ``autograd.grad(y, x, create_graph=True)`` from a forward op run
afterwards: ``grad_1[0]`` of ``y = x ** 2`` is ``MulBackward0(None, Mul(Pow(x, 1), 2))``, the
very graph that ``ones * (x ** 1 * 2)`` would record by hand. So the rule needs one fact from
the caller, given by passing the outputs as a history (``higher_order=True``)::

    render_graph(y, grad_1[0], grad_2[0], higher_order=True)

**The rule.** Sort the outputs' ``grad_fn`` sequence numbers: ``s_0 < s_1 < ... < s_k``. Each
output after the first is taken to be the result of a backward pass with
``create_graph=True`` that ran after the previous one, so the nodes created by pass ``j`` are
exactly those numbered in ``(s_(j-1), s_j]``. A node numbered ``n`` gets the order of the
first window that contains it: ``min j such that n <= s_j`` (0 for the forward graph).
AccumulateGrad nodes (numbered +inf) are at the leaves, made before any pass: order 0.

**Limits** (say them when you teach with it):

* a forward op run *between* two passes (``z = grad_1[0] * x`` before differentiating ``z``)
  falls in the next window and is coloured as made by that pass;
* outputs that are not such a history (``render_graph(y0, y1, higher_order=True)`` for two
  forward results) are coloured as if they were;
* a backward pass whose result is not among the outputs merges into the next window.

What would make it exact is a stamp at creation: if the engine kept, while it runs a node under
``create_graph``, that node's order + 1 in a thread-local, and ``Node.__init__`` stored it as
``node._derivative_order`` (0 outside a backward), this module could read it instead of
inferring it from the outputs.
"""
from __future__ import annotations

import bisect
import math
from typing import Sequence

from ..autograd.node import Node


def sequence_nr(node: Node) -> float:
    """A node's sequence number; +inf for AccumulateGrad. Reads PyTorch's method form
    (``_sequence_nr()``, UINT64_MAX for AccumulateGrad) as well as the attribute form."""
    nr = node._sequence_nr
    if callable(nr):
        nr = nr()
    return math.inf if nr >= _UINT64_MAX else nr


_UINT64_MAX = 2 ** 64 - 1


def derivative_orders(ops: Sequence[Node], roots: Sequence[int]) -> list[int]:
    """The derivative order of each node of ``ops``, given the indices of the outputs' nodes."""
    seqs = [sequence_nr(node) for node in ops]
    milestones = sorted({seqs[i] for i in roots if not math.isinf(seqs[i])})
    orders = []
    for seq in seqs:
        if math.isinf(seq) or not milestones:
            orders.append(0)
        else:
            orders.append(min(bisect.bisect_left(milestones, seq), len(milestones) - 1))
    return orders
