"""Reductions against PyTorch: prod, max/min (whole tensor, along a dim with indices, and the
``torch.return_types.max`` they return), amax/amin, argmax/argmin, var/std (correction and
unbiased), all/any.

Values come from ``TIES`` for max/min/amax (equal elements share the gradient) and prod with
zeros, from continuous ranges otherwise; shapes include 0-d tensors and size-1 dims. Forward
values and graphs, first derivatives, the graphs of the first derivatives and the second
derivatives are compared with torch; then finite differences in float64; error messages word
for word; printing of the named tuples.
"""
import pickle

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd_lab as lab

from ops_support import check_against_torch, shapes, values_for
from oracle import assert_same_error, assert_same_outcome, graph_signature
from gradcheck_support import check_gradient, check_second_derivative, rand

FAST = settings(deadline=None, max_examples=12, derandomize=True)


def _dim(draw, shape):
    """A dim of ``shape`` (negative half the time); 0 for a 0-d tensor."""
    n = max(len(shape), 1)
    d = draw(st.integers(0, n - 1))
    return d - n if draw(st.booleans()) else d


# name: (function of (torch, x, dim), value kind, needs a non-empty reduced dim,
#        whole-tensor op needs a non-empty tensor, second derivatives compared)
REDUCTIONS = {
    "prod": (lambda T, x, d: x.prod(), "ties", False, False, True),
    "prod_dim": (lambda T, x, d: x.prod(d), "ties", False, False, True),
    "prod_dim_keepdim": (lambda T, x, d: T.prod(x, d, keepdim=True), "nonzero", False, False,
                         True),
    "max": (lambda T, x, d: x.max(), "ties", False, True, True),
    "min_fn": (lambda T, x, d: T.min(x), "ties", False, True, True),
    "max_dim": (lambda T, x, d: x.max(d), "ties", True, False, True),
    "max_dim_keepdim": (lambda T, x, d: T.max(x, d, keepdim=True), "ties", True, False, True),
    "min_dim_values": (lambda T, x, d: x.min(dim=d).values * 2, "ties", True, False, True),
    "amax": (lambda T, x, d: x.amax(d), "ties", True, False, True),
    "amin_all": (lambda T, x, d: T.amin(x), "ties", False, True, True),
    "amax_keepdim": (lambda T, x, d: x.amax(d, keepdim=True), "ties", True, False, True),
    "arg": (lambda T, x, d: (x.argmax(), T.argmin(x), x.argmax(d), x.argmin(d, keepdim=True)),
            "ties", True, True, False),
    "var": (lambda T, x, d: x.var(), "any", False, False, True),
    "var_dim": (lambda T, x, d: x.var(d), "any", False, False, True),
    "var_unbiased_false": (lambda T, x, d: T.var(x, d, False, True), "any", False, False, True),
    "var_correction": (lambda T, x, d: x.var(dim=d, correction=0), "any", False, False, True),
    "std": (lambda T, x, d: x.std(), "any", False, False, True),
    "std_dim_keepdim": (lambda T, x, d: x.std(d, keepdim=True), "any", False, False, True),
    "std_unbiased_positional": (lambda T, x, d: T.std(x, False), "any", False, False, True),
    "std_correction_2": (lambda T, x, d: x.std(correction=2), "any", False, False, True),
    "all_any": (lambda T, x, d: (x.all(), T.any(x), (x > 0).all(d), T.any(x < 0, d, True)),
                "ties", False, False, False),
}


@pytest.mark.parametrize("name", REDUCTIONS)
@FAST
@given(data=st.data(), shape=shapes(max_dims=3, min_side=1))
def test_reduction_against_torch(name, data, shape):
    f, kind, _, _, second = REDUCTIONS[name]
    d = _dim(data.draw, shape)
    check_against_torch(lambda T, x: f(T, x, d), [values_for(data.draw, shape, kind)],
                        second=second)


@pytest.mark.parametrize("name", [n for n, v in REDUCTIONS.items() if not v[2] and not v[3]])
@settings(deadline=None, max_examples=4, derandomize=True)
@given(data=st.data(), shape=shapes(min_dims=1, max_dims=3, min_side=0))
def test_reduction_of_empty_tensors_against_torch(name, data, shape):
    """Size-0 dims: prod is 1, var/std nan (with PyTorch's warning), all/any True/False."""
    f, kind, _, _, second = REDUCTIONS[name]
    d = _dim(data.draw, shape)
    check_against_torch(lambda T, x: f(T, x, d), [values_for(data.draw, shape, kind)],
                        second=second)


@pytest.mark.parametrize("name", ["prod_dim", "max_dim", "amax", "var_dim", "std"])
def test_float64_against_torch(name):
    f = REDUCTIONS[name][0]
    check_against_torch(lambda T, x: f(T, x, 1), [[[0.5, 1.0, 2.0], [0.25, 1.5, 3.0]]],
                        dtype="float64")


@pytest.mark.parametrize("vals", [[[2.0, 0.0, 3.0], [1.0, 4.0, 0.5]],
                                  [[0.0, 0.0, 3.0], [1.0, 0.0, 2.0]], [[0.0], [2.0]]])
@pytest.mark.parametrize("dim", [None, 0, 1])
def test_prod_with_zeros(vals, dim):
    """One zero: only it gets a gradient (the product of the others); two zeros: none. The
    derivative is PyTorch's prod_safe_zeros_backward (exclusive cumprods: CatBackward0,
    CumprodBackward0, FlipBackward0), its derivative cumprod's O(n^2) formula (CopySlices)."""
    def program(T):
        x = T.tensor(vals, requires_grad=True)
        y = x.prod() if dim is None else x.prod(dim)
        g, = T.autograd.grad(y.sum(), x, create_graph=True)
        if not g.requires_grad:
            return g
        g2, = T.autograd.grad((g * g).sum(), x, create_graph=True)
        g3, = T.autograd.grad((g2 * g2).sum(), x)
        return g, graph_signature(g), g2, graph_signature(g2), g3
    assert_same_outcome(program)


