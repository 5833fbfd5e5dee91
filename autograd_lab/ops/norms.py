"""Norms as ``torch.linalg`` computes them: ``vector_norm`` (any order, over all elements or
some dims, in an optional wider dtype), ``matrix_norm`` (Frobenius, 1, inf and their negatives)
and ``norm``, which picks one of the two.

The graph node is PyTorch's ``LinalgVectorNormBackward0``. Its gradient follows PyTorch's
subgradient choices: 0 where the norm is 0, an equal share among the elements that reach the
maximum (inf) or minimum (-inf) absolute value, and no gradient at all for ord 0 (the count of
nonzero elements is piecewise constant).
"""
from __future__ import annotations

import math
from numbers import Number
from typing import Any, Sequence

import numpy as np

from .. import dtypes
from ..tensor import Tensor, _scalar_type_name
from ._core import RESULT, record
from .extrema import amax, amin
from .reduction import LinalgVectorNormBackward0, _dims

__all__ = ["norm", "vector_norm", "matrix_norm", "linalg_norm"]


def _order_text(ord: Any) -> str:
    """An order as PyTorch's messages print it (C++ stream formatting: 2, -1, inf, 0.5)."""
    return f"{float(ord):g}"


def _check_ord(ord: Any, fn: str = "linalg_vector_norm") -> Any:
    """The order as a Python number, kept as given (the node shows ``_saved_ord`` so)."""
    if isinstance(ord, Tensor):
        return ord.item()
    if not isinstance(ord, Number):
        raise TypeError(f"{fn}(): argument 'ord' (position 2) must be Number, not "
                        f"{type(ord).__name__}")
    return ord


def _reduced_dims(input: Tensor, dim: Any) -> tuple[int, ...] | None:
    """The sorted dims to reduce (None for all), refusing a dim named twice as PyTorch does."""
    if dim is None:
        return None
    listed = (dim,) if isinstance(dim, int) else tuple(dim)
    wrapped = [input._wrap_dim(d) for d in listed]
    seen: set[int] = set()
    for d in wrapped:
        if d in seen:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        seen.add(d)
    return _dims(input, listed) if listed else None


def _result_dtype(input: Tensor, dtype: Any) -> dtypes.dtype:
    if not input.dtype.is_floating_point:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_scalar_type_name(input.dtype)}")
    if dtype is None:
        return input.dtype
    if not dtype.is_floating_point:
        raise RuntimeError("linalg.vector_norm: dtype should be floating point or complex, "
                           f"but got {_scalar_type_name(dtype)}")
    if dtypes.promote_types(input.dtype, dtype) is not dtype:
        raise RuntimeError(
            f"linalg.vector_norm: the dtype of the input ({_scalar_type_name(input.dtype)}) "
            "should be convertible without narrowing to the specified dtype "
            f"({_scalar_type_name(dtype)})")
    return dtype


def _check_identity(input: Tensor, ord: float, dims: tuple[int, ...] | None) -> None:
    """inf and negative orders have no value for nothing: refuse empty reductions."""
    if input._data.size or not (ord < 0 or ord == math.inf):
        return
    if dims is None:
        raise RuntimeError(
            f"linalg.vector_norm cannot compute the {_order_text(ord)} norm on an empty tensor "
            "because the operation does not have an identity")
    for d in dims:
        if input._data.shape[d] == 0:
            # (PyTorch's message has no space before "because")
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {_order_text(ord)} norm on the "
                f"dimension {d}because this dimension is empty and the operation does not "
                "have an identity")


def _norm_values(data: np.ndarray, ord: float, axis: tuple[int, ...] | None,
                 keepdim: bool) -> np.ndarray:
    mag = np.abs(data)
    with np.errstate(all="ignore"):  # negative orders meet 1/0 = inf on purpose
        if ord == 0:
            return np.sum(mag != 0, axis=axis, keepdims=keepdim).astype(data.dtype)
        if ord == math.inf:
            return np.max(mag, axis=axis, keepdims=keepdim)
        if ord == -math.inf:
            return np.min(mag, axis=axis, keepdims=keepdim)
        if ord == 1:
            return np.sum(mag, axis=axis, keepdims=keepdim)
        if ord == 2:
            return np.sqrt(np.sum(mag * mag, axis=axis, keepdims=keepdim))
        return np.sum(mag ** ord, axis=axis, keepdims=keepdim) ** (1.0 / ord)


