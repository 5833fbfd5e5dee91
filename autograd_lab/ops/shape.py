"""Ops that move elements without computing new values: indexing, views, cat/stack, expand.

Their backward puts each gradient element back where its value came from. The backward of
select/slice is itself an op (``select_backward``/``slice_backward``) so that it is recorded
under ``create_graph=True`` with PyTorch's node names.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import dtypes
from ..autograd.explanation import (COPY, DOUBLE_BACKWARD, RESHAPE, SLICE, TRANSPOSE,
                                     Explanation, both, joined)
from ..autograd.node import Node
from ..tensor import Tensor, _legacy_type_name, _make
from ._core import node_for, record, recording, shape_str
from .views import (alias_step, expand_step, make_view, mark_multi_output, permute_step,
                    reshape_step, select_step, slice_step, unsqueeze_step)


# ``_view_of(input, data, node, step, args)``: a result sharing ``input``'s memory (and version
# counter); ``data`` is ``step(input._data, *args)``, which is how an in-place change to the
# view finds its place in the base again (see views.py).
_view_of = make_view


def _size_list(shape: Sequence[int]) -> str:
    return shape_str(tuple(shape))


# -- select / slice (integer and slice indexing) -------------------------------------------
class SelectBackward0(Node):
    """out = self.select(dim, index)  ->  grad placed at ``index`` of a zero tensor"""
    __slots__ = ("self_sym_sizes", "dim", "index")
    explanation = Explanation("{z} = {0}.select({dim}, {index})", (), SLICE)

    def apply(self, grad):
        return (select_backward(grad, self.self_sym_sizes, self.dim, self.index),)


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The slice at ``index`` along ``dim`` (one dimension fewer); ``x[i]`` is ``select(0, i)``."""
    if input._data.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = input._wrap_dim(dim)
    size = input._data.shape[dim]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{_size_list(input._data.shape)} at dimension {dim}")
    index = index + size if index < 0 else index
    data = select_step(input._data, dim, index)
    node = node_for(SelectBackward0, (input,), self_sym_sizes=input._data.shape, dim=dim,
                    index=index)
    return _view_of(input, data, node, select_step, (dim, index))


class SelectBackwardBackward0(Node):
    """out = zeros with grad_output placed at index  ->  d/dgrad_output = grad.select(...)"""
    __slots__ = ("dim", "index")
    explanation = Explanation(
        "{z} = select_backward({0}, dim={dim}, index={index})", ("g.select({dim}, {index})",),
        joined(DOUBLE_BACKWARD,
               both("This is select's derivative: {z} is zeros with {0} put at index {index} of "
                    "dim {dim}.",
                    "这是 select 的导数：{z} 是零张量，在第 {dim} 维的 {index} 处放入 {0}。")))

    def apply(self, grad):
        return (select(grad, self.dim, self.index),)


def select_backward(grad: Tensor, sizes: tuple[int, ...], dim: int, index: int) -> Tensor:
    out = np.zeros(sizes, dtype=grad._data.dtype)
    out[(slice(None),) * dim + (index,)] = grad._data
    return record(out, SelectBackwardBackward0, (grad,), dim=dim, index=index)


class SliceBackward0(Node):
    """out = self[start:end:step] along dim  ->  grad placed in that range of a zero tensor"""
    __slots__ = ("self_sym_sizes", "dim", "start", "end", "step")
    explanation = Explanation("{z} = {0}[{start}:{end}:{step}] (dim {dim})", (), SLICE)

    def apply(self, grad):
        return (slice_backward(grad, self.self_sym_sizes, self.dim, self.start, self.end,
                               self.step),)


def slice_op(input: Tensor, dim: int, start: int | None, end: int | None, step: int = 1) -> Tensor:
    """``input`` restricted to ``start:end:step`` along ``dim`` (a view)."""
    if input._data.ndim == 0:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    if step is not None and step <= 0:
        raise ValueError("step must be greater than zero")
    dim = input._wrap_dim(dim)
    start, end, step = slice(start, end, step).indices(input._data.shape[dim])
    end = max(end, start)
    data = slice_step(input._data, dim, start, end, step)
    node = node_for(SliceBackward0, (input,), self_sym_sizes=input._data.shape, dim=dim,
                    start=start, end=end, step=step)
    return _view_of(input, data, node, slice_step, (dim, start, end, step))


