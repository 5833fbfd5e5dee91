"""``Adagrad``: per-coordinate learning rates from the sum of squared gradients, updating
exactly as ``torch.optim.Adagrad`` does on the CPU (its single-tensor loop)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ..factories import full_like
from ..tensor import Tensor
from . import _kernels as K
from ._state import evaluate_closure, grad_array, refuse_differentiable, scalar, step_tensor, touch, write
from .optimizer import Optimizer, _grad_mode_from_differentiable


class Adagrad(Optimizer):
    """For each parameter p with gradient g (negated if ``maximize``), at step t::

        g = g + weight_decay * p
        s = s + g * g
        p = p - lr / (1 + (t - 1) * lr_decay) * g / (sqrt(s) + eps)

    Its state (``step`` and ``sum``, from ``initial_accumulator_value``) exists from the
    start, as in PyTorch.
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError("Invalid initial_accumulator_value value: "
                             f"{initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = step_tensor()
                state["sum"] = full_like(p, initial_accumulator_value)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("fused", None)

    @_grad_mode_from_differentiable
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adagrad update of every parameter that has a gradient; ``closure`` is called
        first, with grad enabled, and its result returned."""
        loss = evaluate_closure(closure)
        for group in self.param_groups:
            refuse_differentiable(group)
            lr, lr_decay = scalar(group["lr"]), group["lr_decay"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state[p]
                state["step"]._data += 1
                touch(state["step"])
                step = float(state["step"]._data)
                grad = grad_array(p, group["maximize"])
                param = p._data.copy()
                if group["weight_decay"] != 0:
                    grad = K.add_scaled(grad, param, group["weight_decay"])
                clr = lr / (1 + (step - 1) * lr_decay)
                state_sum = state["sum"]
                K.addcmul_(state_sum._data, grad, grad, 1)
                touch(state_sum)
                std = K.sqrt(state_sum._data) + param.dtype.type(group["eps"])
                write(p, K.addcdiv_(param, grad, std, -clr))
        return loss


__all__ = ["Adagrad"]
