"""The JupyterLab widgets, driven without a browser: moving the slider (what Play does in the
browser) or clicking the buttons draws the frame the trace describes, in the widgets' own
state; the stepper's Next button calls the real nodes."""
import pytest

import autograd_lab as al
from autograd_lab.viz import animate_backward, step_through

try:
    from .motion_support import add_mul, group_texts, relu_wx_b, running_ids
except ImportError:
    from motion_support import add_mul, group_texts, relu_wx_b, running_ids

pytest.importorskip("ipywidgets")


def animation():
    outputs, names = add_mul(al)
    return animate_backward(outputs[0], names=names)


def test_the_slider_draws_the_frame_of_its_step():
    anim = animation()
    w = anim.widget
    assert w.slider.max == w.play.max == len(anim) - 1
    assert running_ids(w.picture.value) == []
    assert "Start: <code>y.backward()</code>" in w.panel.value
    for k in range(1, len(anim)):
        w.slider.value = k
        assert running_ids(w.picture.value) == [anim.highlighted(k)]
        step = anim.trace.steps[k - 1]
        assert f"Step {k} of 5" in w.panel.value
        assert step.node_name.rsplit("::")[-1] in w.panel.value
        # the values shown on the arrows are those the trace says the step sent
        i = anim.states[k].current
        for pos, ((fn, _), g) in enumerate(zip(step.next_functions, step.grads_out)):
            if fn is not None:
                assert repr(al.tensor(g.tolist())) in group_texts(w.picture.value,
                                                                   f"e{i}_{pos}")


def test_buttons_step_forward_and_back_and_stop_at_the_ends():
    w = animation().widget
    w.next_button.click()
    w.next_button.click()
    assert w.frame == 2
    w.back_button.click()
    assert w.frame == 1
    for _ in range(10):
        w.next_button.click()
    assert w.frame == 5
    w.slider.value = 0
    w.back_button.click()
    assert w.frame == 0


def test_speed_sets_the_play_interval_in_the_browser():
    w = animation().widget
    assert w.play.interval == 1000
    # linked in the browser (jslink): both ends are the widgets' own traits
    w.speed.value = 250
    assert w.speed.value == 250


def test_pictures_live_in_the_widgets_own_state():
    """No Output widget is written into from a callback: the saved widget state is what a
    fresh run shows."""
    import ipywidgets as W
    anim = animation()
    w = anim.widget

    def widgets(box):
        for child in getattr(box, "children", ()):
            yield child
            yield from widgets(child)
    assert not any(isinstance(x, W.Output) for x in widgets(w.box))
    w.slider.value = 3
    state = w.picture.get_state()
    assert state["value"] == w.picture.value and "running" in state["value"]


def test_the_stepper_widget_calls_the_real_nodes():
    outputs, names = relu_wx_b(al)
    steps = step_through(outputs[0], names=names)
    w = steps.widget
    # the slider reaches every frame to come (5 calls); none is made before a click
    assert w.slider.max == w.play.max == 5 and "nothing called yet" in w.panel.value
    assert len(steps.stepper.calls) == 0
    w.next_button.click()
    assert w.frame == 1 and len(steps.stepper.calls) == 1
    assert running_ids(w.picture.value) == [steps.highlighted(1)]
    # the code uses the caller's names, for the package too (this file imports it as al)
    assert "dv = a.grad_fn(al.tensor(1.))" in w.panel.value
    w.next_button.click()
    assert "du, db = v_grad_fn(dv)" in w.panel.value
    assert "ThresholdBackwardBackward0" in w.panel.value
    # going back shows an earlier frame; Next then moves forward without calling anything
    w.back_button.click()
    w.next_button.click()
    assert len(steps.stepper.calls) == 2
    # "Call all" finishes the pass; the last frame shows w.grad
    run_all = next(b for b in w.box.children[0].children
                   if getattr(b, "description", "") == "Call all")
    run_all.click()
    assert steps.stepper.done and w.frame == len(steps) - 1
    assert names["w"].grad.tolist() == 3.0 and names["b"].grad.tolist() == 1.0


def test_calling_next_in_code_moves_a_shown_widget():
    outputs, names = relu_wx_b(al)
    steps = step_through(outputs[0], names=names)
    w = steps.widget
    steps.next()
    steps.next()
    assert w.frame == 2 and len(steps) == 3 and w.slider.max == 5


def test_every_button_is_sensible_at_the_ends():
    """Next at the end and Back at the start change nothing and say so; Call all at the end
    says so; a stepper's slider moved ahead (what Play does) makes the calls up to there."""
    anim = animation()
    w = anim.widget
    w.back_button.click()
    assert w.frame == 0 and "This is the start." in w.status.value
    w.slider.value = 5
    assert w.status.value == ""
    w.next_button.click()
    assert w.frame == 5 and "Done: this is the last step." in w.status.value
    # a fresh stepper: Play moves the slider tick by tick, each tick makes one call
    outputs, names = relu_wx_b(al)
    steps = step_through(outputs[0], names=names)
    w = steps.widget
    for k in range(1, 6):
        w.slider.value = k
        assert len(steps.stepper.calls) == k and running_ids(w.picture.value) == [
            steps.highlighted(k)]
    assert steps.stepper.done and names["w"].grad.tolist() == 3.0
    w.next_button.click()
    assert w.frame == 5 and "every node has been called" in w.status.value
    run_all = next(b for b in w.box.children[0].children
                   if getattr(b, "description", "") == "Call all")
    run_all.click()
    assert w.frame == 5 and "every node has been called" in w.status.value
    # Play at the end starts from the start (the browser's Play sets 0): frames are replayed,
    # nothing is called again
    w.slider.value = 0
    w.slider.value = 1
    assert len(steps.stepper.calls) == 5 and names["w"].grad.tolist() == 3.0
    # dragging straight to the end of a fresh stepper makes every call
    outputs, names = relu_wx_b(al)
    steps = step_through(outputs[0], names=names)
    steps.widget.slider.value = 5
    assert steps.stepper.done and names["b"].grad.tolist() == 1.0


def test_a_failing_call_is_shown_and_the_slider_stays():
    outputs, names = relu_wx_b(al)
    steps = step_through(outputs[0], names=names)
    outputs[0].backward()          # frees the saved tensors the calls by hand need
    w = steps.widget
    w.slider.value = 3
    assert "The call failed" in w.status.value and "second time" in w.status.value
    assert w.frame == len(steps) - 1


def test_the_explanation_can_be_hidden():
    w = animation().widget
    w.explain.value = False
    assert w.panel.layout.display == "none"
    w.explain.value = True
    assert w.panel.layout.display is None


def test_a_large_graph_is_followed_in_a_window():
    w_ = al.tensor([0.5, -0.25], requires_grad=True)
    h = al.ones(2, requires_grad=True)
    total = h.sum()
    for _ in range(80):
        h = al.relu(h * w_)
        total = total + h.sum()
    anim = animate_backward(total)
    w = anim.widget
    assert w.follow.value and w.follow in w.box.children[0].children
    views = set()
    for k in (1, len(anim) // 2, len(anim) - 1):
        w.slider.value = k
        assert running_ids(w.picture.value) == [anim.highlighted(k)]
        views.add(w.picture.value.split('viewBox="')[1].split('"')[0])
    assert len(views) == 3
    w.follow.value = False
    assert 'viewBox="0.00 0.00' in w.picture.value


def test_playing_stops_at_the_last_frame():
    w = animation().widget
    w.play.playing = True      # what the browser's Play button does
    w.slider.value = 4
    assert w.play.playing
    w.slider.value = 5
    assert not w.play.playing  # so that the next click on Play starts again
