"""Spread: var and std, with ``correction`` (or the older ``unbiased``) as in PyTorch.

``var = sum((x - mean)**2) / (N - correction)``; ``std = sqrt(var)``. Derivatives, as
PyTorch's ``var_backward`` / ``std_backward``:

* var: ``(2 / (N - correction)) * grad * (self - self.mean(dim, keepdim=True))``
  (MulBackward1, SubBackward0, MeanBackward0/1, MulBackward0 under ``create_graph``);
* std: ``var_backward(grad / (result * 2), masked to 0 where result == 0)``.
"""
from __future__ import annotations

import warnings
from typing import Any, Sequence

import numpy as np

from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import IGNORE, RESULT, quiet, record, unquiet
from . import pointwise as P, reduction, shape as shape_ops

_DOF_WARNING = ("{name}(): degrees of freedom is <= 0. Correction should be strictly less than "
                "the reduction factor (input numel divided by output numel).")


def _var_backward(grad: Tensor, x: Tensor, dim: tuple[int, ...] | None, correction: float,
                  keepdim: bool) -> Tensor:
    if x._data.ndim == 0 or dim is None:
        dof = x._data.size - correction
        if dof <= 0:  # 2 / 0 = inf, times (x - mean) = 0: nan, as PyTorch returns directly
            return P.mul(grad, _make(np.full(x._data.shape, np.nan, x._data.dtype), None))
        mean = reduction.mean(x)
    else:
        if not keepdim and x._data.ndim > 1:
            for d in sorted(dim):
                grad = shape_ops.unsqueeze(grad, d)
        dof = int(np.prod([x._data.shape[d] for d in dim])) - correction
        mean = reduction.mean(x, dim, True)
    token = quiet(IGNORE)
    try:
        scale = float(np.float64(2.0) / np.float64(dof))
    finally:
        unquiet(token)
    return P.mul(P.mul_scalar(grad, scale), P.sub(x, mean))


class VarBackward0(Node):
    """out = self.var(dim, correction, keepdim)  ->  2 / (N - correction) * grad * (self - mean)"""
    __slots__ = ("correction", "dim", "keepdim")
    _saved_fields: tuple[str, ...] = ("correction", "dim", "keepdim", "self")

    @property
    def _s_correction(self):
        return self.correction

    @property
    def _s_dim(self):
        return None if self.dim is None else list(self.dim)

    @property
    def _s_keepdim(self):
        return self.keepdim

    explanation = Explanation(
        "{z} = {0}.var(dim={dim}, correction={correction})",
        ("g · 2({0} − mean) / (N − {correction})",),
        both("mean is the mean of {0} over the reduced elements, N their number.",
             "mean 是 {0} 在被归约元素上的平均值，N 是这些元素的个数。"))

    def apply(self, grad):
        return (_var_backward(grad, self._s_self.unpack(self), self.dim, self.correction,
                              self.keepdim),)


class StdBackward0(VarBackward0):
    """out = self.std(...)  ->  var's derivative of grad / (2 * out) (0 where out == 0)"""
    _saved_fields = ("correction", "dim", "keepdim", "result", "self")
    explanation = Explanation(
        "{z} = {0}.std(dim={dim}, correction={correction})",
        ("g · ({0} − mean) / ((N − {correction}) · {z})",),
        both("mean is the mean of {0} over the reduced elements, N their number; where {z} is "
             "0 the gradient is 0.",
             "mean 是 {0} 在被归约元素上的平均值，N 是这些元素的个数；{z} 为 0 处梯度为 0。"))

    def apply(self, grad):
        out = self._s_result.unpack(self)
        grad_var = P.masked_fill_(P.div(grad, P.mul_scalar(out, 2)), P.eq(out, 0), 0)
        return (_var_backward(grad_var, self._s_self.unpack(self), self.dim, self.correction,
                              self.keepdim),)


def _parse(input: Tensor, dim: Any, unbiased: Any, keepdim: Any, correction: Any, name: str):
    if isinstance(dim, bool):  # var(unbiased) / var(input, unbiased)
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (correction="
            f"{type(correction).__name__}, unbiased=bool, ), but expected one of:\n"
            " * (tuple of ints dim, bool unbiased = True, bool keepdim = False)\n"
            " * (tuple of ints dim = None, *, Number correction = None, bool keepdim = False)\n"
            " * (bool unbiased = True)\n")
    if correction is None:
        correction = 0 if unbiased is False else 1
    if not input.dtype.is_floating_point:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    return (None if dim is None else reduction._dims(input, dim)), correction


def _compute(input: Tensor, dims: tuple[int, ...] | None, correction: float, keepdim: bool,
             name: str) -> np.ndarray:
    data = input._data
    axis = dims
    n = data.size if dims is None else int(np.prod([data.shape[d] for d in dims]))
    out_numel = 1 if dims is None else data.size // max(n, 1) if n else int(np.prod(
        [s for d, s in enumerate(data.shape) if d not in dims]))
    if data.size // max(out_numel, 1) - correction <= 0:  # PyTorch's "reduction factor"
        warnings.warn(_DOF_WARNING.format(name=name), UserWarning, stacklevel=4)
    token = quiet(IGNORE)
    try:
        if n == 0:  # (NumPy's mean would warn "Mean of empty slice")
            out = np.full(np.sum(data, axis=axis, keepdims=keepdim).shape, np.nan)
        else:  # in double precision, as PyTorch accumulates float32 on the CPU
            wide = data.astype(np.float64) if data.dtype.itemsize < 8 else data
            mean = wide.mean(axis=axis, keepdims=True)
            sq = ((wide - mean) ** 2).sum(axis=axis, keepdims=keepdim)
            out = sq / np.float64(max(0, n - correction))  # as PyTorch: 0/0 = nan, x/0 = inf
        if name == "std":
            out = np.sqrt(out)
    finally:
        unquiet(token)
    return np.asarray(out, dtype=data.dtype)


def _var_std(input: Tensor, dim: Any, unbiased: Any, keepdim: bool, correction: Any,
             name: str) -> Tensor:
    dims, correction = _parse(input, dim, unbiased, keepdim, correction, name)
    out = _compute(input, dims, correction, keepdim, name)
    if name == "var":
        return record(out, VarBackward0, (input,), dim=dims, correction=correction,
                      keepdim=keepdim, self=input)
    return record(out, StdBackward0, (input,), dim=dims, correction=correction, keepdim=keepdim,
                  self=input, result=RESULT)


def var(input: Tensor, dim: int | Sequence[int] | bool | None = None, unbiased: Any = None,
        keepdim: bool = False, *, correction: Any = None) -> Tensor:
    """Variance over all elements or along ``dim``, dividing by ``N - correction`` (1 by
    default: the unbiased estimate; ``unbiased=False`` means 0)."""
    return _var_std(input, dim, unbiased, keepdim, correction, "var")


def std(input: Tensor, dim: int | Sequence[int] | bool | None = None, unbiased: Any = None,
        keepdim: bool = False, *, correction: Any = None) -> Tensor:
    """Standard deviation: the square root of ``var`` (same arguments)."""
    return _var_std(input, dim, unbiased, keepdim, correction, "std")


__all__ = ["var", "std"]
