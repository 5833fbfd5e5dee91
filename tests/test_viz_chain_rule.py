"""The chain rule on the picture: ``show_grads=True`` and ``view="forward"``.

The gradients on the arrows are compared with PyTorch's (each tensor's gradient, through
``retain_grad``), the picture's structure (boxes, arrows, which way they point) with the graph,
and the learner's tensors must be exactly as they were: no ``.grad``, no hook call, the graph
still usable.
"""
from __future__ import annotations

import math

import pytest

import autograd_lab as torch
from autograd_lab.viz import render_graph
from autograd_lab.viz.forward import forward_name

try:
    from .test_viz_support import label_lines, needs_wasm, parse_dot
except ImportError:
    from test_viz_support import label_lines, needs_wasm, parse_dot


def add_mul(T):
    x = T.tensor([2.], requires_grad=True)
    w = T.tensor([1.], requires_grad=True)
    a = T.add(x, w)
    b = T.add(w, 1)
    y = T.mul(a, b)
    return x, w, a, b, y


def arrows_by_ends(source: str) -> dict[tuple[str, str], list[tuple[str, ...]]]:
    """(tail title, head title) -> the label lines of each arrow between them."""
    boxes, arrows, _ = parse_dot(source)
    found: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for arrow in arrows:
        key = (boxes[arrow.src].lines[0], boxes[arrow.dst].lines[0])
        found.setdefault(key, []).append(label_lines(arrow.attrs.get("label", "")))
    return {k: sorted(v) for k, v in found.items()}


def test_backward_view_arrows_carry_the_gradients_and_local_derivatives():
    x, w, a, b, y = add_mul(torch)
    arrows = arrows_by_ends(render_graph(y, show_grads=True).source)
    assert arrows == {
        ("y", "MulBackward0"): [("grad_fn", "\u2202y/\u2202y = [1.]")],
        ("a", "AddBackward0"): [("grad_fn", "\u2202y/\u2202a = [2.]")],
        ("b", "AddBackward0"): [("grad_fn", "\u2202y/\u2202b = [3.]")],
        ("MulBackward0", "AddBackward0"): [
            ("0", "\u2202y/\u2202a = [2.]", "local: \u2202y/\u2202a = 2."),
            ("1", "\u2202y/\u2202b = [3.]", "local: \u2202y/\u2202b = 3.")],
        ("AddBackward0", "AccumulateGrad"): [
            ("0", "\u2202y/\u2202w = [3.]", "local: \u2202b/\u2202w = 1."),
            ("0", "\u2202y/\u2202x = [2.]", "local: \u2202a/\u2202x = 1."),
            ("1", "\u2202y/\u2202w = [2.]", "local: \u2202a/\u2202w = 1.")],
        ("AccumulateGrad", "x"): [("variable", "\u2202y/\u2202x = [2.]")],
        ("AccumulateGrad", "w"): [("variable", "\u2202y/\u2202w = [5.]")],
    }


def test_gradients_on_the_arrows_are_pytorchs():
    T = pytest.importorskip("torch")
    x, w, a, b, y = add_mul(T)
    for t in (a, b):
        t.retain_grad()
    y.backward()
    ours = add_mul(torch)
    arrows = arrows_by_ends(render_graph(ours[-1], show_grads=True,
                                         names=dict(zip("xwaby", ours))).source)
    expected = {"x": x.grad, "w": w.grad, "a": a.grad, "b": b.grad}
    shown = {}
    for lines_list in arrows.values():
        for lines in lines_list:
            if lines[0] in ("grad_fn", "variable"):
                name, value = lines[1].split(" = ")
                shown[name.split("/\u2202")[1]] = value
    assert shown == {k: repr(v)[len("tensor("):-1] for k, v in expected.items()} | {"y": "[1.]"}


def test_the_learners_tensors_are_left_as_they_were():
    x, w, a, b, y = add_mul(torch)
    a.retain_grad()
    calls = []
    w.register_hook(lambda g: calls.append(("w", g.tolist())))
    y.grad_fn.register_hook(lambda gi, go: calls.append(("node", None)))
    render_graph(y, show_grads=True)
    render_graph(y, show_grads=True, view="forward")
    assert (x.grad, w.grad, a.grad, calls) == (None, None, None, [])
    # the graph was kept, and the hooks are back: a backward still works as before
    y.backward()
    assert (x.grad.tolist(), w.grad.tolist(), a.grad.tolist()) == ([2.], [5.], [2.])
    assert calls == [("node", None), ("w", [5.])]


