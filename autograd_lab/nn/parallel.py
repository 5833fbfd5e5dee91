"""``nn.DataParallel`` as a CPU-only PyTorch has it: with no GPU there is nothing to split the
batch over, so the wrapper keeps no devices (``device_ids == []``) and calls its module."""
from __future__ import annotations

from typing import Any, Sequence

from .module import Module


class DataParallel(Module):
    """Wraps ``module`` (as ``self.module``); its forward is the module's on this CPU-only
    build, as in PyTorch when no GPU is available.

    >>> import autograd_lab as torch
    >>> torch.nn.DataParallel(torch.nn.Linear(2, 1))
    DataParallel(
      (module): Linear(in_features=2, out_features=1, bias=True)
    )
    """

    def __init__(self, module: Module, device_ids: Sequence[Any] | None = None,
                 output_device: Any = None, dim: int = 0) -> None:
        super().__init__()
        self.module = module
        self.device_ids: list[int] = []

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)


__all__ = ["DataParallel"]
