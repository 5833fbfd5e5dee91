"""``autograd_lab.utils``: mirrors ``torch.utils`` (only ``data`` here)."""
from . import data

__all__ = ["data"]
