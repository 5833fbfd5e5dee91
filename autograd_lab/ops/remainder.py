"""Remainder (``x % y``, ``torch.remainder``): the remainder of the floor division, with the
sign of the divisor, as Python's ``%``.

* tensor % number: RemainderBackward0, the gradient passes unchanged (the remainder moves by
  ``dx`` wherever it is defined);
* tensor % tensor: RemainderBackward1, ``d/dother = -grad * floor(self / other)``, the floor
  division recorded as PyTorch's ``div(self, other, rounding_mode="floor")`` (DivBackward2,
  whose own derivative is zero: no graph below it);
* number % tensor: PyTorch has no derivative; the result's ``grad_fn`` is a NotImplemented node
  that raises when a backward reaches it.

Floats: ``fmod`` then, where the result is nonzero and its sign differs from the divisor's,
the divisor added (so ``-0.0 % 2`` stays ``-0.0``, unlike NumPy's ``np.remainder``); computed
silently (``x % 0.0`` is nan). Integers: a zero divisor is PyTorch's
``RuntimeError: ZeroDivisionError``; booleans are refused.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..autograd.explanation import BROADCAST, Explanation, both
from ..autograd.node import UINT64_MAX, Node
from ..tensor import Tensor, _make, _scalar_type_name
from ._core import IGNORE, apply_inplace, binary_operands, needs, quiet, record, unquiet
from . import pointwise as P

_NUMBERS = (bool, int, float, np.number, np.bool_)


# -- the values -----------------------------------------------------------------------------
def _check_kernel(rd: dtypes.dtype) -> None:
    if rd is dtypes.bool_:
        raise NotImplementedError(f"\"remainder_cpu\" not implemented for "
                                  f"'{_scalar_type_name(rd)}'")


def _remainder_data(a: np.ndarray, b: Any, rd: dtypes.dtype) -> np.ndarray:
    # (b: an array, or a NumPy scalar of the result type)
    _check_kernel(rd)
    if rd.is_floating_point:
        token = quiet(IGNORE)
        try:
            mod = np.fmod(a, b)
            fix = (mod != 0) & ((b < 0) != (mod < 0))
            out = np.where(fix, mod + b, mod)
        finally:
            unquiet(token)
    else:
        if np.any(b == 0):
            raise RuntimeError("ZeroDivisionError")
        out = np.remainder(a, b)
    return np.asarray(out, dtype=rd.np)


def _floor_divide_data(a: np.ndarray, b: np.ndarray | np.generic, rd: dtypes.dtype
                       ) -> np.ndarray:
    token = quiet(IGNORE)
    try:
        out = np.floor_divide(a, b)  # Python's float floor division: b == 0 gives a / b
    finally:
        unquiet(token)
    return np.asarray(out, dtype=rd.np)


# -- nodes ----------------------------------------------------------------------------------
class RemainderBackward0(Node):
    """out = self % number  ->  d/dself = grad"""
    __slots__ = ()
    explanation = Explanation(
        "{z} = {0} % n", ("g",),
        both("{z} = {0} − n · floor({0} / n): between its jumps it moves one for one with {0}; "
             "n is the number {0} was divided by.",
             "{z} = {0} − n · floor({0} / n)：在跳变之间它与 {0} 同步变化；n 是除数。"))

    def apply(self, grad):
        return (grad,)


class RemainderBackward1(Node):
    """out = self % other  ->  d/dself = grad, d/dother = -grad * floor(self / other)"""
    _saved_fields = ("other", "self")
    _saved_for = {"self": 1, "other": 1}  # only d/dother uses them
    explanation = Explanation("{z} = {0} % {1}", ("g", "−g · floor({0} / {1})"), BROADCAST)

    def apply(self, grad):
        grad_self = grad_other = None
        if needs(self, 1):
            quotient = floor_divide(self._s_self.unpack(self), self._s_other.unpack(self))
            grad_other = P.mul(P.neg(grad), quotient)
        if needs(self, 0):
            grad_self = grad
        return grad_self, grad_other


class DivBackward2(Node):
    """out = div(self, other, rounding_mode="floor")  ->  zero gradients (a step function)"""
    _saved_fields = ("other", "rounding_mode", "self")
    _saved_for = {"self": 1}
    explanation = Explanation(
        "{z} = {0} // {1}", ("0", "0"),
        both("Floor division (rounding_mode='floor') is a step function: its slope is 0.",
             "向下取整的除法（rounding_mode='floor'）是阶跃函数：斜率为 0。"))

    def apply(self, grad):
        return tuple(_make(np.zeros(grad._data.shape, grad._data.dtype), None)
                     if needs(self, i) else None for i in range(2))


class _NotImplementedNode(Node):
    """The ``grad_fn`` of an op PyTorch cannot differentiate: any backward through it fails.

    PyTorch makes it without a sequence number (the largest one, as AccumulateGrad's): the
    engine runs it as soon as it is ready, before the other nodes."""
    __slots__ = ()
    _always_apply = True
    op = "aten::remainder"

    def __init__(self, inputs: tuple) -> None:
        super().__init__(inputs)
        self._seq = UINT64_MAX

    def name(self) -> str:
        return "torch::autograd::NotImplemented"

    explanation = Explanation(
        "{z} = n % {0}", (),
        both("PyTorch has no derivative for a number % a tensor: a backward that reaches this "
             "node fails.",
             "PyTorch 没有“数 % 张量”的导数：反向传播到达这个节点时会报错。"))

    def apply(self, *grads):
        raise RuntimeError(f"derivative for {self.op} is not implemented")


_NotImplementedNode.__name__ = _NotImplementedNode.__qualname__ = "NotImplemented"


def floor_divide(input: Tensor, other: Tensor) -> Tensor:
    """``div(input, other, rounding_mode="floor")`` for floating-point tensors (DivBackward2)."""
    a, b, da, db, rd = binary_operands(input, other)
    out = _floor_divide_data(da, db, rd)
    return record(out, DivBackward2, (a, b), self=a, other=b, rounding_mode="floor")


# -- the op ---------------------------------------------------------------------------------
def _remainder(input: Any, other: Any) -> Tensor:
    a, b, da, db, rd = binary_operands(input, other)
    out = _remainder_data(da, db, rd)
    if not isinstance(input, Tensor):  # number % tensor: no derivative
        return record(out, _NotImplementedNode, (b,))
    if not isinstance(other, Tensor):
        return record(out, RemainderBackward0, (a,))
    return record(out, RemainderBackward1, (a, b), self=a, other=b)


def remainder(*args: Any, **kwargs: Any) -> Tensor:
    """``input % other`` (either may be a number, not both)."""
    given = _bind(args, kwargs, ("input", "other"), {"self": "input"}, ("out",))
    if given is not None:
        input, other = given  # noqa: A001
        _refuse_complex(input, other)
        if isinstance(input, Tensor) and (isinstance(other, Tensor) or _is_number(other)):
            return _remainder(input, other)
        if _is_number(input) and isinstance(other, Tensor):
            return _remainder(input, other)
    raise TypeError(_invalid_arguments("remainder", args, kwargs, _FUNCTION_SIGNATURES))


def remainder_method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """``Tensor.remainder(other)``."""
    other = _method_operand("remainder", self, args, kwargs)
    return _remainder(self, other)


def remainder_(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """``self %= other`` (``Tensor.remainder_``)."""
    other = _method_operand("remainder_", self, args, kwargs)
    return apply_inplace(self, _remainder, other)


def mod(self: Tensor, other: Any) -> Any:
    """``Tensor.__mod__``: NotImplemented for an operand that is neither a tensor nor a number
    (Python then raises its own TypeError, as it does for PyTorch)."""
    _refuse_complex(self, other)
    if isinstance(other, Tensor) or _is_number(other):
        return _remainder(self, other)
    return NotImplemented


def rmod(self: Tensor, other: Any) -> Any:
    """``number % tensor``."""
    _refuse_complex(other, self)
    if _is_number(other):
        return _remainder(other, self)
    return NotImplemented


def imod(self: Tensor, other: Any) -> Any:
    _refuse_complex(self, other)
    if isinstance(other, Tensor) or _is_number(other):
        return apply_inplace(self, _remainder, other)
    return NotImplemented


_COMPLEX_NAMES = {"float64": "ComplexDouble", "float16": "ComplexHalf"}


def _refuse_complex(input: Any, other: Any) -> None:
    """A complex number with a tensor: PyTorch has no complex remainder kernel (this library no
    complex dtypes)."""
    pair = (input, other) if isinstance(input, Tensor) else (other, input)
    if isinstance(pair[0], Tensor) and isinstance(pair[1], complex):
        name = _COMPLEX_NAMES.get(pair[0].dtype.name, "ComplexFloat")
        raise NotImplementedError(f"\"remainder_cpu\" not implemented for '{name}'")


# -- PyTorch's messages for calls that match no signature ------------------------------------
_FUNCTION_SIGNATURES = (("(Tensor input, Tensor other, *, Tensor out = None)", None),
                        ("(Number self, Tensor other)", (("self", "Number"),
                                                         ("other", "Tensor"))),
                        ("(Tensor input, Number other, *, Tensor out = None)", None))
_METHOD_SIGNATURES = (("(Tensor other)", (("other", "Tensor"),)),
                      ("(Number other)", (("other", "Number"),)))


def _is_number(value: Any) -> bool:
    return isinstance(value, _NUMBERS) and not isinstance(value, complex)


def _bind(args: tuple, kwargs: dict, names: tuple, aliases: dict, optional: tuple
          ) -> tuple | None:
    """The values for ``names`` from positional and keyword arguments, or None when they do
    not bind (too many, missing, unknown keywords). Keywords in ``optional`` must be None."""
    if len(args) > len(names):
        return None
    values = dict(zip(names, args))
    for key, value in kwargs.items():
        if key in optional:
            if value is not None:
                return None
            continue
        key = aliases.get(key, key)
        if key not in names or key in values:
            return None
        values[key] = value
    if len(values) != len(names):
        return None
    return tuple(values[n] for n in names)


def _method_operand(name: str, self: Any, args: tuple, kwargs: dict) -> Any:
    if not isinstance(self, Tensor):  # Tensor.remainder(2, x)
        raise TypeError(f"descriptor '{name}' for 'torch._C.TensorBase' objects doesn't apply "
                        f"to a '{type(self).__name__}' object")
    given = _bind(args, kwargs, ("other",), {}, ())
    if given is not None:
        _refuse_complex(self, given[0])
        if isinstance(given[0], Tensor) or _is_number(given[0]):
            return given[0]
    raise TypeError(_invalid_arguments(name, args, kwargs, _METHOD_SIGNATURES))


def _type_desc(value: Any) -> str:
    if isinstance(value, Tensor):
        return "Tensor"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(dict.fromkeys(_type_desc(v) for v in value))
        return f"{type(value).__name__} of [{inner}]"
    return type(value).__name__


def _matches(value: Any, kind: str) -> bool:
    # (PyTorch's message marks whatever was given for a Number as invalid, numbers too)
    return kind == "Tensor" and isinstance(value, Tensor)


def _invalid_arguments(name: str, args: tuple, kwargs: dict, signatures: tuple) -> str:
    """PyTorch's "received an invalid combination of arguments" message: what was given, then
    each signature, with the mismatching arguments marked where the count fits."""
    given = [type(a).__name__ if not isinstance(a, Tensor) else "Tensor" for a in args]
    given += [f"{k}={'Tensor' if isinstance(v, Tensor) else type(v).__name__}"
              for k, v in kwargs.items()]
    got = ", ".join(given) + (", " if kwargs and not args else "")
    lines = [f"{name}() received an invalid combination of arguments - got ({got}), but "
             "expected one of:"]
    for text, params in signatures:
        lines.append(f" * {text}")
        if params is None or len(args) + len(kwargs) != len(params):
            continue
        names = [p for p, _ in params]
        wrong = [k for k in kwargs if k not in names[len(args):]]
        if wrong:
            lines.append("      didn't match because some of the keywords were incorrect: "
                         + ", ".join(wrong))
            continue
        marked = []
        for (pname, kind), value in zip(params, args):
            desc = _type_desc(value)
            marked.append(desc if _matches(value, kind) else f"!{desc}!")
        for key, value in kwargs.items():
            kind = dict(params)[key]
            desc = f"{key}={_type_desc(value)}"
            marked.append(desc if _matches(value, kind) else f"!{desc}!")
        lines.append("      didn't match because some of the arguments have invalid types: ("
                     + ", ".join(marked) + ")")
    return "\n".join(lines) + "\n"


__all__ = ["remainder", "remainder_", "floor_divide"]
