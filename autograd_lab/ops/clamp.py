"""Elementwise limits: clamp (clip), clamp_min, clamp_max, maximum, minimum.

Their derivatives route the gradient with ``where`` on the comparison masks, as PyTorch's
``clamp_backward`` (a bound reached passes no gradient to ``self``; elements exactly on a bound
keep theirs), and ``maximum``/``minimum`` split it evenly between equal elements:

* maximum: ``where(self == other, grad / 2, grad).masked_fill_(self < other, 0)`` for self,
  ``... .masked_fill_(self > other, 0)`` for other (WhereBackward0, DivBackward1,
  MaskedFillBackward0 under ``create_graph``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..autograd.explanation import BROADCAST, Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import IGNORE, apply_inplace, binary_operands, needs, quiet, record, unquiet
from . import pointwise as P

_NONE = _make(np.zeros(()), None)  # stands for a missing bound (an edge to nothing)


def _zero_where(mask: Tensor, grad: Tensor) -> Tensor:
    """``where(mask, grad, 0)`` (PyTorch's ``at::scalar_tensor(0.)``: no edge for the 0)."""
    return P.where(mask, grad, _make(np.zeros((), grad._data.dtype), None))


# -- clamp with numbers ----------------------------------------------------------------------
class ClampBackward1(Node):
    """out = clamp(self, min, max), numbers  ->  d/dself = grad where min <= self <= max"""
    _saved_fields = ("max", "min", "self")
    explanation = Explanation(
        "{z} = clamp({0}, min={min}, max={max})",
        (both("g where {0} is within the bounds, else 0", "{0} 在上下界之内处为 g，其余为 0"),),
        both("Where {0} was clamped, {z} stays at the bound whatever {0} does: the gradient "
             "there is 0.",
             "在 {0} 被截断的位置，无论 {0} 怎么变，{z} 都停在边界上：那里的梯度为 0。"))

    def apply(self, grad):
        x = self._s_self.unpack(self)
        lo, hi = self._s_min, self._s_max
        if lo is not None and hi is not None:
            mask = P.logical_and(P.ge(x, lo), P.le(x, hi))
        elif lo is not None:
            mask = P.ge(x, lo)
        else:
            mask = P.le(x, hi)
        return (_zero_where(mask, grad),)


class ClampMinBackward0(Node):
    """out = clamp_min(self, min), a number  ->  d/dself = grad where self >= min"""
    _saved_fields = ("min", "self")
    explanation = Explanation(
        "{z} = clamp_min({0}, {min})",
        (both("g where {0} ≥ {min}, else 0", "{0} ≥ {min} 处为 g，其余为 0"),), both("Where {0} was clamped, {z} stays at the bound whatever {0} does: the gradient "
             "there is 0.",
             "在 {0} 被截断的位置，无论 {0} 怎么变，{z} 都停在边界上：那里的梯度为 0。"))

    def apply(self, grad):
        return (_zero_where(P.ge(self._s_self.unpack(self), self._s_min), grad),)


class ClampMaxBackward0(Node):
    """out = clamp_max(self, max), a number  ->  d/dself = grad where self <= max"""
    _saved_fields = ("max", "self")
    explanation = Explanation(
        "{z} = clamp_max({0}, {max})",
        (both("g where {0} ≤ {max}, else 0", "{0} ≤ {max} 处为 g，其余为 0"),), both("Where {0} was clamped, {z} stays at the bound whatever {0} does: the gradient "
             "there is 0.",
             "在 {0} 被截断的位置，无论 {0} 怎么变，{z} 都停在边界上：那里的梯度为 0。"))

    def apply(self, grad):
        return (_zero_where(P.le(self._s_self.unpack(self), self._s_max), grad),)


# -- clamp with tensors ----------------------------------------------------------------------
class ClampBackward0(Node):
    """out = clamp(self, min, max), tensors  ->  grad to self where inside the bounds, to min
    where self < min (< max), to max where self > max (or max < min)"""
    _saved_fields = ("max", "min", "self")
    explanation = Explanation(
        "{z} = clamp({0}, {1}, {2})",
        (both("g where {1} ≤ {0} ≤ {2}, else 0", "{1} ≤ {0} ≤ {2} 处为 g，其余为 0"),
         both("g where {0} < {1} (and {1} < {2}), else 0",
              "{0} < {1}（且 {1} < {2}）处为 g，其余为 0"),
         both("g where {0} > {2} (or {2} < {1}), else 0",
              "{0} > {2}（或 {2} < {1}）处为 g，其余为 0")),
        both("Each element of {z} is one of {0}, {1} and {2}: that one gets its gradient.",
             "{z} 的每个元素都取自 {0}、{1}、{2} 之一：梯度只给那一个。"))

    def apply(self, grad):
        x = self._s_self.unpack(self)
        lo = self._s_min.unpack(self) if self._s_min is not None else None
        hi = self._s_max.unpack(self) if self._s_max is not None else None
        grad_min = grad_max = None
        if lo is not None and hi is not None:
            if needs(self, 1):
                grad_min = _zero_where(P.logical_and(P.lt(x, lo), P.lt(lo, hi)), grad)
            if needs(self, 2):
                grad_max = _zero_where(P.logical_or(P.gt(x, hi), P.lt(hi, lo)), grad)
        elif lo is not None and needs(self, 1):
            grad_min = _zero_where(P.lt(x, lo), grad)
        elif hi is not None and needs(self, 2):
            grad_max = _zero_where(P.gt(x, hi), grad)
        grad_self = None
        if needs(self, 0):
            if lo is not None and hi is not None:
                grad_self = _zero_where(P.logical_and(P.ge(x, lo), P.le(x, hi)), grad)
            elif lo is not None:
                grad_self = _zero_where(P.ge(x, lo), grad)
            elif hi is not None:
                grad_self = _zero_where(P.le(x, hi), grad)
            else:
                grad_self = grad
        return grad_self, grad_min, grad_max


class ClampMinBackward1(Node):
    """out = clamp_min(self, min), min a tensor  ->  grad to self where self >= min, else to min"""
    _saved_fields = ("min", "self")
    explanation = Explanation(
        "{z} = clamp_min({0}, {1})",
        (both("g where {0} ≥ {1}, else 0", "{0} ≥ {1} 处为 g，其余为 0"),
         both("g where {0} < {1}, else 0", "{0} < {1} 处为 g，其余为 0")), BROADCAST)

    def apply(self, grad):
        x, lo = self._s_self.unpack(self), self._s_min.unpack(self)
        grad_min = _zero_where(P.lt(x, lo), grad) if needs(self, 1) else None
        grad_self = _zero_where(P.ge(x, lo), grad) if needs(self, 0) else None
        return grad_self, grad_min


class ClampMaxBackward1(Node):
    """out = clamp_max(self, max), max a tensor  ->  grad to self where self <= max, else to max"""
    _saved_fields = ("max", "self")
    explanation = Explanation(
        "{z} = clamp_max({0}, {1})",
        (both("g where {0} ≤ {1}, else 0", "{0} ≤ {1} 处为 g，其余为 0"),
         both("g where {0} > {1}, else 0", "{0} > {1} 处为 g，其余为 0")), BROADCAST)

    def apply(self, grad):
        x, hi = self._s_self.unpack(self), self._s_max.unpack(self)
        grad_max = _zero_where(P.gt(x, hi), grad) if needs(self, 1) else None
        grad_self = _zero_where(P.le(x, hi), grad) if needs(self, 0) else None
        return grad_self, grad_max


def _clamp_data(data: np.ndarray, lo: Any, hi: Any, rd: dtypes.dtype) -> np.ndarray:
    data = data.astype(rd.np, copy=False)
    token = quiet(IGNORE)
    try:
        out = data
        if lo is not None:
            out = np.maximum(out, np.asarray(lo).astype(rd.np))  # nan anywhere gives nan
        if hi is not None:
            out = np.minimum(out, np.asarray(hi).astype(rd.np))
    finally:
        unquiet(token)
    if out is data:
        out = data.copy()
    return np.asarray(out, dtype=rd.np)


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    """Each element limited to ``[min, max]`` (numbers or broadcastable tensors)."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return _clamp_tensors(input, min, max)
    rd = dtypes.result_type(input, *(b for b in (min, max) if b is not None))
    out = _clamp_data(input._data, min, max, rd)
    return record(out, ClampBackward1, (input,), self=input, min=min, max=max)


def _as_bound(b: Any) -> Any:
    return b._data if isinstance(b, Tensor) else b


def _clamp_tensors(input: Tensor, min: Any, max: Any) -> Tensor:  # noqa: A002
    from ._core import as_tensor_operand, check_broadcast
    lo = as_tensor_operand(min) if min is not None else None
    hi = as_tensor_operand(max) if max is not None else None
    rd = dtypes.result_type(input, *(b for b in (lo, hi) if b is not None))
    for b in (lo, hi):
        if b is not None and b._data.shape != input._data.shape:
            check_broadcast(input._data.shape, b._data.shape)
    out = _clamp_data(input._data, _as_bound(lo), _as_bound(hi), rd)
    # (a missing bound is an input that needs no gradient, and saved as None)
    return record(out, ClampBackward0, (input, _NONE if lo is None else lo,
                                        _NONE if hi is None else hi), self=input, min=lo, max=hi)


def clamp_min(input: Tensor, min: Any) -> Tensor:  # noqa: A002
    if isinstance(min, Tensor):
        return _one_bound(ClampMinBackward1, input, min, True)
    rd = dtypes.result_type(input, min)
    out = _clamp_data(input._data, min, None, rd)
    return record(out, ClampMinBackward0, (input,), self=input, min=min)


def clamp_max(input: Tensor, max: Any) -> Tensor:  # noqa: A002
    if isinstance(max, Tensor):
        return _one_bound(ClampMaxBackward1, input, max, False)
    rd = dtypes.result_type(input, max)
    out = _clamp_data(input._data, None, max, rd)
    return record(out, ClampMaxBackward0, (input,), self=input, max=max)


def _one_bound(node_cls: type, input: Tensor, bound: Tensor, is_min: bool) -> Tensor:
    a, b, da, db, rd = binary_operands(input, bound)
    out = _clamp_data(da, db if is_min else None, None if is_min else db, rd)
    if is_min:
        return record(out, node_cls, (a, b), self=a, min=b)
    return record(out, node_cls, (a, b), self=a, max=b)


def clamp_(self: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    return apply_inplace(self, lambda s, lo, hi: clamp(s, lo, hi), min, max)


def clamp_min_(self: Tensor, min: Any) -> Tensor:  # noqa: A002
    return apply_inplace(self, clamp_min, min)


def clamp_max_(self: Tensor, max: Any) -> Tensor:  # noqa: A002
    return apply_inplace(self, clamp_max, max)


clip = clamp
clip_ = clamp_


# -- maximum / minimum ---------------------------------------------------------------------
class MaximumBackward0(Node):
    """out = max(self, other) elementwise  ->  grad to the larger, halved between equals"""
    _saved_fields = ("other", "self")
    _loses_self = staticmethod(P.lt)   # where self loses, it gets no gradient
    _loses_other = staticmethod(P.gt)
    explanation = Explanation(
        "{z} = maximum({0}, {1})",
        (both("g where {0} > {1}, g / 2 where they are equal, else 0",
              "{0} > {1} 处为 g，相等处为 g / 2，其余为 0"),
         both("g where {1} > {0}, g / 2 where they are equal, else 0",
              "{1} > {0} 处为 g，相等处为 g / 2，其余为 0")), BROADCAST)

    def apply(self, grad):
        x, y = self._s_self.unpack(self), self._s_other.unpack(self)
        grad_self = grad_other = None
        if needs(self, 1):  # "other" first, as PyTorch
            grad_other = P.masked_fill_(_split(grad, x, y), self._loses_other(x, y), 0)
        if needs(self, 0):
            grad_self = P.masked_fill_(_split(grad, x, y), self._loses_self(x, y), 0)
        return grad_self, grad_other


class MinimumBackward0(MaximumBackward0):
    """out = min(self, other) elementwise  ->  grad to the smaller, halved between equals"""
    __slots__ = ()
    _loses_self = staticmethod(P.gt)
    _loses_other = staticmethod(P.lt)
    explanation = Explanation(
        "{z} = minimum({0}, {1})",
        (both("g where {0} < {1}, g / 2 where they are equal, else 0",
              "{0} < {1} 处为 g，相等处为 g / 2，其余为 0"),
         both("g where {1} < {0}, g / 2 where they are equal, else 0",
              "{1} < {0} 处为 g，相等处为 g / 2，其余为 0")), BROADCAST)


def _split(grad: Tensor, x: Tensor, y: Tensor) -> Tensor:
    """``where(self == other, grad / 2, grad)``."""
    return P.where(P.eq(x, y), P.div_scalar(grad, 2), grad)


def _extremum(node_cls: type, fn: Any, name: str, input: Any, other: Any) -> Tensor:
    if not isinstance(other, Tensor):
        raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    a, b, da, db, rd = binary_operands(input, other)
    out = fn(da, db)
    return record(out, node_cls, (a, b), self=a, other=b)


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """The larger of the two, elementwise (nan if either is nan)."""
    return _extremum(MaximumBackward0, np.maximum, "maximum", input, other)


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """The smaller of the two, elementwise (nan if either is nan)."""
    return _extremum(MinimumBackward0, np.minimum, "minimum", input, other)


__all__ = ["clamp", "clamp_min", "clamp_max", "clamp_", "clamp_min_", "clamp_max_", "clip",
           "clip_", "maximum", "minimum"]
