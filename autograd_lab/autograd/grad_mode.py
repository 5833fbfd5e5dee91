"""Grad mode: whether operations record a graph (``no_grad``, ``enable_grad``, ...).

As in PyTorch, the mode belongs to a thread: ``no_grad`` in one thread (or a backward pass,
which turns recording off while it runs) leaves the others recording, and every new thread starts
with recording on. Every op asks whether to record, so the usual case costs one plain read: the
lists ``not_recording`` and ``inferring`` hold an entry per thread whose recording is off or
which is in inference mode, and only while one is not empty does an op read its own thread's
flags (``state``, thread-local storage, several times slower to read). The question is written
``not not_recording or state.enabled`` where it is asked on every op; elsewhere it is
``is_grad_enabled()``. Flags change only through ``set_enabled`` and ``set_inference``.

The switches behave as PyTorch's:

* ``no_grad`` and ``enable_grad`` are context managers and decorators, with or without
  parentheses (``@torch.no_grad`` works too);
* ``set_grad_enabled(mode)`` takes effect at once (a plain call), and restores the previous
  mode when used as a context; as a decorator it only applies inside the function;
* a decorated generator function runs each of its steps under the mode, not the code between;
* ``inference_mode(mode=True)`` turns recording off (and, with ``mode=False``, on) and makes
  inference tensors (see ``InferenceVersion``); ``is_inference_mode_enabled()`` tells whether
  it is active.
"""
from __future__ import annotations

import functools
import inspect
import threading
import warnings
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _ThreadModes(threading.local):
    """The calling thread's modes; a thread's first read starts it with recording on and
    inference mode off."""

    def __init__(self) -> None:
        self.enabled = True
        self.inference = False


state = _ThreadModes()
# one entry per thread whose recording is off / which is in inference mode (list appends and
# pops are atomic, so threads need no lock to keep these counts). A thread that ends with
# recording off leaves its entry: later ops then read their own flags, which is slower, not wrong.
not_recording: list = []
inferring: list = []


def set_per_thread(holder: threading.local, name: str, value: Any, usual: Any,
                   unusual_threads: list) -> Any:
    """Set the calling thread's ``holder.<name>`` and return its previous value, keeping
    ``unusual_threads`` at one entry per thread whose value is not ``usual``: while that list
    is empty, a reader may take ``usual`` without reading the thread-local value. (The entry
    is added before the value leaves ``usual`` and dropped after it is back.)"""
    previous = getattr(holder, name)
    if value != previous:
        if previous == usual:
            unusual_threads.append(None)
        setattr(holder, name, value)
        if value == usual:
            unusual_threads.pop()
    return previous


def set_enabled(mode: bool) -> bool:
    """Turn recording on or off in the calling thread; returns its previous mode."""
    return set_per_thread(state, "enabled", bool(mode), True, not_recording)


def set_inference(mode: bool) -> bool:
    """Enter or leave inference mode in the calling thread; returns its previous state."""
    return set_per_thread(state, "inference", bool(mode), False, inferring)

