"""What every op shares: turning operands into tensors, recording a node, in-place updates."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import dtypes
from ..autograd import grad_mode
from ..autograd.node import Node, SavedTensor
from ..autograd.node import default_hooks as saved_tensors_hooks
from ..tensor import Tensor, _make, _scalar_type_name
from ._fields import (_STORES, RESULT, forget_shared_numbers, share_number, store_fields,
                      store_in_pytorch_order)
from .views import _BASE_OF_COUNTER, refresh_views

_grad_state = grad_mode.state
_not_recording = grad_mode.not_recording


_WRAPPED_NP = (np.dtype(np.bool_), np.dtype(np.int64), np.dtype(np.float64))


def wrap_scalar(value: Any) -> Tensor:
    """A Python number as PyTorch's "wrapped number": a 0-d bool, int64 or float64 tensor.

    Floats keep double precision (``x64 * 1.0001`` multiplies by exactly 1.0001, as PyTorch),
    while type promotion still treats the tensor as a Python number (``_wrapped_number``), so
    ``x32 * 1.5`` stays float32. It takes part in the graph as an input that needs no gradient
    (``(None, 0)``) and is what a node saves for it (``_saved_other``).
    """
    t = _make(np.array(value, dtype=_WRAPPED_NP[dtypes._scalar_category(value)]), None)
    t._wrapped_number = True
    t._vc = [0]  # never an inference tensor: wrapped numbers are shared (_WRAPPED_NUMBERS)
    return t


def as_tensor_operand(value: Any) -> Tensor:
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (bool, int, float, np.number, np.bool_)):
        return wrap_scalar(value)
    raise TypeError(f"unsupported operand type: {type(value).__name__}")


_FLOATS = (dtypes.float32, dtypes.float64)
_INT64_MIN, _INT64_MAX = -2 ** 63, 2 ** 63 - 1


def binary_operands(input: Any, other: Any) -> tuple[Tensor, Tensor, np.ndarray,
                                                       np.ndarray | np.generic, dtypes.dtype]:
    """Both operands as tensors, their arrays cast to the promoted dtype, and that dtype.

    Shapes that do not broadcast are refused here, with PyTorch's message, for every op."""
    if isinstance(input, Tensor):
        rd = input.dtype
        if isinstance(other, Tensor):
            if other.dtype is rd:
                if input._data.shape != other._data.shape:
                    check_broadcast(input._data.shape, other._data.shape)
                return input, other, input._data, other._data, rd
            if (other._wrapped_number and rd in _FLOATS and not input._wrapped_number
                    and other.dtype is not dtypes.bool_):
                # a saved number meeting a float tensor (``grad * 0.5`` in a backward): it
                # takes the tensor's dtype, whatever its rank
                return input, other, input._data, rd.np.type(other._data), rd
        elif rd in _FLOATS and (type(other) is float or (
                type(other) is int and _INT64_MIN <= other <= _INT64_MAX)):
            # the commonest mixed case, ``x * 0.5``, by the same rule, without the general
            # promotion below (it is a third of such an op's time)
            b = _WRAPPED_NUMBERS.get((type(other), other))
            if b is None:
                b = _wrapped_once(other)
            return input, b, input._data, rd.np.type(other), rd
    rd = dtypes.result_type(input, other)
    a = as_tensor_operand(input)
    b = as_tensor_operand(other)
    if a._data.shape != b._data.shape:
        check_broadcast(a._data.shape, b._data.shape)
    da = a._data if a.dtype is rd else a._data.astype(rd.np)
    db = b._data if b.dtype is rd else b._data.astype(rd.np)
    return a, b, da, db, rd


# Python numbers met in ops, wrapped once: ``y * 0.999`` in a loop wraps 0.999 a single time.
# Sharing is safe because an op never hands its wrapped operand out: nodes save a wrapped number
# by value (SavedTensor) and results are new arrays. Keyed by type too (1 == 1.0 == True), and
# zero is not kept (0.0 == -0.0).
_WRAPPED_NUMBERS: dict = {}


