"""Binary cross entropy, of probabilities (``binary_cross_entropy``) and of logits
(``binary_cross_entropy_with_logits``), each one op with PyTorch's node.

``reduction`` is PyTorch's enum, as in ``loss.py``: 0 = 'none', 1 = 'mean', 2 = 'sum'. The
with-logits backward is composed of recorded ops (sigmoid, sub, mul, div), as PyTorch composes
it, so double backward works through them; the probability form's backward is its own op,
``binary_cross_entropy_backward`` (BinaryCrossEntropyBackwardBackward0).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _scalar_type_name
from ._core import needs, record
from . import activation, pointwise, reduction as reductions
from .clamp import clamp_min
from .loss import MEAN, NONE, SUM, _reduce

_EPSILON = 1e-12  # PyTorch's guard against dividing by x (1 - x) = 0


def _unpack(saved: Any, node: Node) -> Tensor | None:
    return None if saved is None else saved.unpack(node)


def _scale(t: Tensor, weight: Tensor | None, reduction: int, numel: int) -> Tensor:
    """``t`` times the element weights, divided by the element count for 'mean'."""
    if weight is not None:
        t = pointwise.mul(t, weight)
    if reduction == MEAN:
        t = pointwise.div_scalar(t, numel)
    return t


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    """log(sigmoid(x)) without overflow: min(x, 0) - log1p(exp(-|x|))."""
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


# -- binary_cross_entropy_with_logits --------------------------------------------------------------
class BinaryCrossEntropyWithLogitsBackward0(Node):
    """out = reduce(weight * ((1 - target) * self - lw * log_sigmoid(self))), lw = 1 +
    (pos_weight - 1) * target  ->  d/dself = (sigmoid(self) - target) * grad (with pos_weight:
    ((1 + pw t - t) sigmoid(self) - pw t) * grad), d/dtarget = -self * grad (with pos_weight:
    (log_sigmoid(-self) - pw log_sigmoid(self)) * grad), weighted, / numel for 'mean'"""
    _saved_fields = ("pos_weight", "reduction", "self", "target", "weight")
    explanation = Explanation(
        "{z} = BCE(sigmoid({0}), {1})",
        ("(sigmoid({0}) - {1}) g", "-{0} g"),
        both("With weight or pos_weight the gradients are scaled by them; with 'mean' they are "
             "divided by the number of elements.",
             "有 weight 或 pos_weight 时梯度按它们缩放；reduction 为 'mean' 时再除以元素个数。"),
        inputs=("self", "target"))

    def apply(self, grad):
        x, t = self._s_self.unpack(self), self._s_target.unpack(self)
        weight, pos_weight = _unpack(self._s_weight, self), _unpack(self._s_pos_weight, self)
        red, n = self._s_reduction, x._data.size
        grad_self = grad_target = None
        if needs(self, 0):
            if pos_weight is not None:
                pt = pointwise.mul(pos_weight, t)
                gi = pointwise.sub(pointwise.mul(pointwise.sub(pointwise.add(pt, 1), t),
                                                 activation.sigmoid(x)), pt)
            else:
                gi = pointwise.sub(activation.sigmoid(x), t)
            grad_self = _scale(pointwise.mul(gi, grad), weight, red, n)
        if needs(self, 1):
            if pos_weight is not None:
                # log_sigmoid(-x) - pw * log_sigmoid(x) = -x - (pw - 1) * log_sigmoid(x)
                log_sig = pointwise.log(activation.sigmoid(x))
                gt = pointwise.sub(pointwise.neg(x),
                                   pointwise.mul(pointwise.sub(pos_weight, 1), log_sig))
            else:
                gt = pointwise.neg(x)
            grad_target = _scale(pointwise.mul(gt, grad), weight, red, n)
        return grad_self, grad_target


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,
                                     weight: Tensor | None = None,
                                     pos_weight: Tensor | None = None,
                                     reduction: int = MEAN) -> Tensor:
    """Binary cross entropy of ``sigmoid(input)`` against ``target`` (probabilities), computed
    stably from the logits; ``pos_weight`` weighs the positive term, ``weight`` each element."""
    x = input._data
    t = target._data.astype(x.dtype, copy=False)
    log_sig = _log_sigmoid(x)
    if pos_weight is not None:
        log_sig = log_sig * ((pos_weight._data.astype(x.dtype) - 1) * t + 1)
    loss = (1 - t) * x - log_sig
    if weight is not None:
        loss = loss * weight._data.astype(x.dtype)
    out = _reduce(np.asarray(loss, dtype=x.dtype), reduction)
    return record(np.asarray(out, dtype=x.dtype), BinaryCrossEntropyWithLogitsBackward0,
                  (input, target), pos_weight=pos_weight, reduction=reduction, self=input,
                  target=target, weight=weight)


# -- binary_cross_entropy --------------------------------------------------------------------------
class BinaryCrossEntropyBackward0(Node):
    """out = reduce(-weight * (target log(self) + (1 - target) log(1 - self))), each log
    clamped at -100  ->  d/dself = binary_cross_entropy_backward(grad, self, target, ...) =
    grad * (self - target) / max(self (1 - self), 1e-12), d/dtarget = grad * (log(1 - self) -
    log(self)), weighted, / numel for 'mean'"""
    _saved_fields = ("reduction", "self", "target", "weight")
    explanation = Explanation(
        "{z} = BCE({0}, {1})",
        ("({0} - {1}) / ({0}(1 - {0})) g", "(log(1 - {0}) - log({0})) g"),
        both("With weight the gradients are scaled by it; with 'mean' they are divided by the "
             "number of elements.",
             "有 weight 时梯度按它缩放；reduction 为 'mean' 时再除以元素个数。"),
        inputs=("self", "target"))

    def apply(self, grad):
        x, t = self._s_self.unpack(self), self._s_target.unpack(self)
        weight, red = _unpack(self._s_weight, self), self._s_reduction
        grad_self = grad_target = None
        if needs(self, 0):
            grad_self = binary_cross_entropy_backward(grad, x, t, weight, red)
        if needs(self, 1):
            log_x = pointwise.log(x)
            log_1mx = pointwise.log(pointwise.rsub(x, 1))
            gt = pointwise.sub(_clamp_log(log_1mx), _clamp_log(log_x))
            grad_target = _scale(pointwise.mul(gt, grad), weight, red, x._data.size)
        return grad_self, grad_target


def _clamp_log(t: Tensor) -> Tensor:
    """A log clamped at -100, as the loss clamps it."""
    return clamp_min(t, -100)


def _check_probabilities(input: Tensor, target: Tensor) -> None:
    if target.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {_scalar_type_name(target.dtype)} but expected "
                           f"{_scalar_type_name(input.dtype)}")
    x = input._data
    if x.size and (np.any(x < 0) or np.any(x > 1) or np.any(np.isnan(x))):
        raise RuntimeError("all elements of input should be between 0 and 1")


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         reduction: int = MEAN) -> Tensor:
    """Binary cross entropy of probabilities ``input`` against ``target``; each log is
    clamped at -100, so a certain wrong answer costs 100, not infinity."""
    _check_probabilities(input, target)
    x, t = input._data, target._data
    with np.errstate(divide="ignore"):
        log_x = np.maximum(np.log(x), -100)
        log_1mx = np.maximum(np.log(1 - x), -100)
    loss = (t - 1) * log_1mx - t * log_x
    if weight is not None:
        loss = loss * weight._data.astype(x.dtype)
    out = _reduce(np.asarray(loss, dtype=x.dtype), reduction)
    return record(np.asarray(out, dtype=x.dtype), BinaryCrossEntropyBackward0, (input, target),
                  reduction=reduction, self=input, target=target, weight=weight)


class BinaryCrossEntropyBackwardBackward0(Node):
    """out = grad_output * (self - target) / max(self (1 - self), eps) (weighted, / numel for
    'mean')  ->  d/dgrad_output = grad * (self - target) / ((self + eps)(1 - self + eps)),
    summed to grad_output's shape; d/dself = grad * grad_output * (self^2 - 2 self target +
    target) / ((self + eps)^2 (1 - self + eps)^2); d/dtarget = -grad * grad_output /
    max(self (1 - self), eps)"""
    _saved_fields = ("grad_output", "reduction", "self", "target", "weight")
    explanation = Explanation(
        "{z} = {0} ({1} - {2}) / ({1}(1 - {1}))",
        ("g ({1} - {2}) / ({1}(1 - {1}))", None, "-g {0} / ({1}(1 - {1}))"),
        both("The gradient of the binary cross entropy's gradient (a second derivative).",
             "二元交叉熵梯度的梯度（二阶导数）。"),
        inputs=("grad_output", "self", "target"))

    def apply(self, grad):
        go, x = self._s_grad_output.unpack(self), self._s_self.unpack(self)
        t, weight = self._s_target.unpack(self), _unpack(self._s_weight, self)
        red, n = self._s_reduction, x._data.size
        x_eps = pointwise.add(x, _EPSILON)
        one_m_x_eps = pointwise.add(pointwise.rsub(x, 1), _EPSILON)
        grad_go = grad_self = grad_target = None
        if needs(self, 0):
            ggo = pointwise.div(pointwise.sub(x, t), pointwise.mul(x_eps, one_m_x_eps))
            ggo = _scale(pointwise.mul(ggo, grad), weight, red, n)
            grad_go = ggo if red == NONE else reductions.sum(ggo)
        if needs(self, 1):
            top = pointwise.add(pointwise.sub(pointwise.mul(x, x),
                                              pointwise.mul_scalar(pointwise.mul(x, t), 2)), t)
            bottom = pointwise.mul(pointwise.pow(x_eps, 2), pointwise.pow(one_m_x_eps, 2))
            grad_self = _scale(pointwise.mul(pointwise.div(top, bottom),
                                             pointwise.mul(grad, go)), weight, red, n)
        if needs(self, 2):
            denom = _clamp_min_eps(pointwise.mul(pointwise.rsub(x, 1), x))
            grad_target = _scale(pointwise.neg(pointwise.div(pointwise.mul(grad, go), denom)),
                                 weight, red, n)
        return grad_go, grad_self, grad_target


def _clamp_min_eps(t: Tensor) -> Tensor:
    return clamp_min(t, _EPSILON)


def binary_cross_entropy_backward(grad_output: Tensor, input: Tensor, target: Tensor,
                                  weight: Tensor | None, reduction: int) -> Tensor:
    """The gradient of binary_cross_entropy w.r.t. its input:
    ``grad_output * (input - target) / max(input (1 - input), 1e-12)``, weighted, divided by
    the element count for 'mean'."""
    x, t, g = input._data, target._data, grad_output._data
    out = g * (x - t) / np.maximum((1 - x) * x, x.dtype.type(_EPSILON))
    if weight is not None:
        out = out * weight._data
    if reduction == MEAN:
        out = out / x.dtype.type(x.size)
    return record(np.asarray(out, dtype=x.dtype), BinaryCrossEntropyBackwardBackward0,
                  (grad_output, input, target), grad_output=grad_output, reduction=reduction,
                  self=input, target=target, weight=weight)


__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits",
           "binary_cross_entropy_backward"]
