"""The activation functions learners meet beyond relu/sigmoid/tanh: leaky_relu, elu (selu,
celu), gelu, silu, mish, softplus, hardtanh (relu6), hardsigmoid, hardswish, log_sigmoid,
threshold, prelu, glu; softsign, tanhshrink and softmin are compositions of recorded ops, as in
PyTorch.

Each op's backward node has PyTorch's name and saved fields, and, as in PyTorch, its backward is
itself an op (``leaky_relu_backward``, ``elu_backward``, ``gelu_backward`` ...) with its own
node, so a ``create_graph=True`` backward records ``GeluBackwardBackward0`` & co.; those nodes
differentiate once more with recorded ops. silu and mish have no such node: with grad mode on,
their backward is recorded op by op (PyTorch's "infinitely differentiable" form).

Values: the kernels follow PyTorch's CPU kernels step by step in the input's dtype, each
transcendental function (exp, log1p, tanh, erf) rounded once from float64 (``_r``). PyTorch's
vectorised functions are within an ulp of that, so results agree to a few ulps (the tests allow
4; products and clamps such as leaky_relu's and hardtanh's are bit for bit). gelu is the
exception: PyTorch's float32 kernel is less accurate in the tails (about 1e-7 absolute, e.g.
gelu(-5.5) is -0.0 there); ours gives the correctly rounded value.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd import grad_mode
from ..autograd.explanation import DOUBLE_BACKWARD, Explanation, both, joined
from ..autograd.node import Node
from ..tensor import Tensor, _make, _scalar_type_name
from ._core import IGNORE, RESULT, apply_inplace, needs, node_for, quiet, record, unquiet
from . import activation, pointwise, shape as shape_ops, split as split_ops
from .remainder import _NotImplementedNode

_mul, _add, _sub, _where = pointwise.mul, pointwise.add, pointwise.sub, pointwise.where
_mul_scalar, _add_scalar = pointwise.mul_scalar, pointwise.add_scalar


def _float_input(input: Tensor, kernel: str) -> np.ndarray:
    """The data of a floating-point input; PyTorch's kernels refuse integer and bool tensors."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{_scalar_type_name(input.dtype)}'")
    return input._data


def _in64(fn: Any, *arrays: np.ndarray) -> np.ndarray:
    """``fn`` of the arrays computed in float64 and rounded once to the first array's dtype."""
    dtype = arrays[0].dtype
    token = quiet(IGNORE)
    try:
        out = fn(*(a.astype(np.float64) for a in arrays))
    finally:
        unquiet(token)
    return np.asarray(out).astype(dtype, copy=False)


def _r(fn: Any, a: np.ndarray) -> np.ndarray:
    """A transcendental function of ``a`` computed in float64 and rounded once to a's dtype."""
    token = quiet(IGNORE)
    try:
        return np.asarray(fn(a.astype(np.float64))).astype(a.dtype, copy=False)
    finally:
        unquiet(token)


def _kernel(fn: Any, *arrays: Any) -> np.ndarray:
    """``fn(*arrays)`` run in the arrays' own dtype, with NumPy's overflow warnings off."""
    token = quiet(IGNORE)
    try:
        return np.asarray(fn(*arrays))
    finally:
        unquiet(token)


def _mask(t: Tensor, fn: Any) -> Tensor:
    """A 0/1 tensor of ``t``'s dtype, ``fn(t's data)``: a constant (no gradient flows through)."""
    return _make(np.asarray(fn(t._data)).astype(t._data.dtype), None)


def _ones_like(t: Tensor) -> Tensor:
    return _make(np.ones(t._data.shape, t._data.dtype), None)


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


# -- elu, selu, celu -----------------------------------------------------------------------------
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _elu_kernel(x: np.ndarray, alpha: Any, scale: Any, input_scale: Any) -> np.ndarray:
    t = x.dtype.type
    negcoef, poscoef, negiptcoef = t(alpha * scale), t(scale), t(input_scale)
    return _kernel(lambda v: np.where(v > 0, v * poscoef, _r(np.expm1, v * negiptcoef) * negcoef),
                   x)


_ELU_WORDS = both("elu is the identity (times scale) for positive inputs and a smooth curve "
                  "scale·alpha·(exp(x·input_scale) − 1) that levels off at −scale·alpha for "
                  "negative ones; its slope there is input_scale·scale·alpha·exp(x·input_scale).",
                  "elu 对正的输入是恒等（乘以 scale），对负的输入是平滑曲线 "
                  "scale·alpha·(exp(x·input_scale) − 1)，趋于 −scale·alpha；"
                  "那里的斜率是 input_scale·scale·alpha·exp(x·input_scale)。")


