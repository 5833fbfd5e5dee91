"""``torch.cuda`` as a CPU-only build of PyTorch has it: no device is available.

Lessons ask ``torch.cuda.is_available()`` to choose their device; here the answer is always
False, and seeding CUDA's generators does nothing (as in PyTorch without a GPU).
"""
from __future__ import annotations


def is_available() -> bool:
    """False: autograd_lab runs on the CPU only."""
    return False


def device_count() -> int:
    """The number of CUDA devices: 0."""
    return 0


def is_initialized() -> bool:
    """False: CUDA is never initialised here."""
    return False


def _no_cuda() -> None:
    raise AssertionError("Torch not compiled with CUDA enabled")


def current_device() -> int:
    """Fails as PyTorch's CPU-only build does."""
    _no_cuda()
    return 0  # pragma: no cover (unreachable)


def get_device_name(device: object = None) -> str:
    """Fails as PyTorch's CPU-only build does."""
    _no_cuda()
    return ""  # pragma: no cover


def synchronize(device: object = None) -> None:
    """Fails as PyTorch's CPU-only build does."""
    _no_cuda()


def manual_seed(seed: int) -> None:
    """Seed CUDA's generators: nothing to do without a GPU (PyTorch does nothing either)."""


def manual_seed_all(seed: int) -> None:
    """Seed every GPU's generator: nothing to do without a GPU."""


def empty_cache() -> None:
    """Free cached GPU memory: nothing to free."""


__all__ = ["is_available", "device_count", "is_initialized", "current_device",
           "get_device_name", "synchronize", "manual_seed", "manual_seed_all", "empty_cache"]
