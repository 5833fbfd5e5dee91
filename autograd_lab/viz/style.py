"""The colours of a graph picture and the legend that explains them.

One ``Look`` per kind of box; ``LEGEND`` says in words what each colour means. The docstring of
``render_graph`` repeats this table, and ``tests/test_viz_style.py`` checks that they agree.
"""
from __future__ import annotations

from typing import NamedTuple


class Look(NamedTuple):
    """How one kind of box is drawn (Graphviz attribute values)."""

    fill: str
    border: str
    style: str = "filled"
    shape: str = "box"


# Tensors are square-cornered boxes, backward nodes rounded ones.
LOOKS: dict[str, Look] = {
    "output": Look("#dcfce7", "#15803d"),
    "leaf": Look("#dbeafe", "#1d4ed8"),
    "constant": Look("#f1f5f9", "#94a3b8"),
    "tensor": Look("#fef9c3", "#a16207"),
    "saved": Look("#ffedd5", "#c2410c"),
    "saved_freed": Look("#f5f5f4", "#a8a29e", "filled,dashed"),
    "saved_stale": Look("#fee2e2", "#b91c1c", "filled,bold"),
    "op": Look("#f1f5f9", "#475569", "filled,rounded"),
    "accumulate": Look("#e0f2fe", "#0369a1", "filled,rounded"),
    "custom": Look("#f3e8ff", "#7e22ce", "filled,rounded"),
    "stale_op": Look("#fee2e2", "#b91c1c", "filled,rounded,bold"),
    "group": Look("#fafaf9", "#78716c", "filled,rounded,dashed"),
    "none": Look("#ffffff", "#cbd5e1", "filled,dashed", "box"),
    # view="forward": operations, and the tensors between them that no variable names
    "forward_op": Look("#f1f5f9", "#475569", "filled", "ellipse"),
    "forward_tensor": Look("#fffbeb", "#d6b56d", "filled"),
}

# Backward nodes coloured by the backward pass that created them (``higher_order=True``):
# order 0 is the forward graph, order 1 was recorded by the first backward, and so on.
ORDER_LOOKS: tuple[Look, ...] = (
    LOOKS["op"],
    Look("#fef3c7", "#b45309", "filled,rounded"),
    Look("#fce7f3", "#be185d", "filled,rounded"),
    Look("#ccfbf1", "#0f766e", "filled,rounded"),
    Look("#e0e7ff", "#4338ca", "filled,rounded"),
)

HIGHLIGHT = "#e11d48"
EDGE = "#64748b"
EDGE_TEXT = "#475569"
TEXT = "#1f2937"
FONT = "Helvetica"


def order_look(order: int) -> Look:
    return ORDER_LOOKS[order % len(ORDER_LOOKS)] if order else ORDER_LOOKS[0]


ORDER_NAMES = ("forward graph", "1st backward (create_graph=True)",
               "2nd backward", "3rd backward")


def order_meaning(order: int) -> str:
    if order < len(ORDER_NAMES):
        name = ORDER_NAMES[order]
    else:
        name = f"{order}th backward"
    return f"{name}: derivative order {order}" if order else f"{name}: derivative order 0"


# What each kind means, in the order the legend lists them.
LEGEND: dict[str, str] = {
    "output": "output tensor (what was drawn)",
    "leaf": "leaf tensor: AccumulateGrad adds into its .grad",
    "constant": "tensor that needs no gradient",
    "tensor": "intermediate tensor (named, retained or saved)",
    "forward_tensor": "intermediate tensor no variable names",
    "forward_op": "operation, and the grad_fn it recorded",
    "op": "backward node (grad_fn); arrows follow next_functions",
    "accumulate": "AccumulateGrad: where a gradient reaches a leaf",
    "custom": "custom autograd.Function node",
    "saved": "saved tensor (kept for backward)",
    "saved_freed": "saved tensor freed by backward (retain_graph=False)",
    "saved_stale": "saved tensor modified in place since it was saved",
    "stale_op": "backward fails here: a saved tensor was modified",
    "group": "collapsed: many nodes summarised in one",
    "none": "None: an input that needs no gradient",
}

EDGE_NOTE = "arrow label i: next_functions[i]; 'input k': its second element"
FORWARD_NOTE = "arrows: data flows from inputs to output (backward goes back)"
# show_grads=True: what the green arrow labels mean
GRADS_NOTE = ("green \u2202y/\u2202a: the gradient that flows back along the arrow",
              "local: the node's own derivative (grad = grad before \u00d7 local)")
GRADS_NOTE_STYLES = ("g", "m")