class EluBackward0(Node):
    """out = elu(self)  ->  d/dself = elu_backward(grad, alpha, scale, input_scale, False, self)"""
    _saved_fields = ("alpha", "input_scale", "scale", "self")
    explanation = Explanation(
        "{z} = elu({0})",
        (both("g · {scale} where {0} > 0, else g · {input_scale} · {scale} · "
              "{alpha}exp({input_scale} · {0})",
              "{0} > 0 处为 g · {scale}，其余为 g · {input_scale} · {scale} · "
              "{alpha}exp({input_scale} · {0})"),), _ELU_WORDS)

    def apply(self, grad):
        return (elu_backward(grad, self._s_alpha, self._s_scale, self._s_input_scale, False,
                             self._s_self.unpack(self)),)


class EluBackward1(Node):
    """out = elu_(self) in place  ->  d/dself = elu_backward(grad, ..., True, result)"""
    _saved_fields = ("alpha", "input_scale", "result", "scale")
    explanation = Explanation(
        "{z} = elu_({0})",
        (both("g · {scale} where {z} > 0, else g · {input_scale} · ({z} + {alpha}{scale})",
              "{z} > 0 处为 g · {scale}，其余为 g · {input_scale} · ({z} + {alpha}{scale})"),),
        joined(_ELU_WORDS, both(" In place: the slope is worked out from the saved result.",
                                "原地版本：斜率由保存的结果算出。")))

    def apply(self, grad):
        return (elu_backward(grad, self._s_alpha, self._s_scale, self._s_input_scale, True,
                             self._s_result.unpack(self)),)


class CeluBackward0(Node):
    """out = celu(self, alpha)  ->  d/dself = elu_backward(grad, alpha, 1, 1/alpha, False, self)"""
    _saved_fields = ("alpha", "self")
    explanation = Explanation(
        "{z} = celu({0})",
        (both("g where {0} > 0, else g · exp({0} / alpha)",
              "{0} > 0 处为 g，其余为 g · exp({0} / alpha)"),),
        both("celu is elu with input_scale 1/alpha: continuously differentiable at 0, where "
             "both sides have slope 1.",
             "celu 是 input_scale 为 1/alpha 的 elu：在 0 处连续可导，两侧斜率都是 1。"))

    def apply(self, grad):
        alpha = self._s_alpha
        return (elu_backward(grad, alpha, 1, 1.0 / alpha, False, self._s_self.unpack(self)),)


class CeluBackward1(Node):
    """out = celu_(self, alpha) in place  ->  elu_backward(grad, alpha, 1, 1/alpha, True, result)"""
    _saved_fields = ("alpha", "result")
    explanation = Explanation(
        "{z} = celu_({0})",
        (both("g where {z} > 0, else g · ({z} / alpha + 1)",
              "{z} > 0 处为 g，其余为 g · ({z} / alpha + 1)"),),
        both("celu in place: the slope is worked out from the saved result.",
             "原地版本的 celu：斜率由保存的结果算出。"))

    def apply(self, grad):
        alpha = self._s_alpha
        return (elu_backward(grad, alpha, 1, 1.0 / alpha, True, self._s_result.unpack(self)),)


def _elu(input: Tensor, alpha: Any, scale: Any, input_scale: Any, node: type[Node],
         kernel: str = "elu_cpu") -> Tensor:
    x = _float_input(input, kernel)
    out = _elu_kernel(x, alpha, scale, input_scale)
    if node is CeluBackward0:
        return record(out, node, (input,), alpha=alpha, self=input)
    if node is CeluBackward1:
        return record(out, node, (input,), alpha=alpha, result=RESULT)
    if node is EluBackward1:
        return record(out, node, (input,), alpha=alpha, input_scale=input_scale, scale=scale,
                      result=RESULT)
    return record(out, node, (input,), alpha=alpha, input_scale=input_scale, scale=scale,
                  self=input)


def elu(input: Tensor, alpha: Any = 1.0, scale: Any = 1, input_scale: Any = 1) -> Tensor:
    """``scale * x`` for x > 0, ``scale * alpha * (exp(x * input_scale) - 1)`` elsewhere."""
    return _elu(input, alpha, scale, input_scale, EluBackward0)


def elu_(input: Tensor, alpha: Any = 1, scale: Any = 1, input_scale: Any = 1) -> Tensor:
    """elu in place (its node saves the result: EluBackward1)."""
    return apply_inplace(input, _elu, alpha, scale, input_scale, EluBackward1)


def selu(input: Tensor) -> Tensor:
    """elu with PyTorch's self-normalising constants (scale ~1.0507, alpha ~1.6733)."""
    return _elu(input, SELU_ALPHA, SELU_SCALE, 1, EluBackward0)


def selu_(input: Tensor) -> Tensor:
    """selu in place (EluBackward1)."""
    return apply_inplace(input, _elu, SELU_ALPHA, SELU_SCALE, 1, EluBackward1)


def _check_celu(alpha: Any) -> None:
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")


