"""The pictures of each frame: the running node, the gradients on the arrows, ``.grad`` on the
leaves, all on one layout, the same bytes in every run, and readable for large graphs."""
import re

import autograd_lab as al
from autograd_lab.viz import animate_backward

try:
    from .motion_support import (PASSES, add_mul, group_classes, group_texts, relu_wx_b,
                                 running_ids)
except ImportError:
    from motion_support import (PASSES, add_mul, group_classes, group_texts, relu_wx_b,
                                running_ids)


def seed_animation(**kwargs):
    outputs, names = add_mul(al)
    return animate_backward(outputs[0], names=names, **kwargs), names


def spot(anim, tensor):
    return next(k for k, s in enumerate(anim.frames.graph.model.tensors) if s.tensor is tensor)


def test_one_frame_per_step_plus_the_start_and_each_highlights_its_node():
    anim, _ = seed_animation()
    model = anim.frames.graph.model
    assert len(anim) == len(anim.trace.steps) + 1 == 6
    assert running_ids(anim.frame_svg(0)) == []
    for k, step in enumerate(anim.trace.steps, start=1):
        assert running_ids(anim.frame_svg(k)) == [f"n{model.index[step.node]}"]
        assert anim.highlighted(k) == f"n{model.index[step.node]}"


def test_the_start_shows_the_seed_gradient_on_the_outputs_grad_fn_arrow():
    anim, names = seed_animation()
    y = spot(anim, names["y"])
    svg = anim.frame_svg(0)
    assert "sent" in group_classes(svg)[f"t{y}_e"]
    assert group_texts(svg, f"t{y}_e") == ["grad_fn", "tensor([1.])"]
    assert group_texts(svg, "n0")[1:] == ["ready: #1 in the queue", "buffer = tensor([1.])"]


def test_arrows_carry_the_gradients_each_step_sent():
    anim, _ = seed_animation()
    for k, step in enumerate(anim.trace.steps, start=1):
        svg = anim.frame_svg(k)
        classes = group_classes(svg)
        i = anim.states[k].current
        for pos, ((fn, _), g) in enumerate(zip(step.next_functions, step.grads_out)):
            if fn is None:
                continue
            assert "sent" in classes[f"e{i}_{pos}"]
            assert repr(al.tensor(g.tolist())) in group_texts(svg, f"e{i}_{pos}")
        # arrows sent along earlier are drawn as carried, with their value still on them
        for (j, pos), sent in anim.states[k].sent.items():
            if sent.step < k:
                assert "carried" in classes[f"e{j}_{pos}"]


def test_leaves_show_grad_before_and_after_their_accumulation():
    anim, names = seed_animation()
    x = spot(anim, names["x"])
    step = next(k for k, s in enumerate(anim.trace.steps, 1) if s.accumulation is not None
                and s.accumulation.leaf is names["x"])
    before, after = anim.frame_svg(step - 1), anim.frame_svg(step)
    assert "grad: None" in group_texts(before, f"t{x}")   # compact: "(not computed yet)" on hover
    assert "grad = tensor([2.])" in group_texts(after, f"t{x}")
    assert "changed" in group_classes(after)[f"t{x}"]       # framed in red at that step
    assert "sent" in group_classes(after)[f"t{x}_e"]         # AccumulateGrad -> variable
    assert "changed" not in group_classes(anim.frame_svg(step + 1))[f"t{x}"]


def test_retain_grad_capture_appears_when_the_node_of_the_tensor_runs():
    anim, names = seed_animation()
    a = spot(anim, names["a"])
    step = next(k for k, s in enumerate(anim.trace.steps, 1) if s.retained)
    assert "grad: None" in group_texts(anim.frame_svg(step - 1), f"t{a}")
    assert "grad = tensor([2.])" in group_texts(anim.frame_svg(step), f"t{a}")


def test_saved_tensors_freed_when_their_node_runs():
    anim, _ = seed_animation(show_saved=True)
    # MulBackward0 (node 0) saved self and other; both boxes turn to "freed" at step 1
    assert {"n0_s0", "n0_s1"} <= set(group_classes(anim.frame_svg(0)))
    for box in ("n0_s0", "n0_s1"):
        assert "idle" in group_classes(anim.frame_svg(0))[box]
        assert "freed by backward" in group_texts(anim.frame_svg(1), box)
    assert "saved tensors freed" in group_texts(anim.frame_svg(1), "n0")
    assert "saved tensors freed" not in group_texts(anim.frame_svg(0), "n0")


