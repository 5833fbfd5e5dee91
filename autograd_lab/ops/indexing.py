"""Python indexing, ``x[index]`` and ``x[index] = value``, as PyTorch does it.

An index is applied one dimension at a time: integers ``select`` (SelectBackward0), slices
``slice`` (SliceBackward0, skipped when a slice of a tuple index takes everything), ``None``
``unsqueeze``; what remains, integer and boolean tensors (and lists), is "advanced indexing",
one ``index`` op (IndexBackward0) on the view the basic part gave. That order decides node
names and also shapes: ``x[0, :, idx]`` is ``x.select(0, 0)[:, idx]``.

Assignment takes the same view and writes into it in place (``copy_`` or ``fill_``: the view's
base then gets ``CopySlices``), or, with tensor indices, runs ``index_put_``
(IndexPutBackward0). Gradients of repeated indices accumulate.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import dtypes
from ..autograd.explanation import Explanation, both
from ..autograd.node import Node, SavedTensor
from ..tensor import Tensor, _make
from ._core import apply_inplace, needs, record, shape_str
from .shape import alias, select, slice_op, unsqueeze

_INTEGRAL = ("int64", "int32", "int16", "int8")
_NON_TUPLE_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed "
    "in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be "
    "interpreted as tensor index, x[torch.tensor(seq)], which will result either in an error or "
    "a different result")
_INVALID = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
            "valid indices (got {})")


def _as_int(obj: Any) -> int | None:
    """The integer an index object stands for (ints, NumPy ints, 0-d integer tensors)."""
    if isinstance(obj, bool):
        return None
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, Tensor) and obj._data.ndim == 0 and obj.dtype.name in _INTEGRAL:
        return int(obj._data)
    return None


def _wrap_tuple(index: Any) -> tuple:
    """PyTorch's (NumPy's) rule: a short list holding sequences, slices, tensors, ``None`` or
    ``...`` is read as a tuple of indices (with a deprecation warning), any other list as one
    integer index."""
    if isinstance(index, tuple):
        return index
    if isinstance(index, list) and len(index) < 32 and any(
            isinstance(i, (Tensor, list, tuple, slice)) or i is None or i is Ellipsis
            for i in index):
        warnings.warn(_NON_TUPLE_WARNING, UserWarning, stacklevel=4)
        return tuple(index)
    return (index,)


def _to_index_tensor(obj: Any) -> Tensor:
    from ..factories import tensor
    if isinstance(obj, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(obj).__name__}'")
    t = tensor(obj)
    if t._data.size == 0 and t.dtype.is_floating_point:
        t = _make(t._data.astype(np.int64), None)
    return t


def _specified_dims(index: tuple) -> int:
    count = 0
    for obj in index:
        if isinstance(obj, Tensor):
            count += obj._data.ndim if obj.dtype.name in ("bool", "uint8") else 1
        elif obj is not None and obj is not Ellipsis and not isinstance(obj, bool):
            count += 1
    return count


def _check_select(t: Tensor, dim: int, i: int, real_dim: int) -> None:
    shape = t._data.shape
    if i == 0 and dim == 0 and not shape:
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                         "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
    size = shape[dim]
    if not (size >= -i and size > i):
        raise IndexError(f"index {i} is out of bounds for dimension {real_dim} with size {size}")


def _bool_index(value: bool) -> Tensor:
    return _make(np.zeros(1 if value else 0, dtype=np.int64), None)


def _apply_slicing(self: Tensor, index: tuple) -> tuple[Tensor, list]:
    """The view the basic part of ``index`` selects, and the tensor indices left for
    ``index``: a list of ``(dim, tensor)`` (dims counted in that view)."""
    specified = _specified_dims(index)
    ndim = self._data.ndim
    if specified > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    result_ = self
    dim = 0
    tensors: list = []
    for real_dim, obj in enumerate(index):
        i = _as_int(obj)
        if i is not None:
            _check_select(result_, dim, i, real_dim)
            result_ = select(result_, dim, i)
        elif isinstance(obj, slice):
            start = 0 if obj.start is None else _slice_int(obj.start)
            stop = None if obj.stop is None else _slice_int(obj.stop)
            step = 1 if obj.step is None else _slice_int(obj.step)
            if step <= 0:
                raise ValueError("step must be greater than zero")
            length = result_._data.shape[dim]
            if not (start == 0 and step == 1 and (stop is None or stop >= length)):
                result_ = slice_op(result_, dim, start, stop, step)
            dim += 1
        elif obj is Ellipsis:
            dim += ndim - specified
        elif obj is None:
            result_ = unsqueeze(result_, dim)
            dim += 1
        elif isinstance(obj, bool):
            result_ = unsqueeze(result_, dim)
            tensors.append((dim, _bool_index(obj)))
            dim += 1
        else:
            if not isinstance(obj, Tensor):
                if isinstance(obj, (list, tuple, str, bytes)):
                    obj = _to_index_tensor(obj)
                elif isinstance(obj, range):  # x[range(n), Y]: a range is a sequence
                    obj = _to_index_tensor(list(obj))
                elif isinstance(obj, np.ndarray) and obj.ndim:  # as the tensor it would make
                    obj = _make(np.array(obj), None)
                elif hasattr(obj, "__index__"):
                    i = obj.__index__()
                    _check_select(result_, dim, i, real_dim)
                    result_ = select(result_, dim, i)
                    continue
                else:
                    raise IndexError(_INVALID.format(type(obj).__name__))
            if obj._data.ndim == 0 and obj.dtype.name in ("bool", "uint8"):
                result_ = unsqueeze(result_, dim)
                tensors.append((dim, _bool_index(bool(obj._data))))
                dim += 1
            else:
                tensors.append((dim, obj))
                dim += obj._data.ndim if obj.dtype.name in ("bool", "uint8") else 1
    return result_, tensors


def _slice_int(v: Any) -> int:
    if isinstance(v, Tensor):
        return int(v.item())
    return v.__index__()


def getitem(input: Tensor, index: Any) -> Tensor:
    """``input[index]``."""
    if type(index) is int and input._data.ndim and (
            -input._data.shape[0] <= index < input._data.shape[0]):  # the common case: x[i]
        return select(input, 0, index)
    if index is None:
        return unsqueeze(input, 0)
    if index is Ellipsis:
        return alias(input)
    if isinstance(index, Tensor) and index.dtype in _INDEX_DTYPES:
        out = _take_rows(input, index)  # the common case: C[X], an embedding lookup
        if out is not None:
            return out
    i = _as_int(index)
    if i is not None:
        _check_select(input, 0, i, 0)
        return select(input, 0, i)
    if isinstance(index, slice):  # a lone slice is always recorded, even x[:]
        step = 1 if index.step is None else _slice_int(index.step)
        if step <= 0:
            raise ValueError("step must be greater than zero")
        if input._data.ndim == 0:
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        start = 0 if index.start is None else _slice_int(index.start)
        stop = None if index.stop is None else _slice_int(index.stop)
        return slice_op(input, 0, start, stop, step)
    if isinstance(index, bool):
        return index_op(unsqueeze(input, 0), [(0, _bool_index(index))])
    sliced, tensors = _apply_slicing(input, _wrap_tuple(index))
    if not tensors:
        return alias(sliced) if sliced is input else sliced
    return index_op(sliced, tensors)


# -- index (advanced indexing) ------------------------------------------------------------
_INDEX_DTYPES = frozenset(dtypes._FROM_NUMPY[np.dtype(name)] for name in _INTEGRAL)


def _take_rows(input: Tensor, index: Tensor) -> Tensor | None:
    """``input[index]`` for one integer tensor of at least one dimension, without the general
    path's checks when NumPy finds nothing wrong (it refuses exactly the indices PyTorch
    refuses, outside [-size, size)); None to leave any other case, errors included, to the
    general path (and its PyTorch messages)."""
    data, rows = input._data, index._data
    if not rows.ndim or not data.ndim or 0 in data.shape:
        return None
    try:
        out = data[rows]
    except IndexError:
        return None
    if out.base is not None:  # (a copy of its own, as the general path makes)
        out = np.array(out)
    return record(out, IndexBackward0, (input,), self_sym_sizes=data.shape, _np_index=(rows,),
                  indices=[SavedTensor(index)])


def _numpy_index(self: Tensor, tensors: list) -> tuple:
    """The NumPy index for ``(dim, tensor)`` pairs, checked with PyTorch's messages. NumPy's
    rules for combining index arrays are PyTorch's: broadcast together (a boolean mask counts
    as the index arrays of its nonzero elements); the result dims go in place of the indexed
    ones when those are adjacent, else first."""
    shape = self._data.shape
    out: list = []
    arrays: list = []
    checks: list = []
    indexed: set = set()
    consumed = position = 0
    for dim, t in tensors:
        while consumed < dim:
            out.append(slice(None))
            consumed += 1
        name = t.dtype.name
        if name in ("bool", "uint8"):
            k = t._data.ndim
            for j in range(k):
                if consumed + j >= len(shape) or t._data.shape[j] != shape[consumed + j]:
                    raise IndexError(
                        f"The shape of the mask {shape_str(t._data.shape)} at index {j} does "
                        f"not match the shape of the indexed tensor {shape_str(shape)} at "
                        f"index {consumed + j}")
            out.append(t._data.astype(bool))
            arrays.extend(np.nonzero(t._data))
            indexed.update(range(consumed, consumed + k))
            consumed += k
            position += k
        elif name in _INTEGRAL:
            out.append(t._data)
            arrays.append(t._data)
            checks.append((position, t._data, shape[consumed]))
            indexed.add(consumed)
            consumed += 1
            position += 1
        else:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    shapes = [a.shape for a in arrays]
    try:
        selects = np.broadcast_shapes(*shapes)
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together "
                         "with shapes " + ", ".join(shape_str(s) for s in shapes)) from None
    # An indexed dimension of size 0 admits no index at all: PyTorch refuses before reading,
    # without naming the index or the dimension, unless the indices select nothing.
    if 0 not in selects and any(shape[d] == 0 for d in indexed):
        raise IndexError("index is out of bounds for dimension with size 0")
    # PyTorch checks the indices of the elements it reads: none when the result is empty
    if 0 not in selects and all(n for d, n in enumerate(shape) if d not in indexed):
        for position, data, size in checks:
            bad = data[(data >= size) | (data < -size)]
            if bad.size:  # the dimension is numbered among the index tensors
                raise IndexError(f"index {int(bad.flat[0])} is out of bounds for dimension "
                                 f"{position} with size {size}")
    else:  # nothing is read: out-of-range indices are harmless (NumPy would still refuse)
        for i, item in enumerate(out):
            if isinstance(item, np.ndarray) and item.dtype != bool:
                size = next(n for _, d, n in checks if d is item)
                if size:
                    out[i] = np.where((item >= size) | (item < -size), 0, item)
    return tuple(out)


class IndexBackward0(Node):
    """out = self[indices] (integer/boolean tensors)  ->  grad added into zeros at the
    indices (repeated indices accumulate)"""
    __slots__ = ("self_sym_sizes", "indices", "_np_index")
    _saved_fields = ("indices",)
    explanation = Explanation(
        "{z} = {0}[index]", (),
        both("The gradient is added back at the indexed places; the rest of {0} gets 0.",
             "梯度被累加回被索引的位置；{0} 的其余位置得到 0。"))

    def apply(self, grad):
        for saved in self.indices:
            saved.unpack(self)  # freed after a backward, or modified in place: PyTorch's errors
        return (index_backward(grad, self.self_sym_sizes, self._np_index),)

    @property
    def _s_indices(self):
        return self.indices


def index_op(input: Tensor, tensors: list) -> Tensor:
    """``input[tensors]``: advanced indexing (PyTorch's ``index``)."""
    np_index = _numpy_index(input, tensors)
    data = np.array(input._data[np_index])
    return record(data, IndexBackward0, (input,), self_sym_sizes=input._data.shape,
                  _np_index=np_index, indices=[SavedTensor(t) for _, t in tensors])


class IndexPutImplBackward0(Node):
    """out = self with values added at indices  ->  d/dself = grad, d/dvalues = grad[indices]"""
    __slots__ = ("_np_index",)
    explanation = Explanation("{z} = {0}.index_put(index, {1}, accumulate=True)",
                              ("g", "g[index]"), inputs=("self", "values"))

    def apply(self, grad):
        return (grad if needs(self, 0) else None,
                _index_np(grad, self._np_index) if needs(self, 1) else None)


def index_backward(grad: Tensor, sizes: tuple[int, ...], np_index: tuple) -> Tensor:
    """Zeros of ``sizes`` with ``grad`` added at the indices: PyTorch's
    ``_index_put_impl_(zeros, indices, grad, accumulate=True)`` (IndexPutImplBackward0)."""
    zeros = _make(np.zeros(sizes, dtype=grad._data.dtype), None)
    out = zeros._data.copy()
    np.add.at(out, np_index, grad._data)
    return record(out, IndexPutImplBackward0, (zeros, grad), _np_index=np_index)


def _index_np(t: Tensor, np_index: tuple) -> Tensor:
    """``t`` indexed by an already checked NumPy index (recorded as IndexBackward0)."""
    data = np.array(t._data[np_index])
    return record(data, IndexBackward0, (t,), self_sym_sizes=t._data.shape, _np_index=np_index,
                  indices=[])


# -- index_put ------------------------------------------------------------------------------
class IndexPutBackward0(Node):
    """out = self with ``values`` written at indices  ->  d/dself = grad with zeros there,
    d/dvalues = grad[indices] (or, accumulating, d/dself = grad)"""
    __slots__ = ("_np_index", "accumulate", "values_shape", "indices")
    _saved_fields = ("indices",)

    @property
    def _s_indices(self):
        return self.indices

    explanation = Explanation(
        "{z} = {0}.index_put(index, {1})",
        (both("g, with 0 at index (overwritten); with accumulate=True, g",
              "g，但 index 处为 0（被覆盖）；accumulate=True 时为 g"), "g[index]"))

    def apply(self, grad):
        grad_self = grad_values = None
        if needs(self, 0):
            if self.accumulate:
                grad_self = grad
            else:
                zeros = _make(np.zeros(self.values_shape, grad._data.dtype), None)
                # the node this records saves the indices afresh: sharing this node's records
                # would let a backward through either free them for both
                own = [SavedTensor(s.unpack(self)) for s in self.indices]
                grad_self = _index_put(grad, self._np_index, zeros, False, own)
        if needs(self, 1):
            grad_values = _index_np(grad, self._np_index)
        return grad_self, grad_values


def _index_put(self: Tensor, np_index: tuple, values: Tensor, accumulate: bool,
               indices: list) -> Tensor:
    target = self._data[np_index].shape
    vdata = values._data
    try:
        np.broadcast_to(vdata, target)
    except ValueError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {shape_str(vdata.shape)} "
                           f"cannot be broadcast to indexing result of shape "
                           f"{shape_str(target)}") from None
    out = self._data.copy()
    if accumulate:
        np.add.at(out, np_index, vdata.astype(out.dtype, copy=False))
    else:
        out[np_index] = vdata
    return record(out, IndexPutBackward0, (self, values), _np_index=np_index, accumulate=accumulate,
                  values_shape=vdata.shape, indices=indices)


