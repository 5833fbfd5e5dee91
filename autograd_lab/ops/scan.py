"""Running sums and products along a dim (cumsum, cumprod) and flip.

Derivatives, as PyTorch's (FunctionsManual.cpp):

* flip: flip the gradient back (FlipBackward0);
* cumsum: the reversed cumulative sum of the gradient, ``grad.flip(d).cumsum(d).flip(d)``;
* cumprod: without zeros ``reversed_cumsum(result * grad) / self``; with zeros, when a graph is
  being recorded, PyTorch's O(n^2) formula made of slices, cumprods, prods and cats (so that it
  can be differentiated again, with PyTorch's nodes), else the same values computed directly.

prod's derivative with zeros (``prod_safe_zeros_backward``) is built from these, as PyTorch's.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import dtypes
from ..autograd import grad_mode
from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import IGNORE, RESULT, quiet, record, unquiet
from . import pointwise as P, shape as shape_ops


# -- flip -------------------------------------------------------------------------------------
class FlipBackward0(Node):
    """out = self reversed along dims  ->  d/dself = grad reversed along them"""
    __slots__ = ("dims",)
    _saved_fields = ("dims",)

    @property
    def _s_dims(self):
        return list(self.dims)

    explanation = Explanation(
        "{z} = {0}.flip({dims})", (both("g, flipped back", "g，翻转回来"),))

    def apply(self, grad):
        return (flip(grad, self.dims),)


def flip(input: Tensor, dims: int | Sequence[int]) -> Tensor:
    """``input`` with the order of elements reversed along ``dims`` (a copy, as PyTorch)."""
    if isinstance(dims, (int, np.integer)):
        dims = (int(dims),)
    dims = tuple(input._wrap_dim(d) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"dim {dims[-1]} appears multiple times in the list of dims")
    out = np.flip(input._data, dims).copy() if input._data.ndim else input._data.copy()
    return record(out, FlipBackward0, (input,), dims=dims)


def _reversed_cumsum(w: Tensor, dim: int) -> Tensor:
    return flip(cumsum(flip(w, dim), dim), dim)


# -- cumsum -----------------------------------------------------------------------------------
class CumsumBackward0(Node):
    """out = self.cumsum(dim)  ->  d/dself = the reversed cumulative sum of grad"""
    __slots__ = ("dim", "self_scalar_type")
    _saved_fields = ("dim", "self_scalar_type")

    @property
    def _s_dim(self):
        return self.dim

    @property
    def _s_self_scalar_type(self):
        return self.self_scalar_type

    explanation = Explanation(
        "{z} = {0}.cumsum({dim})",
        (both("g summed from the end (a reversed cumsum)", "g 从末尾开始累加（反向的 cumsum）"),),
        both("Element k of {0} is in every partial sum from k on: it gets the sum of their "
             "gradients.",
             "{0} 的第 k 个元素出现在从第 k 个起的每个部分和中：它得到这些梯度之和。"))

    def apply(self, grad):
        grad = P.to(grad, self.self_scalar_type)
        if grad._data.size <= 1 or grad._data.shape[self.dim] == 1:
            return (grad,)
        return (_reversed_cumsum(grad, self.dim),)


def cumsum(input: Tensor, dim: int, *, dtype: dtypes.dtype | None = None) -> Tensor:
    """Running sums along ``dim`` (integers and bools sum as int64)."""
    dim = input._wrap_dim(dim)
    data = input._data
    if dtype is not None:
        data = data.astype(dtype.np)
    elif not input.dtype.is_floating_point:
        data = data.astype(np.int64)
    token = quiet(IGNORE)
    try:
        out = np.cumsum(data, axis=dim) if data.ndim else data.copy()
    finally:
        unquiet(token)
    return record(np.asarray(out), CumsumBackward0, (input,), dim=dim,
                  self_scalar_type=input.dtype)


# -- cumprod ----------------------------------------------------------------------------------
class CumprodBackward0(Node):
    """out = self.cumprod(dim)  ->  d/dself[k] = sum over j >= k of grad[j] * (the product of
    self[0..j] without self[k])"""
    __slots__ = ("dim", "self_scalar_type")
    _saved_fields = ("dim", "result", "self", "self_scalar_type")

    @property
    def _s_dim(self):
        return self.dim

    @property
    def _s_self_scalar_type(self):
        return self.self_scalar_type

    explanation = Explanation(
        "{z} = {0}.cumprod({dim})",
        (both("at k: the sum over j ≥ k of g[j] · (the product of {0}[0..j] without {0}[k])",
              "第 k 个：对 j ≥ k 求和 g[j] · （{0}[0..j] 去掉 {0}[k] 后的乘积）"),))

    def apply(self, grad):
        x, out = self._s_self.unpack(self), self._s_result.unpack(self)
        return (cumprod_backward(P.to(grad, self.self_scalar_type), x, self.dim, out),)


def cumprod(input: Tensor, dim: int, *, dtype: dtypes.dtype | None = None) -> Tensor:
    """Running products along ``dim`` (integers and bools multiply as int64)."""
    dim = input._wrap_dim(dim)
    data = input._data
    if dtype is not None:
        data = data.astype(dtype.np)
    elif not input.dtype.is_floating_point:
        data = data.astype(np.int64)
    token = quiet(IGNORE)
    try:
        out = np.cumprod(data, axis=dim) if data.ndim else data.copy()
    finally:
        unquiet(token)
    return record(np.asarray(out), CumprodBackward0, (input,), dim=dim,
                  self_scalar_type=input.dtype, self=input, result=RESULT)


def cumprod_backward(grad: Tensor, input: Tensor, dim: int, output: Tensor) -> Tensor:
    """PyTorch's ``cumprod_backward``."""
    from .reduction import prod, sum as sum_
    from .split import narrow
    if input._data.size <= 1:
        return grad
    dim_size = input._data.shape[dim] if input._data.ndim else 1
    if dim_size == 1:
        return grad
    w = P.mul(output, grad)
    if not (input._data == 0).any():
        return P.div(_reversed_cumsum(w, dim), input)
    if not grad_mode.is_grad_enabled():
        return _make(_cumprod_backward_values(grad._data, input._data, dim), None)
    ones_size = list(input._data.shape)
    ones_size[dim] = 1
    ones = shape_ops.expand(_make(np.ones(1, grad._data.dtype), None), tuple(ones_size))
    from .inplace import copy_
    grad_input = _make(np.zeros(input._data.shape, grad._data.dtype), None)
    for k in range(dim_size):
        if k == 0:
            prods_from_k_plus_1 = cumprod(narrow(input, dim, k + 1, dim_size - k - 1), dim)
            omitted = shape_ops.cat([ones, prods_from_k_plus_1], dim)
        elif k == dim_size - 1:
            omitted = prod(narrow(input, dim, 0, k), dim, True)
        else:
            prods_until_k = prod(narrow(input, dim, 0, k), dim, True)
            prods_from_k_plus_1 = cumprod(narrow(input, dim, k + 1, dim_size - k - 1), dim)
            omitted = P.mul(shape_ops.expand_as(prods_until_k, prods_from_k_plus_1),
                            prods_from_k_plus_1)
            omitted = shape_ops.cat([prods_until_k, omitted], dim)
        grad_slice = sum_(P.mul(narrow(grad, dim, k, dim_size - k), omitted), dim)
        copy_(shape_ops.select(grad_input, dim, k), grad_slice)  # CopySlices, as PyTorch
    return grad_input


