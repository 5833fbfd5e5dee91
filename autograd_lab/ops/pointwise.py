"""Elementwise ops. Each op's forward function sits right under its backward node.

Backward formulas are written with tensor ops, so they are recorded when grad mode is on
(``create_graph=True``, or a node called by hand): that is what makes higher derivatives work.
Broadcasting is undone by the engine (``_core.sum_to``), as in PyTorch, not by each node.

The formulas follow PyTorch's (``derivatives.yaml``) op for op, so that the graph a
``create_graph=True`` backward records is the same as PyTorch's. Where PyTorch's C++ multiplies
by a plain number it calls the number overload of the op (``mul.Scalar``, recorded as
MulBackward1 with a single edge); the ``*_scalar`` functions here are those overloads. Python's
``x * 2`` is the tensor overload instead (MulBackward0, the number a wrapped input).
"""
from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from .. import dtypes
from ..autograd.explanation import BROADCAST, COPY, STEP, Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import (IGNORE, RESULT, apply_inplace, binary_operands, needs, quiet, record, unquiet,
                    wrap_scalar)


# -- add / sub ------------------------------------------------------------------------------
class AddBackward0(Node):
    """out = self + alpha * other  ->  d/dself = grad, d/dother = alpha * grad"""
    __slots__ = ("alpha", "_constant")
    explanation = Explanation("{z} = {0} + {alpha}{1}", ("g", "{alpha}g"), BROADCAST, "add")

    def apply(self, grad):
        return (grad if needs(self, 0) else None,
                _times(grad, self.alpha) if needs(self, 1) else None)


