"""The DOT of the seeds' graphs: exact boxes, arrows (with next_functions positions), labels and
colours, and the same structure as PyTorch's own graph for the same code."""
import pytest

import autograd_lab as torch
from autograd_lab.viz import render_graph, style

try:
    from .test_viz_support import (SEED_GRAPHS, add_mul, cat_y0_y1, edge_set, parse_dot,
                                   relu_wx_b, square_function, torch_structure)
except ImportError:
    from test_viz_support import (SEED_GRAPHS, add_mul, cat_y0_y1, edge_set, parse_dot,
                                  relu_wx_b, square_function, torch_structure)

LEAF = ("requires_grad=True, is_leaf=True",)
NON_LEAF = ("requires_grad=True, is_leaf=False",)
NOT_COMPUTED = ("grad: None (not computed yet)",)
NOT_KEPT = ("grad: not kept (non-leaf)",)


def picture(outputs, names, **kwargs):
    kwargs.setdefault("legend", False)
    return parse_dot(render_graph(*outputs, names=names, **kwargs).source)


def lines(boxes):
    return {node_id: box.lines for node_id, box in boxes.items()}


def test_add_mul_boxes_arrows_and_labels():
    outputs, names = add_mul(torch)
    boxes, arrows, _ = picture(outputs, names)
    assert lines(boxes) == {
        "t0": ("y", "shape [1]", "tensor([6.])", *NON_LEAF, *NOT_KEPT),
        "t1": ("a", "shape [1]", "tensor([3.])", *NON_LEAF, "retains_grad=True",
               *NOT_COMPUTED),
        "t2": ("b", "shape [1]", "tensor([2.])", *NON_LEAF, *NOT_KEPT),
        "t3": ("x", "shape [1]", "tensor([2.])", *LEAF, *NOT_COMPUTED),
        "t4": ("w", "shape [1]", "tensor([1.])", *LEAF, *NOT_COMPUTED),
        "n0": ("MulBackward0",), "n1": ("AddBackward0",), "n2": ("AddBackward0",),
        "n3": ("AccumulateGrad",), "n4": ("AccumulateGrad",),
    }
    assert {i: b.kind for i, b in boxes.items()} == {
        "t0": "output", "t1": "tensor", "t2": "tensor", "t3": "leaf", "t4": "leaf",
        "n0": "op", "n1": "op", "n2": "op", "n3": "accumulate", "n4": "accumulate"}
    assert edge_set(arrows) == {
        ("n0", "n1", "0"), ("n0", "n2", "1"),        # y.grad_fn.next_functions
        ("n1", "n3", "0"), ("n1", "n4", "1"),        # a = x + w
        ("n2", "n4", "0"),                           # b = w + 1: the 1 needs no gradient
        ("t0", "n0", "grad_fn"), ("t1", "n1", "grad_fn"), ("t2", "n2", "grad_fn"),
        ("n3", "t3", "variable"), ("n4", "t4", "variable")}
    assert len(arrows) == 10


def test_each_kind_has_its_colours():
    outputs, names = add_mul(torch)
    boxes, _, _ = picture(outputs, names)
    for box in boxes.values():
        look = style.LOOKS[box.kind]
        assert (box.attrs["fillcolor"], box.attrs["color"], box.attrs["style"]) == (
            look.fill, look.border, look.style)


def test_grads_after_backward_tell_computed_from_not_computed_and_zero():
    outputs, names = add_mul(torch)
    outputs[0].backward()
    boxes, _, _ = picture(outputs, names)
    assert boxes["t1"].lines[-1] == "grad = tensor([2.])"     # a retains its grad
    assert boxes["t2"].lines[-1] == NOT_KEPT[0]               # b does not
    assert boxes["t3"].lines[-1] == "grad = tensor([2.])"     # x
    assert boxes["t4"].lines[-1] == "grad = tensor([5.])"     # w
    names["w"].grad.zero_()
    boxes, _, _ = picture(outputs, names)
    assert boxes["t4"].lines[-1] == "grad = tensor([0.])"     # zero is not "not computed"
    assert boxes["t4"].attrs["class"].split()[-1] == "lines_TMVMG"