def _cumprod_backward_values(grad: np.ndarray, x: np.ndarray, dim: int) -> np.ndarray:
    """The same values without a graph: for each k, the sum over j >= k of grad[j] times the
    product of x[0..j] with x[k] left out."""
    g = np.moveaxis(grad, dim, 0)
    xs = np.moveaxis(x, dim, 0)
    n = xs.shape[0]
    out = np.zeros_like(xs)
    for k in range(n):
        left = np.prod(xs[:k], axis=0)
        right = np.cumprod(xs[k + 1:], axis=0)
        omitted = np.concatenate([left[None], left[None] * right], axis=0)
        out[k] = (g[k:] * omitted).sum(axis=0)
    return np.moveaxis(out, 0, dim)


def prod_safe_zeros_backward(grad: Tensor, inp: Tensor, dim: int) -> Tensor:
    """prod's derivative where the input has zeros: the product of the elements before each
    one times the product of those after it (exclusive cumprods), as PyTorch."""
    from .split import narrow
    n = inp._data.shape[dim]
    if inp._data.size == 0:
        return shape_ops.expand_as(grad, inp)
    if n == 1:  # the product of no other element is 1
        return grad
    ones_size = list(inp._data.shape)
    ones_size[dim] = 1
    ones = _make(np.ones(ones_size, grad._data.dtype), None)
    exclusive_normal = cumprod(shape_ops.cat([ones, narrow(inp, dim, 0, n - 1)], dim), dim)
    narrow_reverse = flip(narrow(inp, dim, 1, n - 1), dim)
    exclusive_reverse = flip(cumprod(shape_ops.cat([ones, narrow_reverse], dim), dim), dim)
    return P.mul(grad, P.mul(exclusive_normal, exclusive_reverse))


__all__ = ["flip", "cumsum", "cumprod", "cumprod_backward", "prod_safe_zeros_backward"]
