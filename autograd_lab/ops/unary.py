"""More elementwise functions of one tensor (sqrt, log1p, expm1, sin, cos, square, rounding) and
the in-place forms of the elementwise ops (``x.exp_()``, ``x.sqrt_()`` ...).

Each derivative is PyTorch's formula (``derivatives.yaml``) written with recorded ops, so that a
``create_graph=True`` backward records PyTorch's nodes:

* sqrt: ``grad / (2 * result)``   (MulBackward1, DivBackward0)
* log1p: ``grad / (self + 1)``    (AddBackward1, DivBackward0)
* expm1: ``grad * (result + 1)``  (AddBackward1, MulBackward0)
* sin:  ``grad * self.cos()``     (CosBackward0, MulBackward0)
* cos:  ``grad * -self.sin()``    (SinBackward0, NegBackward0, MulBackward0)
* square is ``pow(self, 2)``      (PowBackward0), as in PyTorch
* floor, ceil, round, trunc: zero

In-place forms run the op through ``_core.apply_inplace``: recorded on the old value, written
into the same memory, the version counter bumped, the history rebased (``CopySlices`` for a
view).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import IGNORE, RESULT, apply_inplace, quiet, record, unquiet
from . import pointwise as P


def _floating(t: Tensor) -> np.ndarray:
    if t.dtype.is_floating_point:
        return t._data
    return t._data.astype(dtypes.get_default_dtype().np)


def _quiet(fn: Any, data: np.ndarray) -> np.ndarray:
    token = quiet(IGNORE)  # sqrt(-1), sin(inf): nan without a warning, as in PyTorch
    try:
        out = fn(data)
    finally:
        unquiet(token)
    return out


class SqrtBackward0(Node):
    """out = sqrt(self)  ->  d/dself = grad / (2 * out)"""
    _saved_fields = ("result",)

    def apply(self, grad):
        return (P.div(grad, P.mul_scalar(self._s_result.unpack(self), 2)),)


def sqrt(input: Tensor) -> Tensor:
    """Square root (nan for negative numbers)."""
    return record(_quiet(np.sqrt, _floating(input)), SqrtBackward0, (input,), result=RESULT)


class Log1PBackward0(Node):
    """out = log(1 + self)  ->  d/dself = grad / (self + 1)"""
    _saved_fields = ("self",)

    def apply(self, grad):
        return (P.div(grad, P.add_scalar(self._s_self.unpack(self), 1)),)


def log1p(input: Tensor) -> Tensor:
    """``log(1 + input)``, accurate for small ``input`` (-inf at -1, nan below)."""
    return record(_quiet(np.log1p, _floating(input)), Log1PBackward0, (input,), self=input)


class Expm1Backward0(Node):
    """out = exp(self) - 1  ->  d/dself = grad * (out + 1)"""
    _saved_fields = ("result",)

    def apply(self, grad):
        return (P.mul(grad, P.add_scalar(self._s_result.unpack(self), 1)),)


def expm1(input: Tensor) -> Tensor:
    """``exp(input) - 1``, accurate for small ``input``."""
    return record(_quiet(np.expm1, _floating(input)), Expm1Backward0, (input,), result=RESULT)


class SinBackward0(Node):
    """out = sin(self)  ->  d/dself = grad * cos(self)"""
    _saved_fields = ("self",)

    def apply(self, grad):
        return (P.mul(grad, cos(self._s_self.unpack(self))),)


def sin(input: Tensor) -> Tensor:
    """Sine (radians)."""
    return record(_quiet(np.sin, _floating(input)), SinBackward0, (input,), self=input)


class CosBackward0(Node):
    """out = cos(self)  ->  d/dself = grad * -sin(self)"""
    _saved_fields = ("self",)

    def apply(self, grad):
        return (P.mul(grad, P.neg(sin(self._s_self.unpack(self)))),)


def cos(input: Tensor) -> Tensor:
    """Cosine (radians)."""
    return record(_quiet(np.cos, _floating(input)), CosBackward0, (input,), self=input)


def square(input: Tensor) -> Tensor:
    """``input ** 2`` (recorded as PowBackward0, as PyTorch does; bools become int64)."""
    if input.dtype is dtypes.bool_:
        input = _make(input._data.astype(np.int64), None)
    return P.pow(input, 2)


class _Flat(Node):
    """A piecewise constant function: its derivative is zero."""
    __slots__ = ()

    def apply(self, grad):
        return (P.zeros_like(grad),)


class FloorBackward0(_Flat):
    __slots__ = ()


class CeilBackward0(_Flat):
    __slots__ = ()


class RoundBackward0(_Flat):
    __slots__ = ()


class TruncBackward0(_Flat):
    __slots__ = ()


def _flat(node_cls: type, fn: Any, input: Tensor) -> Tensor:
    data = input._data
    out = fn(data) if input.dtype.is_floating_point else data.copy()
    return record(out, node_cls, (input,))


def floor(input: Tensor) -> Tensor:
    return _flat(FloorBackward0, np.floor, input)


def ceil(input: Tensor) -> Tensor:
    return _flat(CeilBackward0, np.ceil, input)


def round(input: Tensor, *, decimals: int = 0) -> Tensor:  # noqa: A001 - torch.round
    """Round half to even, as PyTorch (and NumPy)."""
    if decimals:
        return _flat(RoundBackward0, lambda a: np.round(a, decimals), input)
    return _flat(RoundBackward0, np.round, input)


def trunc(input: Tensor) -> Tensor:
    return _flat(TruncBackward0, np.trunc, input)


# -- in-place forms ----------------------------------------------------------------------------
def exp_(self: Tensor) -> Tensor:
    return apply_inplace(self, P.exp)


def log_(self: Tensor) -> Tensor:
    return apply_inplace(self, P.log)


def sqrt_(self: Tensor) -> Tensor:
    return apply_inplace(self, sqrt)


def log1p_(self: Tensor) -> Tensor:
    return apply_inplace(self, log1p)


def expm1_(self: Tensor) -> Tensor:
    return apply_inplace(self, expm1)


def sin_(self: Tensor) -> Tensor:
    return apply_inplace(self, sin)


def cos_(self: Tensor) -> Tensor:
    return apply_inplace(self, cos)


def abs_(self: Tensor) -> Tensor:
    return apply_inplace(self, P.abs)


def neg_(self: Tensor) -> Tensor:
    return apply_inplace(self, P.neg)


def reciprocal_(self: Tensor) -> Tensor:
    return apply_inplace(self, P.reciprocal)


def sign_(self: Tensor) -> Tensor:
    return apply_inplace(self, P.sign)


def sgn_(self: Tensor) -> Tensor:
    return apply_inplace(self, P.sgn)


def square_(self: Tensor) -> Tensor:
    return apply_inplace(self, square)


def floor_(self: Tensor) -> Tensor:
    return apply_inplace(self, floor)


def ceil_(self: Tensor) -> Tensor:
    return apply_inplace(self, ceil)


def round_(self: Tensor, *, decimals: int = 0) -> Tensor:
    return apply_inplace(self, lambda s: round(s, decimals=decimals))


def trunc_(self: Tensor) -> Tensor:
    return apply_inplace(self, trunc)


def sigmoid_(self: Tensor) -> Tensor:
    from .activation import sigmoid
    return apply_inplace(self, sigmoid)


def tanh_(self: Tensor) -> Tensor:
    from .activation import tanh
    return apply_inplace(self, tanh)


__all__ = ["sqrt", "sin", "cos", "square", "floor", "ceil", "round", "trunc", "exp_", "log_",
           "sqrt_", "sin_", "cos_", "abs_", "neg_", "reciprocal_", "sign_", "sgn_", "square_",
           "floor_", "ceil_", "round_", "trunc_", "sigmoid_", "tanh_", "log1p", "log1p_",
           "expm1", "expm1_"]
