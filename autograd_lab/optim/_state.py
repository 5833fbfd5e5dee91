"""Helpers the optimizers share: a parameter's gradient as an array, writing a parameter's new
values (as an untracked in-place change), and the scalar state tensors PyTorch keeps."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import factories
from ..autograd import grad_mode
from ..ops._core import _write, bump_version
from ..tensor import Tensor


def evaluate_closure(closure: Callable[[], Any] | None) -> Any:
    """What ``step(closure)`` returns: the closure's loss, computed with grad enabled (the
    optimizers' ``step`` runs under ``no_grad``), or None without a closure."""
    if closure is None:
        return None
    with grad_mode.enable_grad():
        return closure()


def grad_array(p: Tensor, maximize: bool) -> np.ndarray:
    """The gradient of ``p`` as an array (negated when maximizing)."""
    grad = p._grad
    assert grad is not None, "only parameters with a gradient are updated"
    g = grad._data
    return -g if maximize else g


def write(p: Tensor, values: np.ndarray) -> None:
    """Put ``values`` into ``p`` in place, counted as a change of its version (as PyTorch's
    in-place update under ``no_grad``)."""
    _write(p, values)
    bump_version(p)


def touch(t: Tensor) -> None:
    """Count an in-place change of a state tensor whose array was updated directly."""
    bump_version(t)


def step_tensor() -> Tensor:
    """``tensor(0.)``: PyTorch keeps the step count as a float32 0-d tensor."""
    return factories.tensor(0.0, dtype=None)


def scalar(value: Any) -> float:
    """A learning rate or beta given as a number or a one-element tensor, as a float."""
    return value.item() if isinstance(value, Tensor) else value


def refuse_differentiable(group: dict[str, Any]) -> None:
    """These optimizers compute on arrays and record nothing: say so rather than give a
    gradient-free result when a graph through the update was asked for."""
    if group.get("differentiable"):
        raise NotImplementedError("differentiable=True is not supported by autograd_lab's "
                                  "adaptive optimizers (their updates are not recorded)")


__all__ = ["refuse_differentiable", "grad_array", "write", "touch", "step_tensor", "scalar"]