def geometry(svg):
    """Every shape's coordinates, by group: what must not move between frames."""
    out = {}
    for gid, body in re.findall(r'<g id="([^"]+)" class="[^"]*">(.*?)</g>', svg, re.S):
        out[gid] = re.findall(r' (?:d|points)="([^"]*)"', body)
    return out


def test_every_frame_has_the_same_layout():
    for name, (program, gradient) in PASSES.items():
        outputs, names = program(al)
        anim = animate_backward(outputs[0], gradient(al) if gradient else None, names=names)
        first = geometry(anim.frame_svg(0))
        for k in range(1, len(anim)):
            assert geometry(anim.frame_svg(k)) == first, (name, k)
        size = re.search(r'<svg width="[^"]+" height="[^"]+"', anim.frame_svg(0)).group(0)
        assert all(size in anim.frame_svg(k) for k in range(len(anim)))


def test_pictures_are_the_same_in_every_run_and_hold_no_address():
    def run():
        outputs, names = relu_wx_b(al)
        return animate_backward(outputs[0], names=names)
    one, two = run(), run()
    for k in range(len(one)):
        assert one.frame_svg(k) == two.frame_svg(k)
        assert one.panel_html(k) == two.panel_html(k)
        assert not re.search(r"0x[0-9a-f]{6,}", one.frame_svg(k) + one.panel_html(k))
    assert one.html() == two.html()


def big_graph(steps=60):
    """``h = relu(h * w + b)`` repeated, plus a running total: a few hundred nodes."""
    w = al.tensor([0.5, -0.25], requires_grad=True)
    b = al.tensor([0.1, 0.2], requires_grad=True)
    h = al.ones(2, requires_grad=True)
    total = h.sum()
    for _ in range(steps):
        h = al.relu(h * w + b)
        total = total + h.sum()
    return total


def test_a_large_graph_is_folded_and_its_summary_boxes_light_up():
    total = big_graph()
    anim = animate_backward(total)
    model, plan = anim.frames.graph.model, anim.frames.graph.plan
    assert len(model.ops) > 300 and plan.folded()
    assert len(anim) == len(model.ops) + 1
    svg_boxes = sum(1 for i in group_classes(anim.frame_svg(0)) if i.startswith(("n", "g")))
    assert svg_boxes < 140
    for k in (1, len(anim) // 2, len(anim) - 1):
        expected = anim.highlighted(k)
        assert running_ids(anim.frame_svg(k)) == [expected]
        i = anim.states[k].current
        assert expected == (f"n{i}" if plan.group_of[i] == -1 else f"g{plan.group_of[i]}")
    folded = next(k for k in range(1, len(anim)) if anim.highlighted(k).startswith("g"))
    assert "\u25b6 running: step" in " ".join(group_texts(anim.frame_svg(folded),
                                                         anim.highlighted(folded)))


def test_a_large_picture_can_be_cut_to_a_window_around_the_running_node():
    anim = animate_backward(big_graph())
    assert anim.large
    full = anim.frame_svg(0)
    assert re.search(r'<svg width="(\d+)pt"', full)
    for k in (0, 40, len(anim) - 1):
        cut = anim.frame_svg(k, window=(960, 720))
        view = [float(v) for v in re.search(r'viewBox="([^"]+)"', cut).group(1).split()]
        assert view[2] <= 960 and view[3] <= 720
        # the box of the running node (the first to run, at the start) is inside the window
        slot = anim.frames.template.slots[anim.frames.focus_id(k)]
        sx, sy = anim.frames.template.shift
        x0, y0, x1, y1 = slot.bounds
        assert view[0] <= x0 + sx and x1 + sx <= view[0] + view[2]
        assert view[1] <= y0 + sy and y1 + sy <= view[1] + view[3]
        assert cut.replace(re.search(r"<svg[^>]*>", cut).group(0), "") == \
            anim.frame_svg(k).replace(re.search(r"<svg[^>]*>", anim.frame_svg(k)).group(0), "")
    small, _ = seed_animation()
    assert not small.large and small.frame_svg(1, window=(2000, 2000)) == small.frame_svg(1)
