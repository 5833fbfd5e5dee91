"""Convolution layers: Conv2d, and LazyConv2d (``in_channels`` read from the first input)."""
from __future__ import annotations

import math
from typing import Any

from .. import factories
from ..tensor import Tensor
from . import functional as F, init
from .lazy import LazyModuleMixin
from .module import Module
from .parameter import Parameter, UninitializedParameter


def _pair(value: Any) -> tuple[int, int]:
    if isinstance(value, (list, tuple)):
        return (int(value[0]), int(value[-1]))
    return (int(value), int(value))


class Conv2d(Module):
    """A 2-d convolution layer: ``weight`` of shape (out_channels, in_channels / groups, KH, KW)
    and ``bias`` (out_channels,), initialised as PyTorch's (``kaiming_uniform_(a=sqrt(5))``,
    then the bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in))), so after ``manual_seed(k)`` the
    numbers are PyTorch's.

    >>> import autograd_lab as torch
    >>> torch.nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
    Conv2d(1, 16, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))
    """

    __constants__ = ["stride", "padding", "dilation", "groups", "padding_mode", "output_padding",
                     "in_channels", "out_channels", "kernel_size"]

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if padding_mode != "zeros":
            raise NotImplementedError(f"Conv2d(padding_mode={padding_mode!r}) is not "
                                      "implemented in autograd_lab (only 'zeros')")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                                 "{'same', 'valid'}")
            if padding == "same" and _pair(stride) != (1, 1):
                raise ValueError("padding='same' is not supported for strided convolutions")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _pair(kernel_size)
        self.stride = _pair(stride)
        self.padding = padding if isinstance(padding, str) else _pair(padding)
        self.dilation = _pair(dilation)
        self.transposed = False
        self.output_padding = (0, 0)
        self.groups = groups
        self.padding_mode = padding_mode
        self.weight = Parameter(factories.empty(
            (out_channels, in_channels // groups) + self.kernel_size, dtype=dtype))
        if bias:
            self.bias = Parameter(factories.empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return F.conv2d(input, self.weight, self.bias, self.stride, self.padding,
                        self.dilation, self.groups)

    def extra_repr(self) -> str:
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0, 0):
            s += f", padding={self.padding}"
        if self.dilation != (1, 1):
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s


class LazyConv2d(LazyModuleMixin, Conv2d):
    """A ``Conv2d`` whose ``in_channels`` is taken from the first input (its dim 1, or dim 0 of
    an unbatched (C, H, W) input); it becomes a ``Conv2d`` then.

    >>> import autograd_lab as torch
    >>> conv = torch.nn.LazyConv2d(6, kernel_size=5)
    >>> conv
    LazyConv2d(0, 6, kernel_size=(5, 5), stride=(1, 1))
    >>> conv(torch.ones(1, 3, 8, 8)).shape, conv
    (torch.Size([1, 6, 4, 4]), Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1)))
    """

    cls_to_become = Conv2d
    weight: Any
    bias: Any

    def __init__(self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        # built with no channels and no bias, then given placeholders
        super().__init__(0, 0, kernel_size, stride, padding, dilation, groups, False,
                         padding_mode, device, dtype)
        self.weight = UninitializedParameter(dtype=dtype)
        self.out_channels = out_channels
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_channels != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor, *args: Any, **kwargs: Any) -> None:
        """Shape the weight (and bias) for the input's channels and draw their values as
        ``Conv2d`` does."""
        if self.has_uninitialized_params():
            self.in_channels = self._get_in_channels(input)
            if self.in_channels % self.groups != 0:
                raise ValueError("in_channels must be divisible by groups")
            self.weight.materialize(
                (self.out_channels, self.in_channels // self.groups, *self.kernel_size))
            if self.bias is not None:
                self.bias.materialize((self.out_channels,))
            self.reset_parameters()

    def _get_in_channels(self, input: Tensor) -> int:
        if input.dim() not in (3, 4):
            raise RuntimeError(
                "Expected 3D (unbatched) or 4D (batched) input to "
                f"{self.__class__.__name__}, but got input of size: {input.shape}")
        return input.shape[1] if input.dim() == 4 else input.shape[0]


__all__ = ["Conv2d", "LazyConv2d"]
