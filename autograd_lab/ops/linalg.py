"""Products: dot, mm, mv, bmm, matmul, outer, addmm, linear.

``matmul`` dispatches exactly as PyTorch's ``at::matmul`` does (dot, mv, mm, a folded mm/mv, or
a broadcast bmm), so ``(a @ b).grad_fn`` and the graph below it carry PyTorch's node names;
``linear`` is ``addmm`` for a 2-D input (AddmmBackward0 over TBackward0 of the weight), as in
``F.linear``.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..autograd.explanation import BROADCAST, Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make, _scalar_type_name
from ._core import IGNORE, needs, quiet, record, unquiet
from . import pointwise, shape as shape_ops


class DotBackward0(Node):
    """out = self . tensor  ->  d/dself = grad * tensor, d/dtensor = grad * self"""
    _saved_fields = ("self", "tensor")
    _saved_for = {"self": 1, "tensor": 0}
    explanation = Explanation("{z} = dot({0}, {1})", ("g · {1}", "g · {0}"))

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
    token = quiet(IGNORE)  # inf * 0 is nan, silently, as in PyTorch
    try:
        out = np.asarray(np.dot(a, b))
    finally:
        unquiet(token)
    return record(out, DotBackward0, (input, tensor), self=input, tensor=tensor)


def _strides(t: Tensor) -> tuple[int, ...]:
    """A tensor's strides in elements, as PyTorch reports them (views share NumPy's)."""
    data = t._data
    return tuple(s // data.itemsize for s in data.strides) if data.itemsize else ()


def _column_major(sizes: tuple[int, ...], strides: tuple[int, ...]) -> bool:
    return len(strides) == 2 and strides[0] == 1 and strides[1] == sizes[0]


def _times(t: Tensor, alpha: Any) -> Tensor:
    """PyTorch's ``maybe_multiply``: ``t * alpha`` (number overload), unless alpha is 1."""
    return t if alpha == 1 else pointwise.mul_scalar(t, alpha)


def mm_mat1_backward(grad: Tensor, mat2: Tensor, sizes: tuple, strides: tuple,
                     alpha: Any = 1) -> Tensor:
    """d(mat1 @ mat2)/dmat1: ``grad @ mat2.t()``; for a column-major mat1 PyTorch computes
    ``(mat2 @ grad.t()).t()`` instead (same values, a column-major gradient)."""
    if _column_major(sizes, strides):
        return _times(shape_ops.t(mm(mat2, shape_ops.t(grad))), alpha)
    return _times(mm(grad, shape_ops.t(mat2)), alpha)


def mm_mat2_backward(grad: Tensor, mat1: Tensor, sizes: tuple, strides: tuple,
                     alpha: Any = 1) -> Tensor:
    """d(mat1 @ mat2)/dmat2: ``mat1.t() @ grad``; ``(grad.t() @ mat1).t()`` for a column-major
    mat2 (``W.t()`` in ``F.linear``), as PyTorch."""
    if _column_major(sizes, strides):
        return _times(shape_ops.t(mm(shape_ops.t(grad), mat1)), alpha)
    return _times(mm(shape_ops.t(mat1), grad), alpha)


class MmBackward0(Node):
    """out = self @ mat2 (matrices)  ->  d/dself = grad @ mat2.t(), d/dmat2 = self.t() @ grad"""
    _saved_fields = ("mat2", "mat2_sym_sizes", "mat2_sym_strides", "self", "self_sym_sizes",
                     "self_sym_strides")
    _saved_for = {"self": 1, "mat2": 0}  # each for the other's gradient
    explanation = Explanation("{z} = {0} @ {1}", ("g @ {1}ᵀ", "{0}ᵀ @ g"))

    def apply(self, grad):
        # PyTorch's generated backwards compute the inputs' gradients in alphabetical order of
        # their names (mat2 before self): the order their nodes are created in, which decides
        # the order of accumulation in a later, higher-order backward
        grad_self = grad_mat2 = None
        if needs(self, 1):
            grad_mat2 = mm_mat2_backward(grad, self._s_self.unpack(self), self._s_mat2_sym_sizes,
                                         self._s_mat2_sym_strides)
        if needs(self, 0):
            grad_self = mm_mat1_backward(grad, self._s_mat2.unpack(self), self._s_self_sym_sizes,
                                         self._s_self_sym_strides)
        return grad_self, grad_mat2


_C_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
                 "int64": "long int", "int32": "int", "int16": "short int",
                 "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


def _check_same_dtype(a: Tensor, b: Tensor) -> None:
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_C_TYPE_NAMES[a.dtype.name]} != {_C_TYPE_NAMES[b.dtype.name]}")