class SliceBackwardBackward0(Node):
    """out = zeros with grad_output placed in a range  ->  d/dgrad_output = that range of grad"""
    __slots__ = ("dim", "start", "end", "step")
    explanation = Explanation(
        "{z} = slice_backward({0}, dim={dim}, start={start}, end={end}, step={step})",
        ("g[{start}:{end}:{step}] (dim {dim})",),
        joined(DOUBLE_BACKWARD,
               both("This is slicing's derivative: {z} is zeros with {0} put at "
                    "{start}:{end}:{step} of dim {dim}.",
                    "这是切片的导数：{z} 是零张量，在第 {dim} 维的 {start}:{end}:{step} 处放入 {0}。")))

    def apply(self, grad):
        return (slice_op(grad, self.dim, self.start, self.end, self.step),)


def slice_backward(grad: Tensor, sizes: tuple[int, ...], dim: int, start: int, end: int,
                   step: int) -> Tensor:
    out = np.zeros(sizes, dtype=grad._data.dtype)
    out[(slice(None),) * dim + (slice(start, end, step),)] = grad._data
    return record(out, SliceBackwardBackward0, (grad,), dim=dim, start=start, end=end, step=step)


# -- unsqueeze / squeeze / alias ------------------------------------------------------------
class UnsqueezeBackward0(Node):
    """out = self with a new size-1 dim  ->  d/dself = grad.squeeze(dim)"""
    __slots__ = ("dim",)
    explanation = Explanation("{z} = {0}.unsqueeze({dim})", ("g",), RESHAPE)

    def apply(self, grad):
        return (squeeze(grad, self.dim),)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """A view with a size-1 dimension inserted at ``dim``."""
    n = input._data.ndim + 1
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    dim = dim + n if dim < 0 else dim
    data = np.expand_dims(input._data, dim)
    node = node_for(UnsqueezeBackward0, (input,), dim=dim)
    return _view_of(input, data, node, unsqueeze_step, (dim,))


class SqueezeBackward0(Node):
    """out = self without its size-1 dims  ->  d/dself = grad unsqueezed at each of them"""
    __slots__ = ("self_sym_sizes",)
    explanation = Explanation("{z} = {0}.squeeze()", ("g",), RESHAPE)

    def apply(self, grad):
        for d, size in enumerate(self.self_sym_sizes):
            if size == 1:
                grad = unsqueeze(grad, d)
        return (grad,)


class SqueezeBackward1(Node):
    """out = self.squeeze(dim)  ->  d/dself = grad.unsqueeze(dim) when dim was size 1"""
    __slots__ = ("self_sym_sizes", "dim")
    explanation = Explanation("{z} = {0}.squeeze({dim})", ("g",), RESHAPE)

    def apply(self, grad):
        if len(self.self_sym_sizes) == grad._data.ndim:
            return (grad,)
        return (unsqueeze(grad, self.dim),)


def squeeze(input: Tensor, dim: int | None = None) -> Tensor:
    """A view without size-1 dimensions (only ``dim``, when given)."""
    shape = input._data.shape
    if dim is None:
        data = input._data.reshape([s for s in shape if s != 1])
        node_cls: type = SqueezeBackward0
    else:
        dim = input._wrap_dim(dim)
        data = input._data
        if data.ndim and shape[dim] == 1:
            data = data.reshape(shape[:dim] + shape[dim + 1:])
        node_cls = SqueezeBackward1
    if dim is None:
        node = node_for(node_cls, (input,), self_sym_sizes=shape)
    else:
        node = node_for(node_cls, (input,), self_sym_sizes=shape, dim=dim)
    return _view_of(input, data, node, reshape_step, (data.shape,))


