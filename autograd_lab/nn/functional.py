"""``nn.functional``: layers and losses as plain functions, with ``torch.nn.functional``'s
signatures, defaults, warnings and errors.

>>> import autograd_lab as torch
>>> import autograd_lab.nn.functional as F
>>> F.cross_entropy(torch.tensor([[2.0, 0.5, -1.0]]), torch.tensor([0]))
tensor(0.2413)
"""
from __future__ import annotations

import warnings
from typing import Any

from .. import ops as _ops
from ..ops import activation as _act, linalg as _linalg, loss as _loss
from ..ops import shape as _shape
from ..tensor import Tensor


# -- activations -------------------------------------------------------------------------------
def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """``max(input, 0)``; in place with ``inplace=True``."""
    return _ops.relu_(input) if inplace else _ops.relu(input)


def relu_(input: Tensor) -> Tensor:
    return _ops.relu_(input)


def sigmoid(input: Tensor) -> Tensor:
    """``1 / (1 + exp(-input))``."""
    return _act.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent."""
    return _act.tanh(input)


def _get_softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                  "to include dim=X as an argument.", UserWarning, stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype: Any = None) -> Tensor:
    """``exp(input) / exp(input).sum(dim)`` (with ``dtype``, the input is cast first)."""
    if dim is None:
        dim = _get_softmax_dim("softmax", input.dim(), _stacklevel)
    return _act.softmax(input, dim, dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
                dtype: Any = None) -> Tensor:
    """``log(softmax(input, dim))``, computed stably."""
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.dim(), _stacklevel)
    return _act.log_softmax(input, dim, dtype)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias`` (an ``addmm`` for a 2-D input, as in PyTorch)."""
    return _linalg.linear(input, weight, bias)


# -- losses ------------------------------------------------------------------------------------
_REDUCTIONS = {"none": _loss.NONE, "mean": _loss.MEAN, "sum": _loss.SUM}


def _reduction_enum(reduction: str) -> int:
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                      "instead.", UserWarning, stacklevel=3)
        return _loss.MEAN
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return _REDUCTIONS[reduction]


def _legacy_reduction(size_average: bool | None, reduce: bool | None) -> str:
    """The old ``size_average``/``reduce`` flags as a reduction string (with PyTorch's warning)."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if size_average and reduce else "sum" if reduce else "none"
    warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{ret}' "
                  "instead.", UserWarning, stacklevel=3)
    return ret


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """The tensors expanded to their common shape (a tensor already of that shape is returned
    as is, as PyTorch does)."""
    shape: tuple[int, ...] = ()
    for t in tensors:
        shape = _linalg._broadcast_batch(shape, t.shape)
    return tuple(t if tuple(t.shape) == shape else _shape.expand(t, shape) for t in tensors)


def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
             reduce: bool | None = None, reduction: str = "mean",
             weight: Tensor | None = None) -> Tensor:
    """Mean squared error: ``((input - target) ** 2)`` averaged, summed or not reduced.

    A target whose shape differs from the input's is broadcast, with PyTorch's warning."""
    if target.size() != input.size():
        warnings.warn(f"Using a target size ({target.size()}) that is different to the input "
                      f"size ({input.size()}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=2)
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    expanded_input, expanded_target = broadcast_tensors(input, target)
    if weight is not None:
        if weight.size() != input.size():
            raise ValueError("Weights and input must have the same size.")
        weighted = _ops.mul(_ops.pow(_ops.sub(expanded_input, expanded_target), 2), weight)
        if reduction == "none":
            return weighted
        if reduction == "sum":
            return _ops.sum(weighted)
        if reduction == "mean":
            return _ops.div(_ops.sum(weighted), _ops.sum(weight))
        raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', "
                         "'mean', 'sum'.")
    return _loss.mse_loss(expanded_input, expanded_target, _reduction_enum(reduction))


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
             size_average: bool | None = None, ignore_index: int = -100,
             reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Negative log likelihood of class indices ``target`` under log-probabilities ``input``."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    return _loss.nll_loss_nd(input, target, weight, _reduction_enum(reduction), ignore_index)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average: bool | None = None, ignore_index: int = -100,
                  reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross entropy between logits ``input`` and class indices (or class probabilities of
    the same shape): ``nll_loss(log_softmax(input, 1), target)``."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    return _loss.cross_entropy(input, target, weight, _reduction_enum(reduction), ignore_index,
                               label_smoothing)


__all__ = ["relu", "relu_", "sigmoid", "tanh", "softmax", "log_softmax", "linear",
           "mse_loss", "nll_loss", "cross_entropy", "broadcast_tensors"]
