"""Shared by the motion tests: the seeds' passes, PyTorch's own record of them, SVG readers.

``torch_pass(program, ...)`` runs a program of ``test_viz_support`` on PyTorch with a pre-hook
and a hook on every node, and returns the order the nodes ran in (as walk indices: breadth first
from the output, as ``render_graph`` numbers them), what each received and what each returned.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable

import numpy as np
import pytest

try:
    from .test_viz_support import (add_mul, cat_y0_y1, grad_of_square, relu_wx_b,
                                   square_function, torch_structure)
except ImportError:
    from test_viz_support import (add_mul, cat_y0_y1, grad_of_square, relu_wx_b,
                                  square_function, torch_structure)

__all__ = ["add_mul", "cat_y0_y1", "grad_of_square", "relu_wx_b", "square_function",
           "branch", "PASSES", "torch_pass", "arrays", "group_classes", "running_ids",
           "player_data", "player_frame_groups"]


def branch(T: Any) -> tuple[list, dict]:
    """``b = a + a; c = b + b``: two arrows into each node (DESIGN.md's topological example)."""
    a = T.tensor([1.], requires_grad=True)
    b = a + a
    c = b + b
    return [c], dict(a=a, b=b, c=c)


def _ones2(T: Any) -> Any:
    return T.tensor([1., 1.])


def _one_two(T: Any) -> Any:
    return T.tensor([1., 2.])


# name -> (program, gradient maker or None): the backward() passes of the seeds
PASSES: dict[str, tuple[Callable, Callable | None]] = {
    "add_mul": (add_mul, None),                   # seed 000 In[7], 003 In[3]
    "cat_ones": (cat_y0_y1, _ones2),              # seed 000 In[16]: grad_tensors [1, 1]
    "cat_one_two": (cat_y0_y1, _one_two),         # seed 003 In[4]: gradient [1, 2]
    "relu": (relu_wx_b, None),                    # seed 004 In[2]
    "square_function": (square_function, None),   # seed 004: a custom Function
    "branch": (branch, None),
}


def torch_pass(program: Callable, gradient: Callable | None = None) -> dict:
    """PyTorch's own run of ``program``'s backward: order, grads in/out, leaf grads."""
    torch = pytest.importorskip("torch")
    outputs, names = program(torch)
    out = outputs[0]
    _, _, index = torch_structure([out])
    order: list[int] = []
    grads_in: dict[int, list] = {}
    grads_out: dict[int, list] = {}
    def before(i: int) -> Callable:
        def hook(grad_outputs: tuple) -> None:
            order.append(i)
            grads_in[i] = arrays(grad_outputs)
        return hook

    def after(i: int) -> Callable:
        def hook(grad_inputs: tuple, grad_outputs: tuple) -> None:
            grads_out[i] = arrays(grad_inputs)
        return hook

    for fn, i in index.items():
        fn.register_prehook(before(i))
        if "AccumulateGrad" not in fn.name():
            fn.register_hook(after(i))
    out.backward(gradient(torch) if gradient else None)
    leaves = {name: t.grad.tolist() for name, t in names.items()
              if t.is_leaf and t.requires_grad}
    return {"order": order, "in": grads_in, "out": grads_out, "leaves": leaves}


def arrays(values: Any) -> list:
    """Gradients as nested lists (None stays None), for comparing across libraries."""
    out = []
    for v in values:
        if v is None:
            out.append(None)
        elif isinstance(v, np.ndarray):
            out.append(v.tolist())
        else:
            out.append(v.detach().numpy().tolist())
    return out


# -- reading pictures ---------------------------------------------------------------------------
_GROUP = re.compile(r'<g id="([^"]+)" class="(?:node|edge)([^"]*)">')


def group_classes(svg: str) -> dict[str, set[str]]:
    """Every box and arrow of a frame with an id: its classes (kind and state)."""
    return {m.group(1): set(m.group(2).split()) for m in _GROUP.finditer(svg)}


def running_ids(svg: str) -> list[str]:
    """The boxes drawn as running in a frame."""
    return [i for i, classes in group_classes(svg).items() if "running" in classes]


def group_texts(svg: str, group_id: str) -> list[str]:
    """The text lines of one box or arrow."""
    match = re.search(rf'<g id="{re.escape(group_id)}" class="[^"]*">(.*?)</g>', svg, re.S)
    assert match, group_id
    import html
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", match.group(1))]


def player_data(page: str) -> dict:
    """The frames data stored in an HTML player."""
    match = re.search(r'<script type="application/json" class="agm-data">(.*?)</script>', page,
                      re.S)
    assert match
    return json.loads(match.group(1).replace("<\\/", "</"))


def player_frame_groups(page: str, k: int) -> dict[str, str]:
    """The rewritten groups of frame ``k`` as the player's script builds them (its logic, in
    Python): frame 0's groups, then each later frame's changes in turn."""
    data = player_data(page)
    groups = dict(data["first"])
    for j in range(1, k + 1):
        groups.update(data["frames"][j])
    return groups
