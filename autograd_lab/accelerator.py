"""``torch.accelerator`` without an accelerator: the device-agnostic way newer lessons choose
their device (``torch.accelerator.current_accelerator().type if torch.accelerator.is_available()
else "cpu"``). Nothing is available here, as in a CPU-only PyTorch.
"""
from __future__ import annotations

_NONE = "Cannot access accelerator device when none is available."


def is_available() -> bool:
    """False: autograd_lab runs on the CPU only."""
    return False


def current_accelerator(check_available: bool = False) -> None:
    """None: there is no accelerator."""
    return None


def device_count() -> int:
    """The number of accelerator devices: 0."""
    return 0


def current_device_index() -> int:
    """Fails as PyTorch does when no accelerator is available."""
    raise RuntimeError(_NONE)


def synchronize(device: object = None) -> None:
    """Fails as PyTorch does when no accelerator is available."""
    raise RuntimeError(_NONE)


__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index",
           "synchronize"]
