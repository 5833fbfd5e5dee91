"""Ordering elements: sort, argsort, msort, topk, kthvalue.

``sort`` and ``topk`` return ``torch.return_types.sort/topk(values, indices)``. Their derivative
sends each gradient element back to where its value came from, as PyTorch's
``value_selecting_reduction_backward``: ``zeros.scatter(dim, indices, grad)``. NaN counts as
larger than every number (first when descending, last when ascending), and equal values keep
their order (``stable=True`` is what ``sort`` always does here; PyTorch's CPU sort does the
same). ``topk`` and ``kthvalue`` pick among equal values as a stable sort would, which can name
a different index than PyTorch's partial sort when values tie.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import return_types
from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import record

_SCATTER_BACK = both("each element of g goes back to the position its value came from",
                     "g 的每个元素回到它的值原来所在的位置")


def _saved_dim(dim: int) -> int:
    # PyTorch shows a saved negative dim as the unsigned 64-bit number it is stored as
    return dim + 2 ** 64 if dim < 0 else dim


class _SelectBackward(Node):
    """Values picked from ``self`` along ``dim`` at ``indices`` (kept dims): scatter back."""
    __slots__ = ("dim", "self_sym_sizes")
    _saved_fields: tuple[str, ...] = ("dim", "indices", "self_sym_sizes")

    @property
    def _s_dim(self) -> int:
        return _saved_dim(self.dim)

    @property
    def _s_self_sym_sizes(self) -> tuple:
        return self.self_sym_sizes

    def _keepdim(self) -> bool:
        return True

    def apply(self, grad):
        from .gather import scatter
        from . import shape as shape_ops
        sizes = tuple(self.self_sym_sizes)
        if not sizes:
            return (grad,)
        indices = self._s_indices.unpack(self)
        dim = self.dim + len(sizes) if self.dim < 0 else self.dim
        if not self._keepdim():
            grad = shape_ops.unsqueeze(grad, dim)
            indices = shape_ops.unsqueeze(indices, dim)
        zeros = _make(np.zeros(sizes, grad._data.dtype), None)
        return (scatter(zeros, dim, indices, grad),)


class SortBackward0(_SelectBackward):
    """(values, indices) = self.sort(dim)  ->  grad scattered back to the original positions"""
    __slots__ = ()
    explanation = Explanation(
        "{z} = {0}.sort(dim={dim})", (_SCATTER_BACK,),
        both("Sorting only moves values: each gradient element moves back with its value.",
             "排序只是移动数值：每个梯度元素随它的值回到原位。"))


class SortBackward1(SortBackward0):
    """``sort(..., stable=...)``: PyTorch's ``sort.stable`` overload, the same derivative"""
    __slots__ = ()
    explanation = SortBackward0.explanation


class TopkBackward0(_SelectBackward):
    """(values, indices) = self.topk(k, dim)  ->  grad scattered back, 0 for the others"""
    __slots__ = ()
    explanation = Explanation(
        "{z} = {0}.topk(dim={dim})",
        (both("g at the positions of the k chosen values, 0 elsewhere",
              "被选中的 k 个值所在位置得到 g，其余为 0"),),
        both("Each value of {z} is one element of {0}: only the chosen elements get a "
             "gradient.", "{z} 的每个值都是 {0} 的一个元素：只有被选中的元素得到梯度。"))


class KthvalueBackward0(_SelectBackward):
    """(values, indices) = self.kthvalue(k, dim, keepdim)  ->  grad to the k-th value's place"""
    __slots__ = ("keepdim",)
    _saved_fields = ("dim", "indices", "keepdim", "self_sym_sizes")
    explanation = Explanation(
        "{z} = {0}.kthvalue(dim={dim})",
        (both("g at the position of each slice's k-th smallest value, 0 elsewhere",
              "每一片中第 k 小的值所在位置得到 g，其余为 0"),))

    @property
    def _s_keepdim(self) -> bool:
        return self.keepdim

    def _keepdim(self) -> bool:
        return self.keepdim