SCANS = {
    "cumsum": (lambda T, x, d: x.cumsum(d), "any"),
    "cumsum_fn": (lambda T, x, d: T.cumsum(x, dim=d) * x, "any"),
    "cumprod": (lambda T, x, d: x.cumprod(d), "nonzero"),
    "cumprod_ties": (lambda T, x, d: T.cumprod(x, d), "ties"),
    "flip": (lambda T, x, d: x.flip(d) * x, "any"),
    "flip_all": (lambda T, x, d: T.flip(x, list(range(x.dim()))) * 2, "any"),
}


@pytest.mark.parametrize("name", SCANS)
@FAST
@given(data=st.data(), shape=shapes(max_dims=3, min_side=1))
def test_scan_against_torch(name, data, shape):
    f, kind = SCANS[name]
    d = _dim(data.draw, shape)
    check_against_torch(lambda T, x: f(T, x, d), [values_for(data.draw, shape, kind)])


def test_return_types_print_unpack_and_pickle():
    def program(T):
        x = T.tensor([[1., 5.], [7., 2.]], requires_grad=True)
        r = x.max(1)
        v, i = r
        s = T.min(x, 0, keepdim=True)
        return (repr(r), str(s), r.values, r.indices, v, i, r[0], len(r), type(r).__name__,
                str(type(r)), isinstance(r, tuple), r == (r[0], r[1]), repr(r[:1]),
                repr(pickle.loads(pickle.dumps(T.ones(2).max(0)))), r.n_fields,
                hasattr(r, "_fields"))
    assert_same_outcome(program)


def test_max_nan_and_integers():
    nan = float("nan")

    def program(T):
        x = T.tensor([[1., nan, 2.], [3., 0., -1.]])
        i = T.tensor([[3, 1], [1, 3]])
        return (x.max(), x.max(1), x.argmax(), x.amax(0), i.max(), i.min(1), i.argmax(0),
                i.prod(), T.tensor([True, False]).prod(), i.prod(0, dtype=T.float64))
    assert_same_outcome(program)


ERRORS = {
    "max_empty": lambda T: T.ones(0).max(),
    "max_dim_empty": lambda T: T.ones(2, 0).max(1),
    "argmax_empty": lambda T: T.ones(0).argmax(),
    "argmin_dim_empty": lambda T: T.ones(2, 0).argmin(1),
    "amax_empty": lambda T: T.ones(0).amax(),
    "amax_dim_empty": lambda T: T.ones(2, 0).amax(1),
    "max_dim_range": lambda T: T.ones(2, 3).max(2),
    "var_int": lambda T: T.tensor([1, 2]).var(),
    "std_both": lambda T: T.ones(3).std(unbiased=True, correction=0),
    "prod_dim_range": lambda T: T.ones(2).prod(1),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error_messages(name):
    assert_same_error(ERRORS[name])


# == finite differences ==========================================================================
GRADCHECK = {
    "prod": lambda a: a.prod(),
    "prod_dim": lambda a: a.prod(1),
    "prod_keepdim": lambda a: a.prod(0, keepdim=True),
    "prod_with_zero": lambda a: (a * lab.tensor([[1., 0., 1.], [1., 1., 1.]],
                                                 dtype=lab.float64)).prod(),
    "max": lambda a: a.max(),
    "min_dim": lambda a: a.min(1).values,
    "max_dim_keepdim": lambda a: a.max(0, keepdim=True)[0],
    "amax": lambda a: a.amax(1),
    "amin_keepdim": lambda a: a.amin(0, keepdim=True),
    "var": lambda a: a.var(),
    "var_dim": lambda a: a.var(1),
    "var_correction_0": lambda a: a.var(0, correction=0),
    "std": lambda a: a.std(),
    "std_dim": lambda a: a.std(1, keepdim=True),
    "cumsum": lambda a: a.cumsum(1),
    "cumprod": lambda a: a.cumprod(1),
    "cumprod_with_zero": lambda a: (a * lab.tensor([[1., 0., 1.], [0., 1., 1.]],
                                                   dtype=lab.float64)).cumprod(1),
    "flip": lambda a: a.flip(0, 1) * a,
}


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradcheck(name):
    check_gradient(name, GRADCHECK[name], (rand(2, 3, away_from=0.),))


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradgradcheck(name):
    check_second_derivative(name, GRADCHECK[name], (rand(2, 3, away_from=0.),))


def test_known_values():
    x = lab.tensor([[1., 3., 3.], [0., -1., 2.]], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [[0., 0.5, 0.5], [0., 0., 0.]]
    v, i = x.max(1)
    assert v.tolist() == [3., 2.] and i.tolist() == [1, 2]
    x.grad = None
    x.amax(1).sum().backward()
    assert x.grad.tolist() == [[0., 0.5, 0.5], [0., 0., 1.]]
    y = lab.tensor([1., 2., 3., 4.], requires_grad=True)
    assert y.var().item() == pytest.approx(5 / 3) and y.std(correction=0).item() == \
        pytest.approx(np.sqrt(1.25))
    y.prod().backward()
    assert y.grad.tolist() == [24., 12., 8., 6.]
    assert lab.tensor([[True, False]]).any(1).tolist() == [True]
