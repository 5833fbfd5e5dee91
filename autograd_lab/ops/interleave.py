"""repeat_interleave: each element (or slice along ``dim``) repeated in place, ``[a, b]`` ->
``[a, a, b, b]``. (This module is not named ``repeat``: that would hide the op ``ops.repeat``.)

PyTorch has no node of its own for it: the op is composite, and so is this one, built from
recorded ops so the graph shows what PyTorch's shows. An int ``repeats`` is
``unsqueeze(dim + 1) -> expand -> clone -> view`` (Unsqueeze, Expand, Clone and View nodes); a
tensor ``repeats`` is an ``index_select`` with the repeated positions
(``IndexSelectBackward0``). ``dim=None`` flattens the input first. ``torch.repeat_interleave(r)``
with only a tensor of counts gives ``[0] * r[0] + [1] * r[1] + ...``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, _make

__all__ = ["repeat_interleave"]

_SIGNATURES = (" * (Tensor repeats, int dim = None, *, int output_size = None)\n"
               " * (int repeats, int dim = None, *, int output_size = None)\n")


def _counts(repeats: Tensor) -> np.ndarray:
    """A tensor of repeat counts as an int64 vector, refusing what PyTorch refuses."""
    data = repeats._data
    if data.dtype.kind not in "iu" or data.dtype == np.uint8:
        kind = {"f": "Float", "b": "Bool"}.get(data.dtype.kind, str(data.dtype))
        if data.dtype == np.float64:
            kind = "Double"
        raise NotImplementedError(f"\"repeat_interleave_cpu\" not implemented for '{kind}'")
    counts = data.astype(np.int64).reshape(-1)
    if counts.size and counts.min() < 0:
        raise RuntimeError("repeats can not be negative")
    return counts


def _positions(counts: np.ndarray, output_size: int | None) -> np.ndarray:
    """``[0] * counts[0] + [1] * counts[1] + ...`` (PyTorch's one-argument repeat_interleave)."""
    if output_size is not None and output_size != int(counts.sum()):
        raise RuntimeError("allocated size does not match required size")
    return np.repeat(np.arange(counts.size, dtype=np.int64), counts)


def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,
                      output_size: int | None = None) -> Tensor:
    """Repeat each slice of ``input`` along ``dim`` (each element of the flattened input when
    ``dim`` is None) ``repeats`` times: an int, or a tensor with one count per slice (or a
    single count for all). With only a tensor of counts, the positions repeated by them."""
    if repeats is None:  # torch.repeat_interleave(repeats)
        if input._data.ndim > 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        counts = _counts(input)
        if input._data.ndim == 0:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        return _make(_positions(counts, output_size), None)
    if isinstance(repeats, (bool, float)) or not isinstance(repeats, (int, Tensor, np.integer)):
        given = [type(repeats).__name__] + ([] if dim is None else [type(dim).__name__])
        raise TypeError("repeat_interleave() received an invalid combination of arguments - "
                        f"got ({', '.join(given)}), but expected one of:\n" + _SIGNATURES)
    from .gather import index_select
    from .pointwise import clone
    from .shape import expand, flatten, unsqueeze, view
    if dim is None:
        input, dim = flatten(input), 0
    dim = input._wrap_dim(dim)
    size = input._data.shape[dim] if input._data.ndim else 1
    if isinstance(repeats, Tensor):
        if repeats._data.ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        counts = _counts(repeats)
        if counts.size == 1:
            counts = np.full(size, counts[0], dtype=np.int64)
        elif counts.size != size:
            raise RuntimeError("repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {counts.size} and input.size({dim}) = {size}")
        index = _make(_positions(counts, output_size), None)
        return index_select(input, dim, index)
    repeats = int(repeats)
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    shape = tuple(input._data.shape)
    if output_size is not None and output_size != size * repeats:
        raise RuntimeError(f"repeat_interleave: Invalid output_size, expected "
                           f"{size * repeats} but got {output_size}")
    wide = unsqueeze(input, dim + 1)
    spread = expand(wide, shape[:dim + 1] + (repeats,) + shape[dim + 1:])
    return view(clone(spread), shape[:dim] + (size * repeats,) + shape[dim + 1:])
