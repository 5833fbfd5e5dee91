"""Views and in-place ops against PyTorch 2.13: views share memory and the version counter with
their base; an in-place op on a view of a non-leaf rewrites the base's history (``CopySlices``
around the op's own node) and gives the view, and every other view of the base, a regenerated
``AsStridedBackward0``; ``create_graph=True`` through them records PyTorch's nodes
(``CopyBackwards``, ``AsStridedBackward0``, ``CloneBackward0``, nested ``CopySlices``). PyTorch's
refusals come with its messages: a view of a leaf, a view made in no_grad mode, an output of a
multi-output op (unbind/split/chunk), an expanded view.

A hypothesis test draws a chain of view ops and an in-place op and compares values, graphs,
versions, gradients and second derivatives; the named programs pin down the cases the lessons
use (``y[0].mul_(2)``, ``y[1:] = 0``, ``y.view(-1).add_(1)``).
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd_lab as lab

from ops_support import values_for
from oracle import assert_same_error, assert_same_outcome, graph_signature
from gradcheck_support import check_gradient, check_second_derivative, rand


def _facts(T, x, y, views, extra=()):
    """What must agree after the in-place change: values, versions, graphs, gradients of a
    loss using the base and the views, and second derivatives."""
    facts = {"y": y, "y_graph": graph_signature(y), "version": y._version,
             "views": [(v, graph_signature(v), v._version) for v in views]}
    loss = (y * y).sum() + sum((v * 3).sum() for v in views)
    leaves = [x] + [e for e in extra if e.requires_grad]
    grads = T.autograd.grad(loss, leaves, create_graph=True, allow_unused=True)
    facts["grads"] = grads
    facts["grad_graphs"] = [graph_signature(g) if g is not None else None for g in grads]
    used = [g for g in grads if g is not None and g.requires_grad]
    if used:
        facts["grads2"] = T.autograd.grad(sum((g * g).sum() for g in used), leaves,
                                          allow_unused=True)
    return facts


PROGRAMS = {}


def program(f):
    PROGRAMS[f.__name__] = f
    return f


@program
def select_mul_(T):
    x = T.tensor([1., 2., 3.], requires_grad=True)
    y = x * 2
    v = y[0]
    v.mul_(2)
    return _facts(T, x, y, [v])


@program
def slice_assign_zero(T):
    x = T.tensor([1., 2., 3.], requires_grad=True)
    y = x * 2
    y[1:] = 0
    return _facts(T, x, y, [])


@program
def view_add_(T):
    x = T.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    y = x * 2
    w = y.view(-1)
    w.add_(1)
    return _facts(T, x, y, [w])


@program
def inplace_with_grad_operand(T):
    x = T.tensor([1., 2., 3.], requires_grad=True)
    w = T.tensor([0.5, -1.], requires_grad=True)
    y = x * x
    v = y[1:]
    v.mul_(w)
    return _facts(T, x, y, [v], [w])


@program
def other_views_regenerated(T):
    x = T.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    y = x * 2
    a, b, c = y[0], y[:, 1], y.t()
    y[1, 1] = 5.
    return _facts(T, x, y, [a, b, c])


@program
def base_inplace_regenerates_views(T):
    x = T.tensor([1., 2., 3.], requires_grad=True)
    y = x * 2
    v = y[:2]
    y.exp_()
    return _facts(T, x, y, [v])


@program
def chain_of_views(T):
    x = T.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
    y = x + 0
    v = y.t()[1:].unsqueeze(0)
    v.sin_()
    return _facts(T, x, y, [v])


@program
def view_of_tensor_without_grad(T):
    x = T.tensor([1., 2., 3.], requires_grad=True)
    z = T.zeros(2, 3)
    z[0] = x
    z[1, 1:] = x[:2] * x[1:]
    return _facts(T, x, z, [])


@program
def inplace_under_no_grad(T):
    x = T.tensor([1., 2., 3.], requires_grad=True)
    y = x * 2
    v = y[1:]
    with T.no_grad():
        y.mul_(2)
        v[0] = 7.
    return _facts(T, x, y, [v])


@program
def expand_row_inplace(T):
    x = T.tensor([1., 2.], requires_grad=True)
    y = x * 1
    e = y.expand(2, 2)
    e[0].add_(1)
    return _facts(T, x, y, [e])


@program
def size_one_dims_and_keepdim_views(T):
    x = T.tensor([[1., 2., 3.]], requires_grad=True)
    y = x * 1
    v = y[0:1]
    w = y[0]
    y.mul_(2)
    return _facts(T, x, y, [v, w])


@program
def repeated_inplace_on_view(T):
    x = T.tensor([1., 2., 3., 4.], requires_grad=True)
    y = x.clone()
    v = y[1:3]
    v.mul_(x[:2])
    v.add_(1)
    v.clamp_(0, 5)
    y[0] = v[1]
    return _facts(T, x, y, [v])


@program
def random_fill_on_a_view(T):
    T.manual_seed(0)
    x = T.tensor([1., 2., 3.], requires_grad=True)
    y = x * 2
    y[1:].normal_()
    z = x * 3
    z.uniform_(-1, 1)
    return _facts(T, x, y, []), z, graph_signature(z)


@program
def retain_grad_follows_inplace(T):
    x = T.tensor([1., 2., 3.], requires_grad=True)
    y = x * 2
    y.retain_grad()
    y[0].mul_(3)
    y.sum().backward()
    return y.grad, x.grad, y.grad_fn


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name):
    assert_same_outcome(PROGRAMS[name])


# == drawn chains of views and in-place ops ========================================================
VIEW_STEPS = ["select", "slice", "t", "transpose", "unsqueeze", "view_flat", "narrow",
              "permute", "squeeze", "alias", "diag_like_index"]
INPLACE = ["mul_", "add_", "zero_", "fill_", "copy_", "clamp_", "exp_", "sin_", "div_grad",
           "setitem", "neg_", "pow_"]


def _apply_view(T, v, step, k):
    if v.dim() == 0:
        return v
    d = k % v.dim()
    n = v.shape[d]
    if step == "select":
        return v.select(d, k % n) if n else v
    if step == "slice":
        return v[(slice(None),) * d + (slice(k % 2, None),)]
    if step == "t":
        return v.t() if v.dim() <= 2 else v
    if step == "transpose":
        return v.transpose(0, -1)
    if step == "unsqueeze":
        return v.unsqueeze(d)
    if step == "view_flat":
        return v.view(-1) if v.is_contiguous() else v
    if step == "narrow":
        return v.narrow(d, 0, max(n - 1, 0))
    if step == "permute":
        return v.permute(*reversed(range(v.dim())))
    if step == "squeeze":
        return v.squeeze()
    if step == "alias":
        return v[...]
    return v[:1]


def _apply_inplace(T, v, op, w):
    if op == "mul_":
        v.mul_(2)
    elif op == "add_":
        v.add_(w)
    elif op == "zero_":
        v.zero_()
    elif op == "fill_":
        v.fill_(0.5)
    elif op == "copy_":
        v.copy_(w * 2)
    elif op == "clamp_":
        v.clamp_(-1, 1)
    elif op == "exp_":
        v.exp_()
    elif op == "sin_":
        v.sin_()
    elif op == "div_grad":
        v.div_(w + 3)
    elif op == "setitem":
        v[...] = w
    elif op == "neg_":
        v.neg_()
    else:
        v.pow_(2)


@settings(deadline=None, max_examples=80, derandomize=True)
@given(data=st.data(), shape=st.lists(st.integers(1, 3), min_size=1, max_size=3).map(tuple),
       steps=st.lists(st.tuples(st.sampled_from(VIEW_STEPS), st.integers(0, 5)), min_size=1,
                      max_size=3),
       op=st.sampled_from(INPLACE), keep_other_view=st.booleans())
def test_drawn_view_chains_against_torch(data, shape, steps, op, keep_other_view):
    vals = values_for(data.draw, shape, "small")

    def prog(T):
        x = T.tensor(vals, requires_grad=True)
        w = T.tensor(0.25, requires_grad=True)
        y = x * 1.5
        other = y.view(-1) if keep_other_view else None
        v = y
        for step, k in steps:
            v = _apply_view(T, v, step, k)
        _apply_inplace(T, v, op, w)
        views = [v] + ([other] if other is not None else [])
        return _facts(T, x, y, views, [w])
    assert_same_outcome(prog)


# == refusals and their messages ===================================================================
ERRORS = {
    "view_of_leaf": lambda T: T.ones(3, requires_grad=True)[0].mul_(2),
    "view_of_leaf_setitem": lambda T: T.ones(3, requires_grad=True).__setitem__(0, 1.),
    "unbind_output": lambda T: (T.ones(2, requires_grad=True) * 1).unbind()[0].mul_(2),
    "split_output": lambda T: (T.ones(4, requires_grad=True) * 1).split(2)[1].add_(1),
    "chunk_output": lambda T: (T.ones(4, requires_grad=True) * 1).chunk(2)[0].zero_(),
    "view_of_split_output": lambda T: (T.ones(4, requires_grad=True) * 1).split(2)[1][0].mul_(2),
    "view_of_unbind_output": lambda T: (T.ones(2, 2, requires_grad=True) * 1).unbind()[1][1:].add_(1),
    "no_grad_view": lambda T: _no_grad_view(T).mul_(2),
    "second_backward_through_copy_slices": lambda T: _twice(T, lambda y: y[1:].add_(1)),
    "second_backward_after_setitem": lambda T: _twice(T, lambda y: y.__setitem__(0, 2.)),
    "pow_exponent_modified": lambda T: _pow_exponent_modified(T),
    "expanded": lambda T: (T.ones(2, requires_grad=True) * 1).expand(2, 2).add_(1),
    "expanded_no_grad": lambda T: T.ones(2).expand(3, 2).mul_(2),
    "modified_saved_base": lambda T: _modified_saved(T),
}


def _twice(T, change):
    """PyTorch's CopySlices refuses a second backward even when the wrapped op saved nothing."""
    x = T.ones(3, requires_grad=True)
    y = x * 2
    change(y)
    y.sum().backward()
    y.sum().backward()


