"""``torch.histogram``: counts of a tensor's values in equal-width bins (or in bins with given
edges), with the edges. Not differentiable (PyTorch records no node for it either)."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .. import return_types
from ..tensor import Tensor, _make

_TYPE_NAMES = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
               "uint8": "Byte", "bool": "Bool"}


def _edges(lo: float, hi: float, bins: int, np_dtype: np.dtype) -> np.ndarray:
    """``bins + 1`` equal-width edges, made by ``linspace`` in the input's type as PyTorch makes
    them (its arithmetic, bit for bit, so values fall in PyTorch's bins)."""
    from ..factories import linspace
    from .. import dtypes
    kind = np.dtype(np_dtype).type
    return linspace(float(kind(lo)), float(kind(hi)), bins + 1,
                    dtype=dtypes.from_numpy_dtype(np.dtype(np_dtype)))._data


def histogram(input: Tensor, bins: Any = 100, *, range: Optional[tuple] = None,
              weight: Optional[Tensor] = None, density: bool = False) -> Any:
    """``(hist, bin_edges)``: ``bins`` equal bins over ``range`` (default: the values' min to
    max) or the bins between the given edges; each bin holds its count (or summed weight),
    the last bin includes its right edge, values outside are ignored; ``density=True``
    divides by the total and by each bin's width."""
    x = input._data
    if x.dtype.kind != "f":
        raise NotImplementedError(f'"histogramdd" not implemented for '
                           f"'{_TYPE_NAMES.get(x.dtype.name, x.dtype.name)}'")
    flat = x.reshape(-1)
    if isinstance(bins, Tensor):
        edges = bins._data.astype(x.dtype).reshape(-1)
        if edges.size < 1:
            raise RuntimeError("torch.histogramdd: bins tensor should have at least 1 element, "
                               "but got 0 elements")
        uniform = False
    else:
        bins = int(bins)
        if bins <= 0:
            raise RuntimeError("torch.histogram(): bins must be > 0, but got "
                               f"{bins} for dimension 0")
        if range is not None:
            lo, hi = float(range[0]), float(range[1])
        elif flat.size:
            lo, hi = float(flat.min()), float(flat.max())
        else:
            lo = hi = 0.0
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise RuntimeError(f"torch.histogramdd: dimension 0's range [{lo:g}, {hi:g}] is not "
                               "finite")
        if not lo <= hi:
            raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min "
                               f"{lo:g} max {hi:g} for dimension 0")
        if lo == hi:  # an empty range is widened, as NumPy does
            lo, hi = lo - 0.5, hi + 0.5
        edges = _edges(lo, hi, bins, x.dtype)
        uniform = True
    nbins = edges.size - 1
    inside = (flat >= edges[0]) & (flat <= edges[-1])  # NaN is never inside
    vals = flat[inside]
    if uniform:
        # first guess by division, then settled against the edges (as PyTorch's local search)
        with np.errstate(divide="ignore", invalid="ignore"):
            guess = ((vals - edges[0]) * x.dtype.type(nbins)
                     / (edges[-1] - edges[0])).astype(np.int64)
        first = np.maximum(guess - 1, 0)
        stop = np.minimum(guess + 2, nbins + 1)
        pos = first - 1
        for k in (0, 1, 2):
            idx = first + k
            hit = (idx < stop) & (edges[np.minimum(idx, nbins)] <= vals)
            pos = np.where(hit, idx, pos)
    else:
        pos = np.searchsorted(edges, vals, side="right") - 1
    pos = np.minimum(pos, nbins - 1)  # the last bin includes its right edge
    if weight is not None:
        w = weight._data.reshape(-1)[inside].astype(x.dtype)
    else:
        w = np.ones(vals.shape, x.dtype)
    hist = np.zeros(max(nbins, 0), x.dtype)
    np.add.at(hist, pos, w)
    if density:
        hist = hist / hist.sum(dtype=x.dtype)
        hist = (hist / np.diff(edges)).astype(x.dtype)
    return return_types.histogram((_make(hist.astype(x.dtype), None),
                                   _make(edges.copy(), None)))


__all__ = ["histogram"]