def celu(input: Tensor, alpha: Any = 1.0) -> Tensor:
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``."""
    _check_celu(alpha)
    return _elu(input, alpha, 1, 1.0 / alpha, CeluBackward0)


def celu_(input: Tensor, alpha: Any = 1.0) -> Tensor:
    """celu in place (CeluBackward1)."""
    _check_celu(alpha)
    return apply_inplace(input, _elu, alpha, 1, 1.0 / alpha, CeluBackward1)


class EluBackwardBackward0(Node):
    """out = elu_backward(grad_output, ..., self_or_result)  ->
    d/dgrad_output = elu_backward(grad, ...); d/dself_or_result = the slope's own derivative"""
    _saved_fields = ("alpha", "grad_output", "input_scale", "is_result", "scale",
                     "self_or_result")
    explanation = Explanation(
        "{z} = elu_backward({0}, {1})",
        (both("elu_backward(g, {1})", "elu_backward(g, {1})"),
         both("g · {0} · {input_scale} · (elu's slope) where {1} < 0, else 0",
              "{1} < 0 处为 g · {0} · {input_scale} ·（elu 的斜率），其余为 0")),
        joined(DOUBLE_BACKWARD,
               both(" This is elu's derivative: {0} is the gradient that reached elu; on the "
                    "negative side the slope is an exponential, whose derivative is "
                    "input_scale times itself.",
                    "这是 elu 的导数：{0} 是到达 elu 的梯度；负半轴上斜率是指数函数，"
                    "它的导数是自身乘以 input_scale。")),
        inputs=("grad_output", "self_or_result"))

    def apply(self, grad):
        s = self._s_self_or_result.unpack(self)
        alpha, scale, input_scale = self._s_alpha, self._s_scale, self._s_input_scale
        is_result = self._s_is_result
        g_out = g_self = None
        if needs(self, 0):
            g_out = elu_backward(grad, alpha, scale, input_scale, is_result, s)
        if needs(self, 1):
            go = self._s_grad_output.unpack(self)
            negative = _mask(s, lambda v: v < 0)
            scaled = _mul_scalar(_mul(grad, go), input_scale)
            if is_result:
                g_self = _mul(scaled, negative)
            else:
                g_self = _mul(elu_backward(scaled, alpha, scale, input_scale, is_result, s),
                              negative)
        return g_out, g_self


ELU_INPLACE_ERROR = (
    "In-place elu backward calculation is triggered with a negative slope which is not "
    "supported. This is caused by calling in-place forward function with a negative slope, "
    "please call out-of-place version instead.")


def elu_backward(grad_output: Tensor, alpha: Any, scale: Any, input_scale: Any,
                 is_result: bool, self_or_result: Tensor) -> Tensor:
    """elu's gradient, from its input (``is_result=False``) or from its result."""
    if is_result and alpha < 0:
        raise RuntimeError(ELU_INPLACE_ERROR)
    g, s = grad_output._data, self_or_result._data
    t = g.dtype.type
    negcoef, poscoef, negiptcoef = t(alpha * scale), t(scale), t(input_scale)
    if is_result:
        out = _kernel(lambda gg, v: np.where(v > 0, gg * poscoef,
                                             gg * negiptcoef * (v + negcoef)), g, s)
    else:
        out = _kernel(lambda gg, v: np.where(
            v > 0, gg * poscoef, gg * negiptcoef * negcoef * _r(np.exp, v * negiptcoef)), g, s)
    return record(out, EluBackwardBackward0, (grad_output, self_or_result), alpha=alpha,
                  grad_output=grad_output, input_scale=input_scale, is_result=bool(is_result),
                  scale=scale, self_or_result=self_or_result)


# -- gelu ----------------------------------------------------------------------------------------
_ERF = np.frompyfunc(math.erf, 1, 1)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_KAPPA = 0.044715
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
APPROXIMATE_ERROR = "approximate argument must be either none or tanh."


def _erf64(v: np.ndarray) -> np.ndarray:
    return np.asarray(_ERF(v), dtype=np.float64).reshape(v.shape)


def _gelu_values(x: np.ndarray, approximate: str) -> np.ndarray:
    t = x.dtype.type
    if approximate == "tanh":
        inner = t(_SQRT_2_OVER_PI) * (x + t(_KAPPA) * (x * x * x))
        return t(0.5) * x * (t(1) + _r(np.tanh, inner))
    if x.dtype == np.float32:  # correctly rounded (see the module's docstring)
        return np.asarray(0.5 * x * (1 + _erf64(x.astype(np.float64) * math.sqrt(0.5)))).astype(
            np.float32)
    return (x * t(0.5)) * (t(1) + _r(_erf64, x * t(math.sqrt(0.5))))


