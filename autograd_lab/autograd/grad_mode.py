"""Grad mode: whether operations record a graph (``no_grad``, ``enable_grad``, ...).

The flag is a plain attribute read on every operation, so it is kept in one module-level object
rather than in thread-local storage: a teaching engine runs in one thread, and this read is on the
hot path of every op.

The switches behave as PyTorch's (``torch/autograd/grad_mode.py``, ``torch/utils/_contextlib.py``):

* ``no_grad`` and ``enable_grad`` are context managers and decorators, with or without
  parentheses (``@torch.no_grad`` works too);
* ``set_grad_enabled(mode)`` takes effect at once (a plain call), and restores the previous
  mode when used as a context; as a decorator it only applies inside the function;
* a decorated generator function runs each of its steps under the mode, not the code between;
* ``inference_mode(mode=True)`` turns recording off (and, with ``mode=False``, on);
  ``is_inference_mode_enabled()`` tells whether it is active.
"""
from __future__ import annotations

import functools
import inspect
import sys
import warnings
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _GradState:
    __slots__ = ("enabled", "inference")

    def __init__(self) -> None:
        self.enabled = True
        self.inference = False


state = _GradState()


def is_grad_enabled() -> bool:
    """True when operations record the graph needed for backward."""
    return state.enabled


def _set_grad_enabled(mode: bool) -> None:
    if not isinstance(mode, bool):
        raise TypeError("set_grad_enabled(): argument 'enabled' (position 1) must be bool, not "
                        f"{type(mode).__name__}")
    state.enabled = mode


def is_inference_mode_enabled() -> bool:
    """True inside an ``inference_mode()`` block."""
    return state.inference


def _wrap_generator(ctx_factory: Callable, func: Callable) -> Callable:
    """Run each step of a generator under a fresh context from ``ctx_factory``."""
    @functools.wraps(func)
    def generator_context(*args: Any, **kwargs: Any) -> Any:
        gen = func(*args, **kwargs)
        try:
            with ctx_factory():
                response = gen.send(None)
            while True:
                try:
                    request = yield response
                except GeneratorExit:
                    with ctx_factory():
                        gen.close()
                    raise
                except BaseException:
                    with ctx_factory():
                        response = gen.throw(*sys.exc_info())
                else:
                    with ctx_factory():
                        response = gen.send(request)
        except StopIteration as e:
            return e.value
    return generator_context


def context_decorator(ctx_factory: Callable, func: Callable) -> Callable:
    if inspect.isclass(func):
        raise RuntimeError(
            "Cannot decorate classes; it is ambiguous whether or not only the constructor or "
            "all methods should have the context manager applied; additionally, decorating a "
            "class at definition-site will prevent use of the identifier as a conventional "
            "type.  To specify which methods to decorate, decorate each of them individually.")
    if inspect.isgeneratorfunction(func):
        return _wrap_generator(ctx_factory, func)

    @functools.wraps(func)
    def decorate_context(*args: Any, **kwargs: Any) -> Any:
        with ctx_factory():
            return func(*args, **kwargs)
    return decorate_context


class _DecoratorContextManager:
    """A context manager that can also decorate a function (each call runs inside it)."""

    def __call__(self, orig_func: F) -> F:
        if inspect.isclass(orig_func):
            warnings.warn(
                "Decorating classes is deprecated and will be disabled in future versions. You "
                "should only decorate functions or methods. To preserve the current behavior of "
                "class decoration, you can directly decorate the `__init__` method and nothing "
                "else.", FutureWarning, stacklevel=2)
            func = lambda *args, **kwargs: orig_func(*args, **kwargs)  # noqa: E731
        else:
            func = orig_func
        return context_decorator(self.clone, func)  # type: ignore[return-value]

    def __enter__(self) -> None:
        raise NotImplementedError

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        raise NotImplementedError

    def clone(self) -> Any:
        return self.__class__()


class _NoParamDecoratorContextManager(_DecoratorContextManager):
    """Also usable as a decorator without parentheses: ``@no_grad``."""

    def __new__(cls, orig_func: Callable | None = None) -> Any:
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


class no_grad(_NoParamDecoratorContextManager):
    """Do not record operations: results do not require grad, nothing can backpropagate.

    >>> import autograd_lab as torch
    >>> x = torch.tensor([1.], requires_grad=True)
    >>> with torch.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    """

    def __init__(self) -> None:
        self.prev = False

    def __enter__(self) -> None:
        self.prev = state.enabled
        state.enabled = False

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        state.enabled = self.prev


class enable_grad(_NoParamDecoratorContextManager):
    """Record operations again, e.g. inside a ``no_grad`` block."""

    def __enter__(self) -> None:
        self.prev = state.enabled
        state.enabled = True

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        state.enabled = self.prev


class set_grad_enabled(_DecoratorContextManager):
    """Turn recording on or off; takes effect at once, and as a context it restores on exit.

    >>> import autograd_lab as torch
    >>> _ = torch.set_grad_enabled(False); torch.is_grad_enabled()
    False
    >>> _ = torch.set_grad_enabled(True); torch.is_grad_enabled()
    True
    """

    def __init__(self, mode: bool) -> None:
        self.prev = state.enabled
        self.mode = mode
        _set_grad_enabled(mode)

    def __call__(self, orig_func: F) -> F:
        _set_grad_enabled(self.prev)  # used as a decorator: the call above must not leak
        return super().__call__(orig_func)

    def __enter__(self) -> None:
        _set_grad_enabled(self.mode)

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        _set_grad_enabled(self.prev)

    def __str__(self) -> str:
        return f"torch.autograd.grad_mode.set_grad_enabled(mode={self.mode})"

    def __repr__(self) -> str:
        return str(self)

    def clone(self) -> "set_grad_enabled":
        return self.__class__(self.mode)


class inference_mode(_DecoratorContextManager):
    """Like ``no_grad`` for a small program; ``inference_mode(False)`` turns recording on.

    PyTorch also marks the tensors made inside as "inference tensors" (no version counter, not
    usable in a later graph); that is not modelled here.
    """

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode

    def __new__(cls, mode: Any = True) -> Any:
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)

    def __enter__(self) -> None:
        self._prev = (state.enabled, state.inference)
        state.enabled = not self.mode
        state.inference = bool(self.mode)

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        state.enabled, state.inference = self._prev

    def clone(self) -> "inference_mode":
        return self.__class__(self.mode)


class set_multithreading_enabled(_DecoratorContextManager):
    """Accepted for compatibility: this engine always runs on the calling thread."""

    def __init__(self, mode: bool) -> None:
        self.mode = mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        pass

    def clone(self) -> "set_multithreading_enabled":
        return self.__class__(self.mode)
