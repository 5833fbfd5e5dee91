"""``autograd_lab.optim``: mirrors ``torch.optim`` (the Optimizer base class and SGD)."""
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["Optimizer", "SGD"]
