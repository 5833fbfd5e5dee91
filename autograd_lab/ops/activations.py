"""Piecewise activations: leaky_relu, hardtanh (relu6), threshold, prelu, hardsigmoid,
hardswish, hardshrink and softshrink (the smooth ones are in ``smooth_activations.py``).

Each op's backward node has PyTorch's name and saved fields, and, as in PyTorch, its backward is
itself an op (``leaky_relu_backward``, ``hardtanh_backward`` ...) with its own node, so a
``create_graph=True`` backward records ``LeakyReluBackwardBackward0`` & co. Where the slope is a
step function of the input, that second-order node is linear in the incoming gradient and gives
the input 0. hardsigmoid's has no derivative in PyTorch (a ``NotImplemented`` node). The in-place
forms record what PyTorch's in-place kernels record (``LeakyReluBackward1`` saves the result).

Values: products and clamps in the input's dtype, as PyTorch's CPU kernels compute them: they
agree with PyTorch bit for bit.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.explanation import DOUBLE_BACKWARD, Explanation, both, joined
from ..autograd.node import Node
from ..tensor import Tensor, _make, _scalar_type_name
from ._core import IGNORE, RESULT, apply_inplace, needs, node_for, quiet, record, unquiet
from . import pointwise, shape as shape_ops
from .remainder import _NotImplementedNode

_mul, _add, _where = pointwise.mul, pointwise.add, pointwise.where


def _float_input(input: Tensor, kernel: str) -> np.ndarray:
    """The data of a floating-point input; PyTorch's kernels refuse integer and bool tensors."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{_scalar_type_name(input.dtype)}'")
    return input._data


# -- leaky_relu ----------------------------------------------------------------------------------
_LEAKY_WORDS = both("leaky_relu keeps positive inputs and multiplies negative ones by a small "
                    "slope, so negative units still pass some gradient on.",
                    "leaky_relu 保留正的输入，把负的输入乘以一个小斜率，"
                    "所以负的单元仍能传回一点梯度。")


class LeakyReluBackward0(Node):
    """out = leaky_relu(self)  ->  d/dself = grad where self > 0, else negative_slope * grad"""
    _saved_fields = ("negative_slope", "self")
    explanation = Explanation(
        "{z} = leaky_relu({0}, {negative_slope})",
        (both("g where {0} > 0, else {negative_slope} · g",
              "{0} > 0 处为 g，其余为 {negative_slope} · g"),), _LEAKY_WORDS)

    def apply(self, grad):
        return (leaky_relu_backward(grad, self._s_self.unpack(self), self._s_negative_slope),)


class LeakyReluBackward1(Node):
    """out = leaky_relu_(self) in place  ->  d/dself = grad where out > 0, else slope * grad"""
    _saved_fields = ("negative_slope", "result")
    explanation = Explanation(
        "{z} = leaky_relu_({0}, {negative_slope})",
        (both("g where {z} > 0, else {negative_slope} · g",
              "{z} > 0 处为 g，其余为 {negative_slope} · g"),),
        joined(_LEAKY_WORDS, both(" In place: the node saved the result, whose sign is the "
                                  "input's.", "原地版本：节点保存的是结果，它的正负与输入相同。")))

    def apply(self, grad):
        return (leaky_relu_backward(grad, self._s_result.unpack(self), self._s_negative_slope,
                                    True),)


def _leaky(input: Tensor, negative_slope: Any, node: type[Node]) -> Tensor:
    x = _float_input(input, "leaky_relu_cpu")
    slope = x.dtype.type(negative_slope)
    out = np.where(x > 0, x, x * slope)
    if node is LeakyReluBackward1:
        return record(out, node, (input,), negative_slope=negative_slope, result=RESULT)
    return record(out, node, (input,), negative_slope=negative_slope, self=input)


def leaky_relu(input: Tensor, negative_slope: Any = 0.01) -> Tensor:
    """``input`` where positive, ``negative_slope * input`` elsewhere."""
    return _leaky(input, negative_slope, LeakyReluBackward0)


def leaky_relu_(input: Tensor, negative_slope: Any = 0.01) -> Tensor:
    """leaky_relu in place (its node saves the result: LeakyReluBackward1)."""
    return apply_inplace(input, _leaky, negative_slope, LeakyReluBackward1)


