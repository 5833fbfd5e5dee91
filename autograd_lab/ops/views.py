"""Views and in-place changes to them: PyTorch's ``CopySlices`` and ``AsStridedBackward0``.

A *view* shares memory (and the version counter) with its *base*, the tensor at the root of a
chain of view ops (``x[0]``, ``x[1:]``, ``x.view(...)``, ``x.t()``, ``x.expand(...)`` ...).
Besides ``_base``, a floating-point view remembers how it was cut out of the base:
``_view_steps``, a tuple of ``(function, args)`` that replays the chain on any array shaped like
the base. That is all an in-place change needs:

* ``y[0].mul_(2)`` changes memory of ``y``, so the *base's* history is rewritten: ``y.grad_fn``
  becomes ``CopySlices``, which runs the in-place op's own node (``MulBackward0``) on the slice
  of the gradient that belongs to the view and passes the rest through unchanged;
* the view itself, and every other live view of the base, then gets a regenerated ``grad_fn``:
  ``AsStridedBackward0``, pointing at the base's new history (PyTorch 2.13 names it so on the
  CPU). The base keeps a list of weak references to its views for that.

PyTorch regenerates a view's ``grad_fn`` lazily, when it is next read; here it is done at the
time of the in-place change (``refresh_views``). The nodes are the same; only their creation
order (``_sequence_nr``) can differ, which changes nothing but the order of independent steps.

Both nodes compute their derivative with recorded ops (copy_, views, clone, squeeze, sum), so
``create_graph=True`` records what PyTorch records for them (``CopyBackwards``,
``AsStridedBackward0``, ``CloneBackward0``, nested ``CopySlices``).
"""
from __future__ import annotations

import re
import weakref
from weakref import ref as _ref
from typing import Any, Callable, Sequence

import numpy as np

from ..autograd import grad_mode
from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make


# What a tensor knows about being a view lives in slots declared by Tensor, set only on views
# (and bases) and read as None elsewhere: ``_view_steps`` how to cut it out of its base again,
# ``_view_meta`` why an in-place change to it is refused (PyTorch's CreationMeta), ``_views``
# (on a base) weak references to its views.

# how a view was made, when PyTorch forbids changing it in place (its "CreationMeta")
NO_GRAD_MODE = "no_grad"
NO_GRAD_HEADER = ("A view was created in no_grad mode and is being modified inplace with grad "
                  "mode enabled.")
NO_GRAD_MESSAGE = NO_GRAD_HEADER + (
    " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
    "your code by moving both the view and the inplace either both inside the no_grad block "
    "(if you don't want the inplace to be tracked) or both outside (if you want the inplace to "
    "be tracked).")
MULTI_OUTPUT_MESSAGE = (
    "Output {nr} of {op} is a view and is being modified inplace. This view is the output of a "
    "function that returns multiple views. Such functions do not allow the output views to be "
    "modified inplace. You should replace the inplace operation by an out-of-place one.")

CUSTOM_FUNCTION_MESSAGE = (
    "Output {nr} of {op} is a view and is being modified inplace. This view was created inside "
    "a custom Function (or because an input was returned as-is) and the autograd logic to "
    "handle view+inplace would override the custom backward associated with the custom "
    "Function, leading to incorrect gradients. This behavior is forbidden. You can fix this by "
    "cloning the output of the custom Function.")


# -- replaying a view on another array ---------------------------------------------------------
def select_step(a: np.ndarray, dim: int, index: int) -> np.ndarray:
    # the trailing ... makes NumPy return a view even when the result is 0-d (not a scalar)
    return a[(slice(None),) * dim + (index, Ellipsis)]


def slice_step(a: np.ndarray, dim: int, start: int, end: int, step: int) -> np.ndarray:
    return a[(slice(None),) * dim + (slice(start, end, step),)]


def unsqueeze_step(a: np.ndarray, dim: int) -> np.ndarray:
    return np.expand_dims(a, dim)


