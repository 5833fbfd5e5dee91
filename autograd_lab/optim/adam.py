"""``Adam`` and ``AdamW``: adaptive moment estimation, updating exactly as ``torch.optim.Adam``
and ``torch.optim.AdamW`` do on the CPU (their single-tensor loop)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ..tensor import Tensor
from ..factories import zeros_like
from . import _kernels as K
from ._state import evaluate_closure, grad_array, refuse_differentiable, scalar, step_tensor, touch, write
from .optimizer import Optimizer, _grad_mode_from_differentiable


class Adam(Optimizer):
    """For each parameter p with gradient g (negated if ``maximize``), at step t::

        g = g + weight_decay * p          (or p = p * (1 - lr * weight_decay) if decoupled)
        m = lerp(m, g, 1 - beta1);  v = beta2 * v + (1 - beta2) * g * g
        p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    (with ``amsgrad``, v in the denominator is the running maximum of v). The state of each
    parameter is ``step`` (a float tensor), ``exp_avg`` (m) and ``exp_avg_sq`` (v).

    >>> import autograd_lab as torch
    >>> w = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
    >>> opt = torch.optim.Adam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); w
    Parameter containing:
    tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    _decoupled_default = False

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-3,
                 betas: tuple[float | Tensor, float | Tensor] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None,
                 decoupled_weight_decay: bool = False) -> None:
        if isinstance(lr, Tensor):
            if foreach and not capturable:
                raise ValueError("lr as a Tensor is not supported for capturable=False and "
                                 "foreach=True")
            if lr.numel() != 1:
                raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas):
            if isinstance(beta, Tensor):
                if not capturable and foreach:
                    raise ValueError(f"betas[{i}] as a Tensor is not supported for "
                                     "capturable=False and foreach=True")
                if beta.numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        betas = (scalar(betas[0]), scalar(betas[1]))
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("amsgrad", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("fused", None)
            group.setdefault("decoupled_weight_decay", self._decoupled_default)

    @_grad_mode_from_differentiable
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adam update of every parameter that has a gradient; ``closure`` (re-evaluating
        the loss) is called first, with grad enabled, and its result returned."""
        loss = evaluate_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr, eps, weight_decay = scalar(group["lr"]), group["eps"], group["weight_decay"]
            refuse_differentiable(group)
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = step_tensor()
                    state["exp_avg"] = zeros_like(p)
                    state["exp_avg_sq"] = zeros_like(p)
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = zeros_like(p)
                self._update(p, state, grad_array(p, group["maximize"]), lr, beta1, beta2, eps,
                             weight_decay, group["amsgrad"], group["decoupled_weight_decay"])
        return loss

    @staticmethod
    def _update(p: Tensor, state: dict[str, Any], grad: np.ndarray, lr: float, beta1: float,
                beta2: float, eps: float, weight_decay: float, amsgrad: bool,
                decoupled: bool) -> None:
        step_t = state["step"]
        step_t._data += 1
        touch(step_t)
        param = p._data.copy()
        if weight_decay != 0:
            if decoupled:
                K.mul_scalar_(param, 1 - lr * weight_decay)
            else:
                grad = K.add_scaled(grad, param, weight_decay)
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        K.lerp_(exp_avg._data, grad, 1 - beta1)
        K.addcmul_(K.mul_scalar_(exp_avg_sq._data, beta2), grad, grad, 1 - beta2)
        touch(exp_avg)
        touch(exp_avg_sq)
        step = float(step_t._data)
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        dt = param.dtype.type
        second = exp_avg_sq._data
        if amsgrad:
            best = state["max_exp_avg_sq"]
            np.maximum(best._data, exp_avg_sq._data, out=best._data)
            touch(best)
            second = best._data
        denom = K.sqrt(second) / dt(bias_correction2 ** 0.5) + dt(eps)
        write(p, K.addcdiv_(param, exp_avg._data, denom.astype(param.dtype), -step_size))


class AdamW(Adam):
    """Adam with decoupled weight decay (``p = p * (1 - lr * weight_decay)`` before the
    update; default ``weight_decay=1e-2``), as ``torch.optim.AdamW``."""

    _decoupled_default = True

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-3,
                 betas: tuple[float | Tensor, float | Tensor] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True


__all__ = ["Adam", "AdamW"]
