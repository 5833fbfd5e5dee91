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

What ``apply`` does with the outputs of ``forward`` follows PyTorch:

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
from .explanation import CUSTOM, Explanation, both
from .node import Node, SavedTensor


class FunctionCtx:
    """What ``forward`` can tell ``backward`` through ``ctx``."""

    to_save: tuple[Any, ...] | None

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

    _forward_cls: type[Function]
    _output_meta: tuple[Any, ...]
    _s_saved: tuple[Any, ...]
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

    def saved_tensors_items(self):
        for i, s in enumerate(self._s_saved):
            if isinstance(s, SavedTensor):
                yield f"saved_tensors[{i}]", s

    def _release_saved(self) -> None:
        for _, saved in self.saved_tensors_items():
            saved.release()

    # the words for every <Name>Backward class (they inherit it): the user's backward runs
    explanation = Explanation("", (), CUSTOM)

    def apply(self, *grads: Any) -> tuple:
        """Run the user's ``backward`` (or ``vjp``) and check what it returned."""
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
        executable = grad_mode.is_grad_enabled() and any(t.requires_grad for t in tensor_args)
        with grad_mode.no_grad():
            if setup_ctx:
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *all_args)
        return _attach_outputs(ctx, tensor_args, output, executable)


def _view_of_input(t: Any) -> Any:
    """An input returned as-is comes back as a view of it (PyTorch's ``view_as(self)``): a new
    tensor, so the input keeps its own history, on the same memory and version counter."""
    with grad_mode.no_grad():  # (no node of its own: the Function's node is set on it)
        return t.view(t._data.shape)


def _among(t: Any, group: tuple) -> bool:
    return any(t is g for g in group)


def _attach_outputs(node: BackwardCFunction, inputs: tuple, output: Any,
                    recording: bool) -> Any:
    """Give what ``forward`` returned its history (``node`` as grad_fn, where gradients flow),
    and save what ``forward`` asked to save."""
    from ..tensor import Tensor
    returned = output if isinstance(output, tuple) else (output,)
    dirty = getattr(node, "dirty_tensors", None) or ()
    for d in dirty:  # declared changed in place: a new version, recorded or not (as PyTorch)
        d._vc[0] += 1
    if recording:
        Node.__init__(node, inputs)  # one edge per tensor argument
    results = [_attach_one(node, nr, value, inputs, dirty, recording)
               for nr, value in enumerate(returned)]
    _forbid_inplace_on_views(node, returned, results, inputs, dirty, recording)
    if any(not _among(d, returned) for d in dirty):
        raise RuntimeError("Some elements marked as dirty during the forward method were not "
                           "returned as output. The inputs that are modified inplace must all "
                           "be outputs of the Function.")
    node._num_outputs = len(returned)
    # shape and dtype of each tensor output: backward gets zeros for those given no gradient
    node._output_meta = tuple((v._data.shape, v.dtype) if isinstance(v, Tensor) else None
                              for v in returned)
    if recording:
        node._s_saved = tuple(_saved(node, i, t)
                              for i, t in enumerate(getattr(node, "to_save", None) or ()))
    node.to_save = None
    return tuple(results) if isinstance(output, tuple) else results[0]


def _attach_one(node: BackwardCFunction, nr: int, value: Any, inputs: tuple, dirty: tuple,
                recording: bool) -> Any:
    from ..tensor import Tensor
    if not isinstance(value, Tensor):
        return value
    is_input, modified = _among(value, inputs), _among(value, dirty)
    frozen = getattr(node, "non_differentiable", None) or ()
    if not recording or _among(value, frozen) or not value.dtype.is_floating_point:
        # no gradient will flow back through this output
        if not value.requires_grad:
            return _view_of_input(value) if is_input and not modified else value
        if is_input:
            return value.detach()
        value.detach_()
        return value
    if modified:  # changed in place by forward: its history is rewritten to end at the node
        if value.grad_fn is None and value._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad has been used in an in-place "
                               "operation.")
        if not is_input:
            warnings.warn("Only input Tensors should be given to ctx.mark_dirty(). If a Tensor "
                          "is not an input, there is no need to pass it to mark_dirty().",
                          UserWarning, stacklevel=4)
        value.grad_fn, value._output_nr, value._requires_grad = node, nr, False
        return value
    if is_input:  # returned unchanged: a new tensor, so the input keeps its own history
        value = _view_of_input(value)
    value.grad_fn, value._output_nr = node, nr
    return value