def _mm_strides(mat: Tensor) -> tuple[int, ...]:
    """The strides mm and addmm save for a matrix: its own if it requires grad, else ``()``
    (as PyTorch)."""
    return _strides(mat) if mat.requires_grad else ()


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
    token = quiet(IGNORE)
    try:
        out = a @ b
    finally:
        unquiet(token)
    return record(out, MmBackward0, (input, mat2), self=input, mat2=mat2,
                  self_sym_sizes=a.shape, self_sym_strides=_mm_strides(input),
                  mat2_sym_sizes=b.shape, mat2_sym_strides=_mm_strides(mat2))


class MvBackward0(Node):
    """out = self @ vec  ->  d/dself = outer(grad, vec) (``grad.reshape(n, 1) * vec``, as
    PyTorch's ``outer``), d/dvec = self.T @ grad"""
    _saved_fields = ("self", "vec")
    _saved_for = {"self": 1, "vec": 0}
    explanation = Explanation("{z} = {0} @ {1}", ("outer(g, {1})", "{0}ᵀ @ g"))

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
    if a.ndim == 0:  # PyTorch reads the matrix's first size before checking the ranks
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x"
                           f"{a.shape[1]}), vec ({v.shape[0]})")
    if input.dtype is not vec.dtype:
        # mv is addmv into a result of vec's dtype: PyTorch names the three dtypes
        names = [_scalar_type_name(d) for d in (vec.dtype, input.dtype, vec.dtype)]
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                           f"{names[0]}, {names[1]}, and {names[2]}")
    token = quiet(IGNORE)
    try:
        out = a @ v
    finally:
        unquiet(token)
    return record(out, MvBackward0, (input, vec), self=input, vec=vec)


