"""Functions that make new tensors: ``tensor``, ``ones``, ``zeros``, ``arange``, ``randn``, ..."""
from __future__ import annotations

import math
import warnings
from typing import Any, Sequence

import numpy as np

from . import dtypes, random
from .tensor import NOT_FLOAT_FACTORY, Tensor, _make


from .devices import check_device, device  # noqa: E402  (torch.device, re-exported)
from .fma import fma  # noqa: E402


def _finish(data: np.ndarray, requires_grad: bool) -> Tensor:
    t = _make(data, None)
    if requires_grad:
        t._set_requires_grad(True, NOT_FLOAT_FACTORY)
    return t


def _infer_array(data: Any, dtype: dtypes.dtype | None = None) -> np.ndarray:
    """A NumPy array for Python data, with PyTorch's dtype inference, or of ``dtype``.

    Python numbers are converted straight to ``dtype`` when it is given (not through the
    default float type: ``tensor(0.7, dtype=float64)`` is exactly 0.7).
    """
    if isinstance(data, np.ndarray):
        dtypes.from_numpy_dtype(data.dtype)  # refuses unsupported types with PyTorch's message
        return data.copy()
    if isinstance(data, Tensor):
        return data._data.copy()
    if isinstance(data, (np.generic,)):
        return np.array(data)
    items = _flatten_tensors(data)
    arr = np.array(items)
    if arr.dtype == object:
        raise ValueError("expected sequence of length matching at dim, got ragged nested lists")
    if dtype is not None:
        with np.errstate(over="ignore"):
            return arr.astype(dtype.np)
    kind = arr.dtype.kind
    if kind == "f" or kind == "c":
        with np.errstate(over="ignore"):  # PyTorch gives inf for 1e40 without a warning
            return arr.astype(dtypes.get_default_dtype().np)
    if kind in "iu":
        return arr.astype(np.int64)
    if kind == "b":
        return arr
    if arr.size == 0:
        return arr.astype(dtypes.get_default_dtype().np)
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def _flatten_tensors(data: Any) -> Any:
    """Nested lists may hold one-element tensors (``tensor([t1, t2])``): take their values."""
    if isinstance(data, Tensor):
        if data._data.size != 1 and data._data.ndim:
            return data._data.tolist()
        return data.item()
    if isinstance(data, (list, tuple)):
        return [_flatten_tensors(d) for d in data]
    return data


