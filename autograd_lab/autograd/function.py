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

What ``apply`` does with the outputs of ``forward`` follows PyTorch (``_wrap_outputs``):

* every output, tensor or not, has a position (``output_nr``), and ``backward`` receives one
  gradient per output: zeros for a tensor output that got none (unless
  ``ctx.set_materialize_grads(False)``: then None), None for the others;
* an input returned as is becomes a new tensor sharing its memory, with the node as grad_fn;
  an input modified in place must be declared with ``ctx.mark_dirty`` and is returned itself,
  its history rewritten (a leaf that requires grad is refused);
* outputs given to ``ctx.mark_non_differentiable`` (and integer outputs) do not require grad;
* ``backward`` returns one gradient per argument of ``forward``: None for a non-tensor argument
  (extra trailing Nones are allowed).
"""
from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any, Callable

import numpy as np

from . import grad_mode
from .node import Node, SavedTensor


class FunctionCtx:
    """What ``forward`` can tell ``backward`` through ``ctx``."""

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep tensors (inputs or outputs, or None) for ``backward``: ``ctx.saved_tensors``."""
        self.to_save = tensors

    def save_for_forward(self, *tensors: Any) -> None:
        for tensor in tensors:
            from ..tensor import Tensor
            if not (isinstance(tensor, Tensor) or tensor is None):
                raise AssertionError("save_for_forward expects all arguments to be tensors; you "
                                     "should save non-tensors as attributes on ctx.")
        self.saved_for_forward = tensors

    def mark_dirty(self, *args: Any) -> None:
        """Declare inputs that ``forward`` modified in place (they must be returned)."""
        self.dirty_tensors = args

    def mark_non_differentiable(self, *args: Any) -> None:
        """Declare outputs that have no gradient (e.g. indices)."""
        self.non_differentiable = args

    def set_materialize_grads(self, value: bool) -> None:
        """If False, ``backward`` receives None (not zeros) for outputs that got no gradient."""
        self.materialize_grads = value