def vector_norm(input: Tensor, ord: Any = 2, dim: int | Sequence[int] | None = None,
                keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """The ``ord``-norm of ``input`` seen as one vector, or of each vector along ``dim``:
    ``sum(|x|**ord)**(1/ord)``; ord inf / -inf give the largest / smallest ``|x|`` and ord 0
    the number of nonzero elements. ``dtype`` computes (and returns) in a wider float type."""
    if not isinstance(input, Tensor):
        raise TypeError("linalg_vector_norm(): argument 'input' (position 1) must be Tensor, "
                        f"not {type(input).__name__}")
    ord = _check_ord(ord)
    target = _result_dtype(input, dtype)
    dims = _reduced_dims(input, dim)
    _check_identity(input, ord, dims)
    data = input._data.astype(target.np, copy=False)
    out = np.asarray(_norm_values(data, ord, dims, keepdim), dtype=target.np)
    return record(out, LinalgVectorNormBackward0, (input,), ord=ord, dim=dims,
                  keepdim=keepdim, self=input, result=RESULT)


def norm(input: Tensor, p: Any = "fro", dim: int | Sequence[int] | None = None,
         keepdim: bool = False) -> Tensor:
    """``torch.norm``: the vector p-norm (``p=2``, the Euclidean length, by default; "fro" is
    that too) of all elements or along ``dim``, as ``linalg.vector_norm`` computes it."""
    return vector_norm(input, 2 if p in ("fro", None) else p, dim, keepdim)


def matrix_norm(A: Tensor, ord: Any = "fro", dim: Sequence[int] = (-2, -1),
                keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """``torch.linalg.matrix_norm``: the norm of the matrices spanned by the two dims ``dim``:
    ``'fro'`` (the 2-norm of all their elements), 1 / -1 (the largest / smallest column
    abs-sum) and inf / -inf (the same over rows). The spectral (2, -2) and nuclear norms need
    singular values and are not implemented."""
    if not isinstance(A, Tensor):
        raise TypeError("linalg_matrix_norm(): argument 'input' (position 1) must be Tensor, "
                        f"not {type(A).__name__}")
    if A._data.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    if not A.dtype.is_floating_point:
        raise RuntimeError("linalg.matrix_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_scalar_type_name(A.dtype)}")
    dims = tuple(dim)
    if len(dims) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {len(dims)}")
    d0, d1 = (A._wrap_dim(d) for d in dims)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({d0}, {d1})")
    if isinstance(ord, str):
        if ord == "fro":
            return vector_norm(A, 2, (d0, d1), keepdim, dtype=dtype)
        if ord == "nuc":
            raise NotImplementedError("autograd_lab.linalg.matrix_norm: the nuclear norm is not "
                                      "implemented (it needs singular values)")
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    p = _check_ord(ord, "linalg_matrix_norm")
    if abs(p) == 2:
        raise NotImplementedError(f"autograd_lab.linalg.matrix_norm: the spectral norm (order "
                                  f"{_order_text(p)}) is not implemented (it needs singular "
                                  "values)")
    if abs(p) not in (1, math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {_order_text(p)} not supported.")
    if abs(p) == math.inf:  # the rows' abs-sums rather than the columns'
        d0, d1 = d1, d0
    # as PyTorch composes it: the 1-norm along d0, then the extreme along d1 (one fewer dim
    # before it when d0 is gone)
    sums = vector_norm(A, 1, d0, keepdim, dtype=dtype)
    if not keepdim and d0 < d1:
        d1 -= 1
    return (amax if p > 0 else amin)(sums, d1, keepdim)


def linalg_norm(A: Tensor, ord: Any = None, dim: int | Sequence[int] | None = None,
                keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """``torch.linalg.norm``: a vector norm (1-D input, or one ``dim``), or a matrix norm (2-D
    input, or two ``dim``); with neither ``ord`` nor ``dim``, the 2-norm of all elements.
    Matrix norms are those of ``matrix_norm``."""
    if not isinstance(A, Tensor):
        raise TypeError("linalg_norm(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(A).__name__}")
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) == 1:
            return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)
        if len(dims) == 2:
            return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype)
        raise RuntimeError("linalg.norm: If dim is specified, it must be of length 1 or 2. "
                           f"Got {list(dims)}")
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype)
    ndim = A._data.ndim
    if ndim == 1 and not isinstance(ord, str):
        return vector_norm(A, ord, None, keepdim, dtype=dtype)
    if ndim in (1, 2):
        return matrix_norm(A, ord, (0, 1), keepdim, dtype=dtype)
    raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must be 1D "
                       f"or 2D. Got {ndim}D.")
