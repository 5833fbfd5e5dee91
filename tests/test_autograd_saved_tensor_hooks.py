"""Saved-tensor hooks: ``autograd.graph.saved_tensors_hooks``, ``save_on_cpu``,
``disable_saved_tensors_hooks`` and ``node._raw_saved_<name>.register_hooks``, compared with
PyTorch (what the hooks receive and when, in which order, what the unpacked tensors are, the
gradients, the errors)."""
from __future__ import annotations

import gc

import numpy as np
import pytest

import autograd_lab as lab
from oracle import assert_same_error, assert_same_outcome


def _log_hooks(log):
    def pack(t):
        log.append(("pack", t.tolist(), t.requires_grad, t.grad_fn is not None))
        return t.detach()

    def unpack(t):
        log.append(("unpack", t.tolist()))
        return t
    return pack, unpack


def test_default_hooks_pack_in_forward_unpack_in_backward_in_torch_order():
    def program(torch):
        log = []
        a = torch.ones(3, requires_grad=True)
        b = torch.ones(3, requires_grad=True) * 2
        x = torch.tensor([1., 2.], requires_grad=True)
        with torch.autograd.graph.saved_tensors_hooks(*_log_hooks(log)):
            y = a * b
            z = torch.matmul(x.view(1, 2), x.view(2, 1))
            w = x.exp()
            p = x.pow(2)
        log.append("backward")
        (y.sum() + z.sum() + w.sum() + p.sum()).backward()
        return log, a.grad, x.grad
    assert_same_outcome(program)


def test_unpacked_tensor_has_the_saved_history():
    def program(torch):
        x = torch.tensor([0.5, 1.5], requires_grad=True)
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t.detach(), lambda t: t):
            y = x.pow(2)
            z = x.exp()
            m = (x * 3).sin()
        s, r, n = y.grad_fn._saved_self, z.grad_fn._saved_result, m.grad_fn._saved_self
        return (s is x, s.requires_grad, s.is_leaf, s.equal(x),
                r is z, r.requires_grad, r.grad_fn is z.grad_fn, r.equal(z),
                n.grad_fn.name(), n.equal(x * 3))
    assert_same_outcome(program)


def test_hooks_can_store_anything_and_double_backward_reaches_the_leaf():
    def program(torch):
        x = torch.tensor([1., 2., 3.], requires_grad=True)
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t.tolist(),
                                                      lambda p: torch.tensor(p)):
            y = (x ** 3).sum()
        g, = torch.autograd.grad(y, x, create_graph=True)
        g.sum().backward()
        return g, x.grad
    out = assert_same_outcome(program)
    assert out.value[1].tolist() == [6., 12., 18.]  # d/dx of 3x^2


def test_packed_tensor_is_not_version_checked_and_is_freed_by_backward():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t.detach().clone(),
                                                      lambda t: t):
            y = x.pow(2)
        with torch.no_grad():
            x.add_(1)  # the hooks hold a copy: the backward uses the old value, no error
        y.sum().backward()
        return x.grad
    assert_same_outcome(program)

    def twice(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t.detach(), lambda t: t):
            y = x.pow(2)
        y.sum().backward()
        y.sum().backward()
    assert_same_error(twice)


def test_unpack_must_return_a_tensor():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        with torch.autograd.graph.saved_tensors_hooks(lambda t: 1, lambda t: "packed"):
            y = x * x
        y.sum().backward()
    assert_same_error(program)


def test_register_hooks_on_one_saved_tensor():
    def program(torch):
        log = []
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x.pow(2)
        y.grad_fn._raw_saved_self.register_hooks(*_log_hooks(log))
        e = x.exp()
        e.grad_fn._raw_saved_result.register_hooks(*_log_hooks(log))
        log.append("backward")
        (y.sum() + e.sum()).backward()
        return log, x.grad
    assert_same_outcome(program)


@pytest.mark.parametrize("case", ["twice", "after_free", "twice_with_default"])
def test_register_hooks_errors(case):
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        if case == "twice_with_default":
            with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
                y = x.pow(2)
        else:
            y = x.pow(2)
        saved = y.grad_fn._raw_saved_self
        if case == "twice":
            saved.register_hooks(lambda t: t, lambda t: t)
        if case == "after_free":
            y.sum().backward()
        saved.register_hooks(lambda t: t, lambda t: t)
    assert_same_error(program)


