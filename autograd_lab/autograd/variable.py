"""The legacy ``Variable`` (merged into ``Tensor`` since PyTorch 0.4), kept so old lessons run.

``Variable(t, requires_grad=True)`` returns a tensor, and every tensor is an instance of
``Variable``, as in PyTorch.
"""
from __future__ import annotations

from typing import Any


class _VariableMeta(type):
    def __instancecheck__(cls, other: Any) -> bool:
        from ..tensor import Tensor
        return isinstance(other, Tensor)


class Variable(metaclass=_VariableMeta):
    """``Variable(data, requires_grad=False)``: the same as ``data.detach().requires_grad_(...)``."""

    def __new__(cls, data: Any = None, requires_grad: bool = False, volatile: bool = False) -> Any:
        from ..tensor import NOT_FLOAT_FACTORY, Tensor
        if volatile:
            import warnings
            warnings.warn("volatile was removed and now has no effect. Use `with "
                          "torch.no_grad():` instead.", UserWarning, stacklevel=2)
            if requires_grad:
                raise ValueError("Variable can't be volatile and require_grad at the same time!")
        if data is None:
            return Tensor([])  # (an empty tensor of the default dtype, as torch.tensor([]))
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        t = data.detach()
        t._set_requires_grad(bool(requires_grad), NOT_FLOAT_FACTORY)
        return t


def variable(*args: Any, **kwargs: Any) -> Any:
    """Removed in PyTorch; calling it says what to use instead."""
    raise RuntimeError("torch.autograd.variable(...) is deprecated, use torch.tensor(...) "
                       "instead")