def test_freed_buffers_give_pytorchs_error_and_change_nothing():
    x, w, a, b, y = add_mul(torch)
    y.backward()
    before = (x.grad.tolist(), w.grad.tolist())
    with pytest.raises(RuntimeError) as info:
        render_graph(y, show_grads=True)
    message = str(info.value)
    assert "Trying to backward through the graph a second time" in message
    assert "retain_graph=True" in message and "before calling backward" in message
    assert (x.grad.tolist(), w.grad.tolist()) == before


def test_after_backward_with_retain_graph_the_picture_shows_the_same_pass():
    x, w, a, b, y = add_mul(torch)
    y.backward(retain_graph=True)
    arrows = arrows_by_ends(render_graph(y, show_grads=True).source)
    assert arrows[("AccumulateGrad", "w")] == [("variable", "\u2202y/\u2202w = [5.]")]
    assert w.grad.tolist() == [5.]      # not 10: nothing was accumulated again


def test_a_non_scalar_output_needs_its_gradient_as_backward_does():
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * x
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        render_graph(y, show_grads=True)
    arrows = arrows_by_ends(render_graph(y, show_grads=torch.tensor([1., 10.])).source)
    assert arrows[("AccumulateGrad", "x")] == [("variable", "\u2202y/\u2202x = [ 2., 40.]")]
    # the local derivative is given only where it is one number
    assert all(len(lines) == 2 for lines in arrows[("MulBackward0", "AccumulateGrad")])


def test_unnamed_tensors_read_grad_and_local_derivative():
    x = torch.tensor(3., requires_grad=True)
    source = render_graph((x * x).exp(), names=False, show_grads=True).source
    arrows = arrows_by_ends(source)
    # x * x sends exp(9) * x along each of its two arrows (d(x*x)/dx = x + x)
    ((mul_to_leaf, other_arrow),) = [v for k, v in arrows.items() if k[0] == "MulBackward0"]
    assert (mul_to_leaf[0], other_arrow[0]) == ("0", "1")
    assert mul_to_leaf[1:] == other_arrow[1:]
    value = math.exp(9.) * 3
    mul_to_leaf = mul_to_leaf[1:]
    assert mul_to_leaf[0].startswith("grad = ")
    assert float(mul_to_leaf[0].split(" = ")[1]) == pytest.approx(value, rel=1e-4)
    assert mul_to_leaf[1] == "local derivative = 3."


def test_forward_view_draws_data_flow_from_inputs_to_output():
    x, w, a, b, y = add_mul(torch)
    boxes, arrows, graph = parse_dot(render_graph(y, view="forward").source)
    title = {i: box.lines[0] for i, box in boxes.items()}
    ends = sorted((title[arr.src], title[arr.dst], "".join(label_lines(
        arr.attrs.get("label", "")))) for arr in arrows)
    assert ends == sorted([
        ("x", "add", "0"), ("w", "add", "1"), ("add", "a", ""),
        ("w", "add", "0"), ("constant", "add", "1"), ("add", "b", ""),
        ("a", "mul", "0"), ("b", "mul", "1"), ("mul", "y", "")])
    ops = {box.lines for box in boxes.values() if box.kind == "forward_op"}
    assert ops == {("add", "grad_fn: AddBackward0"), ("mul", "grad_fn: MulBackward0")}
    kinds = {title[i]: box.kind for i, box in boxes.items()}
    assert kinds["x"] == kinds["w"] == "leaf" and kinds["y"] == "output"
    assert kinds["a"] == kinds["b"] == "tensor" and kinds["constant"] == "constant"
    assert "arrows: data flows from inputs to output" in graph["label"]
    assert "next_functions" not in graph["label"]