INFERENCE_SAVE_ERROR = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`.")
INFERENCE_INPLACE_ERROR = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details.")
INFERENCE_REQUIRES_GRAD_ERROR = ("Setting requires_grad=True on inference tensor outside "
                                 "InferenceMode is not allowed.")
INFERENCE_VERSION_ERROR = "Inference tensors do not track version counter."


class InferenceVersion(list):
    """The version counter of an inference tensor (one made inside ``inference_mode``).

    PyTorch's inference tensors have no version counter, which is why a graph may not save
    them: nothing could tell a later in-place change. Here the counter is kept (views and
    ``detach()`` share it, so they are inference tensors too, as in PyTorch), but reading it
    outside inference mode, which only saving a tensor for backward does, raises PyTorch's
    error. ``type(t._vc) is not list`` is how a tensor is known to be an inference tensor.
    """

    __slots__ = ()

    def __getitem__(self, index: Any) -> Any:
        if is_inference_mode_enabled():
            return list.__getitem__(self, index)
        raise RuntimeError(INFERENCE_SAVE_ERROR)


def is_inference(input: Any) -> bool:
    """``torch.is_inference(t)``: True for a tensor made inside ``inference_mode`` (or a view
    or detach of one)."""
    if not hasattr(input, "_vc"):
        raise TypeError("is_inference(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return type(input._vc) is InferenceVersion


def is_grad_enabled() -> bool:
    """True when operations record the graph needed for backward."""
    return not not_recording or state.enabled


def _set_flag(mode: bool) -> None:
    if not isinstance(mode, bool):
        raise TypeError("set_grad_enabled(): argument 'enabled' (position 1) must be bool, not "
                        f"{type(mode).__name__}")
    set_enabled(mode)


def is_inference_mode_enabled() -> bool:
    """True inside an ``inference_mode()`` block."""
    return bool(inferring) and state.inference


def _stepwise(make_switch: Callable[[], Any], genfunc: Callable) -> Callable:
    """A generator function whose every resumption (send, throw, close) runs under a fresh
    switch, while the caller's code between two ``yield``s runs in the caller's mode."""
    @functools.wraps(genfunc)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        inner = genfunc(*args, **kwargs)

        def resume(method: Callable, *arg: Any) -> Any:
            with make_switch():
                return method(*arg)

        try:
            value = resume(inner.send, None)
            while True:
                try:
                    received = yield value
                except GeneratorExit:
                    resume(inner.close)
                    raise
                except BaseException as exc:  # thrown in by the caller: pass it on
                    value = resume(inner.throw, exc)
                else:
                    value = resume(inner.send, received)
        except StopIteration as finished:
            return finished.value
    return wrapper


class _Switch:
    """A grad-mode switch: a context manager that also decorates functions.

    Subclasses say what entering does (``_turn_on``, returning what is needed to undo it) and
    how to undo it (``_turn_back``). A decorated function gets a fresh copy (``_copy``) per
    call, so that nested and recursive calls each save their own previous mode.
    """

    def _turn_on(self) -> Any:
        raise NotImplementedError

    def _turn_back(self, saved: Any) -> None:
        raise NotImplementedError

    def _copy(self) -> "_Switch":
        return type(self)()

    def clone(self) -> "_Switch":
        """A new switch of the same kind and mode."""
        return self._copy()

    def __enter__(self) -> None:
        self._saved = self._turn_on()

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        self._turn_back(self._saved)

    def __call__(self, fn: F) -> F:
        if inspect.isclass(fn):
            warnings.warn(
                "Decorating classes is deprecated and will be disabled in future versions. You "
                "should only decorate functions or methods. To preserve the current behavior of "
                "class decoration, you can directly decorate the `__init__` method and nothing "
                "else.", FutureWarning, stacklevel=2)
            cls = fn
            fn = lambda *args, **kwargs: cls(*args, **kwargs)  # type: ignore  # noqa: E731
        if inspect.isgeneratorfunction(fn):
            return _stepwise(self._copy, fn)  # type: ignore[return-value]

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self._copy():
                return fn(*args, **kwargs)
        return wrapper  # type: ignore[return-value]


class _BareSwitch(_Switch):
    """A switch without arguments, so it may decorate without parentheses: ``@no_grad``."""

    def __new__(cls, fn: Callable | None = None) -> Any:
        switch = super().__new__(cls)
        return switch if fn is None else switch(fn)


class no_grad(_BareSwitch):
    """Do not record operations: results do not require grad, nothing can backpropagate.

    >>> import autograd_lab as torch
    >>> x = torch.tensor([1.], requires_grad=True)
    >>> with torch.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    """

    def _turn_on(self) -> bool:
        return set_enabled(False)

    def _turn_back(self, saved: bool) -> None:
        set_enabled(saved)


class enable_grad(_BareSwitch):
    """Record operations again, e.g. inside a ``no_grad`` block."""

    def _turn_on(self) -> bool:
        return set_enabled(True)

    def _turn_back(self, saved: bool) -> None:
        set_enabled(saved)


class set_grad_enabled(_Switch):
    """Turn recording on or off; takes effect at once, and as a context it restores on exit.

    >>> import autograd_lab as torch
    >>> _ = torch.set_grad_enabled(False); torch.is_grad_enabled()
    False
    >>> _ = torch.set_grad_enabled(True); torch.is_grad_enabled()
    True
    """

    def __init__(self, mode: bool) -> None:
        # the mode before this call: restored on exit, or at once when used as a decorator
        self.prev = is_grad_enabled()
        self.mode = mode
        _set_flag(mode)

    def __call__(self, fn: F) -> F:
        _set_flag(self.prev)  # as a decorator, the call in __init__ must not leak
        return super().__call__(fn)

    def _turn_on(self) -> None:
        _set_flag(self.mode)

    def _turn_back(self, saved: None) -> None:
        _set_flag(self.prev)

    def _copy(self) -> "set_grad_enabled":
        return set_grad_enabled(self.mode)

    def __repr__(self) -> str:
        return f"torch.autograd.grad_mode.set_grad_enabled(mode={self.mode})"

    __str__ = __repr__


class inference_mode(_Switch):
    """Like ``no_grad``, and the tensors made inside are *inference tensors*
    (``t.is_inference()``): outside the mode they cannot be saved for backward, changed in place
    or given ``requires_grad=True`` (PyTorch's errors). ``inference_mode(False)`` turns
    recording back on inside it. A context manager and a decorator (``@inference_mode()``).

    >>> import autograd_lab as torch
    >>> x = torch.ones(2, requires_grad=True)
    >>> with torch.inference_mode():
    ...     y = x * x
    >>> y.requires_grad, y.is_inference(), x.is_inference()
    (False, True, False)
    """

    def __new__(cls, mode: Any = True) -> Any:
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)  # ``@inference_mode`` without parentheses

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode

    def _turn_on(self) -> tuple:
        return set_enabled(not self.mode), set_inference(bool(self.mode))

    def _turn_back(self, saved: tuple) -> None:
        set_enabled(saved[0])
        set_inference(saved[1])

    def _copy(self) -> "inference_mode":
        return inference_mode(self.mode)


class set_multithreading_enabled(_Switch):
    """Accepted for compatibility: this engine always runs on the calling thread."""

    def __init__(self, mode: bool) -> None:
        self.mode = mode

    def _turn_on(self) -> None:
        return None

    def _turn_back(self, saved: None) -> None:
        pass

    def _copy(self) -> "set_multithreading_enabled":
        return set_multithreading_enabled(self.mode)