class BackwardCFunction(Node, FunctionCtx):
    """The node of a custom Function (``<Name>Backward``); also the ``ctx`` of its forward."""

    _forward_cls: type
    _repr_with_module = True
    _always_apply = True  # backward runs (with zeros) even if no gradient arrived
    _prunes_outputs = False

    def __init__(self) -> None:  # edges are set by Function.apply once the inputs are known
        Node.__init__(self, ())
        self.materialize_grads = True
        self._s_saved = ()

    def name(self) -> str:
        return type(self).__name__

    def __call__(self, *grads: Any) -> Any:
        # PyTorch's custom-Function nodes cannot be called by hand (its C++ nodes can)
        raise TypeError(f"'{type(self).__name__}' object is not callable")

    @property
    def saved_tensors(self) -> tuple:
        """The tensors given to ``save_for_backward`` (raises if freed by a backward)."""
        return tuple(s.unpack(self) if isinstance(s, SavedTensor) else s
                     for s in self._s_saved)

    saved_variables = saved_tensors

    def saved_tensors_items(self):  # type: ignore[override]
        for i, s in enumerate(self._s_saved):
            if isinstance(s, SavedTensor):
                yield f"saved_tensors[{i}]", s

    def apply(self, *grads: Any) -> tuple:
        """PyTorch's PyNode::apply: call ``backward`` and check what it returned."""
        from ..tensor import Tensor, _make
        if self.materialize_grads:
            grads = tuple(
                g if g is not None or meta is None else _make(np.zeros(meta[0], meta[1].np), None)
                for g, meta in zip(grads, self._output_meta))
        fwd = self._forward_cls
        user_fn = fwd.vjp if fwd.vjp is not Function.vjp else fwd.backward
        result = user_fn(self, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        is_tensor = self._is_variable_input
        n_args = len(is_tensor)
        if len(result) > n_args and all(r is None for r in result[n_args:]):
            result = result[:n_args]
        if len(result) != n_args:
            raise RuntimeError(f"function {self.name()} returned an incorrect number of "
                               f"gradients (expected {n_args}, got {len(result)})")
        out = []
        for i, (g, tensor_arg) in enumerate(zip(result, is_tensor)):
            if not tensor_arg:
                if g is not None:
                    raise RuntimeError(
                        f"function {self.name()} returned a gradient different than None at "
                        f"position {i + 1}, but the corresponding forward input was not a "
                        "Variable")
                continue
            if g is not None and not isinstance(g, Tensor):
                raise RuntimeError(f"expected Variable or None (got {type(g).__name__})")
            out.append(g)
        return tuple(out)


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
    def forward(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> Any:
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode "
                                  "AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx: Any, *grad_inputs: Any) -> Any:
        raise NotImplementedError("You must implement the jvp function for custom "
                                  "autograd.Function to use it with forward mode AD.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(
            f"{self.__class__} should not be instantiated. Methods on autograd functions are "
            "all static, so you should invoke them on the class itself. Instantiating an "
            "autograd function will raise an error in a future version of PyTorch.",
            DeprecationWarning, stacklevel=2)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use "
            "new-style autograd function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` and, if grad mode is on and an input requires grad, record a
        ``<Name>Backward`` node that ``backward`` will run for."""
        from ..tensor import Tensor
        setup_ctx = cls.setup_context is not Function.setup_context
        if setup_ctx:
            bound = inspect.signature(cls.forward).bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args, bound.kwargs
        all_args = args + tuple(kwargs.values())
        ctx = cls._backward_cls()
        tensor_args = tuple(a for a in all_args if isinstance(a, Tensor))
        ctx._is_variable_input = tuple(isinstance(a, Tensor) for a in all_args)
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad
                                     for a in all_args)
        executable = grad_mode.state.enabled and any(t.requires_grad for t in tensor_args)
        with grad_mode.no_grad():
            if setup_ctx:
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *all_args)
        return _wrap_outputs(ctx, tensor_args, output, executable)


def _view_as_self(t: Any) -> Any:
    """An input returned by forward: a new tensor on the same memory (PyTorch's view_as)."""
    from ..tensor import _make
    out = _make(t._data, None)
    out._vc = t._vc
    return out


def _wrap_outputs(ctx: BackwardCFunction, inputs: tuple, output: Any, executable: bool) -> Any:
    """Attach the outputs of ``forward`` to the node, and save what ``forward`` asked to save."""
    from ..tensor import Tensor
    from ..ops._core import LEAF_INPLACE_ERROR
    single = not isinstance(output, tuple)
    raw = (output,) if single else output
    dirty = getattr(ctx, "dirty_tensors", None) or ()
    non_diff = getattr(ctx, "non_differentiable", None) or ()
    if executable:
        Node.__init__(ctx, inputs)  # the edges: one per tensor argument

    def member(t: Any, group: tuple) -> bool:
        return any(t is g for g in group)

    outputs = []
    meta = []
    for nr, var in enumerate(raw):
        if not isinstance(var, Tensor):
            outputs.append(var)
            meta.append(None)
            continue
        is_input = member(var, inputs)
        is_modified = member(var, dirty)
        differentiable = (executable and not member(var, non_diff)
                          and var.dtype.is_floating_point)
        meta.append((var._data.shape, var.dtype))  # backward gets zeros for any tensor output
        if not differentiable:
            if not var.requires_grad:
                if is_input and not is_modified:
                    var = _view_as_self(var)
            elif is_input:
                var = var.detach()
            else:
                var.detach_()
        elif is_modified:
            if var.grad_fn is None and var._requires_grad:
                raise RuntimeError("a leaf Variable that requires grad has been used in an "
                                   "in-place operation.")
            if not is_input:
                warnings.warn("Only input Tensors should be given to ctx.mark_dirty(). If a "
                              "Tensor is not an input, there is no need to pass it to "
                              "mark_dirty().", UserWarning, stacklevel=3)
            var.grad_fn, var._output_nr, var._requires_grad = ctx, nr, False
            var._vc.value += 1
        else:
            if is_input:
                var = _view_as_self(var)
            var.grad_fn, var._output_nr = ctx, nr
        outputs.append(var)
    for d in dirty:
        if not member(d, raw):
            raise RuntimeError("Some elements marked as dirty during the forward method were "
                               "not returned as output. The inputs that are modified inplace "
                               "must all be outputs of the Function.")
    ctx._num_outputs = len(raw)
    ctx._output_meta = tuple(meta)
    if executable:
        saved = []
        for i, s in enumerate(getattr(ctx, "to_save", None) or ()):
            if s is None:
                saved.append(None)
            elif not isinstance(s, Tensor):
                raise TypeError(f"save_for_backward can only save variables, but argument {i} "
                                f"is of type {type(s).__name__}")
            else:
                saved.append(SavedTensor(s, is_output=s.grad_fn is ctx))
        ctx._s_saved = tuple(saved)
    ctx.to_save = None
    return outputs[0] if single else tuple(outputs)


def once_differentiable(fn: Callable) -> Callable:
    """Decorate ``backward`` when it cannot itself be differentiated: it runs without recording,
    and if a double backward reaches it, that backward fails with PyTorch's message."""
    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        from ..tensor import Tensor
        with grad_mode.no_grad():
            outputs = fn(ctx, *args, **kwargs)
        if not grad_mode.state.enabled:
            return outputs
        if not any(isinstance(a, Tensor) and a.requires_grad for a in args):
            return outputs
        outputs_ = outputs if isinstance(outputs, tuple) else (outputs,)
        return DelayedError.apply_error(
            "trying to differentiate twice a function that was marked with "
            "@once_differentiable", outputs_)
    return wrapper


class Error(Node):
    """A node whose backward always fails (behind the outputs of a once_differentiable
    backward run with create_graph=True)."""

    __slots__ = ("msg",)

    def name(self) -> str:
        return "torch::autograd::Error"

    def apply(self, *grads: Any) -> tuple:
        raise RuntimeError(self.msg)


class DelayedError:
    """PyTorch's ``torch._C._functions.DelayedError``: outputs that fail when differentiated."""

    @staticmethod
    def apply_error(msg: str, outputs: tuple) -> Any:
        from ..tensor import _make
        fakes = []
        for v in outputs:
            if v is not None:
                v = v.detach()
                v.requires_grad = True
            fakes.append(v)
        node = Error(tuple(v for v in fakes if v is not None))
        node.msg = msg
        wrapped = []
        nr = 0
        for v in fakes:
            if v is None:
                wrapped.append(None)
                continue
            out = _make(v._data, node, nr)
            nr += 1
            wrapped.append(out)
        return wrapped[0] if len(wrapped) == 1 else tuple(wrapped)


class InplaceFunction(Function):
    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace


class NestedIOFunction(Function):
    """Legacy; not supported."""