def test_cat_of_two_outputs():
    outputs, names = cat_y0_y1(torch)
    boxes, arrows, _ = picture(outputs, names)
    ops = {i: b.lines[0] for i, b in boxes.items() if i.startswith("n")}
    assert ops == {"n0": "CatBackward0", "n1": "MulBackward0", "n2": "AddBackward0",
                   "n3": "AddBackward0", "n4": "AddBackward0", "n5": "AccumulateGrad",
                   "n6": "AccumulateGrad"}
    op_edges = {e for e in edge_set(arrows) if e[0].startswith("n") and e[1].startswith("n")}
    assert op_edges == {("n0", "n1", "0"), ("n0", "n2", "1"),
                        ("n1", "n3", "0"), ("n1", "n4", "1"),
                        ("n2", "n3", "0"), ("n2", "n4", "1"),
                        ("n3", "n5", "0"), ("n3", "n6", "1"), ("n4", "n6", "0")}
    titles = {boxes[e[0]].lines[0]: e[1] for e in edge_set(arrows) if e[2] == "grad_fn"}
    assert titles == {"loss": "n0", "y0": "n1", "y1": "n2", "a": "n3", "b": "n4"}


def test_several_outputs_as_arguments_or_a_list():
    outputs, names = cat_y0_y1(torch)
    y0, y1 = names["y0"], names["y1"]
    spread = render_graph(y0, y1, names=names).source
    assert render_graph([y0, y1], names=names).source == spread
    boxes, _, _ = parse_dot(spread)
    assert [(i, b.kind, b.lines[0]) for i, b in boxes.items() if b.kind == "output"] == [
        ("t0", "output", "y0"), ("t1", "output", "y1")]
    boxes, _, _ = parse_dot(render_graph(y0, y1, names=False).source)
    assert [b.lines[0] for b in boxes.values() if b.kind == "output"] == ["output 0",
                                                                         "output 1"]


def test_relu_with_saved_tensors_and_none_inputs():
    outputs, names = relu_wx_b(torch)
    boxes, arrows, _ = picture(outputs, names, show_saved=True, show_none=True)
    assert lines({i: b for i, b in boxes.items() if i.startswith("n")}) == {
        "n0": ("ReluBackward0",),
        "n0_s0": ("saved result", "= a", "scalar", "tensor(7.)", "version 0"),
        "n1": ("AddBackward0", "alpha = 1"),
        "n2": ("MulBackward0",),
        "n2_s0": ("saved other", "= x", "scalar", "tensor(3.)", "version 0"),
        "n2_none1": ("None",),
        "n3": ("AccumulateGrad",), "n4": ("AccumulateGrad",),
    }
    assert boxes["n0_s0"].kind == boxes["n2_s0"].kind == "saved"
    assert {e for e in edge_set(arrows) if e[0].startswith("n")} == {
        ("n0", "n1", ""), ("n1", "n2", "0"), ("n1", "n3", "1"),
        ("n2", "n4", "0"), ("n2", "n2_none1", "1"),
        ("n0", "n0_s0", ""), ("n2", "n2_s0", ""),
        ("n3", "t3", "variable"), ("n4", "t4", "variable")}


def test_saved_tensor_is_its_own_box_even_when_it_is_an_input():
    x = torch.tensor([3.], requires_grad=True)
    y = x * x
    boxes, arrows, _ = picture([y], dict(x=x, y=y), show_saved=True)
    saved = {i: b.lines[:2] for i, b in boxes.items() if b.kind == "saved"}
    assert saved == {"n0_s0": ("saved self", "= x"), "n0_s1": ("saved other", "= x")}
    assert boxes["t1"].lines[0] == "x" and boxes["t1"].kind == "leaf"
    assert ("n0", "n1", "0") in edge_set(arrows) and ("n0", "n1", "1") in edge_set(arrows)


