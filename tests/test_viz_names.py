"""Names on the boxes: from the caller's variables, from frames further out when the caller is
a helper function, or from an explicit ``names=`` mapping (either way round)."""
from __future__ import annotations

import pytest

import autograd_lab as torch
from autograd_lab.viz import render_graph

try:
    from .test_viz_support import parse_dot
except ImportError:
    from test_viz_support import parse_dot


def titles(picture) -> dict[str, str]:
    """Tensor box id -> its first label line (the name, or the role)."""
    boxes, _, _ = parse_dot(picture.source)
    return {i: b.lines[0] for i, b in boxes.items() if i.startswith("t")}


def show(t, **kwargs):
    """A helper as a notebook would write one: its only name for the tensor is ``t``."""
    return render_graph(t, **kwargs)


def recurse(t, depth):
    return show(t) if depth == 0 else recurse(t, depth - 1)


def make():
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(x, w)
    y = torch.mul(a, torch.add(w, 1))
    return x, w, a, y


def test_called_directly_the_callers_variables_name_the_boxes():
    x, w, a, y = make()
    assert sorted(titles(render_graph(y)).values()) == ["a", "w", "x", "y"]


def test_inside_a_helper_the_names_come_from_further_out():
    x, w, a, y = make()
    assert sorted(titles(show(y)).values()) == ["a", "w", "x", "y"]
    assert titles(show(y)) == titles(render_graph(y))
    # however deep the helper recursion, a loop (not a recursion) finds them
    assert sorted(titles(recurse(y, 300)).values()) == ["a", "w", "x", "y"]


def test_a_helper_that_names_everything_itself_keeps_its_names():
    def own():
        p = torch.tensor(3., requires_grad=True)
        q = p * 2
        return render_graph(q)
    assert sorted(titles(own()).values()) == ["p", "q"]


def test_a_helper_names_what_outer_frames_do_not():
    def inner(t):
        hidden = torch.tensor([5.], requires_grad=True)
        return render_graph(t * hidden)
    x, w, a, y = make()
    names = sorted(titles(inner(y)).values())
    # the output of t * hidden has no variable anywhere; 'hidden' only in the helper
    assert names == ["a", "hidden", "output", "w", "x", "y"]


def test_names_false_and_explicit_mappings_either_way_round():
    x, w, a, y = make()
    assert sorted(titles(show(y, names=False)).values()) == ["leaf tensor", "leaf tensor",
                                                            "output"]
    by_tensor = titles(render_graph(y, names={x: "input", y: "result"}))
    by_name = titles(render_graph(y, names={"input": x, "result": y}))
    assert by_tensor == by_name
    assert sorted(by_tensor.values()) == ["input", "leaf tensor", "result"]


def test_a_bad_mapping_says_what_names_expects():
    x, w, a, y = make()
    with pytest.raises(TypeError, match=r"names= maps names to tensors \(\{'x': x\}\)"):
        render_graph(y, names={"x": 3})