def index_put_(self: Tensor, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    """Write ``values`` at the positions ``indices`` (a tuple of index tensors, ``None`` for a
    whole dimension) in place; ``accumulate=True`` adds instead (repeated indices add up)."""
    from ._core import as_tensor_operand
    tensors = [(d, t) for d, t in enumerate(indices) if t is not None]
    values = as_tensor_operand(values)
    if values.dtype is not self.dtype:
        raise RuntimeError(
            "Index put requires the source and destination dtypes match, got "
            f"{_type_name(self.dtype)} for the destination and {_type_name(values.dtype)} for "
            "the source.")
    np_index = _numpy_index(self, tensors)
    saved = [SavedTensor(t) for _, t in tensors]
    return apply_inplace(self, lambda s, v: _index_put(s, np_index, v, accumulate, saved), values)


def index_put(self: Tensor, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    """Out-of-place ``index_put_``."""
    from ._core import as_tensor_operand
    tensors = [(d, t) for d, t in enumerate(indices) if t is not None]
    values = as_tensor_operand(values)
    np_index = _numpy_index(self, tensors)
    return _index_put(self, np_index, values, accumulate, [SavedTensor(t) for _, t in tensors])


def _type_name(d: dtypes.dtype) -> str:
    from ..tensor import _scalar_type_name
    return _scalar_type_name(d)


# -- assignment ---------------------------------------------------------------------------
def _value_tensor(self: Tensor, value: Any) -> Tensor:
    """A number assigned into ``self`` becomes a 0-d tensor of self's dtype."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (bool, int, float, np.number, np.bool_)):
        return _make(np.array(value, dtype=self._data.dtype), None)
    type_name = {"float32": "torch.FloatTensor", "float64": "torch.DoubleTensor"}.get(
        self.dtype.name, "torch." + self.dtype.name)
    raise TypeError(f"can't assign a {type(value).__name__} to a {type_name}")


def _copy_to(dst: Tensor, src: Tensor) -> None:
    """PyTorch's ``copy_to`` for ``dst[...] = src``: copy_ when the shapes agree, fill_ with a
    0-d value, else ``src`` seen without its leading 1s, expanded to ``dst``, copied."""
    from .pointwise import copy_, fill_
    from .shape import expand, view
    if dst._data.shape == src._data.shape:
        copy_(dst, src)
        return
    if src._data.ndim == 0:
        fill_(dst, src)
        return
    shape = src._data.shape
    k = 0
    while k < len(shape) and shape[k] == 1:
        k += 1
    src_view = view(src, shape[k:])
    if src_view._data.shape != dst._data.shape:
        try:
            np.broadcast_shapes(src_view._data.shape, dst._data.shape)
            ok = np.broadcast_shapes(src_view._data.shape, dst._data.shape) == dst._data.shape
        except ValueError:
            ok = False
        if not ok:
            raise RuntimeError(
                f"expand(torch.{_legacy(src_view)}{{{shape_str(src_view._data.shape)}}}, size="
                f"{shape_str(dst._data.shape)}): the number of sizes provided "
                f"({dst._data.ndim}) must be greater or equal to the number of dimensions in "
                f"the tensor ({src_view._data.ndim})"
                if src_view._data.ndim > dst._data.ndim else
                f"The expanded size of the tensor ({_mismatch(src_view, dst)[1]}) must match "
                f"the existing size ({_mismatch(src_view, dst)[0]}) at non-singleton dimension "
                f"{_mismatch(src_view, dst)[2]}.  Target sizes: {shape_str(dst._data.shape)}.  "
                f"Tensor sizes: {shape_str(src_view._data.shape)}")
        src_view = expand(src_view, dst._data.shape)
    copy_(dst, src_view)


def _legacy(t: Tensor) -> str:
    from ..tensor import _legacy_type_name
    return _legacy_type_name(t._data.dtype)[6:]


def _mismatch(src: Tensor, dst: Tensor) -> tuple[int, int, int]:
    s, d = src._data.shape, dst._data.shape
    lead = len(d) - len(s)
    for i, n in enumerate(s):
        if n != 1 and n != d[i + lead]:
            return n, d[i + lead], i + lead
    return 0, 0, 0


def setitem(input: Tensor, index: Any, value: Any) -> None:
    """``input[index] = value``: an in-place write into the part of ``input`` the index
    selects (recorded in the graph as PyTorch does)."""
    value = _value_tensor(input, value)
    if index is False:
        return
    if index is Ellipsis:
        _copy_to(input, value)
        return
    if index is None or index is True:
        _copy_to(unsqueeze(input, 0), value)
        return
    i = _as_int(index)
    if i is not None:
        _check_select(input, 0, i, 0)
        _copy_to(select(input, 0, i), value)
        return
    if isinstance(index, slice):
        step = 1 if index.step is None else _slice_int(index.step)
        if step <= 0:
            raise ValueError("step must be greater than zero")
        start = 0 if index.start is None else _slice_int(index.start)
        stop = None if index.stop is None else _slice_int(index.stop)
        length = input._data.shape[0] if input._data.ndim else 0
        if input._data.ndim == 0:
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        if start == 0 and step == 1 and (stop is None or stop >= length):
            _copy_to(input, value)
        else:
            _copy_to(slice_op(input, 0, start, stop, step), value)
        return
    sliced, tensors = _apply_slicing(input, _wrap_tuple(index))
    if not tensors:
        _copy_to(sliced, value)
        return
    shape = value._data.shape
    k = 0
    while k < len(shape) and shape[k] == 1:
        k += 1
    if k:
        from .shape import view
        value = view(value, shape[k:])
    _index_put_at(sliced, tensors, value)


def _index_put_at(self: Tensor, tensors: list, values: Tensor) -> None:
    if values.dtype is not self.dtype:
        raise RuntimeError(
            "Index put requires the source and destination dtypes match, got "
            f"{_type_name(self.dtype)} for the destination and {_type_name(values.dtype)} for "
            "the source.")
    np_index = _numpy_index(self, tensors)
    saved = [SavedTensor(t) for _, t in tensors]
    apply_inplace(self, lambda s, v: _index_put(s, np_index, v, False, saved), values)


def delitem(input: Tensor, index: Any) -> None:
    raise TypeError("Tensor does not support deleting items")


__all__ = ["getitem", "setitem", "delitem", "index_op", "index_put_", "index_put", "index_backward"]
