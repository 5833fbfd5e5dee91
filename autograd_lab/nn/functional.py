"""``nn.functional``: layers as plain functions."""
from __future__ import annotations

from ..ops import relu as _relu, relu_ as _relu_
from ..tensor import Tensor


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """``max(input, 0)``; in place with ``inplace=True``."""
    return _relu_(input) if inplace else _relu(input)


__all__ = ["relu"]
