"""``UninitializedParameter`` and ``UninitializedBuffer``: the placeholders of a lazy module's
weights and running statistics until their shape is known (``torch.nn.parameter``'s).

It refuses, as PyTorch's does, to take part in any computation: every tensor method and every
function given it raises PyTorch's ValueError, which names the function as PyTorch prints it
(``<method 'numel' of 'torch._C.TensorBase' objects>``, ``<built-in method add of type object at
0x...>``, ``<function normal_ at 0x...>``). What PyTorch lets through still works: ``size()``,
``to()``/``float()``/``double()``..., ``copy_``, ``is_floating_point()``, hashing, and the
attributes (``data``, ``ndim``, ``dtype``, ``requires_grad``, ``grad``, ``T``...); ``.shape`` has
a message of its own.

PyTorch finds the function through ``__torch_function__``. Here every public Tensor method is
replaced on this class by one that refuses at once, and the placeholder's array (``_data``) is a
guarded property for the functions that read it directly: reading it raises unless an allowed
method is running. The name comes from the call stack: the outermost frame inside this package's
tensor namespaces (Tensor methods, torch.*, F.*, init.*), i.e. the function the user called.
"""
from __future__ import annotations

import os
import sys
from typing import Any

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from .parameter import Parameter

UNINITIALIZED_ERROR = (
    "Attempted to use an uninitialized parameter in {func}. This error happens when you are "
    "using a `LazyModule` or explicitly manipulating `torch.nn.parameter.{cls}` objects. When "
    "using LazyModules Call `forward` with a dummy batch to initialize the parameters before "
    "calling torch functions")
SHAPE_ERROR = (
    "Can't access the shape of an uninitialized parameter or buffer. This error usually happens "
    "in `load_state_dict` when trying to load an uninitialized parameter into an initialized "
    "one. Call `forward` to initialize the parameters before accessing their attributes.")

# What PyTorch lets an uninitialized parameter do (its _allowed_methods; attributes pass too).
_ALLOWED_METHODS = ("__hash__", "size", "copy_", "is_complex", "is_floating_point", "half",
                    "float", "double", "char", "short", "int", "long", "cuda", "cpu", "to",
                    "get_device")
_ALLOWED_ATTRIBUTES = ("data", "ndim", "T", "mT", "H", "mH", "real", "imag", "device",
                       "is_cuda", "is_cpu", "nbytes", "itemsize", "grad", "requires_grad",
                       "is_leaf", "output_nr", "_version")

# How PyTorch names the function it refuses. Operators are reported as the method they call.
_OPERATOR_METHODS = {
    "__add__": "add", "__radd__": "add", "__iadd__": "add_", "__sub__": "sub",
    "__isub__": "sub_", "__mul__": "mul", "__rmul__": "mul", "__imul__": "mul_",
    "__truediv__": "div", "__itruediv__": "div_", "__ifloordiv__": "floor_divide_",
    "__mod__": "remainder", "__imod__": "remainder_", "__matmul__": "matmul",
    "__rand__": "bitwise_and", "__ror__": "bitwise_or", "__rxor__": "bitwise_xor",
    "__ne__": "ne", "__lt__": "lt", "__le__": "le", "__gt__": "gt", "__ge__": "ge",
    "__neg__": "neg", "__pos__": "positive", "__abs__": "abs", "__iter__": "dim",
    "nelement": "numel", "ndimension": "dim",
}
# methods PyTorch writes in Python (printed "<function Tensor.x at 0x...>")
_PYTHON_METHODS = {
    "__rsub__": "__rsub__", "__rtruediv__": "__rdiv__", "__floordiv__": "__floordiv__",
    "__rfloordiv__": "__rfloordiv__", "__rmod__": "__rmod__", "__rpow__": "__rpow__",
    "__rmatmul__": "__rmatmul__", "__rlshift__": "__rlshift__", "__rrshift__": "__rrshift__",
    "__len__": "__len__", "__reversed__": "__reversed__", "__contains__": "__contains__",
    "__array__": "__array__", "__format__": "__format__", "__dir__": "__dir__",
    "backward": "backward", "norm": "norm", "register_hook": "register_hook",
    "register_post_accumulate_grad_hook": "register_post_accumulate_grad_hook",
    "split": "split",
}
_BASE_PYTHON_METHODS = {"__pow__": "pow", "__ipow__": "pow_"}  # "<function TensorBase.pow ...>"
_SLOT_WRAPPERS = ("__getitem__", "__setitem__")
_FORWARD_OPERATORS = ("add__", "sub__", "mul__", "truediv__", "floordiv__", "mod__", "pow__",
                      "matmul__", "and__", "or__", "xor__", "lshift__", "rshift__")
