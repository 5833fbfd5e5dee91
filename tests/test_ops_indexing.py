"""Python indexing against PyTorch: ``x[index]`` and ``x[index] = value`` for ints, slices,
``None``, ``...``, bools, lists, integer tensors (0-d, 1-d, 2-d), boolean masks and mixtures.

Indices are drawn by hypothesis as plain specifications and built separately for each library,
then both run the same program: the result (values, shape, ``grad_fn``), the graph below it
(``SelectBackward0``/``SliceBackward0``/``UnsqueezeBackward0`` per basic index, then one
``IndexBackward0``), gradients (repeated indices accumulate), second derivatives; for
assignment the new values, the version counter, the base's history (``CopySlices`` around
``CopyBackwards``/``FillBackward3``, or ``IndexPutBackward0``) and the gradients of both the
old values and the assigned value. Out-of-range or mismatched indices must give PyTorch's
exception and message; non-tuple sequences its deprecation warning.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd_lab as lab

from ops_support import shapes, values_for
from oracle import assert_same_error, assert_same_outcome, graph_signature
from gradcheck_support import check_gradient, check_second_derivative, rand


@st.composite
def index_specs(draw, shape):
    """A list of index parts, each a tuple naming its kind, applied left to right (after an
    optional leading ellipsis, to the trailing dims). Occasionally out of range on purpose."""
    n = len(shape)
    parts = []
    dims = list(range(n))
    if n and draw(st.integers(0, 4)) == 0:
        parts.append(("ellipsis",))
        dims = dims[draw(st.integers(0, n)):]
    k_adv = draw(st.integers(1, 3))  # the common length of integer index tensors
    d = 0
    while d < len(dims) and len(parts) < 4:
        size = shape[dims[d]]
        kind = draw(st.sampled_from(["int", "slice", "slice", "none", "list", "tensor",
                                     "tensor2d", "mask", "int0d", "bool", "stop"]))
        if kind == "stop":
            break
        if kind == "none":
            parts.append(("none",))
            continue
        if kind == "bool":
            parts.append(("bool", draw(st.booleans())))
            continue
        hi = size if draw(st.integers(0, 9)) else size + 1  # sometimes one too far
        if kind == "int":
            parts.append(("int", draw(st.integers(-hi, max(hi - 1, -hi)))))
        elif kind == "int0d":
            parts.append(("int0d", draw(st.integers(-hi, max(hi - 1, -hi)))))
        elif kind == "slice":
            b = st.one_of(st.none(), st.integers(-size - 1, size + 1))
            parts.append(("slice", draw(b), draw(b), draw(st.sampled_from([None, 1, 2, 3]))))
        elif kind in ("list", "tensor"):
            parts.append((kind, draw(st.lists(st.integers(-size, max(hi - 1, -size)),
                                              min_size=k_adv, max_size=k_adv))))
        elif kind == "tensor2d":
            parts.append((kind, draw(st.lists(st.integers(-size, max(hi - 1, -size)),
                                              min_size=k_adv, max_size=k_adv))))
        elif kind == "mask":
            j = draw(st.integers(1, max(1, len(dims) - d)))
            mshape = tuple(shape[dims[e]] for e in range(d, min(d + j, len(dims))))
            parts.append(("mask", draw(st.lists(st.booleans(), min_size=int(np.prod(mshape)),
                                               max_size=int(np.prod(mshape)))), mshape))
            d += len(mshape)
            continue
        d += 1
    return parts


def build(T, spec):
    out = []
    for p in spec:
        kind = p[0]
        if kind == "ellipsis":
            out.append(...)
        elif kind == "none":
            out.append(None)
        elif kind == "bool":
            out.append(p[1])
        elif kind == "int":
            out.append(p[1])
        elif kind == "int0d":
            out.append(T.tensor(p[1]))
        elif kind == "slice":
            out.append(slice(*p[1:]))
        elif kind == "list":
            out.append(list(p[1]))
        elif kind == "tensor":
            out.append(T.tensor(p[1]))
        elif kind == "tensor2d":
            out.append(T.tensor(p[1]).view(-1, 1))
        elif kind == "mask":
            out.append(T.tensor(p[1], dtype=T.bool).view(p[2]))
    return out[0] if len(out) == 1 and spec[0][0] != "ellipsis" else tuple(out)


def _seed(T, t, seed):
    rng = np.random.default_rng(seed)
    return T.tensor(rng.uniform(0.5, 1.5, size=tuple(t.shape)).astype(np.float32))


@settings(deadline=None, max_examples=100, derandomize=True)
@given(data=st.data(), shape=shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
def test_getitem_against_torch(data, shape):
    spec = data.draw(index_specs(shape))
    vals = values_for(data.draw, shape)

    def program(T):
        x = T.tensor(vals, requires_grad=True)
        y = x[build(T, spec)]
        g, = T.autograd.grad((y * _seed(T, y, 1)).sum(), x, create_graph=True)
        g2, = T.autograd.grad((g * g).sum(), x, allow_unused=True) if g.requires_grad \
            else (None,)
        return y, graph_signature(y), g, graph_signature(g), g2, y._version, y.is_leaf
    assert_same_outcome(program)


VALUES = ["number", "scalar_tensor", "same_shape", "leading_ones", "last_dim"]


@settings(deadline=None, max_examples=100, derandomize=True)
@given(data=st.data(), shape=shapes(min_dims=1, max_dims=3, min_side=1, max_side=3),
       how=st.sampled_from(VALUES))
def test_setitem_against_torch(data, shape, how):
    spec = data.draw(index_specs(shape))
    vals = values_for(data.draw, shape)

    def program(T):
        x = T.tensor(vals, requires_grad=True)
        idx = build(T, spec)
        target_shape = tuple((x * 1)[idx].shape)
        w = T.tensor(0.5, requires_grad=True)
        if how == "number":
            value = 2.5
        elif how == "scalar_tensor":
            value = w * 3
        elif how == "same_shape":
            value = T.arange(float(np.prod(target_shape))).view(target_shape) * w
        elif how == "leading_ones":
            value = T.arange(float(np.prod(target_shape))).view((1, 1) + target_shape) * w
        else:
            value = T.arange(float(target_shape[-1] if target_shape else 1)) * w
        z = x * 1
        z[idx] = value
        facts = [z, z._version, graph_signature(z)]
        (z * _seed(T, z, 2)).sum().backward()
        return facts + [x.grad, w.grad]
    assert_same_outcome(program)


@settings(deadline=None, max_examples=200, derandomize=True)
@given(data=st.data(), shape=shapes(min_dims=1, max_dims=3, min_side=0, max_side=2))
def test_getitem_and_setitem_with_empty_dims_against_torch(data, shape):
    """Shapes with size-0 dims: an index tensor into an empty dim is refused before anything
    is read (PyTorch's message names neither the index nor the dim) unless it selects
    nothing."""
    spec = data.draw(index_specs(shape))
    vals = values_for(data.draw, shape)

    def program(T):
        x = T.tensor(vals, requires_grad=True)
        y = x[build(T, spec)]
        z = x.detach().clone()
        z[build(T, spec)] = 2.5
        return y, graph_signature(y), z, z._version
    assert_same_outcome(program)


def test_setitem_on_leaf_without_grad_and_integer_tensors():
    def program(T):
        y = T.zeros(2, 3)
        x = T.tensor([1., 2., 3.], requires_grad=True)
        y[0] = x
        y[1, 1:] = x[:2] * 2
        y[:, 0] += 1
        i = T.arange(6).view(2, 3)
        i[i > 2] = -1
        i[0, T.tensor([0, 0])] = T.tensor([7, 8])
        y.sum().backward()
        return y, y.grad_fn, y.is_leaf, y._version, i, i._version, x.grad
    assert_same_outcome(program)


ERRORS = {
    "getitem_float_tensor": lambda T: T.ones(3)[T.tensor([1.])],
    "getitem_float": lambda T: T.ones(3)[1.5],
    "getitem_str": lambda T: T.ones(3)["a"],
    "getitem_mask_shape": lambda T: T.ones(2, 3)[T.tensor([True, False, True])],
    "getitem_broadcast": lambda T: T.ones(3, 3)[T.tensor([0, 1]), T.tensor([0, 1, 2])],
    "getitem_0d": lambda T: T.ones(())[0],
    "getitem_0d_slice": lambda T: T.ones(())[0:1],
    "getitem_negative_step": lambda T: T.ones(3)[::-1],
    "getitem_too_many": lambda T: T.ones(2)[0, 0],
    "setitem_dtype": lambda T: T.ones(3).__setitem__(T.tensor([0]), T.tensor([1])),
    "setitem_shape": lambda T: T.ones(3).__setitem__(slice(0, 2), T.ones(3)),
    "setitem_index_put_shape": lambda T: T.ones(3).__setitem__(T.tensor([0, 1]), T.ones(3)),
    "setitem_leaf": lambda T: T.ones(3, requires_grad=True).__setitem__(0, 1.),
    "setitem_view_of_leaf": lambda T: T.ones(3, requires_grad=True).__setitem__(
        slice(1, None), 1.),
    "setitem_str_value": lambda T: T.ones(3).__setitem__(0, "a"),
    "setitem_expanded": lambda T: T.ones(3).expand(2, 3).__setitem__((slice(None), 0), 1.),
    "delitem": lambda T: T.ones(3).__delitem__(0),
    # an index tensor into a dim of size 0
    "getitem_empty_dim": lambda T: T.zeros(0, 3)[T.tensor([5])],
    "getitem_empty_dim_in_range_number": lambda T: T.zeros(0, 3)[T.tensor([0])],
    "getitem_empty_second_dim": lambda T: T.zeros(2, 0)[:, T.tensor([1])],
    "getitem_empty_dim_with_other_index": lambda T: T.zeros(4, 0, 3)[T.tensor([7]),
                                                                     T.tensor([0])],
    "getitem_empty_dim_list": lambda T: T.zeros(0, 3)[[5]],
    "getitem_empty_dim_mask_then_int": lambda T: T.zeros(2, 0, 3)[T.tensor([True, False]),
                                                                  T.tensor([0])],
    "getitem_empty_dim_requires_grad": lambda T: T.zeros(0, 3, requires_grad=True)[
        T.tensor([5])],
    "getitem_empty_dim_0d_index": lambda T: T.zeros(0, 3)[T.tensor(5)],  # an int: select's
    "setitem_empty_dim": lambda T: T.zeros(0, 3).__setitem__(T.tensor([5]), 1.),
    "index_put_empty_dim": lambda T: T.zeros(0, 3).index_put_((T.tensor([5]),), T.tensor(1.)),
    "index_put_accumulate_empty_dim": lambda T: T.zeros(0, 3).index_put_(
        (T.tensor([5]),), T.tensor(1.), accumulate=True),
    "index_put_out_of_place_empty_dim": lambda T: T.zeros(0, 3).index_put(
        (T.tensor([5]),), T.tensor(1.)),
    # a non-empty dim: the index, and the dim numbered among the index tensors
    "getitem_out_of_range": lambda T: T.zeros(2, 3)[T.tensor([5])],
    "getitem_negative_out_of_range": lambda T: T.zeros(3)[T.tensor([-4])],
    "getitem_out_of_range_second_dim": lambda T: T.zeros(2, 3)[:, T.tensor([5])],
    "getitem_out_of_range_second_tensor": lambda T: T.zeros(2, 3)[T.tensor([1]), T.tensor([7])],
}


@pytest.mark.parametrize("name", ERRORS)
def test_error_messages(name):
    assert_same_error(ERRORS[name])


# == finite differences ==========================================================================
def _set(a, idx, v):
    z = a * 1
    z[idx] = v
    return z


GRADCHECK = {
    "int_tensor_repeats": lambda a: a[lab.tensor([1, 1, 0])],
    "mask": lambda a: a[a > 0] * 2,
    "mixed": lambda a: a[0, lab.tensor([2, 0, 2])] * a[lab.tensor([1]), :],
    "setitem_slice": lambda a: _set(a, (slice(None), slice(1, None)), a[:, :2] * 3),
    "setitem_index_put": lambda a: _set(a, (lab.tensor([1, 0]), lab.tensor([2, 2])), a[0, :2]),
    "setitem_mask": lambda a: _set(a, a < 0, a[0, 0] * 2),
}


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradcheck(name):
    check_gradient(name, GRADCHECK[name], (rand(2, 3, away_from=0.),))


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradgradcheck(name):
    f = GRADCHECK[name]
    check_second_derivative(name, lambda a: f(a) * f(a), (rand(2, 3, away_from=0.),))


def test_empty_dim_without_error_when_nothing_is_selected():
    x = lab.zeros(4, 0, 3)
    assert tuple(x[lab.tensor([7]), :, lab.tensor([9])].shape) == (1, 0)  # dim 1 not indexed
    assert tuple(lab.zeros(0, 3)[lab.tensor([], dtype=lab.long)].shape) == (0, 3)
    assert tuple(lab.zeros(0, 3)[..., lab.tensor([5])].shape) == (0, 1)
    with pytest.raises(IndexError, match="^index is out of bounds for dimension with size 0$"):
        lab.zeros(0, 3)[lab.tensor([0])]


def test_known_values():
    x = lab.arange(6., requires_grad=True)
    x[lab.tensor([0, 2, 2, 4, 2])].sum().backward()
    assert x.grad.tolist() == [1., 0., 3., 0., 1., 0.]
    y = lab.arange(24.).view(2, 3, 4)
    assert y[0, :, lab.tensor([1, 2])].shape == (3, 2)  # PyTorch's shape (NumPy gives (2, 3))
    z = lab.zeros(3)
    z[lab.tensor([True, False, True])] = 5.
    assert z.tolist() == [5., 0., 5.] and z._version == 1
