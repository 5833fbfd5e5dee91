"""Reductions: sum, mean, norm. Their backward spreads the gradient back over the input."""
from __future__ import annotations

from operator import attrgetter
from typing import Any, Sequence

import numpy as np

from .. import dtypes
from ..autograd import grad_mode
from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make, _scalar_type_name
from ._core import IGNORE, RESULT, quiet, record, unquiet
from . import pointwise, shape as shape_ops


def _saved_attr(attr: str) -> property:
    """A node's ``_s_<field>`` for a plain value kept in the public slot ``attr``: PyTorch
    shows it as ``node._saved_<field>``, graph pictures list it under ``attr``."""
    return property(attrgetter(attr))


def _dims(t: Tensor, dim: int | Sequence[int] | None) -> tuple[int, ...]:
    """The dims a reduction over ``dim`` reduces, sorted; as in PyTorch an empty list (like
    None) means all of them."""
    if isinstance(dim, int):
        dim = (dim,)
    if dim is None or len(dim) == 0:
        return tuple(range(t._data.ndim))
    dims = tuple(sorted(t._wrap_dim(d) for d in dim))
    # a 0-d tensor accepts dim 0 / -1 (as PyTorch), but has no dimension to reduce
    return dims if t._data.ndim else ()


def _expand_back(grad: Tensor, sizes: tuple[int, ...], dims: tuple[int, ...],
                 keepdim: bool) -> Tensor:
    """Undo a reduction's shape change: reinsert reduced dims, then broadcast to ``sizes``."""
    if not keepdim:
        for d in dims:
            grad = shape_ops.unsqueeze(grad, d)
    return shape_ops.expand(grad, sizes)


class SumBackward0(Node):
    """out = self.sum()  ->  every element gets grad"""
    __slots__ = ("self_sym_sizes",)
    explanation = Explanation(
        "{z} = {0}.sum()", (both("g, copied to every element of {0}", "g，复制到 {0} 的每个元素"),),
        both("Every element of {0} counts once in {z}.", "{0} 的每个元素在 {z} 中恰好出现一次。"))

    def apply(self, grad):
        return (shape_ops.expand(grad, self.self_sym_sizes),)


class SumBackward1(Node):
    """out = self.sum(dim, keepdim)  ->  grad spread back along the reduced dims"""
    __slots__ = ("self_sym_sizes", "dim", "keepdim")
    explanation = Explanation(
        "{z} = {0}.sum({dim})",
        (both("g, copied back along the summed dimensions", "g，沿被求和的维度复制回去"),))

    def apply(self, grad):
        return (_expand_back(grad, self.self_sym_sizes, self.dim, self.keepdim),)


def sum(input: Tensor, dim: int | Sequence[int] | None = None, keepdim: bool = False, *,
        dtype: dtypes.dtype | None = None) -> Tensor:
    """Sum of all elements, or along ``dim``. Integers and bools sum to int64."""
    data = input._data
    if dtype is not None:
        data = data.astype(dtype.np)
    elif not input.dtype.is_floating_point:
        data = data.astype(np.int64)
    if dim is None:
        token = quiet(IGNORE)  # inf + -inf, overflow: silent, as in PyTorch
        try:
            out = np.asarray(data.sum())
        finally:
            unquiet(token)
        return record(out, SumBackward0, (input,), self_sym_sizes=data.shape)
    dims = _dims(input, dim)
    token = quiet(IGNORE)
    try:
        out = np.asarray(data.sum(axis=dims, keepdims=keepdim))
    finally:
        unquiet(token)
    return record(out, SumBackward1, (input,), self_sym_sizes=data.shape, dim=dims, keepdim=keepdim)


class MeanBackward0(Node):
    """out = self.mean()  ->  every element gets grad / numel"""
    __slots__ = ("self_sym_sizes", "self_sym_numel")
    explanation = Explanation(
        "{z} = {0}.mean()", (both("g / n, for each of the n elements", "g / n，n 个元素每个都一样"),))

    def apply(self, grad):
        return (pointwise.div_scalar(shape_ops.expand(grad, self.self_sym_sizes),
                                     self.self_sym_numel),)


class MeanBackward1(Node):
    """out = self.mean(dim, keepdim)  ->  grad / (count reduced) spread back"""
    __slots__ = ("self_sym_sizes", "dim", "keepdim", "count")
    explanation = Explanation(
        "{z} = {0}.mean({dim})",
        (both("g / n, copied back along those dimensions", "g / n，沿这些维度复制回去"),))

    def apply(self, grad):
        spread = _expand_back(grad, self.self_sym_sizes, self.dim, self.keepdim)
        return (pointwise.div_scalar(spread, self.count),)


