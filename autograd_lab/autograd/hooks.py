"""Calling the hooks of a backward pass, with PyTorch's checks of what a hook returns.

Three kinds of hooks run around a node (in this order, see engine._run_node):

1. tensor hooks (``t.register_hook(fn)``): ``fn(grad) -> grad or None``, one dict per tensor;
   a non-leaf's live on its ``grad_fn`` (``_tensor_pre_hooks``), a leaf's on the tensor and
   are run by its AccumulateGrad; then ``retain_grad`` keeps a copy (always last);
2. node pre-hooks (``node.register_prehook(fn)``): ``fn(grad_outputs) -> tuple or None``;
3. node hooks (``node.register_hook(fn)``): ``fn(grad_inputs, grad_outputs) -> tuple or None``.

A leaf's post-accumulate-grad hooks (``fn(tensor) -> None``) run after its ``.grad`` changed.
A returned value replaces what the hook was given; it must keep its type and size.

>>> import autograd_lab as torch
>>> x = torch.tensor([1., 2.], requires_grad=True)
>>> y = x * 3
>>> seen = []
>>> y.retain_grad()
>>> h = y.register_hook(lambda g: g * 10)       # replaces the gradient of y
>>> _ = y.grad_fn.register_prehook(lambda go: seen.append(("pre", go[0].tolist())))
>>> _ = x.register_post_accumulate_grad_hook(lambda t: seen.append(("x.grad", t.grad.tolist())))
>>> y.sum().backward()
>>> seen                                         # the node saw the replaced gradient
[('pre', [10.0, 10.0]), ('x.grad', [30.0, 30.0])]
>>> y.grad                                       # retain_grad runs after the tensor's hooks
tensor([10., 10.])
>>> h.remove()
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .node import RemovableHandle, add_hook

if TYPE_CHECKING:
    from ..tensor import Tensor


def hook_name(hook: Any) -> str:
    name = getattr(hook, "__name__", None)
    return name if isinstance(name, str) else "<unknown>"


def _typename(obj: Any) -> str:
    """The name PyTorch's messages give a Python object's type (C types keep their module)."""
    cls = type(obj)
    if cls.__module__ in ("builtins", "__main__") or cls.__flags__ & (1 << 9):  # heap type
        return cls.__name__
    return f"{cls.__module__}.{cls.__qualname__}"


def _check_single(original: Any, result: Any, hook: Callable) -> None:
    from ..tensor import Tensor, _legacy_type_name
    if result is None:
        return
    if original is None:
        raise RuntimeError("can't replace a None gradient with a non-None value")
    if not isinstance(result, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{_typename(result)}'")
    if result.dtype is not original.dtype:
        raise RuntimeError(
            f"hook '{hook_name(hook)}' has changed the type of value (was "
            f"{_legacy_type_name(original._data.dtype)} got "
            f"{_legacy_type_name(result._data.dtype)})")
    if result._data.shape != original._data.shape:
        raise RuntimeError(f"hook '{hook_name(hook)}' has changed the size of value")


def _check_tuple(original: tuple, result: Any, hook: Callable) -> None:
    if not isinstance(result, tuple):
        raise TypeError(f"expected tuple, but hook returned '{_typename(result)}'")
    if len(result) != len(original):
        raise RuntimeError(
            f"hook '{hook_name(hook)}' has returned an incorrect number of values (got "
            f"{len(result)}, but expected {len(original)})")
    for o, r in zip(original, result):
        _check_single(o, r, hook)


def call_hooks(hooks: dict, args: tuple, fired: "list | None" = None) -> "tuple | None":
    """Call each hook of ``hooks`` (a snapshot: hooks may remove themselves) with ``args``.

    A hook returning a value (other than None or its first argument itself) replaces the first
    argument for the hooks after it. Returns the new first argument, or None if none replaced
    it. ``fired``, when given, receives ``(hook, replaced)`` for each call (for traces).
    """
    first = args[0]
    modified = False
    for hook in list(hooks.values()):
        result = hook(*args)
        replaced = result is not None and result is not first
        if fired is not None:
            fired.append((hook, replaced))
        if not replaced:
            continue
        if type(first) is tuple:
            _check_tuple(first, result, hook)
        else:
            _check_single(first, result, hook)
        first = result
        args = (result,) + args[1:]
        modified = True
    return args[0] if modified else None


def register_post_accumulate_grad_hook(tensor: "Tensor", hook: Callable) -> RemovableHandle:
    """``tensor.register_post_accumulate_grad_hook(hook)``: ``hook(tensor)`` runs after the
    leaf's ``.grad`` was updated by a backward pass."""
    if not tensor.requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if tensor.grad_fn is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    hooks, handle = add_hook(getattr(tensor, "_post_accumulate_grad_hooks", None), hook)
    tensor._post_accumulate_grad_hooks = hooks
    return handle


def run_post_accumulate_grad_hooks(tensor: "Tensor", hooks: dict) -> None:
    if call_hooks(hooks, (tensor,)) is not None:
        raise RuntimeError("Tensor post accumulate grad hooks should return None.")
