"""embedding: rows of a weight matrix picked by integer indices (a lookup table).

``embedding(weight, indices)`` gives ``weight[indices]`` recorded as one op, EmbeddingBackward0,
as PyTorch does (plain indexing ``C[X]`` records IndexBackward0 instead). Its backward adds each
incoming row of the gradient into the row it came from (``embedding_dense_backward``, recorded
as EmbeddingDenseBackwardBackward0, whose own backward picks rows again), skipping
``padding_idx`` and, with ``scale_grad_by_freq``, dividing by how often each index occurs.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..autograd.explanation import DOUBLE_BACKWARD, Explanation, both, joined
from ..autograd.node import Node
from ..tensor import Tensor, _scalar_type_name
from ._core import needs, record
from . import pointwise, shape as shape_ops
from .gather import index_select


def _unsigned(value: int) -> int:
    # PyTorch keeps padding_idx as a SymInt and shows -1 as an unsigned 64-bit number
    return value & 0xFFFFFFFFFFFFFFFF


class EmbeddingBackward0(Node):
    """out = weight[indices]  ->  d/dweight = embedding_dense_backward(grad, indices, ...)"""
    __slots__ = ("weight_sym_argsize_0",)
    _saved_fields = ("indices", "padding_idx", "scale_grad_by_freq", "sparse")
    explanation = Explanation(
        "{z} = {0}[{indices}]",
        (both("zeros shaped like {0}, with each row of g added to the row it was picked from",
              "形状同 {0} 的零张量，g 的每一行加回到它被取出的那一行"),),
        both("{z} holds the rows of {0} that {indices} picks: a row picked several times gets "
             "the sum of their gradients.",
             "{z} 由 {0} 中被 {indices} 选中的行组成：被选中多次的行得到这几份梯度之和。"))

    def apply(self, grad):
        return (embedding_dense_backward(grad, self._s_indices.unpack(self),
                                         self.weight_sym_argsize_0, self._s_padding_idx,
                                         self._s_scale_grad_by_freq),)

    @property
    def _saved_padding_idx(self) -> int:
        return _unsigned(self._s_padding_idx)

    @property
    def _saved_weight_sym_argsize_0(self) -> int:
        return self.weight_sym_argsize_0


def _check_indices(indices: Tensor) -> np.ndarray:
    if indices.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           "following scalar types: Long, Int; but got "
                           f"torch.{_scalar_type_name(indices.dtype)}Tensor instead (while "
                           "checking arguments for embedding)")
    return indices._data


def embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """The rows of the 2-D ``weight`` at ``indices`` (any shape): shape ``indices.shape +
    (weight.shape[1],)``."""
    idx = _check_indices(indices)
    if weight._data.ndim != 2:
        raise RuntimeError(f"'weight' must be 2-D")
    n = weight._data.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise IndexError("index out of range in self")
    out = weight._data[idx]
    return record(out, EmbeddingBackward0, (weight,), indices=indices, padding_idx=padding_idx,
                  scale_grad_by_freq=scale_grad_by_freq, sparse=sparse,
                  weight_sym_argsize_0=n)


class EmbeddingDenseBackwardBackward0(Node):
    """out = rows of grad_output added into a (num_weights, D) matrix  ->
    d/dgrad_output = grad[indices] (padding rows zero)"""
    _saved_fields = ("indices", "padding_idx")
    explanation = Explanation(
        "{z} = embedding_dense_backward({0}, {indices})",
        (both("the rows of g at {indices}", "g 在 {indices} 处的各行"),),
        joined(DOUBLE_BACKWARD,
               both("This is embedding's derivative: {z} adds each row of {0}, the gradient that "
                    "reached embedding, into the row of the weight that {indices} picked.",
                    "这是 embedding 的导数：{z} 把 {0}（到达 embedding 的梯度）的每一行加到 "
                    "{indices} 所取的那一行权重上。")))

    def apply(self, grad):
        if not needs(self, 0):
            return (None,)
        indices = self._s_indices.unpack(self)
        flat = shape_ops.reshape(indices, (-1,))
        picked = index_select(grad, 0, flat)
        out = shape_ops.view(picked, tuple(indices._data.shape) + (grad._data.shape[1],))
        if self._s_padding_idx >= 0:
            mask = shape_ops.unsqueeze(pointwise.eq(indices, self._s_padding_idx), -1)
            out = pointwise.masked_fill(out, mask, 0)
        return (out,)

    @property
    def _saved_padding_idx(self) -> int:
        return _unsigned(self._s_padding_idx)


def embedding_dense_backward(grad_output: Tensor, indices: Tensor, num_weights: int,
                             padding_idx: int, scale_grad_by_freq: bool) -> Tensor:
    """The gradient of ``embedding`` w.r.t. its weight: each row of ``grad_output`` added
    into row ``indices[...]`` of a zero (num_weights, D) matrix."""
    g = grad_output._data
    idx = indices._data.reshape(-1)
    rows = g.reshape(idx.size, g.shape[-1])
    if scale_grad_by_freq:
        counts = np.bincount(idx, minlength=num_weights)
        rows = rows / counts[idx][:, None].astype(g.dtype)
    if padding_idx >= 0:
        keep = idx != padding_idx
        idx, rows = idx[keep], rows[keep]
    out = np.zeros((num_weights, g.shape[-1]), dtype=g.dtype)
    np.add.at(out, idx, rows)
    return record(out, EmbeddingDenseBackwardBackward0, (grad_output,), indices=indices,
                  padding_idx=padding_idx)


def embedding_renorm_(weight: Tensor, indices: Tensor, max_norm: float, norm_type: float
                      ) -> Tensor:
    """Rescale, in place and unrecorded, each row of ``weight`` named in ``indices`` whose
    ``norm_type``-norm exceeds ``max_norm`` to norm ``max_norm`` (what ``max_norm=`` does)."""
    from ..ops._core import bump_version
    w = weight._data
    for i in np.unique(_check_indices(indices)):
        norm = np.linalg.norm(w[i].astype(np.float64), ord=norm_type)
        if norm > max_norm:
            w[i] *= w.dtype.type(max_norm / (norm + 1e-7))
    bump_version(weight)
    return weight


__all__ = ["embedding", "embedding_dense_backward", "embedding_renorm_"]
