"""Large graphs: long chains and wide fans fold into summary boxes that say what they hold;
named nodes stay visible; a 100,000-node chain is walked without recursion."""

import autograd_lab as torch
from autograd_lab.viz import collapse, render_graph

try:
    from .test_viz_support import needs_wasm, parse_dot, parse_svg
except ImportError:
    from test_viz_support import needs_wasm, parse_dot, parse_svg


def chain(n, name_at=None):
    """``d = c * 1.0001`` n times; optionally returns the tensor after step ``name_at``."""
    c = torch.ones(3, requires_grad=True)
    d, middle = c, None
    for i in range(n):
        d = d * 1.0001
        if i == name_at:
            middle = d
    return c, d, middle


def groups(boxes):
    return {i: b.lines for i, b in boxes.items() if b.kind == "group"}


def test_long_chain_keeps_its_ends_and_folds_the_middle():
    c, d, _ = chain(2000)
    boxes, arrows, _ = parse_dot(render_graph(d, names={"c": c, "d": d}).source)
    assert groups(boxes) == {"g0": ("1,991 nodes folded", "MulBackward0 \u00d71,991")}
    ops = sorted((i for i in boxes if i.startswith("n")), key=lambda i: int(i[1:]))
    assert ops == ["n0", "n1", "n2", "n3", "n4", "n5",          # 6 levels under the output
                   "n1997", "n1998", "n1999", "n2000"]          # 4 over the leaf
    assert boxes["n2000"].lines == ("AccumulateGrad",)
    folded = [(a.src, a.dst, a.label, a.attrs.get("style")) for a in arrows if "g0" in
              (a.src, a.dst)]
    assert folded == [("n5", "g0", "", "dashed"), ("g0", "n1997", "", "dashed")]
    assert {b.lines[0] for b in boxes.values() if b.kind in ("output", "leaf")} == {"c", "d"}
    assert len(boxes) == 13


def test_wide_fan_keeps_a_few_branches_and_folds_the_rest_whole():
    w = torch.tensor(2., requires_grad=True)
    xs = [torch.tensor(float(i), requires_grad=True) for i in range(300)]
    s = torch.stack([x * w for x in xs])
    boxes, arrows, _ = parse_dot(render_graph(s, names={"w": w, "s": s}).source)
    assert groups(boxes) == {"g0": ("586 nodes folded", "AccumulateGrad \u00d7293",
                                    "MulBackward0 \u00d7293", "(293 leaf tensors not shown)")}
    muls = [i for i, b in boxes.items() if b.lines[0] == "MulBackward0"]
    assert muls == [f"n{i}" for i in range(1, 8)]               # the first 7 branches
    w_acc = next(a.src for a in arrows if a.dst in boxes and boxes[a.dst].lines[0] == "w")
    assert [(a.src, a.dst, a.label) for a in arrows if "g0" in (a.src, a.dst)] == [
        ("n0", "g0", "\u00d7293"), ("g0", w_acc, "\u00d7293")]  # w's node is shared: kept
    assert len(boxes) <= 120


def test_named_tensors_inside_a_long_chain_stay_visible():
    c, d, middle = chain(2000, name_at=999)
    boxes, arrows, _ = parse_dot(render_graph(d, names={"c": c, "d": d, "middle": middle})
                                 .source)
    middle_box = next(i for i, b in boxes.items() if b.lines[0] == "middle")
    middle_op = next(a.dst for a in arrows if a.src == middle_box)
    assert boxes[middle_op].lines == ("MulBackward0",)
    folded = groups(boxes)
    assert len(folded) == 2
    assert sum(int(lines[0].split()[0].replace(",", "")) for lines in folded.values()) == 1990


def test_highlighted_and_modified_nodes_are_never_folded():
    c, d, middle = chain(500, name_at=250)
    boxes, _, _ = parse_dot(render_graph(d, names=False, highlight=[middle.grad_fn]).source)
    marked = [i for i, b in boxes.items() if b.attrs.get("penwidth") == "3"]
    assert len(marked) == 1 and boxes[marked[0]].lines == ("MulBackward0",)
    assert len(groups(boxes)) == 2


def test_collapse_false_draws_everything_and_true_folds_small_graphs():
    c, d, _ = chain(200)
    boxes, _, _ = parse_dot(render_graph(d, names=False, collapse=False).source)
    assert sum(1 for i in boxes if i.startswith("n")) == 201 and not groups(boxes)
    c, d, _ = chain(30)
    boxes, _, _ = parse_dot(render_graph(d, names=False).source)
    assert not groups(boxes)                       # 33 boxes: under max_nodes, left alone
    boxes, _, _ = parse_dot(render_graph(d, names=False, collapse=True).source)
    assert groups(boxes) == {"g0": ("21 nodes folded", "MulBackward0 \u00d721")}
    boxes, _, _ = parse_dot(render_graph(d, names=False, max_nodes=20).source)
    assert groups(boxes) == {"g0": ("21 nodes folded", "MulBackward0 \u00d721")}


def test_tight_budget_folds_tighter():
    w = torch.tensor(2., requires_grad=True)
    xs = [torch.tensor(float(i), requires_grad=True) for i in range(300)]
    s = torch.stack([x * w for x in xs])
    roomy, _, _ = parse_dot(render_graph(s, names=False).source)
    tight, _, _ = parse_dot(render_graph(s, names=False, max_nodes=15).source)
    assert len(tight) <= 15 < len(roomy)
    # (width, head, tail) = (4, 3, 2) is the first that fits: 3 branches kept
    assert sum(1 for b in tight.values() if b.lines[0] == "MulBackward0") == 3
    assert sum(1 for b in roomy.values() if b.lines[0] == "MulBackward0") == 7


def test_hundred_thousand_node_chain_walks_and_renders_folded():
    needs_wasm()
    c, d, _ = chain(100_000)
    p = render_graph(d, names={"c": c, "d": d})
    boxes, _, _ = parse_dot(p.source)
    assert groups(boxes) == {"g0": ("99,991 nodes folded", "MulBackward0 \u00d799,991")}
    nodes, _, _ = parse_svg(p.svg())
    assert nodes["g0"] == ["99,991 nodes folded", "MulBackward0 \u00d799,991"]
    assert len(nodes) == 13


def test_levels_are_longest_paths_and_topological():
    #   0 -> 1 -> 2 -> 3,  0 -> 3: node 3 is at depth 3, after 2
    children = [[(1, 0), (3, 0)], [(2, 0)], [(3, 0), (None, 0)], []]
    depth, order = collapse.levels(children)
    assert depth == [0, 1, 2, 3] and order == [0, 1, 2, 3]


def test_plan_never_folds_kept_nodes_and_drops_single_groups():
    children = [[(i + 1, 0)] for i in range(20)] + [[]]
    plan = collapse.plan(children, keep={10}, weight=[1] * 21, max_nodes=5)
    assert plan.group_of[10] == collapse.KEPT
    assert all(len(members) >= 2 for members in plan.groups)
    assert sorted(i for members in plan.groups for i in members) == [
        i for i in range(21) if plan.group_of[i] != collapse.KEPT]