def reshape_step(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    out = a.view()
    out.shape = shape  # never copies: raises if the layout does not allow it
    return out


def permute_step(a: np.ndarray, dims: tuple[int, ...]) -> np.ndarray:
    return np.transpose(a, dims)


def expand_step(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return np.broadcast_to(a, shape)


def alias_step(a: np.ndarray) -> np.ndarray:
    return a.view()


def diagonal_step(a: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
    return np.diagonal(a, offset, dim1, dim2)


def take_zero_step(a: np.ndarray, dims: tuple[int, ...]) -> np.ndarray:
    """Drop ``dims`` (size-1 or stride-0 dims) by taking their element 0."""
    return a[tuple(0 if d in dims else slice(None) for d in range(a.ndim)) + (Ellipsis,)]


def replay(a: np.ndarray, steps: tuple) -> np.ndarray:
    for fn, args in steps:
        a = fn(a, *args)
    return a


# -- making views ----------------------------------------------------------------------------
def make_view(input: Tensor, data: np.ndarray, node: Node | None, fn: Callable,
              args: tuple = ()) -> Tensor:
    """A tensor seeing ``data``, which is ``fn(input._data, *args)``: a view of ``input``.

    It shares ``input``'s version counter and base; a floating-point view also records how to
    cut it out of the base again (``_view_steps``) and registers with the base, for in-place
    changes (see the module docstring).
    """
    t = _make(data, node)
    t._vc = input._vc
    base = input._base
    if base is None:
        base = input
        steps: tuple[tuple[Callable[..., Any], tuple[Any, ...]], ...] | None = ((fn, args),)
        meta = None
    else:
        parent = input._view_steps
        steps = None if parent is None else parent + ((fn, args),)
        meta = input._view_meta
    t._base = base
    if steps is not None and t.dtype.is_floating_point:
        if not grad_mode.is_grad_enabled():
            meta = meta or NO_GRAD_MODE
        t._view_steps = steps
        if meta is not None:
            t._view_meta = meta
        views = base._views
        if views is None:
            base._views = [_ref(t)]
            _remember_base(base)
        else:
            n = len(views)
            if n >= 64 and n & (n - 1) == 0:  # prune dead views at each doubling
                views[:] = [r for r in views if r() is not None]
            views.append(_ref(t))
    return t


# version counter (by id) -> the base that has views: an in-place change made through another
# tensor sharing the counter (``detach()``) regenerates the base's views too
_BASE_OF_COUNTER: dict[int, Any] = {}


def _remember_base(base: Tensor) -> None:
    key = id(base._vc)

    def forget(_: Any, key: int = key) -> None:
        if _BASE_OF_COUNTER.get(key) is ref:
            del _BASE_OF_COUNTER[key]
    ref = _ref(base, forget)
    _BASE_OF_COUNTER[key] = ref


def mark_multi_output(views: Sequence[Tensor], node: Node | None) -> None:
    """The views returned by one multi-output op (unbind, split, chunk) may not be changed in
    place while their changes would be recorded."""
    if node is None:
        return
    for t in views:
        if t._view_steps is not None and t._view_meta is None:
            t._view_meta = ("multi", node)


def view_creation_error(t: Tensor) -> str | None:
    """PyTorch's refusal to record an in-place change to this view, or None. (A custom
    Function marks the views it returns ``("custom", node)``, or ``("multi", node)`` when it
    has several differentiable outputs: autograd would put its own formula where the
    Function's backward should run.)"""
    meta = t._view_meta
    if meta is None:
        return None
    if meta == NO_GRAD_MODE:
        return NO_GRAD_MESSAGE
    node = t.grad_fn if t.grad_fn is not None else meta[1]  # the view's own op, as PyTorch
    op = re.sub(r"Backward\d*$", "", node.name())
    message = (CUSTOM_FUNCTION_MESSAGE if meta[0] == "custom" else MULTI_OUTPUT_MESSAGE).format(
        nr=t._output_nr, op=op)
    if t.grad_fn is None:  # a view no gradient flows through: made without recording
        message = NO_GRAD_HEADER + message[message.index(". ") + 1:]
    return message


def refresh_views(base: Tensor) -> None:
    """The memory of ``base`` changed in place: each live view of it that is differentiable
    gets, as in PyTorch, a regenerated ``grad_fn`` (``AsStridedBackward0``) pointing at the
    base's current history."""
    base = base if base._base is None else base._base
    views = base._views
    if views is None:  # maybe another tensor sharing the memory, e.g. made by detach()
        ref = _BASE_OF_COUNTER.get(id(base._vc))
        other = ref() if ref is not None else None
        if other is None or other is base:
            return
        base, views = other, other._views
    if not views:
        return
    alive = []
    requires = base._requires_grad or base.grad_fn is not None
    for ref in views:
        v = ref()
        if v is None:
            continue
        alive.append(ref)
        if requires and v._view_meta is None:
            v.grad_fn = AsStridedBackward0.make(base, v)
            v._output_nr = 0
    views[:] = alive


# -- memory layout ----------------------------------------------------------------------------
def _layout(a: np.ndarray) -> tuple[int, ...] | None:
    """The order of ``a``'s axes from the largest stride to the smallest (None: row-major)."""
    if a.flags.c_contiguous:
        return None
    order = tuple(sorted(range(a.ndim), key=lambda i: -abs(a.strides[i])))
    return None if order == tuple(range(a.ndim)) else order


def _empty(shape: tuple[int, ...], dtype: np.dtype, layout: tuple[int, ...] | None,
           zeros: bool = False) -> np.ndarray:
    """A new array of ``shape`` whose axes lie in memory in the ``layout`` order (so that the
    view steps recorded on the base replay on it)."""
    make = np.zeros if zeros else np.empty
    if layout is None:
        return make(shape, dtype)
    a = make(tuple(shape[i] for i in layout), dtype)
    return np.transpose(a, np.argsort(layout))


# -- AsStridedBackward0 -----------------------------------------------------------------------
class AsStridedBackward0(Node):
    """out = a view of self (given by its sizes and strides)  ->  d/dself = grad placed at the
    view's elements of a zero tensor shaped like self (``as_strided_backward``)."""
    __slots__ = ("steps", "size", "stride", "self_sizes", "self_dtype", "layout")

    @classmethod
    def make(cls, base: Tensor, view: Tensor) -> "AsStridedBackward0":
        node = cls((base,))
        steps = view._view_steps
        assert steps is not None  # (views of floating-point tensors know their steps)
        node._set_geometry(base._data, steps, view._data)
        return node

    def _set_geometry(self, base: np.ndarray, steps: tuple[Any, ...], view: np.ndarray) -> None:
        self.steps = steps
        self.size = view.shape
        item = view.itemsize
        self.stride = tuple(s // item for s in view.strides)
        self.self_sizes, self.self_dtype, self.layout = base.shape, base.dtype, _layout(base)

    explanation = Explanation(
        "{z} = {0}.as_strided({size}, {stride})",
        (both("g placed at the elements of {0} the view covers (summed where it covers one "
              "twice), 0 elsewhere",
              "g 放回视图覆盖的 {0} 元素处（被覆盖两次的元素求和），其余为 0"),),
        both("{z} is a view of {0}: after an in-place change to {0} or to another of its views, "
             "its history is told by its sizes and strides.",
             "{z} 是 {0} 的视图：{0} 或它的另一个视图被原地修改后，{z} 的历史用它的形状和步长来表示。"))

    def apply(self, grad):
        return (as_strided_backward(grad, self),)


def as_strided_backward(grad: Tensor, node: AsStridedBackward0) -> Tensor:
    from . import reduction, shape
    from .pointwise import copy_
    if 0 in node.size or 0 in node.self_sizes:
        return _make(np.zeros(node.self_sizes, grad._data.dtype), None)
    dropped = []
    for i in range(grad._data.ndim - 1, -1, -1):
        if node.size[i] == 1:
            grad = shape.squeeze(grad, i)
            dropped.append(i)
        elif node.stride[i] == 0:
            grad = reduction.sum(grad, i)
            dropped.append(i)
    storage = _make(_empty(node.self_sizes, grad._data.dtype, node.layout, zeros=True), None)
    steps = node.steps + (((take_zero_step, (tuple(dropped),)),) if dropped else ())
    target = as_strided_view(storage, steps, node.self_sizes)
    with_grad = grad_mode.is_grad_enabled() and grad.requires_grad
    if with_grad:
        copy_(target, grad)
    else:
        from ._core import _write
        _write(target, grad._data)
    return as_strided_view(storage, (), node.self_sizes)


def as_strided_view(input: Tensor, steps: tuple, base_sizes: tuple) -> Tensor:
    """``input`` seen through ``steps`` (a view recorded as ``AsStridedBackward0``)."""
    from ._core import node_for  # (_core imports this module)
    data = replay(input._data, steps) if steps else input._data.view()
    t = make_view(input, data, None, _replay_steps, (steps,))
    node = node_for(AsStridedBackward0, (input,))
    if node is not None:
        node._set_geometry(input._data, steps, data)
        t.grad_fn = node
    return t


def _replay_steps(a: np.ndarray, steps: tuple) -> np.ndarray:
    return replay(a, steps) if steps else a.view()


# -- CopySlices ---------------------------------------------------------------------------------
class CopySlices(Node):
    """The history of a base after an in-place op on one of its views.

    Its inputs are the base (the base's history before the change) followed by the other
    inputs of the in-place op's node ``fn``. Backward: the gradient of the base, except on the
    view's elements, flows to the base's old history unchanged; on the view's elements, ``fn``
    turns it into the gradient of the view's old values (written back in place) and of the op's
    other inputs.
    """
    __slots__ = ("fn", "steps", "self_sizes", "self_dtype", "layout")
    fn: Node | None
    steps: tuple[Any, ...]
    self_sizes: tuple[int, ...]
    self_dtype: np.dtype
    layout: Any

    @classmethod
    def make(cls, base: Tensor, view: Tensor, fn: Node) -> "CopySlices":
        node = cls((base,))
        node._next_nodes = node._next_nodes + fn._next_nodes[1:]
        node._next_slots = node._next_slots + fn._next_slots[1:]
        node.fn = fn
        steps = view._view_steps
        assert steps is not None  # (only views of floating-point tensors record changes)
        node.steps = steps
        node.self_sizes, node.self_dtype = base._data.shape, base._data.dtype
        node.layout = _layout(base._data)
        return node

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    def saved_tensors_items(self):
        # what the wrapped node saved is freed with this node, as PyTorch's release_variables
        return self.fn.saved_tensors_items() if self.fn is not None else iter(())

    def _release_saved(self) -> None:
        # PyTorch's CopySlices drops its wrapped node after a backward: a second backward is
        # refused even when that node saved nothing (add_, copy_, fill_)
        if self.fn is not None:
            self.fn._release_saved()
            self.fn = None

    explanation = Explanation(
        "", (both("g outside the view; inside it, what the in-place op's node sends back",
                  "视图之外为 g；视图之内为原地操作的节点送回的梯度"),),
        both("{z} had a view of it changed in place: the in-place op's own derivative runs on "
             "the view's part of the gradient, and its other inputs get what it sends them.",
             "{z} 的一个视图被原地修改了：原地操作自己的导数作用在梯度的视图部分上，"
             "它的其他输入得到它送出的梯度。"))

    def apply(self, grad):
        from ._core import needs
        from .pointwise import clone, copy_
        if self.fn is None:
            from ..autograd.node import SECOND_BACKWARD_ERROR
            raise RuntimeError(SECOND_BACKWARD_ERROR)
        if grad is None:
            return (None,) * len(self._next_nodes)
        result = _make(_empty(self.self_sizes, grad._data.dtype, self.layout), None)
        copy_(result, grad)
        grad_slice = as_strided_view(result, self.steps, self.self_sizes)
        res = self.fn.apply(clone(grad_slice))
        grads: list = [None] * len(self._next_nodes)
        for i, r in enumerate(res):
            if r is None or not needs(self, i):
                continue
            if i == 0:
                copy_(grad_slice, r)
                grads[0] = result
            else:
                grads[i] = r
        return tuple(grads)


__all__ = ["make_view", "refresh_views", "CopySlices", "AsStridedBackward0"]
