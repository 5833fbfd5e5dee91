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

import math
from typing import Any

import numpy as np

from .. import dtypes
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ..autograd.explanation import BROADCAST, STEP, Explanation
from ._core import (IGNORE, RESULT, apply_inplace, binary_operands, needs, quiet, record,
                    recording, unquiet, wrap_scalar)
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
    explanation = Explanation("{z} = sqrt({0})", ("g / (2 · {z})",))

    def apply(self, grad):
        return (P.div(grad, P.mul_scalar(self._s_result.unpack(self), 2)),)


def sqrt(input: Tensor) -> Tensor:
    """Square root (nan for negative numbers)."""
    return record(_quiet(np.sqrt, _floating(input)), SqrtBackward0, (input,), result=RESULT)


class Log1PBackward0(Node):
    """out = log(1 + self)  ->  d/dself = grad / (self + 1)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = log(1 + {0})", ("g / (1 + {0})",))

    def apply(self, grad):
        return (P.div(grad, P.add_scalar(self._s_self.unpack(self), 1)),)


def log1p(input: Tensor) -> Tensor:
    """``log(1 + input)``, accurate for small ``input`` (-inf at -1, nan below)."""
    return record(_quiet(np.log1p, _floating(input)), Log1PBackward0, (input,), self=input)


class Expm1Backward0(Node):
    """out = exp(self) - 1  ->  d/dself = grad * (out + 1)"""
    _saved_fields = ("result",)
    explanation = Explanation("{z} = exp({0}) − 1", ("g · ({z} + 1)",))

    def apply(self, grad):
        return (P.mul(grad, P.add_scalar(self._s_result.unpack(self), 1)),)


def expm1(input: Tensor) -> Tensor:
    """``exp(input) - 1``, accurate for small ``input``."""
    return record(_quiet(np.expm1, _floating(input)), Expm1Backward0, (input,), result=RESULT)


class SinBackward0(Node):
    """out = sin(self)  ->  d/dself = grad * cos(self)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = sin({0})", ("g · cos({0})",))

    def apply(self, grad):
        return (P.mul(grad, cos(self._s_self.unpack(self))),)


def sin(input: Tensor) -> Tensor:
    """Sine (radians)."""
    return record(_quiet(np.sin, _floating(input)), SinBackward0, (input,), self=input)


