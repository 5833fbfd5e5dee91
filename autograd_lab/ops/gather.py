"""Ops that pick or place elements by an index tensor: gather, scatter, scatter_add,
index_select, index_add, masked_select, masked_scatter, take_along_dim.

Their derivatives are each other, as in PyTorch's formulas: gather's is a scatter_add into
zeros, scatter's a gather, index_select's an index_add into zeros, masked_select's a
masked_scatter into zeros. So ``create_graph=True`` records PyTorch's nodes.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make, _scalar_type_name
from ._core import apply_inplace, needs, record, shape_str


def _zeros(shape: tuple[int, ...], like: Tensor) -> Tensor:
    return _make(np.zeros(shape, like._data.dtype), None)


def _check_index_dtype(index: Tensor, op: str, allow_int32: bool = True) -> None:
    if index.dtype.name not in ("int64", "int32") or (not allow_int32
                                                      and index.dtype.name != "int64"):
        raise RuntimeError(f"{op}(): Expected dtype int64 for index" if not allow_int32 else
                           f"{op}(): Expected dtype int32/int64 for index")


def _along(dim: int, index: np.ndarray, ndim: int) -> tuple:
    """NumPy fancy index that addresses element ``index[i...]`` along ``dim`` at position
    ``i...`` in the other dims (what gather/scatter mean)."""
    grids: list[Any] = list(np.indices(index.shape, sparse=True))
    grids[dim] = index
    return tuple(grids)


def _check_bounds(index: np.ndarray, size: int, dim: int) -> None:
    if index.size:
        bad = index[(index >= size) | (index < -size)]
        if bad.size:
            raise RuntimeError(f"index {int(bad.flat[0])} is out of bounds for dimension {dim} "
                               f"with size {size}")


# -- gather -----------------------------------------------------------------------------------
class GatherBackward0(Node):
    """out[i][j] = self[i][index[i][j]] (dim 1)  ->  d/dself = zeros.scatter_add(dim, index,
    grad)"""
    __slots__ = ("self_sizes",)
    _saved_fields = ("dim", "index", "self", "sparse_grad")
    explanation = Explanation(
        "{z} = {0}.gather({dim}, {index})",
        (both("zeros shaped like {0}, with g added at {index} (scatter_add)",
              "形状同 {0} 的零张量，在 {index} 处加上 g（scatter_add）"),),
        both("Each element of {z} was read from one place of {0}: its gradient is added back "
             "there (a place read twice gets both).",
             "{z} 的每个元素都读自 {0} 的某个位置：梯度加回那里（被读两次的位置得到两份之和）。"))

    def apply(self, grad):
        index = self._s_index.unpack(self)
        return (scatter_add(_zeros(self.self_sizes, grad), self._s_dim, index, grad),)


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """``out[i][j][k] = input[i][index[i][j][k]][k]`` for ``dim=1`` (and so on)."""
    dim = input._wrap_dim(dim)
    _check_index_dtype(index, "gather")
    data, idx = input._data, index._data
    if idx.ndim != max(data.ndim, 1) and not (idx.ndim <= 1 and data.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input "
                           "tensor")
    for d in range(idx.ndim):
        if d != dim and data.ndim and idx.shape[d] > data.shape[d]:
            raise RuntimeError(
                f"Size does not match at dimension {d} expected index {shape_str(idx.shape)} "
                f"to be no larger than self {shape_str(data.shape)} apart from dimension {dim}")
    if data.ndim == 0:
        _check_bounds(idx, 1, dim)
        out = np.broadcast_to(data, idx.shape).copy()
    else:
        _check_bounds(idx, data.shape[dim], dim)
        out = data[_along(dim, idx.astype(np.int64), data.ndim)]
    return record(out, GatherBackward0, (input,), self=input, index=index, dim=dim,
                  sparse_grad=sparse_grad, self_sizes=data.shape)


def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """``input`` gathered along ``dim`` at ``indices``, broadcasting the other dims (the flat
    input when ``dim`` is None)."""
    from .shape import expand, reshape
    if indices.dtype.name != "int64":
        raise RuntimeError("torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{_scalar_type_name(indices.dtype)}")
    if dim is None:
        return gather(reshape(input, (-1,)), 0, reshape(indices, (-1,)))
    from ._core import check_broadcast
    if indices._data.ndim != input._data.ndim:
        raise RuntimeError(
            "torch.take_along_dim(): input and indices should have the same number of "
            f"dimensions, but got {input._data.ndim} dimensions for input, and "
            f"{indices._data.ndim} dimensions for indices")
    dim = input._wrap_dim(dim)
    shape_in = list(input._data.shape)
    shape_idx = list(indices._data.shape)
    shape_in[dim] = shape_idx[dim] = 1
    check_broadcast(tuple(shape_in), tuple(shape_idx))
    b = list(np.broadcast_shapes(tuple(shape_in), tuple(shape_idx)))
    self_shape, idx_shape = list(b), list(b)
    self_shape[dim], idx_shape[dim] = input._data.shape[dim], indices._data.shape[dim]
    return gather(expand(input, self_shape), dim, expand(indices, idx_shape))


# -- scatter / scatter_add ------------------------------------------------------------------
def _check_scatter(self: Tensor, dim: int, index: Tensor, src: Tensor | None, op: str) -> None:
    _check_index_dtype(index, op, allow_int32=False)
    data, idx = self._data, index._data
    if src is not None and idx.ndim != src._data.ndim and not (idx.ndim <= 1
                                                                and src._data.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    if idx.ndim != max(data.ndim, 1) and not (idx.ndim <= 1 and data.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as self "
                           "tensor")
    for d in range(idx.ndim):
        too_big_self = d != dim and data.ndim and idx.shape[d] > data.shape[d]
        too_big_src = src is not None and src._data.ndim and idx.shape[d] > src._data.shape[d]
        if too_big_self or too_big_src:
            tail = (f" and to be no larger size than src {shape_str(src._data.shape)}"
                    if src is not None else "")
            raise RuntimeError(f"Expected index {shape_str(idx.shape)} to be no larger than "
                               f"self {shape_str(data.shape)} apart from dimension {dim}" + tail)
    _check_bounds(idx, data.shape[dim] if data.ndim else 1, dim)


class ScatterBackward0(Node):
    """out = self with src written at index  ->  d/dself = grad.scatter(dim, index, 0),
    d/dsrc = grad.gather(dim, index)"""
    __slots__ = ("src_sizes",)
    _saved_fields = ("dim", "index")
    explanation = Explanation(
        "{z} = {0}.scatter({dim}, {index}, {1})",
        (both("g, with 0 at {index} (those values were overwritten)",
              "g，但 {index} 处为 0（那些值被覆盖了）"),
         "g.gather({dim}, {index})"))

    def apply(self, grad):
        index = self._s_index.unpack(self)
        grad_self = scatter(grad, self._s_dim, index, 0) if needs(self, 0) else None
        grad_src = None
        if needs(self, 1):
            grad_src = _pad_to(gather(grad, self._s_dim, index), self.src_sizes)
        return grad_self, grad_src


class ScatterBackward1(Node):
    """out = self with a number written at index  ->  d/dself = grad.scatter(dim, index, 0)"""
    _saved_fields = ("dim", "index")
    explanation = Explanation(
        "{z} = {0}.scatter({dim}, {index}, value)",
        (both("g, with 0 at {index} (those values were overwritten)",
              "g，但 {index} 处为 0（那些值被覆盖了）"),))

    def apply(self, grad):
        return (scatter(grad, self._s_dim, self._s_index.unpack(self), 0),)


class ScatterAddBackward0(Node):
    """out = self with src added at index  ->  d/dself = grad, d/dsrc = grad.gather(dim, index)"""
    __slots__ = ("src_sizes",)
    _saved_fields = ("dim", "index")
    explanation = Explanation("{z} = {0}.scatter_add({dim}, {index}, {1})",
                              ("g", "g.gather({dim}, {index})"))

    def apply(self, grad):
        grad_src = None
        if needs(self, 1):
            grad_src = _pad_to(gather(grad, self._s_dim, self._s_index.unpack(self)),
                               self.src_sizes)
        return (grad if needs(self, 0) else None), grad_src


def _pad_to(grad: Tensor, sizes: tuple[int, ...]) -> Tensor:
    """A src larger than the index gets zero gradient beyond it."""
    if grad._data.shape == tuple(sizes):
        return grad
    from .shape import slice_backward
    for d, n in enumerate(sizes):
        if grad._data.shape[d] != n:
            grad = slice_backward(grad, grad._data.shape[:d] + (n,) + grad._data.shape[d + 1:],
                                  d, 0, grad._data.shape[d], 1)
    return grad


def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
            reduce: str | None = None) -> Tensor:
    """A copy of ``input`` with ``src`` (a tensor, or a number) written at ``index`` along
    ``dim``: ``out[i][index[i][j]] = src[i][j]`` for ``dim=1``."""
    if src is None:
        src = value
    if reduce is not None:
        raise NotImplementedError("scatter with reduce= is not supported")
    dim = input._wrap_dim(dim)
    is_tensor = isinstance(src, Tensor)
    _check_scatter(input, dim, index, src if is_tensor else None, "scatter")
    out = input._data.copy()
    idx = index._data.astype(np.int64)
    where = _along(dim, idx, out.ndim) if out.ndim else ()
    if is_tensor:
        vals = src._data[tuple(slice(0, n) for n in idx.shape)] if src._data.ndim else src._data
        out[where] = vals
        return record(out, ScatterBackward0, (input, src), index=index, dim=dim,
                      src_sizes=src._data.shape)
    out[where] = src
    return record(out, ScatterBackward1, (input,), index=index, dim=dim)


def scatter_(self: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
             reduce: str | None = None) -> Tensor:
    return apply_inplace(self, lambda s, v: scatter(s, dim, index, v, reduce=reduce),
                         src if src is not None else value)


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of ``input`` with ``src`` added at ``index`` along ``dim`` (repeats add up)."""
    dim = input._wrap_dim(dim)
    _check_scatter(input, dim, index, src, "scatter_add")
    out = input._data.copy()
    idx = index._data.astype(np.int64)
    vals = src._data[tuple(slice(0, n) for n in idx.shape)] if src._data.ndim else src._data
    if out.ndim:
        np.add.at(out, _along(dim, idx, out.ndim), vals)
    else:
        out += vals.sum()
    return record(out, ScatterAddBackward0, (input, src), index=index, dim=dim,
                  src_sizes=src._data.shape)