# -- bmm ---------------------------------------------------------------------------------------
class BmmBackward0(Node):
    """out = self @ mat2 per batch  ->  d/dself = grad.bmm(mat2.transpose(1, 2)),
    d/dmat2 = self.transpose(1, 2).bmm(grad)"""
    _saved_fields = ("mat2", "self")
    _saved_for = {"self": 1, "mat2": 0}
    explanation = Explanation("{z} = bmm({0}, {1})", ("g @ {1}ᵀ", "{0}ᵀ @ g"),
                              both("Each matrix of the batch on its own.", "批中的每个矩阵各自计算。"))

    def apply(self, grad):
        grad_self = grad_mat2 = None
        if needs(self, 1):  # mat2 before self, as PyTorch (see MmBackward0)
            grad_mat2 = bmm(shape_ops.transpose(self._s_self.unpack(self), 1, 2), grad)
        if needs(self, 0):
            grad_self = bmm(grad, shape_ops.transpose(self._s_mat2.unpack(self), 1, 2))
        return grad_self, grad_mat2


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched matrix product of two 3-D tensors with the same batch size (no broadcasting)."""
    a, b = input._data, mat2._data
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if b.shape[0] != a.shape[0] or b.shape[1] != a.shape[2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    if input.dtype is not mat2.dtype:
        raise RuntimeError(f"expected scalar type {_scalar_type_name(input.dtype)} but found "
                           f"{_scalar_type_name(mat2.dtype)}")
    token = quiet(IGNORE)
    try:
        out = np.matmul(a, b)
    finally:
        unquiet(token)
    return record(out, BmmBackward0, (input, mat2), self=input, mat2=mat2)


# -- matmul: PyTorch's dispatch, step by step ------------------------------------------------
def _unsafe_view(input: Tensor, shape: Sequence[int]) -> Tensor:
    """A reshape of a fresh result that is not recorded as a view (``UnsafeViewBackward0``)."""
    data = input._data.reshape(tuple(shape))
    return record(data, shape_ops.UnsafeViewBackward0, (input,), self_sym_sizes=input._data.shape)


def _reshape(input: Tensor, shape: Sequence[int]) -> Tensor:
    """PyTorch's ``reshape``: a view when the memory allows (ViewBackward0), else a contiguous
    copy reshaped (UnsafeViewBackward0 over CloneBackward0)."""
    shape = tuple(shape)
    probe = input._data.view()
    try:
        probe.shape = shape
    except AttributeError:
        return _unsafe_view(pointwise.clone(input), shape)
    return shape_ops.view(input, shape)


def _mT(input: Tensor) -> Tensor:
    return shape_ops.transpose(input, -2, -1)


def _should_fold(tensor1: Tensor, tensor2: Tensor) -> bool:
    """PyTorch's ``should_fold``: multiply a >=3-D tensor by a 1-D/2-D one with a single mm/mv
    over the folded batch, when that needs no copy or when the small operand requires grad."""
    larger_first = tensor1._data.ndim >= tensor2._data.ndim
    t1 = tensor1._data if larger_first else np.swapaxes(tensor2._data, -1, -2)
    dim_t2 = tensor2._data.ndim if larger_first else tensor1._data.ndim
    if not (t1.ndim >= 3 and dim_t2 <= 2):
        return False
    if (tensor2 if larger_first else tensor1).requires_grad:
        return True
    if tensor1._data.ndim == 2:
        return False
    if t1.size == 0:
        return True
    shape = t1.shape
    strides = [s // t1.itemsize for s in t1.strides]
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(t1.ndim - 2))


def _broadcast_batch(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """The broadcast of two batch shapes, with PyTorch's ``infer_size`` message."""
    n = max(len(a), len(b))
    out = []
    for i in range(n):
        da = a[i - n + len(a)] if i - n + len(a) >= 0 else 1
        db = b[i - n + len(b)] if i - n + len(b) >= 0 else 1
        if da != db and da != 1 and db != 1:
            raise RuntimeError(f"The size of tensor a ({da}) must match the size of tensor b "
                               f"({db}) at non-singleton dimension {i}")
        out.append(db if da == 1 else da)
    return tuple(out)


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """``input @ other`` for any pair of at-least-1-D tensors, broadcasting batch dimensions.

    1-D @ 1-D is ``dot``, 2-D @ 1-D ``mv``, 1-D @ 2-D ``mm`` of the vector as a row (then
    squeezed in place), 2-D @ 2-D ``mm``. Beyond that, as PyTorch: a >=3-D tensor times a
    1-D/2-D one is folded into one ``mm``/``mv`` when possible (ViewBackward0 ->
    MmBackward0 -> UnsafeViewBackward0), otherwise both are expanded to the broadcast batch
    shape, flattened to 3-D and multiplied with ``bmm``.
    """
    d1, d2 = input._data.ndim, other._data.ndim
    if d1 == 0 or d2 == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{d1}D and {d2}D")
    if d1 == 1 and d2 == 1:
        return dot(input, other)
    if d1 == 2 and d2 == 1:
        return mv(input, other)
    if d1 == 1 and d2 == 2:
        # as PyTorch: squeezed in place, so the result's node is SqueezeBackward4
        return shape_ops.squeeze_(mm(shape_ops.unsqueeze(input, 0), other), 0)
    if d1 == 2 and d2 == 2:
        return mm(input, other)
    if _should_fold(input, other):
        transpose = d2 > d1
        t1 = _mT(other) if transpose else input
        t2 = (shape_ops.t(input) if d1 == 2 else input) if transpose else other
        sizes1 = t1._data.shape
        output_shape = list(sizes1[:-1])
        folded = int(np.prod(output_shape))
        if t2._data.ndim == 2:
            output_shape.append(t2._data.shape[1])
            out = _unsafe_view(mm(_reshape(t1, (folded, sizes1[-1])), t2), output_shape)
            return _mT(out).contiguous() if transpose else out
        return _unsafe_view(mv(_reshape(t1, (folded, sizes1[-1])), t2), output_shape)
    s1, s2 = input._data.shape, other._data.shape
    n = s1[-2] if d1 > 1 else 1
    m1 = s1[-1]
    batch1 = s1[:max(d1 - 2, 0)]
    m2 = s2[-2] if d2 > 1 else s2[0]
    p = s2[-1] if d2 > 1 else 1
    batch2 = s2[:max(d2 - 2, 0)]
    if d1 == 3 and d2 == 3 and batch1[0] != batch2[0]:
        # a batch of one that requires grad is squeezed so the fold path can take it
        if batch1[0] == 1 and input.requires_grad:
            return matmul(shape_ops.squeeze(input, 0), other)
        if batch2[0] == 1 and other.requires_grad:
            return matmul(input, shape_ops.squeeze(other, 0))
    batch = _broadcast_batch(batch1, batch2)
    count = int(np.prod(batch))
    t1 = _reshape(shape_ops.expand(input, batch + (n, m1)), (count, n, m1))
    vector_rhs = d2 == 1
    if vector_rhs:
        t2 = shape_ops.unsqueeze(_reshape(shape_ops.expand(other, batch + (m2,)), (count, m2)), 2)
    else:
        t2 = _reshape(shape_ops.expand(other, batch + (m2, p)), (count, m2, p))
    out_shape = batch + ((n,) if d1 > 1 else ()) + ((p,) if d2 > 1 else ())
    out = bmm(t1, t2)
    if vector_rhs:
        out = shape_ops.squeeze(out, -1)
    return _unsafe_view(out, out_shape)


# -- outer -------------------------------------------------------------------------------------
def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """Outer product of two vectors: ``input.reshape(-1, 1) * vec2`` (how PyTorch computes it,
    so its graph is MulBackward0 over ViewBackward0)."""
    for name, t in (("self", input), ("vec2", vec2)):
        if t._data.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got "
                               f"{t._data.ndim}-D")
    return pointwise.mul(_reshape(input, (input._data.shape[0], 1)), vec2)