class CosBackward0(Node):
    """out = cos(self)  ->  d/dself = grad * -sin(self)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = cos({0})", ("−g · sin({0})",))

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
    explanation = Explanation("{z} = floor({0})", ("0",), STEP)


class CeilBackward0(_Flat):
    __slots__ = ()
    explanation = Explanation("{z} = ceil({0})", ("0",), STEP)


class RoundBackward0(_Flat):
    __slots__ = ()
    explanation = Explanation("{z} = round({0})", ("0",), STEP)


class TruncBackward0(_Flat):
    __slots__ = ()
    explanation = Explanation("{z} = trunc({0})", ("0",), STEP)


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


# -- more functions of one tensor (logarithms, hyperbolic and inverse trigonometric functions) --
# Each derivative is PyTorch's formula written with recorded ops (derivatives.yaml):
#   log10: grad / (self * ln 10)          log2: grad / (self * ln 2)
#   sinh: grad * cosh(self)               cosh: grad * sinh(self)
#   tan: grad * (1 + result ** 2)         atan: grad / (self * self + 1)
#   asin: grad * rsqrt(1 - self * self)   acos: grad * -rsqrt(1 - self * self)
#   asinh: grad * rsqrt(self ** 2 + 1)    acosh: grad * rsqrt(self * self - 1)
#   atanh: grad / (1 - self ** 2)         exp2: grad * result * ln 2
#   rsqrt: -0.5 * grad * result ** 3      erf: 2 / sqrt(pi) * exp(-self ** 2) * grad
#   frac: grad                            atan2: grad * other / (self² + other²), ...
_LN10 = 2.302585092994046
_LN2 = 0.6931471805599453
_TWO_OVER_SQRT_PI = 1.1283791670955126


def _precise(fn: Any, input: Tensor) -> np.ndarray:
    """``fn`` of the input's values as floats; a float32 input is computed in double precision
    and rounded once, as close as float32 gets to PyTorch's (within an ulp) vector functions
    (``log10(100.)`` is exactly 2, where NumPy's float32 log10 is an ulp off)."""
    data = _floating(input)
    if data.dtype == np.float64:
        return _quiet(fn, data)
    # (rounded inside the quiet spell too: a double past float32's range overflows in the cast)
    return _quiet(lambda wide: np.asarray(fn(wide)).astype(data.dtype), data.astype(np.float64))


def _self(node: Node) -> Tensor:
    return node._s_self.unpack(node)


def _result(node: Node) -> Tensor:
    return node._s_result.unpack(node)


class Log10Backward0(Node):
    """out = log10(self)  ->  d/dself = grad / (self * ln 10)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = log10({0})", ("g / ({0} \u00b7 ln 10)",))

    def apply(self, grad):
        return (P.div(grad, P.mul_scalar(_self(self), _LN10)),)


def log10(input: Tensor) -> Tensor:
    """Logarithm to base 10 (-inf at 0, nan below)."""
    return record(_precise(np.log10, input), Log10Backward0, (input,), self=input)


class Log2Backward0(Node):
    """out = log2(self)  ->  d/dself = grad / (self * ln 2)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = log2({0})", ("g / ({0} \u00b7 ln 2)",))

    def apply(self, grad):
        return (P.div(grad, P.mul_scalar(_self(self), _LN2)),)


def log2(input: Tensor) -> Tensor:
    """Logarithm to base 2 (-inf at 0, nan below)."""
    return record(_precise(np.log2, input), Log2Backward0, (input,), self=input)


class SinhBackward0(Node):
    """out = sinh(self)  ->  d/dself = grad * cosh(self)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = sinh({0})", ("g \u00b7 cosh({0})",))

    def apply(self, grad):
        return (P.mul(grad, cosh(_self(self))),)


def sinh(input: Tensor) -> Tensor:
    """Hyperbolic sine."""
    return record(_precise(np.sinh, input), SinhBackward0, (input,), self=input)


class CoshBackward0(Node):
    """out = cosh(self)  ->  d/dself = grad * sinh(self)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = cosh({0})", ("g \u00b7 sinh({0})",))

    def apply(self, grad):
        return (P.mul(grad, sinh(_self(self))),)


def cosh(input: Tensor) -> Tensor:
    """Hyperbolic cosine."""
    return record(_precise(np.cosh, input), CoshBackward0, (input,), self=input)


class TanBackward0(Node):
    """out = tan(self)  ->  d/dself = grad * (1 + out ** 2)"""
    _saved_fields = ("result",)
    explanation = Explanation("{z} = tan({0})", ("g \u00b7 (1 + {z}\u00b2)",))

    def apply(self, grad):
        return (P.mul(grad, P.add_scalar(P.pow(_result(self), 2), 1)),)


def tan(input: Tensor) -> Tensor:
    """Tangent (radians)."""
    return record(_precise(np.tan, input), TanBackward0, (input,), result=RESULT)


class AsinBackward0(Node):
    """out = asin(self)  ->  d/dself = grad * rsqrt(1 - self * self)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = asin({0})", ("g / \u221a(1 \u2212 {0}\u00b2)",))

    def apply(self, grad):
        x = _self(self)
        return (P.mul(grad, rsqrt(P.add_scalar(P.mul(P.neg(x), x), 1))),)


def asin(input: Tensor) -> Tensor:
    """Inverse sine (nan outside [-1, 1])."""
    return record(_precise(np.arcsin, input), AsinBackward0, (input,), self=input)


class AcosBackward0(Node):
    """out = acos(self)  ->  d/dself = grad * -rsqrt(1 - self * self)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = acos({0})", ("\u2212g / \u221a(1 \u2212 {0}\u00b2)",))

    def apply(self, grad):
        x = _self(self)
        return (P.mul(grad, P.neg(rsqrt(P.add_scalar(P.mul(P.neg(x), x), 1)))),)


def acos(input: Tensor) -> Tensor:
    """Inverse cosine (nan outside [-1, 1])."""
    return record(_precise(np.arccos, input), AcosBackward0, (input,), self=input)


class AtanBackward0(Node):
    """out = atan(self)  ->  d/dself = grad / (self * self + 1)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = atan({0})", ("g / ({0}\u00b2 + 1)",))

    def apply(self, grad):
        x = _self(self)
        return (P.div(grad, P.add_scalar(P.mul(x, x), 1)),)


def atan(input: Tensor) -> Tensor:
    """Inverse tangent."""
    return record(_precise(np.arctan, input), AtanBackward0, (input,), self=input)


class Atan2Backward0(Node):
    """out = atan2(self, other)  ->  d/dself = grad * other / (self² + other²),
    d/dother = grad * -self / (self² + other²)"""
    _saved_fields = ("self", "other")
    explanation = Explanation("{z} = atan2({0}, {1})",
                              ("g \u00b7 {1} / ({0}\u00b2 + {1}\u00b2)",
                               "\u2212g \u00b7 {0} / ({0}\u00b2 + {1}\u00b2)"), BROADCAST)

    def apply(self, grad):
        x, y = _self(self), self._s_other.unpack(self)
        recip = P.reciprocal(P.add(P.mul(x, x), P.mul(y, y)))
        # at (0, 0) the angle has no derivative: PyTorch gives 0 there, not nan
        recip = P.masked_fill(recip, _make(np.isinf(recip._data), None), 0)
        gx = P.mul(P.mul(grad, y), recip) if needs(self, 0) else None
        gy = P.mul(P.mul(grad, P.neg(x)), recip) if needs(self, 1) else None
        return gx, gy


def atan2(input: Tensor, other: Tensor) -> Tensor:
    """The angle of the point (other, input): ``atan(input / other)`` in the right quadrant."""
    a, b, da, db, rd = binary_operands(input, other)
    if not rd.is_floating_point:
        da = da.astype(dtypes.get_default_dtype().np)
        db = db.astype(da.dtype)
    if da.dtype == np.float32:
        out = np.arctan2(da.astype(np.float64), db.astype(np.float64)).astype(np.float32)
    else:
        out = np.arctan2(da, db)
    return record(np.asarray(out), Atan2Backward0, (a, b), self=a, other=b)


class AsinhBackward0(Node):
    """out = asinh(self)  ->  d/dself = grad * rsqrt(self ** 2 + 1)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = asinh({0})", ("g / \u221a({0}\u00b2 + 1)",))

    def apply(self, grad):
        return (P.mul(grad, rsqrt(P.add_scalar(P.pow(_self(self), 2), 1))),)


def asinh(input: Tensor) -> Tensor:
    """Inverse hyperbolic sine."""
    return record(_precise(np.arcsinh, input), AsinhBackward0, (input,), self=input)


class AcoshBackward0(Node):
    """out = acosh(self)  ->  d/dself = grad * rsqrt(self * self - 1)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = acosh({0})", ("g / \u221a({0}\u00b2 \u2212 1)",))

    def apply(self, grad):
        x = _self(self)
        return (P.mul(grad, rsqrt(P.sub_scalar(P.mul(x, x), 1))),)


def acosh(input: Tensor) -> Tensor:
    """Inverse hyperbolic cosine (nan below 1)."""
    return record(_precise(np.arccosh, input), AcoshBackward0, (input,), self=input)


class AtanhBackward0(Node):
    """out = atanh(self)  ->  d/dself = grad / (1 - self ** 2)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = atanh({0})", ("g / (1 \u2212 {0}\u00b2)",))

    def apply(self, grad):
        one = wrap_scalar(1)
        return (P.div(grad, P.sub(one, P.pow(_self(self), 2))),)


def atanh(input: Tensor) -> Tensor:
    """Inverse hyperbolic tangent (inf at ±1, nan beyond)."""
    return record(_precise(np.arctanh, input), AtanhBackward0, (input,), self=input)


class Exp2Backward0(Node):
    """out = 2 ** self  ->  d/dself = grad * out * ln 2"""
    _saved_fields = ("result",)
    explanation = Explanation("{z} = 2^{0}", ("g \u00b7 {z} \u00b7 ln 2",))

    def apply(self, grad):
        return (P.mul_scalar(P.mul(grad, _result(self)), _LN2),)


def exp2(input: Tensor) -> Tensor:
    """``2 ** input``."""
    return record(_precise(np.exp2, input), Exp2Backward0, (input,), result=RESULT)


class RsqrtBackward0(Node):
    """out = 1 / sqrt(self)  ->  d/dself = -0.5 * grad * out ** 3"""
    _saved_fields = ("result",)
    explanation = Explanation("{z} = 1 / \u221a{0}", ("\u22120.5 \u00b7 g \u00b7 {z}\u00b3",))

    def apply(self, grad):
        return (P.mul(P.mul_scalar(grad, -0.5), P.pow(_result(self), 3)),)


def rsqrt(input: Tensor) -> Tensor:
    """``1 / sqrt(input)`` (inf at 0, nan below)."""
    out = _precise(lambda a: 1 / np.sqrt(a), input)
    return record(out, RsqrtBackward0, (input,), result=RESULT)


_ERF = np.frompyfunc(math.erf, 1, 1)


class ErfBackward0(Node):
    """out = erf(self)  ->  d/dself = 2 / sqrt(pi) * exp(-self ** 2) * grad"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = erf({0})", ("g \u00b7 2/\u221a\u03c0 \u00b7 exp(\u2212{0}\u00b2)",))

    def apply(self, grad):
        e = P.exp(P.neg(P.pow(_self(self), 2)))
        return (P.mul(P.mul_scalar(e, _TWO_OVER_SQRT_PI), grad),)


def erf(input: Tensor) -> Tensor:
    """The error function ``2/sqrt(pi) * integral from 0 to input of exp(-t**2) dt``."""
    data = _floating(input)
    out = np.asarray(_ERF(data.astype(np.float64)), dtype=np.float64).astype(data.dtype)
    return record(out, ErfBackward0, (input,), self=input)


class FracBackward0(Node):
    """out = self - trunc(self)  ->  d/dself = grad"""
    __slots__ = ()
    explanation = Explanation("{z} = frac({0})", ("g",))

    def apply(self, grad):
        return (grad,)


def frac(input: Tensor) -> Tensor:
    """The fractional part, ``input - trunc(input)`` (sign kept), for floating tensors."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"frac_cpu" not implemented for \'{_type_name(input)}\'')
    data = input._data
    return record(np.asarray(data - np.trunc(data)), FracBackward0, (input,))


def _type_name(t: Tensor) -> str:
    from ..tensor import _scalar_type_name
    return _scalar_type_name(t.dtype)


def log10_(self: Tensor) -> Tensor:
    return apply_inplace(self, log10)


def log2_(self: Tensor) -> Tensor:
    return apply_inplace(self, log2)


def sinh_(self: Tensor) -> Tensor:
    return apply_inplace(self, sinh)


def cosh_(self: Tensor) -> Tensor:
    return apply_inplace(self, cosh)


def tan_(self: Tensor) -> Tensor:
    return apply_inplace(self, tan)


def asin_(self: Tensor) -> Tensor:
    return apply_inplace(self, asin)


def acos_(self: Tensor) -> Tensor:
    return apply_inplace(self, acos)


def atan_(self: Tensor) -> Tensor:
    return apply_inplace(self, atan)


def atan2_(self: Tensor, other: Tensor) -> Tensor:
    return apply_inplace(self, lambda s: atan2(s, other))


def _no_inplace_derivative(self: Tensor, name: str) -> None:
    # PyTorch has no derivative for these three in-place forms: it refuses to record them
    if recording(self):
        raise NotImplementedError(f"the derivative for 'inplace version of {name}' is not "
                                  "implemented.")


def asinh_(self: Tensor) -> Tensor:
    _no_inplace_derivative(self, "asinh")
    return apply_inplace(self, asinh)


def acosh_(self: Tensor) -> Tensor:
    _no_inplace_derivative(self, "acosh")
    return apply_inplace(self, acosh)


def atanh_(self: Tensor) -> Tensor:
    _no_inplace_derivative(self, "atanh")
    return apply_inplace(self, atanh)


def exp2_(self: Tensor) -> Tensor:
    return apply_inplace(self, exp2)


def rsqrt_(self: Tensor) -> Tensor:
    return apply_inplace(self, rsqrt)


def erf_(self: Tensor) -> Tensor:
    return apply_inplace(self, erf)


def frac_(self: Tensor) -> Tensor:
    return apply_inplace(self, frac)


__all__ = ["sqrt", "sin", "cos", "square", "floor", "ceil", "round", "trunc", "exp_", "log_",
           "sqrt_", "sin_", "cos_", "abs_", "neg_", "reciprocal_", "sign_", "sgn_", "square_",
           "floor_", "ceil_", "round_", "trunc_", "sigmoid_", "tanh_", "log1p", "log1p_",
           "expm1", "expm1_",
           "log10", "log2", "sinh", "cosh", "tan", "asin", "acos", "atan", "atan2", "asinh",
           "acosh", "atanh", "exp2", "rsqrt", "erf", "frac", "log10_", "log2_", "sinh_",
           "cosh_", "tan_", "asin_", "acos_", "atan_", "atan2_", "asinh_", "acosh_", "atanh_",
           "exp2_", "rsqrt_", "erf_", "frac_"]
