"""Losses: mse_loss, nll_loss (and its spatial form nll_loss2d), cross_entropy.

``reduction`` is PyTorch's enum: 0 = 'none', 1 = 'mean', 2 = 'sum' (``nn.functional`` turns the
strings into these). As in PyTorch, ``mse_loss`` and ``nll_loss`` are single ops with their own
nodes (MseLossBackward0, NllLossBackward0) whose backwards are ops again
(``mse_loss_backward`` -> MseLossBackwardBackward0, ``nll_loss_backward`` ->
NllLossBackwardBackward0), and ``cross_entropy`` is composed of ``log_softmax`` and
``nll_loss`` (NllLossBackward0 over LogSoftmaxBackward0).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..autograd.explanation import DOUBLE_BACKWARD, Explanation, both, joined
from ..autograd.node import Node
from ..tensor import Tensor, _make, _scalar_type_name
from ._core import binary_operands, needs, record
from . import activation, pointwise, reduction as reductions, shape as shape_ops

NONE, MEAN, SUM = 0, 1, 2


def _reduce(data: np.ndarray, reduction: int) -> np.ndarray:
    if reduction == MEAN:
        with np.errstate(invalid="ignore"):
            return np.asarray(data.mean() if data.size else np.nan, dtype=data.dtype)
    if reduction == SUM:
        return np.asarray(data.sum(), dtype=data.dtype)
    return data


def _shape(t: Tensor) -> str:
    return ", ".join(str(s) for s in t._data.shape)


# -- mse_loss ----------------------------------------------------------------------------------
class MseLossBackward0(Node):
    """out = reduce((self - target) ** 2)  ->  d/dself = mse_loss_backward(grad, self, target),
    d/dtarget = mse_loss_backward(grad, target, self)"""
    _saved_fields = ("reduction", "self", "target")
    explanation = Explanation(
        "{z} = mse_loss({0}, {1})",
        ("g · 2({0} − {1}) / n", "−g · 2({0} − {1}) / n"),
        both("{z} is the mean of ({0} − {1})² (n is the number of elements; with "
             "reduction='sum' or 'none', n = 1).",
             "{z} 是 ({0} − {1})² 的平均值（n 是元素个数；reduction='sum' 或 'none' 时 n = 1）。"),
        inputs=("self", "target"))

    def apply(self, grad):
        x, t = self._s_self.unpack(self), self._s_target.unpack(self)
        return (mse_loss_backward(grad, x, t, self._s_reduction) if needs(self, 0) else None,
                mse_loss_backward(grad, t, x, self._s_reduction) if needs(self, 1) else None)


def mse_loss(input: Tensor, target: Tensor, reduction: int = MEAN) -> Tensor:
    """The squared error ``(input - target) ** 2``, averaged (1), summed (2) or not (0).
    Shapes must match (``nn.functional.mse_loss`` broadcasts them first)."""
    a, b, da, db, _ = binary_operands(input, target)
    if da.shape != db.shape:
        np.broadcast_shapes(da.shape, db.shape)  # PyTorch broadcasts here too
        da, db = np.broadcast_arrays(da, db)
    diff = da - db
    out = _reduce(diff * diff, reduction)
    return record(np.asarray(out), MseLossBackward0, (a, b), reduction=reduction, self=a,
                  target=b)


class MseLossBackwardBackward0(Node):
    """out = norm * (self - target) * grad_output  ->
    d/dgrad_output = mse_loss_backward(grad, self, target) (summed to grad_output's shape),
    d/dself = 2 * grad * grad_output (/ numel for 'mean'), d/dtarget = minus that"""
    _saved_fields = ("grad_output", "reduction", "self", "target")
    explanation = Explanation(
        "{z} = 2 · {0} · ({1} − {2}) / n",
        ("2 · g · ({1} − {2}) / n", "2 · g · {0} / n", "−2 · g · {0} / n"),
        joined(DOUBLE_BACKWARD,
               both("This is mse_loss's derivative: {0} is the gradient that reached the loss "
                    "(n as there).",
                    "这是 mse_loss 的导数：{0} 是到达损失的梯度（n 的含义同前）。")),
        inputs=("grad_output", "self", "target"))

    def apply(self, grad):
        red = self._s_reduction
        grad_grad_output = grad_self = grad_target = None
        if needs(self, 0):
            grad_grad_output = mse_loss_backward(grad, self._s_self.unpack(self),
                                                 self._s_target.unpack(self), red)
        if needs(self, 1) or needs(self, 2):
            g_out = self._s_grad_output.unpack(self)
            if needs(self, 1):
                grad_self = _mse_double_backward(pointwise.mul(grad, g_out),
                                                 self._s_self.unpack(self), red)
            if needs(self, 2):
                grad_target = pointwise.neg(_mse_double_backward(
                    pointwise.mul(grad, g_out), self._s_target.unpack(self), red))
        return grad_grad_output, grad_self, grad_target


def _mse_double_backward(grad: Tensor, input: Tensor, reduction: int) -> Tensor:
    out = pointwise.mul_scalar(grad, 2)
    if reduction == MEAN:
        out = pointwise.div_scalar(out, input._data.size)
    return out


def mse_loss_backward(grad_output: Tensor, input: Tensor, target: Tensor, reduction: int
                      ) -> Tensor:
    """The gradient of mse_loss w.r.t. ``input``: ``norm * (input - target) * grad_output``
    with norm = 2 / numel for 'mean', else 2."""
    x, t, g = input._data, target._data, grad_output._data
    norm = 2.0 / x.size if reduction == MEAN else 2.0
    out = np.asarray(np.asarray(norm, dtype=x.dtype) * (x - t) * g, dtype=x.dtype)
    return record(out, MseLossBackwardBackward0, (grad_output, input, target), reduction=reduction,
                  grad_output=grad_output, self=input, target=target)


# -- nll_loss ------------------------------------------------------------------------------------
class _NllLossNode(Node):
    """out = -weight[target] * self[target], reduced  ->
    d/dself = nll_loss_backward(grad, self, target, ...): -weight[target] * grad at each
    target (/ total_weight for 'mean'), 0 elsewhere. The target gets no gradient."""
    _saved_fields = ("ignore_index", "reduction", "self", "target", "total_weight", "weight")
    _spatial = False

    def apply(self, grad):
        w = self._s_weight
        return (nll_loss_backward(grad, self._s_self.unpack(self), self._s_target.unpack(self),
                                  None if w is None else w.unpack(self), self._s_reduction,
                                  self._s_ignore_index, self._s_total_weight.unpack(self),
                                  spatial=self._spatial),)

    @property
    def _saved_ignore_index(self) -> int:
        # PyTorch saves it as a SymInt and shows a negative one as unsigned 64-bit
        return self._s_ignore_index & 0xFFFFFFFFFFFFFFFF


class NllLossBackward0(_NllLossNode):
    __slots__ = ()
    __doc__ = _NllLossNode.__doc__
    explanation = Explanation(
        "{z} = −mean({0}[{target}])",
        (both("−g / n at the target classes, 0 elsewhere", "目标类别处为 −g / n，其余为 0"),))


class NllLoss2DBackward0(_NllLossNode):
    __slots__ = ()
    __doc__ = _NllLossNode.__doc__
    _spatial = True
    explanation = Explanation(
        "{z} = −mean({0}[{target}])",
        (both("−g / n at the target classes, 0 elsewhere", "目标类别处为 −g / n，其余为 0"),),
        both("The class dimension is dim 1; every other position is one more sample.",
             "类别在第 1 维；其余每个位置都是一个样本。"))


def _nll_rows(input: Tensor, target: Tensor, spatial: bool) -> tuple[np.ndarray, np.ndarray]:
    """Scores as (rows, classes) and targets as (rows,), whatever the layout."""
    x = input._data
    if spatial:  # (N, C, H, W) -> (N*H*W, C)
        return np.moveaxis(x, 1, -1).reshape(-1, x.shape[1]), target._data.reshape(-1)
    return x.reshape(-1, x.shape[-1]), target._data.reshape(-1)


def _check_targets(t: np.ndarray, n_classes: int, ignore_index: int) -> np.ndarray:
    """The rows that count (not ignore_index); refuses a target outside [0, n_classes)."""
    keep = t != ignore_index
    bad = keep & ((t < 0) | (t >= n_classes))
    if bad.any():
        raise IndexError(f"Target {int(t[bad][0])} is out of bounds.")
    return keep


def _all_counted(x: np.ndarray, t: np.ndarray, ignore_index: int) -> bool:
    """Whether ``x`` is (N, C) with N > 0 and every target of ``t`` (N,) is a class in
    [0, C) that ``ignore_index`` does not name: no row is ignored, none out of bounds."""
    if x.ndim != 2 or t.ndim != 1 or t.dtype != np.int64 or not len(t):
        return False
    n_classes = x.shape[1]
    if 0 <= ignore_index < n_classes:
        return False
    return bool(t.min() >= 0 and t.max() < n_classes)


def _check_nll(input: Tensor, target: Tensor, weight: Tensor | None, spatial: bool) -> None:
    if target.dtype not in (dtypes.int64, dtypes.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{_scalar_type_name(target.dtype)}")
    x, t = input._data, target._data
    if spatial:
        if t.ndim != 3:
            raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got "
                               f"targets of dimension: {t.ndim}")
        if x.ndim != 4:
            raise RuntimeError(f"only batches of spatial inputs supported (4D tensors), but got "
                               f"input of dimension: {x.ndim}")
        if x.shape[0] != t.shape[0] or x.shape[2:] != t.shape[1:]:
            raise RuntimeError(f"input and target batch or spatial sizes don't match: target "
                               f"[{_shape(target)}], input [{_shape(input)}]")
        n_classes = x.shape[1]
    else:
        if not 0 < x.ndim <= 2:
            raise RuntimeError("input tensor should be 1D or 2D")
        if t.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if not (x.ndim == 1 and t.ndim == 0) and x.shape[0] != (t.shape[0] if t.ndim else 1):
            raise RuntimeError(f"size mismatch (got input: [{_shape(input)}], target: "
                               f"[{_shape(target)}])")
        n_classes = x.shape[-1]
    if weight is not None and (weight._data.ndim != 1 or weight._data.size != n_classes):
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes "
                           f"or no classes but got weight tensor of shape: [{_shape(weight)}]")


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
             reduction: int = MEAN, ignore_index: int = -100, *, spatial: bool = False
             ) -> Tensor:
    """The negative log likelihood of class indices ``target`` under log-probabilities
    ``input`` (N, C) or (C,) (``spatial``: (N, C, H, W) with targets (N, H, W), PyTorch's
    nll_loss2d). Classes may be weighted; targets equal to ``ignore_index`` do not count."""
    _check_nll(input, target, weight, spatial)
    x = input._data
    if weight is None and not spatial and reduction != NONE and _all_counted(
            x, target._data, ignore_index):
        # the common case, (N, C) scores and every target a class (the general path below
        # gives the same values: it multiplies by weights of 1 and divides by N)
        t = target._data
        losses = -x[np.arange(len(t)), t]
        total_weight = np.asarray(len(t), dtype=x.dtype)
        out = losses.sum(dtype=x.dtype)
        if reduction == MEAN:
            out = out / total_weight
        return record(np.asarray(out, dtype=x.dtype), NllLossBackward0, (input,),
                      reduction=reduction, ignore_index=ignore_index, self=input,
                      target=target, weight=None, total_weight=_make(total_weight, None))
    rows, t = _nll_rows(input, target, spatial)
    n_classes = rows.shape[1]
    keep = _check_targets(t, n_classes, ignore_index)
    safe_t = np.where(keep, t, 0).astype(np.int64)
    picked = rows[np.arange(len(t)), safe_t] if len(t) else np.zeros(0, x.dtype)
    w = (weight._data[safe_t].astype(x.dtype) if weight is not None
         else np.ones(len(t), dtype=x.dtype))
    w = np.where(keep, w, 0).astype(x.dtype)
    losses = -picked * w
    total_weight = np.asarray(w.sum() if weight is not None else keep.sum(), dtype=x.dtype)
    if reduction == NONE and (x.ndim == 2 or spatial):
        out = losses.reshape(target._data.shape).astype(x.dtype)
    else:
        out = losses.sum(dtype=x.dtype)
        if reduction == MEAN:
            with np.errstate(invalid="ignore", divide="ignore"):
                out = out / total_weight if len(t) else np.asarray(np.nan, dtype=x.dtype)
        elif not len(t):
            out = np.zeros((), dtype=x.dtype)
        out = np.asarray(out, dtype=x.dtype)
    return record(out, NllLoss2DBackward0 if spatial else NllLossBackward0, (input,),
                  reduction=reduction, ignore_index=ignore_index, self=input, target=target,
                  weight=weight, total_weight=_make(total_weight, None))


class _NllLossBackwardNode(Node):
    """out = nll_loss_backward(grad_output, self, ...), linear in grad_output  ->
    d/dgrad_output = nll_loss(grad, target, weight, ...), d/dself = 0"""
    _saved_fields = ("ignore_index", "reduction", "target", "total_weight", "weight")
    _spatial = False

    def apply(self, grad):
        grad_grad_output = None
        if needs(self, 0):
            w = self._s_weight
            grad_grad_output = nll_loss(grad, self._s_target.unpack(self),
                                        None if w is None else w.unpack(self),
                                        self._s_reduction, self._s_ignore_index,
                                        spatial=self._spatial)
        return grad_grad_output, (pointwise.zeros_like(grad) if needs(self, 1) else None)


class NllLossBackwardBackward0(_NllLossBackwardNode):
    __slots__ = ()
    __doc__ = _NllLossBackwardNode.__doc__
    explanation = Explanation(
        "{z} = nll_loss_backward({0}, {1})", ("nll_loss(g, {target})", "0"),
        joined(DOUBLE_BACKWARD,
               both("This is nll_loss's derivative: −{0} / n at the target classes, linear in "
                    "{0} and not depending on the values of {1}.",
                    "这是 nll_loss 的导数：目标类别处为 −{0} / n，对 {0} 是线性的，与 {1} 的值无关。")),
        inputs=("grad_output", "self"))


class NllLoss2DBackwardBackward0(_NllLossBackwardNode):
    __slots__ = ()
    __doc__ = _NllLossBackwardNode.__doc__
    _spatial = True
    explanation = Explanation(
        "{z} = nll_loss_backward({0}, {1})", ("nll_loss(g, {target})", "0"),
        joined(DOUBLE_BACKWARD,
               both("This is nll_loss's derivative: −{0} / n at the target classes, linear in "
                    "{0} and not depending on the values of {1}.",
                    "这是 nll_loss 的导数：目标类别处为 −{0} / n，对 {0} 是线性的，与 {1} 的值无关。")),
        inputs=("grad_output", "self"))


def nll_loss_backward(grad_output: Tensor, input: Tensor, target: Tensor,
                      weight: Tensor | None, reduction: int, ignore_index: int,
                      total_weight: Tensor, *, spatial: bool = False) -> Tensor:
    """The gradient of nll_loss w.r.t. its input: ``-weight[t] * grad_output`` at each target
    position (divided by ``total_weight`` for 'mean'), zero elsewhere."""
    x = input._data
    if weight is None and not spatial and reduction != NONE and _all_counted(
            x, target._data, ignore_index):
        # the common case (see nll_loss): -grad_output / N (or -grad_output) at each target
        t = target._data
        g = grad_output._data.astype(x.dtype).reshape(())
        out = np.zeros_like(x)
        out[np.arange(len(t)), t] = -(g / total_weight._data if reduction == MEAN else g)
        return record(out, NllLossBackwardBackward0, (grad_output, input), reduction=reduction,
                      ignore_index=ignore_index, target=target, weight=None,
                      total_weight=total_weight)
    rows, t = _nll_rows(input, target, spatial)
    keep = _check_targets(t, rows.shape[1], ignore_index)
    safe_t = np.where(keep, t, 0).astype(np.int64)
    w = (weight._data[safe_t].astype(x.dtype) if weight is not None
         else np.ones(len(t), dtype=x.dtype))
    g = grad_output._data.astype(x.dtype)
    if reduction == NONE and (x.ndim == 2 or spatial):
        scale = -w * g.reshape(-1)
    else:
        g = g.reshape(())
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = -w * (g / total_weight._data if reduction == MEAN else g)
    grad_rows = np.zeros_like(rows)
    idx = np.nonzero(keep)[0]
    grad_rows[idx, safe_t[idx]] = scale[idx] if np.ndim(scale) else scale
    if spatial:
        n, c = x.shape[:2]
        out = np.moveaxis(grad_rows.reshape((n,) + x.shape[2:] + (c,)), -1, 1)
        out = np.ascontiguousarray(out)
    else:
        out = grad_rows.reshape(x.shape)
    return record(out, NllLoss2DBackwardBackward0 if spatial else NllLossBackwardBackward0,
                  (grad_output, input), reduction=reduction, ignore_index=ignore_index,
                  target=target, weight=weight, total_weight=total_weight)


def nll_loss_nd(input: Tensor, target: Tensor, weight: Tensor | None = None,
                reduction: int = MEAN, ignore_index: int = -100) -> Tensor:
    """nll_loss for any number of dimensions, as PyTorch routes it: (C,) and (N, C) directly,
    (N, C, H, W) as nll_loss2d, other (N, C, d1, ...) viewed as (N, C, 1, d1*...)."""
    x, t = input._data, target._data
    if x.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {x.ndim})")
    if x.ndim != 1 and x.shape[0] != (t.shape[0] if t.ndim else None):
        raise ValueError(f"Expected input batch_size ({x.shape[0]}) to match target batch_size "
                         f"({t.shape[0] if t.ndim else ''}).")
    if x.ndim <= 2:
        return nll_loss(input, target, weight, reduction, ignore_index)
    if x.ndim == 4:
        return nll_loss(input, target, weight, reduction, ignore_index, spatial=True)
    n, c = x.shape[:2]
    out_size = (n,) + x.shape[2:]
    if t.shape[1:] != x.shape[2:]:
        raise RuntimeError(f"Expected target size {list(out_size)}, got {list(t.shape)}")
    input_ = input.contiguous()
    target_ = target.contiguous()
    if x.size > 0:
        input_ = shape_ops.view(input_, (n, c, 1, -1))
    else:
        input_ = shape_ops.view(input_, (n, c, 0, 0))
    if t.size > 0:
        target_ = shape_ops.view(target_, (n, 1, -1))
    else:
        target_ = shape_ops.view(target_, (n, 0, 0))
    out = nll_loss(input_, target_, weight, reduction, ignore_index, spatial=True)
    if reduction != NONE:
        return out
    return shape_ops.view(out, out_size)


# -- cross_entropy: log_softmax + nll_loss -------------------------------------------------------
def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  reduction: int = MEAN, ignore_index: int = -100,
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross entropy of logits ``input`` against class indices (``nll_loss`` of
    ``log_softmax``) or, when ``target`` has ``input``'s shape, class probabilities."""
    class_dim = 0 if input._data.ndim == 1 else 1
    if input._data.shape == target._data.shape:
        if not target.dtype.is_floating_point:
            raise RuntimeError(f"Expected floating point type for target with class "
                               f"probabilities, got {_scalar_type_name(target.dtype)}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _cross_entropy_probs(input, target, weight, reduction, label_smoothing)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                               f"{label_smoothing}")
        return _cross_entropy_smoothed(input, target, weight, reduction, ignore_index,
                                       label_smoothing)
    return nll_loss_nd(activation.log_softmax(input, class_dim), target, weight, reduction,
                       ignore_index)


def _class_view(weight: Tensor, ndim: int, class_dim: int) -> Tensor:
    """The per-class weights shaped to broadcast along the class dimension."""
    if ndim <= 1:
        return weight
    shape = [1] * ndim
    shape[class_dim] = weight._data.shape[0]
    return shape_ops.view(weight, tuple(shape))


def _cross_entropy_probs(input: Tensor, target: Tensor, weight: Tensor | None, reduction: int,
                         label_smoothing: float) -> Tensor:
    class_dim = 0 if input._data.ndim == 1 else 1
    n_classes = input._data.shape[class_dim]
    if weight is not None and (weight._data.ndim != 1 or weight._data.size != n_classes):
        raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all "
                           f"{n_classes} classes or no classes but got weight tensor of shape: "
                           f"[{_shape(weight)}]")
    logp = activation.log_softmax(input, class_dim)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                               f"{label_smoothing}")
        target = activation._add_scalar(pointwise.mul_scalar(target, 1 - label_smoothing),
                                        label_smoothing / n_classes)
    prod = pointwise.mul(logp, target)
    if weight is not None:
        prod = pointwise.mul(prod, _class_view(weight, logp._data.ndim, class_dim))
    if reduction == NONE:
        return pointwise.neg(reductions.sum(prod, class_dim))
    total = pointwise.neg(reductions.sum(prod))
    if reduction == SUM:
        return total
    if logp._data.size == 0:
        return pointwise.fill_(total, float("nan"))
    return pointwise.div_scalar(total, logp._data.size // n_classes)


def _cross_entropy_smoothed(input: Tensor, target: Tensor, weight: Tensor | None,
                            reduction: int, ignore_index: int, label_smoothing: float
                            ) -> Tensor:
    class_dim = 0 if input._data.ndim == 1 else 1
    logp = activation.log_softmax(input, class_dim)
    nll = nll_loss_nd(logp, target, weight, reduction, ignore_index)
    n_classes = logp._data.shape[class_dim]
    if weight is not None:
        smooth = pointwise.neg(reductions.sum(
            pointwise.mul(logp, _class_view(weight, logp._data.ndim, class_dim)), class_dim))
    else:
        smooth = pointwise.neg(reductions.sum(logp, class_dim))
    ignore_mask = pointwise.eq(target, ignore_index)
    smooth = pointwise.masked_fill_(smooth, ignore_mask, 0.0)
    if reduction == MEAN:
        if weight is not None:
            kept = target._data[~ignore_mask._data].reshape(-1)
            denominator = _make(np.asarray(weight._data[kept].sum(), dtype=weight._data.dtype),
                                None)
        else:
            denominator = reductions.sum(pointwise.logical_not(ignore_mask))
        ret = pointwise.div(reductions.sum(smooth), denominator)
    elif reduction == SUM:
        ret = reductions.sum(smooth)
    else:
        ret = smooth
    # PyTorch's C++ evaluates the right operand of this sum first: the smoothing term's node
    # is created before the nll term's, which orders the passes of higher derivatives
    smoothing_term = pointwise.mul_scalar(ret, label_smoothing / n_classes)
    return pointwise.add(pointwise.mul_scalar(nll, 1 - label_smoothing), smoothing_term)


__all__ = ["mse_loss", "nll_loss", "nll_loss_nd", "cross_entropy", "mse_loss_backward",
           "nll_loss_backward"]
