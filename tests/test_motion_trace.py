"""The animation replays the real pass: on the seeds' graphs, its steps are the engine's steps
in PyTorch's order (checked with a pre-hook on each of PyTorch's nodes), with PyTorch's
gradients in and out of every node, and it leaves PyTorch's ``.grad`` values."""
import numpy as np
import pytest

import autograd_lab as al
from autograd_lab.autograd.trace import record_backward
from autograd_lab.viz import animate_backward

try:
    from .motion_support import PASSES, arrays, branch, grad_of_square, torch_pass
except ImportError:
    from motion_support import PASSES, arrays, branch, grad_of_square, torch_pass


def animate(name):
    program, gradient = PASSES[name]
    outputs, names = program(al)
    anim = animate_backward(outputs[0], gradient(al) if gradient else None, names=names)
    return anim, names


def walk_index(anim, node):
    return anim.frames.graph.model.index[node]


@pytest.mark.parametrize("name", sorted(PASSES))
def test_steps_are_the_engines_steps(name):
    """The same nodes, in the same order, with the same values as an unrecorded pass."""
    anim, _ = animate(name)
    program, gradient = PASSES[name]
    outputs, names = program(al)
    with record_backward() as trace:
        outputs[0].backward(gradient(al) if gradient else None)
    assert [s.node_name for s in anim.trace.steps] == [s.node_name for s in trace.steps]
    for ours, theirs in zip(anim.trace.steps, trace.steps):
        assert arrays(ours.grads_in) == arrays(theirs.grads_in)
        assert arrays(ours.grads_out) == arrays(theirs.grads_out)
    assert len(anim) == len(trace.steps) + 1


@pytest.mark.parametrize("name", sorted(PASSES))
def test_order_and_gradients_match_pytorch(name):
    theirs = torch_pass(*PASSES[name])
    anim, names = animate(name)
    order = [walk_index(anim, s.node) for s in anim.trace.steps]
    assert order == theirs["order"]
    for step in anim.trace.steps:
        i = walk_index(anim, step.node)
        assert arrays(step.grads_in) == theirs["in"][i], step.node_name
        if i in theirs["out"]:
            assert arrays(step.grads_out) == theirs["out"][i], step.node_name
    leaves = {n: t.grad.tolist() for n, t in names.items() if t.is_leaf and t.requires_grad}
    assert leaves == theirs["leaves"]


@pytest.mark.parametrize("name", sorted(PASSES))
def test_each_frame_holds_the_state_the_trace_describes(name):
    anim, names = animate(name)
    model = anim.frames.graph.model
    states = anim.states
    assert [s.current for s in states] == [None] + [model.index[s.node]
                                                    for s in anim.trace.steps]
    for k, step in enumerate(anim.trace.steps, start=1):
        s = states[k]
        assert s.step == k and s.ran_at[s.current] == k
        for pos, ((fn, _), g) in enumerate(zip(step.next_functions, step.grads_out)):
            if fn is not None:
                sent = s.sent[(s.current, pos)]
                assert sent.step == k and arrays([sent.value]) == arrays([g])
        assert s.queue == tuple(model.index[n] for n in step.ready_nodes_after)
    # the last frame shows every leaf's final .grad
    last = states[-1]
    for k, spot in enumerate(model.tensors):
        t = spot.tensor
        if t.is_leaf and t.requires_grad:
            assert np.array_equal(last.grads[k], t.grad.numpy())


def test_branches_sum_in_the_buffer_before_the_node_runs():
    anim, names = animate("branch")
    model = anim.frames.graph.model
    b_node = model.index[names["b"].grad_fn]
    after_first = anim.states[1]
    assert after_first.arrived[b_node] == 2
    assert after_first.buffers[b_node][0].tolist() == [2.0]
    assert after_first.queue == (b_node,)
    text = anim.explainer.text(2)
    assert "2 arrows point at this node" in text and "tensor([1.]) + tensor([1.])" in text
    assert names["a"].grad.tolist() == [4.0]