# torch.nn.functional: C functions ("<built-in function linear>"); the rest are Python
_FUNCTIONAL_BUILTINS = ("avg_pool2d", "conv1d", "conv2d", "conv3d", "linear", "one_hot",
                        "relu_", "bilinear", "pad")
# torch.nn.init: the functions that check their argument first; of the others, the tensor
# method they call first is named (the rest read .shape first: its own error)
_INIT_CHECKED = ("uniform_", "normal_", "trunc_normal_", "kaiming_uniform_", "constant_")
_INIT_CALLS = {"zeros_": "zero_", "ones_": "fill_", "eye_": "dim",
               "xavier_uniform_": "dim", "xavier_normal_": "dim", "calculate_gain": "__eq__"}
# Python functions of the torch namespace
_TORCH_PYTHON_FUNCTIONS = ("norm", "split", "is_tensor", "einsum", "broadcast_tensors",
                           "meshgrid", "cdist", "tensordot", "unique", "stft", "istft",
                           "block_diag", "cartesian_prod", "atleast_1d", "atleast_2d",
                           "atleast_3d", "chain_matmul", "lu", "unravel_index")

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# where the functions a user calls on tensors live (torch.*, Tensor methods, F.*, init.*);
# other package code (Module, optimizers) calls them as PyTorch's own Python code does
_NAMESPACE_FILES = ("tensor.py", "__init__.py", "factories.py", "random.py", "ops/",
                    "nn/functional.py", "nn/init.py")
_DATA = Tensor.__dict__["_data"]  # the slot itself, for the placeholder's own reads and writes
_permits = [0]  # > 0 while a method PyTorch allows runs on a placeholder


def _address(obj: Any) -> str:
    return f"0x{id(obj):x}"


def _method_name(name: str) -> str:
    """PyTorch's printed name of the Tensor method ``name``."""
    if name in _PYTHON_METHODS:
        own = getattr(Tensor, name, None)
        return f"<function Tensor.{_PYTHON_METHODS[name]} at {_address(own)}>"
    if name in _BASE_PYTHON_METHODS:
        own = getattr(Tensor, name, None)
        return f"<function TensorBase.{_BASE_PYTHON_METHODS[name]} at {_address(own)}>"
    if name in _SLOT_WRAPPERS:
        return f"<slot wrapper '{name}' of 'torch._C.TensorBase' objects>"
    return f"<method '{_OPERATOR_METHODS.get(name, name)}' of 'torch._C.TensorBase' objects>"


def _function_name(path: str, name: str, function: Any) -> str | None:
    """PyTorch's printed name of the function ``name`` defined in ``path`` (package-relative),
    reached from the torch, torch.nn.functional or torch.nn.init namespace; None for an init
    function that reaches ``.shape`` before any check."""
    where = path.replace(os.sep, "/")
    if where == "nn/init.py":
        if name in _INIT_CALLS:
            return _method_name(_INIT_CALLS[name])
        if name not in _INIT_CHECKED:
            return None
        return f"<function {name} at {_address(function)}>"
    if where == "nn/functional.py":
        if name in _FUNCTIONAL_BUILTINS:
            return f"<built-in function {name}>"
        return f"<function {name} at {_address(function)}>"
    if name in _TORCH_PYTHON_FUNCTIONS:
        return f"<function {name} at {_address(function)}>"
    return f"<built-in method {name} of type object at {_address(Tensor)}>"


