"""``autograd_lab.optim.lr_scheduler``: mirrors ``torch.optim.lr_scheduler`` (the same
schedules, learning rates equal to the last bit, the same state dicts, warnings and errors).

A scheduler changes the optimizer's ``param_groups[i]['lr']`` each time ``scheduler.step()`` is
called, after ``optimizer.step()``::

    for epoch in range(epochs):
        train(...)              # loss.backward(); optimizer.step() per batch
        scheduler.step()        # ReduceLROnPlateau: scheduler.step(val_loss)
"""
from .base import EPOCH_DEPRECATION_WARNING, LRScheduler, _LRScheduler
from .lambda_lr import LambdaLR, MultiplicativeLR
from .decay import ExponentialLR, MultiStepLR, PolynomialLR, StepLR
from .warmup import ConstantLR, LinearLR
from .cosine import CosineAnnealingLR, CosineAnnealingWarmRestarts
from .cyclic import CyclicLR, OneCycleLR
from .plateau import ReduceLROnPlateau
from .composite import ChainedScheduler, SequentialLR

__all__ = ["LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR",
           "ExponentialLR", "SequentialLR", "CosineAnnealingLR", "ChainedScheduler",
           "ReduceLROnPlateau", "CyclicLR", "CosineAnnealingWarmRestarts", "OneCycleLR",
           "PolynomialLR", "LRScheduler"]

# The classes live in small modules but belong to this one, as PyTorch's all live in its one
# module: reprs read `<...lr_scheduler.StepLR object at ...>`, and lessons that tell built-in
# from hand-written schedulers by `scheduler.__module__ == lr_scheduler.__name__` work.
for _cls in (LRScheduler, _LRScheduler, LambdaLR, MultiplicativeLR, StepLR, MultiStepLR,
             ConstantLR, LinearLR, ExponentialLR, SequentialLR, CosineAnnealingLR,
             ChainedScheduler, ReduceLROnPlateau, CyclicLR, CosineAnnealingWarmRestarts,
             OneCycleLR, PolynomialLR):
    _cls.__module__ = __name__
del _cls
