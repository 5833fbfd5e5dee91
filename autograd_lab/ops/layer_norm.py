"""Layer normalization as one op, ``native_layer_norm`` (NativeLayerNormBackward0), as PyTorch
records it.

Each sample is normalized over its last dimensions (``normalized_shape``): minus their mean,
over their standard deviation (the biased variance plus ``eps``), then scaled by ``weight`` and
shifted by ``bias`` elementwise. Unlike batch normalization there are no running statistics:
training and evaluation compute the same thing. The node's backward is composed of recorded ops
(so a double backward works; its nodes are those ops, not PyTorch's
NativeLayerNormBackwardBackward0). Statistics are computed in float64 and rounded, so values
agree with PyTorch's to float32 rounding, not always to the bit.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make, _scalar_type_name
from ._core import IGNORE, needs, quiet, record, shape_str, unquiet
from . import pointwise, reduction as reductions


def _normalized_shape(normalized_shape: Any) -> tuple[int, ...]:
    """``normalized_shape`` as a tuple of ints, or PyTorch's argument error."""
    if isinstance(normalized_shape, (tuple, list)) and all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool)
            for n in normalized_shape):
        return tuple(int(n) for n in normalized_shape)
    raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple of "
                    f"ints, not {type(normalized_shape).__name__}")


def _check_inputs(input: Tensor, shape: tuple[int, ...], weight: Tensor | None,
                  bias: Tensor | None) -> None:
    """PyTorch's checks, in its order: the shape is not empty, weight and bias have it, and the
    input ends with it."""
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., "
                           "containing at least one element, but got normalized_shape = []")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t._data.shape != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {shape_str(t._data.shape)} and "
                               f"normalized_shape = {shape_str(shape)}")
    x_shape = input._data.shape
    k = len(shape)
    if len(x_shape) < k or x_shape[len(x_shape) - k:] != shape:
        raise RuntimeError(f"Given normalized_shape={shape_str(shape)}, expected input with "
                           f"shape [*, {', '.join(str(n) for n in shape)}], but got input of "
                           f"size{shape_str(x_shape)}")
    dt = input.dtype
    if dt not in (dtypes.float32, dtypes.float64):
        raise NotImplementedError(f"\"LayerNormKernelImpl\" not implemented for "
                                  f"'{_scalar_type_name(dt)}'")
    for t in (weight, bias):
        if t is not None and t.dtype is not dt:
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def _optional(saved: Any, node: Node) -> Tensor | None:
    return None if saved is None else saved.unpack(node)


class NativeLayerNormBackward0(Node):
    """out = (input - mean) * rstd * weight + bias, statistics over the last dims (n values)
    ->  with gw = g * weight: d/dinput = rstd/n * (n gw - sum(gw) - xhat sum(gw xhat)),
    d/dweight = sum over samples of g xhat, d/dbias = sum over samples of g"""
    _saved_fields = ("bias", "input", "normalized_shape", "result1", "result2", "weight")
    __slots__ = ("eps",)  # not saved by PyTorch's node, but its backward recomputes rstd
    explanation = Explanation(
        "{z} = ({0} - mean) / sqrt(var + eps) · {1} + {2}",
        (both("rstd/n · (n·g·w − Σg·w − x̂·Σ(g·w·x̂)) (mean and var are taken over the last "
              "dims {normalized_shape} of each sample, so they depend on {0} too)",
              "rstd/n · (n·g·w − Σg·w − x̂·Σ(g·w·x̂))（均值和方差取自每个样本的最后几维 "
              "{normalized_shape}，所以也依赖 {0}）"),
         both("Σ over samples of g·x̂", "对样本求和 g·x̂"),
         both("Σ over samples of g", "对样本求和 g")),
        both("Layer normalization: each sample is normalized with its own statistics (no "
             "running statistics; training and evaluation are the same).",
             "层归一化：每个样本用它自己的统计量归一化（没有滑动统计量，训练和评估时一样）。"))

    def apply(self, grad):
        x = self._s_input.unpack(self)
        weight = _optional(self._s_weight, self)
        shape = self._s_normalized_shape
        nd = x._data.ndim
        axes = tuple(range(nd - len(shape), nd))
        leading = tuple(range(nd - len(shape)))
        # the statistics again, as recorded functions of the input (the saved ones are
        # constants): then a double backward sees how they depend on it
        centred = pointwise.sub(x, reductions.mean(x, axes, keepdim=True))
        var = reductions.mean(pointwise.mul(centred, centred), axes, keepdim=True)
        rstd = pointwise.pow(pointwise.add(var, self.eps), -0.5)
        xhat = pointwise.mul(centred, rstd)
        grad_input = grad_weight = grad_bias = None
        if needs(self, 0):
            n = int(np.prod(shape))
            gw = grad if weight is None else pointwise.mul(grad, weight)
            sum_g = reductions.sum(gw, axes, keepdim=True)
            sum_gx = reductions.sum(pointwise.mul(gw, xhat), axes, keepdim=True)
            spread = pointwise.sub(pointwise.sub(pointwise.mul_scalar(gw, n), sum_g),
                                   pointwise.mul(xhat, sum_gx))
            grad_input = pointwise.mul(spread, pointwise.div_scalar(rstd, n))
        if needs(self, 1):
            grad_weight = pointwise.mul(grad, xhat)
            if leading:
                grad_weight = reductions.sum(grad_weight, leading)
        if needs(self, 2):
            grad_bias = reductions.sum(grad, leading) if leading else grad
        return grad_input, grad_weight, grad_bias


def native_layer_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None,
                      bias: Tensor | None, eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """(output, mean, rstd) of layer normalization over the last ``len(normalized_shape)``
    dims; mean and rstd keep those dims as size 1."""
    shape = _normalized_shape(normalized_shape)
    _check_inputs(input, shape, weight, bias)
    x = input._data
    dt = x.dtype
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    x64 = x.astype(np.float64)
    token = quiet(IGNORE)  # an empty sample has a nan mean, silently, as in PyTorch
    try:
        mean64 = x64.mean(axis=axes, keepdims=True)
        var64 = ((x64 - mean64) ** 2).mean(axis=axes, keepdims=True)
        rstd64 = 1.0 / np.sqrt(var64 + eps)
    finally:
        unquiet(token)
    out = (x64 - mean64) * rstd64
    if weight is not None:
        out = out * weight._data.astype(np.float64)
    if bias is not None:
        out = out + bias._data.astype(np.float64)
    mean_t, rstd_t = _make(mean64.astype(dt), None), _make(rstd64.astype(dt), None)
    placeholder = _make(np.zeros(0, dt), None)
    result = record(out.astype(dt), NativeLayerNormBackward0,
                    (input, weight if weight is not None else placeholder,
                     bias if bias is not None else placeholder),
                    bias=bias, input=input, normalized_shape=shape, result1=mean_t,
                    result2=rstd_t, weight=weight, eps=eps)
    return result, mean_t, rstd_t


def layer_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5,
               cudnn_enable: bool = True) -> Tensor:
    """Normalize each sample over its last dims (``normalized_shape``), then scale by
    ``weight`` and shift by ``bias`` (elementwise, of that shape). ``cudnn_enable`` is
    accepted, as ``torch.layer_norm`` does, and means nothing on the CPU."""
    return native_layer_norm(input, normalized_shape, weight, bias, eps)[0]


__all__ = ["layer_norm", "native_layer_norm"]
