"""Module backward hooks (``register_full_backward_hook``, ``register_full_backward_pre_hook``),
built as PyTorch builds them.

When a module has such hooks, calling it passes its tensor inputs, and then its tensor outputs,
through an identity Function (``BackwardHookFunction``; its node is shown as
``BackwardHookFunctionBackward``). A pre-hook on the outputs' node sees the gradients arriving
at the module's outputs and runs the module's backward pre-hooks; a hook on the inputs' node
sees the gradients leaving through the module's inputs and runs the full backward hooks with
both. When no input requires grad, the full hooks run at the outputs instead, with None for
every input (and PyTorch's warning). As for any custom Function that returns its inputs as they
are, what comes out is a view of what went in, so a recorded in-place change to a hooked module's
output (``y.add_(1)``, ``nn.ReLU(inplace=True)`` after it) is refused with PyTorch's message.
"""
from __future__ import annotations

import os
import sys
import warnings
from typing import Any, Callable

from ..autograd import grad_mode
from ..autograd.function import Function
from ..tensor import Tensor

NO_INPUT_GRAD_WARNING = (
    "Full backward hook is firing when gradients are computed with respect to module outputs "
    "since no inputs require gradients. See https://docs.pytorch.org/docs/main/generated/"
    "torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more details.")


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_stacklevel() -> int:
    """The stacklevel naming the first frame outside this package (the learner's
    ``backward()`` call), where PyTorch's warning, raised from its C++ engine, points."""
    frame: Any = sys._getframe(1)
    level = 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(
            _PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    return level


class BackwardHookFunction(Function):
    """Identity on tensors: only its node matters, a place to hang hooks on."""

    @staticmethod
    def forward(ctx: Any, *args: Any) -> Any:
        ctx.mark_non_differentiable(*[a for a in args if not a.requires_grad])
        return args

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> Any:
        return grads


class BackwardHook:
    """The hooks of one call of a module: set up on its inputs before ``forward`` and on its
    outputs after, it runs the module's backward (pre-)hooks during the backward pass."""

    def __init__(self, module: Any, user_hooks: list[Callable], user_pre_hooks: list[Callable]
                 ) -> None:
        self.module = module
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        self.grad_outputs: tuple | None = None
        self.n_inputs = self.n_outputs = 0
        self.input_tensors_index: list[int] | None = None
        self.output_tensors_index: list[int] | None = None

    @staticmethod
    def _pack_with_none(indices: list[int], values: tuple, size: int) -> tuple:
        """``values`` placed at ``indices`` of a ``size``-tuple of None."""
        res: list[Any] = [None] * size
        for idx, val in zip(indices, values):
            res[idx] = val
        return tuple(res)

    @staticmethod
    def _unpack_none(indices: list[int], values: tuple) -> tuple:
        return tuple(values[idx] for idx in indices)

    def _apply_on_tensors(self, fn: Callable, args: tuple) -> tuple[Any, list[int] | None]:
        """Pass the tensors among ``args`` through BackwardHookFunction and give its node to
        ``fn``; unchanged args (and None) when nothing requires grad or grad mode is off."""
        tensors_idx = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        tensors = [args[i] for i in tensors_idx]
        requires_grad = any(t.requires_grad for t in tensors)
        if not (requires_grad and grad_mode.is_grad_enabled()):
            return args, None
        new_tensors = BackwardHookFunction.apply(*tensors)
        if len(new_tensors) == 0:
            raise RuntimeError("Cannot set Module backward hook for a Module with no input "
                               "Tensors.")
        grad_fns = [t.grad_fn for t in new_tensors if t.grad_fn is not None
                    and t.grad_fn.name() == "BackwardHookFunctionBackward"]
        if not grad_fns:
            raise RuntimeError("Error while setting up backward hooks. Please open an issue "
                               "with a code sample to reproduce this.")
        fn(grad_fns[0])
        arg_list = list(args)
        for idx, val in zip(tensors_idx, new_tensors):
            arg_list[idx] = val
        out = tuple(arg_list) if type(args) is tuple else type(args)(*arg_list)
        return out, tensors_idx

    def setup_input_hook(self, args: tuple) -> tuple:
        """Wrap the module's inputs; their node's hook will call the full backward hooks."""
        def fn(grad_fn: Any) -> None:
            self._set_user_hook(grad_fn)
        res, input_idx = self._apply_on_tensors(fn, args)
        self.n_inputs = len(args)
        self.input_tensors_index = input_idx
        return res

    def _set_user_hook(self, grad_fn: Any) -> None:
        def hook(grad_input: tuple, _: tuple) -> tuple | None:
            if self.grad_outputs is None:
                # the gradient reached the inputs without passing the outputs (double backward)
                return None
            assert self.input_tensors_index is not None
            res = self._pack_with_none(self.input_tensors_index, grad_input, self.n_inputs)
            for user_hook in self.user_hooks:
                out = user_hook(self.module, res, self.grad_outputs)
                if out is None:
                    continue
                if len(out) != len(res):
                    raise RuntimeError("Backward hook returned an invalid number of grad_input, "
                                       f"got {len(out)}, but expected {len(res)}")
                res = out
            self.grad_outputs = None
            return self._unpack_none(self.input_tensors_index, res)
        grad_fn.register_hook(hook)

    def setup_output_hook(self, args: Any) -> Any:
        """Wrap the module's outputs; their node's pre-hook records the output gradients and
        calls the backward pre-hooks."""
        def fn(grad_fn: Any) -> None:
            def hook(grad_output: tuple) -> tuple | None:
                assert self.output_tensors_index is not None
                self.grad_outputs = self._pack_with_none(self.output_tensors_index, grad_output,
                                                         self.n_outputs)
                if self.user_pre_hooks:
                    expected_len = len(self.grad_outputs)
                    for user_pre_hook in self.user_pre_hooks:
                        hook_grad_outputs = user_pre_hook(self.module, self.grad_outputs)
                        if hook_grad_outputs is None:
                            continue
                        actual_len = len(hook_grad_outputs)
                        if actual_len != expected_len:
                            raise RuntimeError("Backward pre hook returned an invalid number "
                                               f"of grad_output, got {actual_len}, but "
                                               f"expected {expected_len}")
                        self.grad_outputs = hook_grad_outputs
                local_grad_outputs = self.grad_outputs
                if self.input_tensors_index is None:
                    warnings.warn(NO_INPUT_GRAD_WARNING, UserWarning, stacklevel=_user_stacklevel())
                    grad_inputs = self._pack_with_none([], (), self.n_inputs)
                    for user_hook in self.user_hooks:
                        res = user_hook(self.module, grad_inputs, self.grad_outputs)
                        if res is not None and not (isinstance(res, tuple)
                                                    and all(el is None for el in res)):
                            raise RuntimeError("Backward hook for Modules where no input "
                                               "requires gradient should always return None or "
                                               "None for all gradients.")
                    self.grad_outputs = None
                if local_grad_outputs is not None:
                    return tuple(local_grad_outputs[i] for i in self.output_tensors_index)
                return None
            grad_fn.register_prehook(hook)

        is_tuple = isinstance(args, tuple)
        if not is_tuple:
            args = (args,)
        res, output_idx = self._apply_on_tensors(fn, args)
        self.n_outputs = len(args)
        self.output_tensors_index = output_idx
        return res if is_tuple else res[0]


__all__ = ["BackwardHook", "BackwardHookFunction"]
