"""Largest and smallest elements: max, min (whole tensor, or along a dim with their indices),
amax, amin, argmax, argmin.

Derivatives, as PyTorch's:

* ``max()`` (MaxBackward1): the gradient is shared evenly by the elements equal to the maximum
  (``zeros.masked_fill_(mask, grad / mask.sum())``);
* ``max(dim)`` (MaxBackward0): it goes to the element the index points at
  (``zeros.scatter(dim, indices, grad)``);
* ``amax``/``amin`` (AmaxBackward0): shared evenly by the equal elements along the reduced
  dims (``grad / mask.sum(dims) * mask``).

``max(dim)`` returns ``torch.return_types.max(values=..., indices=...)``.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import return_types
from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import RESULT, record
from . import pointwise as P, shape as shape_ops
from .reduction import _saved_attr


def _mask_equal(x: Tensor, value: Tensor) -> Tensor:
    """Where ``x`` equals ``value`` (nan where the value is nan)."""
    if np.isnan(value._data).any():
        return _make(np.asarray(np.isnan(x._data) & np.isnan(value._data)), None)
    return P.eq(x, value)


class MaxBackward1(Node):
    """out = self.max()  ->  grad / (number of maxima) to each maximum"""
    _saved_fields = ("result", "self")
    explanation = Explanation(
        "{z} = {0}.max()",
        (both("g / k at each of the k elements equal to the maximum, 0 elsewhere",
              "等于最大值的 k 个元素各得 g / k，其余为 0"),),
        both("{z} is one value of {0}: where several elements share it, they share the "
             "gradient.",
             "{z} 是 {0} 中的一个值：若有几个元素同为最大值，它们平分梯度。"))

    def apply(self, grad):
        from .reduction import sum as sum_
        x, value = self._s_self.unpack(self), self._s_result.unpack(self)
        mask = _mask_equal(x, value)
        zeros = _make(np.zeros(x._data.shape, grad._data.dtype), None)
        return (P.masked_fill_(zeros, mask, P.div(grad, sum_(mask))),)


class MinBackward1(MaxBackward1):
    """out = self.min()  ->  grad / (number of minima) to each minimum"""
    __slots__ = ()
    explanation = Explanation(
        "{z} = {0}.min()",
        (both("g / k at each of the k elements equal to the minimum, 0 elsewhere",
              "等于最小值的 k 个元素各得 g / k，其余为 0"),),
        both("{z} is one value of {0}: where several elements share it, they share the "
             "gradient.",
             "{z} 是 {0} 中的一个值：若有几个元素同为最小值，它们平分梯度。"))


class MaxBackward0(Node):
    """(values, indices) = self.max(dim, keepdim)  ->  grad to the element at the index"""
    __slots__ = ("dim", "keepdim", "self_sym_sizes")
    _saved_fields = ("dim", "indices", "keepdim", "self_sym_sizes")
    _s_dim, _s_keepdim = _saved_attr("dim"), _saved_attr("keepdim")
    _s_self_sym_sizes = _saved_attr("self_sym_sizes")
    explanation = Explanation(
        "{z} = {0}.max(dim={dim})",
        (both("g at the index of each slice's maximum, 0 elsewhere",
              "每一片中最大值所在的位置（indices）得到 g，其余为 0"),),
        both("Each value of {z} is one element of {0}, the one its index names: only that "
             "element gets the gradient.",
             "{z} 的每个值都是 {0} 的一个元素（indices 指出的那个）：只有它得到梯度。"))

    def apply(self, grad):
        from .gather import scatter
        indices = self._s_indices.unpack(self)
        zeros = _make(np.zeros(self.self_sym_sizes, grad._data.dtype), None)
        if not self.self_sym_sizes:
            return (grad,)
        if not self.keepdim:
            grad = shape_ops.unsqueeze(grad, self.dim)
            indices = shape_ops.unsqueeze(indices, self.dim)
        return (scatter(zeros, self.dim, indices, grad),)


class MinBackward0(MaxBackward0):
    """(values, indices) = self.min(dim, keepdim)  ->  grad to the element at the index"""
    __slots__ = ()
    explanation = Explanation(
        "{z} = {0}.min(dim={dim})",
        (both("g at the index of each slice's minimum, 0 elsewhere",
              "每一片中最小值所在的位置（indices）得到 g，其余为 0"),),
        both("Each value of {z} is one element of {0}, the one its index names: only that "
             "element gets the gradient.",
             "{z} 的每个值都是 {0} 的一个元素（indices 指出的那个）：只有它得到梯度。"))


def _check_nonempty(input: Tensor, name: str, dim: int | None) -> None:
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
    elif input._data.ndim and input._data.shape[dim] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")


def _extreme(input: Tensor, dim: Any, keepdim: bool, largest: bool) -> Any:
    name = "max" if largest else "min"
    if isinstance(dim, Tensor):  # torch.max(a, b): the elementwise maximum
        from .clamp import maximum, minimum
        return (maximum if largest else minimum)(input, dim)
    data = input._data
    if dim is None:
        _check_nonempty(input, name, None)
        out = np.asarray(data.max() if largest else data.min())
        return record(out, MaxBackward1 if largest else MinBackward1, (input,), self=input,
                      result=RESULT)
    dim = input._wrap_dim(dim)
    _check_nonempty(input, name, dim)
    if data.ndim == 0:
        values, indices = data.copy(), np.zeros((), np.int64)
    else:
        arg = np.argmax if largest else np.argmin
        indices = np.expand_dims(arg(data, axis=dim), dim)
        values = np.take_along_axis(data, indices, axis=dim)
        if not keepdim:
            indices, values = indices.squeeze(dim), values.squeeze(dim)
    index_t = _make(np.asarray(indices, dtype=np.int64), None)
    values_t = record(np.asarray(values), MaxBackward0 if largest else MinBackward0, (input,),
                      dim=dim, keepdim=keepdim, self_sym_sizes=data.shape, indices=index_t)
    return (return_types.max if largest else return_types.min)((values_t, index_t))


def max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001
    """The largest element; with ``dim``, the largest along it and where it is
    (``torch.return_types.max(values, indices)``); with a tensor, the elementwise maximum."""
    return _extreme(input, dim, keepdim, True)


def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001
    """The smallest element (see ``max``)."""
    return _extreme(input, dim, keepdim, False)


# -- amax / amin ---------------------------------------------------------------------------
class AmaxBackward0(Node):
    """out = self.amax(dim, keepdim)  ->  grad shared evenly by the maxima of each slice"""
    __slots__ = ("dim", "keepdim")
    _saved_fields = ("dim", "keepdim", "result", "self")
    _s_keepdim = _saved_attr("keepdim")

    @property
    def _s_dim(self):
        return list(self.dim)

    explanation = Explanation(
        "{z} = {0}.amax({dim})",
        (both("g shared evenly by the elements equal to their slice's maximum, 0 elsewhere",
              "每一片中等于最大值的元素平分 g，其余为 0"),))

    def apply(self, grad):
        from .reduction import sum as sum_
        x, value = self._s_self.unpack(self), self._s_result.unpack(self)
        grad = _restore_reduced_dims(grad, self.dim, self.keepdim)
        value = _restore_reduced_dims(value, self.dim, self.keepdim)
        mask = P.eq(value, x)
        return (P.mul(P.div(grad, sum_(mask, self.dim, True)), mask),)


class AminBackward0(AmaxBackward0):
    """out = self.amin(dim, keepdim)  ->  grad shared evenly by the minima of each slice"""
    __slots__ = ()
    explanation = Explanation(
        "{z} = {0}.amin({dim})",
        (both("g shared evenly by the elements equal to their slice's minimum, 0 elsewhere",
              "每一片中等于最小值的元素平分 g，其余为 0"),))


def _restore_reduced_dims(t: Tensor, dims: tuple[int, ...], keepdim: bool) -> Tensor:
    """PyTorch's ``restore_reduced_dims``: the reduced dims put back as size 1 (a reshape)."""
    if keepdim:
        return t
    total = t._data.ndim + len(dims)
    target = [0] * total
    for d in dims:
        target[d] = 1
    sizes = iter(t._data.shape)
    for j in range(total):
        if target[j] == 0:
            target[j] = next(sizes)
    return shape_ops.reshape(t, tuple(target))


