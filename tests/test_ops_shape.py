"""Ops that move or pick elements, against PyTorch: repeat, split (sizes or one size), chunk,
narrow, index_select, gather, take_along_dim, scatter (tensor or number), scatter_add,
index_add, masked_fill (number or 0-d tensor), masked_select, masked_scatter, expand_as,
view_as, reshape_as, and ``view``'s contiguity rule.

Forward values and graphs, first derivatives (repeated indices accumulate), the graphs of the
first derivatives and second derivatives, on hypothesis-drawn shapes with size-0 and size-1
dims; index tensors drawn in range. Then finite differences in float64 and error messages.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd_lab as lab

try:
    from .ops_support import check_against_torch, shapes, values_for
    from .oracle import assert_same_error, assert_same_outcome
    from .test_engine_ops_gradcheck import check_gradient, check_second_derivative, rand
except ImportError:
    from ops_support import check_against_torch, shapes, values_for
    from oracle import assert_same_error, assert_same_outcome
    from test_engine_ops_gradcheck import check_gradient, check_second_derivative, rand

pytest.importorskip("torch")
FAST = settings(deadline=None, max_examples=12, derandomize=True)


def _dim(draw, shape):
    n = max(len(shape), 1)
    d = draw(st.integers(0, n - 1))
    return d - n if draw(st.booleans()) else d


def _index(draw, n, size, allow_empty=True):
    """``size`` integers in ``[0, n)`` (repeats likely), as a list."""
    if n == 0:
        return []
    return draw(st.lists(st.integers(0, n - 1), min_size=size, max_size=size))


@FAST
@given(data=st.data(), shape=shapes(min_dims=1), extra=st.integers(0, 2))
def test_repeat(data, shape, extra):
    reps = tuple(data.draw(st.integers(0, 3)) for _ in range(len(shape) + extra))
    check_against_torch(lambda T, x: x.repeat(*reps), [values_for(data.draw, shape)])


@FAST
@given(data=st.data(), shape=shapes(min_dims=1, min_side=0, max_side=5))
def test_split_and_chunk(data, shape):
    d = _dim(data.draw, shape)
    size = shape[d]
    split_size = data.draw(st.integers(1 if size else 0, max(size, 1) + 1))
    chunks = data.draw(st.integers(1, 4))
    cuts = sorted(data.draw(st.lists(st.integers(0, size), min_size=1, max_size=3)))
    sizes = [b - a for a, b in zip([0] + cuts, cuts + [size])]

    def f(T, x):
        a = x.split(split_size, d)
        b = T.split(x, sizes, d)
        c = x.chunk(chunks, d)
        # only some pieces used: the others get zero gradients (CatBackward0 with None edges)
        return a[0] * 2, b[-1] * 3, c[-1], len(a), len(b), len(c)
    check_against_torch(f, [values_for(data.draw, shape)])


@FAST
@given(data=st.data(), shape=shapes(min_dims=1, min_side=1))
def test_narrow(data, shape):
    d = _dim(data.draw, shape)
    size = shape[d]
    start = data.draw(st.integers(-size, size - 1))
    length = data.draw(st.integers(0, size - (start % size)))
    check_against_torch(lambda T, x: x.narrow(d, start, length) * 2,
                        [values_for(data.draw, shape)])


@FAST
@given(data=st.data(), shape=shapes(min_dims=1, min_side=0), k=st.integers(0, 4))
def test_index_select(data, shape, k):
    d = _dim(data.draw, shape)
    idx = _index(data.draw, shape[d], k)
    check_against_torch(lambda T, x: T.index_select(x, d, T.tensor(idx, dtype=T.int64)),
                        [values_for(data.draw, shape)])


@FAST
@given(data=st.data(), shape=shapes(min_dims=1, min_side=1))
def test_gather_scatter_family(data, shape):
    d = _dim(data.draw, shape)
    ishape = tuple(data.draw(st.integers(0, n)) for n in shape)
    ishape = tuple(data.draw(st.integers(1, 3)) if i == d % len(shape) else n
                   for i, n in enumerate(ishape))
    flat = _index(data.draw, shape[d], int(np.prod(ishape)))
    idx = np.asarray(flat, dtype=np.int64).reshape(ishape)
    src = values_for(data.draw, ishape)

    def f(T, x, s):
        i = T.tensor(idx, dtype=T.int64)
        return (x.gather(d, i), T.take_along_dim(x, i, d), x.scatter_add(d, i, s),
                x.scatter(d, i, 0.5))
    check_against_torch(f, [values_for(data.draw, shape), src])


@FAST
@given(data=st.data(), shape=shapes(min_dims=1, min_side=1))
def test_scatter_src_without_repeats(data, shape):
    """scatter with a tensor src (indices distinct along dim: the result is deterministic)."""
    d = _dim(data.draw, shape)
    perm = data.draw(st.permutations(range(shape[d])))
    k = data.draw(st.integers(1, shape[d]))
    ishape = list(shape)
    ishape[d % len(shape)] = k
    idx = np.broadcast_to(np.asarray(perm[:k], dtype=np.int64).reshape(
        [k if i == d % len(shape) else 1 for i in range(len(shape))]), ishape).copy()
    check_against_torch(lambda T, x, s: x.scatter(d, T.tensor(idx), s),
                        [values_for(data.draw, shape), values_for(data.draw, tuple(ishape))])


@FAST
@given(data=st.data(), shape=shapes(min_dims=1, min_side=1), alpha=st.sampled_from([1, 2.5]))
def test_index_add(data, shape, alpha):
    d = _dim(data.draw, shape)
    k = data.draw(st.integers(0, 3))
    idx = _index(data.draw, shape[d], k)
    sshape = tuple(k if i == d % len(shape) else n for i, n in enumerate(shape))
    check_against_torch(
        lambda T, x, s: x.index_add(d, T.tensor(idx, dtype=T.int64), s, alpha=alpha),
        [values_for(data.draw, shape), values_for(data.draw, sshape)])


@FAST
@given(data=st.data(), shape=shapes(min_side=0))
def test_masked_ops(data, shape):
    vals = values_for(data.draw, shape, "ties")
    n_source = int(np.prod(shape)) + data.draw(st.integers(0, 2))

    def f(T, x, v, src):
        mask = x > 0
        return (x.masked_fill(mask, 2.0), T.masked_fill(x, ~mask, v), x.masked_select(mask),
                x.masked_scatter(mask, src), T.masked_select(x, mask[..., :1] if x.dim() else
                                                             mask),
                x[..., :1].masked_fill(mask, v) if x.dim() else x)
    check_against_torch(f, [vals, 1.5, values_for(data.draw, (n_source,))])


@FAST
@given(data=st.data(), shape=shapes())
def test_as_variants(data, shape):
    def f(T, x):
        flat = T.zeros(int(np.prod(shape)))
        return (x.expand_as(T.zeros((2,) + tuple(shape))), flat.view_as(x) + x,
                x.reshape_as(flat), x.t().reshape_as(x.t()) if x.dim() <= 2 else x)
    check_against_torch(f, [values_for(data.draw, shape)])


@settings(deadline=None, max_examples=25, derandomize=True)
@given(shape=shapes(min_dims=1, max_dims=4, min_side=0, max_side=3),
       perm_seed=st.integers(0, 100), data=st.data())
def test_view_of_permuted_tensor_follows_contiguity_rule(shape, perm_seed, data):
    """``view`` succeeds exactly when PyTorch's stride rule allows it (else its message)."""
    perm = list(np.random.default_rng(perm_seed).permutation(len(shape)))
    n = int(np.prod(shape))
    target = data.draw(st.sampled_from([(n,), (-1,), (1, n), tuple(shape[::-1]),
                                        (shape[0], -1)]))

    def program(T):
        x = T.arange(float(n)).reshape(shape).permute(*perm)
        if len(shape) > 1:
            x = x[..., 1:] if shape[-1] > 2 else x
        return x.view(target), x.is_contiguous()
    assert_same_outcome(program)