def test_forward_view_names_saved_constants_and_shapes_unnamed_tensors():
    b = torch.tensor(1.0, requires_grad=True)
    w = torch.tensor(2.0, requires_grad=True)
    x = torch.tensor(3.0)
    out = torch.relu(w * x + b).sum()
    boxes, _, _ = parse_dot(render_graph(out, view="forward", show_grads=True).source)
    lines = {box.lines[0]: box.lines for box in boxes.values()}
    assert lines["x"][:3] == ("x", "scalar", "tensor(3.)")      # MulBackward0 saved it
    plain = [box.lines for box in boxes.values() if box.kind == "forward_tensor"]
    assert plain == [("tensor", "scalar")] * 3                   # w * x, + b, relu
    assert lines["w"][-1] == "\u2202out/\u2202w = 3. (into .grad)"
    assert lines["b"][-1] == "\u2202out/\u2202b = 1. (into .grad)"


def test_forward_names_of_operations():
    x = torch.tensor([1., 2.], requires_grad=True)
    assert forward_name(torch.mul(x, 2).grad_fn) == "mul"
    assert forward_name(x.exp().grad_fn) == "exp"
    assert forward_name(x.sum().grad_fn) == "sum"
    assert forward_name((x @ x).grad_fn) == "dot"

    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t * t

        @staticmethod
        def backward(ctx, g):
            return g
    assert forward_name(Square.apply(x).grad_fn) == "Square.apply"


def test_view_must_be_known():
    x, w, a, b, y = add_mul(torch)
    with pytest.raises(ValueError, match=r"view must be one of \('backward', 'forward'\)"):
        render_graph(y, view="sideways")


def test_forward_picture_exports_as_png_and_pdf():
    needs_wasm()
    try:
        from .test_viz_export import needs_png
    except ImportError:
        from test_viz_export import needs_png
    needs_png()
    x, w, a, b, y = add_mul(torch)
    picture = render_graph(y, view="forward", show_grads=True)
    assert picture.png()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = picture.pdf()
    assert b"/Count 1" in pdf and b"/BaseFont /Symbol" in pdf   # the partial-derivative sign


def test_backward_only_options_are_refused_in_the_forward_view():
    x, w, a, b, y = add_mul(torch)
    with pytest.raises(ValueError, match="show_saved draws on the backward graph"):
        render_graph(y, view="forward", show_saved=True)
    with pytest.raises(ValueError, match="highlight, higher_order|higher_order, highlight"):
        render_graph(y, view="forward", highlight=[y, x], higher_order=True)


def test_arrow_values_are_the_ones_the_motion_player_replays():
    """The same program twice: one graph drawn with show_grads, the other run by backward()
    under the player's recorder; every arrow carries the same array in both."""
    import numpy as np
    from autograd_lab.autograd.trace import record_backward
    from autograd_lab.viz.gradflow import gradient_flow
    from autograd_lab.viz.names import Names
    from autograd_lab.viz.passstate import Start, replay
    from autograd_lab.viz.walk import walk

    def program():
        torch.manual_seed(0)
        w = torch.randn(3, requires_grad=True)
        x = torch.randn(3)
        h = (w * x).tanh()
        return (h * w + h.exp()).sum()

    drawn = program()
    model = walk([drawn], Names())
    flow = gradient_flow(model, [drawn])
    played = program()
    other = walk([played], Names())
    start = Start.of(other)
    with record_backward() as recorded:
        played.backward()
    last = replay(recorded.all[0], other, start)[-1]
    assert set(flow.sent) == set(last.sent) and len(flow.sent) == 8
    for edge, sent in last.sent.items():
        np.testing.assert_array_equal(flow.sent[edge], sent.value)


def test_a_long_chain_gets_its_gradients_too():
    t = torch.tensor(1.0, requires_grad=True)
    u = t
    for _ in range(20_000):
        u = u * 1.0
    boxes, arrows, _ = parse_dot(render_graph(u, show_grads=True, names=False).source)
    assert any(b.kind == "group" for b in boxes.values())          # folded
    labels = [label_lines(a.attrs["label"]) for a in arrows if "label" in a.attrs]
    assert ("grad_fn", "grad = 1.") in labels and ("variable", "grad = 1.") in labels


def test_forward_view_refuses_a_graph_beyond_max_nodes():
    t = torch.tensor(1.0, requires_grad=True)
    u = t
    for _ in range(200):
        u = u * 1.0
    with pytest.raises(ValueError, match=r"201 nodes, more than max_nodes=120"):
        render_graph(u, view="forward")
    boxes, _, _ = parse_dot(render_graph(u, view="forward", max_nodes=300).source)
    assert sum(1 for b in boxes.values() if b.kind == "forward_op") == 200
