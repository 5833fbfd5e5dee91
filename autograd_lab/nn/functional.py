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

import numpy as np

from .. import ops as _ops
from ..ops import activation as _act, linalg as _linalg, loss as _loss
from ..ops import shape as _shape
from .. import dtypes, random as _random
from ..tensor import Tensor, _make


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


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """The rows of ``weight`` at the integer indices ``input`` (EmbeddingBackward0); rows
    used are first rescaled in place to norm at most ``max_norm`` when it is given."""
    from ..ops import embedding as _emb
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = weight.size(0) + padding_idx
    else:
        padding_idx = -1
    if max_norm is not None:
        input = input.contiguous()
        _emb.embedding_renorm_(weight, input, max_norm, norm_type)
    return _emb.embedding(weight, input, padding_idx, scale_grad_by_freq, sparse)


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalize over every dimension but dim 1 with the batch's statistics (``training``,
    updating the running ones in place) or the running statistics."""
    from ..ops import batch_norm as _bn
    if training:
        size = input.size()
        size_prods = size[0]
        for i in range(len(size) - 2):
            size_prods *= size[i + 2]
        if size_prods == 1:
            raise ValueError("Expected more than 1 value per channel when training, got input "
                             f"size {size}")
    return _bn.native_batch_norm(input, weight, bias, running_mean, running_var, training,
                                 momentum, eps)[0]


def layer_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalize each sample over its last dims (``normalized_shape``) with its own mean and
    variance, then scale by ``weight`` and shift by ``bias``."""
    from ..ops.layer_norm import native_layer_norm
    return native_layer_norm(input, normalized_shape, weight, bias, eps)[0]


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


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """Binary cross entropy between probabilities ``input`` and ``target`` (same shape)."""
    from ..ops import binary_loss as _bce
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    enum = _reduction_enum(reduction)
    if target.size() != input.size():
        raise ValueError(f"Using a target size ({target.size()}) that is different to the input "
                         f"size ({input.size()}) is deprecated. Please ensure they have the "
                         "same size.")
    if weight is not None:
        weight = broadcast_tensors(weight, target)[0]
    return _bce.binary_cross_entropy(input, target, weight, enum)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,
                                     weight: Tensor | None = None,
                                     size_average: bool | None = None,
                                     reduce: bool | None = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """Binary cross entropy of ``sigmoid(input)`` against ``target``, computed stably from the
    logits ``input``; ``pos_weight`` weighs the positive examples."""
    from ..ops import binary_loss as _bce
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    enum = _reduction_enum(reduction)
    if target.size() != input.size():
        raise ValueError(f"Target size ({target.size()}) must be the same as input size "
                         f"({input.size()})")
    return _bce.binary_cross_entropy_with_logits(input, target, weight, pos_weight, enum)


