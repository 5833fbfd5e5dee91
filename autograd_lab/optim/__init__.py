"""``autograd_lab.optim``: mirrors ``torch.optim`` (the Optimizer base class, SGD, Adam, AdamW,
RMSprop, Adagrad) and ``lr_scheduler`` (learning-rate schedules)."""
from .optimizer import Optimizer
from .sgd import SGD
from .adam import Adam, AdamW
from .rmsprop import RMSprop
from .adagrad import Adagrad
from . import lr_scheduler

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler"]