# -- addmm / linear ----------------------------------------------------------------------------
class AddmmBackward0(Node):
    """out = beta * self + alpha * (mat1 @ mat2)  ->  d/dself = beta * grad (summed back to
    self's shape by the engine), d/dmat1 = alpha * grad @ mat2.t(),
    d/dmat2 = alpha * mat1.t() @ grad"""
    _saved_fields = ("alpha", "beta", "mat1", "mat1_sym_sizes", "mat1_sym_strides", "mat2",
                     "mat2_sym_sizes", "mat2_sym_strides")
    _saved_for = {"mat1": 2, "mat2": 1}  # each for the other's gradient
    explanation = Explanation("{z} = {beta}{0} + {alpha}{1} @ {2}",
                              ("{beta}g", "{alpha}g @ {2}ᵀ", "{alpha}{1}ᵀ @ g"), BROADCAST)

    def apply(self, grad):
        grad_self = grad_mat1 = grad_mat2 = None
        # in alphabetical order of the inputs' names, as PyTorch (see MmBackward0)
        if needs(self, 1):
            grad_mat1 = mm_mat1_backward(grad, self._s_mat2.unpack(self), self._s_mat1_sym_sizes,
                                         self._s_mat1_sym_strides, self._s_alpha)
        if needs(self, 2):
            grad_mat2 = mm_mat2_backward(grad, self._s_mat1.unpack(self), self._s_mat2_sym_sizes,
                                         self._s_mat2_sym_strides, self._s_alpha)
        if needs(self, 0):
            grad_self = _times(grad, self._s_beta)
        return grad_self, grad_mat1, grad_mat2


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1
          ) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)``; ``input`` broadcasts to the product's shape."""
    if input.dtype is not mat2.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                           f"{_scalar_type_name(input.dtype)} and "
                           f"{_scalar_type_name(mat2.dtype)}")
    if mat1.dtype is not mat2.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                           f"{_scalar_type_name(mat1.dtype)} and {_scalar_type_name(mat2.dtype)}")
    a, b = mat1._data, mat2._data
    if a.ndim != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {a.ndim}-D tensor")
    if b.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix, got {b.ndim}-D tensor")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x"
                           f"{a.shape[1]} and {b.shape[0]}x{b.shape[1]})")
    target = (a.shape[0], b.shape[1])
    # the bias must broadcast to the product: expand's own check and message
    bias = shape_ops.expand(_make(input._data, None), target)._data
    token = quiet(IGNORE)
    try:
        prod = a @ b
        if alpha != 1:
            prod = prod * np.asarray(alpha, dtype=prod.dtype)
        if beta == 0:
            out = prod.copy() if prod.base is not None else prod
        elif beta == 1:
            out = bias + prod
        else:
            out = np.asarray(beta, dtype=prod.dtype) * bias + prod
    finally:
        unquiet(token)
    out = np.ascontiguousarray(out, dtype=prod.dtype)
    return record(out, AddmmBackward0, (input, mat1, mat2), alpha=alpha, beta=beta, mat1=mat1,
                  mat2=mat2, mat1_sym_sizes=mat1._data.shape, mat1_sym_strides=_mm_strides(mat1),
                  mat2_sym_sizes=mat2._data.shape, mat2_sym_strides=_mm_strides(mat2))


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.t() + bias``, dispatched as PyTorch's ``F.linear``: ``addmm`` for a 2-D
    input; a contiguous N-D input is flattened to 2-D around an ``addmm`` (ViewBackward0 on
    both sides); otherwise ``matmul`` followed by an in-place ``add_`` of the bias."""
    di, dw = input._data.ndim, weight._data.ndim
    if di == 0 or dw == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are "
                           f"{di}D and {dw}D")
    if bias is not None:
        if di == 2:
            return addmm(bias, input, shape_ops.t(weight))
        bias_fusable = ((bias._data.ndim == 1 or sum(s != 1 for s in bias._data.shape) == 1)
                        and bias._data.flags.c_contiguous)
        if bias_fusable and input._data.flags.c_contiguous:
            sizes = input._data.shape
            flat = _reshape(input, (int(np.prod(sizes[:-1])), sizes[-1]))
            out = addmm(bias, flat, shape_ops.t(weight))
            return shape_ops.view(out, sizes[:-1] + (out._data.shape[1],))
    out = matmul(input, shape_ops.t(weight))
    if bias is not None:
        out = pointwise.add_(out, bias)
    return out


__all__ = ["dot", "mm", "mv", "bmm", "matmul", "outer", "addmm", "linear"]
