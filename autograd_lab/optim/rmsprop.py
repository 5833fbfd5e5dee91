"""``RMSprop``: divide the gradient by a running root-mean-square of recent gradients, updating
exactly as ``torch.optim.RMSprop`` does on the CPU (its single-tensor loop)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ..factories import zeros_like
from ..tensor import Tensor
from . import _kernels as K
from ._state import evaluate_closure, grad_array, refuse_differentiable, scalar, step_tensor, touch, write
from .optimizer import Optimizer, _grad_mode_from_differentiable


class RMSprop(Optimizer):
    """For each parameter p with gradient g (negated if ``maximize``)::

        g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g * g
        avg = sqrt(v - gavg**2) if centered (gavg = lerp(gavg, g, 1 - alpha)) else sqrt(v)
        avg = avg + eps
        buf = momentum * buf + g / avg; p = p - lr * buf     (if momentum > 0)
        p = p - lr * g / avg                                 (otherwise)

    The state of each parameter is ``step``, ``square_avg`` (v) and, when used,
    ``momentum_buffer`` and ``grad_avg``.
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("momentum", 0)
            group.setdefault("centered", False)
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)

    @_grad_mode_from_differentiable
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One RMSprop update of every parameter that has a gradient; ``closure`` is called
        first, with grad enabled, and its result returned."""
        loss = evaluate_closure(closure)
        for group in self.param_groups:
            refuse_differentiable(group)
            lr, alpha, eps = scalar(group["lr"]), group["alpha"], group["eps"]
            momentum, weight_decay = group["momentum"], group["weight_decay"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = step_tensor()
                    state["square_avg"] = zeros_like(p)
                    if momentum > 0:
                        state["momentum_buffer"] = zeros_like(p)
                    if group["centered"]:
                        state["grad_avg"] = zeros_like(p)
                state["step"]._data += 1
                touch(state["step"])
                grad = grad_array(p, group["maximize"])
                param = p._data.copy()
                if weight_decay != 0:
                    grad = K.add_scaled(grad, param, weight_decay)
                square_avg = state["square_avg"]
                K.addcmul_(K.mul_scalar_(square_avg._data, alpha), grad, grad, 1 - alpha)
                touch(square_avg)
                if group["centered"]:
                    grad_avg = state["grad_avg"]
                    K.lerp_(grad_avg._data, grad, 1 - alpha)
                    touch(grad_avg)
                    centred = K.addcmul_(square_avg._data.copy(), grad_avg._data,
                                         grad_avg._data, -1)
                    avg = K.sqrt(centred)
                else:
                    avg = K.sqrt(square_avg._data)
                avg = avg + param.dtype.type(eps)
                if momentum > 0:
                    buf = state["momentum_buffer"]
                    K.addcdiv_(K.mul_scalar_(buf._data, momentum), grad, avg, 1)
                    touch(buf)
                    write(p, K.add_scaled(param, buf._data, -lr))
                else:
                    write(p, K.addcdiv_(param, grad, avg, -lr))
        return loss


__all__ = ["RMSprop"]