class LeakyReluBackwardBackward0(Node):
    """out = grad_output where self > 0 else slope * grad_output  ->  linear in grad_output;
    its mask does not change with self (0)."""
    _saved_fields = ("negative_slope", "self")
    explanation = Explanation(
        "{z} = where({1} > 0, {0}, {negative_slope} · {0})",
        (both("g where {1} > 0, else {negative_slope} · g",
              "{1} > 0 处为 g，其余为 {negative_slope} · g"), "0"),
        joined(DOUBLE_BACKWARD,
               both(" This is leaky_relu's derivative: linear in {0}, and its mask does not "
                    "change with {1}, so {1} gets 0.",
                    "这是 leaky_relu 的导数：对 {0} 是线性的，掩码不随 {1} 变化，所以 {1} 得到 0。")),
        inputs=("grad_output", "self"))

    def apply(self, grad):
        g_out = None
        if needs(self, 0):
            g_out = leaky_relu_backward(grad, self._s_self.unpack(self), self._s_negative_slope)
        return g_out, (pointwise.zeros_like(grad) if needs(self, 1) else None)


LEAKY_INPLACE_ERROR = (
    "In-place leakyReLu backward calculation is triggered with a negative slope which is not "
    "supported. This is caused by calling in-place forward function with a negative slope, "
    "please call out-of-place version instead. File an issue at "
    "https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu "
    "backward calculation with negative slope")


def leaky_relu_backward(grad_output: Tensor, input: Tensor, negative_slope: Any,
                        self_is_result: bool = False) -> Tensor:
    """The gradient of leaky_relu: ``grad_output`` where ``input > 0``, else times the slope."""
    if self_is_result and negative_slope < 0:
        raise RuntimeError(LEAKY_INPLACE_ERROR)
    g, x = grad_output._data, input._data
    out = np.where(x > 0, g, g * g.dtype.type(negative_slope))
    return record(out, LeakyReluBackwardBackward0, (grad_output, input),
                  negative_slope=negative_slope, self=input)


# -- hardtanh, relu6 -----------------------------------------------------------------------------
class HardtanhBackward0(Node):
    """out = clamp(self, min_val, max_val)  ->  d/dself = grad where min_val < self < max_val"""
    _saved_fields = ("max_val", "min_val", "self")
    explanation = Explanation(
        "{z} = hardtanh({0}, {min_val}, {max_val})",
        (both("g where {min_val} < {0} < {max_val}, else 0",
              "{min_val} < {0} < {max_val} 处为 g，其余为 0"),),
        both("hardtanh clips its input to [min_val, max_val] (relu6 clips to [0, 6]): slope 1 "
             "inside, 0 where it is clipped (and at the edges themselves).",
             "hardtanh 把输入截断到 [min_val, max_val]（relu6 截断到 [0, 6]）：区间内斜率为 1，"
             "被截断的地方（包括边界本身）斜率为 0。"))

    def apply(self, grad):
        return (hardtanh_backward(grad, self._s_self.unpack(self), self._s_min_val,
                                  self._s_max_val),)


def hardtanh(input: Tensor, min_val: Any = -1.0, max_val: Any = 1.0) -> Tensor:
    """``input`` clipped to ``[min_val, max_val]``."""
    x = input._data
    if x.dtype == np.bool_:
        raise RuntimeError("Bool inputs not supported for hardtanh")
    out = np.minimum(np.maximum(x, x.dtype.type(min_val)), x.dtype.type(max_val))
    return record(out, HardtanhBackward0, (input,), max_val=max_val, min_val=min_val,
                  self=input)


def hardtanh_(input: Tensor, min_val: Any = -1, max_val: Any = 1) -> Tensor:
    """hardtanh in place (the node saves the old value)."""
    return apply_inplace(input, hardtanh, min_val, max_val)


def relu6(input: Tensor) -> Tensor:
    """``min(max(input, 0), 6)``: hardtanh(input, 0, 6)."""
    return hardtanh(input, 0, 6)


def relu6_(input: Tensor) -> Tensor:
    """relu6 in place."""
    return apply_inplace(input, hardtanh, 0, 6)