def _amax(input: Tensor, dim: Any, keepdim: bool, largest: bool) -> Tensor:
    from .reduction import _dims
    name = "amax" if largest else "amin"
    dims = _dims(input, dim)
    data = input._data
    if data.size == 0 and (dim is None or dim == () or dim == []):
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() "
                           "== 0. Specify the reduction dim with the 'dim' argument.")
    for d in dims:
        if data.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    fn = np.max if largest else np.min
    out = np.asarray(fn(data, axis=dims, keepdims=keepdim)) if dims else data.copy()
    return record(out, AmaxBackward0 if largest else AminBackward0, (input,), dim=dims,
                  keepdim=keepdim, self=input, result=RESULT)


def amax(input: Tensor, dim: int | Sequence[int] = (), keepdim: bool = False) -> Tensor:
    """The largest elements along ``dim`` (every dim when empty)."""
    return _amax(input, dim, keepdim, True)


def amin(input: Tensor, dim: int | Sequence[int] = (), keepdim: bool = False) -> Tensor:
    """The smallest elements along ``dim`` (every dim when empty)."""
    return _amax(input, dim, keepdim, False)


# -- argmax / argmin ---------------------------------------------------------------------------
def _arg(input: Tensor, dim: int | None, keepdim: bool, largest: bool) -> Tensor:
    name = "argmax" if largest else "argmin"
    data = input._data
    fn = np.argmax if largest else np.argmin
    if dim is None:
        if data.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                             "input.numel() == 0.")
        out = np.asarray(fn(data), dtype=np.int64)
        if keepdim:
            out = out.reshape((1,) * data.ndim)
        return _make(out, None)
    dim = input._wrap_dim(dim)
    if data.ndim == 0:
        return _make(np.zeros((), np.int64), None)
    if data.shape[dim] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")
    out = np.asarray(fn(data, axis=dim), dtype=np.int64)
    if keepdim:
        out = np.expand_dims(out, dim)
    return _make(out, None)


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Where the largest element is (in the flattened tensor, or along ``dim``)."""
    return _arg(input, dim, keepdim, True)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Where the smallest element is (in the flattened tensor, or along ``dim``)."""
    return _arg(input, dim, keepdim, False)


__all__ = ["max", "min", "amax", "amin", "argmax", "argmin"]
