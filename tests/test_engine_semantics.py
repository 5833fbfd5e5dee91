"""Engine semantics, each program run under PyTorch (the oracle) and autograd_lab.

Every ``program(torch)`` below is called with ``torch`` and with ``autograd_lab``; what it
returns, the warnings it emits and the error it raises must agree (see ``oracle``). The
``test_known_*`` tests check hand-computed values without the oracle, so the suite checks
something on a machine without torch.
"""
import math

import numpy as np
import pytest

import autograd_lab as lab

from oracle import (assert_same, assert_same_error, assert_same_outcome, clean, need_torch,
                    run, run_both)

NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information.")

SECOND_BACKWARD = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling "
    "backward.")

LEAF_INPLACE = ("a leaf Variable that requires grad is being used in an in-place operation.")


# == requires_grad, is_leaf, grad ==============================================================
def test_requires_grad_propagation():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        c = torch.tensor([3., 4.])
        y = x * c
        z = c * 2
        w = y + z
        return ([t.requires_grad for t in (x, c, y, z, w)],
                [t.is_leaf for t in (x, c, y, z, w)],
                [t.grad_fn for t in (x, c, y, z, w)])
    assert_same_outcome(program)


def test_known_requires_grad_and_is_leaf():
    x = lab.tensor([1., 2.], requires_grad=True)
    c = lab.tensor([3., 4.])
    y = x * c
    assert (x.requires_grad, c.requires_grad, y.requires_grad) == (True, False, True)
    assert (x.is_leaf, c.is_leaf, y.is_leaf) == (True, True, False)
    assert x.grad_fn is None and y.grad_fn.name() == "MulBackward0"


def test_requires_grad_constructor_attribute_and_method():
    def program(torch):
        a = torch.ones(2, requires_grad=True)
        b = torch.zeros(2)
        b.requires_grad = True
        c = torch.arange(3.0)
        same = c.requires_grad_() is c
        d = torch.ones(2, requires_grad=True).requires_grad_(False)
        return a.requires_grad, b.requires_grad, c.requires_grad, same, d.requires_grad, c
    assert_same_outcome(program)


def test_grad_accumulates_across_backward_calls():
    def program(torch):
        x = torch.tensor([1., 2., 3.], requires_grad=True)
        grads = []
        for _ in range(3):
            (x * x).sum().backward()
            grads.append(x.grad.clone())
        return grads, x.grad
    assert_same_outcome(program)


def test_known_grad_accumulates_and_zero_():
    x = lab.tensor([1., 2., 3.], requires_grad=True)
    (x * x).sum().backward()
    (x * x).sum().backward()
    assert x.grad.tolist() == [4., 8., 12.]
    grad_before = x.grad
    assert x.grad.zero_() is grad_before
    assert x.grad.tolist() == [0., 0., 0.]
    (x * 3).sum().backward()
    assert x.grad is grad_before, "accumulation writes into the same .grad tensor"
    assert x.grad.tolist() == [3., 3., 3.]


def test_zero_grad_then_accumulate():
    def program(torch):
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        seen = []
        for _ in range(3):
            y = (w + x) * (w + 1)
            y.backward()
            seen.append(w.grad.clone())
            g = w.grad
            w.grad.zero_()
            seen.append((g is w.grad, w.grad.clone(), w.grad.requires_grad))
        return seen, x.grad
    assert_same_outcome(program)


def test_non_leaf_grad_is_none_with_warning():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 2
        y.sum().backward()
        return y.grad
    out = assert_same_outcome(program)
    assert out.value is None
    assert out.warnings == [("UserWarning", NON_LEAF_GRAD_WARNING)]


def test_known_non_leaf_grad_warning_text():
    x = lab.tensor([1.], requires_grad=True)
    y = x * 2
    with pytest.warns(UserWarning) as record:
        assert y.grad is None
    assert [str(w.message) for w in record] == [NON_LEAF_GRAD_WARNING]


def test_leaf_and_no_grad_tensor_grad_give_no_warning():
    def program(torch):
        x = torch.tensor([1.], requires_grad=True)
        c = torch.tensor([1.])
        return x.grad, c.grad, (c * 2).grad
    out = assert_same_outcome(program)
    assert out.warnings == []


def test_retain_grad():
    def program(torch):
        x = torch.tensor([2.], requires_grad=True)
        w = torch.tensor([1.], requires_grad=True)
        a = torch.add(x, w)
        a.retain_grad()
        b = torch.add(w, 1)
        y = torch.mul(a, b)
        y.retain_grad()
        y.backward(retain_graph=True)
        first = (a.grad.clone(), y.grad.clone(), w.grad.clone(), x.grad.clone())
        y.backward()
        return first, a.grad, y.grad, w.grad, x.grad, a.retains_grad, b.retains_grad, \
            x.retains_grad
    out = assert_same_outcome(program)
    assert out.warnings == []


def test_retain_grad_errors_and_leaf_no_op():
    def program(torch):
        x = torch.tensor([2.], requires_grad=True)
        x.retain_grad()  # a leaf keeps its grad anyway: no-op
        return x.retains_grad
    assert_same_outcome(program)

    def program(torch):
        torch.tensor([2.]).retain_grad()
    assert_same_error(program)


