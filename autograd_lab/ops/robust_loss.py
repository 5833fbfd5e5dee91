"""Losses that grow linearly for large errors: huber_loss and smooth_l1_loss, each one op with
PyTorch's node (HuberLossBackward0, SmoothL1LossBackward0) whose backward is an op again
(HuberLossBackwardBackward0, SmoothL1LossBackwardBackward0), so double backward works.

With d = self - target: huber is d**2 / 2 where |d| < delta, else delta (|d| - delta / 2);
smooth_l1 is huber divided by beta (d**2 / (2 beta) inside, |d| - beta / 2 outside).
``reduction``: 0 'none', 1 'mean', 2 'sum', as in ``loss.py``.
"""
from __future__ import annotations

import numpy as np

from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor
from ._core import binary_operands, needs, record
from . import pointwise, reduction as reductions
from .loss import MEAN, NONE, _reduce

_WORDS = both("Inside the threshold the loss is quadratic, outside linear: the gradient is the "
              "error there, clipped to ±threshold outside (÷ numel for 'mean').",
              "阈值内损失是二次的，阈值外是线性的：梯度在阈值内等于误差，阈值外被截到 ±阈值"
              "（'mean' 时再除以元素个数）。")


def _huber_values(d: np.ndarray, kind: str, threshold: float) -> np.ndarray:
    z = np.abs(d)
    dt = d.dtype.type
    thr, half = dt(threshold), dt(0.5)
    if kind == "huber":
        return np.where(z < thr, half * z * z, thr * (z - half * thr))
    return np.where(z < thr, half * z * z / thr, z - half * thr)


def _huber_slope(d: np.ndarray, delta: float, scale: float) -> np.ndarray:
    """d(loss)/d(self) for each element: the error (÷ beta), clipped outside the threshold."""
    dt = d.dtype.type
    outside = dt(1.0) if scale != 1 else dt(delta)
    return np.where(d < -delta, -outside, np.where(d > delta, outside, d / dt(scale)))


class _RobustLossNode(Node):
    _kind = "huber"

    def _threshold(self) -> float:
        raise NotImplementedError

    def apply(self, grad):
        x, t = self._s_self.unpack(self), self._s_target.unpack(self)
        g = _robust_backward(self._kind, grad, x, t, self._s_reduction, self._threshold())
        return (g if needs(self, 0) else None,
                pointwise.neg(g) if needs(self, 1) else None)


class HuberLossBackward0(_RobustLossNode):
    """out = reduce(huber(self - target, delta))  ->
    d/dself = huber_loss_backward(grad, self, target, ...), d/dtarget = -that"""
    _saved_fields = ("delta", "reduction", "self", "target")
    explanation = Explanation("{z} = huber({0} - {1}, δ={delta})",
                              ("clip({0} - {1}, ±{delta}) g", "-clip({0} - {1}, ±{delta}) g"),
                              _WORDS)

    def _threshold(self) -> float:
        return self._s_delta


class SmoothL1LossBackward0(_RobustLossNode):
    """out = reduce(smooth_l1(self - target, beta))  ->
    d/dself = smooth_l1_loss_backward(grad, self, target, ...), d/dtarget = -that"""
    _saved_fields = ("beta", "reduction", "self", "target")
    _kind = "smooth_l1"
    explanation = Explanation("{z} = smooth_l1({0} - {1}, β={beta})",
                              ("clip(({0} - {1}) / {beta}, ±1) g",
                               "-clip(({0} - {1}) / {beta}, ±1) g"), _WORDS)

    def _threshold(self) -> float:
        return self._s_beta


def _robust_loss(kind: str, input: Tensor, target: Tensor, reduction: int,
                 threshold: float) -> Tensor:
    a, b, da, db, _ = binary_operands(input, target)
    if da.shape != db.shape:
        da, db = np.broadcast_arrays(da, db)
    d = da - db
    if kind == "smooth_l1" and threshold == 0:
        values = np.abs(d)
    else:
        values = _huber_values(d, kind, threshold)
    out = np.asarray(_reduce(np.asarray(values, dtype=d.dtype), reduction), dtype=d.dtype)
    if kind == "huber":
        return record(out, HuberLossBackward0, (a, b), delta=threshold, reduction=reduction,
                      self=a, target=b)
    return record(out, SmoothL1LossBackward0, (a, b), beta=threshold, reduction=reduction,
                  self=a, target=b)


def huber_loss(input: Tensor, target: Tensor, reduction: int = MEAN, delta: float = 1.0
               ) -> Tensor:
    """Huber loss: squared error / 2 for errors smaller than ``delta``, linear beyond."""
    return _robust_loss("huber", input, target, reduction, delta)