def _order(data: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """Stable sorting indices along ``axis``; NaN is the largest value."""
    if data.dtype == np.bool_:
        data = data.astype(np.int8)
    moved = np.moveaxis(data, axis, -1)
    if data.dtype.kind == "f":
        nan = np.isnan(moved)
        if descending:
            order = np.lexsort((-moved, ~nan), axis=-1)
        else:
            order = np.lexsort((moved, nan), axis=-1)
    elif descending:
        # -x would overflow at the smallest integer: sort the bitwise complement instead,
        # which reverses the order of every signed integer exactly
        order = np.argsort(~moved if moved.dtype.kind == "i" else -moved.astype(np.int64),
                           axis=-1, kind="stable")
    else:
        order = np.argsort(moved, axis=-1, kind="stable")
    return np.moveaxis(order, -1, axis)


def _sorted_parts(input: Tensor, dim: int, descending: bool) -> tuple[np.ndarray, np.ndarray]:
    data = input._data
    if data.ndim == 0:
        return data.copy(), np.zeros((), np.int64)
    order = _order(data, dim, descending).astype(np.int64)
    return np.take_along_axis(data, order, axis=dim), order


_NOT_GIVEN: Any = None  # (``stable=None`` itself is refused by PyTorch's argument parser)


def sort(input: Tensor, dim: int = -1, descending: bool = False, *,
         stable: bool | None = _NOT_GIVEN) -> Any:
    """The values along ``dim`` in order, and where each came from
    (``torch.return_types.sort(values, indices)``). Equal values keep their order."""
    wrapped = input._wrap_dim(dim)
    values, indices = _sorted_parts(input, wrapped, descending)
    index_t = _make(indices, None)
    # naming ``stable`` at all selects PyTorch's other overload (and node), even stable=False
    node_cls = SortBackward0 if stable is _NOT_GIVEN else SortBackward1
    out = record(values, node_cls, (input,), dim=dim, self_sym_sizes=input._data.shape,
                 indices=index_t)
    return return_types.sort((out, index_t))


def argsort(input: Tensor, dim: int = -1, descending: bool = False, *,
            stable: bool = False) -> Tensor:
    """The indices that sort ``input`` along ``dim`` (``sort(...).indices``)."""
    wrapped = input._wrap_dim(dim)
    return _make(_sorted_parts(input, wrapped, descending)[1], None)


def msort(input: Tensor) -> Tensor:
    """The values sorted along the first dimension (``sort(input, 0).values``)."""
    return sort(input, 0)[0]


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True,
         sorted: bool = True) -> Any:  # noqa: A002 - PyTorch's argument name
    """The ``k`` largest (or smallest) values along ``dim`` and their indices
    (``torch.return_types.topk(values, indices)``), largest first (smallest first). With
    ``sorted=False`` PyTorch leaves them in an unspecified order; here they come sorted."""
    wrapped = input._wrap_dim(dim)
    size = input._data.shape[wrapped] if input._data.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    values, indices = _sorted_parts(input, wrapped, largest)
    if input._data.ndim:
        keep = [slice(None)] * input._data.ndim
        keep[wrapped] = slice(0, k)
        values, indices = values[tuple(keep)].copy(), indices[tuple(keep)].copy()
    index_t = _make(indices, None)
    out = record(values, TopkBackward0, (input,), dim=dim, self_sym_sizes=input._data.shape,
                 indices=index_t)
    return return_types.topk((out, index_t))


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> Any:
    """The ``k``-th smallest value along ``dim`` (counting from 1) and its index
    (``torch.return_types.kthvalue(values, indices)``)."""
    wrapped = input._wrap_dim(dim)
    size = input._data.shape[wrapped] if input._data.ndim else 1
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {wrapped}")
    values, indices = _sorted_parts(input, wrapped, False)
    if input._data.ndim:
        pick = [slice(None)] * input._data.ndim
        pick[wrapped] = slice(k - 1, k)
        values, indices = values[tuple(pick)], indices[tuple(pick)]
        if not keepdim:
            values, indices = values.squeeze(wrapped), indices.squeeze(wrapped)
    index_t = _make(np.array(indices), None)
    out = record(np.array(values), KthvalueBackward0, (input,), dim=dim,
                 keepdim=keepdim, self_sym_sizes=input._data.shape, indices=index_t)
    return return_types.kthvalue((out, index_t))


__all__ = ["sort", "argsort", "msort", "topk", "kthvalue"]