def add(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``input + alpha * other``, broadcasting."""
    a, b, da, db, _ = binary_operands(input, other)
    token = quiet(IGNORE)  # inf - inf and overflow: silent, as in PyTorch
    try:
        out = da + db if alpha == 1 else da + alpha * db
    finally:
        unquiet(token)
    return _note_constant(record(out, AddBackward0, (a, b), alpha=alpha), a, b)


def _note_constant(result: Tensor, a: Tensor, b: Tensor) -> Tensor:
    """Let the node of ``a + b`` or ``a - b`` remember, for the explanation panels only, the
    operand that needs no gradient (PyTorch's node keeps nothing of it): a number's value, or a
    tensor held weakly, so a panel can say ``z = x + 0`` or ``z = a − y3``, not "a tensor"."""
    node: Any = result.grad_fn  # (an AddBackward0 or SubBackward0, with a _constant slot)
    if node is not None:
        for t in (b, a):
            if t._wrapped_number:
                node._constant = t._data  # (a number ops share: never changed)
                break
            if not t._requires_grad and t.grad_fn is None:
                node._constant = weakref.ref(t)
                break
    return result


class AddBackward1(Node):
    """out = self + other, ``other`` a number (``add.Scalar``, what PyTorch's C++ formulas
    call, e.g. sigmoid's second derivative)  ->  d/dself = grad"""
    __slots__ = ("_constant",)  # the number, for the panels only (see _note_constant)
    explanation = Explanation("{z} = {0} + {c}", ("g",), constant="add")

    def apply(self, grad):
        return (grad,)


def add_scalar(input: Tensor, other: Any, alpha: Any = 1) -> Tensor:
    """``input + alpha * other`` for a number ``other`` (``add.Scalar``: AddBackward1)."""
    a, _, da, db, _ = binary_operands(input, other)
    token = quiet(IGNORE)
    try:
        out = da + db if alpha == 1 else da + alpha * db
    finally:
        unquiet(token)
    return record(out, AddBackward1, (a,), _constant=np.asarray(other if alpha == 1
                                                                  else alpha * other))


class SubBackward0(Node):
    """out = self - alpha * other  ->  d/dself = grad, d/dother = -alpha * grad"""
    __slots__ = ("alpha", "_constant")
    explanation = Explanation("{z} = {0} − {alpha}{1}", ("g", "−{alpha}g"), BROADCAST, "sub")

    def apply(self, grad):
        return (grad if needs(self, 0) else None,
                _times(neg(grad), self.alpha) if needs(self, 1) else None)


def sub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``input - alpha * other``, broadcasting."""
    a, b, da, db, rd = binary_operands(input, other)
    if rd is dtypes.bool_:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    token = quiet(IGNORE)
    try:
        out = da - db if alpha == 1 else da - alpha * db
    finally:
        unquiet(token)
    return _note_constant(record(out, SubBackward0, (a, b), alpha=alpha), a, b)


class RsubBackward1(Node):
    """out = other - alpha * self, ``other`` a number  ->  d/dself = -alpha * grad"""
    __slots__ = ("alpha",)
    explanation = Explanation("{z} = {c} − {alpha}{0}", ("−{alpha}g",), constant="rsub")

    def apply(self, grad):
        return (_times(neg(grad), self.alpha),)


class RsubBackward0(Node):
    """out = other - alpha * self (tensors)  ->  d/dself = -alpha * grad, d/dother = grad"""
    __slots__ = ("alpha",)
    explanation = Explanation("{z} = {1} − {alpha}{0}", ("−{alpha}g", "g"), BROADCAST)

    def apply(self, grad):
        grad_other = grad if needs(self, 1) else None  # "other" first, as PyTorch
        grad_self = _times(neg(grad), self.alpha) if needs(self, 0) else None
        return grad_self, grad_other


def rsub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``other - alpha * input`` (what ``2 - x`` runs; ``torch.rsub``)."""
    a, b, da, db, rd = binary_operands(input, other)
    if rd is dtypes.bool_:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    token = quiet(IGNORE)
    try:
        out = db - da if alpha == 1 else db - alpha * da
    finally:
        unquiet(token)
    if not isinstance(other, Tensor) or other._wrapped_number:
        return record(out, RsubBackward1, (a,), alpha=alpha)
    return record(out, RsubBackward0, (a, b), alpha=alpha)


def _times(grad: Tensor, alpha: Any) -> Tensor:
    """PyTorch's ``maybe_multiply``: ``grad * alpha`` (number overload) unless alpha is 1."""
    return grad if alpha == 1 else mul_scalar(grad, alpha)


class SubBackward1(Node):
    """out = self - other, ``other`` a number  ->  d/dself = grad"""
    __slots__ = ("_constant",)  # the number, for the panels only (see _note_constant)
    explanation = Explanation("{z} = {0} − {c}", ("g",), constant="sub")

    def apply(self, grad):
        return (grad,)


def sub_scalar(input: Tensor, other: Any) -> Tensor:
    """``input - other`` for a number ``other`` (``sub.Scalar``: SubBackward1, one edge)."""
    a, _, da, db, _ = binary_operands(input, other)
    token = quiet(IGNORE)
    try:
        out = da - db
    finally:
        unquiet(token)
    return record(out, SubBackward1, (a,), _constant=np.asarray(other))


# -- mul / div / reciprocal -----------------------------------------------------------------
class MulBackward0(Node):
    """out = self * other  ->  d/dself = grad * other, d/dother = grad * self"""
    _saved_fields = ("self", "other")
    _saved_for = {"self": 1, "other": 0}  # each factor only for the other's gradient
    explanation = Explanation(
        "{z} = {0} · {1}", ("g · {1}", "g · {0}"),
        both("A factor that needs a gradient gets the gradient times the other factor, which "
             "the node saved for this (it saves a factor only when the other one needs a "
             "gradient).",
             "需要梯度的因子得到梯度乘以另一个因子，节点为此保存了那个因子（只有另一个因子需要梯度时，"
             "节点才保存这个因子）。"), "mul")

    def apply(self, grad):
        # PyTorch computes input gradients in alphabetical order of the input names ("other"
        # before "self"); that order decides which recorded node a later backward runs first
        grad_other = mul(grad, self._s_self.unpack(self)) if needs(self, 1) else None
        grad_self = mul(grad, self._s_other.unpack(self)) if needs(self, 0) else None
        return grad_self, grad_other


def mul(input: Any, other: Any) -> Tensor:
    """``input * other``, broadcasting."""
    a, b, da, db, rd = binary_operands(input, other)
    token = quiet(IGNORE)
    try:
        out = np.logical_and(da, db) if rd is dtypes.bool_ else da * db
    finally:
        unquiet(token)
    return record(out, MulBackward0, (a, b), self=a, other=b)


class MulBackward1(Node):
    """out = self * other, ``other`` a number  ->  d/dself = grad * other"""
    __slots__ = ("other",)
    explanation = Explanation("{z} = {0} · {other}", ("g · {other}",))

    def apply(self, grad):
        return (mul_scalar(grad, self.other),)


def mul_scalar(input: Tensor, other: Any) -> Tensor:
    """``input * other`` for a number ``other`` (``mul.Scalar``: MulBackward1, one edge)."""
    a, _, da, db, _ = binary_operands(input, other)
    token = quiet(IGNORE)
    try:
        out = da * db
    finally:
        unquiet(token)
    return record(out, MulBackward1, (a,), other=other)


class DivBackward0(Node):
    """out = self / other  ->  d/dself = grad / other, d/dother = -grad * self / other**2"""
    _saved_fields = ("self", "other")
    _saved_for = {"self": 1}
    explanation = Explanation("{z} = {0} / {1}", ("g / {1}", "−g · {0} / {1}²"), BROADCAST,
                              "div")

    def apply(self, grad):
        other = self._s_other.unpack(self)
        grad_other = None  # "other" first, as PyTorch (see MulBackward0)
        if needs(self, 1):
            grad_other = mul(neg(grad), div(div(self._s_self.unpack(self), other), other))
        grad_self = div(grad, other) if needs(self, 0) else None
        return grad_self, grad_other


def div(input: Any, other: Any) -> Tensor:
    """``input / other`` (true division: integers give the default float type)."""
    a, b, da, db, rd = binary_operands(input, other)
    out = _true_divide(da, db, rd)
    return record(out, DivBackward0, (a, b), self=a, other=b)


def _true_divide(da: np.ndarray, db: np.ndarray | np.generic, rd: dtypes.dtype) -> np.ndarray:
    """``da / db`` for ``div`` and ``div_scalar``: when the result type ``rd`` is not a float
    type (integers, bools), both are first converted to the default float type."""
    if not rd.is_floating_point:
        rd = dtypes.get_default_dtype()
        da, db = da.astype(rd.np), db.astype(rd.np)
    token = quiet(IGNORE)
    try:
        out = da / db
    finally:
        unquiet(token)
    return out


class DivBackward1(Node):
    """out = self / other, ``other`` a number  ->  d/dself = grad / other"""
    __slots__ = ("other",)
    explanation = Explanation("{z} = {0} / {other}", ("g / {other}",))

    def apply(self, grad):
        return (div_scalar(grad, self.other),)


def div_scalar(input: Tensor, other: Any) -> Tensor:
    """``input / other`` for a number ``other`` (``div.Scalar``: DivBackward1, one edge)."""
    a, _, da, db, rd = binary_operands(input, other)
    out = _true_divide(da, db, rd)
    return record(out, DivBackward1, (a,), other=other)


class ReciprocalBackward0(Node):
    """out = 1 / self  ->  d/dself = -grad * out**2"""
    _saved_fields = ("result",)
    explanation = Explanation("{z} = 1 / {0}", ("−g · {z}²",))

    def apply(self, grad):
        r = self._s_result.unpack(self)
        return (mul(neg(grad), mul(r, r)),)


def reciprocal(input: Tensor) -> Tensor:
    """``1 / input``."""
    data = input._data
    if not input.dtype.is_floating_point:
        data = data.astype(dtypes.get_default_dtype().np)
    token = quiet(IGNORE)
    try:
        out = 1 / data
    finally:
        unquiet(token)
    return record(out, ReciprocalBackward0, (input,), result=RESULT)


# -- pow --------------------------------------------------------------------------------------
class PowBackward0(Node):
    """out = self ** exponent (a number)  ->  d/dself = grad * exponent * self**(exponent-1)"""
    __slots__ = ("exponent",)
    _saved_fields = ("self",)
    explanation = Explanation("{z} = {0} ** {exponent}",
                              ("g · {exponent} · {0}^({exponent} − 1)",))

    def apply(self, grad):
        if self.exponent == 0:
            return (zeros_like(grad),)
        x = self._s_self.unpack(self)
        return (mul(grad, mul_scalar(pow(x, self.exponent - 1), self.exponent)),)


class PowBackward1(Node):
    """out = self ** exponent (tensors)  ->  d/dself = grad * exponent * self**(exponent-1),
    d/dexponent = grad * out * log(self)"""
    _saved_fields = ("self", "exponent", "result")
    explanation = Explanation("{z} = {0} ** {1}",
                              ("g · {1} · {0}^({1} − 1)", "g · {0}^{1} · ln {0}"), BROADCAST)

    def apply(self, grad):
        x, e = self._s_self.unpack(self), self._s_exponent.unpack(self)
        grad_self = grad_exp = None
        if needs(self, 1):  # "exponent" first, as PyTorch (see MulBackward0)
            out = self._s_result.unpack(self)
            x_ = to(x, dtypes.promote_types(x.dtype, e.dtype))  # the log in the result's type
            grad_exp = mul(grad, where(logical_and_ge_zero(x, e), 0.0, mul(out, log(x_))))
        if needs(self, 0):
            grad_self = where(eq(e, 0.0), 0.0, mul(grad, mul(e, pow(x, sub_scalar(e, 1)))))
        return grad_self, grad_exp


class PowBackward2(Node):
    """out = base (a number) ** exponent  ->  d/dexponent = grad * out * log(base)"""
    __slots__ = ("base",)
    _saved_fields = ("exponent", "result", "self")

    @property
    def _s_self(self):
        return self.base

    explanation = Explanation("{z} = {base} ** {0}", ("g · {z} · ln {base}",))

    def apply(self, grad):
        out = self._s_result.unpack(self)
        if self.base == 0:
            # 0 ** e is 0 (e > 0) or 1 (e == 0): derivative 0 there; inf (e < 0): -inf
            return (mul(grad, where(le(out, 1.0), 0.0, mul_scalar(out, float("-inf")))),)
        return (mul(grad, mul_scalar(out, float(np.log(self.base)))),)


def logical_and_ge_zero(x: Tensor, e: Tensor) -> Tensor:
    """Where ``x == 0`` and ``e >= 0``: the points where d(x**e)/de is taken to be 0."""
    return _make(np.logical_and(x._data == 0, e._data >= 0), None)


def pow(input: Any, exponent: Any) -> Tensor:
    """``input ** exponent``: tensor and number in either place, or two tensors."""
    if not isinstance(input, Tensor):
        return _pow_scalar_base(input, exponent)
    if isinstance(exponent, Tensor):
        a, b, da, db, rd = binary_operands(input, exponent)
        token = quiet(IGNORE)
        try:
            out = np.power(da, db)
        finally:
            unquiet(token)
        return record(out, PowBackward1, (a, b), self=a, exponent=b, result=RESULT)
    a, _, da, db, rd = binary_operands(input, exponent)
    if not rd.is_floating_point and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    token = quiet(IGNORE)
    try:
        out = np.power(da, db)
    finally:
        unquiet(token)
    return record(out, PowBackward0, (a,), self=a, exponent=exponent)


def _pow_scalar_base(base: Any, exponent: Tensor) -> Tensor:
    _, e, db, de, rd = binary_operands(base, exponent)
    token = quiet(IGNORE)
    try:
        out = np.power(db, de)
    finally:
        unquiet(token)
    # the exponent is saved (and checked) as PyTorch does
    return record(out, PowBackward2, (e,), base=base, exponent=e, result=RESULT)


# -- unary -------------------------------------------------------------------------------------
class NegBackward0(Node):
    """out = -self  ->  d/dself = -grad"""
    __slots__ = ()
    explanation = Explanation("{z} = −{0}", ("−g",))

    def apply(self, grad):
        return (neg(grad),)


def neg(input: Tensor) -> Tensor:
    """``-input``."""
    if input.dtype is dtypes.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    out = -input._data
    return record(out, NegBackward0, (input,))


class AbsBackward0(Node):
    """out = |self|  ->  d/dself = grad * sgn(self)"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = |{0}|", ("g · sign({0})",))

    def apply(self, grad):
        return (mul(grad, sgn(self._s_self.unpack(self))),)


def abs(input: Tensor) -> Tensor:
    """``|input|``."""
    if input._data.dtype == np.bool_:
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    out = np.abs(input._data)
    return record(out, AbsBackward0, (input,), self=input)


class SignBackward0(Node):
    """out = sign(self)  ->  d/dself = 0 (a constant: nothing is recorded for it)"""
    __slots__ = ()
    explanation = Explanation("{z} = sign({0})", ("0",), STEP)

    def apply(self, grad):
        return (zeros_like(grad),)


def sign(input: Tensor) -> Tensor:
    """-1, 0 or 1 by sign."""
    if input.dtype is dtypes.bool_:
        out = input._data.copy()
    else:
        out = np.sign(input._data)
    return record(out, SignBackward0, (input,))


class SgnBackward0(SignBackward0):
    """out = sgn(self) (sign, extended to complex numbers)  ->  d/dself = 0 for real self"""
    __slots__ = ()
    explanation = Explanation("{z} = sgn({0})", ("0",), STEP)


def sgn(input: Tensor) -> Tensor:
    """The sign, as ``abs`` and ``norm`` differentiate with it (``SgnBackward0``)."""
    out = input._data.copy() if input.dtype is dtypes.bool_ else np.sign(input._data)
    return record(out, SgnBackward0, (input,))


class ExpBackward0(Node):
    """out = exp(self)  ->  d/dself = grad * out"""
    _saved_fields = ("result",)
    explanation = Explanation(
        "{z} = exp({0})", ("g · {z}",),
        both("exp is its own derivative: the node saved its result {z}.",
             "exp 的导数就是它自己：节点保存了结果 {z}。"))

    def apply(self, grad):
        return (mul(grad, self._s_result.unpack(self)),)


def exp(input: Tensor) -> Tensor:
    """``e ** input``."""
    data = _floating(input)
    token = quiet(IGNORE)
    try:
        out = np.exp(data)
    finally:
        unquiet(token)
    return record(out, ExpBackward0, (input,), result=RESULT)


class LogBackward0(Node):
    """out = log(self)  ->  d/dself = grad / self"""
    _saved_fields = ("self",)
    explanation = Explanation("{z} = log({0})", ("g / {0}",))

    def apply(self, grad):
        return (div(grad, self._s_self.unpack(self)),)


def log(input: Tensor) -> Tensor:
    """Natural logarithm."""
    token = quiet(IGNORE)
    try:
        out = np.log(_floating(input))
    finally:
        unquiet(token)
    return record(out, LogBackward0, (input,), self=input)


def _floating(t: Tensor) -> np.ndarray:
    if t.dtype.is_floating_point:
        return t._data
    return t._data.astype(dtypes.get_default_dtype().np)


# -- relu and its backward, which is itself differentiable ---------------------------------
class ReluBackward0(Node):
    """out = max(self, 0)  ->  d/dself = grad where out > 0 (``threshold_backward``)"""
    _saved_fields = ("result",)
    explanation = Explanation(
        "{z} = relu({0})", (both("g where {z} > 0, else 0", "{z} > 0 处为 g，其余为 0"),),
        both("The node saved its result to know where {z} is positive.",
             "节点保存了结果，用来判断 {z} 在哪些位置为正。"))

    def apply(self, grad):
        return (threshold_backward(grad, self._s_result.unpack(self), 0),)


def relu(input: Tensor) -> Tensor:
    """``max(input, 0)`` elementwise."""
    data = input._data
    if data.dtype == np.bool_:
        raise RuntimeError("Boolean inputs not supported for relu")
    out = np.maximum(data, data.dtype.type(0))
    return record(out, ReluBackward0, (input,), result=RESULT)


class ThresholdBackwardBackward0(Node):
    """out = grad_output where self > threshold else 0  ->  linear in grad_output;
    the mask has zero derivative w.r.t. self."""
    _saved_fields = ("self", "threshold")
    explanation = Explanation(
        "{z} = where({1} > {threshold}, {0}, 0)",
        (both("g where {1} > {threshold}, else 0", "{1} > {threshold} 处为 g，其余为 0"), "0"),
        both("relu's derivative (threshold_backward), recorded by a backward pass with "
             "create_graph=True: {0} is the gradient that reached relu. It is linear in {0}; "
             "the mask does not change with {1}, so {1} gets 0.",
             "这是 relu 的导数（threshold_backward），在 create_graph=True 的反向传播中被记录：{0} "
             "是到达 relu 的梯度。它对 {0} 是线性的；掩码不随 {1} 变化，所以 {1} 得到 0。"))

    def apply(self, grad):
        grad_out = None
        if needs(self, 0):
            grad_out = threshold_backward(grad, self._s_self.unpack(self), self._s_threshold)
        return grad_out, (zeros_like(grad) if needs(self, 1) else None)


def threshold_backward(grad_output: Tensor, input: Tensor, threshold: Any) -> Tensor:
    """The gradient of relu/threshold: ``grad_output`` except where ``input <= threshold``
    (so a nan input passes the gradient on, as in PyTorch)."""
    g, x, dg, dx, _ = binary_operands(grad_output, input)
    out = _keep_where(dg, ~(dx <= threshold))
    return record(out, ThresholdBackwardBackward0, (g, x), self=x, threshold=threshold)


# unsigned integers as wide as each float type, to clear a float's bits
_SAME_WIDTH_UINT = {np.dtype(np.float16): np.uint16, np.dtype(np.float32): np.uint32,
                    np.dtype(np.float64): np.uint64}


def _keep_where(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``np.where(keep, values, 0)``, computed without branches for floats.

    With a mask as irregular as relu's, ``np.where`` mispredicts a branch for every other
    element and takes ~10x as long as a plain pass. Clearing the bits instead (AND with an
    all-ones or all-zeros word) gives exactly the same floats (+0.0 where not kept; inf and
    nan kept as they are) at the speed of arithmetic.
    """
    uint = _SAME_WIDTH_UINT.get(values.dtype)
    if uint is None or not values.ndim or values.shape != keep.shape:
        return np.where(keep, values, values.dtype.type(0))
    mask = keep.astype(uint)
    np.negative(mask, out=mask)  # 1 -> all bits set, 0 -> none
    np.bitwise_and(mask, values.view(uint), out=mask)
    return mask.view(values.dtype)


# -- where ------------------------------------------------------------------------------------
class WhereBackward0(Node):
    """out = self where condition else other  ->  grad split by the condition.

    The condition is not differentiable: as in PyTorch it is saved, but has no edge."""
    _saved_fields = ("condition",)
    explanation = Explanation(
        "{z} = where(condition, {0}, {1})",
        (both("g where condition, else 0", "condition 为真处为 g，其余为 0"),
         both("g where not condition, else 0", "condition 为假处为 g，其余为 0")),
        both("The condition only chooses: it gets no gradient.", "条件只负责选择：它没有梯度。"))

    def apply(self, grad):
        cond = self._s_condition.unpack(self)
        return (where(cond, grad, 0.0) if needs(self, 0) else None,
                where(cond, 0.0, grad) if needs(self, 1) else None)


def where(condition: Tensor, input: Any, other: Any) -> Tensor:
    """Elementwise choice: ``input`` where ``condition`` is true, else ``other``."""
    from ._core import check_broadcast
    a, b, da, db, _ = binary_operands(input, other)
    check_broadcast(condition._data.shape, np.broadcast_shapes(da.shape, db.shape))
    out = np.where(condition._data, da, db)
    return record(out, WhereBackward0, (a, b), condition=condition)


# -- masked_fill ---------------------------------------------------------------------------
class MaskedFillBackward0(Node):
    """out = self with ``value`` (a number) where mask  ->  d/dself = grad, 0 where mask"""
    _saved_fields = ("mask",)
    explanation = Explanation(
        "{z} = {0}.masked_fill(mask, value)",
        (both("g where not mask, else 0", "mask 为假处为 g，其余为 0"),))

    def apply(self, grad):
        return (masked_fill(grad, self._s_mask.unpack(self), 0),)


class MaskedFillBackward1(Node):
    """out = self with the 0-d tensor ``value`` where mask  ->  d/dself = grad, 0 where mask;
    d/dvalue = the sum of grad where mask"""
    _saved_fields = ("mask",)
    explanation = Explanation(
        "{z} = {0}.masked_fill(mask, {1})",
        (both("g where not mask, else 0", "mask 为假处为 g，其余为 0"),
         both("the sum of g where mask", "mask 为真处 g 的总和")),
        both("{1} was written into every masked place: it gets the gradient of all of them.",
             "{1} 被写进了每个 mask 为真的位置：它得到所有这些位置的梯度之和。"))

    def apply(self, grad):
        mask = self._s_mask.unpack(self)
        grad_self = masked_fill(grad, mask, 0) if needs(self, 0) else None
        grad_value = None
        if needs(self, 1):
            from .reduction import sum
            from .gather import masked_select
            grad_value = sum(masked_select(grad, mask))
        return grad_self, grad_value


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """``input`` with ``value`` (a number or a 0-d tensor) wherever the bool ``mask``
    (broadcast to input) is true."""
    if mask.dtype is not dtypes.bool_:
        from ..tensor import _CPP_TYPE_NAMES
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_CPP_TYPE_NAMES[mask.dtype.name]}")
    data = input._data
    if mask._data.shape != data.shape:  # out of place, self and mask broadcast together
        from ._core import check_broadcast
        check_broadcast(data.shape, mask._data.shape)
        shape = np.broadcast_shapes(data.shape, mask._data.shape)
        data = np.broadcast_to(data, shape)
    cond = np.broadcast_to(mask._data, data.shape)
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but "
                               f"got tensor with {value._data.ndim} dimension(s).")
        out = np.where(cond, value._data.astype(data.dtype), data)
        return record(out, MaskedFillBackward1, (input, value), mask=mask)
    out = np.where(cond, np.asarray(value).astype(data.dtype), data)
    return record(out, MaskedFillBackward0, (input,), mask=mask)


def masked_fill_(self: Tensor, mask: Tensor, value: Any) -> Tensor:
    return apply_inplace(self, masked_fill, mask, value)


# -- copies and casts -----------------------------------------------------------------------
class CloneBackward0(Node):
    """out = a copy of self  ->  d/dself = grad"""
    __slots__ = ()
    explanation = Explanation("{z} = {0}.clone()", ("g",), COPY)

    def apply(self, grad):
        return (grad,)


def clone(input: Tensor) -> Tensor:
    """A copy with its own memory, still connected to the graph."""
    out = input._data.copy()
    return record(out, CloneBackward0, (input,))


class ToCopyBackward0(Node):
    """out = self converted to another dtype  ->  d/dself = grad converted back"""
    __slots__ = ("self_dtype",)
    explanation = Explanation("{z} = {0}.to(dtype)",
                              (both("g, converted back", "g，转换回原来的 dtype"),))

    def apply(self, grad):
        return (to(grad, self.self_dtype),)


def to(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """``input.to(dtype)`` (device arguments are accepted and must be the CPU)."""
    from ..devices import check_device, is_device_argument
    target = kwargs.get("dtype")
    check_device(kwargs["device"]) if kwargs.get("device") is not None else None
    for a in args:
        if isinstance(a, dtypes.dtype):
            target = a
        elif isinstance(a, Tensor):
            target = a.dtype
        elif is_device_argument(a):
            check_device(a)
    if target is None or target is input.dtype:
        return input
    out = input._data.astype(target.np)
    if not target.is_floating_point:
        return _make(out, None)
    return record(out, ToCopyBackward0, (input,), self_dtype=input.dtype)


def type_(input: Tensor, dtype: Any = None) -> Any:
    """``t.type()`` names the legacy type; ``t.type(dtype)`` converts."""
    if dtype is None:
        from ..tensor import _legacy_type_name
        return _legacy_type_name(input._data.dtype)
    from ..legacy_types import as_dtype  # torch.LongTensor or 'torch.LongTensor' as a dtype
    return to(input, as_dtype(dtype))


def zeros_like(t: Tensor) -> Tensor:
    return _make(np.zeros_like(t._data), None)


# -- comparisons: bool results, never recorded ------------------------------------------------
def _compare(fn: Any, input: Any, other: Any) -> Tensor:
    _, _, da, db, _ = binary_operands(input, other)
    return _make(np.asarray(fn(da, db)), None)


def eq(input: Any, other: Any) -> Tensor:
    """``input == other`` elementwise, as a bool tensor."""
    return _compare(np.equal, input, other)


def ne(input: Any, other: Any) -> Tensor:
    return _compare(np.not_equal, input, other)


def lt(input: Any, other: Any) -> Tensor:
    return _compare(np.less, input, other)


def le(input: Any, other: Any) -> Tensor:
    return _compare(np.less_equal, input, other)


def gt(input: Any, other: Any) -> Tensor:
    return _compare(np.greater, input, other)


def ge(input: Any, other: Any) -> Tensor:
    return _compare(np.greater_equal, input, other)


def logical_not(input: Tensor) -> Tensor:
    return _make(np.logical_not(input._data), None)


def logical_and(input: Any, other: Any) -> Tensor:
    return _compare(np.logical_and, input, other)


def logical_or(input: Any, other: Any) -> Tensor:
    return _compare(np.logical_or, input, other)


__all__ = ["add", "sub", "rsub", "mul", "div", "reciprocal", "pow", "neg", "abs", "sign", "sgn",
           "mul_scalar", "div_scalar", "sub_scalar", "masked_fill", "masked_fill_", "exp",
           "log", "relu", "threshold_backward", "where", "clone", "to", "type_", "copy_",
           "add_", "sub_", "mul_", "div_", "pow_", "relu_", "fill_", "zero_", "zeros_like",
           "eq", "ne", "lt", "le", "gt", "ge", "logical_not", "logical_and", "logical_or",
           "wrap_scalar", "add_scalar"]


# the in-place ops (copy_, fill_, zero_, add_ ...) live in inplace.py; they are re-exported here
from .inplace import (CopyBackwards, FillBackward2, FillBackward3, ZeroBackward0,  # noqa: E402
                      _overwrite, add_, copy_, copy_into_new, div_, fill_, mul_, pow_, relu_,
                      sub_, zero_)