def _gelu_backward_values(dy: np.ndarray, x: np.ndarray, approximate: str) -> np.ndarray:
    t = x.dtype.type
    if approximate == "tanh":
        beta, kappa = t(_SQRT_2_OVER_PI), t(_KAPPA)
        x_sq = x * x
        th = _r(np.tanh, beta * (x + kappa * (x_sq * x)))
        left_derivative = t(0.5) * (t(1) + th)
        inner_derivative = beta * (t(1) + t(3) * kappa * x_sq)
        right_derivative = t(0.5) * x * (t(1) - th * th) * inner_derivative
        return dy * (left_derivative + right_derivative)
    if x.dtype == np.float32:
        v = x.astype(np.float64)
        slope = 0.5 * (1 + _erf64(v * math.sqrt(0.5))) + v * _INV_SQRT_2PI * np.exp(-0.5 * v * v)
        return (dy.astype(np.float64) * slope).astype(np.float32)
    cdf = t(0.5) * (t(1) + _r(_erf64, x * t(math.sqrt(0.5))))
    pdf = t(_INV_SQRT_2PI) * _r(np.exp, x * x * t(-0.5))
    return (x * pdf + cdf) * dy


def _check_approximate(approximate: str) -> None:
    if approximate not in ("none", "tanh"):
        raise RuntimeError(APPROXIMATE_ERROR)


class GeluBackward0(Node):
    """out = gelu(self)  ->  d/dself = gelu_backward(grad, self, approximate)
    = grad * (Phi(self) + self * phi(self))"""
    _saved_fields = ("approximate", "self")
    explanation = Explanation(
        "{z} = gelu({0})",
        (both("g · (Φ({0}) + {0} · φ({0}))", "g · (Φ({0}) + {0} · φ({0}))"),),
        both("gelu weighs its input by Φ, the probability that a standard normal variable is "
             "below it: x·Φ(x). Its slope Φ(x) + x·φ(x) adds the normal density φ; "
             "approximate='tanh' uses a tanh formula for Φ.",
             "gelu 用 Φ（标准正态变量小于输入的概率）给输入加权：x·Φ(x)。它的斜率 "
             "Φ(x) + x·φ(x) 多了正态密度 φ；approximate='tanh' 用一个 tanh 公式近似 Φ。"))

    def apply(self, grad):
        return (gelu_backward(grad, self._s_self.unpack(self), self._s_approximate),)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """``x * Phi(x)`` (Phi the standard normal CDF; ``approximate='tanh'``: its tanh formula)."""
    _check_approximate(approximate)
    x = _float_input(input, "GeluKernelImpl")
    out = _kernel(_gelu_values, x, approximate)
    return record(out, GeluBackward0, (input,), approximate=approximate, self=input)


class GeluBackwardBackward0(Node):
    """out = grad_output * gelu'(self)  ->  d/dgrad_output = gelu_backward(grad, self);
    d/dself = grad * grad_output * gelu''(self)"""
    _saved_fields = ("approximate", "grad_output", "self")
    explanation = Explanation(
        "{z} = {0} · gelu′({1})",
        (both("gelu_backward(g, {1})", "gelu_backward(g, {1})"), "g · {0} · gelu″({1})"),
        joined(DOUBLE_BACKWARD,
               both(" This is gelu's derivative: {0} is the gradient that reached gelu, {1} "
                    "its input; for approximate='none', gelu″(x) = φ(x) · (2 − x²).",
                    "这是 gelu 的导数：{0} 是到达 gelu 的梯度，{1} 是它的输入；"
                    "approximate='none' 时 gelu″(x) = φ(x) · (2 − x²)。")),
        inputs=("grad_output", "self"))

    def apply(self, grad):
        x = self._s_self.unpack(self)
        approximate = self._s_approximate
        g_out = g_self = None
        if needs(self, 0):
            g_out = gelu_backward(grad, x, approximate)
        if needs(self, 1):
            go = self._s_grad_output.unpack(self)
            g_self = _mul(_mul(grad, go), _gelu_second(x, approximate))
        return g_out, g_self


def _gelu_second(x: Tensor, approximate: str) -> Tensor:
    """gelu''(x) as recorded ops (so that a third derivative can follow)."""
    sq = _mul(x, x)
    if approximate == "tanh":
        beta, kappa = _SQRT_2_OVER_PI, _KAPPA
        inner = _mul_scalar(_add(x, _mul_scalar(_mul(sq, x), kappa)), beta)
        t = activation.tanh(inner)
        sech2 = pointwise.rsub(_mul(t, t), 1)           # 1 - tanh^2
        h = _mul_scalar(_add_scalar(_mul_scalar(sq, 3 * kappa), 1), beta)
        # d/dx [0.5 (1 + t) + 0.5 x sech2 h]
        first = _mul(_mul_scalar(sech2, 0.5), h)
        second = _mul(_mul(_mul_scalar(x, -1.0), _mul(t, sech2)), _mul(h, h))
        third = _mul(_mul_scalar(x, 0.5), _mul(sech2, _mul_scalar(x, 6 * kappa * beta)))
        return _add(_add(_mul_scalar(first, 2.0), second), third)
    pdf = _mul_scalar(pointwise.exp(_mul_scalar(sq, -0.5)), _INV_SQRT_2PI)
    return _mul(pdf, pointwise.rsub(sq, 2))


