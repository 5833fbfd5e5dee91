"""Cutting a tensor into pieces and tiling it: narrow, split (one size or several), chunk,
repeat.

narrow is a slice (SliceBackward0). split and chunk return views made by one node
(SplitBackward0 / SplitWithSizesBackward0, one output per piece, so changing a piece in place
is refused as PyTorch refuses it); their derivative concatenates the pieces' gradients, zeros
for pieces that got none (CatBackward0). repeat's derivative sums the copies back (a reshape and
a sum, as PyTorch's ``repeat_backward``).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import node_for, record
from .shape import _size_list, _sizes_arg, _view_of, cat, reshape, slice_op
from .views import mark_multi_output, slice_step


def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:
    """``length`` elements from ``start`` along ``dim`` (a slice: SliceBackward0)."""
    if input._data.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if isinstance(start, Tensor):
        start = int(start.item())
    dim = input._wrap_dim(dim)
    size = input._data.shape[dim]
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], "
                         f"but got {start})")
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    return slice_op(input, dim, start, start + length, 1)


class SplitBackward0(Node):
    """outs = self.split(split_size, dim)  ->  d/dself = the output grads concatenated (zeros
    for outputs that got none)"""
    __slots__ = ("dim", "self_sym_sizes", "split_size", "_num_outputs", "_sizes")
    _saved_fields = ("dim", "self_sym_sizes", "split_size")

    @property
    def _s_dim(self):
        return self.dim

    @property
    def _s_self_sym_sizes(self):
        return self.self_sym_sizes

    @property
    def _s_split_size(self):
        return self.split_size

    explanation = Explanation(
        "{z} = {0}.split({split_size}, {dim})", (),
        both("The pieces' gradients are put back together along dim {dim} (zeros for a piece "
             "that got none).",
             "各段的梯度沿维度 {dim} 拼接回去（没收到梯度的段用 0）。"))

    def apply(self, *grads):
        filled = []
        for g, n in zip(grads, self._sizes):
            if g is None:
                shape = list(self.self_sym_sizes)
                shape[self.dim] = n
                g = _make(np.zeros(shape, self._dtype_np(grads)), None)
            filled.append(g)
        return (cat(filled, self.dim),)

    @staticmethod
    def _dtype_np(grads):
        return next(g for g in grads if g is not None)._data.dtype


class SplitWithSizesBackward0(SplitBackward0):
    """outs = self.split([sizes], dim)  ->  as SplitBackward0"""
    __slots__ = ("split_sizes",)
    _saved_fields = ("dim", "self_sym_sizes", "split_sizes")

    @property
    def _s_split_sizes(self):
        return self.split_sizes

    explanation = Explanation(
        "{z} = {0}.split({split_sizes}, {dim})", (),
        both("The pieces' gradients are put back together along dim {dim} (zeros for a piece "
             "that got none).",
             "各段的梯度沿维度 {dim} 拼接回去（没收到梯度的段用 0）。"))


def _split(input: Tensor, sizes: list[int], dim: int, node: Node | None) -> tuple:
    outs = []
    start = 0
    for i, n in enumerate(sizes):
        data = slice_step(input._data, dim, start, start + n, 1)
        t_ = _view_of(input, data, node, slice_step, (dim, start, start + n, 1))
        t_._output_nr = i
        outs.append(t_)
        start += n
    mark_multi_output(outs, node)
    return tuple(outs)


def split(input: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple:
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or pieces of the
    given sizes. They are views (changing one in place is refused, as in PyTorch)."""
    if not isinstance(split_size_or_sections, (int, np.integer)):
        return split_with_sizes(input, list(split_size_or_sections), dim)
    split_size = int(split_size_or_sections)
    if input._data.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    if split_size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got "
                           f"split_size={split_size}")
    dim = input._wrap_dim(dim)
    size = input._data.shape[dim]
    if split_size == 0 and size != 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension "
                           f"size of {size}")
    n = max((size + split_size - 1) // split_size, 1) if split_size else 1
    sizes = [split_size] * (n - 1) + [split_size - (split_size * n - size)]
    node = node_for(SplitBackward0, (input,), dim=dim, self_sym_sizes=input._data.shape,
                    split_size=split_size, _num_outputs=n, _sizes=sizes)
    return _split(input, sizes, dim, node)


def split_with_sizes(input: Tensor, split_sizes: Sequence[int], dim: int = 0) -> tuple:
    if input._data.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    dim = input._wrap_dim(dim)
    size = input._data.shape[dim]
    sizes = [int(s) for s in split_sizes]
    for s in sizes:
        if s < 0:
            raise RuntimeError(f"split_with_sizes expects split_sizes have only non-negative "
                               f"entries, but got split_sizes={_size_list(sizes)}")
    if sum(sizes) != size:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} "
                           f"(input tensor's size at dimension {dim}), but got "
                           f"split_sizes={_size_list(sizes)}")
    node = node_for(SplitWithSizesBackward0, (input,), dim=dim, self_sym_sizes=input._data.shape,
                    split_sizes=sizes, _num_outputs=len(sizes), _sizes=sizes)
    return _split(input, sizes, dim, node)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:
    """At most ``chunks`` pieces of equal size along ``dim`` (the last may be smaller)."""
    if input._data.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    dim = input._wrap_dim(dim)
    size = input._data.shape[dim]
    split_size = (size + chunks - 1) // chunks
    if split_size == 0 and size == 0:
        return split_with_sizes(input, [0] * chunks, dim)
    return split(input, split_size, dim)


class RepeatBackward0(Node):
    """out = self tiled ``repeats`` times  ->  d/dself = grad summed over the copies"""
    __slots__ = ("repeats", "self_sym_sizes")
    _saved_fields = ("repeats", "self_sym_sizes")

    @property
    def _s_repeats(self):
        return self.repeats

    @property
    def _s_self_sym_sizes(self):
        return self.self_sym_sizes

    explanation = Explanation(
        "{z} = {0}.repeat({repeats})", (both("g, summed over the copies", "g，对各份副本求和"),),
        both("Each element of {0} appears once in every copy: it gets the sum of their "
             "gradients.",
             "{0} 的每个元素在每份副本中出现一次：它得到这些梯度之和。"))

    def apply(self, grad):
        from .reduction import sum as sum_
        repeats, shape = self.repeats, self.self_sym_sizes
        if 0 in repeats:
            return (_make(np.zeros(shape, grad._data.dtype), None),)
        lead = grad._data.ndim - len(shape)
        for _ in range(lead):
            grad = sum_(grad, 0, False)
        grad_size: list[int] = []
        sum_dims: list[int] = []
        for d, n in enumerate(shape):
            r = repeats[d + lead]
            if r != 1:
                grad_size.append(r)
                sum_dims.append(len(grad_size) - 1)
            grad_size.append(n)
        if sum_dims:
            grad = reshape(grad, tuple(grad_size))
            grad = sum_(grad, sum_dims)
        return (grad,)


def repeat(input: Tensor, *repeats: Any) -> Tensor:
    """``input`` tiled: ``repeats[i]`` copies along dim i (new leading dims if more repeats
    than dims)."""
    repeats = _sizes_arg(repeats)
    shape = input._data.shape
    if len(repeats) < len(shape):
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    padded = (1,) * (len(repeats) - len(shape)) + shape
    out = np.tile(input._data.reshape(padded), repeats)
    return record(out, RepeatBackward0, (input,), repeats=tuple(repeats), self_sym_sizes=shape)


__all__ = ["narrow", "split", "split_with_sizes", "chunk", "repeat"]