class HardtanhBackwardBackward0(Node):
    """out = grad_output where min_val < self < max_val  ->  linear in grad_output; 0 for self"""
    _saved_fields = ("max_val", "min_val", "self")
    explanation = Explanation(
        "{z} = where({min_val} < {1} < {max_val}, {0}, 0)",
        (both("g where {min_val} < {1} < {max_val}, else 0",
              "{min_val} < {1} < {max_val} 处为 g，其余为 0"), "0"),
        joined(DOUBLE_BACKWARD,
               both(" This is hardtanh's derivative: linear in {0}; its mask does not change "
                    "with {1}, so {1} gets 0.",
                    "这是 hardtanh 的导数：对 {0} 是线性的；掩码不随 {1} 变化，所以 {1} 得到 0。")),
        inputs=("grad_output", "self"))

    def apply(self, grad):
        g_out = None
        if needs(self, 0):
            g_out = hardtanh_backward(grad, self._s_self.unpack(self), self._s_min_val,
                                      self._s_max_val)
        return g_out, (pointwise.zeros_like(grad) if needs(self, 1) else None)


def hardtanh_backward(grad_output: Tensor, input: Tensor, min_val: Any, max_val: Any) -> Tensor:
    """hardtanh's gradient: ``grad_output`` where ``min_val < input < max_val``, else 0."""
    g, x = grad_output._data, input._data
    out = np.where((x > min_val) & (x < max_val), g, g.dtype.type(0))
    return record(out, HardtanhBackwardBackward0, (grad_output, input), max_val=max_val,
                  min_val=min_val, self=input)


# -- hardsigmoid, hardswish ----------------------------------------------------------------------
class HardsigmoidBackward0(Node):
    """out = clamp(self + 3, 0, 6) / 6  ->  d/dself = grad / 6 where -3 < self < 3"""
    _saved_fields = ("self",)
    explanation = Explanation(
        "{z} = hardsigmoid({0})",
        (both("g / 6 where −3 < {0} < 3, else 0", "−3 < {0} < 3 处为 g / 6，其余为 0"),),
        both("hardsigmoid is a straight-line sigmoid: 0 below −3, 1 above 3, x/6 + 1/2 "
             "between. PyTorch has no second derivative for it.",
             "hardsigmoid 是折线版的 sigmoid：小于 −3 为 0，大于 3 为 1，中间为 x/6 + 1/2。"
             "PyTorch 没有它的二阶导数。"))

    def apply(self, grad):
        return (hardsigmoid_backward(grad, self._s_self.unpack(self)),)


class HardsigmoidBackwardNotImplemented(_NotImplementedNode):
    """``hardsigmoid_backward``'s node: PyTorch cannot differentiate it."""
    __slots__ = ()
    op = "aten::hardsigmoid_backward"
    explanation = Explanation(
        "{z} = hardsigmoid_backward({0})", (),
        both("PyTorch has no derivative for hardsigmoid's backward: a backward that reaches "
             "this node fails.",
             "PyTorch 没有 hardsigmoid 反向函数的导数：反向传播到达这个节点时会报错。"))


HardsigmoidBackwardNotImplemented.__name__ = "NotImplemented"
HardsigmoidBackwardNotImplemented.__qualname__ = "NotImplemented"


def _hardsigmoid(input: Tensor) -> Tensor:
    x = _float_input(input, "hardsigmoid_cpu")
    t = x.dtype.type
    out = np.minimum(np.maximum(x + t(3), t(0)), t(6)) / t(6)
    return record(out, HardsigmoidBackward0, (input,), self=input)


def hardsigmoid(input: Tensor) -> Tensor:
    """``clamp(x + 3, 0, 6) / 6``."""
    return _hardsigmoid(input)


def hardsigmoid_(input: Tensor) -> Tensor:
    """hardsigmoid in place."""
    return apply_inplace(input, _hardsigmoid)


def hardsigmoid_backward(grad_output: Tensor, input: Tensor) -> Tensor:
    """hardsigmoid's gradient; its own node is PyTorch's NotImplemented."""
    g, x = grad_output._data, input._data
    # (PyTorch multiplies by 1/6 as a float32 constant, for float64 too)
    out = np.where((x > -3) & (x < 3), g * g.dtype.type(np.float32(1.0 / 6.0)), g.dtype.type(0))
    # (PyTorch's NotImplemented node has an edge only for the inputs that need a gradient)
    inputs = tuple(t for t in (grad_output, input) if t.requires_grad)
    return record(out, HardsigmoidBackwardNotImplemented, inputs or (input,))