def gelu_backward(grad_output: Tensor, input: Tensor, approximate: str = "none") -> Tensor:
    """gelu's gradient: ``grad_output * gelu'(input)``."""
    _check_approximate(approximate)
    g = grad_output._data
    out = _kernel(_gelu_backward_values, g, input._data.astype(g.dtype, copy=False), approximate)
    return record(out, GeluBackwardBackward0, (grad_output, input), approximate=approximate,
                  grad_output=grad_output, self=input)


# -- silu, mish ----------------------------------------------------------------------------------
class SiluBackward0(Node):
    """out = self * sigmoid(self)  ->  d/dself = grad * s * (1 + self * (1 - s)), s = sigmoid"""
    _saved_fields = ("self",)
    explanation = Explanation(
        "{z} = silu({0}) = {0} · σ({0})",
        ("g · σ({0}) · (1 + {0} · (1 − σ({0})))",),
        both("silu (swish) multiplies its input by its sigmoid; the product rule gives its "
             "slope. A create_graph backward records that formula op by op.",
             "silu（swish）把输入乘以它的 sigmoid；斜率来自乘积法则。"
             "create_graph 的反向传播会把这个公式逐个运算记录下来。"))

    def apply(self, grad):
        x = self._s_self.unpack(self)
        if grad_mode.is_grad_enabled():
            sig = activation.sigmoid(x)
            inner = _add_scalar(_mul(x, _sub(_ones_like(sig), sig)), 1.0)
            return (_mul(_mul(grad, sig), inner),)
        def kernel(dy: np.ndarray, v: np.ndarray) -> np.ndarray:
            one = v.dtype.type(1)
            sig = one / (one + _r(np.exp, -v))
            return dy * sig * (one + v * (one - sig))
        return (_make(_kernel(kernel, grad._data, x._data), None),)


def _sig64(v: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(v))
    return np.where(v >= 0, 1 / (1 + e), e / (1 + e))


def _silu(input: Tensor) -> Tensor:
    x = _float_input(input, "silu_cpu")
    out = _kernel(lambda v: v / (v.dtype.type(1) + _r(np.exp, -v)), x)
    return record(out, SiluBackward0, (input,), self=input)


def silu(input: Tensor) -> Tensor:
    """``x * sigmoid(x)`` (also called swish)."""
    return _silu(input)


def silu_(input: Tensor) -> Tensor:
    """silu in place (the node saves the old value)."""
    return apply_inplace(input, _silu)


def _tanh_softplus(v: np.ndarray) -> np.ndarray:
    """``tanh(log1p(exp(v)))``, each step rounded to v's dtype, as PyTorch's mish kernels."""
    return _r(np.tanh, _r(np.log1p, _r(np.exp, v)))


class MishBackward0(Node):
    """out = self * tanh(softplus(self))  ->
    d/dself = grad * (t + self * sigmoid(self) * (1 - t*t)), t = tanh(softplus(self))"""
    _saved_fields = ("self",)
    explanation = Explanation(
        "{z} = mish({0}) = {0} · tanh(softplus({0}))",
        ("g · (t + {0} · σ({0}) · (1 − t²)),  t = tanh(softplus({0}))",),
        both("mish multiplies its input by tanh(softplus(x)); softplus' slope is σ(x), tanh's "
             "is 1 − t². A create_graph backward records that formula op by op.",
             "mish 把输入乘以 tanh(softplus(x))；softplus 的斜率是 σ(x)，tanh 的斜率是 1 − t²。"
             "create_graph 的反向传播会把这个公式逐个运算记录下来。"))

    def apply(self, grad):
        x = self._s_self.unpack(self)
        if grad_mode.is_grad_enabled():
            from .unary import log1p
            sig = activation.sigmoid(x)
            t = activation.tanh(log1p(pointwise.exp(x)))
            inner = _mul(_mul(x, sig), _sub(_ones_like(t), _mul(t, t)))
            return (_mul(grad, _add(t, inner)),)

        def kernel(dy: np.ndarray, v: np.ndarray) -> np.ndarray:
            one = v.dtype.type(1)
            sig = one / (one + _r(np.exp, -v))
            t = _tanh_softplus(v)
            return dy * (t + v * sig * (one - t * t))
        return (_make(_kernel(kernel, grad._data, x._data), None),)


def _mish(input: Tensor) -> Tensor:
    x = _float_input(input, "mish_cpu")
    out = _kernel(lambda v: v * _tanh_softplus(v), x)
    return record(out, MishBackward0, (input,), self=input)


def mish(input: Tensor) -> Tensor:
    """``x * tanh(softplus(x))``."""
    return _mish(input)


def mish_(input: Tensor) -> Tensor:
    """mish in place (the node saves the old value)."""
    return apply_inplace(input, _mish)


