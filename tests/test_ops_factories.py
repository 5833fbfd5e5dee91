"""Factories and utilities against PyTorch: full, eye, linspace, empty, the ``*_like`` and
``new_*`` families, clone, contiguous, to(dtype)/float()/double()/long(), item, tolist,
numpy, from_numpy (shared memory), allclose, isclose, equal, argmax/argmin, ``Tensor.all()`` /
``any()``: values, dtypes, ``requires_grad``, graph nodes, warnings and error messages.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd_lab as lab

from oracle import assert_same_error, assert_same_outcome, need_torch

PROGRAMS = {
    "full": lambda T: (T.full((2, 3), 1.5), T.full((2,), 7), T.full([2], True),
                       T.full((1, 2), 2, dtype=T.float64), T.full((2,), 1.5, requires_grad=True),
                       T.full(T.Size([2]), 3.)),
    "like": lambda T: (T.full_like(T.ones(2, dtype=T.int64), 2.7), T.zeros_like(T.ones(2, 3)),
                       T.ones_like(T.tensor([1, 2])), T.empty_like(T.ones(2)).shape,
                       T.ones_like(T.ones(2), dtype=T.float64),
                       T.zeros_like(T.ones(2), requires_grad=True)),
    "eye": lambda T: (T.eye(3), T.eye(2, 3), T.eye(3, dtype=T.int64), T.eye(0),
                      T.eye(2, requires_grad=True)),
    "linspace": lambda T: (T.linspace(0, 1, 5), T.linspace(-1, 1, 1), T.linspace(0, 10, 0),
                           T.linspace(0, 1, 4, dtype=T.float64), T.linspace(1, 10, 10),
                           T.linspace(0, 1, 3, requires_grad=True), T.linspace(0., 1., steps=7)),
    "empty": lambda T: (T.empty(2, 3).shape, T.empty((2,)).dtype, T.empty(0).shape,
                        T.empty(2, dtype=T.int64).dtype, T.empty(2, requires_grad=True).is_leaf),
    "clone": lambda T: _clone(T, T.tensor([[1., 2.], [3., 4.]], requires_grad=True)),
    "to": lambda T: _to(T, T.tensor([1.5, -2.5], requires_grad=True)),
    "item_tolist": lambda T: (T.tensor([2.5]).item(), T.tensor(3).item(), T.tensor([[True]]).item(),
                              type(T.tensor(3).item()).__name__, T.tensor([1., 2.]).tolist(),
                              T.tensor(1.5).tolist(), T.tensor([[1, 2]]).tolist(),
                              T.ones(0).tolist(), float(T.tensor([4.])), int(T.tensor(2.7))),
    "numpy": lambda T: _numpy(T),
    "compare": lambda T: (T.allclose(T.tensor([1., 2.]), T.tensor([1., 2.000001])),
                          T.equal(T.tensor([1, 2]), T.tensor([1, 2])),
                          T.isclose(T.tensor([1., float("nan")]), T.tensor([1.1, float("nan")]),
                                    atol=0.2, equal_nan=True),
                          T.tensor([1.]).allclose(T.tensor([1.1]), rtol=0.2),
                          T.tensor([1.]).equal(T.tensor([2.])),
                          T.equal(T.tensor([1]), T.tensor([1.])),
                          T.isclose(T.tensor([1.]), T.tensor([1.00001])),
                          T.isclose(T.tensor([1, 2]), T.tensor([1, 3])),
                          T.allclose(T.tensor([1.]), T.tensor([1., 1.])),
                          T.isclose(T.tensor([float("inf"), 1.]), T.tensor([float("inf"), 2.]))),
    "all_any": lambda T: (T.tensor([1., 0.]).all(), T.tensor([1., 0.]).any(),
                          T.tensor([[1, 0], [1, 1]]).all(1),
                          T.tensor([[0, 0], [1, 0]]).any(dim=0, keepdim=True),
                          T.all(T.tensor([True, True])), T.any(T.tensor([[False]]), 0)),
    "argmax": lambda T: (T.tensor([[1., 5.], [7., 2.]]).argmax(),
                         T.argmax(T.tensor([[1., 5.], [7., 2.]]), 1),
                         T.argmin(T.tensor([[1., 5.], [7., 2.]]), dim=0, keepdim=True),
                         T.tensor([3, 3, 1]).argmax()),
    "new": lambda T: _new(T, T.ones(1, dtype=T.float64)),
    "new_tensor_warns": lambda T: T.ones(1).new_tensor(T.tensor([1., 2.])),
}


def _clone(T, x):
    y = x * 2
    return (x.clone(), T.clone(x), x.clone().grad_fn, y.clone().grad_fn, x.contiguous() is x,
            x.t().contiguous().grad_fn, x.t().contiguous().is_contiguous(), x.clone().is_leaf)


def _to(T, x):
    return (x.to(T.float64), x.double(), x.float() is x, x.long(), x.int(),
            x.to(T.int64).requires_grad, x.to(dtype=T.float64).grad_fn, x.to("cpu") is x,
            x.to(T.ones(1, dtype=T.float64)).dtype, x.half(), x.bool(),
            x.to("cpu", T.float64).dtype, x.type(T.float64).dtype, x.type())


def _numpy(T):
    n = T.tensor([1., 2.]).numpy()
    a = np.zeros(3)
    t = T.from_numpy(a)
    t.add_(1)  # shares memory with the array
    b = T.tensor([1., 2.])
    b.numpy()[0] = 5.  # and the other way round
    return (n.dtype.name, n.tolist(), T.from_numpy(np.arange(3)).dtype,
            T.from_numpy(np.ones((2, 2), dtype=np.float32)).shape, a.tolist(), t._version, b)


def _new(T, x):
    return (x.new_zeros(2, 3), x.new_ones((2,)), x.new_full((2,), 5), x.new_empty(3).shape,
            x.new_tensor([1, 2]), x.new_zeros(2, dtype=T.int64),
            x.new_ones(2, requires_grad=True))


@pytest.mark.parametrize("name", PROGRAMS)
def test_against_torch(name):
    assert_same_outcome(PROGRAMS[name])


@settings(deadline=None, max_examples=20, derandomize=True)
@given(start=st.integers(-5, 5), end=st.floats(-5, 5, width=16), steps=st.integers(0, 7),
       fill=st.one_of(st.integers(-3, 3), st.floats(-3, 3, width=16), st.booleans()),
       shape=st.lists(st.integers(0, 3), max_size=3))
def test_linspace_and_full_drawn(start, end, steps, fill, shape):
    assert_same_outcome(lambda T: (T.linspace(start, end, steps),
                                   T.linspace(start, end, steps, dtype=T.float64),
                                   T.full(shape, fill), T.full_like(T.ones(shape), fill)))


ERRORS = {
    "item_many": lambda T: T.ones(2).item(),
    "numpy_requires_grad": lambda T: T.ones(2, requires_grad=True).numpy(),
    "full_int_requires_grad": lambda T: T.full((2,), 1, requires_grad=True),
    "isclose_dtypes": lambda T: T.isclose(T.ones(1), T.ones(1, dtype=T.float64)),
    "isclose_number": lambda T: T.isclose(T.ones(1), 1.0),
    "isclose_rtol": lambda T: T.isclose(T.ones(1), T.ones(1), rtol=-1),
    "allclose_shapes": lambda T: T.allclose(T.ones(2), T.ones(3)),
    "from_numpy_list": lambda T: T.from_numpy([1, 2]),
    "eye_negative": lambda T: T.eye(-1),
    "linspace_negative": lambda T: T.linspace(0, 1, -1),
    "full_negative": lambda T: T.full((-1,), 1.),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error_messages(name):
    assert_same_error(ERRORS[name])


def test_known_values():
    assert lab.full((2,), 7).dtype is lab.int64 and lab.eye(2).tolist() == [[1., 0.], [0., 1.]]
    assert lab.linspace(0, 1, 3).tolist() == [0., 0.5, 1.]
    a = np.arange(3.)
    t = lab.from_numpy(a)
    t.mul_(2)
    assert a.tolist() == [0., 2., 4.] and t._version == 1
    assert lab.allclose(lab.tensor([1., 2.]), lab.tensor([1., 2. + 1e-7]))
    assert not lab.equal(lab.tensor([1.]), lab.tensor([1., 1.]))


OP_FUNCTIONS = ["sqrt", "sin", "cos", "square", "floor", "ceil", "round", "trunc", "clamp",
                "clip", "clamp_min", "clamp_max", "maximum", "minimum", "rsub", "prod", "max",
                "min", "amax", "amin", "argmax", "argmin", "var", "std", "all", "any", "split",
                "chunk", "narrow", "index_select", "index_add", "gather", "scatter",
                "scatter_add", "take_along_dim", "masked_fill", "masked_select",
                "masked_scatter", "isclose", "allclose", "equal", "full", "eye", "linspace",
                "empty", "full_like", "zeros_like", "ones_like", "empty_like", "from_numpy",
                "cumsum", "cumprod", "flip", "log1p", "expm1"]
OP_METHODS = ["sqrt", "sin", "cos", "square", "floor", "ceil", "round", "trunc", "negative",
              "exp_", "log_", "sqrt_", "sin_", "cos_", "abs_", "neg_", "negative_",
              "reciprocal_", "sign_", "sgn_", "square_", "floor_", "ceil_", "round_", "trunc_",
              "sigmoid_", "tanh_", "clamp", "clamp_", "clip", "clip_", "clamp_min",
              "clamp_min_", "clamp_max", "clamp_max_", "maximum", "minimum", "prod", "max",
              "min", "amax", "amin", "argmax", "argmin", "var", "std", "all", "any", "repeat",
              "split", "split_with_sizes", "chunk", "narrow", "expand_as", "view_as",
              "reshape_as", "index_select", "index_add", "index_add_", "index_put",
              "index_put_", "gather", "take_along_dim", "scatter", "scatter_", "scatter_add",
              "scatter_add_", "masked_select", "masked_scatter", "masked_scatter_", "isclose",
              "allclose", "equal", "half", "short", "byte", "char", "new_zeros", "new_ones",
              "new_empty", "new_full", "new_tensor", "clone", "contiguous", "item", "tolist",
              "numpy", "to", "float", "double", "long", "cumsum", "cumprod", "flip", "log1p",
              "log1p_", "expm1", "expm1_"]


def test_namespace_matches_torch():
    """Every op added here exists under the same name in torch and torch.Tensor (and the
    other way round for this list): ``import autograd_lab as torch`` finds them all."""
    torch = need_torch()
    assert [n for n in OP_FUNCTIONS if not hasattr(torch, n)] == []
    assert [n for n in OP_FUNCTIONS if not hasattr(lab, n)] == []
    assert [n for n in OP_METHODS if not hasattr(torch.Tensor, n)] == []
    assert [n for n in OP_METHODS if not hasattr(lab.Tensor, n)] == []
    assert [n for n in dir(lab.Tensor) if not n.startswith("_")
            and not hasattr(torch.Tensor, n)] == []
