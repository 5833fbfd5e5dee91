"""PyTorch's float32 sigmoid to the last bit: its CPU kernel's arithmetic, in NumPy.

PyTorch's CPU sigmoid runs ``1 / (1 + exp(-x))`` on SIMD vectors, with the exp of the SLEEF
library (``expf_u10``: a range reduction by ln 2 and a degree-5 polynomial, every step a fused
multiply-add), two 16-float vectors at a time; the elements left over at the end go through the
C library's ``expf``. NumPy's exp rounds differently in about one case in six, which shows in
printed sigmoids and in the losses trained through them; ``sigmoid_float32`` repeats the
kernel's steps instead. A float32 fused multiply-add is computed in double precision (the
product of two floats is exact there) and rounded once to float. The leftover elements use the
correctly rounded exp, which the C library's ``expf`` equals in all but about two inputs in ten
thousand.
"""
from __future__ import annotations

import numpy as np

_F = np.float32
_R_LN2 = _F(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2U = _F(0.693145751953125)  # ln 2 split into a part exact in float and the rest
_L2L = _F(1.428606765330187045e-06)
_POLY = tuple(_F(c) for c in (0.000198527617612853646278381, 0.00139304355252534151077271,
                               0.00833336077630519866943359, 0.0416664853692054748535156,
                               0.166666671633720397949219, 0.5))
_LANES = 16  # floats per vector (AVX-512); the kernel writes two vectors per step


def _fma(a: np.ndarray, b: np.ndarray | np.float32, c: np.ndarray | np.float32) -> np.ndarray:
    return (np.asarray(a, np.float64) * np.float64(b) + np.asarray(c, np.float64)).astype(_F)


def expf_u10(d: np.ndarray) -> np.ndarray:
    """SLEEF's ``expf_u10`` (within one ulp of exp), elementwise over a float32 array."""
    d = np.asarray(d, dtype=_F)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        q = np.rint(d * _R_LN2).astype(np.int32)
        qf = q.astype(_F)
        s = _fma(qf, -_L2U, d)
        s = _fma(qf, -_L2L, s)
        u = np.full(d.shape, _POLY[0], dtype=_F)
        for c in _POLY[1:]:
            u = _fma(u, s, c)
        u = (_F(1) + _fma(s * s, u, s)).astype(_F)
        half = q >> 1  # 2**q applied in two halves, as SLEEF's ldexp2
        u = u * np.ldexp(_F(1), half).astype(_F)
        u = u * np.ldexp(_F(1), q - half).astype(_F)
        u = np.where(d < _F(-104), _F(0), u)
        u = np.where(_F(100) < d, _F(np.inf), u)
    return u.astype(_F)


def sigmoid_float32(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))`` for a float32 array, as PyTorch's CPU kernel computes it."""
    flat = np.ascontiguousarray(x, dtype=_F).reshape(-1)
    n = flat.size
    whole = (n // (2 * _LANES)) * 2 * _LANES
    out = np.empty(n, dtype=_F)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if whole:
            out[:whole] = _F(1) / (expf_u10(-flat[:whole]) + _F(1))
        if whole < n:
            rest = -flat[whole:].astype(np.float64)
            out[whole:] = _F(1) / (_F(1) + np.exp(rest).astype(_F))
    return out.reshape(np.shape(x))


__all__ = ["expf_u10", "sigmoid_float32"]