def _pow_exponent_modified(T):
    x = T.tensor([1., 2.], requires_grad=True)
    e = x * 1
    y = 2 ** e  # PowBackward2 saves the exponent too
    e.add_(1)
    y.sum().backward()


def _no_grad_view(T):
    y = T.ones(2, requires_grad=True) * 1
    with T.no_grad():
        return y[0:1]


def _modified_saved(T):
    x = T.ones(3, requires_grad=True)
    y = x * 2
    z = y.exp()
    y[0].mul_(2)
    (z * y).sum().backward()
    z.sum().backward()


@pytest.mark.parametrize("name", ERRORS)
def test_error_messages(name):
    assert_same_error(ERRORS[name])


def test_modified_saved_tensor_names_copy_slices():
    """PyTorch's message names the base's new node with its namespace."""
    def prog(T):
        x = T.ones(3, requires_grad=True)
        y = x * 2
        z = y * y
        y[0] = 1.
        z.sum().backward()
    assert "torch::autograd::CopySlices" in assert_same_error(prog)[1]


def test_inplace_through_detach_regenerates_views():
    """detach() shares the version counter: a change through it is a change of the base."""
    def prog(T):
        y = T.ones(3, requires_grad=True) * 2
        v = y[1:]
        d = y.detach()
        d.add_(1)
        return v.grad_fn, v.grad_fn.next_functions, y._version, v
    assert_same_outcome(prog)