def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
            reduce: bool | None = None, reduction: str = "mean",
            weight: Tensor | None = None) -> Tensor:
    """Mean (or sum, or none) of ``|input - target|``, composed of sub, abs and the reduction
    as in PyTorch."""
    if target.size() != input.size():
        warnings.warn(f"Using a target size ({target.size()}) that is different to the input "
                      f"size ({input.size()}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=2)
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    enum = _reduction_enum(reduction)
    expanded_input, expanded_target = broadcast_tensors(input, target)
    loss = _ops.abs(_ops.sub(expanded_input, expanded_target))
    if weight is not None:
        loss = _ops.mul(loss, weight)
    if enum == _loss.MEAN:
        return _ops.mean(loss)
    return _ops.sum(loss) if enum == _loss.SUM else loss


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """Squared error / 2 where ``|input - target| < delta``, ``delta * (|error| - delta / 2)``
    beyond (HuberLossBackward0)."""
    from ..ops import robust_loss as _robust
    if target.size() != input.size():
        warnings.warn(f"Using a target size ({target.size()}) that is different to the input "
                      f"size ({input.size()}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=2)
    if weight is not None:
        raise NotImplementedError("huber_loss with weight= is not supported by autograd_lab")
    expanded_input, expanded_target = broadcast_tensors(input, target)
    return _robust.huber_loss(expanded_input, expanded_target, _reduction_enum(reduction),
                              delta)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                   reduce: bool | None = None, reduction: str = "mean", beta: float = 1.0
                   ) -> Tensor:
    """Squared error / (2 beta) where ``|input - target| < beta``, ``|error| - beta / 2``
    beyond (SmoothL1LossBackward0)."""
    from ..ops import robust_loss as _robust
    if target.size() != input.size():
        warnings.warn(f"Using a target size ({target.size()}) that is different to the input "
                      f"size ({input.size()}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=2)
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    expanded_input, expanded_target = broadcast_tensors(input, target)
    if beta == 0.0:  # PyTorch computes plain L1 then
        return l1_loss(expanded_input, expanded_target, reduction=reduction)
    return _robust.smooth_l1_loss(expanded_input, expanded_target, _reduction_enum(reduction),
                                  beta)


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


# -- dropout and one-hot -----------------------------------------------------------------------
def dropout(input: Tensor, p: float = 0.5, training: bool = True,
            inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``.

    As PyTorch's CPU kernel: a mask drawn with ``bernoulli_(1 - p)``, divided by ``1 - p`` in
    the input's type, then multiplied in (``MulBackward0``), so the same seed drops the same
    elements. Out of training (or p = 0) the input itself is returned.
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p == 0 or not training or input.numel() == 0:
        return input
    np_dtype = input._data.dtype
    if p == 1:
        mask = _make(np.zeros((), np_dtype), None)
    else:
        keep = _random.bernoulli(1 - p, input._data.shape, np_dtype)
        mask = _make(keep / np_dtype.type(1 - p), None)
    return _ops.mul_(input, mask) if inplace else _ops.mul(input, mask)


def _channel_mask(input: Tensor, p: float, batched: bool) -> Tensor:
    """PyTorch's feature-dropout noise: one value per (sample, channel), shape (N, C, 1, ...),
    drawn with bernoulli_(1 - p) and divided by 1 - p (all zeros for p = 1)."""
    np_dtype = input._data.dtype
    if p == 1:
        return _make(np.zeros((), np_dtype), None)
    shape = input._data.shape if batched else (1,) + input._data.shape
    noise_shape = shape[:2] + (1,) * (len(shape) - 2)
    keep = _random.bernoulli(1 - p, noise_shape, np_dtype) / np_dtype.type(1 - p)
    return _make(keep if batched else keep[0], None)


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool,
                     batched: bool = True) -> Tensor:
    """Zero whole channels (PyTorch's feature_dropout); an unbatched input is treated as a
    batch of one (PyTorch unsqueezes it, multiplies, and squeezes the result)."""
    if not batched and not inplace:
        # as PyTorch: unsqueeze, drop channels, squeeze (recorded even when nothing is dropped)
        return _ops.squeeze(_feature_dropout(_ops.unsqueeze(input, 0), p, training, False), 0)
    if p == 0 or not training or input.numel() == 0:
        return input
    if batched and input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    mask = _channel_mask(input, p, batched)
    # (an unbatched in-place call gets PyTorch's values; PyTorch's graph there also holds its
    # in-place unsqueeze_/squeeze_ steps, which autograd_lab does not have)
    return _ops.mul_(input, mask) if inplace else _ops.mul(input, mask)


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, L) or (C, L) input with probability ``p``; scale the
    rest by ``1 / (1 - p)``."""
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {inp_dim}D input. Note that "
            "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs).")
    return _feature_dropout(input, p, training, inplace, batched=inp_dim == 3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, H, W) input with probability ``p``; scale the rest by
    ``1 / (1 - p)`` (a 3-D input is read as (N, C, L), with PyTorch's warning)."""
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {inp_dim}-D input to dropout2d, which is deprecated and "
            "will result in an error in a future release. To retain the behavior and silence "
            "this warning, please use dropout instead. Note that dropout2d exists to provide "
            "channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, "
            "and an optional batch dimension (i.e. 3D or 4D inputs).", stacklevel=2)
    if inp_dim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2)
    return _feature_dropout(input, p, training, inplace)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input with probability ``p``;
    scale the rest by ``1 / (1 - p)``."""
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {inp_dim}-D input to dropout3d, which is deprecated and "
            "will result in an error in a future release. To retain the behavior and silence "
            "this warning, please use dropout instead. Note that dropout3d exists to provide "
            "channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, "
            "and an optional batch dimension (i.e. 4D or 5D inputs).", stacklevel=2)
    return _feature_dropout(input, p, training, inplace, batched=inp_dim == 5)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 tensor with one more dimension of size ``num_classes`` (default: max + 1), holding
    1 at each index of ``tensor`` and 0 elsewhere."""
    if tensor.dtype != dtypes.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    idx = tensor._data
    if num_classes == -1:
        if idx.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(idx.max()) + 1
    if idx.size:
        if idx.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if idx.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    elif num_classes < 0:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = (idx[..., None] == np.arange(num_classes, dtype=np.int64)).astype(np.int64)
    return _make(out, None)


__all__ = ["relu", "relu_", "sigmoid", "tanh", "softmax", "log_softmax", "linear", "embedding",
           "batch_norm", "layer_norm",
           "mse_loss", "nll_loss", "cross_entropy", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "l1_loss", "huber_loss",
           "smooth_l1_loss", "broadcast_tensors", "dropout", "dropout1d", "dropout2d", "dropout3d",
           "one_hot"]

# -- more activations (functional_activations.py) ------------------------------------------------
from .functional_activations import *  # noqa: E402,F401,F403
from .functional_activations import __all__ as _activation_names  # noqa: E402
__all__ += _activation_names


# -- convolution and pooling (ops/conv.py) ---------------------------------------------------------
from ..ops.conv import adaptive_avg_pool2d, avg_pool2d, conv2d  # noqa: E402
__all__ += ["conv2d", "avg_pool2d", "adaptive_avg_pool2d"]
from typing import cast  # noqa: E402

from ..ops.max_pool import adaptive_max_pool2d, max_pool1d, max_pool2d  # noqa: E402


def max_pool2d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None,
                            padding: Any = 0, dilation: Any = 1, ceil_mode: bool = False,
                            return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """``max_pool2d`` and the indices of its maxima, whatever ``return_indices`` says."""
    return cast("tuple[Tensor, Tensor]",
                max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, True))


def max_pool1d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None,
                            padding: Any = 0, dilation: Any = 1, ceil_mode: bool = False,
                            return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """``max_pool1d`` and the indices of its maxima, whatever ``return_indices`` says."""
    return cast("tuple[Tensor, Tensor]",
                max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True))


def adaptive_max_pool2d_with_indices(input: Tensor, output_size: Any,
                                     return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """``adaptive_max_pool2d`` and the indices of its maxima, whatever ``return_indices`` says."""
    return cast("tuple[Tensor, Tensor]", adaptive_max_pool2d(input, output_size, True))


__all__ += ["max_pool2d", "max_pool1d", "adaptive_max_pool2d", "max_pool2d_with_indices",
            "max_pool1d_with_indices", "adaptive_max_pool2d_with_indices"]