def mean(input: Tensor, dim: int | Sequence[int] | None = None, keepdim: bool = False, *,
         dtype: dtypes.dtype | None = None) -> Tensor:
    """Mean of all elements, or along ``dim`` (floating tensors only, as in PyTorch)."""
    target = dtype or input.dtype
    if not target.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_scalar_type_name(input.dtype)}")
    data = input._data if target is input.dtype else input._data.astype(target.np)
    if dim is None:
        token = quiet(IGNORE)
        try:
            out = np.asarray(data.mean() if data.size else np.nan, dtype=target.np)
        finally:
            unquiet(token)
        return record(out, MeanBackward0, (input,), self_sym_sizes=data.shape,
                      self_sym_numel=data.size)
    dims = _dims(input, dim)
    count = int(np.prod([data.shape[d] for d in dims]))
    token = quiet(IGNORE)  # the mean of nothing is nan, silently (NumPy's mean would warn)
    try:
        out = np.asarray(np.sum(data, axis=dims, keepdims=keepdim) / data.dtype.type(count),
                         dtype=target.np)
    finally:
        unquiet(token)
    return record(out, MeanBackward1, (input,), self_sym_sizes=data.shape, dim=dims,
                  keepdim=keepdim, count=int(np.prod([data.shape[d] for d in dims])))


class LinalgVectorNormBackward0(Node):
    """out = ||self||_ord  ->  d/dself = grad * sgn(self) * |self|**(p-1) / out**(p-1), written
    per case as PyTorch's ``norm_backward``: 0 where the norm is 0, an equal share among the
    elements at the largest (inf) or smallest (-inf) |self|, none at all for ord 0 (a count of
    nonzero elements). ``torch.norm`` and ``torch.linalg.vector_norm`` record it."""
    __slots__ = ("ord", "dim", "keepdim")
    # (PyTorch shows the three plain values as saved fields too)
    _saved_fields = ("dim", "keepdim", "ord", "result", "self")
    _s_dim = _saved_attr("dim")
    _s_keepdim = _saved_attr("keepdim")
    _s_ord = _saved_attr("ord")
    explanation = Explanation(
        "{z} = vector_norm({0}, {ord})",
        ("g · sign({0}) · |{0}|^(p − 1) / {z}^(p − 1)",),
        both("Here p is the order ({ord}); for p = 2 this is g · {0} / {z}. For the inf (-inf) "
             "order, g is shared equally by the elements whose |{0}| is the largest "
             "(smallest); order 0 counts nonzero elements, a step function, so {0} gets no "
             "gradient. Where {z} is 0, PyTorch gives 0.",
             "这里 p 是阶数（{ord}）；p = 2 时就是 g · {0} / {z}。inf（-inf）阶时，g 平均分给 "
             "|{0}| 最大（最小）的那些元素；0 阶是在数非零元素，是阶跃函数，所以 {0} 得不到梯度。"
             "{z} 为 0 的地方，PyTorch 取 0。"))

    def apply(self, grad):
        P = pointwise
        p = self.ord
        if p == 0:
            return (None,)
        x = self._s_self.unpack(self)
        norm = self._s_result.unpack(self)
        if not self.keepdim and self.dim is not None:
            for d in self.dim:
                grad = shape_ops.unsqueeze(grad, d)
                norm = shape_ops.unsqueeze(norm, d)
        if p == 1:
            return (P.mul(P.sgn(x), grad),)
        if p == 2:
            return (P.mul(grad, P.masked_fill_(P.div(x, norm), P.eq(norm, 0), 0)),)
        if p == float("inf") or p == -float("inf"):
            # the gradient goes, shared equally, to the elements whose |x| is the maximum
            # (the minimum for -inf): those equal to the norm
            x_abs = P.abs(x)
            mask = P.logical_or(P.eq(x_abs, norm), _isnan(x_abs))
            count = sum(mask, self.dim, True)
            return (P.mul(P.sgn(x), P.mul(P.div(grad, count), mask)),)
        if p < 1:
            x_scaled = P.mul(P.sgn(x), P.masked_fill_(P.pow_(P.abs(x), p - 1), P.eq(x, 0), 0))
            return (P.mul(P.mul(x_scaled, grad), P.pow(norm, 1 - p)),)
        if p < 2:
            x_scaled = P.mul(P.sgn(x), P.pow_(P.abs(x), p - 1))
        else:
            x_scaled = P.mul(x, P.pow_(P.abs(x), p - 2))
        scale = P.masked_fill_(P.div(grad, P.pow(norm, p - 1)), P.eq(norm, 0), 0)
        return (P.mul(x_scaled, scale),)