def scatter_add_(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    return apply_inplace(self, lambda s, v: scatter_add(s, dim, index, v), src)


# -- index_select / index_add ------------------------------------------------------------------
def _check_vector_index(index: Tensor, op: str) -> np.ndarray:
    if index.dtype.name not in ("int64", "int32"):
        raise RuntimeError(f"{op}(): Expected dtype int32 or int64 for index")
    if index._data.ndim > 1:
        raise IndexError(f"{op}(): Index is supposed to be a vector")
    return index._data.reshape(-1).astype(np.int64)


class IndexSelectBackward0(Node):
    """out = self.index_select(dim, index)  ->  d/dself = zeros.index_add_(dim, index, grad)"""
    __slots__ = ("self_sym_sizes",)
    _saved_fields = ("dim", "index")
    explanation = Explanation(
        "{z} = {0}.index_select({dim}, {index})",
        (both("zeros shaped like {0}, with g added at {index} (index_add)",
              "形状同 {0} 的零张量，在 {index} 处加上 g（index_add）"),))

    def apply(self, grad):
        zeros = _zeros(self.self_sym_sizes, grad)
        return (index_add(zeros, self._s_dim, self._s_index.unpack(self), grad),)


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The slices of ``input`` at positions ``index`` (a vector) along ``dim``."""
    dim = input._wrap_dim(dim)
    idx = _check_vector_index(index, "index_select")
    size = input._data.shape[dim] if input._data.ndim else 1
    if idx.size and (idx.max() >= size or idx.min() < 0):  # (no negative index: PyTorch's rule)
        if size == 0:
            raise RuntimeError("index_select(): self indexing axis dim should be positive")
        if dim == 0 or input._data.ndim <= 1:  # PyTorch's CPU kernels word it by the dim
            raise IndexError("index out of range in self")
        bad = int(idx[(idx >= size) | (idx < 0)][0])
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={size}")
    out = np.take(input._data, idx, axis=dim) if input._data.ndim else \
        input._data.reshape(1)[idx].reshape(())
    return record(out, IndexSelectBackward0, (input,), index=index, dim=dim,
                  self_sym_sizes=input._data.shape)


class IndexAddBackward0(Node):
    """out = self + source added at index along dim  ->  d/dself = grad,
    d/dsource = alpha * grad.index_select(dim, index) (expanded as source)"""
    __slots__ = ("source_sizes",)
    _saved_fields = ("alpha", "dim", "index")
    explanation = Explanation(
        "{z} = {0}.index_add({dim}, {index}, {alpha}{1})",
        ("g", "{alpha}g.index_select({dim}, {index})"))

    def apply(self, grad):
        from .pointwise import mul_scalar
        from .shape import expand
        grad_source = None
        if needs(self, 1):
            g = index_select(grad, self._s_dim, self._s_index.unpack(self))
            if len(self.source_sizes) == 0:
                from .shape import squeeze
                g = squeeze(g, self._s_dim)
            else:
                g = expand(g, self.source_sizes)
            grad_source = g if self._s_alpha == 1 else mul_scalar(g, self._s_alpha)
        return (grad if needs(self, 0) else None), grad_source


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *,
              alpha: Any = 1) -> Tensor:
    """A copy of ``input`` with ``alpha * source`` added at positions ``index`` along ``dim``."""
    dim = input._wrap_dim(dim)
    idx = _check_vector_index(index, "index_add_")
    src = source._data
    shape = input._data.shape
    if src.ndim and (src.ndim != len(shape) or any(
            a != b for i, (a, b) in enumerate(zip(shape, src.shape)) if i != dim)):
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified "
            f"dimension. Got self.shape = {shape_str(shape)} source.shape = "
            f"{shape_str(src.shape)}")
    n_src = src.shape[dim] if src.ndim else 1
    if idx.size != n_src:
        raise RuntimeError(f"index_add_(): Number of indices ({idx.size}) should be equal to "
                           f"source.size(dim): ({n_src}), for dim: {dim}")
    out = input._data.copy()
    vals = src if alpha == 1 else src * alpha
    if out.ndim:
        moved = np.moveaxis(out, dim, 0)
        np.add.at(moved, idx, np.moveaxis(vals, dim, 0) if vals.ndim else vals)
    else:
        out += vals.reshape(()) if vals.size else 0
    return record(out, IndexAddBackward0, (input, source), index=index, dim=dim, alpha=alpha,
                  source_sizes=src.shape)


def index_add_(self: Tensor, dim: int, index: Tensor, source: Tensor, *,
               alpha: Any = 1) -> Tensor:
    return apply_inplace(self, lambda s, v: index_add(s, dim, index, v, alpha=alpha), source)


# -- masked_select / masked_scatter ------------------------------------------------------------
class MaskedSelectBackward0(Node):
    """out = the elements of self where mask (a vector)  ->  d/dself = zeros with grad
    scattered back where mask (masked_scatter_)"""
    _saved_fields = ("mask", "self")
    explanation = Explanation(
        "{z} = {0}.masked_select({mask})",
        (both("g put back where {mask} is true, 0 elsewhere",
              "g 放回 {mask} 为真的位置，其余为 0"),))

    def apply(self, grad):
        x, mask = self._s_self.unpack(self), self._s_mask.unpack(self)
        shape = np.broadcast_shapes(x._data.shape, mask._data.shape)
        return (masked_scatter(_zeros(shape, grad), mask, grad),)


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """The elements of ``input`` where the bool ``mask`` (broadcast together) is true, as a
    vector."""
    from ._core import check_broadcast
    if mask.dtype is not dtypes.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    check_broadcast(input._data.shape, mask._data.shape)
    shape = np.broadcast_shapes(input._data.shape, mask._data.shape)
    out = np.broadcast_to(input._data, shape)[np.broadcast_to(mask._data, shape)]
    return record(np.array(out), MaskedSelectBackward0, (input,), self=input, mask=mask)


class MaskedScatterBackward0(Node):
    """out = self with source's first elements written where mask  ->  d/dself = grad with 0
    where mask, d/dsource = grad where mask (padded with zeros, shaped as source)"""
    __slots__ = ("source_sym_sizes",)
    _saved_fields = ("mask",)
    explanation = Explanation(
        "{z} = {0}.masked_scatter({mask}, {1})",
        (both("g, with 0 where {mask} is true", "g，但 {mask} 为真处为 0"),
         both("g where {mask} is true, in order (0 for the elements of {1} not used)",
              "按顺序取 {mask} 为真处的 g（{1} 中没用到的元素为 0）")))

    def apply(self, grad):
        from .pointwise import masked_fill
        from .shape import cat, view
        mask = self._s_mask.unpack(self)
        grad_source = None
        if needs(self, 1):
            selected = masked_select(grad, mask)
            numel = int(np.prod(self.source_sym_sizes))
            missing = numel - selected._data.size
            if missing > 0:
                selected = cat([selected, _zeros((missing,), grad)], 0)
            grad_source = view(selected, self.source_sym_sizes)
        grad_self = masked_fill(grad, mask, 0) if needs(self, 0) else None
        return grad_self, grad_source


def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """A copy of ``input`` where the elements at ``mask`` are, in order, the first elements
    of ``source``."""
    if mask.dtype is not dtypes.bool_:
        raise RuntimeError("masked_scatter_ only supports boolean masks, but got mask with "
                           f"dtype {mask.dtype.name}")
    shape = np.broadcast_shapes(input._data.shape, mask._data.shape)
    out = np.broadcast_to(input._data, shape).copy()
    m = np.broadcast_to(mask._data, shape)
    count = int(m.sum())
    if count > source._data.size:
        raise RuntimeError("masked_scatter: expected source to have at least as many elements "
                           "as the ones selected by the mask")
    out[m] = source._data.reshape(-1)[:count]
    return record(out, MaskedScatterBackward0, (input, source), mask=mask,
                  source_sym_sizes=source._data.shape)


def masked_scatter_(self: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    return apply_inplace(self, lambda s, v: masked_scatter(s, mask, v), source)


__all__ = ["gather", "take_along_dim", "scatter", "scatter_", "scatter_add", "scatter_add_",
           "index_select", "index_add", "index_add_", "masked_select", "masked_scatter",
           "masked_scatter_"]


# -- index_copy / index_fill -------------------------------------------------------------------
def _index_copy_checks(input: Tensor, dim: int, index: Tensor, source: Tensor) -> np.ndarray:
    if index.dtype.name != "int64":
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got "
                           f"{_scalar_type_name(index.dtype)}")
    if index._data.ndim > 1:
        raise IndexError("index_copy_(): Index should have dimension 1 or 0 (got "
                         f"{index._data.ndim})")
    idx = index._data.reshape(-1)
    src = source._data
    n_src = src.shape[dim] if src.ndim else 1
    if idx.size != n_src:
        raise IndexError(f"index_copy_(): Number of indices ({idx.size}) should be equal to "
                           f"source.size(dim) ({n_src})")
    size = input._data.shape[dim] if input._data.ndim else 1
    bad = idx[(idx >= size) | (idx < 0)]
    if bad.size:
        raise IndexError(f"index_copy_(): index {int(bad[0])} is out of bounds for dimension "
                         f"{dim} with size {size}")
    return idx


class IndexCopyBackward0(Node):
    """out = self with source's slices copied at index along dim  ->
    d/dself = grad.index_fill(dim, index, 0), d/dsource = grad.index_select(dim, index)"""
    __slots__ = ("source_sizes",)
    _saved_fields = ("dim", "index", "source_dim")
    explanation = Explanation(
        "{z} = {0}.index_copy({dim}, {index}, {1})",
        (both("g, with 0 at the overwritten positions (index_fill)",
              "g，被覆盖的位置为 0（index_fill）"),
         both("g at the positions it was copied to (index_select)",
              "g 在它被复制到的位置上的值（index_select）")),
        both("The overwritten elements of {0} no longer reach {z}: they get 0.",
             "{0} 中被覆盖的元素不再影响 {z}：它们得到 0。"))

    def apply(self, grad):
        from .shape import expand, squeeze
        index = self._s_index.unpack(self)
        grad_self = index_fill(grad, self._s_dim, index, 0) if needs(self, 0) else None
        grad_source = None
        if needs(self, 1):
            g = index_select(grad, self._s_dim, index)
            grad_source = squeeze(g, self._s_dim) if not self.source_sizes else expand(
                g, self.source_sizes)
        return grad_self, grad_source


def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of ``input`` with the slices of ``source`` written at ``index`` along ``dim``."""
    dim = input._wrap_dim(dim)
    idx = _index_copy_checks(input, dim, index, source)
    out = input._data.copy()
    src = source._data.astype(out.dtype, copy=False)
    if out.ndim:
        moved = np.moveaxis(out, dim, 0)
        moved[idx] = np.moveaxis(src, dim, 0) if src.ndim else src
    else:
        out[...] = src.reshape(())
    return record(out, IndexCopyBackward0, (input, source), dim=dim, index=index,
                  source_dim=source._data.ndim, source_sizes=source._data.shape)


def index_copy_(self: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """``index_copy`` in place."""
    return apply_inplace(self, lambda s, v: index_copy(s, dim, index, v), source)


class IndexFillBackward0(Node):
    """out = self with a number at index along dim  ->  d/dself = grad.index_fill(dim, index, 0)"""
    _saved_fields = ("dim", "index")
    explanation = Explanation("{z} = {0}.index_fill({dim}, {index}, value)",
                              (both("g, with 0 at the filled positions",
                                    "g，被填充的位置为 0"),))

    def apply(self, grad):
        return (index_fill(grad, self._s_dim, self._s_index.unpack(self), 0),)


class IndexFillBackward1(Node):
    """out = self with a 0-d tensor's value at index along dim  ->
    d/dself = grad.index_fill(dim, index, 0), d/dvalue = grad.index_select(dim, index).sum()"""
    _saved_fields = ("dim", "index")
    explanation = Explanation("{z} = {0}.index_fill({dim}, {index}, {1})",
                              (both("g, with 0 at the filled positions",
                                    "g，被填充的位置为 0"),
                               both("the sum of g over the filled positions",
                                    "g 在被填充位置上的和")))

    def apply(self, grad):
        from .reduction import sum as sum_
        index = self._s_index.unpack(self)
        grad_self = index_fill(grad, self._s_dim, index, 0) if needs(self, 0) else None
        grad_value = sum_(index_select(grad, self._s_dim, index)) if needs(self, 1) else None
        return grad_self, grad_value


def index_fill(input: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """A copy of ``input`` with ``value`` (a number or a 0-d tensor) at ``index`` along
    ``dim``."""
    dim = input._wrap_dim(dim)
    idx = _check_vector_index(index, "index_fill_")
    out = input._data.copy()
    fill = value._data if isinstance(value, Tensor) else value
    if out.ndim:
        np.moveaxis(out, dim, 0)[idx] = fill
    elif idx.size:
        out[...] = fill
    if isinstance(value, Tensor):
        return record(out, IndexFillBackward1, (input, value), dim=dim, index=index)
    return record(out, IndexFillBackward0, (input,), dim=dim, index=index)


def index_fill_(self: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """``index_fill`` in place."""
    if isinstance(value, Tensor):
        return apply_inplace(self, lambda s, v: index_fill(s, dim, index, v), value)
    return apply_inplace(self, lambda s: index_fill(s, dim, index, value))


__all__ += ["index_copy", "index_copy_", "index_fill", "index_fill_"]