def test_accumulation_shows_grad_before_and_after_a_second_backward():
    """Seed 000 In[11]: a second backward through a retained graph adds into .grad."""
    x = al.tensor([2.], requires_grad=True)
    w = al.tensor([1.], requires_grad=True)
    a = al.add(x, w)
    b = al.add(w, 1)
    y = al.mul(a, b)
    y.backward(retain_graph=True)
    anim = animate_backward(y, retain_graph=True)
    assert anim.call == "y.backward(retain_graph=True)"
    model = anim.frames.graph.model
    k_x = next(k for k, s in enumerate(model.tensors) if s.tensor is x)
    assert anim.states[0].grads[k_x].tolist() == [2.0]
    assert anim.states[-1].grads[k_x].tolist() == [4.0]
    step = next(k for k, s in enumerate(anim.trace.steps, 1)
                if s.accumulation is not None and s.accumulation.leaf is x)
    assert "was tensor([2.]); the new gradient is added: now it is tensor([4.])" in \
        anim.explainer.text(step)
    assert w.grad.tolist() == [10.0]
    # retain_graph=True: nothing freed, and the picture says nothing was
    assert all(not s.freed for s in anim.trace.steps)
    assert "saved tensors freed" not in anim.frame_svg(len(anim) - 1)


def test_autograd_grad_with_create_graph_then_the_second_derivative():
    torch = pytest.importorskip("torch")
    outputs, names = grad_of_square(torch)   # PyTorch's grad_1, to compare with
    x = al.tensor([3.], requires_grad=True)
    y = al.pow(x, 2)
    first = animate_backward(y, grad_of=[x], create_graph=True)
    grad_1 = first.result
    assert grad_1[0].tolist() == names["grad_1"][0].tolist() == [6.0]
    assert grad_1[0].grad_fn is not None and x.grad is None
    assert first.call == "al.autograd.grad(y, [x], create_graph=True)"  # the caller's alias
    assert first.states[0].mode == "grad"
    k_x = next(k for k, s in enumerate(first.frames.graph.model.tensors) if s.tensor is x)
    assert first.states[-1].captured[k_x][0][1].tolist() == [6.0]
    assert "create_graph=True: the gradients it sent have a grad_fn" in first.explainer.text(1)
    second = animate_backward(grad_1[0], grad_of=[x])
    grad_2 = second.result
    expected = torch.autograd.grad(names["grad_1"][0], names["x"])
    assert grad_2[0].tolist() == expected[0].tolist() == [2.0]
    assert second.call == "al.autograd.grad(grad_1[0], [x])"


def test_backward_with_inputs_and_a_custom_function():
    x = al.tensor([3.], requires_grad=True)
    w = al.tensor([2.], requires_grad=True)

    class Square(al.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            ctx.save_for_backward(t)
            return t ** 2

        @staticmethod
        def backward(ctx, grad):
            t, = ctx.saved_tensors
            return 2 * t * grad

    y = Square.apply(x * w)
    anim = animate_backward(y, inputs=[w])
    assert x.grad is None and w.grad.tolist() == [36.0]
    assert anim.call == "y.backward(inputs=[w])"
    assert anim.trace.steps[0].node_name == "SquareBackward"
    assert "your backward(ctx, grad_output)" in anim.explainer.text(1)
    assert 'class="node custom running"' in anim.frame_svg(1)


def test_an_error_in_the_pass_is_the_engines_error():
    x = al.tensor([2.], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second"):
        animate_backward(y)


def test_hooks_that_fire_are_told_at_their_step_and_their_effect_is_shown():
    def program(T, seen):
        x = T.tensor([2.], requires_grad=True)
        a = x * 3
        a.register_hook(lambda g: g * 2)              # doubles the gradient of a
        y = (a * a).sum()
        y.grad_fn.register_prehook(lambda g: seen.append("pre") and None)
        return x, a, y

    seen = []
    x, a, y = program(al, seen)
    anim = animate_backward(y)
    hooked = [k for k, s in enumerate(anim.trace.steps, 1) if s.hooks_fired]
    assert len(hooked) == 2 and seen == ["pre"]
    texts = " ".join(anim.explainer.text(k) for k in hooked)
    assert "A hook ran: node pre-hook" in texts
    assert "A hook ran: tensor hook" in texts and "(replaced the gradient)" in texts
    step = anim.trace.steps[hooked[1] - 1]
    assert step.node is a.grad_fn and step.grads_in[0].tolist() == [24.0]  # 2 * (2 * a)
    torch = pytest.importorskip("torch")
    tx, _, ty = program(torch, [])
    ty.backward()
    assert x.grad.tolist() == tx.grad.tolist() == [72.0]
