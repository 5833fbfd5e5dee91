"""``torch.backends`` as a CPU-only PyTorch has it: no MPS, no cuDNN, flags lessons set freely.

``torch.backends.mps.is_available()`` is False; ``torch.backends.cudnn.deterministic = True``
(a common line in seeded lessons) is accepted and changes nothing on the CPU.
"""
from __future__ import annotations


class _Mps:
    """Apple's Metal backend: never available here."""

    @staticmethod
    def is_available() -> bool:
        """False: autograd_lab runs on the CPU only."""
        return False

    @staticmethod
    def is_built() -> bool:
        """False: no MPS support is built in."""
        return False


class _Cudnn:
    """cuDNN's switches: settable, with no effect on the CPU."""

    enabled = True
    deterministic = False
    benchmark = False

    @staticmethod
    def is_available() -> bool:
        """False: there is no cuDNN without CUDA."""
        return False


mps = _Mps()
cudnn = _Cudnn()

__all__ = ["mps", "cudnn"]