class SqueezeBackward4(SqueezeBackward1):
    """out = self.squeeze_(dim), in place  ->  as SqueezeBackward1"""
    __slots__ = ()
    explanation = Explanation("{z} = {0}.squeeze_({dim})", ("g",), RESHAPE)


def squeeze_(input: Tensor, dim: int) -> Tensor:
    """Drop dimension ``dim`` of ``input`` in place if its size is 1.

    Only the shape changes (not the values), but, as every in-place op in PyTorch, it counts as
    a change: the version counter moves (even when nothing is dropped), other views of the
    same memory get a regenerated ``grad_fn``, and the history of ``input`` itself is rebased
    onto a SqueezeBackward4 node (also for a view: no CopySlices, only metadata changed).
    """
    from ._core import bump_version, check_inplace
    check_inplace(input, recording(input))
    shape = input._data.shape
    dim = input._wrap_dim(dim)
    node = node_for(SqueezeBackward4, (input,), self_sym_sizes=shape, dim=dim)
    if input._data.ndim and shape[dim] == 1:
        input._data = input._data.reshape(shape[:dim] + shape[dim + 1:])
        if input._view_steps is not None:  # a view: its place in the base, seen squeezed
            input._view_steps += ((reshape_step, (input._data.shape,)),)
        elif input._views:  # a base: its views are cut out of it as it was shaped before
            for ref in input._views:
                v = ref()
                if v is not None and v._view_steps is not None:
                    v._view_steps = ((reshape_step, (shape,)),) + v._view_steps
    # the new history is set before the version moves (the other views' regenerated grad_fn
    # lead to it) and again after (a view's own grad_fn was regenerated too)
    if node is not None:
        input.grad_fn, input._output_nr = node, 0
    bump_version(input)
    if node is not None:
        input.grad_fn, input._output_nr = node, 0
    return input


class AliasBackward0(Node):
    """out = self (``x[...]``)  ->  d/dself = grad"""
    __slots__ = ()
    explanation = Explanation("{z} = {0}", ("g",), COPY)

    def apply(self, grad):
        return (grad,)


def alias(input: Tensor) -> Tensor:
    node = node_for(AliasBackward0, (input,))
    return _view_of(input, input._data.view(), node, alias_step)


# -- expand / view / reshape / transpose ---------------------------------------------------
class ExpandBackward0(Node):
    """out = self broadcast to a bigger shape  ->  d/dself = grad summed back to self's shape"""
    __slots__ = ("self_sym_sizes",)
    explanation = Explanation(
        "{z} = {0}.expand({shape})", (both("g, summed over the repeats", "g，对各份重复求和"),),
        both("expand repeats {0} without copying: each repeat sends its share back.",
             "expand 不复制地重复 {0}：每一份重复都把自己的梯度送回并求和。"))

    def apply(self, grad):
        from ._core import sum_to
        return (sum_to(grad, tuple(self.self_sym_sizes)),)


def _sizes_arg(sizes: tuple) -> tuple[int, ...]:
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        return tuple(sizes[0])
    return tuple(sizes)


def expand(input: Tensor, *sizes: Any) -> Tensor:
    """A broadcast view of ``input`` with shape ``sizes`` (-1 keeps a dimension)."""
    sizes = _sizes_arg(sizes)
    shape = input._data.shape
    lead = len(sizes) - len(shape)
    if lead < 0:
        raise RuntimeError(
            f"expand({_legacy_type_name(input._data.dtype)}{{{_size_list(shape)}}}, "
            f"size={_size_list(sizes)}): the "
            "number of sizes provided (" + str(len(sizes)) + ") must be greater or equal to "
            "the number of dimensions in the tensor (" + str(len(shape)) + ")")
    target = tuple(shape[i - lead] if s == -1 and i >= lead else s for i, s in enumerate(sizes))
    try:
        data = np.broadcast_to(input._data, target)
    except ValueError:
        for i, s in enumerate(shape):
            if s != 1 and s != target[i + lead]:
                raise RuntimeError(
                    f"The expanded size of the tensor ({target[i + lead]}) must match the "
                    f"existing size ({s}) at non-singleton dimension {i + lead}.  Target sizes: "
                    f"{_size_list(sizes)}.  Tensor sizes: {_size_list(shape)}") from None
        raise
    node = node_for(ExpandBackward0, (input,), self_sym_sizes=shape)
    return _view_of(input, data, node, expand_step, (target,))


