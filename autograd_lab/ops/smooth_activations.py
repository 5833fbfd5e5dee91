"""Smooth activations: elu (selu, celu), gelu (exact and tanh), silu, mish, softplus,
log_sigmoid and glu; softsign, tanhshrink and softmin are compositions of recorded ops, as in
PyTorch.

Each op's backward node has PyTorch's name and saved fields, and, as in PyTorch, its backward is
itself an op (``elu_backward``, ``gelu_backward`` ...) with its own node, so a
``create_graph=True`` backward records ``GeluBackwardBackward0`` & co.; those nodes
differentiate once more with recorded ops. silu and mish have no such node: with grad mode on,
their backward is recorded op by op (PyTorch's "infinitely differentiable" form).

Values: the kernels follow PyTorch's CPU kernels step by step in the input's dtype, each
transcendental function (exp, expm1, log1p, tanh, erf) rounded once from float64 (``_r``).
PyTorch's vectorised functions are within an ulp of those, so results agree to a few ulps (more
where a formula cancels). float32 gelu is the exception: PyTorch hands it to oneDNN (when
MKLDNN is enabled, its default), whose approximation is up to ~5e-7 off where 1 + erf(x) is
small and gives -0.0 in the far tail; ours is correctly rounded (as PyTorch's own kernel nearly
is, with ``torch.backends.mkldnn.flags(enabled=False)``).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd import grad_mode
from ..autograd.explanation import DOUBLE_BACKWARD, Explanation, both, joined
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import IGNORE, RESULT, apply_inplace, needs, quiet, record, unquiet
from . import activation, pointwise, shape as shape_ops, split as split_ops
from .activations import _float_input

_mul, _add, _sub = pointwise.mul, pointwise.add, pointwise.sub
_mul_scalar, _add_scalar = pointwise.mul_scalar, pointwise.add_scalar


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


def _sig64(v: np.ndarray) -> np.ndarray:
    """The logistic sigmoid in float64, without overflow."""
    e = np.exp(-np.abs(v))
    return np.where(v >= 0, 1 / (1 + e), e / (1 + e))


# -- elu, selu, celu -----------------------------------------------------------------------------
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _elu_kernel(x: np.ndarray, alpha: Any, scale: Any, input_scale: Any) -> np.ndarray:
    t = x.dtype.type
    negcoef, poscoef, negiptcoef = t(alpha * scale), t(scale), t(input_scale)
    # (x <= 0 picks the curve, as PyTorch's kernel: nan takes the linear side)
    return _kernel(lambda v: np.where(v <= 0, _r(np.expm1, v * negiptcoef) * negcoef,
                                      v * poscoef), x)


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
        out = _kernel(lambda gg, v: np.where(v <= 0, gg * negiptcoef * (v + negcoef),
                                             gg * poscoef), g, s)
    else:
        out = _kernel(lambda gg, v: np.where(
            v <= 0, gg * negiptcoef * negcoef * _r(np.exp, v * negiptcoef), gg * poscoef), g, s)
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
    """gelu''(x) as recorded ops, composed as PyTorch composes it (so that a third derivative
    records the same nodes): for 'none', phi(x) * (2 - x*x) with phi = exp(-x*x/2) / sqrt(2 pi);
    for 'tanh', the product rule on 0.5 x * (1 - t*t) * h(x), t = tanh(inner(x))."""
    from .unary import cosh
    if approximate == "tanh":
        beta, kappa = _SQRT_2_OVER_PI, _KAPPA
        inner = _mul_scalar(_add(x, _mul_scalar(pointwise.pow(x, 3), kappa)), beta)
        t = activation.tanh(inner)
        half_x = _mul_scalar(x, 0.5)                                    # f
        tanh_slope = _sub(_ones_like(t), _mul(t, t))                    # g = 1 - t^2
        inner_slope = _mul_scalar(_add_scalar(_mul(_mul_scalar(x, 3 * kappa), x), 1), beta)  # h
        token = quiet(IGNORE)  # (cosh overflows to inf for large inputs: sech is then 0)
        try:
            cosh_inner = cosh(inner)
        finally:
            unquiet(token)
        sech = pointwise.div(_ones_like(inner), cosh_inner)
        g_slope = _mul(_mul(_mul_scalar(sech, 2), _mul(pointwise.neg(sech), t)), inner_slope)
        f_slope_term = _mul_scalar(_mul(_mul_scalar(tanh_slope, 0.5), inner_slope), 2)
        g_slope_term = _mul(_mul(half_x, inner_slope), g_slope)
        h_slope_term = _mul(_mul(half_x, tanh_slope),
                            _mul_scalar(_mul_scalar(x, 6 * kappa), beta))
        return _add(_add(f_slope_term, g_slope_term), h_slope_term)
    sq = _mul(x, x)
    pdf = _mul_scalar(pointwise.exp(_mul_scalar(sq, -0.5)), _INV_SQRT_2PI)
    return _sub(_mul_scalar(pdf, 2), _mul(sq, pdf))


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


# -- log_sigmoid ---------------------------------------------------------------------------------
class LogSigmoidBackward0(Node):
    """out = log(sigmoid(self))  ->  d/dself = grad * (1 - sigmoid(self)) (from the saved
    buffer exp(-|self|))"""
    _saved_fields = ("buffer", "self")
    _output_fields = ("buffer",)  # (the forward's second output)
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
            g_self = _mul(_mul(_mul(grad, go), pointwise.sub_scalar(s, 1)), s)
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
        g_out = g_self = None
        if needs(self, 0):
            # each half of grad, weighted by what glu_backward gives for a gradient of ones
            shape = list(x._data.shape)
            shape[dim] = half
            ones = _make(np.ones(shape, x._data.dtype), None)
            weighted = _mul(grad, glu_backward(ones, x, _signed(self._s_dim)))
            g_out = _add(split_ops.narrow(weighted, dim, 0, half),
                         split_ops.narrow(weighted, dim, half, half))
        if needs(self, 1):
            go = self._s_grad_output.unpack(self)
            a = split_ops.narrow(x, dim, 0, half)
            b = split_ops.narrow(x, dim, half, half)
            grad_a = split_ops.narrow(grad, dim, 0, half)
            grad_b = split_ops.narrow(grad, dim, half, half)
            sig = activation.sigmoid(b)
            one_minus = _sub(_ones_like(sig), sig)
            sig_slope = _mul(sig, one_minus)                                    # sigmoid'(b)
            sig_curve = _sub(_mul(sig_slope, one_minus), _mul(sig, sig_slope))  # sigmoid''(b)
            first = _mul(_mul(grad_b, go), sig_slope)
            second = _add(_mul(_mul(_mul(grad_b, a), go), sig_curve),
                          _mul(_mul(grad_a, go), sig_slope))
            g_self = shape_ops.cat([first, second], dim)
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

__all__ = ["elu", "elu_", "elu_backward", "selu", "selu_", "celu", "celu_", "gelu",
           "gelu_backward", "silu", "silu_", "mish", "mish_", "softplus", "softplus_backward",
           "log_sigmoid", "log_sigmoid_backward", "glu", "glu_backward", "softsign",
           "tanhshrink", "softmin"]
