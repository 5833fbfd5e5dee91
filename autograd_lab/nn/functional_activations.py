"""``nn.functional``'s activation functions beyond relu/sigmoid/tanh/softmax, with
``torch.nn.functional``'s signatures and defaults (re-exported by ``nn.functional``).

The ``inplace=True`` options and the ``*_`` functions change ``input`` and record what PyTorch
records for its in-place kernels (LeakyReluBackward1, EluBackward1 ...).
"""
from __future__ import annotations

import warnings
from typing import Any

from ..ops import activations as _pw, smooth_activations as _sm
from ..tensor import Tensor


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``input`` where positive, ``negative_slope * input`` elsewhere."""
    if inplace:
        return _pw.leaky_relu_(input, negative_slope)
    return _pw.leaky_relu(input, negative_slope)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """In-place leaky_relu."""
    return _pw.leaky_relu_(input, negative_slope)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``x`` for x > 0, ``alpha * (exp(x) - 1)`` elsewhere."""
    return _sm.elu_(input, alpha) if inplace else _sm.elu(input, alpha)


def elu_(input: Tensor, alpha: float = 1) -> Tensor:
    """In-place elu."""
    return _sm.elu_(input, alpha)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """``scale * elu(x, alpha)`` with the self-normalising constants."""
    return _sm.selu_(input) if inplace else _sm.selu(input)


def selu_(input: Tensor) -> Tensor:
    """In-place selu."""
    return _sm.selu_(input)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``."""
    return _sm.celu_(input, alpha) if inplace else _sm.celu(input, alpha)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place celu."""
    return _sm.celu_(input, alpha)


def gelu(input: Tensor, *, approximate: str = "none") -> Tensor:
    """``x * Phi(x)``; ``approximate='tanh'`` uses the tanh formula for Phi."""
    return _sm.gelu(input, approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * sigmoid(x)``."""
    return _sm.silu_(input) if inplace else _sm.silu(input)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * tanh(softplus(x))``."""
    return _sm.mish_(input) if inplace else _sm.mish(input)


def softplus(input: Tensor, beta: float = 1, threshold: float = 20) -> Tensor:
    """``log(1 + exp(beta * x)) / beta``, linear above ``threshold``."""
    return _sm.softplus(input, beta, threshold)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    """``input`` clipped to ``[min_val, max_val]``."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if inplace:
        return _pw.hardtanh_(input, min_val, max_val)
    return _pw.hardtanh(input, min_val, max_val)


def hardtanh_(input: Tensor, min_val: float = -1, max_val: float = 1) -> Tensor:
    """In-place hardtanh."""
    return _pw.hardtanh_(input, min_val, max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """``min(max(x, 0), 6)``."""
    return _pw.relu6_(input) if inplace else _pw.relu6(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """``clamp(x + 3, 0, 6) / 6``."""
    return _pw.hardsigmoid_(input) if inplace else _pw.hardsigmoid(input)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * clamp(x + 3, 0, 6) / 6``."""
    return _pw.hardswish_(input) if inplace else _pw.hardswish(input)


def logsigmoid(input: Tensor) -> Tensor:
    """``log(sigmoid(x))``, computed stably."""
    return _sm.log_sigmoid(input)


def softsign(input: Tensor) -> Tensor:
    """``x / (1 + |x|)``."""
    return _sm.softsign(input)


def tanhshrink(input: Tensor) -> Tensor:
    """``x - tanh(x)``."""
    return _sm.tanhshrink(input)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """``input`` where ``input > threshold``, else ``value``."""
    if inplace:
        return _pw.threshold_(input, threshold, value)
    return _pw.threshold(input, threshold, value)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """In-place threshold."""
    return _pw.threshold_(input, threshold, value)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """``input`` where ``|input| > lambd``, else 0."""
    return _pw.hardshrink(input, lambd)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """``input`` moved ``lambd`` towards 0; 0 where ``|input| <= lambd``."""
    return _pw.softshrink(input, lambd)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """``input`` where positive, ``weight * input`` elsewhere (a learned slope)."""
    return _pw.prelu(input, weight)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """``a * sigmoid(b)``, ``a`` and ``b`` the halves of ``input`` along ``dim``."""
    return _sm.glu(input, dim)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype: Any = None) -> Tensor:
    """``softmax(-input, dim)``."""
    if dim is None:
        warnings.warn("Implicit dimension choice for softmin has been deprecated. Change the "
                      "call to include dim=X as an argument.", UserWarning,
                      stacklevel=_stacklevel)
        dim = 0 if input.dim() in (0, 1, 3) else 1
    return _sm.softmin(input, dim, dtype)


# (PyTorch's F.logsigmoid is the builtin log_sigmoid, and F.threshold a Python function named
# _threshold: their __name__ is what a learner printing ``f.__name__`` sees)
logsigmoid.__name__ = logsigmoid.__qualname__ = "log_sigmoid"
threshold.__name__ = threshold.__qualname__ = "_threshold"

__all__ = ["leaky_relu", "leaky_relu_", "elu", "elu_", "selu", "selu_", "celu", "celu_", "gelu",
           "silu", "mish", "softplus", "hardtanh", "hardtanh_", "relu6", "hardsigmoid",
           "hardswish", "logsigmoid", "softsign", "tanhshrink", "threshold", "threshold_",
           "prelu", "glu", "softmin", "hardshrink", "softshrink"]