def _isnan(t: Tensor) -> Tensor:
    return _make(np.isnan(t._data), None)


# -- prod ------------------------------------------------------------------------------------
class ProdBackward0(Node):
    """out = self.prod()  ->  d/dself = grad * out / self (the product of the others where
    self has zeros)"""
    _saved_fields = ("result", "self")
    explanation = Explanation(
        "{z} = {0}.prod()",
        (both("g times the product of the other elements (g · {z} / {0} where {0} ≠ 0)",
              "g 乘以其余元素之积（{0} ≠ 0 处即 g · {z} / {0}）"),))

    def apply(self, grad):
        x, out = self._s_self.unpack(self), self._s_result.unpack(self)
        return (_prod_backward(grad, x, out, None),)


class ProdBackward1(Node):
    """out = self.prod(dim, keepdim)  ->  d/dself = grad * out / self along dim"""
    __slots__ = ("dim", "keepdim")
    _saved_fields = ("dim", "keepdim", "result", "self")
    _s_dim, _s_keepdim = _saved_attr("dim"), _saved_attr("keepdim")
    explanation = Explanation(
        "{z} = {0}.prod({dim})",
        (both("g times the product of the other elements of the slice (g · {z} / {0} where "
              "{0} ≠ 0)",
              "g 乘以同一片中其余元素之积（{0} ≠ 0 处即 g · {z} / {0}）"),))

    def apply(self, grad):
        x, out = self._s_self.unpack(self), self._s_result.unpack(self)
        if x._data.ndim == 0:
            return (grad,)
        if not self.keepdim:
            grad = shape_ops.unsqueeze(grad, self.dim)
            out = shape_ops.unsqueeze(out, self.dim)
        return (_prod_backward(grad, x, out, self.dim),)


def _prod_backward(grad: Tensor, x: Tensor, out: Tensor, dim: int | None) -> Tensor:
    """PyTorch's ``prod_backward``: ``grad * (result / input)`` when no element is zero; else
    the product of the other elements, from exclusive cumulative products (scan.py)."""
    from .scan import prod_safe_zeros_backward
    if x._data.ndim == 0:
        return grad
    zeros = int((x._data == 0).sum())
    if not zeros:
        return pointwise.mul(grad, pointwise.div(out, x))
    if dim is not None:
        return prod_safe_zeros_backward(grad, x, dim)
    if not grad_mode.is_grad_enabled() and zeros > 1:
        return _make(np.zeros(x._data.shape, x._data.dtype), None)
    flat = shape_ops.view(x.contiguous(), (-1,))
    return shape_ops.view_as(prod_safe_zeros_backward(grad, flat, 0), x)


def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *,
         dtype: dtypes.dtype | None = None) -> Tensor:
    """Product of all elements, or along ``dim``. Integers and bools multiply as int64."""
    data = input._data
    if dtype is not None:
        data = data.astype(dtype.np)
    elif not input.dtype.is_floating_point:
        data = data.astype(np.int64)
    token = quiet(IGNORE)
    try:
        if dim is None:
            out = np.asarray(data.prod())
        else:
            dim = input._wrap_dim(dim)
            out = np.asarray(data.prod(axis=dim, keepdims=keepdim) if data.ndim else data.copy())
    finally:
        unquiet(token)
    if dim is None:
        return record(out, ProdBackward0, (input,), self=input, result=RESULT)
    return record(out, ProdBackward1, (input,), dim=dim, keepdim=keepdim, self=input,
                  result=RESULT)


# -- all / any --------------------------------------------------------------------------------
def _logical_reduce(fn, input: Tensor, dim: Any, keepdim: bool) -> Tensor:
    data = input._data
    out_dtype = np.uint8 if data.dtype == np.uint8 else np.bool_
    if dim is None:
        return _make(np.asarray(fn(data), dtype=out_dtype), None)
    dims = _dims(input, dim)
    out = fn(data, axis=dims, keepdims=keepdim) if dims else data.astype(bool)
    return _make(np.asarray(out, dtype=out_dtype), None)


def all(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """True if every element (along ``dim``) is nonzero."""
    return _logical_reduce(np.all, input, dim, keepdim)


def any(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """True if some element (along ``dim``) is nonzero."""
    return _logical_reduce(np.any, input, dim, keepdim)


__all__ = ["sum", "mean", "prod", "all", "any"]  # (norm: see norms.py)