class HardswishBackward0(Node):
    """out = self * clamp(self + 3, 0, 6) / 6  ->  d/dself = hardswish_backward(grad, self)"""
    _saved_fields = ("self",)
    explanation = Explanation(
        "{z} = hardswish({0})",
        (both("0 where {0} ≤ −3, g · ({0}/3 + 1/2) where {0} < 3, else g",
              "{0} ≤ −3 处为 0，{0} < 3 处为 g · ({0}/3 + 1/2)，其余为 g"),),
        both("hardswish is x times hardsigmoid(x): 0 below −3, x above 3, a parabola between.",
             "hardswish 是 x 乘以 hardsigmoid(x)：小于 −3 为 0，大于 3 为 x，中间是一段抛物线。"))

    def apply(self, grad):
        return (hardswish_backward(grad, self._s_self.unpack(self)),)


def _hardswish(input: Tensor) -> Tensor:
    x = _float_input(input, "hardswish_cpu")
    t = x.dtype.type
    token = quiet(IGNORE)  # (-inf * 0 is nan, silently, as in PyTorch)
    try:
        out = x * np.minimum(np.maximum(x + t(3), t(0)), t(6)) / t(6)
    finally:
        unquiet(token)
    return record(out, HardswishBackward0, (input,), self=input)


def hardswish(input: Tensor) -> Tensor:
    """``x * clamp(x + 3, 0, 6) / 6``."""
    return _hardswish(input)


def hardswish_(input: Tensor) -> Tensor:
    """hardswish in place."""
    return apply_inplace(input, _hardswish)


class HardswishBackwardBackward0(Node):
    """out = hardswish_backward(grad_output, self)  ->  d/dgrad_output = hardswish_backward(grad);
    d/dself = grad * grad_output / 3 where -3 < self < 3"""
    _saved_fields = ("grad_output", "self")
    explanation = Explanation(
        "{z} = hardswish_backward({0}, {1})",
        (both("hardswish_backward(g, {1})", "hardswish_backward(g, {1})"),
         both("g · {0} / 3 where −3 < {1} < 3, else 0", "−3 < {1} < 3 处为 g · {0} / 3，其余为 0")),
        joined(DOUBLE_BACKWARD,
               both(" This is hardswish's derivative: {0} is the gradient that reached "
                    "hardswish; between −3 and 3 its slope x/3 + 1/2 grows by 1/3 per unit.",
                    "这是 hardswish 的导数：{0} 是到达 hardswish 的梯度；在 −3 与 3 之间，"
                    "斜率 x/3 + 1/2 每单位增加 1/3。")),
        inputs=("grad_output", "self"))

    def apply(self, grad):
        x = self._s_self.unpack(self)
        g_out = g_self = None
        if needs(self, 0):
            g_out = hardswish_backward(grad, x)
        if needs(self, 1):
            go = self._s_grad_output.unpack(self)
            inside = pointwise.logical_and(pointwise.lt(-3.0, x), pointwise.lt(x, 3.0))
            zero = _make(np.zeros((), x._data.dtype), None)
            g_self = _where(inside, pointwise.div_scalar(_mul(grad, go), 3.0), zero)
        return g_out, g_self


def hardswish_backward(grad_output: Tensor, input: Tensor) -> Tensor:
    """hardswish's gradient: 0 up to -3, ``grad * (x / 3 + 1/2)`` below 3, ``grad`` from 3."""
    g, x = grad_output._data, input._data
    t = g.dtype.type
    out = np.where(x <= -3, t(0), np.where(x < 3, g * (x / t(3) + t(0.5)), g))
    return record(out, HardswishBackwardBackward0, (grad_output, input), grad_output=grad_output,
                  self=input)


# -- threshold -----------------------------------------------------------------------------------
_THRESHOLD_WORDS = both("threshold keeps x where x > threshold and puts value elsewhere: slope "
                        "1 where it keeps x, 0 where it puts the constant.",
                        "threshold 在 x > threshold 处保留 x，其余位置填 value："
                        "保留处斜率为 1，填常数处斜率为 0。")


