"""A fused multiply-add, ``a * b + c`` rounded once, for NumPy float64 arrays.

PyTorch's CPU kernels for ``arange`` and ``linspace`` compute ``start + step * i`` as one fused
multiply-add (the compiler contracts it), so their last bit differs from NumPy's two roundings.
NumPy has no fma; this one uses error-free transformations (Dekker's product, Knuth's sum): the
product's rounding error and the sum's are added back before the final rounding. That is the
correctly rounded fma except when the exact result lies within a few units of the 106th bit of a
tie, which does not happen for the grids these factories make.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .random import _two_prod, _two_sum  # Dekker's product and Knuth's sum, shared


def fma(a: Any, b: Any, c: Any) -> np.ndarray:
    """``a * b + c`` with one rounding, elementwise over broadcast float64 arrays."""
    a, b, c = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(b, np.float64),
                                  np.asarray(c, np.float64))
    with np.errstate(over="ignore", invalid="ignore"):
        p, e = _two_prod(a, b)
        s, err = _two_sum(p, c)
        out = s + (err + e)
        # where the error terms are not finite (overflow, inf, nan) the plain result is the
        # answer
        return np.where(np.isfinite(out), out, a * b + c)


__all__ = ["fma"]