def test_known_retain_grad_values():
    x = lab.tensor([2.], requires_grad=True)
    w = lab.tensor([1.], requires_grad=True)
    a = x + w
    a.retain_grad()
    y = a * (w + 1)
    y.backward()
    assert a.grad.tolist() == [2.] and w.grad.tolist() == [5.] and x.grad.tolist() == [2.]


def test_detach_shares_memory_and_version_counter():
    def program(torch):
        x = torch.tensor([1., 2., 3.], requires_grad=True)
        y = x * 2
        d = y.detach()
        facts = [d.requires_grad, d.is_leaf, d.grad_fn, d._version, y._version]
        d.add_(10)
        facts += [y, d._version, y._version]
        dx = x.detach()
        dx[0] = 100.  # into the leaf's memory, under no check of the leaf
        facts += [x, x._version, dx._version]
        return facts
    assert_same_outcome(program)


def test_known_detach_shares_memory():
    x = lab.tensor([1., 2.], requires_grad=True)
    d = x.detach()
    d.zero_()
    assert x.tolist() == [0., 0.] and x._version == 1 and d.requires_grad is False


def test_detach_of_saved_tensor_then_inplace_breaks_backward():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x.exp()          # saves its result
        y.detach().zero_()   # same memory and version counter
        y.sum().backward()
    assert_same_error(program)


def test_detach_():
    def program(torch):
        x = torch.tensor([1.], requires_grad=True)
        y = x * 2
        r = y.detach_()
        return r is y, y.requires_grad, y.is_leaf, y.grad_fn
    assert_same_outcome(program)


def test_requires_grad_errors():
    def non_leaf_off(torch):
        x = torch.tensor([1.], requires_grad=True)
        (x * 2).requires_grad_(False)
    assert_same_error(non_leaf_off)

    def non_leaf_attr_off(torch):
        x = torch.tensor([1.], requires_grad=True)
        y = x * 2
        y.requires_grad = False
    assert_same_error(non_leaf_attr_off)

    def int_tensor(torch):
        torch.tensor([1, 2]).requires_grad_()
    assert_same_error(int_tensor)

    def int_constructor(torch):
        torch.tensor([1, 2], requires_grad=True)
    assert_same_error(int_constructor)

    def non_leaf_on_is_fine(torch):
        x = torch.tensor([1.], requires_grad=True)
        y = x * 2
        return y.requires_grad_(True) is y, y.requires_grad
    assert_same_outcome(non_leaf_on_is_fine)


# == backward(), autograd.backward, autograd.grad =============================================
def test_backward_with_gradient():
    def program(torch):
        x = torch.tensor([0., 1., 2., 3.], requires_grad=True)
        y = x * x
        y.backward(gradient=torch.tensor([1., 0.5, 2., -1.]))
        return x.grad
    assert_same_outcome(program)


def test_known_backward_with_gradient():
    x = lab.tensor([0., 1., 2., 3.], requires_grad=True)
    (x * x).backward(lab.ones(4))
    assert x.grad.tolist() == [0., 2., 4., 6.]


def test_autograd_backward_several_tensors():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        w = torch.tensor([3., 4.], requires_grad=True)
        y0 = x * w
        y1 = (x + w).sum()
        torch.autograd.backward([y0, y1], grad_tensors=[torch.tensor([1., 2.]), None],
                                retain_graph=True)
        first = (x.grad.clone(), w.grad.clone())
        torch.autograd.backward((y0.sum(), y1))
        return first, x.grad, w.grad
    assert_same_outcome(program)


def test_autograd_backward_cat_grad_tensors():
    def program(torch):
        x = torch.tensor([2.], requires_grad=True)
        w = torch.tensor([1.], requires_grad=True)
        a = torch.add(x, w)
        b = torch.add(w, 1)
        loss = torch.cat([torch.mul(a, b), torch.add(a, b)], dim=0)
        torch.autograd.backward(loss, grad_tensors=torch.tensor([1., 2.]), retain_graph=True)
        return w.grad, x.grad, loss
    assert_same_outcome(program)


def test_backward_inputs_argument():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        w = torch.tensor([3., 4.], requires_grad=True)
        y = (x * w).sum()
        y.backward(inputs=[x], retain_graph=True)
        first = (x.grad.clone(), w.grad)
        y.backward(inputs=w)
        return first, x.grad, w.grad
    assert_same_outcome(program)


def test_autograd_grad_first_derivative_does_not_touch_grad():
    def program(torch):
        x = torch.tensor([3.], requires_grad=True)
        y = torch.pow(x, 2)
        g = torch.autograd.grad(y, x)
        return g, x.grad, g[0].requires_grad
    assert_same_outcome(program)


@pytest.mark.parametrize("which", ["pow", "mul3", "sum_of_products", "exp_log", "div"])
def test_autograd_grad_higher_derivatives(which):
    def f(torch, x):
        if which == "pow":
            return x ** 3
        if which == "mul3":
            return x * x * x
        if which == "sum_of_products":
            return (x * x).sum() * x.sum() + (x * 2.).dot(x)
        if which == "exp_log":
            return (x.exp() * (x + 2).log()).sum()
        return (1 / (x + 2)).sum()

    def program(torch):
        x = torch.tensor([1.5, -0.5, 2.0], requires_grad=True)
        y = f(torch, x).sum()
        g1, = torch.autograd.grad(y, x, create_graph=True)
        g2, = torch.autograd.grad(g1.sum(), x, create_graph=True)
        g3, = torch.autograd.grad(g2.sum(), x)
        return y, g1, g2, g3
    assert_same_outcome(program, rtol=1e-5)