def _forbid_inplace_on_views(node: BackwardCFunction, returned: tuple, results: list,
                             inputs: tuple, dirty: tuple, recording: bool) -> None:
    """As PyTorch: an output that is a view (an input returned as-is included; an input
    changed in place excepted) refuses a recorded in-place change with the custom Function's
    message, or with the multiple-views message when the Function has several differentiable
    outputs."""
    from ..tensor import Tensor
    frozen = getattr(node, "non_differentiable", None) or ()
    views = []
    n_differentiable = 0
    for value, result in zip(returned, results):
        if not isinstance(result, Tensor):
            continue
        if recording and not _among(value, frozen) and result.dtype.is_floating_point:
            n_differentiable += 1
        if (result._base is not None and result._view_steps is not None
                and not (_among(value, inputs) and _among(value, dirty))):
            views.append(result)
    # why an in-place change is refused, in the form ops.views reads (its CreationMeta)
    meta = ("multi" if n_differentiable > 1 else "custom", node)
    for v in views:
        v._view_meta = meta


def _saved(node: BackwardCFunction, i: int, t: Any) -> Any:
    from ..tensor import Tensor
    if t is None:
        return None
    if not isinstance(t, Tensor):
        raise TypeError(f"save_for_backward can only save variables, but argument {i} is of "
                        f"type {type(t).__name__}")
    saved = SavedTensor(t, is_output=t.grad_fn is node)
    # PyTorch unpacks a custom Function's saved tensors for its node: a saved non-leaf that was
    # detached in place since is not refused there (it is for the built-in nodes)
    saved._non_leaf = False
    return saved


_TWICE = ("trying to differentiate twice a function that was marked with "
          "@once_differentiable")


def once_differentiable(fn: Callable) -> Callable:
    """Decorate ``backward`` when it cannot itself be differentiated: it runs without recording,
    and if a double backward reaches it, that backward fails with PyTorch's message."""
    @functools.wraps(fn)
    def backward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        from ..tensor import Tensor
        with grad_mode.no_grad():
            result = fn(ctx, *args, **kwargs)
        # only a create_graph backward with differentiable incoming gradients could go on to
        # differentiate the result: then give it a node that refuses to
        if grad_mode.is_grad_enabled() and any(isinstance(a, Tensor) and a.requires_grad
                                           for a in args):
            return _refusing_backward(result)
        return result
    return backward


class Error(Node):
    """A node whose backward always fails (behind the outputs of a once_differentiable
    backward run with create_graph=True)."""

    __slots__ = ("msg",)
    msg: str

    def name(self) -> str:
        return "torch::autograd::Error"

    explanation = Explanation(
        "", (),
        both("This node stands for a backward marked @once_differentiable: it cannot be "
             "differentiated again, so a backward that reaches it fails.",
             "这个节点代表一个标记了 @once_differentiable 的 backward：它不能再被求导，"
             "反向传播到达这里时会报错。"))

    def apply(self, *grads: Any) -> tuple:
        raise RuntimeError(self.msg)


def _refusing_backward(result: Any) -> Any:
    """Copies of ``result`` (None entries kept) whose grad_fn is an Error node."""
    from ..tensor import _make
    values = result if isinstance(result, tuple) else (result,)
    sources = []
    for v in values:
        if v is not None:
            v = v.detach()
            v.requires_grad = True
            sources.append(v)
    node = Error(tuple(sources))
    node.msg = _TWICE
    numbered = iter(range(len(sources)))
    out = [None if v is None else _make(v._data, node, next(numbered)) for v in values]
    return out[0] if len(out) == 1 else tuple(out)


class InplaceFunction(Function):
    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace


class NestedIOFunction(Function):
    """Legacy; not supported."""
