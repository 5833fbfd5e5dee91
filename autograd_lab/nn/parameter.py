"""``Parameter``: a tensor that a Module registers as one of its learnable weights (and, as in
``torch.nn.parameter``, ``UninitializedParameter``, a lazy module's placeholder, defined in
``uninitialized``)."""
from __future__ import annotations

from typing import Any

from ..tensor import NOT_FLOAT_FACTORY, Tensor, _make


class Parameter(Tensor):
    """A leaf tensor that requires grad (by default) and is found by ``Module.parameters()``."""

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> "Parameter":
        from ..factories import empty
        source = data if data is not None else empty(0)
        p = object.__new__(cls)
        plain = _make(source._data, None)
        for slot in Tensor.__slots__:
            if slot != "__weakref__":
                setattr(p, slot, getattr(plain, slot))
        p._vc = source._vc  # shares memory with data, as in PyTorch
        p._set_requires_grad(bool(requires_grad), NOT_FLOAT_FACTORY)
        return p

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


from .uninitialized import (  # noqa: E402  (it subclasses Parameter)
    UninitializedBuffer, UninitializedParameter, is_lazy)

# (PyTorch defines them in torch.nn.parameter: their reprs name this module, as Parameter's does)
UninitializedParameter.__module__ = UninitializedBuffer.__module__ = __name__

__all__ = ["Parameter", "UninitializedBuffer", "UninitializedParameter", "is_lazy"]