def test_innermost_hooks_apply_and_leaving_restores():
    def program(torch):
        log = []
        x = torch.tensor([1., 2.], requires_grad=True)
        outer = torch.autograd.graph.saved_tensors_hooks(
            lambda t: (log.append("outer"), t.detach())[1], lambda t: t)
        inner = torch.autograd.graph.saved_tensors_hooks(
            lambda t: (log.append("inner"), t.detach())[1], lambda t: t)
        with outer:
            x.sin()
            with inner:
                x.cos()
            x.tanh()  # saves its result
        x.exp()  # no hooks
        return log
    out = assert_same_outcome(program)
    assert out.value == ["outer", "inner", "outer"]


def test_save_on_cpu_and_disable():
    def program(torch):
        x = torch.tensor([1., -2.], requires_grad=True)
        with torch.autograd.graph.save_on_cpu():
            y = (x * x).sum()
        y.backward()
        return x.grad
    assert_same_outcome(program)

    def disabled(torch):
        with torch.autograd.graph.disable_saved_tensors_hooks("no hooks in this region"):
            with torch.autograd.graph.save_on_cpu():
                pass
    assert_same_error(disabled)

    def disabled_inside_hooks(torch):
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            with torch.autograd.graph.disable_saved_tensors_hooks("refused"):
                pass
    assert_same_error(disabled_inside_hooks)


def test_custom_function_saved_tensors_go_through_the_hooks():
    def program(torch):
        log = []

        class Cube(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return 3 * x ** 2 * g
        x = torch.tensor([1., 2.], requires_grad=True)
        with torch.autograd.graph.saved_tensors_hooks(*_log_hooks(log)):
            y = Cube.apply(x)
        y.sum().backward()
        return log, x.grad
    assert_same_outcome(program)


def test_no_hooks_no_cost_state_left_behind():
    # leaving the context (also by an exception) empties the stack; later saves are plain
    from autograd_lab.autograd import node
    x = lab.tensor([1., 2.], requires_grad=True)
    with pytest.raises(ZeroDivisionError):
        with lab.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            1 / 0
    assert node.default_hooks == []
    y = x.pow(2)
    assert not y.grad_fn._raw_saved_self.is_packed
    assert y.grad_fn._raw_saved_self.unpack_hook is None


def test_packed_value_is_released_after_backward():
    # the pack hook's result is dropped with the graph's saved tensors
    class Box:
        pass
    boxes = []

    def pack(t):
        box = Box()
        box.value = t.detach()
        boxes.append(__import__("weakref").ref(box))
        return box
    x = lab.tensor([1., 2.], requires_grad=True)
    with lab.autograd.graph.saved_tensors_hooks(pack, lambda b: b.value):
        y = x.pow(2).sum()
    y.backward()
    gc.collect()
    assert len(boxes) == 1 and boxes[0]() is None
    assert np.allclose(x.grad.numpy(), [2., 4.])


def test_increment_version():
    def program(torch):
        x = torch.ones(3, requires_grad=True)
        y = x.exp()
        before = y._version
        torch.autograd.graph.increment_version(y)
        a, b = torch.ones(2), torch.ones(2)
        torch.autograd.graph.increment_version([a, b])
        with torch.inference_mode():
            c = torch.ones(2)
        torch.autograd.graph.increment_version(c)  # no counter: nothing to bump
        versions = (before, y._version, a._version, b._version)
        y.sum().backward()
        return versions
    assert_same_outcome(program)


def _pack_shapes(t, make):
    shapes = []

    def pack(v):
        shapes.append(tuple(v.shape))
        return v
    with t.autograd.graph.saved_tensors_hooks(pack, lambda v: v):
        make(t)
    return shapes


_FORWARD_OUTPUTS_SAVED = {
    # (input, weight and bias first, by name; then the mean and rstd the forward returned)
    "layer_norm": lambda t: t.nn.functional.layer_norm(
        t.ones(2, 3, requires_grad=True) * 1, (3,), t.ones(3, requires_grad=True),
        t.zeros(3, requires_grad=True)),
    # (the input, then the indices the forward returned)
    "max_pool2d": lambda t: t.nn.functional.max_pool2d(t.ones(1, 1, 4, 4, requires_grad=True),
                                                       2, return_indices=True),
}


@pytest.mark.parametrize("name", list(_FORWARD_OUTPUTS_SAVED))
def test_pack_hooks_see_the_inputs_before_the_forwards_outputs(name):
    shapes = assert_same_outcome(lambda t: _pack_shapes(t, _FORWARD_OUTPUTS_SAVED[name])).value
    assert shapes == {"layer_norm": [(3,), (2, 3), (3,), (2, 1), (2, 1)],
                      "max_pool2d": [(1, 1, 4, 4), (1, 1, 2, 2)]}[name]
