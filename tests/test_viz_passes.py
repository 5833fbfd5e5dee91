"""What a backward pass leaves in the picture: freed saved tensors, saved tensors modified in
place (the node a backward fails at), derivative orders of higher-order graphs, highlighted
paths and the legend."""
import pytest

import autograd_lab as torch
from autograd_lab.viz import render_graph, style
from autograd_lab.viz.orders import derivative_orders

try:
    from .test_viz_support import add_mul, grad_of_square, label_lines, parse_dot, relu_wx_b
except ImportError:
    from test_viz_support import add_mul, grad_of_square, label_lines, parse_dot, relu_wx_b

FREED = ("freed by backward", "(retain_graph=False)")


def boxes_of(*outputs, **kwargs):
    kwargs.setdefault("legend", False)
    return parse_dot(render_graph(*outputs, **kwargs).source)


def test_saved_tensors_are_marked_freed_after_backward_without_retain_graph():
    outputs, names = add_mul(torch)
    y = outputs[0]
    y.backward()
    boxes, _, _ = boxes_of(y, names=names, show_saved=True)
    assert {i: (b.kind, b.lines) for i, b in boxes.items() if i.startswith("n0")} == {
        "n0": ("op", ("MulBackward0", "saved tensors freed")),
        "n0_s0": ("saved_freed", ("saved self", *FREED)),
        "n0_s1": ("saved_freed", ("saved other", *FREED)),
    }
    assert boxes["n1"].lines == ("AddBackward0", "alpha = 1")  # saves no tensor: nothing freed
    # the picture told the truth: a second backward fails at that node
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()
    boxes, _, _ = boxes_of(y, names=names)                    # without show_saved too
    assert boxes["n0"].lines == ("MulBackward0", "saved tensors freed")


def test_retained_graph_keeps_saved_tensors():
    outputs, names = add_mul(torch)
    y = outputs[0]
    y.backward(retain_graph=True)
    boxes, _, _ = boxes_of(y, names=names, show_saved=True)
    assert boxes["n0"].lines == ("MulBackward0",)
    assert {i: (b.kind, b.lines) for i, b in boxes.items() if i.startswith("n0_")} == {
        "n0_s0": ("saved", ("saved self", "= a", "shape [1]", "tensor([3.])", "version 0")),
        "n0_s1": ("saved", ("saved other", "= b", "shape [1]", "tensor([2.])", "version 0")),
    }


def test_saved_tensor_modified_in_place_marks_where_backward_fails():
    z = torch.tensor([1., 2.], requires_grad=True)
    p = z * 2
    q = p * p
    p.add_(1)
    boxes, _, _ = boxes_of(q, names={"z": z, "p": p, "q": q}, show_saved=True)
    assert (boxes["n0"].kind, boxes["n0"].lines) == (
        "stale_op", ("MulBackward0", "saved self, other modified in place:",
                     "backward fails here"))
    assert boxes["n0"].attrs["class"].split()[-1] == "lines_TWW"
    for j, name in enumerate(("self", "other")):
        assert (boxes[f"n0_s{j}"].kind, boxes[f"n0_s{j}"].lines) == (
            "saved_stale", (f"saved {name}", "= p", "shape [2]", "tensor([3., 5.])",
                            "saved at version 0, now 1"))
    assert boxes["n1"].kind == "op"                            # z * 2 saved nothing stale
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        q.sum().backward()


def test_higher_order_nodes_are_coloured_by_the_pass_that_made_them():
    outputs, names = grad_of_square(torch)
    boxes, _, graph = parse_dot(render_graph(*outputs, names=names, higher_order=True).source)
    ops = {i: (b.lines, b.attrs["class"].split()[1], b.attrs["fillcolor"])
           for i, b in boxes.items() if i.startswith("n")}
    order1 = style.ORDER_LOOKS[1].fill
    assert ops == {
        "n0": (("PowBackward0",), "order0", style.ORDER_LOOKS[0].fill),         # y = x ** 2
        "n1": (("MulBackward0", "derivative order 1"), "order1", order1),       # grad * (..)
        "n2": (("AccumulateGrad",), "order0", style.LOOKS["accumulate"].fill),  # x
        "n3": (("MulBackward1", "derivative order 1"), "order1", order1),       # (..) * 2
        "n4": (("PowBackward0", "derivative order 1"), "order1", order1),       # x ** 1
    }
    assert "forward graph: derivative order 0" in graph["label"]
    assert "1st backward (create_graph=True): derivative order 1" in graph["label"]


