"""Derivative order: which pass recorded each node of a higher-order graph.

The engine stamps every node when it records it (``Node.derivative_order``): 0 in a forward
pass; while a ``create_graph=True`` backward runs a node of order k, the nodes its derivative
records get order k + 1 (so the first backward's nodes are order 1, a backward through those
records order 2, ...). A node called by hand, ``y.grad_fn(g)``, records the next order too.
So ``render_graph(grad_2, higher_order=True)`` colours every pass correctly on its own, and a
forward op applied to a gradient (``z = grad_1 * x``) is correctly order 0.
"""
from __future__ import annotations

from typing import Sequence

from ..autograd.node import Node


def derivative_orders(ops: Sequence[Node]) -> list[int]:
    """The derivative order of each node (AccumulateGrad nodes, at the leaves, are 0)."""
    return [getattr(node, "derivative_order", 0) for node in ops]