def tensor(data: Any, *, dtype: dtypes.dtype | None = None, device: Any = None,
           requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A new leaf tensor holding a copy of ``data`` (nested lists, numbers, arrays).

    >>> tensor([1., 2.], requires_grad=True)
    tensor([1., 2.], requires_grad=True)
    """
    check_device(device)
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use "
            "sourceTensor.detach().clone() or sourceTensor.detach().clone()"
            ".requires_grad_(True), rather than torch.tensor(sourceTensor).",
            UserWarning, stacklevel=2)
    arr = _infer_array(data, dtype)
    if dtype is not None and arr.dtype != dtype.np:
        arr = arr.astype(dtype.np)
    return _finish(arr, requires_grad)


def as_tensor(data: Any, dtype: dtypes.dtype | None = None, device: Any = None) -> Tensor:
    check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and dtype is None:
        return from_numpy(data)
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with a NumPy array."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    dtypes.from_numpy_dtype(array.dtype)
    return _make(array, None)


def _size(size: Sequence[Any]) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"ones(): argument 'size' must be tuple of ints, but found element "
                            f"of type {type(s).__name__} at pos 0")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"[{', '.join(str(x) for x in size)}]")
    return tuple(int(s) for s in size)


def _float_dtype(dtype: dtypes.dtype | None) -> np.dtype:
    return (dtype or dtypes.get_default_dtype()).np


def _filled(fill: Any, size: tuple, dtype: dtypes.dtype | None, requires_grad: bool,
            kw_size: Any = None) -> Tensor:
    shape = _size(size if kw_size is None else (kw_size,))
    return _finish(np.full(shape, fill, dtype=_float_dtype(dtype)), requires_grad)


def ones(*size: Any, dtype: dtypes.dtype | None = None, requires_grad: bool = False,
         device: Any = None, **kw: Any) -> Tensor:
    """A tensor of ones of the given size."""
    check_device(device)
    return _filled(1, size, dtype, requires_grad, kw.get("size"))


def zeros(*size: Any, dtype: dtypes.dtype | None = None, requires_grad: bool = False,
          device: Any = None, **kw: Any) -> Tensor:
    """A tensor of zeros of the given size."""
    check_device(device)
    return _filled(0, size, dtype, requires_grad, kw.get("size"))


def empty(*size: Any, dtype: dtypes.dtype | None = None, requires_grad: bool = False,
          device: Any = None, **kw: Any) -> Tensor:
    """A tensor of the given size (filled with zeros here: NumPy's empty memory is not useful
    for teaching)."""
    check_device(device)
    return _filled(0, size, dtype, requires_grad, kw.get("size"))


def full(size: Sequence[int], fill_value: Any, *, dtype: dtypes.dtype | None = None,
         requires_grad: bool = False, device: Any = None) -> Tensor:
    """A tensor of ``size`` filled with ``fill_value`` (dtype from the value, as in PyTorch)."""
    check_device(device)
    d = dtype or dtypes.scalar_dtype(fill_value)
    return _finish(np.full(_size((size,)), fill_value, dtype=d.np), requires_grad)


def _like(t: Tensor, fill: Any, dtype: dtypes.dtype | None, requires_grad: bool) -> Tensor:
    d = dtype or t.dtype
    return _finish(np.full(t._data.shape, fill, dtype=d.np), requires_grad)


def ones_like(input: Tensor, *, dtype: dtypes.dtype | None = None, requires_grad: bool = False,
              **kw: Any) -> Tensor:
    check_device(kw.pop("device", None))
    return _like(input, 1, dtype, requires_grad)


def zeros_like(input: Tensor, *, dtype: dtypes.dtype | None = None,
               requires_grad: bool = False, **kw: Any) -> Tensor:
    check_device(kw.pop("device", None))
    return _like(input, 0, dtype, requires_grad)


def empty_like(input: Tensor, *, dtype: dtypes.dtype | None = None,
               requires_grad: bool = False, **kw: Any) -> Tensor:
    check_device(kw.pop("device", None))
    return _like(input, 0, dtype, requires_grad)


def full_like(input: Tensor, fill_value: Any, *, dtype: dtypes.dtype | None = None,
              requires_grad: bool = False, **kw: Any) -> Tensor:
    check_device(kw.pop("device", None))
    return _like(input, fill_value, dtype, requires_grad)


def arange(start: Any, end: Any = None, step: Any = 1, *, dtype: dtypes.dtype | None = None,
           requires_grad: bool = False, device: Any = None) -> Tensor:
    """Evenly spaced values in ``[start, end)``: integers if all arguments are, else floats.

    Float values are PyTorch's to the last bit: its CPU kernel writes two vectors (32 bytes
    each) at a time, each from a base ``start + step * i`` rounded to the dtype plus
    ``j * step``, and the last elements one by one, every value one fused multiply-add.
    """
    check_device(device)
    if end is None:
        start, end = 0, start
    values = (start, end, step)
    if dtype is None:
        is_int = all(isinstance(v, (int, np.integer)) or (isinstance(v, Tensor) and not
                     v.dtype.is_floating_point) for v in values)
        dtype = dtypes.int64 if is_int else dtypes.get_default_dtype()
    start, end, step = (v.item() if isinstance(v, Tensor) else v for v in values)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not all(math.isfinite(float(v)) for v in (start, end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    n = math.ceil((float(end) - float(start)) / float(step))
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if not dtype.is_floating_point and int(step) == 0:
        raise ValueError("step must be nonzero")  # (a fractional step read as an integer)
    if not dtype.is_floating_point and all(isinstance(v, (int, np.integer)) for v in
                                           (start, step)):
        data = (int(start) + np.arange(n, dtype=np.int64) * int(step)).astype(dtype.np)
    else:
        data = _float_grid(float(start), float(step), n, dtype.np)
    return _finish(data, requires_grad)


def _float_grid(start: float, step: float, n: int, np_dtype: np.dtype) -> np.ndarray:
    """``start + step * i`` for i < n, computed as PyTorch's vectorized arange kernel."""
    np_dtype = np.dtype(np_dtype)
    if np_dtype.kind != "f":  # an integer dtype from float arguments: rounded toward zero
        return fma(step, np.arange(n, dtype=np.float64), start).astype(np_dtype)
    lanes = 32 // np_dtype.itemsize
    whole = (n // (2 * lanes)) * 2 * lanes  # the part written two vectors at a time
    idx = np.arange(n, dtype=np.float64)
    out = np.empty(n, dtype=np_dtype)
    out[whole:] = fma(step, idx[whole:], start).astype(np_dtype)
    if whole:
        bases = fma(step, idx[:whole:lanes], start).astype(np_dtype).astype(np.float64)
        lane = np.arange(lanes, dtype=np.float64)
        out[:whole] = fma(lane[None, :], step, bases[:, None]).reshape(-1).astype(np_dtype)
    return out


def linspace(start: float, end: float, steps: int, *, dtype: dtypes.dtype | None = None,
             requires_grad: bool = False, device: Any = None) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive.

    As PyTorch: the step is ``(end - start) / (steps - 1)`` in the dtype, the first half counts
    up from ``start`` and the second half down from ``end``, each value one fused multiply-add
    (so ``linspace(-1, 1, 21)[10]`` is PyTorch's -1.4901e-08, not 0).
    """
    check_device(device)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    np_dtype = _float_dtype(dtype)
    if np.dtype(np_dtype).kind != "f":
        data = np.linspace(start, end, steps).astype(np_dtype)
        return _finish(data, requires_grad)
    real = np.dtype(np_dtype).type
    first, last = real(start), real(end)
    if steps == 1:
        return _finish(np.array([first], dtype=np_dtype), requires_grad)
    step = (last - first) / real(max(steps - 1, 1))
    idx = np.arange(steps, dtype=np.float64)
    up = fma(step, idx, first)
    down = fma(-step, steps - idx - 1, last)
    data = np.where(idx < steps // 2, up, down).astype(np_dtype)
    return _finish(data, requires_grad)


def eye(n: int, m: int | None = None, *, dtype: dtypes.dtype | None = None,
        requires_grad: bool = False, device: Any = None) -> Tensor:
    """The identity matrix (``n`` x ``m``)."""
    check_device(device)
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    return _finish(np.eye(n, m, dtype=_float_dtype(dtype)), requires_grad)


# -- random tensors: numbers identical to PyTorch's CPU generator (see random.py) -------------
def _random_shape(size: tuple, kw: dict) -> tuple[int, ...]:
    if "size" in kw:
        return _size((kw.pop("size"),))
    return _size(size)


def rand(*size: Any, generator: random.Generator | None = None,
         dtype: dtypes.dtype | None = None, requires_grad: bool = False, **kw: Any) -> Tensor:
    """Uniform random numbers in [0, 1)."""
    check_device(kw.pop("device", None))
    shape = _random_shape(size, kw)
    return _finish(random.uniform(shape, _float_dtype(dtype), generator=generator),
                   requires_grad)


def randn(*size: Any, generator: random.Generator | None = None,
          dtype: dtypes.dtype | None = None, requires_grad: bool = False, **kw: Any) -> Tensor:
    """Standard normal random numbers."""
    check_device(kw.pop("device", None))
    shape = _random_shape(size, kw)
    return _finish(random.normal(shape, _float_dtype(dtype), generator=generator),
                   requires_grad)


def randint(low: Any = None, high: Any = None, size: Sequence[int] | None = None, *,
            generator: random.Generator | None = None, dtype: dtypes.dtype | None = None,
            requires_grad: bool = False, **kw: Any) -> Tensor:
    """Random integers in [low, high) (``randint(high, size)`` means low = 0)."""
    check_device(kw.pop("device", None))
    if size is None:
        if high is None or not isinstance(high, (tuple, list)):
            raise TypeError("randint() missing required argument 'size'")
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    elif low is None:  # randint(high=5, size=(3,))
        low = 0
    d = dtype or dtypes.int64
    data = random.randint(low, high, _size((size,)), generator=generator).astype(d.np)
    return _finish(data, requires_grad)


def rand_like(input: Tensor, *, dtype: dtypes.dtype | None = None, requires_grad: bool = False,
              generator: random.Generator | None = None, **kw: Any) -> Tensor:
    """Uniform random numbers in [0, 1) of input's shape (and dtype, unless told)."""
    check_device(kw.pop("device", None))
    d = dtype or input.dtype
    return _finish(random.uniform(input._data.shape, d.np, generator=generator), requires_grad)


def randn_like(input: Tensor, *, dtype: dtypes.dtype | None = None, requires_grad: bool = False,
               generator: random.Generator | None = None, **kw: Any) -> Tensor:
    """Standard normal random numbers of input's shape (and dtype, unless told)."""
    check_device(kw.pop("device", None))
    d = dtype or input.dtype
    return _finish(random.normal(input._data.shape, d.np, generator=generator), requires_grad)


def randint_like(input: Tensor, low: int = 0, high: int | None = None, *,
                 dtype: dtypes.dtype | None = None, requires_grad: bool = False,
                 generator: random.Generator | None = None, **kw: Any) -> Tensor:
    """Random integers in [low, high) of input's shape and dtype (``randint_like(x, high)``
    means low = 0)."""
    check_device(kw.pop("device", None))
    if high is None:
        low, high = 0, low
    d = dtype or input.dtype
    data = random.randint(low, high, input._data.shape, generator=generator)
    return _finish(data.astype(d.np), requires_grad)


def randperm(n: int, *, generator: random.Generator | None = None,
             dtype: dtypes.dtype | None = None, requires_grad: bool = False,
             **kw: Any) -> Tensor:
    """A random permutation of ``0 .. n-1``."""
    check_device(kw.pop("device", None))
    d = dtype or dtypes.int64
    return _finish(random.randperm(n, generator=generator).astype(d.np), requires_grad)


def _fill_random(self: Tensor, values: np.ndarray, node_name: str) -> Tensor:
    """Write random ``values`` into ``self`` as a recorded in-place op (NormalBackward0 /
    UniformBackward0: the new values do not depend on the old ones)."""
    from .ops._core import check_inplace, inplace_records
    from .ops.inplace import NormalBackward0, UniformBackward0, _overwrite
    records = inplace_records(self)
    check_inplace(self, records)
    node_cls = NormalBackward0 if node_name == "normal" else UniformBackward0
    return _overwrite(self, values, node_cls((self,)) if records else None, records)


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *,
            generator: random.Generator | None = None) -> Tensor:
    """Fill in place with normal random numbers."""
    return _fill_random(self, random.normal(self._data.shape, self._data.dtype, mean, std,
                                            generator=generator), "normal")


def uniform_(self: Tensor, a: float = 0.0, b: float = 1.0, *,
             generator: random.Generator | None = None) -> Tensor:
    """Fill in place with uniform random numbers in [a, b)."""
    return _fill_random(self, random.uniform(self._data.shape, self._data.dtype, a, b,
                                             generator=generator), "uniform")


def new_full(self: Tensor, size: tuple, fill_value: Any, *, dtype: dtypes.dtype | None = None,
             requires_grad: bool = False) -> Tensor:
    """``self.new_full(size, v)`` / ``new_zeros`` / ``new_ones``: self's dtype by default."""
    return _finish(np.full(_size(size), fill_value, dtype=(dtype or self.dtype).np),
                   requires_grad)


def new_tensor(self: Tensor, data: Any, *, dtype: dtypes.dtype | None = None,
               requires_grad: bool = False) -> Tensor:
    """A new leaf holding a copy of ``data``, of self's dtype unless told otherwise."""
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use "
            "sourceTensor.detach().clone() or sourceTensor.detach().clone()"
            ".requires_grad_(True), rather than tensor.new_tensor(sourceTensor).",
            UserWarning, stacklevel=3)
    arr = _infer_array(data, dtype or self.dtype)
    return _finish(arr.astype((dtype or self.dtype).np), requires_grad)


def _legacy_tensor_data(args: tuple) -> np.ndarray:
    """``torch.Tensor(...)``: sizes give an (here zero-filled) tensor, data gives a float copy."""
    if not args:
        return np.zeros((0,), dtype=dtypes.get_default_dtype().np)
    if all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args):
        return np.zeros(args, dtype=dtypes.get_default_dtype().np)
    if len(args) == 1 and isinstance(args[0], Tensor):
        return args[0]._data
    return _infer_array(args[0]).astype(dtypes.get_default_dtype().np)


__all__ = ["device", "tensor", "as_tensor", "from_numpy", "ones", "zeros", "empty", "full",
           "ones_like", "zeros_like", "empty_like", "full_like", "arange", "linspace", "eye",
           "rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like"]