# -- softplus ------------------------------------------------------------------------------------
class SoftplusBackward0(Node):
    """out = log(1 + exp(beta * self)) / beta  ->  d/dself = grad * sigmoid(beta * self)
    (grad where beta * self > threshold, where the forward is linear)"""
    _saved_fields = ("beta", "self", "threshold")
    explanation = Explanation(
        "{z} = softplus({0})",
        (both("g · σ({beta}{0}), or g where {beta}{0} > {threshold}",
              "g · σ({beta}{0})；{beta}{0} > {threshold} 处为 g"),),
        both("softplus is a smooth relu, log(1 + exp(beta·x)) / beta; its slope is the "
             "sigmoid of beta·x. Above the threshold it is computed as x itself (slope 1).",
             "softplus 是平滑的 relu：log(1 + exp(beta·x)) / beta；斜率是 beta·x 的 sigmoid。"
             "超过阈值时直接取 x（斜率为 1）。"))

    def apply(self, grad):
        return (softplus_backward(grad, self._s_self.unpack(self), self._s_beta,
                                  self._s_threshold),)


def softplus(input: Tensor, beta: Any = 1, threshold: Any = 20) -> Tensor:
    """``log(1 + exp(beta * x)) / beta``; ``x`` itself where ``beta * x > threshold``."""
    x = _float_input(input, "softplus_cpu")
    t = x.dtype.type
    b, th = t(beta), t(threshold)
    out = _kernel(lambda v: np.where(v * b > th, v, _r(np.log1p, _r(np.exp, v * b)) / b), x)
    return record(out, SoftplusBackward0, (input,), beta=beta, self=input, threshold=threshold)


class SoftplusBackwardBackward0(Node):
    """out = grad_output * sigmoid(beta * self)  ->  d/dgrad_output = softplus_backward(grad);
    d/dself = sigmoid_backward(grad * grad_output, sigmoid(beta * self)) * mask * beta"""
    _saved_fields = ("beta", "grad_output", "self", "threshold")
    explanation = Explanation(
        "{z} = {0} · σ({beta}{1})",
        (both("softplus_backward(g, {1})", "softplus_backward(g, {1})"),
         both("g · {0} · {beta}σ′({beta}{1}) where {beta}{1} < {threshold}, else 0",
              "{beta}{1} < {threshold} 处为 g · {0} · {beta}σ′({beta}{1})，其余为 0")),
        joined(DOUBLE_BACKWARD,
               both(" This is softplus' derivative: {0} is the gradient that reached softplus, "
                    "{1} its input.",
                    "这是 softplus 的导数：{0} 是到达 softplus 的梯度，{1} 是它的输入。")),
        inputs=("grad_output", "self"))

    def apply(self, grad):
        x = self._s_self.unpack(self)
        beta, threshold = self._s_beta, self._s_threshold
        g_out = g_self = None
        if needs(self, 0):
            g_out = softplus_backward(grad, x, beta, threshold)
        if needs(self, 1):
            go = self._s_grad_output.unpack(self)
            bx = _mul_scalar(x, beta)
            below = _mask(bx, lambda v: v < threshold)
            g_self = _mul_scalar(_mul(activation.sigmoid_backward(
                _mul(grad, go), activation.sigmoid(bx)), below), beta)
        return g_out, g_self


def softplus_backward(grad_output: Tensor, input: Tensor, beta: Any, threshold: Any) -> Tensor:
    """softplus' gradient: ``grad_output * sigmoid(beta * input)`` below the threshold."""
    t = input._data.dtype.type
    b, th = t(beta), t(threshold)

    def kernel(dy: np.ndarray, v: np.ndarray) -> np.ndarray:
        z = _r(np.exp, v * b)
        return np.where(v * b > th, dy, dy * z / (z + t(1)))
    out = _kernel(kernel, grad_output._data, input._data)
    return record(out, SoftplusBackwardBackward0, (grad_output, input), beta=beta,
                  grad_output=grad_output, self=input, threshold=threshold)


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
        raise RuntimeError("Boolean inputs not supported for hardtanh")  # (as clamp refuses)
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
    out = x * np.minimum(np.maximum(x + t(3), t(0)), t(6)) / t(6)
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


# -- log_sigmoid ---------------------------------------------------------------------------------
class LogSigmoidBackward0(Node):
    """out = log(sigmoid(self))  ->  d/dself = grad * (1 - sigmoid(self)) (from the saved
    buffer exp(-|self|))"""
    _saved_fields = ("buffer", "self")
    explanation = Explanation(
        "{z} = logsigmoid({0})", ("g · (1 − σ({0}))",),
        both("log(sigmoid(x)) = −softplus(−x), computed without overflow; its slope is "
             "1 − σ(x) = σ(−x). The forward also saved exp(−|x|) as a buffer for the backward.",
             "log(sigmoid(x)) = −softplus(−x)，计算时不会溢出；斜率是 1 − σ(x) = σ(−x)。"
             "前向还保存了 exp(−|x|) 作为反向用的缓存。"))

    def apply(self, grad):
        return (log_sigmoid_backward(grad, self._s_self.unpack(self),
                                     self._s_buffer.unpack(self)),)