def test_known_third_derivative_of_cube():
    x = lab.tensor(2.0, requires_grad=True)
    g1, = lab.autograd.grad(x ** 3, x, create_graph=True)
    g2, = lab.autograd.grad(g1, x, create_graph=True)
    g3, = lab.autograd.grad(g2, x)
    assert (g1.item(), g2.item(), g3.item()) == (12.0, 12.0, 6.0)
    assert g1.grad_fn is not None and g3.grad_fn is None


def test_known_second_derivative_of_x_times_x_times_x():
    x = lab.tensor(3.0, requires_grad=True)
    g1, = lab.autograd.grad(x * x * x, x, create_graph=True)
    g2, = lab.autograd.grad(g1, x)
    assert (g1.item(), g2.item()) == (27.0, 18.0)


def test_create_graph_grad_values_and_graphs():
    def program(torch):
        x = torch.tensor([3.], requires_grad=True)
        y = torch.pow(x, 2)
        g1 = torch.autograd.grad(y, x, create_graph=True)
        g2 = torch.autograd.grad(g1[0], x)
        return g1, g2, g1[0].grad_fn, g1[0].grad_fn.next_functions
    assert_same_outcome(program)


def test_backward_create_graph_grad_has_graph():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        (x ** 3).sum().backward(create_graph=True)
        g = x.grad
        facts = [g, g.requires_grad, g.grad_fn]
        x.grad = None
        g.sum().backward()
        return facts, x.grad
    assert_same_outcome(program, check_warnings=False)


def test_grad_allow_unused():
    def unused(torch):
        x = torch.tensor([1.], requires_grad=True)
        z = torch.tensor([1.], requires_grad=True)
        return torch.autograd.grad((x * 2).sum(), [x, z], allow_unused=True)
    assert_same_outcome(unused)

    def not_allowed(torch):
        x = torch.tensor([1.], requires_grad=True)
        z = torch.tensor([1.], requires_grad=True)
        torch.autograd.grad((x * 2).sum(), [x, z])
    assert_same_error(not_allowed)

    def materialize(torch):
        x = torch.tensor([1.], requires_grad=True)
        z = torch.tensor([1., 2.], requires_grad=True)
        return torch.autograd.grad((x * 2).sum(), [x, z], materialize_grads=True)
    assert_same_outcome(materialize)


def test_grad_of_non_leaf_input():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        h = x * 3
        y = (h * h).sum()
        return torch.autograd.grad(y, [h, x])
    assert_same_outcome(program)


def test_grad_with_grad_outputs():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x ** 2
        return torch.autograd.grad(y, x, grad_outputs=torch.tensor([1., -1.]))
    assert_same_outcome(program)


def test_retain_graph_defaults_to_create_graph():
    def with_create_graph(torch):
        x = torch.tensor([2.], requires_grad=True)
        y = x.exp()
        torch.autograd.grad(y, x, create_graph=True)
        return torch.autograd.grad(y, x)  # the graph was kept
    assert_same_outcome(with_create_graph)

    def without(torch):
        x = torch.tensor([2.], requires_grad=True)
        y = x.exp()
        torch.autograd.grad(y, x)
        torch.autograd.grad(y, x)
    assert_same_error(without)


def test_second_backward_error_message():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = (x * x).sum()
        y.backward()
        y.backward()
    assert assert_same_error(program) == ("RuntimeError", SECOND_BACKWARD)


def test_known_second_backward_error_message():
    x = lab.tensor([1., 2.], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError) as info:
        y.backward()
    assert str(info.value) == SECOND_BACKWARD
    assert x.grad.tolist() == [2., 4.], "the failed backward must not change .grad"