def _refused_call(default: str | None = None) -> str | None:
    """The function the user called, named as PyTorch names it: the outermost frame inside
    this package (generic wrappers, whose names say nothing, skipped); ``default`` when the
    user called the refusing method itself."""
    frame: Any = sys._getframe(2)
    found = None
    while frame is not None:
        code = frame.f_code
        path = os.path.abspath(code.co_filename)
        if not path.startswith(_PACKAGE + os.sep):
            break
        where = os.path.relpath(path, _PACKAGE).replace(os.sep, "/")
        if code.co_qualname == "Parameter.__new__":  # Parameter(p) detaches p first
            found = ("tensor.py", "detach", "Tensor.detach", None)
        elif (where.startswith(_NAMESPACE_FILES) and "<locals>" not in code.co_qualname
                and "<lambda>" not in code.co_qualname):
            found = (where, code.co_name, code.co_qualname, frame.f_globals.get(code.co_name))
        frame = frame.f_back
    if found is None:
        return default
    path, name, qualname, function = found
    if qualname.startswith("Tensor."):
        return _method_name(name)
    return _function_name(path, name, function)


def _refusal(self: Any, func: str | None) -> ValueError:
    return ValueError(UNINITIALIZED_ERROR.format(func=func, cls=type(self).__name__))


def _guarded_data(self: "UninitializedTensorMixin") -> np.ndarray:
    if _permits[0]:
        return _DATA.__get__(self, type(self))
    caller = sys._getframe(1).f_code.co_name  # (a read from outside the namespaces)
    raise _refusal(self, _refused_call(default=_method_name(caller)))


def _refusing(name: str) -> Any:
    """A method that refuses at once (before any check of its own), naming itself, or the
    function the user called when that one called it."""
    reflected = name.startswith("__r") and name[3:] in _FORWARD_OPERATORS

    def refuse(self: Any, *args: Any, **kwargs: Any) -> Any:
        shown = name
        if reflected and args and isinstance(args[0], Tensor):
            # tensor @ placeholder: PyTorch runs the tensor's own __matmul__, which refuses
            shown = "__" + name[3:]
        raise _refusal(self, _refused_call(default=_method_name(shown)))
    refuse.__name__ = refuse.__qualname__ = name
    return refuse


def _set_data(self: "UninitializedTensorMixin", value: np.ndarray) -> None:
    _DATA.__set__(self, value)


def _permitted(function: Any) -> Any:
    """``function`` run with the placeholder's array readable."""
    def run(*args: Any, **kwargs: Any) -> Any:
        _permits[0] += 1
        try:
            return function(*args, **kwargs)
        finally:
            _permits[0] -= 1
    run.__name__ = run.__qualname__ = getattr(function, "__name__", "run")
    run.__doc__ = getattr(function, "__doc__", None)
    return run


