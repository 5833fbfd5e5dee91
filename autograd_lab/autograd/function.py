"""Custom differentiable operations: subclass ``Function`` with ``forward`` and ``backward``.

>>> import autograd_lab as torch
>>> class Square(torch.autograd.Function):
...     @staticmethod
...     def forward(ctx, x):
...         ctx.save_for_backward(x)
...         return x ** 2
...     @staticmethod
...     def backward(ctx, grad_output):
...         x, = ctx.saved_tensors
...         return 2 * x * grad_output
>>> x = torch.tensor(3.0, requires_grad=True)
>>> y = Square.apply(x); y.backward(); x.grad
tensor(6.)

As in PyTorch, ``ctx`` *is* the backward node: ``Square.apply`` creates a ``SquareBackward``
node, passes it to ``forward`` as ``ctx``, and the engine later calls its ``apply``, which calls
``Square.backward(ctx, ...)``.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

import numpy as np

from . import grad_mode
from .node import Node, SavedTensor


class FunctionCtx:
    """What ``forward`` can tell ``backward`` through ``ctx``."""

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep tensors (inputs or outputs) for ``backward``; read them with ``ctx.saved_tensors``."""
        self._to_save = tensors

    def save_for_forward(self, *tensors: Any) -> None:
        self._to_save_for_forward = tensors

    def mark_dirty(self, *tensors: Any) -> None:
        """Declare inputs that ``forward`` modified in place (they are then returned)."""
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors: Any) -> None:
        """Declare outputs that have no gradient (e.g. indices)."""
        self._non_differentiable = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """If False, ``backward`` receives None (not zeros) for outputs that got no gradient."""
        self.materialize_grads = value


class BackwardCFunction(Node, FunctionCtx):
    """The node of a custom Function (``<Name>Backward``); also the ``ctx`` of its forward."""

    _forward_cls: type
    _repr_with_module = True

    def __init__(self) -> None:  # edges are set by Function.apply once the inputs are known
        Node.__init__(self, ())
        self.materialize_grads = True
        self._num_outputs = 1

    def name(self) -> str:
        return type(self).__name__

    @property
    def saved_tensors(self) -> tuple:
        """The tensors given to ``save_for_backward`` (raises if freed by a backward)."""
        return tuple(s.unpack(self) if isinstance(s, SavedTensor) else s
                     for s in self._s_saved)

    saved_variables = saved_tensors

    def saved_tensors_items(self):  # type: ignore[override]
        for i, s in enumerate(getattr(self, "_s_saved", ())):
            if isinstance(s, SavedTensor):
                yield f"saved_tensors[{i}]", s

    def apply(self, *grads: Any) -> tuple:
        from ..tensor import _make
        if self.materialize_grads:
            grads = tuple(
                g if g is not None else _make(np.zeros(shape, dtype=d.np), None)
                for g, (shape, d) in zip(grads, self._output_meta))
        result = self._forward_cls.backward(self, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        n_args = len(self._arg_is_tensor)
        if len(result) != n_args:
            if len(result) > n_args and all(r is None for r in result[n_args:]):
                result = result[:n_args]
            else:
                raise RuntimeError(f"function {self.name()} returned an incorrect number of "
                                   f"gradients (expected {n_args}, got {len(result)})")
        return tuple(g for g, is_tensor in zip(result, self._arg_is_tensor) if is_tensor)


class FunctionMeta(type):
    """Gives every Function subclass its own node class, named ``<Name>Backward``."""

    def __init__(cls, name: str, bases: tuple, attrs: dict) -> None:
        cls._backward_cls = type(name + "Backward", (BackwardCFunction,),
                                 {"_forward_cls": cls, "__module__": __name__,
                                  "__qualname__": name + "Backward"})
        super().__init__(name, bases, attrs)


class Function(metaclass=FunctionMeta):
    """Base class of custom differentiable operations (see the module docstring)."""

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode "
                                  "AD.")

    setup_context: Callable | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use "
            "new-style autograd function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` and, if any input needs a gradient, record a ``<Name>Backward`` node."""
        from ..tensor import Tensor
        ctx = cls._backward_cls()
        tensor_args = tuple(a for a in args if isinstance(a, Tensor))
        ctx._arg_is_tensor = tuple(isinstance(a, Tensor) for a in args)
        record = grad_mode.state.enabled and any(t.requires_grad for t in tensor_args)
        ctx.needs_input_grad = tuple(
            isinstance(a, Tensor) and record and a.requires_grad for a in args)
        with grad_mode.no_grad():
            if cls.setup_context is not None and _forward_takes_no_ctx(cls):
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *args, **kwargs)
        return _wrap_outputs(ctx, tensor_args, output, record)


def _forward_takes_no_ctx(cls: type) -> bool:
    params = list(inspect.signature(cls.forward).parameters)
    return not params or params[0] != "ctx"


def _wrap_outputs(ctx: BackwardCFunction, inputs: tuple, output: Any, record: bool) -> Any:
    """Attach the outputs of ``forward`` to the node, and save what ``forward`` asked to save."""
    from ..tensor import Tensor, _make
    single = not isinstance(output, tuple)
    outputs = (output,) if single else output
    dirty = getattr(ctx, "_dirty", ())
    non_diff = getattr(ctx, "_non_differentiable", ())
    if record:
        Node.__init__(ctx, inputs)  # the edges: one per tensor argument
    wrapped = []
    tensor_outputs = [o for o in outputs if isinstance(o, Tensor)]
    ctx._num_outputs = max(len(tensor_outputs), 1)
    ctx._output_meta = tuple((o._data.shape, o.dtype) for o in tensor_outputs)
    nr = 0
    for o in outputs:
        if not isinstance(o, Tensor):
            wrapped.append(o)
            continue
        is_input = any(o is i for i in inputs)
        if any(o is d for d in dirty):
            out = o  # modified in place by forward: the same tensor takes the new history
        elif is_input:
            out = _make(o._data, None)
            out._vc = o._vc
        elif o.grad_fn is None and not o._requires_grad:
            out = o
        else:
            out = _make(o._data, None)
            out._vc = o._vc
        if record and not any(o is n for n in non_diff) and out.dtype.is_floating_point:
            out.grad_fn = ctx
            out._output_nr = nr
            out._requires_grad = False
        nr += 1
        wrapped.append(out)
    to_save = getattr(ctx, "_to_save", ())
    saved = []
    for s in to_save:
        if isinstance(s, Tensor):
            is_output = any(s is w for w in wrapped) and s.grad_fn is ctx
            saved.append(SavedTensor(s, is_output=is_output) if record else s)
        else:
            saved.append(s)
    ctx._s_saved = saved
    return wrapped[0] if single else tuple(wrapped)


def once_differentiable(fn: Callable) -> Callable:
    """Decorate ``backward`` when it cannot itself be differentiated: it runs without recording."""
    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any) -> Any:
        with grad_mode.no_grad():
            return fn(ctx, *args)
    return wrapper


class InplaceFunction(Function):
    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace
