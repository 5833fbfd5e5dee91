"""``autograd_lab.nn``: mirrors ``torch.nn`` (Module, Parameter, layers)."""
from . import functional
from .module import Module
from .parameter import Parameter
from ..tensor import Tensor as _Tensor


class ReLU(Module):
    """``max(x, 0)`` as a layer."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: _Tensor) -> _Tensor:
        return functional.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


__all__ = ["Module", "Parameter", "ReLU", "functional"]