def test_saved_tensors_freed_after_backward():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * x
        node = y.grad_fn
        before = node._saved_self
        y.sum().backward()
        node._saved_self
        return before
    assert_same_error(program)

    def retained(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * x
        y.sum().backward(retain_graph=True)
        return y.grad_fn._saved_self, y.grad_fn._saved_other
    assert_same_outcome(retained)


def test_graph_without_saved_tensors_can_be_backpropagated_twice():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x.sum()
        y.backward()
        y.backward()
        z = (x + 1 - x.detach()).sum()  # add/sub/sum save nothing
        z.backward()
        z.backward()
        return x.grad
    out = assert_same_outcome(program)
    assert out.error is None and out.value.tolist() == [4., 4.]

    def mul_by_number(torch):  # but mul saves the wrapped number: freed
        x = torch.tensor([1., 2.], requires_grad=True)
        z = ((x + 1) * 2).sum()
        z.backward()
        z.backward()
    assert assert_same_error(mul_by_number) == ("RuntimeError", SECOND_BACKWARD)


def test_known_sum_twice():
    a1 = lab.tensor([1.], requires_grad=True)
    a3 = a1.sum()
    a3.backward()
    a3.backward()
    assert a1.grad.tolist() == [2.]


# == in-place operations and version counters ================================================
def test_inplace_on_leaf_requiring_grad():
    def program(torch):
        w = torch.tensor([1.], requires_grad=True)
        w.add_(1)
    assert assert_same_error(program) == ("RuntimeError", LEAF_INPLACE)

    for op in ("mul_", "sub_", "zero_", "relu_", "iadd", "setitem"):
        def program(torch, op=op):
            w = torch.tensor([1., 2.], requires_grad=True)
            if op == "iadd":
                w += 1
            elif op == "setitem":
                w[0] = 5.
            elif op in ("zero_", "relu_"):
                getattr(w, op)()
            else:
                getattr(w, op)(2.)
        assert_same_error(program)


@pytest.mark.parametrize("index", ["0", "slice(0, 1)", "slice(None)", "...", "(None, 0)",
                                   "[0]", "torch.tensor([1])"])
def test_setitem_on_leaf_requiring_grad(index):
    """``w[i] = v`` checks the view the index designates: "a view of a leaf" for w[0] and
    w[0:1], the leaf itself for w[:], w[...] and integer-tensor indices."""
    def program(torch):
        w = torch.tensor([1., 2.], requires_grad=True)
        w[eval(index)] = 5.
    assert_same_error(program)


@pytest.mark.parametrize("how", ["select_add_", "view_mul_", "slice_zero_", "unsqueeze_fill_"])
def test_inplace_on_view_of_leaf(how):
    def program(torch):
        w = torch.tensor([1., 2.], requires_grad=True)
        if how == "select_add_":
            w[0].add_(1)
        elif how == "view_mul_":
            w.view(2).mul_(2)
        elif how == "slice_zero_":
            w[1:].zero_()
        else:
            w.unsqueeze(0).fill_(1.)
    expected = ("RuntimeError",
                "a view of a leaf Variable that requires grad is being used in an in-place "
                "operation.")
    assert assert_same_error(program) == expected

    # nothing was changed by the refused operation
    w = lab.tensor([1., 2.], requires_grad=True)
    with pytest.raises(RuntimeError):
        program(lab)
    assert w.tolist() == [1., 2.] and w._version == 0


@pytest.mark.parametrize("how", ["setitem_grad_value", "setitem_non_leaf", "view_of_non_leaf"])
def test_inplace_on_view_rewrites_base_history(how):
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        if how == "setitem_grad_value":
            y = torch.zeros(2)
            y[0] = x[1] * 3
        elif how == "setitem_non_leaf":
            y = x * 1
            y[1] = 0.
        else:
            y = x * 2
            y[0].mul_(5)
        y.sum().backward()
        return y, y.grad_fn, x.grad
    assert_same_outcome(program)


def test_known_inplace_on_recorded_view_rewrites_base_history():
    x = lab.tensor([1., 2.], requires_grad=True)
    y = x * 2
    v = y[0]
    v.mul_(5)
    assert y.tolist() == [10., 4.] and y._version == 1 and v._version == 1
    assert y.grad_fn.name() == "torch::autograd::CopySlices"
    assert v.grad_fn.name() == "AsStridedBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [10., 2.]


def test_inplace_leaf_allowed_under_no_grad():
    def program(torch):
        w = torch.tensor([1., 2.], requires_grad=True)
        with torch.no_grad():
            w.add_(1)
            w *= 2
            w -= torch.tensor([1., 1.])
        return w, w._version, w.is_leaf, w.grad_fn
    assert_same_outcome(program)


def test_known_inplace_leaf_message_and_nothing_changed():
    w = lab.tensor([1.], requires_grad=True)
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad is being used"):
        w.add_(1)
    assert w.tolist() == [1.] and w._version == 0 and w.grad_fn is None


def test_inplace_on_non_leaf_rewrites_grad_fn():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        a = x * 2
        facts = [a.grad_fn, a._version]
        a += 1
        facts += [a.grad_fn, a.grad_fn.next_functions, a._version, a]
        a.mul_(3)
        facts += [a.grad_fn, a._version, a]
        a.sum().backward()
        return facts, x.grad
    assert_same_outcome(program)


def test_inplace_on_no_grad_tensor_with_grad_operand():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        a = torch.zeros(2)
        a += x
        facts = [a.requires_grad, a.is_leaf, a.grad_fn, a._version]
        a.sum().backward()
        return facts, x.grad
    assert_same_outcome(program)


def test_version_counter_counts_inplace_ops():
    def program(torch):
        a = torch.ones(3)
        versions = [a._version]
        a.add_(1)
        versions.append(a._version)
        a += 1
        versions.append(a._version)
        a.zero_()
        versions.append(a._version)
        a[1] = 3.
        versions.append(a._version)
        b = a + 1  # out of place: no bump
        versions += [a._version, b._version]
        v = a[1:]
        v.mul_(2)  # a view shares the counter
        versions += [a._version, v._version, a]
        return versions
    assert_same_outcome(program)


def test_modified_by_inplace_operation_message():
    def leaf(torch):
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        y = torch.mul(w, x)
        with torch.no_grad():
            w.add_(1)  # a saved leaf: the message names no producing node
        y.backward()
    error = assert_same_error(leaf)
    assert "modified by an inplace operation: [torch.FloatTensor [1]] is at version 1" in error[1]

    def seed(torch):  # seed 003, In [17]: the in-place on the leaf is refused first
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        a = torch.add(w, x)
        b = torch.add(w, 1)
        y = torch.mul(a, b)
        w.add_(1)
        y.backward()
    assert assert_same_error(seed) == ("RuntimeError", LEAF_INPLACE)


@pytest.mark.parametrize("case", ["output", "output_no_grad", "input_rebased", "input_no_grad",
                                  "input_detached", "input_relu_", "version_2"])
def test_modified_by_inplace_names_the_right_node(case):
    """A saved output names the node that made it; a saved input names its *current* grad_fn
    (after a recorded in-place op that is the in-place op's node)."""
    def program(torch):
        x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
        h = x * 2
        if case.startswith("output"):
            y = h.exp()  # saves its result
            target, z = y, y
        else:
            y = h.exp()
            z = h * y    # saves both inputs
            target = h if case != "input_relu_" else y
        if case.endswith("no_grad"):
            with torch.no_grad():
                target.add_(1)
        elif case == "input_detached":
            target.detach().mul_(2)
        elif case == "input_relu_":
            target.relu_()
        elif case == "version_2":
            target.add_(1)
            target.mul_(2)
        else:
            target.add_(1)
        z.sum().backward()
    assert_same_error(program)


def test_known_modified_by_inplace_message():
    x = lab.tensor([1., 2., 3.], requires_grad=True)
    y = x.exp()
    y.add_(1)
    with pytest.raises(RuntimeError) as info:
        y.sum().backward()
    assert str(info.value) == (
        "one of the variables needed for gradient computation has been modified by an inplace "
        "operation: [torch.FloatTensor [3]], which is output 0 of Exp, is at version 1; "
        "expected version 0 instead. Hint: enable anomaly detection to find the operation that "
        "failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, "
        "check_nan=False).")


def test_inplace_does_not_break_when_value_not_saved():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x + 1   # AddBackward0 saves nothing
        y.mul_(2)
        y.sum().backward()
        return x.grad, y
    assert_same_outcome(program)


def test_id_of_result_inplace_vs_out_of_place():
    def program(torch):
        a = torch.ones((1,))
        before = id(a)
        a = a + torch.ones((1,))
        out_of_place = id(a) == before
        before = id(a)
        a += torch.ones((1,))
        return out_of_place, id(a) == before, a
    assert_same_outcome(program)


# == grad mode ==============================================================================
def test_no_grad_context_and_decorator():
    def program(torch):
        x = torch.tensor([1.], requires_grad=True)
        with torch.no_grad():
            y = x * 2
            inside = torch.is_grad_enabled()

        @torch.no_grad()
        def f(t):
            return t * 3, torch.is_grad_enabled()
        z, in_f = f(x)
        w = x * 4
        return y.requires_grad, y.grad_fn, inside, z.requires_grad, in_f, w.requires_grad, \
            torch.is_grad_enabled()
    assert_same_outcome(program)


def test_set_grad_enabled_and_enable_grad():
    def program(torch):
        x = torch.tensor([1.], requires_grad=True)
        facts = []
        with torch.set_grad_enabled(False):
            facts.append((x * 2).requires_grad)
            with torch.enable_grad():
                facts.append((x * 2).requires_grad)
        facts.append((x * 2).requires_grad)
        torch.set_grad_enabled(False)
        facts.append((x * 2).requires_grad)
        torch.set_grad_enabled(True)
        facts.append((x * 2).requires_grad)

        @torch.set_grad_enabled(False)
        def g():
            return (x * 2).requires_grad
        facts += [g(), torch.is_grad_enabled()]
        return facts
    assert_same_outcome(program)


def test_no_grad_restores_mode_after_exception():
    def program(torch):
        try:
            with torch.no_grad():
                raise KeyError("x")
        except KeyError:
            pass
        return torch.is_grad_enabled()
    assert_same_outcome(program)


# == control flow ============================================================================
def test_python_control_flow():
    def program(torch):
        torch.manual_seed(0)
        a = torch.randn(size=(), requires_grad=True)
        b = a * 2
        steps = 0
        while b.norm() < 1000:
            b = b * 2
            steps += 1
        c = b if b.sum() > 0 else 100 * b
        c.backward()
        return steps, a.grad, a.grad == c / a, c.grad_fn
    assert_same_outcome(program)


def test_known_control_flow_gradient():
    a = lab.tensor(0.3, requires_grad=True)
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    b.backward()
    assert a.grad.item() == pytest.approx(b.item() / 0.3, rel=1e-6)
    assert math.log2(a.grad.item()) == int(math.log2(a.grad.item()))


# == nodes called by hand ====================================================================
def test_node_called_by_hand():
    def program(torch):
        b = torch.tensor(1.0, requires_grad=True)
        w = torch.tensor(2.0, requires_grad=True)
        x = torch.tensor(3.0)
        u = w * x
        v = u + b
        a = torch.relu(v)
        dv = a.grad_fn(torch.tensor(1.0))
        v_fn = a.grad_fn.next_functions[0][0]
        du, db = v_fn(dv)
        u_fn, b_fn = (f for f, _ in v_fn.next_functions)
        dw, dx = u_fn(du)
        w_fn, x_fn = u.grad_fn.next_functions
        facts = [dv, du, db, dw, dx, x_fn, w_fn[0], b.grad]
        facts.append(b_fn(db))
        facts += [b.grad, b.grad.grad_fn]
        w_fn[0](dw)
        facts += [w.grad, w.grad.grad_fn]
        w_fn[0](dw)
        facts += [w.grad, w.grad.grad_fn]
        return facts
    assert_same_outcome(program)


def test_node_called_by_hand_under_no_grad():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * x
        with torch.no_grad():
            g = y.grad_fn(torch.ones(2))
        return g, g[0].requires_grad
    assert_same_outcome(program)


def test_accumulate_grad_called_by_hand():
    def program(torch):
        a = torch.tensor(1., requires_grad=True)
        w = torch.tensor(2., requires_grad=True)
        acc = (a * w).grad_fn.next_functions[0][0]
        g = w * 3
        facts = [acc(g), a.grad, a.grad.grad_fn, a.grad.requires_grad]
        facts += [acc(g), a.grad, a.grad.grad_fn, a.grad.grad_fn.next_functions]
        c = torch.tensor(1., requires_grad=True)
        acc2 = (c * 2).grad_fn.next_functions[0][0]
        acc2(torch.tensor(1.))
        facts += [c.grad, c.grad.grad_fn]
        acc2(w * 1)
        facts += [c.grad, c.grad.grad_fn]
        with torch.no_grad():
            acc2(w * 1)
        facts += [c.grad, c.grad.grad_fn, acc.variable is a, acc.name()]
        return facts
    assert_same_outcome(program)


def test_node_metadata_and_names():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = (x * 2).sum()
        return (y.grad_fn.name(), y.grad_fn.next_functions[0][0].name(),
                y.grad_fn.next_functions[0][0].next_functions[0][0].name(),
                y.grad_fn.requires_grad if hasattr(y.grad_fn, "requires_grad") else None,
                y.grad_fn.metadata)
    assert_same_outcome(program)


# == custom Function and nn.Module ==========================================================
def _square_function(torch):
    class SquareFunction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return input ** 2

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors
            return 2 * input * grad_output
    return SquareFunction


def _square_add_function(torch):
    class SquareAddFunction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            ctx.seen = ctx.needs_input_grad
            return x ** 2 + y ** 2

        @staticmethod
        def backward(ctx, grad_output):
            x, y = ctx.saved_tensors
            return 2 * x * grad_output, 2 * y * grad_output
    return SquareAddFunction


def test_custom_function():
    def program(torch):
        Square = _square_function(torch)
        x = torch.tensor(3.0, requires_grad=True)
        y = Square.apply(x)
        y.backward()
        return (y, x.grad, y.grad_fn, type(y.grad_fn).__name__, y.grad_fn.name(),
                clean(repr(y.grad_fn)), y.grad_fn.next_functions)
    assert_same_outcome(program)


def test_known_custom_function():
    Square = _square_function(lab)
    x = lab.tensor(3.0, requires_grad=True)
    y = Square.apply(x)
    y.backward()
    assert x.grad.item() == 6.0 and y.grad_fn.name() == "SquareFunctionBackward"


def test_custom_function_two_inputs_and_needs_input_grad():
    def program(torch):
        SquareAdd = _square_add_function(torch)
        x = torch.tensor(1.0, requires_grad=True)
        y = torch.tensor(2.0)
        z = SquareAdd.apply(x, y)
        z.backward()
        w = torch.tensor(2.0, requires_grad=True)
        z2 = SquareAdd.apply(x, w)
        z2.backward()
        with torch.no_grad():
            z3 = SquareAdd.apply(x, w)
        return (z, x.grad, z.grad_fn.needs_input_grad, z.grad_fn.seen, z.grad_fn.next_functions,
                w.grad, z2.grad_fn.needs_input_grad, z3.requires_grad, z3.grad_fn)
    assert_same_outcome(program)


def test_custom_function_saved_tensors_freed():
    def program(torch):
        Square = _square_function(torch)
        x = torch.tensor(3.0, requires_grad=True)
        y = Square.apply(x)
        y.backward()
        return y.grad_fn.saved_tensors
    assert_same_error(program)


def test_custom_function_wrong_number_of_grads():
    def program(torch):
        class Bad(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x, y):
                return x * y

            @staticmethod
            def backward(ctx, g):
                return g
        x = torch.tensor(1.0, requires_grad=True)
        Bad.apply(x, x).backward()
    assert_same_error(program)

    def extra_none_is_fine(torch):
        class Extra(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g * 2, None
        x = torch.tensor(1.0, requires_grad=True)
        Extra.apply(x).backward()
        return x.grad
    assert_same_outcome(extra_none_is_fine)


def test_custom_function_non_tensor_argument_and_second_order():
    def program(torch):
        class Scale(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x, k):
                ctx.k = k
                ctx.save_for_backward(x)
                return x * x * k

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return g * 2 * x * ctx.k, None
        x = torch.tensor([1., 2.], requires_grad=True)
        y = Scale.apply(x, 3.0)
        g, = torch.autograd.grad(y.sum(), x, create_graph=True)
        g2, = torch.autograd.grad(g.sum(), x)
        return y, g, g2, y.grad_fn.next_functions
    assert_same_outcome(program)


def test_module():
    def program(torch):
        Square = _square_function(torch)
        nn = torch.nn

        class MySquare(nn.Module):
            def __init__(self):
                super().__init__()

            def forward(self, input):
                return Square.apply(input)

        class Affine(nn.Module):
            def __init__(self):
                super().__init__()
                self.w = nn.Parameter(torch.tensor([2., 3.]))
                self.b = nn.Parameter(torch.tensor(1.))
                self.sq = MySquare()
                self.act = nn.ReLU()

            def forward(self, x):
                return self.act(self.sq(x * self.w + self.b)).sum()

        m = Affine()
        x = torch.tensor([1., -1.])
        y = m(x)
        y.backward()
        names = [n for n, _ in m.named_parameters()]
        grads = [p.grad for p in m.parameters()]
        m.zero_grad()
        after = [p.grad for p in m.parameters()]
        return (y, m.forward(x), names, grads, after, repr(m), repr(MySquare()),
                isinstance(m.w, torch.Tensor), m.w.is_leaf, m.w.requires_grad, repr(m.b))
    assert_same_outcome(program)


def test_legacy_variable():
    def program(torch):
        from_module = __import__(torch.__name__ + ".autograd", fromlist=["Variable"])
        Variable = from_module.Variable
        v = Variable(torch.tensor([1., 2.]), requires_grad=True)
        y = (v * v).sum()
        y.backward()
        return v, v.grad, isinstance(v, Variable), isinstance(torch.ones(1), Variable), \
            Variable(torch.ones(2)).requires_grad
    assert_same_outcome(program)


def test_legacy_variable_function_error():
    def program(torch):
        variable = __import__(torch.__name__ + ".autograd", fromlist=["variable"]).variable
        return variable(torch.ones(1))
    expected, actual = run_both(program)
    assert actual.error == expected.error


# == dtypes of results =======================================================================
@pytest.mark.parametrize("expr", [
    "f32 + 1", "f32 * 2.5", "1 - f32", "f32 / 2", "f32 + f64_0d", "f64_0d * f32",
    "i64 + 1", "i64 * 1.5", "i64 / 2", "i64 + f32", "i64 + f64_0d", "b + 1", "b + b",
    "b * 1.5", "b + f32", "i64 ** 2", "f32 ** 2", "2 ** f32", "2.0 ** i64", "f32_0d + i64",
    "i64_0d + f32_0d", "f32 + True", "i64 // 2" if False else "i64 - i64_0d",
    "f32.sum()", "i64.sum()", "b.sum()", "f32.mean()", "f32.norm()", "-i64", "abs(i64)",
    "i64 == 1", "f32 > 1", "f32 < i64", "f32 != f32", "f32.relu()",
])
def test_type_promotion(expr):
    def program(torch):
        env = {
            "f32": torch.tensor([1., 2.]), "f64_0d": torch.tensor(2., dtype=torch.float64),
            "f32_0d": torch.tensor(1.5), "i64": torch.tensor([1, 2]), "i64_0d": torch.tensor(3),
            "b": torch.tensor([True, False]),
        }
        r = eval(expr, {}, env)
        return r.dtype, r
    assert_same_outcome(program)


def test_known_type_promotion():
    f32, i64 = lab.tensor([1., 2.]), lab.tensor([1, 2])
    assert (f32 + 1).dtype is lab.float32
    assert (f32 + lab.tensor(2., dtype=lab.float64)).dtype is lab.float32
    assert (i64 * 1.5).dtype is lab.float32
    assert (i64 + 1).dtype is lab.int64
    assert (lab.tensor([True]) + 1).dtype is lab.int64
    assert (i64 / 2).dtype is lab.float32


def test_requires_grad_through_promotion():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * torch.tensor([2, 3]) + torch.tensor(1., dtype=torch.float64)
        y.sum().backward()
        return y, x.grad
    assert_same_outcome(program)


# == broadcasting gradients ==================================================================
@pytest.mark.parametrize("sa, sb", [((3, 1), (1, 4)), ((3,), (1,)), ((), (2, 3)),
                                    ((2, 3), ()), ((4, 1, 3), (2, 1)), ((1,), (3,))])
@pytest.mark.parametrize("op", ["add", "sub", "mul", "div"])
def test_broadcasting_gradients(sa, sb, op):
    def program(torch):
        a = (torch.arange(float(np.prod(sa))) + 1).reshape(sa).requires_grad_()
        b = (torch.arange(float(np.prod(sb))) + 2).reshape(sb).requires_grad_()
        y = getattr(torch, op)(a, b)
        (y * y).sum().backward()
        return y, a.grad, b.grad
    assert_same_outcome(program)


def test_known_broadcasting_gradient_shapes():
    a = lab.ones(3, 1, requires_grad=True)
    b = lab.ones(1, 4, requires_grad=True)
    (a * b).sum().backward()
    assert a.grad.shape == (3, 1) and a.grad.tolist() == [[4.], [4.], [4.]]
    assert b.grad.shape == (1, 4) and b.grad.tolist() == [[3.] * 4]
    s = lab.tensor(2., requires_grad=True)
    (s * lab.ones(2, 3)).sum().backward()
    assert s.grad.shape == () and s.grad.item() == 6.


def test_scalar_operand_gradients():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = (2 * x + 1 - x / 4) ** 2 + 3 / x - 1 * x
        y.sum().backward()
        return y, x.grad, y.grad_fn.next_functions
    assert_same_outcome(program)


# == iteration, builtin sum, indexing ======================================================
def test_iteration_and_builtin_sum():
    def program(torch):
        x = torch.ones(3, requires_grad=True)
        w = torch.tensor([1., 2., 3.], requires_grad=True)
        y = w * x
        parts = list(y)
        z = sum(y)
        z.backward()
        return (parts, [p.grad_fn for p in parts], [p.output_nr for p in parts], z,
                z.grad_fn, x.grad, w.grad)
    assert_same_outcome(program)


def test_known_builtin_sum():
    x = lab.ones(3, requires_grad=True)
    w = lab.tensor([1., 2., 3.], requires_grad=True)
    z = sum(w * x)
    z.backward()
    assert z.item() == 6.0 and x.grad.tolist() == [1., 2., 3.] and w.grad.tolist() == [1.] * 3
    assert z.grad_fn.name() == "AddBackward0"


@pytest.mark.parametrize("index", [
    "0", "-1", "1:", ":2", "::2", ":", "None", "...", "(0, 1)", "(slice(None), 1)",
    "(..., 0)", "(None, 0)", "(0, None)", "(1, slice(0, 2))", "(Ellipsis, None)",
    "(slice(None, None, 2), slice(1, None))", "(0, ...)", "(slice(1, 5),)",
])
def test_indexing(index):
    def program(torch):
        x = torch.arange(12.).reshape(3, 4).requires_grad_()
        y = x[eval(index)]
        nodes = []
        fn = y.grad_fn
        while fn is not None and type(fn).__name__ != "AccumulateGrad":
            nodes.append(fn)
            fn = fn.next_functions[0][0]
        (y * y).sum().backward()
        return y, nodes, x.grad, y._version, y.is_leaf
    assert_same_outcome(program)


def test_indexing_with_integer_tensors():
    def program(torch):
        x = torch.arange(5.).requires_grad_()
        idx = torch.tensor([0, 2, 2, 4])
        y = x[idx]
        (y * torch.tensor([1., 2., 3., 4.])).sum().backward()
        return y, y.grad_fn, x.grad
    assert_same_outcome(program)


def test_comparisons_return_bool_tensors():
    def program(torch):
        x = torch.tensor([1., 2., 3.], requires_grad=True)
        return (x == 2, x > 1, x < 3, x >= 2, x <= 2, x != 2, x == x * 1, (x * 2) > 3,
                torch.tensor([1, 2]) == torch.tensor([1., 3.]))
    assert_same_outcome(program)


def test_known_comparisons():
    x = lab.tensor([1., 2., 3.], requires_grad=True)
    r = x > 1.5
    assert r.dtype is lab.bool and r.tolist() == [False, True, True]
    assert r.requires_grad is False and r.grad_fn is None


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cat_with_dim(dim):
    def program(torch):
        a = torch.arange(6.).reshape(2, 3).requires_grad_()
        b = torch.ones(2, 3, requires_grad=True)
        c = torch.cat([a, b * 2, a], dim=dim)
        (c * torch.arange(float(c.numel())).reshape(c.shape)).sum().backward()
        return c, c.grad_fn, a.grad, b.grad
    assert_same_outcome(program)


@pytest.mark.parametrize("value", ["2.5", "3", "True", "-0.125", "1e-08", "123456.789"])
@pytest.mark.parametrize("spec", ["", ".2f", "8.3f", "e"])
def test_format_0d_tensor(value, spec):
    def program(torch):
        t = torch.tensor(eval(value))
        return format(t, spec), f"{t}", str(t)
    assert_same_outcome(program)


def test_known_format_0d():
    assert f"{lab.tensor(2.5)}" == "2.5"
    assert f"{lab.tensor(2.5):.3f}" == "2.500"
    assert f"{lab.tensor(3)}" == "3"


def test_format_multi_element_tensor():
    def program(torch):
        t = torch.tensor([1.5, 2.0])
        return f"{t}", f"{t.sum()}"
    assert_same_outcome(program)


def test_known_backward_create_graph_warns_once(monkeypatch):
    """PyTorch warns about the parameter/gradient reference cycle the first time a backward()
    runs with create_graph=True in a process (TORCH_WARN_ONCE); autograd.grad never warns."""
    import warnings
    from autograd_lab.autograd import api
    monkeypatch.setattr(api, "_warned_create_graph", False)
    x = lab.tensor([1., 2.], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lab.autograd.grad((x ** 3).sum(), x, create_graph=True)
        assert caught == []
        (x ** 3).sum().backward(create_graph=True)
        (x ** 3).sum().backward(create_graph=True)
    assert [(w.category, str(w.message)) for w in caught] == [(UserWarning, (
        "Using backward() with create_graph=True will create a reference cycle between the "
        "parameter and its gradient which can cause a memory leak. We recommend using "
        "autograd.grad when creating the graph to avoid this. If you have to use this "
        "function, make sure to reset the .grad fields of your parameters to None after use to "
        "break the cycle and avoid the leak."))]
