"""``LambdaLR`` (rate = initial rate x f(epoch)) and ``MultiplicativeLR`` (rate = previous rate x
f(epoch)): the schedule is a function the learner writes."""
from __future__ import annotations

import types
from typing import Any, Callable

from ..optimizer import Optimizer
from .base import LRScheduler, group_values

LrLambda = Callable[[int], float]


def _one_per_group(optimizer: Optimizer, lr_lambda: LrLambda | list[LrLambda]) -> list[LrLambda]:
    if not isinstance(lr_lambda, (list, tuple)):
        return [lr_lambda] * len(optimizer.param_groups)
    if len(lr_lambda) != len(optimizer.param_groups):
        raise ValueError(f"Expected {len(optimizer.param_groups)} lr_lambdas, but got "
                         f"{len(lr_lambda)}")
    return list(lr_lambda)


class _FunctionSchedule(LRScheduler):
    """Shared by both: the functions are not saved in the state dict (a function cannot be);
    a callable object's attributes are."""

    lr_lambdas: list[LrLambda]

    def state_dict(self) -> dict[str, Any]:
        state = {key: value for key, value in self.__dict__.items()
                 if key not in ("optimizer", "lr_lambdas")}
        state["lr_lambdas"] = [None if isinstance(fn, types.FunctionType) else fn.__dict__.copy()
                               for fn in self.lr_lambdas]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        saved = state_dict.pop("lr_lambdas")
        self.__dict__.update(state_dict)
        state_dict["lr_lambdas"] = saved  # the caller's dict is left as it was given
        for fn, attributes in zip(self.lr_lambdas, saved):
            if attributes is not None:
                fn.__dict__.update(attributes)


class LambdaLR(_FunctionSchedule):
    """Each group's rate is its initial rate times ``lr_lambda(epoch)`` (one function, or one
    per param group)."""

    def __init__(self, optimizer: Optimizer, lr_lambda: LrLambda | list[LrLambda],
                 last_epoch: int = -1) -> None:
        self.optimizer = optimizer
        self.lr_lambdas = _one_per_group(optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[Any]:
        self._warn_if_called_outside_step()
        return [base_lr * fn(self.last_epoch)
                for fn, base_lr in zip(self.lr_lambdas, self.base_lrs, strict=True)]


class MultiplicativeLR(_FunctionSchedule):
    """Each step multiplies each group's current rate by ``lr_lambda(epoch)``."""

    def __init__(self, optimizer: Optimizer, lr_lambda: LrLambda | list[LrLambda],
                 last_epoch: int = -1) -> None:
        self.optimizer = optimizer
        self.lr_lambdas = _one_per_group(optimizer, lr_lambda)
        for fn in self.lr_lambdas:
            if not callable(fn):
                raise TypeError(f"lr_lambda should be a function, but got {type(fn).__name__}")
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[Any]:
        self._warn_if_called_outside_step()
        if self._is_initial:
            return group_values(self.optimizer, "lr")
        return [group["lr"] * fn(self.last_epoch)
                for fn, group in zip(self.lr_lambdas, self.optimizer.param_groups, strict=True)]


__all__ = ["LambdaLR", "MultiplicativeLR"]