class ThresholdBackward0(Node):
    """out = self where self > threshold else value  ->  d/dself = grad where self > threshold"""
    _saved_fields = ("self", "threshold")
    explanation = Explanation(
        "{z} = threshold({0}, {threshold}, value)",
        (both("g where {0} > {threshold}, else 0", "{0} > {threshold} 处为 g，其余为 0"),),
        _THRESHOLD_WORDS)

    def apply(self, grad):
        return (pointwise.threshold_backward(grad, self._s_self.unpack(self),
                                             self._s_threshold),)


class ThresholdBackward1(ThresholdBackward0):
    """threshold_ in place: the same derivative, from the saved old value."""
    explanation = Explanation(
        "{z} = threshold_({0}, {threshold}, value)",
        (both("g where {0} > {threshold}, else 0", "{0} > {threshold} 处为 g，其余为 0"),),
        joined(_THRESHOLD_WORDS, both(" In place: the node saved the old value.",
                                      "原地版本：节点保存了原来的值。")))


def _threshold(input: Tensor, threshold: Any, value: Any, node: type[Node]) -> Tensor:
    x = input._data
    if x.dtype == np.bool_:
        raise NotImplementedError('"threshold_cpu" not implemented for \'Bool\'')
    out = np.where(x <= threshold, np.asarray(value).astype(x.dtype), x)  # (nan stays nan)
    return record(out, node, (input,), self=input, threshold=threshold)


def threshold(input: Tensor, threshold: Any, value: Any) -> Tensor:
    """``input`` where ``input > threshold``, else ``value``."""
    return _threshold(input, threshold, value, ThresholdBackward0)


def threshold_(input: Tensor, threshold: Any, value: Any) -> Tensor:
    """threshold in place (ThresholdBackward1)."""
    return apply_inplace(input, _threshold, threshold, value, ThresholdBackward1)


# -- prelu ---------------------------------------------------------------------------------------
class PreluKernelBackward0(Node):
    """out = self where self > 0 else weight * self  ->
    d/dself = grad where self > 0 else weight * grad; d/dweight = self * grad where self <= 0
    (summed to weight's shape)"""
    _saved_fields = ("self", "weight")
    explanation = Explanation(
        "{z} = prelu({0}, {1})",
        (both("g where {0} > 0, else {1} · g", "{0} > 0 处为 g，其余为 {1} · g"),
         both("{0} · g where {0} ≤ 0, else 0 (summed over what {1} was shared by)",
              "{0} ≤ 0 处为 {0} · g，其余为 0（对共享 {1} 的位置求和）")),
        both("prelu is a leaky relu whose negative slope is a learned parameter (one per "
             "channel, or one for all).",
             "prelu 是负斜率可学习的 leaky relu（每个通道一个，或全部共用一个）。"))

    def apply(self, grad):
        x = self._s_self.unpack(self)
        w = self._s_weight.unpack(self)
        return _prelu_kernel_backward(grad, x, w)


def _prelu_kernel_backward(grad: Tensor, x: Tensor, w: Tensor) -> tuple[Tensor, Tensor]:
    g, xd, wd = grad._data, x._data, w._data
    positive = xd > 0
    gx = np.where(positive, g, wd * g).astype(g.dtype, copy=False)
    gw = np.where(positive, g.dtype.type(0), xd * g).astype(g.dtype, copy=False)
    node = node_for(PreluKernelBackwardBackward0, (grad, x, w), grad_output=grad, self=x,
                    weight=w)
    return _make(np.asarray(gx), node, 0), _make(np.asarray(gw), node, 1)