def log_sigmoid(input: Tensor) -> Tensor:
    """``log(sigmoid(x))`` computed stably as ``min(x, 0) - log1p(exp(-|x|))``."""
    x = _float_input(input, "log_sigmoid_cpu")
    buffer = _r(np.exp, -np.abs(x))
    out = _kernel(lambda v, z: np.minimum(v, v.dtype.type(0)) - _r(np.log1p, z), x, buffer)
    return record(out, LogSigmoidBackward0, (input,), buffer=_make(buffer, None), self=input)


class LogSigmoidBackwardBackward0(Node):
    """out = grad_output * (1 - sigmoid(self))  ->  d/dgrad_output = log_sigmoid_backward(grad);
    d/dself = grad * grad_output * (s - 1) * s, s = sigmoid(self)"""
    _saved_fields = ("buffer", "grad_output", "self")
    explanation = Explanation(
        "{z} = {0} · (1 − σ({1}))",
        (both("log_sigmoid_backward(g, {1})", "log_sigmoid_backward(g, {1})"),
         "g · {0} · (σ({1}) − 1) · σ({1})"),
        joined(DOUBLE_BACKWARD,
               both(" This is logsigmoid's derivative: {0} is the gradient that reached "
                    "logsigmoid, {1} its input.",
                    "这是 logsigmoid 的导数：{0} 是到达 logsigmoid 的梯度，{1} 是它的输入。")),
        inputs=("grad_output", "self"))

    def apply(self, grad):
        x = self._s_self.unpack(self)
        g_out = g_self = None
        if needs(self, 0):
            g_out = log_sigmoid_backward(grad, x, self._s_buffer.unpack(self))
        if needs(self, 1):
            go = self._s_grad_output.unpack(self)
            s = activation.sigmoid(x)
            g_self = _mul(_mul(_mul(grad, go), _add_scalar(s, -1)), s)
        return g_out, g_self


def log_sigmoid_backward(grad_output: Tensor, input: Tensor, buffer: Tensor) -> Tensor:
    """logsigmoid's gradient from the buffer ``z = exp(-|x|)``: ``grad * (1 - sigmoid(x))``."""
    def kernel(dy: np.ndarray, v: np.ndarray, z: np.ndarray) -> np.ndarray:
        t = v.dtype.type
        negative = v < 0
        max_deriv = np.where(negative, t(1), t(0))
        sign = np.where(negative, t(1), t(-1))
        return dy * (max_deriv - sign * (z / (t(1) + z)))
    out = _kernel(kernel, grad_output._data, input._data, buffer._data)
    return record(out, LogSigmoidBackwardBackward0, (grad_output, input), buffer=buffer,
                  grad_output=grad_output, self=input)


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
        raise RuntimeError('"threshold_cpu" not implemented for \'Bool\'')
    out = np.where(x > threshold, x, np.asarray(value).astype(x.dtype))
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
        positive = pointwise.gt(x, 0)
        zero = _make(np.zeros((), x._data.dtype), None)
        g_go = g_x = g_w = None
        if needs(self, 0):
            terms = []
            if ggx is not None:
                terms.append(_where(positive, ggx, _mul(ggx, w)))
            if ggw is not None:
                terms.append(_where(positive, zero, _mul(ggw, x)))
            if terms:
                g_go = terms[0] if len(terms) == 1 else _add(terms[0], terms[1])
        if needs(self, 1) and ggw is not None:
            g_x = _where(positive, zero, _mul(go, ggw))
        if needs(self, 2) and ggx is not None:
            g_w = _where(positive, zero, _mul(go, ggx))
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


# -- glu -----------------------------------------------------------------------------------------
def _as_saved_dim(dim: int) -> int:
    """A dim as PyTorch's glu nodes save it: as given, a negative one read as unsigned."""
    return dim + 2 ** 64 if dim < 0 else dim


def _signed(dim: int) -> int:
    return dim - 2 ** 64 if dim >= 2 ** 63 else dim


def _glu_halves(input: Tensor, dim: int) -> tuple[int, int]:
    if input._data.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    dim = input._wrap_dim(dim)
    size = input._data.shape[dim]
    if size % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {dim} is size {size}")
    return dim, size // 2


