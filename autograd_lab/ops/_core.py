"""What every op shares: turning operands into tensors, recording a node, in-place updates."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import dtypes
from ..autograd import grad_mode
from ..autograd.node import Node
from ..tensor import Tensor, _make, _scalar_type_name

_grad_state = grad_mode.state


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
    return t


def as_tensor_operand(value: Any) -> Tensor:
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (bool, int, float, np.number, np.bool_)):
        return wrap_scalar(value)
    raise TypeError(f"unsupported operand type: {type(value).__name__}")


def binary_operands(input: Any, other: Any) -> tuple[Tensor, Tensor, np.ndarray, np.ndarray,
                                                       dtypes.dtype]:
    """Both operands as tensors, their arrays cast to the promoted dtype, and that dtype.

    Shapes that do not broadcast are refused here, with PyTorch's message, for every op."""
    if isinstance(input, Tensor) and isinstance(other, Tensor) and input.dtype is other.dtype:
        if input._data.shape != other._data.shape:
            check_broadcast(input._data.shape, other._data.shape)
        return input, other, input._data, other._data, input.dtype
    rd = dtypes.result_type(input, other)
    a = as_tensor_operand(input)
    b = as_tensor_operand(other)
    if a._data.shape != b._data.shape:
        check_broadcast(a._data.shape, b._data.shape)
    da = a._data if a.dtype is rd else a._data.astype(rd.np)
    db = b._data if b.dtype is rd else b._data.astype(rd.np)
    return a, b, da, db, rd


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
    if not _grad_state.enabled:
        return False
    for t in inputs:
        if t._requires_grad or t.grad_fn is not None:
            return True
    return False


def result(data: np.ndarray, node: Node | None) -> Tensor:
    """The output tensor of an op, attached to ``node`` (None when nothing is recorded)."""
    return _make(data, node)


def needs(node: Node, i: int) -> bool:
    """Whether input ``i`` of ``node`` wants a gradient."""
    return node.next_functions[i][0] is not None


# -- in-place ops -------------------------------------------------------------------------------
LEAF_INPLACE_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_INPLACE_ERROR = ("a view of a leaf Variable that requires grad is being used in an "
                              "in-place operation.")


VIEW_INPLACE_NOT_SUPPORTED = (
    "an in-place operation on a view that has to be recorded in the graph (PyTorch's "
    "CopySlices) is not supported yet")


def check_inplace(self: Tensor, records: bool = False) -> None:
    """Refuse, before anything is written, an in-place change PyTorch refuses: to a leaf that
    requires grad, or to a view of one (both allowed under no_grad).

    ``records``: the op will be recorded in the graph. On a view, PyTorch then rewrites the
    history of the view's base too (CopySlices), which this engine does not do yet: refuse
    rather than compute a wrong gradient.
    """
    if not _grad_state.enabled:
        return
    base = self._base
    if base is not None:
        if base._requires_grad and base.grad_fn is None:
            raise RuntimeError(VIEW_OF_LEAF_INPLACE_ERROR)
        if records:
            raise NotImplementedError(VIEW_INPLACE_NOT_SUPPORTED)
    elif self._requires_grad and self.grad_fn is None:
        raise RuntimeError(LEAF_INPLACE_ERROR)


def check_cast(result_dtype: dtypes.dtype, self: Tensor) -> None:
    """An in-place result must fit the tensor's dtype: a float cannot go into an int tensor."""
    target = self.dtype
    if result_dtype._category > target._category:
        raise RuntimeError(f"result type {_scalar_type_name(result_dtype)} can't be cast to the "
                           f"desired output type {_scalar_type_name(target)}")


def apply_inplace(self: Tensor, out_of_place: Callable[..., Tensor], *args: Any) -> Tensor:
    """Run ``out_of_place(self, *args)`` and write the result into ``self``.

    With grad recording, the op is recorded on a snapshot of ``self`` (same history, a copy of
    the old values, so whatever the node saves stays valid), then ``self`` takes the new node as
    its ``grad_fn``: PyTorch's "rebase history". Every in-place op bumps the version counter,
    which is how a later backward notices that a value it saved has changed.
    """
    other_needs_grad = any(isinstance(a, Tensor) and a.requires_grad for a in args)
    records = _grad_state.enabled and (self.requires_grad or other_needs_grad)
    check_inplace(self, records)
    if records:
        before = _make(self._data.copy(), self.grad_fn, self._output_nr)
        before._requires_grad = self._requires_grad
        out = out_of_place(before, *args)
        check_cast(out.dtype, self)
        _write(self, out._data)
        self.grad_fn = out.grad_fn
        self._output_nr = 0
        self._requires_grad = False
    else:
        out = out_of_place(self, *args)  # records nothing: see the condition above
        check_cast(out.dtype, self)
        _write(self, out._data)
    self._vc.value += 1
    return self


def _write(self: Tensor, values: np.ndarray) -> None:
    if values.shape != self._data.shape:
        try:
            np.broadcast_to(values, self._data.shape)
        except ValueError:
            raise RuntimeError(
                f"output with shape [{', '.join(map(str, self._data.shape))}] doesn't match "
                f"the broadcast shape [{', '.join(map(str, values.shape))}]") from None
    np.copyto(self._data, values, casting="unsafe")


def sum_to(grad: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Sum a broadcast gradient back down to ``shape`` (the reverse of broadcasting)."""
    from . import reduction, shape as shape_ops
    gshape = grad._data.shape
    if gshape == shape:
        return grad
    if not shape:  # to a 0-d tensor: a plain sum (SumBackward0), as PyTorch's sum_to
        return reduction.sum(grad)
    lead = len(gshape) - len(shape)
    dims = list(range(lead))
    for i, n in enumerate(shape):
        if n == 1 and gshape[lead + i] != 1:
            dims.append(lead + i)
    if dims:
        grad = reduction.sum(grad, dims, keepdim=True)
    if lead:
        grad = shape_ops.view(grad, shape)
    return grad


def shape_str(shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"