class PreluKernelBackwardBackward0(Node):
    """(gI, gW) = prelu's two gradients  ->  each is linear in grad_output; gI's slope depends on
    weight, gW's on self"""
    _saved_fields = ("grad_output", "self", "weight")
    _num_outputs = 2
    explanation = Explanation(
        "", (),
        joined(DOUBLE_BACKWARD,
               both(" prelu's two gradients (for its input and its weight) are differentiated "
                    "once more: where the input is negative, the input's gradient is "
                    "weight · grad_output and the weight's is input · grad_output.",
                    "再次对 prelu 的两个梯度（对输入的和对权重的）求导：输入为负的地方，输入的梯度是 "
                    "weight · grad_output，权重的梯度是 input · grad_output。")),
        inputs=("grad_output", "self", "weight"))

    def apply(self, ggx, ggw):
        x = self._s_self.unpack(self)
        w = self._s_weight.unpack(self)
        go = self._s_grad_output.unpack(self)
        kept = pointwise.ge(x, 0)  # (PyTorch's double backward takes x = 0 as positive here)
        zero = _make(np.zeros((), x._data.dtype), None)
        g_go = g_x = g_w = None
        if needs(self, 0) and (ggx is not None or ggw is not None):
            if ggx is None:
                g_go = _where(kept, zero, _mul(ggw, x))
            elif ggw is None:
                g_go = _where(kept, ggx, _mul(ggx, w))
            else:
                g_go = _where(kept, ggx, _add(_mul(ggx, w), _mul(ggw, x)))
        # (without the gradient that would reach them, PyTorch gives self and weight zeros of
        # self's shape rather than nothing: a later sum adds them as constants)
        if needs(self, 1):
            g_x = pointwise.zeros_like(x) if ggw is None else _where(kept, zero, _mul(go, ggw))
        if needs(self, 2):
            g_w = pointwise.zeros_like(x) if ggx is None else _where(kept, zero, _mul(go, ggx))
        return g_go, g_x, g_w


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """``input`` where positive, ``weight * input`` elsewhere; ``weight`` has one element or one
    per channel (dim 1)."""
    _float_input(input, "prelu_cpu")
    ndim = input._data.ndim
    count = weight._data.size
    if count != 1:
        channels = input._data.shape[1] if ndim > 1 else 1
        if channels != count:
            raise RuntimeError("Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {count} and channel size = {channels}.")
    if input.dtype is not weight.dtype:
        raise RuntimeError("prelu: Type promoting not supported. Got "
                           f"{_scalar_type_name(input.dtype)} and "
                           f"{_scalar_type_name(weight.dtype)}")
    if weight._data.ndim > 1:
        raise RuntimeError("prelu: Expected `weight` to be a scalar or 1D tensor, but got: "
                           f"ndim = {weight._data.ndim}")
    w = weight
    if ndim != weight._data.ndim:
        dims = [1] * ndim
        if ndim > 1:
            dims[1] = count
        w = shape_ops.view(weight, tuple(dims))
    x, wd = input._data, w._data
    out = np.where(x > 0, x, wd * x).astype(x.dtype, copy=False)
    return record(np.asarray(out), PreluKernelBackward0, (input, w), self=input, weight=w)


# -- hardshrink, softshrink ----------------------------------------------------------------------
_SHRINK_GRAD = both("g where |{0}| > {lambd}, else 0", "|{0}| > {lambd} 处为 g，其余为 0")


def _shrunk(x: np.ndarray, lambd: Any) -> np.ndarray:
    """Where ``-lambd <= x <= lambd`` (the band a shrink sets to 0; nan is outside it)."""
    return (x >= -lambd) & (x <= lambd)


class HardshrinkBackward0(Node):
    """out = self where |self| > lambd else 0  ->  d/dself = grad where |self| > lambd"""
    _saved_fields = ("lambd", "self")
    explanation = Explanation(
        "{z} = hardshrink({0}, {lambd})", (_SHRINK_GRAD,),
        both("hardshrink keeps the inputs outside [−lambd, lambd] and zeroes the rest: slope 1 "
             "outside, 0 inside (and on the edges).",
             "hardshrink 保留 [−lambd, lambd] 之外的输入，其余置 0：区间外斜率为 1，"
             "区间内（包括边界）为 0。"))

    def apply(self, grad):
        return (hardshrink_backward(grad, self._s_self.unpack(self), self._s_lambd),)


class SoftshrinkBackward0(Node):
    """out = self -+ lambd outside [-lambd, lambd], else 0  ->  d/dself = grad where
    |self| > lambd"""
    _saved_fields = ("lambd", "self")
    explanation = Explanation(
        "{z} = softshrink({0}, {lambd})", (_SHRINK_GRAD,),
        both("softshrink moves every input lambd towards 0 and zeroes those within lambd of "
             "it: slope 1 outside [−lambd, lambd], 0 inside.",
             "softshrink 把每个输入向 0 移动 lambd，离 0 不到 lambd 的置 0："
             "[−lambd, lambd] 之外斜率为 1，之内为 0。"))

    def apply(self, grad):
        return (softshrink_backward(grad, self._s_self.unpack(self), self._s_lambd),)


