"""Comparing whole tensors: isclose, allclose, equal (never recorded in the graph)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, _make, _scalar_type_name
from ._core import IGNORE, check_broadcast, quiet, unquiet


def _check(input: Any, other: Any, name: str) -> None:
    if not isinstance(other, Tensor):
        raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{_scalar_type_name(input.dtype)} did not match "
                           f"{_scalar_type_name(other.dtype)}")


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """Elementwise ``|input - other| <= atol + rtol * |other|`` (computed in the tensors'
    dtype, as PyTorch), inf equal to itself, nan equal to nan only with ``equal_nan``."""
    _check(input, other, "isclose")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    a, b = input._data, other._data
    if a.shape != b.shape:
        check_broadcast(a.shape, b.shape)
    token = quiet(IGNORE)
    try:
        if a.dtype == np.bool_:
            out = a == b
        elif a.dtype.kind in "iu":
            out = np.abs(a.astype(np.float64) - b) <= atol + rtol * np.abs(b.astype(np.float64))
        else:
            out = (a == b) | (np.isfinite(a) & np.isfinite(b)
                              & (np.abs(a - b) <= atol + rtol * np.abs(b)))
            if equal_nan:
                out |= np.isnan(a) & np.isnan(b)
    finally:
        unquiet(token)
    return _make(np.asarray(out), None)


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """Whether every element is close (``isclose``), as a Python bool."""
    _check(input, other, "allclose")
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input: Tensor, other: Tensor) -> bool:
    """True if both have the same size and the same elements."""
    if not isinstance(other, Tensor):
        raise TypeError(f"equal(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    if input._data.shape != other._data.shape:
        return False
    return bool(np.array_equal(input._data, other._data))


__all__ = ["isclose", "allclose", "equal"]