class UninitializedTensorMixin:
    """What the placeholders share: no shape, a refusing array, ``materialize(shape)`` to become
    ``cls_to_become`` in place."""

    __slots__ = ()  # (a buffer placeholder must keep Tensor's layout to become a Tensor)
    cls_to_become: type = Tensor
    _data = property(_guarded_data, _set_data)
    requires_grad: bool
    dtype: Any
    _vc: list

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    @property
    def shape(self) -> Any:
        func = _refused_call()  # (inside a function PyTorch checks first: its refusal)
        if func is not None:
            raise _refusal(self, func)
        raise RuntimeError(SHAPE_ERROR)

    def __deepcopy__(self, memo: dict) -> Any:
        if id(self) not in memo:
            memo[id(self)] = type(self)(self.requires_grad, dtype=self.dtype)  # type: ignore[call-arg]
        return memo[id(self)]

    def __reduce_ex__(self, proto: Any) -> Any:
        return (type(self), (self.requires_grad,))

    def share_memory_(self) -> Any:
        raise RuntimeError(
            "Can't share memory on an uninitialized parameter or buffer. Call `forward` to "
            "initialize the parameters before calling `module.share_memory()`.")

    def materialize(self, shape: tuple[int, ...] | Any, device: Any = None,
                    dtype: Any = None) -> None:
        """Give the placeholder its shape (in place: it becomes ``cls_to_become``)."""
        if isinstance(shape, int):
            shape = (shape,)
        own = _DATA.__get__(self, type(self))
        chosen = dtype or self.dtype
        np_dtype = chosen.np if isinstance(chosen, dtypes.dtype) else own.dtype
        _DATA.__set__(self, np.empty(tuple(shape), dtype=np_dtype))
        self.dtype = dtypes._FROM_NUMPY[np.dtype(np_dtype)]
        self._vc[0] += 1
        self.__class__ = self.cls_to_become


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter whose shape is not known yet; ``materialize(shape)`` makes it a
    ``Parameter`` of that shape (values uninitialised, to be filled by the module)."""

    cls_to_become = Parameter

    def __new__(cls, requires_grad: bool = True, device: Any = None, dtype: Any = None
                ) -> "UninitializedParameter":
        from ..factories import empty
        p = Parameter.__new__(cls, empty(0, dtype=dtype), requires_grad)
        return p  # type: ignore[return-value]


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer whose shape is not known yet (a lazy batch norm's running statistics);
    ``materialize(shape)`` makes it a plain ``Tensor`` of that shape."""

    __slots__ = ()
    cls_to_become = Tensor

    def __new__(cls, requires_grad: bool = False, device: Any = None, dtype: Any = None,
                persistent: bool = True) -> "UninitializedBuffer":
        from ..factories import empty
        b = object.__new__(cls)
        plain = empty(0, dtype=dtype)
        for slot in Tensor.__slots__:
            if slot not in ("__weakref__", "_data"):
                setattr(b, slot, getattr(plain, slot))
        _DATA.__set__(b, _DATA.__get__(plain, Tensor))
        if requires_grad:
            setattr(b, "requires_grad", True)  # (the property Tensor defines)
        return b

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __deepcopy__(self, memo: dict) -> Any:
        # PyTorch gives only the parameter placeholder a deepcopy of its own: a buffer's is
        # Tensor's, which refuses
        raise _refusal(self, f"<function Tensor.__deepcopy__ at {_address(Tensor.__deepcopy__)}>")


# Tensor methods that keep working: Python's own protocol, and what the placeholder defines
_KEPT = ("__init__", "__new__", "__repr__", "__str__", "__deepcopy__", "__reduce_ex__",
         "__reduce__", "__getstate__", "__setstate__", "__init_subclass__", "__class_getitem__",
         "__sizeof__", "__getattribute__", "__setattr__", "__delattr__", "__subclasshook__",
         "share_memory_")


def _install_refusals() -> None:
    """Every other public Tensor method refuses at once; the allowed ones and the attributes
    run with the array readable."""
    extra = [n for n in (*_OPERATOR_METHODS, *_PYTHON_METHODS, *_SLOT_WRAPPERS)
             if n.endswith("__") and n != "__dir__"]  # (PyTorch's, even where Tensor has none)
    for name, member in [*vars(Tensor).items(), *((n, _refusing) for n in extra)]:
        if (callable(member) and not isinstance(member, (type, staticmethod, classmethod))
                and (not name.startswith("_") or name.endswith("__"))
                and name not in _KEPT and name not in _ALLOWED_METHODS):
            setattr(UninitializedTensorMixin, name, _refusing(name))
    for name in _ALLOWED_METHODS + _ALLOWED_ATTRIBUTES:
        member = Tensor.__dict__.get(name)
        if isinstance(member, property):
            setattr(UninitializedTensorMixin, name, property(
                _permitted(member.fget), None if member.fset is None else
                _permitted(member.fset)))
        elif callable(member):
            setattr(UninitializedTensorMixin, name, _permitted(member))


_install_refusals()


def is_lazy(param: Any) -> bool:
    """Whether ``param`` is a placeholder still waiting for its shape."""
    return isinstance(param, UninitializedTensorMixin)


__all__ = ["UninitializedBuffer", "UninitializedParameter", "UninitializedTensorMixin", "is_lazy"]
