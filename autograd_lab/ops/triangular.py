"""The triangles of a matrix: ``tril`` keeps what is on and below a diagonal, ``triu`` what is
on and above it; the rest becomes 0. A batch of matrices is the last two dimensions.

``diagonal`` says which diagonal: 0 the main one, k > 0 the k-th above it, k < 0 below it.
The derivative keeps the same triangle of the gradient (the zeroed elements did not depend on
the input), so each backward is the op itself, and a double backward records it again.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor
from ._core import apply_inplace, record


def check_diagonal(name: str, diagonal: Any, position: int = 2) -> int:
    """``diagonal`` as an int, or PyTorch's argument error (``position`` 1 for the Tensor
    method, whose ``self`` is not counted)."""
    if isinstance(diagonal, (bool, np.bool_)) or not isinstance(diagonal, (int, np.integer)):
        raise TypeError(f"{name}(): argument 'diagonal' (position {position}) must be int, not "
                        f"{type(diagonal).__name__}")
    return int(diagonal)


def _check(name: str, input: Tensor, diagonal: Any) -> int:
    k = check_diagonal(name, diagonal)
    if input._data.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return k


def _as_saved(diagonal: int) -> int:
    # PyTorch keeps the diagonal as a 64-bit integer and shows a negative one as unsigned
    return diagonal & 0xFFFFFFFFFFFFFFFF


class TrilBackward0(Node):
    """out = self.tril(diagonal)  ->  d/dself = grad.tril(diagonal)"""
    _saved_fields = ("diagonal",)
    explanation = Explanation(
        "{z} = tril({0}, {diagonal})", ("tril(g, {diagonal})",),
        both("{z} keeps {0} on and below diagonal {diagonal} and is 0 above it: the gradient "
             "goes back to the kept elements, and the zeroed ones get 0.",
             "{z} 保留 {0} 在第 {diagonal} 条对角线及其下方的元素，上方为 0：梯度回到保留的"
             "元素，被置零的元素得到 0。"))

    def apply(self, grad):
        return (tril(grad, self._s_diagonal),)

    @property
    def _saved_diagonal(self) -> int:
        return _as_saved(self._s_diagonal)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle of each matrix (last two dims): elements above ``diagonal`` set to 0."""
    k = _check("tril", input, diagonal)
    return record(np.tril(input._data, k), TrilBackward0, (input,), diagonal=k)


class TriuBackward0(Node):
    """out = self.triu(diagonal)  ->  d/dself = grad.triu(diagonal)"""
    _saved_fields = ("diagonal",)
    explanation = Explanation(
        "{z} = triu({0}, {diagonal})", ("triu(g, {diagonal})",),
        both("{z} keeps {0} on and above diagonal {diagonal} and is 0 below it: the gradient "
             "goes back to the kept elements, and the zeroed ones get 0.",
             "{z} 保留 {0} 在第 {diagonal} 条对角线及其上方的元素，下方为 0：梯度回到保留的"
             "元素，被置零的元素得到 0。"))

    def apply(self, grad):
        return (triu(grad, self._s_diagonal),)

    @property
    def _saved_diagonal(self) -> int:
        return _as_saved(self._s_diagonal)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of each matrix (last two dims): elements below ``diagonal`` set to 0."""
    k = _check("triu", input, diagonal)
    return record(np.triu(input._data, k), TriuBackward0, (input,), diagonal=k)


def _in_place(name: str, op: Callable[[Tensor, int], Tensor], self: Tensor,
              diagonal: Any) -> Tensor:
    # the argument first, then (as PyTorch) the in-place checks, then the dimensions: ``op``
    # raises those before anything is written
    k = check_diagonal(name + "_", diagonal, 1)
    return apply_inplace(self, op, k)


def tril_(self: Tensor, diagonal: int = 0) -> Tensor:
    """In-place ``tril``: zero the elements above ``diagonal``."""
    return _in_place("tril", tril, self, diagonal)


def triu_(self: Tensor, diagonal: int = 0) -> Tensor:
    """In-place ``triu``: zero the elements below ``diagonal``."""
    return _in_place("triu", triu, self, diagonal)


__all__ = ["tril", "triu", "tril_", "triu_"]