def _check_lambd(input: Tensor, lambd: Any) -> None:
    if lambd < 0:
        top = float(np.finfo(input._data.dtype).max)
        raise RuntimeError(f"lambda must be in range [0, {top:g}] for input dtype "
                           f"{_scalar_type_name(input.dtype)}, but found {lambd:g}")


def hardshrink(input: Tensor, lambd: Any = 0.5) -> Tensor:
    """``input`` where ``|input| > lambd``, else 0."""
    x = _float_input(input, "hardshrink_cpu")
    out = np.where(_shrunk(x, lambd), x.dtype.type(0), x)
    return record(out, HardshrinkBackward0, (input,), lambd=lambd, self=input)


def softshrink(input: Tensor, lambd: Any = 0.5) -> Tensor:
    """``input - lambd`` above ``lambd``, ``input + lambd`` below ``-lambd``, else 0."""
    x = _float_input(input, "softshrink_check")
    _check_lambd(input, lambd)
    t = x.dtype.type
    token = quiet(IGNORE)
    try:
        out = np.where(x > lambd, x - t(lambd), np.where(x < -lambd, x + t(lambd), x * t(0)))
    finally:
        unquiet(token)
    return record(out, SoftshrinkBackward0, (input,), lambd=lambd, self=input)


def _shrink_double_words(forward: str) -> dict[str, str]:
    return joined(DOUBLE_BACKWARD,
                  both(f" This is {forward}'s derivative: linear in {{0}}; its mask does not "
                       "change with {1}, so {1} gets 0.",
                       f"这是 {forward} 的导数：对 {{0}} 是线性的；掩码不随 {{1}} 变化，"
                       "所以 {1} 得到 0。"))


class _ShrinkBackwardBackward(Node):
    """out = grad_output where |self| > lambd else 0  ->  linear in grad_output; 0 for self"""
    _saved_fields = ("lambd", "self")

    def apply(self, grad):
        g_out = None
        if needs(self, 0):
            g_out = _shrink_backward(type(self), grad, self._s_self.unpack(self), self._s_lambd)
        return g_out, (pointwise.zeros_like(grad) if needs(self, 1) else None)


class HardshrinkBackwardBackward0(_ShrinkBackwardBackward):
    """hardshrink's gradient, differentiated: linear in grad_output, flat in self."""
    explanation = Explanation("{z} = where(|{1}| > {lambd}, {0}, 0)", (_SHRINK_GRAD, "0"),
                              _shrink_double_words("hardshrink"),
                              inputs=("grad_output", "self"))


class SoftshrinkBackwardBackward0(_ShrinkBackwardBackward):
    """softshrink's gradient, differentiated: linear in grad_output, flat in self."""
    explanation = Explanation("{z} = where(|{1}| > {lambd}, {0}, 0)", (_SHRINK_GRAD, "0"),
                              _shrink_double_words("softshrink"),
                              inputs=("grad_output", "self"))


def _shrink_backward(node: type[Node], grad_output: Tensor, input: Tensor,
                     lambd: Any) -> Tensor:
    g, x = grad_output._data, input._data
    # (|x| > lambd, as PyTorch's vectorised kernel tests it: nan gets 0)
    out = np.where(np.abs(x) > lambd, g, g.dtype.type(0))
    return record(out, node, (grad_output, input), lambd=lambd, self=input)


def hardshrink_backward(grad_output: Tensor, input: Tensor, lambd: Any) -> Tensor:
    """hardshrink's gradient: ``grad_output`` where ``|input| > lambd``, else 0."""
    return _shrink_backward(HardshrinkBackwardBackward0, grad_output, input, lambd)


def softshrink_backward(grad_output: Tensor, input: Tensor, lambd: Any) -> Tensor:
    """softshrink's gradient: ``grad_output`` where ``|input| > lambd``, else 0."""
    return _shrink_backward(SoftshrinkBackwardBackward0, grad_output, input, lambd)


__all__ = ["leaky_relu", "leaky_relu_", "leaky_relu_backward", "hardtanh", "hardtanh_",
           "hardtanh_backward", "relu6", "relu6_", "hardsigmoid", "hardsigmoid_",
           "hardsigmoid_backward", "hardswish", "hardswish_", "hardswish_backward", "threshold",
           "threshold_", "prelu", "hardshrink", "hardshrink_backward", "softshrink",
           "softshrink_backward"]