# == finite differences ============================================================================
def _via_view(a, op):
    y = a * 1
    v = y[:, 1:]
    op(v)
    return y * y


GRADCHECK = {
    "mul_": lambda a: _via_view(a, lambda v: v.mul_(a[:, :2])),
    "exp_": lambda a: _via_view(a, lambda v: v.exp_()),
    "copy_": lambda a: _via_view(a, lambda v: v.copy_(a[:, :2] * a[:, 1:])),
    "setitem": lambda a: _via_view(a, lambda v: v.__setitem__(0, a[1, :2])),
    "clamp_": lambda a: _via_view(a, lambda v: v.clamp_(-1, 1)),
    "select_then_view": lambda a: _via_view(a, lambda v: v[1].view(-1).sin_()),
}


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradcheck(name):
    check_gradient(name, GRADCHECK[name], (rand(2, 3, away_from=1.),))


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradgradcheck(name):
    check_second_derivative(name, GRADCHECK[name], (rand(2, 3, away_from=1.),))


def test_known_values_and_names():
    x = lab.tensor([1., 2., 3.], requires_grad=True)
    y = x * 2
    v = y[0]
    v.mul_(2)
    assert y.tolist() == [4., 4., 6.] and y._version == v._version == 1
    assert y.grad_fn.name() == "torch::autograd::CopySlices"
    assert [type(fn).__name__ for fn, _ in y.grad_fn.next_functions] == ["MulBackward0",
                                                                         "NoneType"]
    assert v.grad_fn.name() == "AsStridedBackward0"
    assert v.grad_fn.next_functions[0][0] is y.grad_fn
    y.sum().backward()
    assert x.grad.tolist() == [4., 2., 2.]
    a = lab.tensor([[0., 1., 2.], [3., 4., 5.]])
    b = a.t()[1:].t()
    assert not b.is_contiguous() and b._base is a  # a view of a view points at the root
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        b.view(4)
