"""``SGD``: stochastic gradient descent with momentum, dampening, Nesterov and weight decay,
updating exactly as ``torch.optim.SGD`` (its single-tensor loop, the one used on the CPU)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ..tensor import Tensor, _make
from . import _kernels as K
from ._state import evaluate_closure, grad_array, touch, write
from .optimizer import Optimizer, _grad_mode_from_differentiable


class SGD(Optimizer):
    """For each parameter p with gradient g (negated if ``maximize``)::

        g = g + weight_decay * p                    (if weight_decay)
        buf = g (first step), else momentum * buf + (1 - dampening) * g
        g = g + momentum * buf if nesterov else buf (if momentum)
        p = p - lr * g

    >>> import autograd_lab as torch
    >>> w = torch.nn.Parameter(torch.tensor([1.0]))
    >>> opt = torch.optim.SGD([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); w
    Parameter containing:
    tensor([0.8000], requires_grad=True)
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float = 0, nesterov: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize,
                        foreach=foreach, differentiable=differentiable, fused=fused)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("differentiable", False)
            group.setdefault("fused", False)

    @_grad_mode_from_differentiable
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient; ``closure`` (re-evaluating the
        loss) is called first, with grad enabled, and its result returned."""
        loss = evaluate_closure(closure)
        for group in self.param_groups:
            lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
            weight_decay, nesterov = group["weight_decay"], group["nesterov"]
            if isinstance(lr, Tensor):
                lr = lr.item()
            if not group["differentiable"]:
                self._update_arrays(group, lr)
                continue
            for p in group["params"]:
                if p._grad is None:
                    continue
                grad = p._grad if not group["maximize"] else -p._grad
                if weight_decay != 0:
                    grad = grad.add(p, alpha=weight_decay)
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = grad.detach().clone()
                    else:
                        buf.mul_(momentum).add_(grad, alpha=1 - dampening)
                    state["momentum_buffer"] = buf
                    grad = grad.add(buf, alpha=momentum) if nesterov else buf
                p.add_(grad, alpha=-lr)
        return loss

    def _update_arrays(self, group: dict[str, Any], lr: float) -> None:
        """The update on arrays, rounded as PyTorch's CPU kernels round (``add_`` with an
        ``alpha`` is a fused multiply-add there), so parameters match it bit for bit."""
        momentum, dampening = group["momentum"], group["dampening"]
        weight_decay, nesterov = group["weight_decay"], group["nesterov"]
        for p in group["params"]:
            if p._grad is None:
                continue
            grad = grad_array(p, group["maximize"])
            if weight_decay != 0:
                grad = K.add_scaled(grad, p._data, weight_decay)
            if momentum != 0:
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = _make(np.array(grad, dtype=p._data.dtype), None)
                    state["momentum_buffer"] = buf
                else:
                    K.mul_scalar_(buf._data, momentum)
                    buf._data[...] = K.add_scaled(buf._data, grad, 1 - dampening)
                    touch(buf)
                grad = K.add_scaled(grad, buf._data, momentum) if nesterov else buf._data
            write(p, K.add_scaled(p._data, grad, -lr))


__all__ = ["SGD"]