def smooth_l1_loss(input: Tensor, target: Tensor, reduction: int = MEAN, beta: float = 1.0
                   ) -> Tensor:
    """Smooth L1 loss: squared error / (2 beta) for errors smaller than ``beta``, |error| -
    beta / 2 beyond (plain L1 when beta is 0)."""
    return _robust_loss("smooth_l1", input, target, reduction, beta)


class _RobustLossBackwardNode(Node):
    _kind = "huber"

    def _threshold(self) -> float:
        raise NotImplementedError

    def apply(self, grad):
        go, x = self._s_grad_output.unpack(self), self._s_self.unpack(self)
        t, red, thr = self._s_target.unpack(self), self._s_reduction, self._threshold()
        grad_go = grad_self = grad_target = None
        if needs(self, 0):
            ggo = _robust_backward(self._kind, grad, x, t, NONE, thr)
            if red == MEAN:
                ggo = pointwise.div_scalar(ggo, x._data.size)
            grad_go = ggo if red == NONE else reductions.sum(ggo)
        if needs(self, 1) or needs(self, 2):
            d = pointwise.sub(x, t)
            inside = pointwise.lt(pointwise.abs(d), thr) if thr > 0 else None
            second = pointwise.mul(grad, go)
            if inside is None:
                second = pointwise.mul_scalar(second, 0)
            else:
                second = pointwise.mul(second, inside)
                if self._kind == "smooth_l1":
                    second = pointwise.div_scalar(second, thr)
            if red == MEAN:
                second = pointwise.div_scalar(second, x._data.size)
            grad_self = second if needs(self, 1) else None
            grad_target = pointwise.neg(second) if needs(self, 2) else None
        return grad_go, grad_self, grad_target


class HuberLossBackwardBackward0(_RobustLossBackwardNode):
    """out = clip(self - target, ±delta) * grad_output (÷ numel for 'mean')  ->
    d/dgrad_output = the same with grad, d/dself = grad * grad_output where |self - target| <
    delta (0 elsewhere), d/dtarget = -that"""
    _saved_fields = ("delta", "grad_output", "reduction", "self", "target")
    explanation = Explanation("{z} = clip({1} - {2}, ±{delta}) {0}",
                              ("clip({1} - {2}, ±{delta}) g", "g {0} [|{1} - {2}| < {delta}]",
                               "-g {0} [|{1} - {2}| < {delta}]"), _WORDS)

    def _threshold(self) -> float:
        return self._s_delta


class SmoothL1LossBackwardBackward0(_RobustLossBackwardNode):
    """out = clip((self - target) / beta, ±1) * grad_output (÷ numel for 'mean')  ->
    d/dgrad_output = the same with grad, d/dself = grad * grad_output / beta where
    |self - target| < beta, d/dtarget = -that"""
    _saved_fields = ("beta", "grad_output", "reduction", "self", "target")
    _kind = "smooth_l1"
    explanation = Explanation("{z} = clip(({1} - {2}) / {beta}, ±1) {0}",
                              ("clip(({1} - {2}) / {beta}, ±1) g",
                               "g {0} / {beta} [|{1} - {2}| < {beta}]",
                               "-g {0} / {beta} [|{1} - {2}| < {beta}]"), _WORDS)

    def _threshold(self) -> float:
        return self._s_beta


def _robust_backward(kind: str, grad_output: Tensor, input: Tensor, target: Tensor,
                     reduction: int, threshold: float) -> Tensor:
    """The gradient of the loss w.r.t. its input (an op, recorded for double backward)."""
    x, t, g = input._data, target._data, grad_output._data
    if x.shape != t.shape:
        x, t = np.broadcast_arrays(x, t)
    d = x - t
    if kind == "smooth_l1" and threshold == 0:
        slope = np.sign(d)
    else:
        slope = _huber_slope(d, threshold, threshold if kind == "smooth_l1" else 1)
    out = slope * g
    if reduction == MEAN:
        out = out / d.dtype.type(d.size)
    out = np.asarray(out, dtype=d.dtype)
    if kind == "huber":
        return record(out, HuberLossBackwardBackward0, (grad_output, input, target),
                      delta=threshold, grad_output=grad_output, reduction=reduction,
                      self=input, target=target)
    return record(out, SmoothL1LossBackwardBackward0, (grad_output, input, target),
                  beta=threshold, grad_output=grad_output, reduction=reduction, self=input,
                  target=target)


__all__ = ["huber_loss", "smooth_l1_loss"]
