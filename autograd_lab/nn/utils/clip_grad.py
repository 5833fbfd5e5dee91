"""Gradient clipping, as ``torch.nn.utils`` does it: rescale every gradient by one factor so that
their joint norm is at most ``max_norm`` (``clip_grad_norm_``), or clamp each gradient element
(``clip_grad_value_``). Gradients change in place; nothing here is recorded in a graph.
"""
from __future__ import annotations

import types
import warnings
from typing import Iterable, Optional, Union

import numpy as np

from ... import factories
from ...autograd.grad_mode import no_grad
from ...ops import clamp, stack
from ...ops.norms import vector_norm
from ...tensor import Tensor

__all__ = ["clip_grad_norm", "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_",
           "get_total_norm"]

TensorOrTensors = Union[Tensor, Iterable[Tensor]]


def get_total_norm(tensors: TensorOrTensors, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: Optional[bool] = None) -> Tensor:
    """The ``norm_type``-norm of all ``tensors`` seen as one vector: the norm of their norms.
    Empty input gives ``tensor(0.)``; ``error_if_nonfinite`` refuses a nan or infinite total.
    (``foreach`` picks PyTorch's fused kernels; the result is the same, so it is accepted and
    has no effect here.)"""
    with no_grad():
        return _total_norm(tensors, norm_type, error_if_nonfinite)


def _total_norm(tensors: TensorOrTensors, norm_type: float, error_if_nonfinite: bool) -> Tensor:
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return factories.tensor(0.0)
    norms = [vector_norm(t, norm_type) for t in tensors]
    total = vector_norm(stack(norms), norm_type)
    if error_if_nonfinite and not np.isfinite(total._data).all():
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the gradients "
            "by the non-finite norm anyway, set `error_if_nonfinite=False`")
    return total


def clip_grads_with_norm_(parameters: TensorOrTensors, max_norm: float, total_norm: Tensor,
                          foreach: Optional[bool] = None) -> None:
    """Multiply every ``p.grad`` in place by ``min(max_norm / (total_norm + 1e-6), 1)``: the
    second half of ``clip_grad_norm_``, for a total norm computed beforehand."""
    with no_grad():
        _scale_grads(parameters, max_norm, total_norm)


def _scale_grads(parameters: TensorOrTensors, max_norm: float, total_norm: Tensor) -> None:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    max_norm = float(max_norm)
    if not grads:
        return
    # multiplied even when the factor is 1, as PyTorch does (each grad's version goes up by 1)
    factor = clamp(max_norm / (total_norm + 1e-6), max=1.0)
    for g in grads:
        g.mul_(factor)


def clip_grad_norm_(parameters: TensorOrTensors, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: Optional[bool] = None) -> Tensor:
    """Scale the gradients of ``parameters`` in place so that their joint ``norm_type``-norm
    is at most ``max_norm``; return that norm as it was before clipping.

    The joint norm is the norm of the per-gradient norms (``get_total_norm``); every gradient
    is multiplied by ``min(max_norm / (total + 1e-6), 1)``. Parameters whose ``.grad`` is None
    are skipped; a single tensor is accepted for ``parameters``."""
    with no_grad():
        if isinstance(parameters, Tensor):
            parameters = [parameters]
        else:
            is_generator = isinstance(parameters, types.GeneratorType)
            parameters = list(parameters)  # read once: a generator would be used up
            if is_generator and not parameters:
                warnings.warn("`parameters` is an empty generator, no gradient clipping will "
                              "occur.", UserWarning, stacklevel=2)
        grads = [p.grad for p in parameters if p.grad is not None]
        total = _total_norm(grads, norm_type, error_if_nonfinite)
        _scale_grads(parameters, max_norm, total)
        return total


def clip_grad_norm(parameters: TensorOrTensors, max_norm: float, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: Optional[bool] = None) -> Tensor:
    """Deprecated name of ``clip_grad_norm_`` (warns, then does the same)."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters: TensorOrTensors, clip_value: float,
                     foreach: Optional[bool] = None) -> None:
    """Clamp every element of every ``p.grad`` in place to ``[-clip_value, clip_value]``."""
    with no_grad():
        if isinstance(parameters, Tensor):
            parameters = [parameters]
        clip_value = float(clip_value)
        grads = [p.grad for p in parameters if p.grad is not None]
        for g in grads:
            if foreach is False:
                g.clamp_(min=-clip_value, max=clip_value)
            else:
                # PyTorch's default (fused) path clamps in two in-place steps: the grad's
                # version goes up by 2, as there
                g.clamp_min_(-clip_value)
                g.clamp_max_(clip_value)
