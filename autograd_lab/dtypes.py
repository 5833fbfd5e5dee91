"""Tensor element types, spelled and promoted as PyTorch does.

A ``dtype`` wraps a NumPy dtype. Its repr is ``torch.float32`` (not ``autograd_lab.float32``)
on purpose: printed tensors and dtypes must read exactly as they do under PyTorch, so that a
lesson's output is the same whichever library ran it.
"""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np


class dtype:
    """An element type: ``float32``, ``float64``, ``int64``, ``bool`` and a few more."""

    __slots__ = ("name", "np", "is_floating_point", "is_complex", "is_signed", "itemsize",
                 "_category", "_rank", "_meta_pairs")

    def __init__(self, name: str, np_dtype: type, category: builtins.int, rank: builtins.int
                 ) -> None:
        self.name = name
        self.np = np.dtype(np_dtype)
        # category orders kinds for type promotion: bool < integer < floating
        self._category = category
        self._rank = rank
        self.is_floating_point = category == 2
        self.is_complex = False
        self.is_signed = name not in ("bool", "uint8")
        self.itemsize = self.np.itemsize
        # shape -> (shape, self): the input metadata nodes keep, one shared pair per shape
        self._meta_pairs: dict = {}

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self):
        return (_by_name, (self.name,))

    def to_real(self) -> "dtype":
        return self

    @property
    def is_bool(self) -> bool:
        return self._category == 0


bool_ = dtype("bool", np.bool_, 0, 0)
uint8 = dtype("uint8", np.uint8, 1, 1)
int8 = dtype("int8", np.int8, 1, 2)
int16 = dtype("int16", np.int16, 1, 3)
int32 = dtype("int32", np.int32, 1, 4)
int64 = dtype("int64", np.int64, 1, 5)
float16 = dtype("float16", np.float16, 2, 6)
float32 = dtype("float32", np.float32, 2, 7)
float64 = dtype("float64", np.float64, 2, 8)

# PyTorch's aliases
long = int64
int = int32  # noqa: A001 - torch.int is int32
short = int16
half = float16
float = float32  # noqa: A001 - torch.float is float32
double = float64

ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)
_FROM_NUMPY = {d.np: d for d in ALL}
_BY_NAME = {d.name: d for d in ALL}

_default_float = float32


def _by_name(name: str) -> dtype:
    return _BY_NAME[name]


def from_numpy_dtype(np_dtype: np.dtype) -> dtype:
    """The dtype for a NumPy dtype; raises TypeError for types PyTorch cannot hold."""
    try:
        return _FROM_NUMPY[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only "
            "supported types are: float64, float32, float16, int64, int32, int16, int8, "
            "uint8, and bool.") from None


def get_default_dtype() -> dtype:
    """The dtype that Python floats become (float32 unless changed)."""
    return _default_float


def set_default_dtype(d: dtype) -> None:
    """Make ``d`` (float32 or float64) the type of new floating tensors."""
    global _default_float
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default_float = d


def scalar_dtype(value: object) -> dtype:
    """The dtype a bare Python number gets when it becomes a tensor."""
    return (bool_, int64, _default_float)[_scalar_category(value)]


def _scalar_category(value: object) -> builtins.int:
    if isinstance(value, (bool, np.bool_)):
        return 0
    if isinstance(value, (_pyint, np.integer)):
        return 1
    return 2


_pyint = (0).__class__


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both ``a`` and ``b`` convert to without losing their kind."""
    if a is b:
        return a
    if a._category != b._category:
        return a if a._category > b._category else b
    if a._category == 1 and {a.name, b.name} == {"uint8", "int8"}:
        return int16
    return a if a._rank > b._rank else b


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    """Merge a higher-priority result with a lower-priority one (PyTorch's rule).

    The lower one only matters when it is of a higher kind (bool < integer < float).
    """
    if higher is None:
        return lower
    if lower is None or higher.is_floating_point:
        return higher
    if higher is bool_ or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def result_type(*operands: Any) -> dtype:
    """The dtype of a pointwise op's result, by PyTorch's promotion rules.

    Dimensioned tensors outrank zero-dim tensors, which outrank Python numbers. A Python
    float becomes the default float type, a Python int ``int64``, a bool ``bool``.
    """
    dim = zero = wrapped = None
    for x in operands:
        d = getattr(x, "dtype", None)
        if isinstance(d, dtype) and x._wrapped_number:
            d = (bool_, int64, _default_float)[d._category]
            wrapped = d if wrapped is None else promote_types(wrapped, d)
        elif isinstance(d, dtype):
            if x._data.ndim:
                dim = d if dim is None else promote_types(dim, d)
            else:
                zero = d if zero is None else promote_types(zero, d)
        else:
            d = scalar_dtype(x)
            wrapped = d if wrapped is None else promote_types(wrapped, d)
    result = _combine(dim, _combine(zero, wrapped))
    assert result is not None  # (there is at least one operand)
    return result