class ViewBackward0(Node):
    """out = self viewed with another shape  ->  d/dself = grad reshaped back"""
    __slots__ = ("self_sym_sizes",)
    explanation = Explanation("{z} = {0}.view({shape})", ("g",), RESHAPE)

    def apply(self, grad):
        return (reshape(grad, self.self_sym_sizes),)


def _infer_shape(shape: tuple[int, ...], numel: int) -> tuple[int, ...]:
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if -1 in shape:
        if known == 0 and numel == 0:
            raise RuntimeError(f"cannot reshape tensor of 0 elements into shape "
                               f"{_size_list(shape)} because the unspecified dimension size -1 "
                               "can be any value and is ambiguous")
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{_size_list(shape)}' is invalid for input of size "
                               f"{numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{_size_list(shape)}' is invalid for input of size {numel}")
    return shape


def _viewed(data: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """``data`` seen with ``shape`` without copying, or None if its strides do not allow it."""
    out = data.view()
    try:
        out.shape = shape  # NumPy raises rather than copy when the layout does not allow it
    except AttributeError:
        return None
    return out


def view(input: Tensor, *shape: Any) -> Tensor:
    """The same memory seen with another shape (must be contiguous enough, as in PyTorch)."""
    if len(shape) == 1 and isinstance(shape[0], dtypes.dtype):
        raise NotImplementedError("view(dtype) is not supported")
    shape = _infer_shape(_sizes_arg(shape), input._data.size)
    data = _viewed(input._data, shape)
    if data is None:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
    return _shape_view(ViewBackward0, input, data)


def _shape_view(node_cls: type, input: Tensor, data: np.ndarray) -> Tensor:
    node = node_for(node_cls, (input,), self_sym_sizes=input._data.shape)
    return _view_of(input, data, node, reshape_step, (data.shape,))


class ReshapeAliasBackward0(ViewBackward0):
    """out = a non-contiguous self seen with another shape  ->  d/dself = grad reshaped back"""
    __slots__ = ()
    explanation = Explanation("{z} = {0}.reshape({shape})", ("g",), RESHAPE)


class UnsafeViewBackward0(ViewBackward0):
    """out = a reshaped copy of self  ->  d/dself = grad reshaped back"""
    __slots__ = ()
    explanation = Explanation("{z} = {0}.reshape({shape})", ("g",), RESHAPE)


def reshape(input: Tensor, *shape: Any) -> Tensor:
    """``input`` with another shape, as PyTorch: a view of a contiguous tensor
    (ViewBackward0); else an alias with other strides when they allow it
    (ReshapeAliasBackward0); else a contiguous copy (CloneBackward0) seen with the new shape
    (UnsafeViewBackward0, not a view)."""
    from .pointwise import clone
    shape = _infer_shape(_sizes_arg(shape), input._data.size)
    if input._data.flags.c_contiguous:
        return view(input, shape)
    data = _viewed(input._data, shape)
    if data is not None:
        return _shape_view(ReshapeAliasBackward0, input, data)
    copy = clone(input)
    data = copy._data.reshape(shape)
    return record(data, UnsafeViewBackward0, (copy,), self_sym_sizes=copy._data.shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims ``start_dim..end_dim`` into one."""
    if input._data.ndim == 0:
        return reshape(input, (1,))
    shape = input._data.shape
    s, e = input._wrap_dim(start_dim), input._wrap_dim(end_dim)
    if s == e:
        return input
    merged = int(np.prod(shape[s:e + 1]))
    return reshape(input, shape[:s] + (merged,) + shape[e + 1:])


class PermuteBackward0(Node):
    """out = self with dims reordered  ->  d/dself = grad with the inverse order"""
    __slots__ = ("dims",)
    explanation = Explanation("{z} = {0}.permute({dims})",
                              (both("g, permuted back", "g，维度换回原来的顺序"),))

    def apply(self, grad):
        return (permute(grad, tuple(np.argsort(self.dims))),)


def permute(input: Tensor, dims: Sequence[int]) -> Tensor:
    dims = tuple(input._wrap_dim(d) for d in dims)
    data = np.transpose(input._data, dims)
    node = node_for(PermuteBackward0, (input,), dims=dims)
    return _view_of(input, data, node, permute_step, (dims,))


class TransposeBackward0(Node):
    """out = self with two dims swapped  ->  d/dself = grad with them swapped back"""
    __slots__ = ("dim0", "dim1")
    explanation = Explanation("{z} = {0}.transpose({dim0}, {dim1})",
                              (both("g, transposed back", "g，转置回来"),))

    def apply(self, grad):
        return (transpose(grad, self.dim0, self.dim1),)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    if input._data.ndim == 0:
        return input
    d0, d1 = input._wrap_dim(dim0), input._wrap_dim(dim1)
    data = np.swapaxes(input._data, d0, d1)
    node = node_for(TransposeBackward0, (input,), dim0=d0, dim1=d1)
    return _view_of(input, data, node, np.swapaxes, (d0, d1))


class TBackward0(Node):
    """out = self.t()  ->  d/dself = grad.t()"""
    __slots__ = ()
    explanation = Explanation("{z} = {0}.t()", ("gᵀ",), TRANSPOSE)

    def apply(self, grad):
        return (t(grad),)


def t(input: Tensor) -> Tensor:
    """Transpose of a matrix (a 0-D or 1-D tensor is returned as is)."""
    if input._data.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                           f"{input._data.ndim}D")
    node = node_for(TBackward0, (input,))
    return _view_of(input, input._data.T, node, np.transpose, ())


# -- unbind / stack / cat ---------------------------------------------------------------------
class UnbindBackward0(Node):
    """outs = the slices of self along dim  ->  d/dself = the slice grads stacked (zeros for
    slices that received none)"""
    __slots__ = ("dim", "_num_outputs", "_like")
    explanation = Explanation(
        "{z} = unbind({0})", (),
        both("The pieces' gradients are stacked back into one (zeros for a piece that got none).",
             "各片的梯度重新堆叠成一个（没收到梯度的片用 0）。"))

    def apply(self, *grads):
        filled = [g if g is not None else _make(np.zeros_like(self._like), None) for g in grads]
        return (stack(filled, self.dim),)


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices along ``dim`` as a tuple (what iterating over a tensor yields)."""
    dim = input._wrap_dim(dim)
    data = input._data
    parts = [select_step(data, dim, i) for i in range(data.shape[dim])]
    node = node_for(UnbindBackward0, (input,), dim=dim, _num_outputs=len(parts),
                    _like=parts[0] if parts else data)
    if node is not None:
        outs = []
        for i, p in enumerate(parts):
            t_ = _view_of(input, p, node, select_step, (dim, i))
            t_._output_nr = i
            outs.append(t_)
        mark_multi_output(outs, node)
        return tuple(outs)
    return tuple(_view_of(input, p, None, select_step, (dim, i)) for i, p in enumerate(parts))


class StackBackward0(Node):
    """out = stack(tensors, dim)  ->  each input gets its slice of grad

    As for every list argument in PyTorch, the gradients of the list's members are computed all
    together or not at all: also for members that need none (their edge is None), and, in
    ``autograd.grad``, for members that lead to nothing wanted (so ``_prunes_outputs`` is off).
    A node hook, or a call by hand, sees them all."""
    __slots__ = ("dim",)
    _prunes_outputs = False
    explanation = Explanation(
        "{z} = stack([{all}], {dim})", (),
        both("The gradient is split back along the new dimension.", "梯度沿新增的维度拆分回去。"))

    def apply(self, grad):
        return tuple(select(grad, self.dim, i) for i in range(len(self._next_nodes)))


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join same-shaped tensors along a new dimension ``dim``."""
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    tensors = list(tensors)
    for i, x in enumerate(tensors[1:], 1):
        if x._data.shape != tensors[0]._data.shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got "
                f"{_size_list(tensors[0]._data.shape)} at entry 0 and "
                f"{_size_list(x._data.shape)} at entry {i}")
    n = tensors[0]._data.ndim + 1
    dim = dim + n if dim < 0 else dim
    rd = tensors[0].dtype
    for x in tensors[1:]:
        rd = dtypes.promote_types(rd, x.dtype)
    out = np.stack([x._data.astype(rd.np, copy=False) for x in tensors], axis=dim)
    output = record(out, StackBackward0, tuple(tensors), dim=dim)
    return output


class CatBackward0(Node):
    """out = cat(tensors, dim)  ->  each input gets its range of grad along dim (all of them:
    see StackBackward0); a legacy empty 1-D member, shape [0], gets a new empty tensor"""
    __slots__ = ("dim", "tensors_args_sizes")
    _prunes_outputs = False
    explanation = Explanation(
        "{z} = cat([{all}], {dim})", (),
        both("The gradient is cut back into the piece each input contributed.",
             "梯度被切回每个输入贡献的那一段。"))

    def apply(self, grad):
        grads = []
        start = 0
        for size in self.tensors_args_sizes:
            if len(size) == 1 and size[0] == 0:
                grads.append(_make(np.zeros(0, grad._data.dtype), None))
                continue
            length = size[self.dim]
            grads.append(slice_op(grad, self.dim, start, start + length))
            start += length
        return tuple(grads)


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension ``dim``."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, x in enumerate(tensors):
        if x._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be "
                               "concatenated")
    # the first member that is not a legacy empty 1-D tensor (shape [0]) sets the shape; when
    # there is none, the result is one of them, whatever dim says
    ref = next((x for x in tensors if x._data.shape != (0,)), None)
    if ref is None:
        ref, dim = tensors[0], 0
    dim = ref._wrap_dim(dim)
    rd = tensors[0].dtype
    for x in tensors[1:]:
        rd = dtypes.promote_types(rd, x.dtype)
    arrays = []
    for i, x in enumerate(tensors):
        if x._data.ndim == 1 and x._data.shape[0] == 0 and ref._data.ndim != 1:
            continue  # PyTorch skips legacy empty 1-D tensors
        if x._data.ndim != ref._data.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got "
                               f"{ref._data.ndim} and {x._data.ndim}")
        for d in range(ref._data.ndim):
            if d != dim and x._data.shape[d] != ref._data.shape[d]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {dim}. Expected size "
                    f"{ref._data.shape[d]} but got size {x._data.shape[d]} for tensor number "
                    f"{i} in the list.")
        arrays.append(x._data.astype(rd.np, copy=False))
    out = np.concatenate(arrays, axis=dim)
    output = record(out, CatBackward0, tuple(tensors), dim=dim,
                    tensors_args_sizes=[x._data.shape for x in tensors])
    return output


# -- the *_as forms ----------------------------------------------------------------------------
def expand_as(input: Tensor, other: Tensor) -> Tensor:
    return expand(input, other._data.shape)


def view_as(input: Tensor, other: Tensor) -> Tensor:
    return view(input, other._data.shape)


def reshape_as(input: Tensor, other: Tensor) -> Tensor:
    return reshape(input, other._data.shape)


__all__ = ["select", "slice_op", "unsqueeze", "squeeze", "alias", "expand", "view", "reshape",
           "flatten", "permute", "transpose", "t", "unbind", "stack", "cat", "squeeze_",
           "select_backward", "slice_backward", "expand_as", "view_as", "reshape_as"]