def test_custom_function_node_is_distinct():
    outputs, names = square_function(torch)
    boxes, arrows, _ = picture(outputs, names, show_saved=True)
    assert boxes["n0"].kind == "custom"
    assert boxes["n0"].lines == ("SquareFunctionBackward", "custom Function")
    assert (boxes["n0"].attrs["fillcolor"], boxes["n0"].attrs["color"]) == (
        style.LOOKS["custom"].fill, style.LOOKS["custom"].border)
    assert boxes["n0_s0"].lines[:2] == ("saved_tensors[0]", "= x")
    assert edge_set(arrows) == {("t0", "n0", "grad_fn"), ("n0", "n1", ""),
                                ("n1", "t1", "variable"), ("n0", "n0_s0", "")}


def test_same_input_twice_gives_two_numbered_arrows():
    a = torch.tensor([1.], requires_grad=True)
    b = a + a
    c = b + b
    _, arrows, _ = picture([c], dict(a=a, b=b, c=c))
    assert [(x.src, x.dst, x.label) for x in arrows if x.src[0] == "n" and x.dst[0] == "n"] \
        == [("n0", "n1", "0"), ("n0", "n1", "1"), ("n1", "n2", "0"), ("n1", "n2", "1")]


def test_second_element_of_next_functions_is_shown_for_multi_output_nodes():
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    u0, u1, u2 = torch.unbind(x)
    s = u0 * u2
    boxes, arrows, _ = picture([s], dict(x=x, u0=u0, u1=u1, u2=u2, s=s))
    assert boxes["n1"].lines == ("UnbindBackward0",)
    assert [(a.src, a.dst, a.label) for a in arrows if a.src == "n0"] == [
        ("n0", "n1", "0 → input 0"), ("n0", "n1", "1 → input 2")]
    grad_fn_edges = {boxes[a.src].lines[0]: a.label for a in arrows
                     if a.dst == "n1" and a.src.startswith("t")}
    assert grad_fn_edges == {"u0": "grad_fn (output_nr 0)", "u1": "grad_fn (output_nr 1)",
                             "u2": "grad_fn (output_nr 2)"}


def test_node_as_root_and_lonely_tensors():
    outputs, names = add_mul(torch)
    boxes, _, _ = picture([outputs[0].grad_fn], {})
    assert sorted(i for i in boxes if i.startswith("n")) == ["n0", "n1", "n2", "n3", "n4"]
    assert all(b.kind != "output" for b in boxes.values())
    c = torch.tensor([1.])
    boxes, arrows, _ = picture([c], dict(c=c))
    assert lines(boxes) == {"t0": ("c", "shape [1]", "tensor([1.])",
                                   "requires_grad=False, is_leaf=True",
                                   "no graph: requires_grad=False")}
    assert boxes["t0"].kind == "constant" and arrows == []


def test_dtype_shown_when_not_float32_and_values_hidden_when_large():
    x = torch.ones(2, dtype=torch.float64, requires_grad=True)
    big = torch.ones(5, 5, requires_grad=True)
    y = (x * 2).sum() + big.sum()
    boxes, _, _ = picture([y], dict(x=x, big=big, y=y))
    by_title = {b.lines[0]: b.lines for b in boxes.values() if b.kind == "leaf"}
    assert by_title["x"][:3] == ("x", "shape [2], torch.float64",
                                  "tensor([1., 1.], dtype=torch.float64)")
    assert by_title["big"][:3] == ("big", "shape [5, 5]", *LEAF)
    boxes, _, _ = picture([y], dict(x=x, big=big, y=y), show_values=False)
    assert {b.lines[0]: b.lines for b in boxes.values() if b.kind == "leaf"}["x"] == (
        "x", "shape [2], torch.float64", *LEAF, *NOT_COMPUTED)


def test_values_too_wide_to_read_are_left_out_not_cut():
    torch.manual_seed(0)
    wide = torch.randn(16, requires_grad=True)        # prints as two 80-column rows
    square = torch.randn(4, 4, requires_grad=True)    # four rows of 51 characters
    boxes, _, _ = picture([wide.sum() + square.sum()], dict(wide=wide, square=square))
    by_title = {b.lines[0]: b.lines for b in boxes.values() if b.kind == "leaf"}
    assert by_title["wide"] == ("wide", "shape [16]", *LEAF, *NOT_COMPUTED)
    rows = repr(square.detach()).splitlines()     # tensor([[...],\n        [...]])
    assert by_title["square"][2:6] == (rows[0][7:], *(r[7:] for r in rows[1:3]),
                                       rows[3][7:-1])
    assert not any("\u2026" in line for b in boxes.values() for line in b.lines)