ERRORS = {
    "repeat_too_few": lambda T: T.ones(2, 3).repeat(2),
    "split_zero": lambda T: T.ones(3).split(0),
    "split_negative": lambda T: T.ones(3).split(-1),
    "split_sizes_sum": lambda T: T.ones(2, 3).split([1, 1], 1),
    "chunk_zero": lambda T: T.ones(3).chunk(0),
    "chunk_0d": lambda T: T.ones(()).chunk(2),
    "narrow_too_long": lambda T: T.ones(2, 3).narrow(1, 2, 2),
    "narrow_start": lambda T: T.ones(3).narrow(0, 4, 0),
    "index_select_2d_index": lambda T: T.ones(2, 3).index_select(1, T.tensor([[0]])),
    "index_select_range": lambda T: T.ones(2, 3).index_select(1, T.tensor([4])),
    "index_select_float": lambda T: T.ones(2, 3).index_select(1, T.tensor([0.])),
    "gather_range": lambda T: T.ones(2, 3).gather(1, T.tensor([[0], [5]])),
    "gather_dims": lambda T: T.ones(2, 3).gather(1, T.tensor([0])),
    "gather_float": lambda T: T.ones(2, 3).gather(1, T.tensor([[0.]])),
    "gather_size": lambda T: T.ones(2, 3).gather(0, T.tensor([[0, 1, 1, 0]])),
    "scatter_range": lambda T: T.ones(2, 3).scatter(1, T.tensor([[0], [5]]), 1.),
    "scatter_src_dims": lambda T: T.ones(2, 3).scatter(1, T.tensor([[0]]), T.ones(1, 1, 1)),
    "scatter_src_size": lambda T: T.ones(2, 3).scatter(1, T.tensor([[0, 1]]), T.ones(1, 1)),
    "index_add_count": lambda T: T.ones(2, 3).index_add(1, T.tensor([0]), T.ones(2, 2)),
    "masked_select_int_mask": lambda T: T.ones(3).masked_select(T.tensor([1, 0, 1])),
    "masked_fill_int_mask": lambda T: T.ones(3).masked_fill(T.tensor([1, 0, 1]), 0.),
    "masked_fill_1d_value": lambda T: T.ones(3).masked_fill(T.ones(3) > 0, T.ones(1)),
    "masked_fill__shape": lambda T: T.ones(3).masked_fill_(T.ones(2, 3) > 0, 0.),
    "view_non_contiguous": lambda T: T.ones(2, 3).t().view(6),
    "view_slice": lambda T: T.ones(2, 3)[:, :2].view(4),
    "view_bad_size": lambda T: T.ones(2, 3).view(4, -1),
    "view_two_unknown": lambda T: T.ones(2, 3).view(-1, -1),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error_messages(name):
    assert_same_error(ERRORS[name])


# == finite differences ==========================================================================
I = lambda *v: lab.tensor(list(v))  # noqa: E731
GRADCHECK = {
    "repeat": lambda a: a.repeat(2, 1, 2),
    "split": lambda a: a.split(2, 1),
    "split_sizes": lambda a: a.split([2, 1], 1)[1] * a[:, :1],
    "chunk": lambda a: a.chunk(2, 0)[1],
    "narrow": lambda a: a.narrow(1, 1, 2),
    "index_select": lambda a: a.index_select(1, I(2, 0, 2)),
    "gather": lambda a: a.gather(1, lab.tensor([[0, 0], [2, 1]])),
    "take_along_dim": lambda a: lab.take_along_dim(a, lab.tensor([[1], [0]]), 1),
    "scatter": lambda a: a.scatter(1, lab.tensor([[2], [0]]), a[:, :1] * 3),
    "scatter_value": lambda a: a.scatter(1, lab.tensor([[2], [0]]), 0.5),
    "scatter_add": lambda a: a.scatter_add(1, lab.tensor([[0, 0], [2, 0]]), a[:, 1:]),
    "index_add": lambda a: a.index_add(1, I(0, 0), a[:, 1:] * a[:, :2], alpha=2),
    "masked_fill_tensor": lambda a: a.masked_fill(a > 0, a[0, 0] * 2),
    "masked_select": lambda a: a.masked_select(a > 0) * 3,
    "masked_scatter": lambda a: a.masked_scatter(a < 0, a.flatten()[2:] * 2),
}


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradcheck(name):
    check_gradient(name, GRADCHECK[name], (rand(2, 3, away_from=0.),))


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradgradcheck(name):
    f = GRADCHECK[name]
    check_second_derivative(name, lambda a: [o * o for o in (f(a) if isinstance(f(a), tuple) else (f(a),))],
                  (rand(2, 3, away_from=0.),))


def test_known_values():
    x = lab.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
    y = x.index_select(1, lab.tensor([0, 0, 2]))
    y.sum().backward()
    assert y.tolist() == [[1., 1., 3.], [4., 4., 6.]]
    assert x.grad.tolist() == [[2., 0., 1.], [2., 0., 1.]]
    a, b = x.split([1, 2], 1)
    assert a.grad_fn.name() == "SplitWithSizesBackward0" and b.output_nr == 1
    assert x.repeat(1, 2).shape == (2, 6) and x.chunk(4, 1)[2].tolist() == [[3.], [6.]]
