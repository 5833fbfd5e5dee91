"""Grad mode: whether operations record a graph (``no_grad``, ``enable_grad``, ...).

The flag is a plain attribute read on every operation, so it is kept in one module-level object
rather than in thread-local storage: a teaching engine runs in one thread, and this read is on the
hot path of every op.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _GradState:
    __slots__ = ("enabled",)

    def __init__(self) -> None:
        self.enabled = True


state = _GradState()


def is_grad_enabled() -> bool:
    """True when operations record the graph needed for backward."""
    return state.enabled


class _GradModeContext:
    """Base of the grad-mode switches: usable as ``with`` blocks and as decorators."""

    _target: bool

    def __enter__(self) -> None:
        self._prev = state.enabled
        state.enabled = self._target

    def __exit__(self, *exc: object) -> None:
        state.enabled = self._prev

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.__class__():
                return func(*args, **kwargs)
        return wrapper  # type: ignore[return-value]

    def clone(self) -> "_GradModeContext":
        return self.__class__()


class no_grad(_GradModeContext):
    """Do not record operations: results do not require grad, nothing can backpropagate."""

    _target = False

    def __init__(self, orig_func: Callable | None = None) -> None:
        # ``@no_grad`` without parentheses is an error in PyTorch too; keep the signature simple.
        if orig_func is not None:
            raise RuntimeError("no_grad is used as a decorator with parentheses: @no_grad()")


class enable_grad(_GradModeContext):
    """Record operations again, e.g. inside a ``no_grad`` block."""

    _target = True


class inference_mode(_GradModeContext):
    """Like ``no_grad`` for a small program (PyTorch also skips version counting here)."""

    def __init__(self, mode: bool = True) -> None:
        self._target = not mode

    def clone(self) -> "inference_mode":
        return inference_mode(not self._target)

    def __call__(self, func: F) -> F:
        target = self._target

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with inference_mode(not target):
                return func(*args, **kwargs)
        return wrapper  # type: ignore[return-value]


class set_grad_enabled(_GradModeContext):
    """Turn recording on or off; takes effect at once, and as a context it restores on exit."""

    def __init__(self, mode: bool) -> None:
        self._prev = state.enabled
        self._target = bool(mode)
        state.enabled = self._target

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        state.enabled = self._prev

    def clone(self) -> "set_grad_enabled":
        return set_grad_enabled(self._target)

    def __call__(self, func: F) -> F:
        state.enabled = self._prev  # used as a decorator: the call above must not leak
        target = self._target

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(target):
                return func(*args, **kwargs)
        return wrapper  # type: ignore[return-value]
