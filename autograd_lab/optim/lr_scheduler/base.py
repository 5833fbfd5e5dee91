"""``LRScheduler``: the base class of learning-rate schedulers, as ``torch.optim.lr_scheduler``.

A scheduler owns no learning rate of its own: each ``step()`` writes new values into the
optimizer's ``param_groups[i]['lr']``. On construction it records each group's starting rate as
``initial_lr`` (read back as ``base_lrs``) and takes one step to epoch 0. Schedulers come in two
forms that PyTorch keeps apart and whose float results differ in the last bits: the *chainable*
form (the next rate from the current one, used by ``step()``) and the *closed* form (the rate
at an epoch from ``base_lrs``, used by the deprecated ``step(epoch)``).

The scheduler also wraps ``optimizer.step`` once, so that it can tell a learner who steps the
scheduler before the optimizer (the usual pre-1.1.0 habit) that the first rate was skipped.
"""
from __future__ import annotations

import functools
import warnings
import weakref
from typing import Any, Callable

from ...tensor import Tensor
from ..optimizer import Optimizer

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being "
    "deprecated where possible. Please use `scheduler.step()` to step the "
    "scheduler. During the deprecation, if epoch is different from None, the "
    "closed form is used instead of the new chainable form, where available. "
    "Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose."
)

_ORDER_URL = "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate"
_STEP_REPLACED = (
    "Seems like `optimizer.step()` has been overridden after learning rate scheduler "
    "initialization. Please, make sure to call `optimizer.step()` before "
    f"`lr_scheduler.step()`. See more details at {_ORDER_URL}")
_STEP_ORDER = (
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
    "In PyTorch 1.1.0 and later, you should call them in the opposite order: "
    "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this "
    "will result in PyTorch skipping the first value of the learning rate schedule. "
    f"See more details at {_ORDER_URL}")
_USE_GET_LAST_LR = ("To get the last learning rate computed by the scheduler, "
                    "please use `get_last_lr()`.")


# -- reading and writing a value of every param group ---------------------------------------------
def copy_value(value: Any) -> Any:
    """A learning rate (or momentum) as a value of its own: a tensor is cloned, so changing the
    copy in place cannot change the optimizer's."""
    return value.clone() if isinstance(value, Tensor) else value


def group_values(optimizer: Optimizer, key: str) -> list[Any]:
    """``[group[key] for each param group]``, tensors copied."""
    return [copy_value(group[key]) for group in optimizer.param_groups]


def set_group_value(group: dict[str, Any], key: str, value: Any) -> None:
    """Write ``value`` into ``group[key]``: in place when the group holds a tensor (an optimizer
    given a tensor ``lr`` keeps that very tensor), else by replacing the number."""
    current = group[key]
    if isinstance(current, Tensor):
        if isinstance(value, Tensor) and value.dim() != 0:
            value = value.squeeze()
        current.fill_(value)
    else:
        group[key] = value


def per_group(name: str, optimizer: Optimizer, value: Any) -> list[Any]:
    """One ``value`` for each param group: a list or tuple must have one per group; a single
    value is repeated."""
    if isinstance(value, (list, tuple)):
        if len(value) != len(optimizer.param_groups):
            raise ValueError(
                f"{name} must have the same length as optimizer.param_groups. {name} has "
                f"{len(value)} values, param_groups has {len(optimizer.param_groups)}.")
    else:
        value = [value] * len(optimizer.param_groups)
    return [copy_value(v) for v in value]


def require_optimizer(optimizer: Any) -> None:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


# -- noticing optimizer.step() -------------------------------------------------------------------
def track_optimizer_step(optimizer: Optimizer) -> None:
    """Replace ``optimizer.step`` (once per optimizer) by a wrapper that first sets
    ``optimizer._opt_called``. The wrapper holds the optimizer weakly, so optimizer and bound
    step do not keep each other alive."""
    if hasattr(optimizer.step, "_wrapped_by_lr_sched"):
        return
    function = optimizer.step.__func__  # type: ignore[attr-defined]
    owner = weakref.ref(optimizer)

    @functools.wraps(function)
    def step(*args: Any, **kwargs: Any) -> Any:
        opt = owner()
        opt._opt_called = True  # type: ignore[union-attr]
        return function.__get__(opt, type(opt))(*args, **kwargs)

    step._wrapped_by_lr_sched = True  # type: ignore[attr-defined]
    optimizer.step = step  # type: ignore[method-assign]


class LRScheduler:
    """Base class: ``step()`` moves to the next epoch and writes ``get_lr()``'s rates into the
    optimizer; ``get_last_lr()`` is what it wrote last.

    >>> import autograd_lab as torch
    >>> w = torch.nn.Parameter(torch.zeros(1))
    >>> opt = torch.optim.SGD([w], lr=1.0)
    >>> sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    >>> for _ in range(4):
    ...     opt.step(); sched.step(); print(sched.get_last_lr())
    [1.0]
    [0.5]
    [0.5]
    [0.25]
    """

    _get_lr_called_within_step: bool = False
    _is_initial: bool = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        require_optimizer(optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", copy_value(group["lr"]))
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when resuming "
                        "scheduler with last_epoch >= 0.\n"
                        "This typically happens when:\n"
                        "1. You're trying to resume training from a checkpoint but haven't "
                        "properly loaded the optimizer state\n"
                        "2. You're using last_epoch >= 0 for a fresh training run (not "
                        "recommended)")
        self.base_lrs: list[Any] = group_values(optimizer, "initial_lr")
        self.last_epoch = last_epoch
        track_optimizer_step(optimizer)
        self._initial_step()

    def _initial_step(self) -> None:
        """The step a scheduler takes when made (to ``last_epoch + 1``), without warnings."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def state_dict(self) -> dict[str, Any]:
        """Every attribute but the optimizer (the optimizer has a state dict of its own)."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Take the attributes saved by ``state_dict()``."""
        self.__dict__.update(state_dict)

    def get_last_lr(self) -> list[Any]:
        """The learning rates the last ``step()`` set, one per param group."""
        return self._last_lr

    def get_lr(self) -> list[Any]:
        """The learning rates for ``last_epoch``; called by ``step()`` (read the rates with
        ``get_last_lr()``)."""
        raise NotImplementedError

    def _warn_if_called_outside_step(self) -> None:
        if not self._get_lr_called_within_step:
            warnings.warn(_USE_GET_LAST_LR, UserWarning, stacklevel=2)

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch (or, deprecated, jump to ``epoch`` with the closed form) and set
        the optimizer's learning rates."""
        if self._step_count == 1:
            if not hasattr(self.optimizer.step, "_wrapped_by_lr_sched"):
                warnings.warn(_STEP_REPLACED, UserWarning, stacklevel=2)
            elif not getattr(self.optimizer, "_opt_called", False):
                warnings.warn(_STEP_ORDER, UserWarning, stacklevel=2)
        self._step_count += 1
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        self._get_lr_called_within_step = True
        try:
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                closed_form: Callable[[], list[Any]] | None = getattr(
                    self, "_get_closed_form_lr", None)
                values = closed_form() if closed_form is not None else self.get_lr()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, values, strict=True):
            set_group_value(group, "lr", lr)
        self._last_lr: list[Any] = group_values(self.optimizer, "lr")


class _LRScheduler(LRScheduler):
    """The base class's old name (kept, as PyTorch keeps it, for code that subclasses it)."""


__all__ = ["LRScheduler", "EPOCH_DEPRECATION_WARNING"]
