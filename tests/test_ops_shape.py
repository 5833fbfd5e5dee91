"""Ops that move or pick elements, against PyTorch: repeat, split (sizes or one size), chunk,
narrow, index_select, gather, take_along_dim, scatter (tensor or number), scatter_add,
index_add, masked_fill (number or 0-d tensor), masked_select, masked_scatter, expand_as,
view_as, reshape_as, and ``view``'s contiguity rule; cat/stack nodes (every member's gradient),
squeeze_ and 1-D @ 2-D matmul (version counters).

Forward values and graphs, first derivatives (repeated indices accumulate), the graphs of the
first derivatives and second derivatives, on hypothesis-drawn shapes with size-0 and size-1
dims; index tensors drawn in range. Then finite differences in float64 and error messages.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd_lab as lab

from ops_support import check_against_torch, shapes, values_for
from oracle import assert_same_error, assert_same_outcome, graph_signature
from gradcheck_support import check_gradient, check_second_derivative, rand

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
    # select names its op and the tensor's size (x[i] words it otherwise, see below)
    "select_empty_dim": lambda T: T.zeros(0, 2).select(0, 0),
    "select_empty_dim_negative": lambda T: T.zeros(0, 2).select(0, -1),
    "select_empty_last_dim": lambda T: T.zeros(2, 0).select(-1, 0),
    "select_past_end": lambda T: T.ones(2, 3).select(1, 3),
    "select_before_start": lambda T: T.ones(3).select(0, -4),
    "select_fn_past_end": lambda T: T.select(T.ones(2, 3), 0, 2),
    "select_requires_grad": lambda T: T.zeros(0, 2, requires_grad=True).select(0, 0),
    "getitem_empty_dim": lambda T: T.zeros(0, 2)[0],
    "getitem_past_end": lambda T: T.ones(3)[3],
    "getitem_before_start": lambda T: T.ones(3)[-4],
    "getitem_second_dim": lambda T: T.ones(2, 3)[:, 5],
    "setitem_past_end": lambda T: T.ones(3).__setitem__(3, 1.),
    # cat: 0-d members are refused before the dim is checked
    "cat_0d_before_dim": lambda T: T.cat([T.ones(()), T.ones(2, 2)], 2),
    "cat_0d_second_before_dim": lambda T: T.cat([T.ones(2, 2), T.ones(())], 2),
    "cat_0d_after_legacy_empty": lambda T: T.cat([T.tensor([]), T.ones(())], 1),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error_messages(name):
    assert_same_error(ERRORS[name])


# == cat and stack: list arguments ================================================================
def test_cat_stack_nodes_called_by_hand_give_every_member_its_slice():
    """As PyTorch computes the gradients of a list argument all together, a CatBackward0 or
    StackBackward0 called by hand returns a tensor for every member, also for one that needs no
    gradient (None edge): its slice (SliceBackward0 / SelectBackward0 under a grad that
    requires grad), in the grad's dtype; a legacy empty member (shape [0]) gets a new empty
    tensor."""
    def program(T):
        a = T.tensor([1., 2.], requires_grad=True)
        b = T.tensor([3., 4.])
        M = T.ones(2, 2, requires_grad=True)
        e = T.tensor([])
        g = T.ones(2, requires_grad=True) * 1
        G = T.arange(10.).reshape(2, 5)
        ys = [T.cat([a, b]), T.stack([a, b]), T.cat([b, a, b * 2]), T.stack([b, a], 1),
              T.cat([M, T.zeros(2, 3)], 1), T.cat([T.zeros(2, 3), M], 1), T.cat([a, e]),
              T.cat([e, a]), T.cat([M, e]), T.cat([e.requires_grad_(), M]), T.cat([M, e], 1),
              T.cat([M, T.zeros(0, 2)]), T.cat([M, b.view(1, 2).double()]),
              T.stack([M.double(), b.view(1, 2).expand(2, 2)]),
              T.stack([T.tensor(5., requires_grad=True), T.tensor(1.)])]
        out = []
        for y in ys:
            grad = T.ones_like(y)
            if y.shape == (2, 5):
                grad = G
            elif y.shape == (4,):
                grad = T.cat([g, g])
            r = y.grad_fn(grad)
            out.append((y.grad_fn, y.grad_fn.next_functions, r,
                        [(t.dtype, t._base is not None, t.requires_grad) for t in r]))
        return out
    assert_same_outcome(program)


@pytest.mark.parametrize("op", ["cat", "stack"])
def test_cat_stack_node_hooks_see_every_member(op):
    """A post hook on the node sees the gradient of each member: also a member that needs none
    (in the result's dtype: PyTorch casts only along a real edge) and, in autograd.grad, a
    member leading to nothing wanted; the leaves get only what they asked for."""
    def program(T):
        a = T.tensor([1., 2.], requires_grad=True)
        b = T.tensor([3., 4.], dtype=T.float64)
        c = T.tensor([5., 6.], requires_grad=True)
        seen = []
        y = getattr(T, op)([a, b, c * 1])
        y.grad_fn.register_hook(lambda gi, go: seen.append(("post", gi, go)))
        y.grad_fn.register_prehook(lambda go: seen.append(("pre", go)))
        (y * y).sum().backward(retain_graph=True)
        only_a = T.autograd.grad((y * y).sum(), [a], retain_graph=True)
        only_c = T.autograd.grad((y * y).sum(), [c], retain_graph=True)
        return seen, only_a, only_c, a.grad, c.grad
    assert_same_outcome(program)


def test_cat_legacy_empty_members():
    """Legacy empty 1-D members (shape [0]) are skipped in any dim, also first; their gradient
    is a new empty tensor; only such members: the result is empty whatever dim says."""
    def program(T):
        M = T.ones(2, 2, requires_grad=True)
        e = T.tensor([], requires_grad=True)
        results = []
        for members, dim in (([M, e], 0), ([e, M], 1), ([e, M, e], -1), ([e, e], 1),
                             ([e, e], 2), ([e, T.ones(2, 3), M], 0)):
            try:
                y = T.cat(members, dim)
            except RuntimeError as exc:
                results.append(str(exc))
                continue
            (y * y).sum().backward() if y.requires_grad and y.numel() else None
            results.append((y, M.grad, e.grad))
        return results
    assert_same_outcome(program)


# == squeeze_ and matmul: in-place shape changes count as changes ==================================
def test_squeeze_inplace_bumps_the_version():
    """squeeze_ is an in-place op: the version counter moves (also when no dim is dropped, in
    no_grad mode, without grad), other views of the tensor get a regenerated grad_fn, which
    still leads to the right gradients, and a saved tensor squeezed later is refused."""

    def program(T):
        a = T.ones(1, 2, requires_grad=True)
        versions = []
        for make in (lambda: T.ones(2, 2, requires_grad=True) * 1,
                     lambda: T.ones(1, 2, requires_grad=True) * 1, lambda: T.ones(1, 2)):
            t = make()
            t.squeeze_(0)
            versions.append((t._version, t.grad_fn, t.shape))
        with T.no_grad():
            versions.append((a * 1).squeeze_(0)._version)
        x = a * 1
        v = x[0]
        x.squeeze_(0)
        views = (x._version, v._version, graph_signature(x), graph_signature(v))
        (v * T.tensor([2., 3.])).sum().backward()
        x = a * 1
        v = x[0]
        w = v.view(1, 2)
        w.squeeze_(0)
        of_view = (w._version, x._version, graph_signature(w), graph_signature(v),
                   graph_signature(x), w._base is x)
        (w * T.tensor([2., 3.])).sum().backward()
        return versions, views, of_view, a.grad

    def modified(T):
        x = T.ones(1, 2, requires_grad=True) * 1
        y = x * x
        x.squeeze_(0)
        y.sum().backward()
    assert_same_outcome(program)
    assert "output 0 of Squeeze4" in assert_same_error(modified)[1]


def test_matmul_vector_matrix_result_is_at_version_one():
    """PyTorch's 1-D @ 2-D matmul squeezes its mm result in place: version 1 (with or without
    grad), which a later in-place op moves on from."""
    def program(T):
        a = T.ones(2, requires_grad=True)
        m = T.arange(6.).reshape(2, 3)
        ys = [a @ m, T.ones(2) @ m, T.matmul(a, m.requires_grad_()), a.matmul(m)]
        with T.no_grad():
            ys.append(a @ m)
        y = T.ones(2) @ T.ones(2, 3)
        y.add_(1)
        z = a @ m
        z.mul_(2)
        z.sum().backward()
        return [(t, t._version) for t in ys], y._version, z._version, z.grad_fn, a.grad
    assert_same_outcome(program)


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


# index_select refuses negative indices; PyTorch's CPU kernels word an index out of range by
# the dimension: along dim 0 (or of a vector or a 0-d tensor) an IndexError, else a
# RuntimeError naming the first bad index; an empty dimension has a message of its own
INDEX_SELECT_OUT_OF_RANGE = {
    "dim0_negative": lambda T: T.arange(6.).reshape(2, 3).index_select(0, T.tensor([-1])),
    "dim0_too_big": lambda T: T.arange(6.).reshape(2, 3).index_select(0, T.tensor([0, 2])),
    "dim1_negative": lambda T: T.arange(6.).reshape(2, 3).index_select(1, T.tensor([1, -1])),
    "dim1_too_big": lambda T: T.arange(6.).reshape(2, 3).index_select(-1, T.tensor([3])),
    "vector": lambda T: T.arange(4.).index_select(0, T.tensor([-1])),
    "int_transposed": lambda T: T.zeros(2, 3, dtype=T.long).t().index_select(0, T.tensor([3])),
    "scalar": lambda T: T.tensor(5.).index_select(0, T.tensor([1])),
    "empty_dim": lambda T: T.zeros(2, 0).index_select(1, T.tensor([0])),
}


@pytest.mark.parametrize("name", sorted(INDEX_SELECT_OUT_OF_RANGE))
def test_index_select_out_of_range_errors(name):
    assert_same_error(INDEX_SELECT_OUT_OF_RANGE[name])
