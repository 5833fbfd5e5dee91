"""``torch.accelerator`` as a CPU-only PyTorch has it: there is no accelerator, so lessons'
device lines (``torch.accelerator.current_accelerator().type if torch.accelerator.is_available()
else "cpu"``) choose the CPU, and asking for the accelerator's device fails as PyTorch's does."""
from __future__ import annotations

from typing import Any

_NONE_AVAILABLE = "Cannot access accelerator device when none is available."


def is_available() -> bool:
    """False: autograd_lab runs on the CPU only."""
    return False


def current_accelerator(check_available: bool = False) -> Any:
    """None: there is no accelerator."""
    return None


def device_count() -> int:
    """0: there is no accelerator."""
    return 0


def current_device_index() -> int:
    """Fails as in PyTorch without an accelerator."""
    raise RuntimeError(_NONE_AVAILABLE)


def set_device_index(device: Any) -> None:
    """Fails as in PyTorch without an accelerator."""
    raise RuntimeError(_NONE_AVAILABLE)


def synchronize(device: Any = None) -> None:
    """Fails as in PyTorch without an accelerator."""
    raise RuntimeError(_NONE_AVAILABLE)


__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index",
           "set_device_index", "synchronize"]
