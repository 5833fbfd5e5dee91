"""In-place ops: ``copy_``, ``fill_``, ``zero_`` and the in-place forms of the arithmetic
(``add_``, ``mul_`` ... ``relu_``).

An in-place op writes into the tensor's own memory, bumps its version counter (so a backward
that saved the old value refuses to run), and rebases its history on the op's node
(``_core.rebase_history``): on a view, the view's base gets ``CopySlices`` and the view a
regenerated ``AsStridedBackward0`` (see views.py). The arithmetic forms record the
out-of-place op on a snapshot of the old value (``_core.apply_inplace``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import (_write, apply_inplace, as_tensor_operand, bump_version, check_inplace,
                    check_writable, inplace_records, needs, rebase_history, record)
from .pointwise import add, div, mul, pow, relu, sub, to, zeros_like


class CopyBackwards(Node):
    """``self.copy_(src)``: the old values of self are overwritten, so they get a zero
    gradient; src gets the incoming gradient (cast back to its dtype)."""
    __slots__ = ("src_dtype",)
    src_dtype: Any  # the dtype src had (its gradient is cast back to it)

    def name(self) -> str:
        return "torch::autograd::CopyBackwards"

    explanation = Explanation(
        "{z}.copy_({1})", ("0", both("g, converted to the dtype of {1}", "g，转换为 {1} 的 dtype")),
        both("{z}'s old values were overwritten by {1}: they get 0, {1} gets the gradient.",
             "{z} 原来的值被 {1} 覆盖了：它们得到 0，{1} 得到梯度。"))

    def apply(self, grad):
        return (zeros_like(grad) if needs(self, 0) else None,
                to(grad, self.src_dtype) if needs(self, 1) else None)


def copy_into_new(like: Tensor, src: Tensor) -> Tensor:
    """A new tensor shaped like ``like`` holding ``src`` (recorded as ``CopyBackwards``).

    This is how AccumulateGrad stores a first gradient when grad mode is on.
    """
    empty = _make(np.empty_like(like._data), None)
    return copy_(empty, src)


def copy_(self: Tensor, src: Any) -> Tensor:
    """Copy ``src`` (broadcast, cast) into ``self`` in place."""
    src = as_tensor_operand(src)
    records = inplace_records(self, src)
    check_inplace(self, records)
    node = None
    if records:
        node = CopyBackwards((self, src))
        node.src_dtype = src.dtype
    return _overwrite(self, src._data, node, records)


def _overwrite(self: Tensor, values: np.ndarray, node: Node | None, records: bool) -> Tensor:
    """Write ``values`` into ``self`` as an in-place op recorded as ``node`` (built by the
    caller from the old ``self``, when ``records``, after ``check_inplace``)."""
    check_writable(self)
    _write(self, values)
    if records:
        assert node is not None  # (a recorded change comes with its node)
        self._vc[0] += 1
        rebase_history(self, node)
    else:
        bump_version(self)
    return self


# -- in-place forms: the op recorded on the old value, written into the same memory ------------
# (``ufunc``: the NumPy function that can write the result straight into self, see
# _core.apply_inplace)
def add_(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    return apply_inplace(self, lambda s, o: add(s, o, alpha=alpha), other,
                         ufunc=np.add if alpha == 1 else None)


def sub_(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    return apply_inplace(self, lambda s, o: sub(s, o, alpha=alpha), other,
                         ufunc=np.subtract if alpha == 1 else None)


def mul_(self: Tensor, other: Any) -> Tensor:
    return apply_inplace(self, mul, other, ufunc=np.multiply)


def div_(self: Tensor, other: Any) -> Tensor:
    return apply_inplace(self, div, other, ufunc=np.true_divide)


def pow_(self: Tensor, exponent: Any) -> Tensor:
    return apply_inplace(self, pow, exponent)


def relu_(self: Tensor) -> Tensor:
    return apply_inplace(self, relu)


class FillBackward2(Node):
    """self filled with a number in place (``fill_.Scalar``): nothing flows back to the old
    values."""
    __slots__ = ()
    explanation = Explanation(
        "{z}.fill_({c})", ("0",),
        both("{z} was filled with {c}: nothing of {0} is left in it.",
             "{z} 被填成了 {c}：其中不再有 {0} 的任何成分。"), "fill")

    def apply(self, grad):
        return (zeros_like(grad),)


class FillBackward3(Node):
    """self filled with a 0-d tensor ``value``  ->  d/dself = 0, d/dvalue = grad.sum()"""
    __slots__ = ()
    explanation = Explanation(
        "{z}.fill_({1})", ("0", "sum(g)"),
        both("{z} was filled with the value of {1}: {0} gets 0, {1} the sum of the gradient.",
             "{z} 被填成了 {1} 的值：{0} 得到 0，{1} 得到梯度之和。"))

    def apply(self, grad):
        from .reduction import sum
        return (zeros_like(grad) if needs(self, 0) else None,
                sum(grad) if needs(self, 1) else None)


def fill_(self: Tensor, value: Any) -> Tensor:
    """Set every element to ``value`` (a number, or a 0-d tensor) in place."""
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor "
                               f"with {value._data.ndim} dimensions.")
        records = inplace_records(self, value)
        check_inplace(self, records)
        node: Node | None = FillBackward3((self, value)) if records else None
        return _overwrite(self, value._data, node, records)
    records = inplace_records(self)
    check_inplace(self, records)
    node = FillBackward2((self,)) if records else None
    return _overwrite(self, np.asarray(value), node, records)


class NormalBackward0(FillBackward2):
    """self filled with normal random numbers (``normal_``): nothing flows back."""
    __slots__ = ()
    explanation = Explanation(
        "{z}.normal_()", ("0",),
        both("{z} was filled with random numbers: nothing of {0} is left in it.",
             "{z} 被填成了随机数：其中不再有 {0} 的任何成分。"))


class UniformBackward0(FillBackward2):
    """self filled with uniform random numbers (``uniform_``): nothing flows back."""
    __slots__ = ()
    explanation = Explanation(
        "{z}.uniform_()", ("0",),
        both("{z} was filled with random numbers: nothing of {0} is left in it.",
             "{z} 被填成了随机数：其中不再有 {0} 的任何成分。"))


class ZeroBackward0(FillBackward2):
    """self set to zero: nothing flows back to the old values."""
    __slots__ = ()
    explanation = Explanation("{z}.zero_()", ("0",))


def zero_(self: Tensor) -> Tensor:
    """Set every element to zero in place (``x.grad.zero_()``)."""
    records = inplace_records(self)
    check_inplace(self, records)
    node = ZeroBackward0((self,)) if records else None
    return _overwrite(self, np.zeros((), self._data.dtype), node, records)
