"""``autograd.graph``: the node type, and hooks on the tensors a graph saves for backward.

A node keeps some tensors for its backward (``y = x.pow(2)`` keeps ``x``; ``y.grad_fn._saved_self``
reads it). Saved-tensor hooks decide how they are kept: ``pack_hook(tensor)`` runs when the
tensor is saved and its result is stored instead; ``unpack_hook(packed)`` runs when the backward
needs the tensor and must give back a tensor of the same value.

* ``saved_tensors_hooks(pack, unpack)``: a context; every tensor saved inside it is packed by
  ``pack`` (the innermost context wins when they nest);
* ``node._raw_saved_self.register_hooks(pack, unpack)``: one saved tensor, after the fact;
* ``save_on_cpu()``: hooks that keep a CPU copy (here every tensor is on the CPU already: a
  copy is kept, so later in-place changes of the original do not reach the backward);
* ``disable_saved_tensors_hooks(message)``: inside it, ``saved_tensors_hooks`` raises
  ``RuntimeError(message)``;
* ``increment_version(t)``: count an in-place change made behind autograd's back.

The hooks and the refusal belong to the thread that set them, as in PyTorch.

While hooks hold a saved tensor, no version check is made on it (PyTorch's behaviour: the
hooks own the value).
"""
from __future__ import annotations

import contextlib
from typing import Any, Callable, Generator

from . import node as _node
from .node import Node, RemovableHandle

__all__ = ["Node", "RemovableHandle", "saved_tensors_hooks", "save_on_cpu",
           "disable_saved_tensors_hooks", "increment_version"]


def increment_version(tensor: Any) -> None:
    """Count an in-place change autograd did not see (memory written behind its back), so that
    a backward needing the old value fails with the version error. Takes a tensor or an
    iterable of tensors; inference tensors have no version to bump."""
    from ..tensor import Tensor
    for t in (tensor,) if isinstance(tensor, Tensor) else tensor:
        if type(t._vc) is list:
            t._vc[0] += 1


class saved_tensors_hooks:
    """Context manager: tensors saved for backward inside it are stored as ``pack_hook(t)``
    and given back as ``unpack_hook(packed)`` when needed.

    >>> import autograd_lab as torch
    >>> a = torch.ones(3, requires_grad=True)
    >>> with torch.autograd.graph.saved_tensors_hooks(lambda t: t.tolist(),
    ...                                                lambda p: torch.tensor(p)):
    ...     y = a * a
    >>> y.sum().backward(); a.grad
    tensor([2., 2., 2.])
    """

    def __init__(self, pack_hook: Callable[[Any], Any], unpack_hook: Callable[[Any], Any]) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self) -> None:
        message = _node.hooks_refusal.message
        if message is not None:
            raise RuntimeError(message)
        _node.push_saved_hooks(self.pack_hook, self.unpack_hook)

    def __exit__(self, *args: object) -> None:
        _node.pop_saved_hooks()


class save_on_cpu(saved_tensors_hooks):
    """Keep saved tensors in CPU memory until the backward needs them.

    On a GPU this trades time for device memory. Everything here is on the CPU, so the hooks
    keep a copy (``pin_memory`` changes nothing)."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        def pack_to_cpu(tensor: Any) -> tuple:
            return (tensor.device, tensor.cpu())

        def unpack_from_cpu(packed: tuple) -> Any:
            device, tensor = packed
            return tensor.to(device)

        super().__init__(pack_to_cpu, unpack_from_cpu)


@contextlib.contextmanager
def disable_saved_tensors_hooks(error_message: str) -> Generator[None, None, None]:
    """Inside this context, ``saved_tensors_hooks`` raises ``RuntimeError(error_message)``
    (and entering it while such hooks are active raises the same)."""
    previous = _node.hooks_refusal.message
    try:
        if _node.current_saved_hooks() is not None:
            raise RuntimeError(error_message)
        _node.hooks_refusal.message = error_message
        yield
    finally:
        _node.hooks_refusal.message = previous
