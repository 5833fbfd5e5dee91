"""Products: dot, mm, mv, matmul."""
from __future__ import annotations

import numpy as np

from ..autograd.node import Node, SavedTensor
from ..tensor import Tensor, _make, _scalar_type_name
from ._core import needs, recording, result
from . import pointwise, shape as shape_ops


class DotBackward0(Node):
    """out = self . tensor  ->  d/dself = grad * tensor, d/dtensor = grad * self"""
    __slots__ = ("_s_self", "_s_tensor")
    _saved_fields = ("self", "tensor")

    def apply(self, grad):
        return (pointwise.mul(grad, self._s_tensor.unpack(self)) if needs(self, 0) else None,
                pointwise.mul(grad, self._s_self.unpack(self)) if needs(self, 1) else None)


def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """Inner product of two 1-D tensors of the same length and dtype."""
    a, b = input._data, tensor._data
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if input.dtype is not tensor.dtype:
        raise RuntimeError("dot : expected both vectors to have same dtype, but found "
                           f"{_scalar_type_name(input.dtype)} and "
                           f"{_scalar_type_name(tensor.dtype)}")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
            f"to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} "
            "elements respectively")
    out = np.asarray(np.dot(a, b))
    if recording(input, tensor):
        node = DotBackward0((input, tensor))
        node._s_self = SavedTensor(input) if needs(node, 1) else None
        node._s_tensor = SavedTensor(tensor) if needs(node, 0) else None
        return result(out, node)
    return _make(out, None)


class MmBackward0(Node):
    """out = self @ mat2 (matrices)  ->  d/dself = grad @ mat2.T, d/dmat2 = self.T @ grad"""
    __slots__ = ("_s_self", "_s_mat2")
    _saved_fields = ("self", "mat2")

    def apply(self, grad):
        grad_self = grad_mat2 = None
        if needs(self, 0):
            grad_self = mm(grad, shape_ops.t(self._s_mat2.unpack(self)))
        if needs(self, 1):
            grad_mat2 = mm(shape_ops.t(self._s_self.unpack(self)), grad)
        return grad_self, grad_mat2


def _check_same_dtype(a: Tensor, b: Tensor) -> None:
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{a.dtype.name.replace('float32', 'float')} != "
                           f"{b.dtype.name.replace('float32', 'float')}")


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Matrix product of two 2-D tensors."""
    a, b = input._data, mat2._data
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x"
                           f"{a.shape[1]} and {b.shape[0]}x{b.shape[1]})")
    _check_same_dtype(input, mat2)
    out = a @ b
    if recording(input, mat2):
        node = MmBackward0((input, mat2))
        node._s_self = SavedTensor(input) if needs(node, 1) else None
        node._s_mat2 = SavedTensor(mat2) if needs(node, 0) else None
        return result(out, node)
    return _make(out, None)


class MvBackward0(Node):
    """out = self @ vec  ->  d/dself = outer(grad, vec) (``grad.reshape(n, 1) * vec``, as
    PyTorch's ``outer``), d/dvec = self.T @ grad"""
    __slots__ = ("_s_self", "_s_vec")
    _saved_fields = ("self", "vec")

    def apply(self, grad):
        grad_self = grad_vec = None
        if needs(self, 0):
            vec = self._s_vec.unpack(self)
            grad_self = pointwise.mul(shape_ops.reshape(grad, (grad._data.shape[0], 1)), vec)
        if needs(self, 1):
            grad_vec = mv(shape_ops.t(self._s_self.unpack(self)), grad)
        return grad_self, grad_vec


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix-vector product."""
    a, v = input._data, vec._data
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x"
                           f"{a.shape[1]}), vec ({v.shape[0]})")
    _check_same_dtype(input, vec)
    out = a @ v
    if recording(input, vec):
        node = MvBackward0((input, vec))
        node._s_self = SavedTensor(input) if needs(node, 1) else None
        node._s_vec = SavedTensor(vec) if needs(node, 0) else None
        return result(out, node)
    return _make(out, None)


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """``input @ other`` for 1-D and 2-D operands (dot, mv, mm, and a vector times a matrix)."""
    da, db = input._data.ndim, other._data.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{da}D and {db}D")
    if da == 1 and db == 1:
        return dot(input, other)
    if da == 2 and db == 1:
        return mv(input, other)
    if da == 1 and db == 2:
        # as PyTorch: squeezed in place, so the result's node is SqueezeBackward4
        return shape_ops.squeeze_(mm(shape_ops.unsqueeze(input, 0), other), 0)
    if da == 2 and db == 2:
        return mm(input, other)
    raise NotImplementedError("batched matmul (more than 2 dimensions) is not supported yet")


__all__ = ["dot", "mm", "mv", "matmul"]