def test_names_from_the_callers_variables_params_and_tuples():
    x = torch.tensor([3.], requires_grad=True)
    y = torch.pow(x, 2)
    grad_1 = torch.autograd.grad(y, x, create_graph=True)
    boxes, _, _ = parse_dot(render_graph(grad_1[0], legend=False).source)   # caller's frame
    assert {b.lines[0] for b in boxes.values() if b.kind in ("output", "leaf")} == {
        "grad_1[0]", "x"}
    boxes, _, _ = parse_dot(render_graph(grad_1[0], names=False, params={"weight": x},
                                         legend=False).source)
    assert {b.lines[0] for b in boxes.values() if b.kind in ("output", "leaf")} == {
        "output", "weight"}


def test_multi_line_values_stay_aligned():
    m = torch.ones(2, 3, requires_grad=True)
    boxes, _, _ = picture([m * 2], dict(m=m))
    box = next(b for b in boxes.values() if b.lines[0] == "m")
    # left-justified, without "tensor(": a space is as wide as "[" in Helvetica, so the
    # columns line up (seven spaces are not as wide as "tensor(")
    assert box.lines[2:4] == ("[[1., 1., 1.],", " [1., 1., 1.]]")
    assert "\\n[[1., 1., 1.],\\l [1., 1., 1.]]\\l" in box.attrs["label"]
    assert box.attrs["class"].split()[-1] == "lines_TMvvMI"


def test_hooks_are_shown_as_badges():
    outputs, names = add_mul(torch)
    y, x, a = outputs[0], names["x"], names["a"]
    y.grad_fn.register_prehook(lambda g: None)
    y.grad_fn.register_hook(lambda gi, go: None)
    x.register_hook(lambda g: None)
    a.register_hook(lambda g: None)
    names["b"].register_hook(lambda g: None)
    boxes, _, _ = picture([y], {"x": x, "a": a, "y": y})   # b unnamed: its hook is on its node
    assert boxes["n0"].lines == ("MulBackward0", "hooks: 1 pre-hook, 1 hook")
    assert boxes["n2"].lines == ("AddBackward0", "hooks: 1 tensor hook")
    by_title = {b.lines[0]: b.lines for b in boxes.values()}
    assert by_title["x"][-1] == by_title["a"][-1] == "1 tensor hook"
    assert boxes["n0"].attrs["class"].split()[-1] == "lines_TH"


@pytest.mark.parametrize("name", SEED_GRAPHS)
def test_same_structure_as_pytorch(name):
    torch_real = pytest.importorskip("torch")
    expected_outputs, expected_names = SEED_GRAPHS[name](torch_real)
    names_torch, edges_torch, index_torch = torch_structure(expected_outputs)
    outputs, names = SEED_GRAPHS[name](torch)
    boxes, arrows, _ = picture(outputs, names, show_none=True)
    assert [boxes[f"n{i}"].lines[0] for i in range(len(names_torch))] == names_torch
    assert f"n{len(names_torch)}" not in boxes
    ours = {(a.src, a.dst, a.label) for a in arrows
            if a.src.startswith("n") and a.dst.startswith("n")}
    theirs = {(f"n{i}", j if isinstance(j, str) else f"n{j}", text)
              for i, j, text in edges_torch}
    assert ours == theirs
    # each named non-leaf tensor hangs from the node PyTorch gives it, with the same value
    hangs_from = {boxes[a.src].lines[0]: a.dst for a in arrows if a.label.startswith("grad_fn")}
    for key, t in expected_names.items():
        if not hasattr(t, "grad_fn") or t.grad_fn is None:
            continue
        assert hangs_from[key] == f"n{index_torch[t.grad_fn]}", key
        box = next(b for b in boxes.values() if b.lines[0] == key)
        assert box.lines[2] == repr(t.detach())