def test_third_graph_gets_order_two_exactly_where_the_second_pass_made_nodes():
    x = torch.tensor([3.], requires_grad=True)
    y = x ** 3
    g1, = torch.autograd.grad(y, x, create_graph=True)
    g2, = torch.autograd.grad(g1, x, create_graph=True)
    boxes, _, _ = boxes_of(y, g1, g2, names=False, higher_order=True)
    reach = [_reachable(t.grad_fn) for t in (y, g1, g2)]
    expected = {}
    for order, nodes in enumerate(reach):
        for node in nodes:
            expected.setdefault(id(node), 0 if node.name().endswith("AccumulateGrad")
                                else order)
    shown = {i: int(b.attrs["class"].split()[1][5:]) for i, b in boxes.items()
             if i.startswith("n")}
    walked = _walk_order([y.grad_fn, g1.grad_fn, g2.grad_fn])
    assert shown == {f"n{i}": expected[id(node)] for i, node in enumerate(walked)}
    assert set(shown.values()) == {0, 1, 2}


def test_orders_come_from_the_engine_so_the_last_result_alone_is_enough():
    x = torch.tensor([3.], requires_grad=True)
    y = x ** 3
    g1, = torch.autograd.grad(y, x, create_graph=True)
    g2, = torch.autograd.grad(g1, x, create_graph=True)
    alone, _, _ = boxes_of(g2, names=False, higher_order=True)
    walked = _walk_order([g2.grad_fn])
    assert [int(alone[f"n{i}"].attrs["class"].split()[1][5:]) for i in range(len(walked))] \
        == derivative_orders(walked)
    assert derivative_orders([y.grad_fn, g1.grad_fn, g2.grad_fn]) == [0, 1, 2]
    ops_only = [n for n in walked if not n.name().endswith("AccumulateGrad")]
    assert set(derivative_orders(ops_only)) == {2}  # 6x: all recorded by the 2nd pass


def test_a_forward_op_on_a_gradient_is_order_zero():
    x = torch.tensor([3.], requires_grad=True)
    y = x ** 2
    g1, = torch.autograd.grad(y, x, create_graph=True)
    z = g1 * x                                       # a forward op on the gradient
    boxes, _, _ = boxes_of(y, g1, z, names=False, higher_order=True)
    assert boxes["n2"].lines == ("MulBackward0",)    # z's own node: plain forward, order 0
    assert boxes["n2"].attrs["class"].split()[1] == "order0"


def test_highlight_marks_the_path_between_two_tensors():
    outputs, names = relu_wx_b(torch)
    boxes, arrows, _ = boxes_of(*outputs, names=names, highlight=[names["a"], names["w"]])
    marked = {boxes[i].lines[0] for i, b in boxes.items() if b.attrs.get("penwidth") == "3"}
    assert marked == {"a", "ReluBackward0", "AddBackward0", "MulBackward0", "w"} | {
        "AccumulateGrad"}
    acc_b = next(a.src for a in arrows if a.dst in boxes and boxes[a.dst].lines[0] == "b")
    assert boxes[acc_b].attrs.get("penwidth") is None          # b's branch is not on the path
    assert {(boxes[a.src].lines[0], boxes[a.dst].lines[0]) for a in arrows
            if a.attrs.get("penwidth") == "2.5"} == {
        ("a", "ReluBackward0"), ("ReluBackward0", "AddBackward0"),
        ("AddBackward0", "MulBackward0"), ("MulBackward0", "AccumulateGrad"),
        ("AccumulateGrad", "w")}
    with pytest.raises(TypeError, match="highlight"):
        render_graph(*outputs, highlight=["a"])


def test_legend_lists_the_kinds_drawn_and_nothing_else():
    outputs, names = add_mul(torch)
    _, _, graph = parse_dot(render_graph(*outputs, names=names).source)
    assert label_lines(graph["label"]) == (
        "\u00a0", "Legend", "■ " + style.LEGEND["output"], "■ " + style.LEGEND["leaf"],
        "■ " + style.LEGEND["tensor"], "■ " + style.LEGEND["op"],
        "■ " + style.LEGEND["accumulate"], style.EDGE_NOTE)
    assert graph["class"].split()[2:8] == [
        "swatch_none", "swatch_none", "swatch_dcfce7_15803d", "swatch_dbeafe_1d4ed8", "swatch_fef9c3_a16207",
        "swatch_f1f5f9_475569"]
    _, _, graph = parse_dot(render_graph(*outputs, names=names, legend=False).source)
    assert "label" not in graph


def test_every_colour_has_a_meaning_in_the_legend():
    assert set(style.LEGEND) == set(style.LOOKS)


def _reachable(root):
    seen, stack = [], [root]
    while stack:
        node = stack.pop()
        if node is None or any(node is s for s in seen):
            continue
        seen.append(node)
        stack.extend(fn for fn, _ in node.next_functions)
    return seen


def _walk_order(roots):
    from collections import deque
    order, queue = [], deque()
    for r in roots:
        if not any(r is o for o in order):
            order.append(r)
            queue.append(r)
    while queue:
        for fn, _ in queue.popleft().next_functions:
            if fn is not None and not any(fn is o for o in order):
                order.append(fn)
                queue.append(fn)
    return order
