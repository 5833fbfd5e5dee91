"""``LayerNorm``: normalize each sample over its last dimensions, as ``torch.nn.LayerNorm``
(learned elementwise scale and shift; the same computation in training and evaluation)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import factories
from ..tensor import Tensor
from . import functional as F, init
from .module import Module
from .parameter import Parameter


class LayerNorm(Module):
    """Normalize over the last ``len(normalized_shape)`` dims of the input, then scale by
    ``weight`` (ones at first) and shift by ``bias`` (zeros at first), both of that shape.

    >>> import autograd_lab as torch
    >>> torch.nn.LayerNorm(32)
    LayerNorm((32,), eps=1e-05, elementwise_affine=True, bias=True)
    """

    __constants__ = ["normalized_shape", "eps", "elementwise_affine"]

    def __init__(self, normalized_shape: int | Sequence[int], eps: float = 1e-5,
                 elementwise_affine: bool = True, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        if isinstance(normalized_shape, (int, np.integer)):
            normalized_shape = (int(normalized_shape),)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(factories.empty(self.normalized_shape, dtype=dtype))
            if bias:
                self.bias = Parameter(factories.empty(self.normalized_shape, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Weight 1 and bias 0 again."""
        if self.elementwise_affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}")


__all__ = ["LayerNorm"]