class GluBackward0(Node):
    """out = a * sigmoid(b), (a, b) the halves of self along dim  ->  glu_backward(grad, self)"""
    _saved_fields = ("dim", "self")
    explanation = Explanation(
        "{z} = glu({0}) = a · σ(b)",
        (both("[g · σ(b), g · a · σ(b) · (1 − σ(b))] (the two halves of {0})",
              "[g · σ(b), g · a · σ(b) · (1 − σ(b))]（{0} 的两半）"),),
        both("glu splits its input in two halves a and b along dim and lets σ(b) gate a.",
             "glu 沿 dim 把输入分成两半 a 与 b，用 σ(b) 给 a 把门。"))

    def apply(self, grad):
        return (glu_backward(grad, self._s_self.unpack(self), _signed(self._s_dim)),)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """``a * sigmoid(b)`` where ``a`` and ``b`` are the two halves of ``input`` along ``dim``."""
    x = _float_input(input, "glu_cpu")
    axis, _ = _glu_halves(input, dim)
    a, b = np.split(x, 2, axis=axis)
    out = _in64(lambda av, bv: av * _sig64(bv), a, b)
    return record(out, GluBackward0, (input,), dim=_as_saved_dim(dim), self=input)


class GluBackwardBackward0(Node):
    """out = glu_backward(grad_output, self)  ->  both derivatives by the product rule on
    the halves a, b of self"""
    _saved_fields = ("dim", "grad_output", "self")
    explanation = Explanation(
        "{z} = glu_backward({0}, {1})",
        (both("the gradient of glu_backward with respect to {0}",
              "glu_backward 对 {0} 的梯度"),
         both("the gradient of glu_backward with respect to {1}",
              "glu_backward 对 {1} 的梯度")),
        joined(DOUBLE_BACKWARD,
               both(" This is glu's derivative: {0} is the gradient that reached glu, {1} its "
                    "input (halves a and b).",
                    "这是 glu 的导数：{0} 是到达 glu 的梯度，{1} 是它的输入（两半 a 与 b）。")),
        inputs=("grad_output", "self"))

    def apply(self, grad):
        x = self._s_self.unpack(self)
        dim = x._wrap_dim(_signed(self._s_dim))
        half = x._data.shape[dim] // 2
        a = split_ops.narrow(x, dim, 0, half)
        b = split_ops.narrow(x, dim, half, half)
        gga = split_ops.narrow(grad, dim, 0, half)
        ggb = split_ops.narrow(grad, dim, half, half)
        s = activation.sigmoid(b)
        ds = _mul(s, pointwise.rsub(s, 1))  # sigmoid'(b)
        g_out = g_self = None
        if needs(self, 0):
            g_out = _add(_mul(gga, s), _mul(_mul(ggb, a), ds))
        if needs(self, 1):
            go = self._s_grad_output.unpack(self)
            d2s = _mul(ds, pointwise.rsub(_mul_scalar(s, 2), 1))  # sigmoid''(b)
            grad_a = _mul(_mul(ggb, go), ds)
            grad_b = _add(_mul(_mul(gga, go), ds), _mul(_mul(_mul(ggb, go), a), d2s))
            g_self = shape_ops.cat([grad_a, grad_b], dim)
        return g_out, g_self


def glu_backward(grad_output: Tensor, input: Tensor, dim: int) -> Tensor:
    """glu's gradient: ``[grad * sigmoid(b), grad * a * sigmoid(b) * (1 - sigmoid(b))]``."""
    axis = input._wrap_dim(dim)
    a, b = np.split(input._data, 2, axis=axis)

    def kernel(gg: np.ndarray, av: np.ndarray, bv: np.ndarray) -> np.ndarray:
        s = _sig64(bv)
        return np.concatenate([gg * s, gg * av * s * (1 - s)], axis=axis)
    out = _in64(kernel, grad_output._data, a, b)
    return record(out, GluBackwardBackward0, (grad_output, input), dim=_as_saved_dim(dim),
                  grad_output=grad_output, self=input)


# -- compositions --------------------------------------------------------------------------------
def softsign(input: Tensor) -> Tensor:
    """``x / (1 + |x|)``, recorded as the ops it is made of (DivBackward0 ...)."""
    return input / (pointwise.abs(input) + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """``x - tanh(x)``, recorded as a subtraction (SubBackward0)."""
    return input - activation.tanh(input)


def softmin(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """``softmax(-input, dim)`` (with ``dtype``, the negated input is cast first)."""
    return activation.softmax(pointwise.neg(input), dim, dtype)


__all__ = ["leaky_relu", "leaky_relu_", "leaky_relu_backward", "elu", "elu_", "elu_backward",
           "selu", "selu_", "celu", "celu_", "gelu", "gelu_backward", "silu", "silu_", "mish",
           "mish_", "softplus", "softplus_backward", "hardtanh", "hardtanh_",
           "hardtanh_backward", "relu6", "relu6_", "hardsigmoid", "hardsigmoid_",
           "hardsigmoid_backward", "hardswish", "hardswish_", "hardswish_backward",
           "log_sigmoid", "log_sigmoid_backward", "threshold", "threshold_", "prelu", "glu",
           "glu_backward", "softsign", "tanhshrink", "softmin"]
