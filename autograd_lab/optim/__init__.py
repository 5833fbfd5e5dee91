"""``autograd_lab.optim``: mirrors ``torch.optim`` (the Optimizer base class, SGD, Adam, AdamW,
RMSprop, Adagrad)."""
from .optimizer import Optimizer
from .sgd import SGD
from .adam import Adam, AdamW
from .rmsprop import RMSprop
from .adagrad import Adagrad

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]
