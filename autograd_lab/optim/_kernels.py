"""The arithmetic of PyTorch's CPU optimizer updates, on NumPy arrays, rounded as PyTorch rounds.

PyTorch's CPU kernels compute float32 in float32 but fuse some multiply-adds: ``lerp_`` and
``addcmul_`` round once after ``a * b + c`` (a fused multiply-add), while ``addcdiv_`` computes
``self + (value * t1) / t2`` in plain float32 steps. A float32 product is exact in float64, so
the fused form is reproduced by computing it in float64 and rounding to float32 once. With these
the optimizers' updates match PyTorch's bit for bit, except where PyTorch's ``sqrt`` (see
``sqrt``) gives the neighbouring float32.

Each function writes its result into ``out`` (the state or parameter array) and returns it.
"""
from __future__ import annotations

import numpy as np


def _fma(a: np.ndarray, b: np.ndarray, c: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``a * b + c`` rounded once to ``dtype`` (emulated through float64 for float32)."""
    if dtype == np.float32:
        return (a.astype(np.float64) * b.astype(np.float64) + c.astype(np.float64)).astype(dtype)
    return (a * b + c).astype(dtype, copy=False)


def lerp_(out: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
    """``out += weight * (end - out)`` (PyTorch's form for weight < 0.5; else
    ``end - (end - out) * (1 - weight)``)."""
    dt = out.dtype
    w = dt.type(weight)
    diff = (end - out).astype(dt, copy=False)
    if abs(weight) < 0.5:
        out[...] = _fma(np.asarray(w, dt), diff, out, dt)
    else:
        out[...] = _fma(-diff, np.asarray(dt.type(1) - w, dt), end.astype(dt, copy=False), dt)
    return out


def mul_scalar_(out: np.ndarray, value: float) -> np.ndarray:
    """``out *= value`` (the number rounded to the array's dtype first)."""
    np.multiply(out, out.dtype.type(value), out=out)
    return out


def addcmul_(out: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float) -> np.ndarray:
    """``out += value * t1 * t2`` (``value * t1`` rounded, then a fused multiply-add)."""
    dt = out.dtype
    out[...] = _fma((dt.type(value) * t1).astype(dt, copy=False), t2, out, dt)
    return out


def addcdiv_(out: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float) -> np.ndarray:
    """``out += (value * t1) / t2``, each step rounded."""
    dt = out.dtype
    out += ((dt.type(value) * t1) / t2).astype(dt, copy=False)
    return out


def sqrt(a: np.ndarray) -> np.ndarray:
    """The square root, correctly rounded. (PyTorch's CPU ``sqrt`` goes through a vector math
    library that is not always correctly rounded: about one element in five is the
    neighbouring float32, the only difference left in these updates.)"""
    return np.sqrt(a)


def add_scaled(a: np.ndarray, b: np.ndarray, alpha: float) -> np.ndarray:
    """``a + alpha * b`` as ``Tensor.add(b, alpha=alpha)`` computes it (a new array)."""
    dt = a.dtype
    if alpha == 1:
        return a + b
    return _fma(np.asarray(dt.type(alpha), dt), b.astype(dt, copy=False), a, dt)


__all__ = ["sqrt", "lerp_", "mul_scalar_", "addcmul_", "addcdiv_", "add_scaled"]