def _wrapped_once(value: Any) -> Tensor:
    t = wrap_scalar(value)
    if value:
        if len(_WRAPPED_NUMBERS) > 256:
            _WRAPPED_NUMBERS.clear()
            forget_shared_numbers()
        _WRAPPED_NUMBERS[(type(value), value)] = t
        share_number(t)
    return t


def check_broadcast(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    """Raise PyTorch's error if shapes ``a`` and ``b`` do not broadcast (checked from the last
    dimension backwards, numbered in the broadcast result, as PyTorch's infer_size)."""
    ndim = max(len(a), len(b))
    for i in range(ndim - 1, -1, -1):
        offset = ndim - 1 - i
        size_a = a[len(a) - 1 - offset] if offset < len(a) else 1
        size_b = b[len(b) - 1 - offset] if offset < len(b) else 1
        if size_a != size_b and size_a != 1 and size_b != 1:
            raise RuntimeError(f"The size of tensor a ({size_a}) must match the size of tensor "
                               f"b ({size_b}) at non-singleton dimension {i}")


def recording(*inputs: Tensor) -> bool:
    """True when an op on these inputs must record a node (grad mode on, some input needs grad)."""
    if _not_recording and not _grad_state.enabled:
        return False
    for t in inputs:
        if t._requires_grad or t.grad_fn is not None:
            return True
    return False


def needs(node: Node, i: int) -> bool:
    """Whether input ``i`` of ``node`` wants a gradient."""
    return node._next_nodes[i] is not None


# -- the one recording path ------------------------------------------------------------------------
def record(out: np.ndarray, node_cls: type[Node], inputs: tuple[Tensor, ...], /,
           **fields: Any) -> Tensor:
    """The output tensor of an op computed as ``out`` from ``inputs``, with its node.

    This is where every op decides whether to record: only when grad mode is on and some input
    requires grad. Then it makes a ``node_cls`` with an edge per input, and stores ``fields``
    on it: a field the class declares in ``_saved_fields`` is saved (tensors wrapped in
    ``SavedTensor``, ``RESULT`` standing for the output, a field of ``_saved_for`` kept only if
    the input it serves needs a gradient); any other is a plain attribute of the node (see
    ``_fields``). ``return record(np.exp(x), ExpBackward0, (input,), result=RESULT)`` is a
    whole op's tail.
    """
    if not _not_recording or _grad_state.enabled:
        for t in inputs:
            if t._requires_grad or t.grad_fn is not None:
                node = node_cls(inputs)
                output = _make(out, node)
                if fields:
                    if saved_tensors_hooks:
                        store_in_pytorch_order(node, fields, output)
                    else:
                        (_STORES.get(node_cls) or store_fields(node_cls))(node, fields, output)
                return output
    return _make(out, None)


def node_for(node_cls: type[Node], inputs: tuple[Tensor, ...], /,
             **fields: Any) -> Node | None:
    """The node an op records for ``inputs`` (with ``fields`` stored as ``record`` does), or
    None when nothing is recorded: for ops that attach it themselves (views, several outputs)."""
    if not _not_recording or _grad_state.enabled:
        for t in inputs:
            if t._requires_grad or t.grad_fn is not None:
                node = node_cls(inputs)
                if fields:
                    if saved_tensors_hooks:
                        store_in_pytorch_order(node, fields, None)
                    else:
                        store_fields(node_cls)(node, fields, None)
                return node
    return None


# -- NumPy's floating-point warnings -------------------------------------------------------------
# PyTorch computes inf and nan silently; NumPy warns (RuntimeWarning: overflow / invalid value /
# divide by zero). Ops that can produce them set NumPy's error state to "ignore" around their
# kernel. NumPy keeps that state in a context variable, and setting it directly costs ~0.2 us,
# against ~1.5 us for ``np.errstate``. Every such site restores it in a ``finally`` (free in
# Python 3.11 when nothing raises): an op that fails must not leave the user's NumPy silent.
#     token = quiet(IGNORE)
#     try:
#         out = kernel(...)
#     finally:
#         unquiet(token)
try:
    # (private NumPy names, absent from its type stubs)
    from numpy._core._ufunc_config import (  # type: ignore[attr-defined]
        _extobj_contextvar as QUIET, _make_extobj)
    IGNORE = _make_extobj(all="ignore")
except (ImportError, AttributeError, TypeError):  # another NumPy: the public (slower) API
    class _Seterr:
        @staticmethod
        def set(_: Any) -> dict:
            return dict(np.seterr(all="ignore"))

        @staticmethod
        def reset(token: dict) -> None:
            np.seterr(**token)

    QUIET = _Seterr()
    IGNORE = None

# bound once: ``token = quiet(IGNORE)`` ... ``unquiet(token)`` (two attribute lookups fewer on
# every op: ~0.18 us instead of ~0.35 us for the pair)
quiet = QUIET.set
unquiet = QUIET.reset


# -- in-place ops -------------------------------------------------------------------------------
LEAF_INPLACE_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_INPLACE_ERROR = ("a view of a leaf Variable that requires grad is being used in an "
                              "in-place operation.")
OVERLAP_ERROR = ("unsupported operation: more than one element of the written-to tensor refers to "
                 "a single memory location. Please clone() the tensor before performing the "
                 "operation.")


def check_inplace(self: Tensor, records: bool = True) -> None:
    """Refuse, before anything is written, an in-place change PyTorch refuses (only when the
    change is to be recorded, i.e. grad mode is on and some operand requires grad): to a leaf
    that requires grad, to a view of one, to a view made in no_grad mode, to one of the views a
    multi-output op (unbind, split, chunk) returned. An inference tensor is refused outside
    inference mode whatever the grad mode."""
    if records and (not _not_recording or _grad_state.enabled):
        _check_recorded_inplace(self)
    if type(self._vc) is not list and not grad_mode.is_inference_mode_enabled():
        raise RuntimeError(grad_mode.INFERENCE_INPLACE_ERROR)


def _check_recorded_inplace(self: Tensor) -> None:
    if self._base is not None and self._view_steps is not None:
        from .views import view_creation_error
        message = view_creation_error(self)
        if message is not None:
            raise RuntimeError(message)
        base = self._base
        if self.requires_grad and base.grad_fn is None:
            raise RuntimeError(VIEW_OF_LEAF_INPLACE_ERROR)
    if self._requires_grad and self.grad_fn is None:
        raise RuntimeError(LEAF_INPLACE_ERROR)


def inplace_records(self: Tensor, *others: Any) -> bool:
    """Whether an in-place op on ``self`` with ``others`` is recorded: grad mode is on and some
    operand requires grad. As in PyTorch, a view "requires grad" when its base does, even if it
    was made in no_grad mode (whose in-place change is then refused)."""
    if _not_recording and not _grad_state.enabled:
        return False
    if self._requires_grad or self.grad_fn is not None:
        return True
    for a in others:
        if isinstance(a, Tensor) and (a._requires_grad or a.grad_fn is not None):
            return True
    base = self._base
    return base is not None and (base._requires_grad or base.grad_fn is not None) and (
        self._view_steps is not None)


def check_cast(result_dtype: dtypes.dtype, self: Tensor) -> None:
    """An in-place result must fit the tensor's dtype: a float cannot go into an int tensor."""
    target = self.dtype
    if result_dtype._category > target._category:
        raise RuntimeError(f"result type {_scalar_type_name(result_dtype)} can't be cast to the "
                           f"desired output type {_scalar_type_name(target)}")


def check_writable(self: Tensor) -> None:
    """PyTorch refuses to write into a tensor whose elements share memory (an ``expand``)."""
    data = self._data
    if not data.flags.writeable:
        for n, st in zip(data.shape, data.strides):
            if st == 0 and n > 1:
                raise RuntimeError(OVERLAP_ERROR)


def apply_inplace(self: Tensor, out_of_place: Callable[..., Tensor], *args: Any,
                  ufunc: np.ufunc | None = None) -> Tensor:
    """Run ``out_of_place(self, *args)`` and write the result into ``self``.

    With grad recording, the op is recorded on a snapshot of ``self`` (same history, a copy of
    the old values), then ``self`` takes the new node as its ``grad_fn`` (PyTorch's "rebase
    history"): on a view, it is the view's base whose history is rewritten (``CopySlices``) and
    the view gets a fresh ``AsStridedBackward0``. When the node saved the old value of ``self``,
    that value is, as in PyTorch, a clone (``CloneBackward0``); a saved result is ``self``
    itself. Every in-place op bumps the version counter, which is how a later backward notices
    that a value it saved has changed.
    """
    records = inplace_records(self, *args)
    check_inplace(self, records)
    check_writable(self)
    if records:
        before = _make(self._data.copy(), self.grad_fn, self._output_nr)
        before._requires_grad = self._requires_grad
        out = out_of_place(before, *args)
        check_cast(out.dtype, self)
        _write(self, out._data)
        self._vc[0] += 1
        node = out.grad_fn
        if node is None:  # nothing differentiable came out (an integer result)
            from .views import refresh_views
            refresh_views(self)
            return self
        _adopt_saved(node, before, out, self)
        rebase_history(self, node)
        if self._base is not None and self._view_steps is not None:
            _saved_result_as_view(node, self)
    elif ufunc is not None and _computes_in_place(self, args):
        # ``p -= lr * p.grad``: the same values as below, without a temporary as big as self
        token = quiet(IGNORE)
        try:
            ufunc(self._data, args[0]._data, out=self._data)
        finally:
            unquiet(token)
        bump_version(self)
    else:
        out = out_of_place(self, *args)  # records nothing: see the condition above
        check_cast(out.dtype, self)
        _write(self, out._data)
        bump_version(self)
    return self


def _computes_in_place(self: Tensor, args: tuple) -> bool:
    """Whether a plain in-place ``ufunc(self, other)`` gives what the out-of-place op would:
    a float tensor and another of the same dtype and shape, self writable."""
    if len(args) != 1 or not isinstance(args[0], Tensor):
        return False
    other = args[0]
    return (self.dtype in _FLOATS and other.dtype is self.dtype
            and other._data.shape == self._data.shape and self._data.flags.writeable)


def _adopt_saved(node: Node, before: Tensor, out: Tensor, self: Tensor) -> None:
    """What the node of an in-place op saved, made what PyTorch saves: the old value of self
    as a recorded clone, the result as self's new memory and version."""
    cloned = False
    for _, saved in node.saved_tensors_items():
        if saved._is_output:
            if saved._data is out._data:
                saved._data = self._data
                saved._version_counter = self._vc
                saved.saved_version = self._vc[0]
        elif saved._tensor is before and not cloned and (before._requires_grad
                                                          or before.grad_fn is not None):
            from .pointwise import CloneBackward0
            clone_node = CloneBackward0((before,))
            before.grad_fn, before._output_nr, before._requires_grad = clone_node, 0, False
            cloned = True


def _saved_result_as_view(node: Node, self: Tensor) -> None:
    """After an in-place op on a view, the result the node saved is the view *with its new
    history* (AsStridedBackward0 -> CopySlices), as PyTorch's saved variables for in-place ops
    on views: the node itself is not part of the graph any more (CopySlices runs it)."""
    from ..autograd.node import SavedTensor
    for field in node._saved_fields:
        saved = getattr(node, "_s_" + field, None)
        if isinstance(saved, SavedTensor) and saved._is_output and saved._data is self._data:
            view = _make(self._data, self.grad_fn, self._output_nr)
            view._vc = self._vc
            setattr(node, "_s_" + field, SavedTensor(view))


def rebase_history(self: Tensor, node: Node) -> None:
    """``self`` was changed in place by the op recorded as ``node``: make that its history.

    On a view, the history of the base is rewritten instead (``CopySlices``) and every view of
    the base, this one included, gets a regenerated ``AsStridedBackward0``.
    """
    from .views import CopySlices, refresh_views
    if self._base is not None and self._view_steps is not None:
        base = self._base
        copy_slices = CopySlices.make(base, self, node)
        _move_retain_grad(base, copy_slices)
        base.grad_fn, base._output_nr, base._requires_grad = copy_slices, 0, False
        refresh_views(base)
        return
    _move_retain_grad(self, node)
    self.grad_fn, self._output_nr, self._requires_grad = node, 0, False
    refresh_views(self)


def _move_retain_grad(t: Tensor, node: Node) -> None:
    """``retain_grad()`` follows the tensor to its new history, as in PyTorch."""
    if t._retains_grad and t.grad_fn is not None:
        hooks = t.grad_fn._retain_grad_hooks
        if hooks is not None:
            hooks.pop(t._output_nr, None)
        node._set_retain_grad(0, t)


def bump_version(self: Tensor) -> None:
    """Count an in-place change that is not recorded in the graph (grad mode off, or nothing
    requires grad). Views of a base that requires grad see their ``grad_fn`` regenerated, as
    PyTorch does when it notices the new version."""
    self._vc[0] += 1
    base = self._base if self._base is not None else self
    if base._views is not None or (_BASE_OF_COUNTER and id(self._vc) in _BASE_OF_COUNTER):
        refresh_views(base)


def _write(self: Tensor, values: np.ndarray) -> None:
    data = self._data
    if values.shape != data.shape:
        try:
            np.broadcast_to(values, data.shape)
        except ValueError:
            raise RuntimeError(
                f"output with shape [{', '.join(map(str, data.shape))}] doesn't match "
                f"the broadcast shape [{', '.join(map(str, values.shape))}]") from None
    if not data.flags.writeable:  # a view of an expand that is itself free of overlap
        check_writable(self)
        data = data.view()
        data.flags.writeable = True
    np.copyto(data, values, casting="unsafe")


def sum_to(grad: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Sum a broadcast gradient back down to ``shape`` (the reverse of broadcasting)."""
    gshape = grad._data.shape
    if gshape == shape:
        return grad
    lead = len(gshape) - len(shape)
    dims = list(range(lead))
    for i, n in enumerate(shape):
        if n == 1 and gshape[lead + i] != 1:
            dims.append(lead + i)
    if not ((not _not_recording or _grad_state.enabled)
            and (grad._requires_grad or grad.grad_fn is not None)):
        # nothing to record (a plain backward): the same sum, without the two ops' machinery
        token = quiet(IGNORE)
        try:
            data = grad._data  # (to a 0-d tensor: a plain sum, as the recorded path's)
            out = np.asarray(data.sum() if not shape else data.sum(axis=tuple(dims),
                                                                    keepdims=True))
        finally:
            unquiet(token)
        out.shape = shape  # (the sum is a new array: reshaped in place, it owns its memory)
        return _make(out, None)
    reduction, shape_ops = _SUM_TO_OPS or _sum_to_ops()
    if not shape:  # to a 0-d tensor: a plain sum (SumBackward0), as PyTorch's sum_to
        return reduction.sum(grad)
    if dims:
        grad = reduction.sum(grad, dims, keepdim=True)
    if lead:
        grad = shape_ops.view(grad, shape)
    return grad


# the two op modules sum_to uses, imported on first use (they import this module); a function-
# level ``from . import`` would cost ~2 us on every call, and the engine calls it for every
# broadcast gradient
_SUM_TO_OPS: list = []


def _sum_to_ops() -> list:
    from . import reduction, shape as shape_ops
    _SUM_TO_OPS[:] = [reduction, shape_ops]
    return _SUM_TO_OPS


def shape_str(shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"
