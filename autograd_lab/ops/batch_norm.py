"""Batch normalization as one op, ``native_batch_norm`` (NativeBatchNormBackward0), as PyTorch
records it.

In training the input is normalized with the batch's statistics over every dimension but the
channel one (dim 1), and the running statistics are updated in place (the variance unbiased);
in evaluation the running statistics are used. The node's backward is composed of recorded ops
(so a double backward works; its nodes are those ops, not PyTorch's
NativeBatchNormBackwardBackward0). Statistics are computed in float64 and rounded, so values
agree with PyTorch's to float32 rounding, not always to the bit.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import needs, record
from . import pointwise, reduction as reductions, shape as shape_ops


def _axes(x: np.ndarray) -> tuple[int, ...]:
    return tuple(i for i in range(x.ndim) if i != 1)


def _per_channel(t: Tensor, ndim: int) -> Tensor:
    """A (C,) tensor viewed to broadcast along dim 1 of an ``ndim``-D input."""
    shape = [1] * ndim
    shape[1] = t._data.shape[0]
    return shape_ops.view(t, tuple(shape))


def _optional(saved: Any, node: Node) -> Tensor | None:
    return None if saved is None else saved.unpack(node)


class NativeBatchNormBackward0(Node):
    """out = (input - mean) * invstd * weight + bias  ->  in training (batch statistics, n
    values per channel): d/dinput = weight * invstd / n * (n g - sum(g) - xhat sum(g xhat)),
    d/dweight = sum(g xhat), d/dbias = sum(g); in evaluation (running statistics): d/dinput =
    g * weight * invstd"""
    _saved_fields = ("eps", "input", "result1", "result2", "running_mean", "running_var",
                     "training", "weight")
    explanation = Explanation(
        "{z} = ({0} - mean) / sqrt(var + eps) · {1} + {2}",
        (both("weight·invstd/n · (n·g − Σg − x̂·Σ(g·x̂)) (in training; the batch statistics "
              "depend on {0} too)",
              "weight·invstd/n · (n·g − Σg − x̂·Σ(g·x̂))（训练时；批统计量也依赖 {0}）"),
         "Σ g·x̂", "Σ g"))

    def apply(self, grad):
        x = self._s_input.unpack(self)
        weight = _optional(self._s_weight, self)
        nd = x._data.ndim
        axes = _axes(x._data)
        if self._s_training:
            # the batch statistics again, as recorded functions of the input (the saved ones
            # are constants): then a double backward sees how they depend on it
            centred_x = pointwise.sub(x, reductions.mean(x, axes, keepdim=True))
            var = reductions.mean(pointwise.mul(centred_x, centred_x), axes)
            mean = reductions.mean(x, axes)
            invstd = pointwise.pow(pointwise.add(var, self._s_eps), -0.5)
        else:
            mean = self._s_running_mean.unpack(self)
            var = self._s_running_var.unpack(self)
            invstd = pointwise.pow(pointwise.add(var, self._s_eps), -0.5)
        xhat = pointwise.mul(pointwise.sub(x, _per_channel(mean, nd)), _per_channel(invstd, nd))
        grad_input = grad_weight = grad_bias = None
        if needs(self, 0):
            scale = invstd if weight is None else pointwise.mul(invstd, weight)
            if self._s_training:
                n = x._data.size // x._data.shape[1]
                sum_g = reductions.sum(grad, axes, keepdim=True)
                sum_gx = reductions.sum(pointwise.mul(grad, xhat), axes, keepdim=True)
                centred = pointwise.sub(pointwise.sub(pointwise.mul_scalar(grad, n), sum_g),
                                        pointwise.mul(xhat, sum_gx))
                grad_input = pointwise.mul(centred,
                                           _per_channel(pointwise.div_scalar(scale, n), nd))
            else:
                grad_input = pointwise.mul(grad, _per_channel(scale, nd))
        if needs(self, 1):
            grad_weight = reductions.sum(pointwise.mul(grad, xhat), axes)
        if needs(self, 2):
            grad_bias = reductions.sum(grad, axes)
        return grad_input, grad_weight, grad_bias


def native_batch_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None,
                      running_mean: Tensor | None, running_var: Tensor | None,
                      training: bool, momentum: float, eps: float
                      ) -> tuple[Tensor, Tensor, Tensor]:
    """(output, batch mean, batch inverse std) of batch normalization over dim 1; in training
    the running statistics, when given, move towards the batch's by ``momentum``."""
    x = input._data
    dt = x.dtype
    c = x.shape[1]
    for name, stat in (("running_mean", running_mean), ("running_var", running_var)):
        if stat is not None and stat._data.size != c:
            raise RuntimeError(f"{name} should contain {c} elements not {stat._data.size}")
    axes = _axes(x)
    shape = [1] * x.ndim
    shape[1] = c
    x64 = x.astype(np.float64)
    if training:
        n = x.size // c
        mean64 = x64.mean(axis=axes)
        var64 = ((x64 - mean64.reshape(shape)) ** 2).mean(axis=axes)
        invstd64 = 1.0 / np.sqrt(var64 + eps)
        if running_mean is not None:
            # (updated behind autograd's back, as PyTorch's kernel does: no version bump, so
            # a second forward does not spoil the first one's backward)
            running_mean._data[...] = ((1 - momentum) * running_mean._data.astype(np.float64)
                                       + momentum * mean64).astype(running_mean._data.dtype)
        if running_var is not None:
            unbiased = var64 * n / (n - 1) if n > 1 else np.full_like(var64, np.inf)
            running_var._data[...] = ((1 - momentum) * running_var._data.astype(np.float64)
                                      + momentum * unbiased).astype(running_var._data.dtype)
        save_mean, save_invstd = mean64.astype(dt), invstd64.astype(dt)
    else:
        assert running_mean is not None and running_var is not None
        mean64 = running_mean._data.astype(np.float64)
        invstd64 = 1.0 / np.sqrt(running_var._data.astype(np.float64) + eps)
        save_mean, save_invstd = np.zeros(0, dt), np.zeros(0, dt)
    out = (x64 - mean64.reshape(shape)) * invstd64.reshape(shape)
    if weight is not None:
        out = out * weight._data.astype(np.float64).reshape(shape)
    if bias is not None:
        out = out + bias._data.astype(np.float64).reshape(shape)
    mean_t, invstd_t = _make(save_mean, None), _make(save_invstd, None)
    placeholder = _make(np.zeros(0, dt), None)
    result = record(out.astype(dt), NativeBatchNormBackward0,
                    (input, weight if weight is not None else placeholder,
                     bias if bias is not None else placeholder),
                    eps=eps, input=input, result1=mean_t, result2=invstd_t,
                    running_mean=running_mean, running_var=running_var, training=training,
                    weight=weight)
    return result, mean_t, invstd_t


__all__ = ["native_batch_norm"]
