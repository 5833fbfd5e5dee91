"""``Tensor``: a NumPy array with autograd metadata, behaving like ``torch.Tensor``.

The state a tensor carries (its array, dtype, autograd fields, view and hook fields) is listed at
the top of the class, each field a slot. The methods are grouped by family: autograd,
shape and conversion, operators, arithmetic, pointwise math, linear algebra, reductions,
comparisons, views, indexing, in-place changes, new tensors, dtype conversions. Operations live in
``autograd_lab.ops``; the methods here only forward to them.
"""
from __future__ import annotations

import warnings
import weakref
from collections import OrderedDict
from typing import (TYPE_CHECKING, Any, Callable, Iterator, Sequence, SupportsIndex, TypeAlias,
                    overload)

import numpy as np

from . import dtypes
from .autograd import grad_mode
from .autograd.hooks import register_post_accumulate_grad_hook
from .autograd.node import AccumulateGrad, RemovableHandle, _HookDict

_mode = grad_mode.state
_inferring = grad_mode.inferring

if TYPE_CHECKING:
    from .autograd.node import Node
    from .random import Generator

# A Python number where PyTorch accepts a scalar (bool is an int, int a float to the checker;
# all three spelled out for the reader)
Scalar: TypeAlias = "int | float | bool"


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``torch.Size([3, 4])``."""

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    __str__ = __repr__

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        n = 1
        for s in self:
            n *= s
        return n


_LEGACY_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                 "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
                 "bool": "Bool"}


def _legacy_type_name(np_dtype: np.dtype) -> str:
    """``torch.FloatTensor``-style name, as PyTorch's messages spell types."""
    return f"torch.{_LEGACY_NAMES[np.dtype(np_dtype).name]}Tensor"


# the C++ type names PyTorch's messages use for an element type ('float', 'long int')
_CPP_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
                   "int64": "long int", "int32": "int", "int16": "short int",
                   "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


def _scalar_type_name(d: dtypes.dtype) -> str:
    """``Float``, ``Long``...: how PyTorch names a dtype inside error messages."""
    return _LEGACY_NAMES[d.name]


_NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information.")


# PyTorch words the refusal of an integer tensor differently in each place that sets the flag.
_NOT_FLOAT_ATTRIBUTE = "only Tensors of floating point and complex dtype can require gradients"
_NOT_FLOAT_METHOD = "only Tensors of floating point dtype can require gradients"
NOT_FLOAT_FACTORY = "Only Tensors of floating point and complex dtype can require gradients"


_DETACH_VIEW_ERROR = (
    "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel "
    "(DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP "
    "buckets, and hence detach_() cannot be called on these gradients. To fix this error, please "
    "refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")


def _make(data: np.ndarray, grad_fn: Any, output_nr: int = 0) -> "Tensor":
    """Build a tensor around ``data`` (no copy): the hot-path constructor.

    NumPy gives a scalar, not an array, for arithmetic on 0-d arrays; it is turned into a 0-d
    array here, once for every op, so a 0-d tensor has writable memory like any other (in-place
    ops, ``detach()`` sharing it).
    """
    if type(data) is not np.ndarray:
        data = np.asarray(data)
    t = object.__new__(Tensor)
    t._data = data
    t.dtype = dtypes._FROM_NUMPY[data.dtype]
    t.grad_fn = grad_fn
    t._output_nr = output_nr
    t._requires_grad = False
    t._grad = None
    # the version counter: a one-element list (the cheapest mutable cell); in inference mode
    # one that marks an inference tensor
    t._vc = ([0] if not (_inferring and _mode.inference)
             else grad_mode.InferenceVersion((0,)))
    t._retains_grad = False
    t._grad_acc = None
    t._hooks = None
    t._base = None
    t._wrapped_number = False
    # rarely set, often read (AccumulateGrad, every view, every in-place op). Every slot is set
    # here: Tensor has no __getattr__ to fill in unset ones, which would also keep Python from
    # specialising attribute reads on tensors (3.11 specialises only plain attribute lookup)
    t._views = t._view_steps = t._view_meta = t._post_accumulate_grad_hooks = None
    return t


_SCALAR_WARNED: list[bool] = []  # PyTorch gives this warning once per process (TORCH_WARN_ONCE)


def _warn_scalar_conversion() -> None:
    """``float(t)`` of a tensor that requires grad: PyTorch's warning, the first time only."""
    if not _SCALAR_WARNED:
        _SCALAR_WARNED.append(True)
        warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to "
                      "unexpected behavior.\nConsider using tensor.detach() first.", UserWarning,
                      stacklevel=3)


# ``x.T`` on other than 2 dimensions: PyTorch's two deprecation warnings, each once per process
_T_DEPRECATED = {
    "0-d": "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases.",
    "n-d": ("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
            "deprecated and it will throw an error in a future release. Consider `x.mT` to "
            "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` "
            "to reverse the dimensions of a tensor."),
}
_T_WARNED: set[str] = set()


def _warn_T_deprecated(ndim: int) -> None:
    kind = "0-d" if ndim == 0 else "n-d"
    if kind not in _T_WARNED:
        _T_WARNED.add(kind)
        warnings.warn(_T_DEPRECATED[kind], UserWarning, stacklevel=3)


class Tensor:
    """A multi-dimensional array that can record the operations applied to it.

    State of a tensor (every field is a slot: a plain tensor has no instance ``__dict__``):

    * ``_data``: the NumPy array holding the values (views share it with their base);
    * ``dtype``: the element type (``autograd_lab.float32`` ...), kept in step with ``_data``;
    * ``grad_fn`` and ``_output_nr``: the node that made the tensor (None for a leaf) and which
      of that node's outputs it is: together, the edge a consumer's ``next_functions`` holds;
    * ``_requires_grad``: the flag a leaf carries (a non-leaf requires grad through its grad_fn);
    * ``_grad``: the accumulated gradient ``.grad`` reads; ``_retains_grad``: whether a
      non-leaf keeps one (``retain_grad()``);
    * ``_vc``: the version counter, ``[count]``, shared with every tensor sharing the memory
      (views, ``detach()``), bumped by each in-place op;
    * ``_grad_acc``: a weak reference to the leaf's ``AccumulateGrad`` node, while it lives;
    * ``_hooks``: a leaf's gradient hooks (a non-leaf's live on its grad_fn);
      ``_post_accumulate_grad_hooks``: hooks run after ``.grad`` of a leaf was updated;
    * ``_base``: the tensor whose memory this view sees (None when not a view);
      ``_view_steps``: how a floating-point view is cut out of its base again, as
      ``((function, args), ...)``; ``_view_meta``: why an in-place change to the view is
      refused (PyTorch's CreationMeta), or None; ``_views``: on a base, weak references to its
      views (see ``ops.views``);
    * ``_wrapped_number``: True for a Python number an op wrapped into a 0-d tensor.

    The last group (``_post_accumulate_grad_hooks``, ``_view_steps``, ``_view_meta``,
    ``_views``) is None on most tensors.
    """

    _data: np.ndarray
    dtype: dtypes.dtype
    grad_fn: Node | None
    _output_nr: int
    _requires_grad: bool
    _grad: Tensor | None
    _retains_grad: bool
    _vc: list[int]
    _grad_acc: weakref.ref[AccumulateGrad] | None
    _hooks: _HookDict | None
    _post_accumulate_grad_hooks: OrderedDict[int, Callable[..., Any]] | None
    _base: Tensor | None
    _view_steps: tuple[tuple[Callable[..., Any], tuple[Any, ...]], ...] | None
    _view_meta: Any
    _views: list[weakref.ref[Tensor]] | None
    _wrapped_number: bool

    __slots__ = ("_data", "dtype", "grad_fn", "_output_nr", "_requires_grad", "_grad",
                 "_retains_grad", "_vc", "_grad_acc", "_hooks", "_post_accumulate_grad_hooks",
                 "_base", "_view_steps", "_view_meta", "_views", "_wrapped_number",
                 "__weakref__")

    # torch.Tensor(data) / torch.Tensor(2, 3): the legacy constructor, always the default float
    def __new__(cls, *args: Any, **kwargs: Any) -> Tensor:
        from .factories import _legacy_tensor_data
        return _make(_legacy_tensor_data(args), None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    # -- autograd ------------------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        """Whether operations on this tensor are recorded for backward."""
        return self._requires_grad or self.grad_fn is not None

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if value and self.grad_fn is not None:
            # PyTorch accepts requires_grad_(True) on a non-leaf, but not the attribute
            raise RuntimeError("you can only change requires_grad flags of leaf variables.")
        self._set_requires_grad(bool(value), _NOT_FLOAT_ATTRIBUTE)

    def _set_requires_grad(self, value: bool, not_float_message: str) -> None:
        if self.grad_fn is not None:
            if value:
                return
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if value and not self.dtype.is_floating_point:
            raise RuntimeError(not_float_message)
        if value and type(self._vc) is not list and not grad_mode.is_inference_mode_enabled():
            raise RuntimeError(grad_mode.INFERENCE_REQUIRES_GRAD_ERROR)
        self._requires_grad = value

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place (leaves only) and return self."""
        self._set_requires_grad(bool(requires_grad), _NOT_FLOAT_METHOD)
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user (not by a recorded op): their grad is kept."""
        return self.grad_fn is None

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by backward (leaves, and non-leaves that retain it)."""
        if self.grad_fn is not None and not self._retains_grad:
            warnings.warn(_NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}")
            if value.dtype is not self.dtype:
                given = _CPP_TYPE_NAMES[value.dtype.name]
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{given}' to a tensor with "
                    f"grad_dtype '{_scalar_type_name(self.dtype)}'. The gradient "
                    "must match the tensor's grad_dtype (defaults to the tensor's dtype). You can "
                    "set the tensor's grad_dtype attribute with a specific dtype, or None to allow "
                    "any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and "
                    "its gradient may break downstream systems that assume they match.")
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value._data.shape)}' to a "
                    f"tensor of size '{list(self._data.shape)}'. Please ensure that the gradient "
                    "and the tensor are the same size")
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def output_nr(self) -> int:
        """Which output of its ``grad_fn`` this tensor is (0 for a leaf)."""
        return self._output_nr

    @property
    def _version(self) -> int:
        """How many in-place operations modified this tensor's memory."""
        if type(self._vc) is not list:
            raise RuntimeError(grad_mode.INFERENCE_VERSION_ERROR)
        return self._vc[0]

    @property
    def retains_grad(self) -> bool:
        """True for a non-leaf whose ``.grad`` is kept (``retain_grad()`` was called)."""
        return self._retains_grad

    def _grad_accumulator(self) -> AccumulateGrad | None:
        """The AccumulateGrad node of a leaf that requires grad (one per leaf while alive)."""
        if not self._requires_grad or self.grad_fn is not None:
            return None
        acc = self._grad_acc() if self._grad_acc is not None else None
        if acc is None:
            acc = AccumulateGrad(self)
            # weak: the graph owns the node, the leaf only finds it again while it lives
            self._grad_acc = weakref.ref(acc)
        return acc

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf after backward (leaves keep theirs anyway)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        self.grad_fn._set_retain_grad(self._output_nr, self)
        self._retains_grad = True

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned tensor
        replaces the gradient. Returns a handle whose ``remove()`` unregisters it."""
        if not self.requires_grad:
            raise RuntimeError(
                "cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            return self.grad_fn._register_tensor_hook(self._output_nr, hook)
        if self._hooks is None:
            self._hooks = _HookDict()
        handle = RemovableHandle(self._hooks)
        self._hooks[handle.id] = hook
        return handle

    def register_post_accumulate_grad_hook(self, hook: Callable[[Tensor], None]
                                           ) -> RemovableHandle:
        """Call ``hook(self)`` after a backward pass accumulated into this leaf's ``.grad``."""
        return register_post_accumulate_grad_hook(self, hook)

    def backward(self, gradient: Tensor | None = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Sequence[Tensor] | Tensor | None = None
                 ) -> None:
        """Compute the gradient of this tensor w.r.t. graph leaves, accumulated into ``.grad``.

        >>> x = tensor([2.], requires_grad=True)
        >>> (x * x).backward(); x.grad
        tensor([4.])
        """
        _autograd_api.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """A tensor sharing this one's memory (and version counter) but no history."""
        t = _make(self._data, None)
        t._vc = self._vc
        return t

    def detach_(self) -> Tensor:
        """Cut this tensor from its history in place: it becomes a leaf."""
        if self._base is not None:
            raise RuntimeError(_DETACH_VIEW_ERROR)
        self.grad_fn = None
        self._output_nr = 0
        self._requires_grad = False
        return self

    @property
    def data(self) -> Tensor:
        """The same memory without history, and with a version counter of its own: unlike
        ``detach()``, changes made through it are not seen by autograd."""
        t = _make(self._data, None)
        if type(self._vc) is not list:  # the data of an inference tensor is one too
            t._vc = grad_mode.InferenceVersion((0,))
        return t

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        if self.requires_grad and not value.dtype.is_floating_point:
            raise RuntimeError("data set to a tensor that requires gradients must be floating "
                               "point or complex dtype")
        if value.dtype is not self.dtype:
            self._grad_acc = None  # PyTorch resets the grad accumulator on a type change
        self._data = value._data
        self.dtype = value.dtype

    # -- shape, size and where the tensor lives --------------------------------------------------
    @property
    def shape(self) -> Size:
        """The size of each dimension, as a ``torch.Size``."""
        return Size(self._data.shape)

    @overload
    def size(self, dim: None = None) -> Size: ...
    @overload
    def size(self, dim: int) -> int: ...

    def size(self, dim: int | None = None) -> Size | int:
        """The shape (a ``torch.Size``), or the length of dimension ``dim``."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[self._wrap_dim(dim)]

    def dim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    ndim = property(dim)

    def ndimension(self) -> int:
        """The number of dimensions (an old name of ``dim()``)."""
        return self._data.ndim

    def numel(self) -> int:
        """The number of elements."""
        return self._data.size

    nelement = numel

    def element_size(self) -> int:
        """The size of one element in bytes."""
        return self._data.itemsize

    def is_floating_point(self) -> bool:
        """True when the dtype is a floating-point type."""
        return self.dtype.is_floating_point

    def is_contiguous(self) -> bool:
        """True when the elements lie in memory in row-major order."""
        return bool(self._data.flags.c_contiguous)

    def contiguous(self) -> Tensor:
        """self if its memory is in row-major order, else a row-major copy (CloneBackward0)."""
        return self if self._data.flags.c_contiguous else _ops.clone(self)

    @property
    def device(self) -> _factories.device:
        """Where the tensor lives: always the CPU here."""
        return _factories.device("cpu")

    @property
    def is_cuda(self) -> bool:
        """False: autograd_lab runs on the CPU only."""
        return False

    def cpu(self) -> Tensor:
        """self: every tensor is on the CPU already."""
        return self

    def _wrap_dim(self, dim: int) -> int:
        n = max(self._data.ndim, 1)
        if not -n <= dim < n:
            raise IndexError(f"Dimension out of range (expected to be in range of "
                             f"[{-n}, {n - 1}], but got {dim})")
        return dim + n if dim < 0 else dim

    # -- conversion to Python and NumPy ----------------------------------------------------------
    def item(self) -> Any:
        """The single value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted "
                               "to Scalar")
        return self._data.reshape(()).item()

    def tolist(self) -> Any:
        """The values as (nested) Python lists of numbers; a 0-d tensor gives a number."""
        return self._data.tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The underlying array (shared memory). Refuses tensors that require grad."""
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(_ops.unbind(self, 0))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()))

    def __float__(self) -> float:
        if self.requires_grad:
            _warn_scalar_conversion()
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self.item())

    def __hash__(self) -> int:
        return id(self)

    def __format__(self, spec: str) -> str:
        # f"{t}" of a 0-d tensor formats its number, as in PyTorch
        if self._data.ndim == 0 and type(self) is Tensor:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __repr__(self) -> str:
        from .printing import tensor_repr
        return tensor_repr(self)

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        from .factories import tensor
        return (tensor, (self._data.tolist(),), None)

    def __deepcopy__(self, memo: dict[int, Any]) -> Tensor:
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                               "support the deepcopy protocol at the moment.  If you were "
                               "attempting to deepcopy a module, this may be because of a "
                               "torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        t = _make(self._data.copy(), None)
        t._requires_grad = self._requires_grad
        if type(self) is not Tensor:
            t = type(self)(t, self._requires_grad)
        memo[id(self)] = t
        return t

    # -- arithmetic operators (x + y, 2 * x, x @ w, ...): see autograd_lab.ops -------------------
    def __add__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.add(self, other)

    def __radd__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.add(self, other)

    def __iadd__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.add_(self, other)

    def __sub__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.sub(self, other)

    def __rsub__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.rsub(self, other)

    def __isub__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.sub_(self, other)

    def __mul__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.mul(self, other)

    def __rmul__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.mul(self, other)

    def __imul__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.mul_(self, other)

    def __truediv__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.div(self, other)

    def __rtruediv__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.mul(_ops.reciprocal(self), other)

    def __itruediv__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.div_(self, other)

    def __mod__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.remainder_ops.mod(self, other)

    def __rmod__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.remainder_ops.rmod(self, other)

    def __imod__(self, other: Tensor | Scalar) -> Tensor:
        return _ops.remainder_ops.imod(self, other)

    def __pow__(self, exponent: Tensor | Scalar) -> Tensor:
        return _ops.pow(self, exponent)

    def __rpow__(self, base: Tensor | Scalar) -> Tensor:
        return _ops.pow(base, self)

    def __ipow__(self, exponent: Tensor | Scalar) -> Tensor:
        return _ops.pow_(self, exponent)

    def __neg__(self) -> Tensor:
        return _ops.neg(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return _ops.abs(self)

    def __matmul__(self, other: Tensor) -> Tensor:
        return _ops.matmul(self, other)

    # -- comparison and logical operators (elementwise, giving bool tensors) ---------------------
    # object's __eq__/__ne__ return bool; a tensor's return a tensor, as in PyTorch
    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _ops.eq(self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _ops.ne(self, other)

    def __lt__(self, other: Any) -> Tensor:
        return _ops.lt(self, other)

    def __le__(self, other: Any) -> Tensor:
        return _ops.le(self, other)

    def __gt__(self, other: Any) -> Tensor:
        return _ops.gt(self, other)

    def __ge__(self, other: Any) -> Tensor:
        return _ops.ge(self, other)

    def __invert__(self) -> Tensor:
        return _ops.logical_not(self)

    def __and__(self, other: Any) -> Tensor:
        return _ops.logical_and(self, other)

    def __or__(self, other: Any) -> Tensor:
        return _ops.logical_or(self, other)

    # -- arithmetic methods --------------------------------------------------------------------
    def add(self, other: Tensor | Scalar, *, alpha: Scalar = 1) -> Tensor:
        """``self + alpha * other``."""
        return _ops.add(self, other, alpha=alpha)

    def sub(self, other: Tensor | Scalar, *, alpha: Scalar = 1) -> Tensor:
        """``self - alpha * other``."""
        return _ops.sub(self, other, alpha=alpha)

    def mul(self, other: Tensor | Scalar) -> Tensor:
        """``self * other``, elementwise with broadcasting."""
        return _ops.mul(self, other)

    def div(self, other: Tensor | Scalar) -> Tensor:
        """``self / other`` (true division), elementwise with broadcasting."""
        return _ops.div(self, other)

    def pow(self, exponent: Tensor | Scalar) -> Tensor:
        """``self ** exponent``, elementwise."""
        return _ops.pow(self, exponent)

    def remainder(self, *args: Any, **kwargs: Any) -> Tensor:
        """``self % other``: the remainder with the sign of the divisor (Python's ``%``)."""
        return _ops.remainder_ops.remainder_method(self, *args, **kwargs)

    def neg(self) -> Tensor:
        """``-self``."""
        return _ops.neg(self)

    negative = neg

    def reciprocal(self) -> Tensor:
        """``1 / self``, elementwise."""
        return _ops.reciprocal(self)

    def abs(self) -> Tensor:
        """``|self|``, elementwise."""
        return _ops.abs(self)

    def sign(self) -> Tensor:
        """-1, 0 or 1 by the sign of each element."""
        return _ops.sign(self)

    def sgn(self) -> Tensor:
        """The sign of each element (equal to ``sign()`` for real numbers)."""
        return _ops.sgn(self)

    def maximum(self, other: Tensor) -> Tensor:
        """The larger of ``self`` and ``other`` at each element (NaN wins)."""
        return _ops.maximum(self, other)

    def minimum(self, other: Tensor) -> Tensor:
        """The smaller of ``self`` and ``other`` at each element (NaN wins)."""
        return _ops.minimum(self, other)

    def clamp(self, min: Tensor | Scalar | None = None, max: Tensor | Scalar | None = None
              ) -> Tensor:
        """Each element limited to ``[min, max]`` (either bound may be None)."""
        return _ops.clamp(self, min, max)

    clip = clamp

    def clamp_min(self, min: Tensor | Scalar) -> Tensor:
        """Each element raised to at least ``min``."""
        return _ops.clamp_min(self, min)

    def clamp_max(self, max: Tensor | Scalar) -> Tensor:
        """Each element lowered to at most ``max``."""
        return _ops.clamp_max(self, max)

    # -- pointwise math --------------------------------------------------------------------------
    def exp(self) -> Tensor:
        """``e ** self``, elementwise."""
        return _ops.exp(self)

    def log(self) -> Tensor:
        """The natural logarithm, elementwise."""
        return _ops.log(self)

    def log1p(self) -> Tensor:
        """``log(1 + self)``, accurate for small values."""
        return _ops.log1p(self)

    def expm1(self) -> Tensor:
        """``exp(self) - 1``, accurate for small values."""
        return _ops.expm1(self)

    def sqrt(self) -> Tensor:
        """The square root, elementwise."""
        return _ops.sqrt(self)

    def square(self) -> Tensor:
        """``self * self``, elementwise."""
        return _ops.square(self)

    def sin(self) -> Tensor:
        """The sine, elementwise (radians)."""
        return _ops.sin(self)

    def cos(self) -> Tensor:
        """The cosine, elementwise (radians)."""
        return _ops.cos(self)

    def floor(self) -> Tensor:
        """The largest integer value not above each element."""
        return _ops.floor(self)

    def ceil(self) -> Tensor:
        """The smallest integer value not below each element."""
        return _ops.ceil(self)

    def round(self, *, decimals: int = 0) -> Tensor:
        """Each element rounded to ``decimals`` places (halves to even)."""
        return _ops.round(self, decimals=decimals)

    def trunc(self) -> Tensor:
        """Each element with its fractional part dropped (rounded toward zero)."""
        return _ops.trunc(self)

    def sigmoid(self) -> Tensor:
        """``1 / (1 + exp(-self))``, elementwise."""
        return _ops.sigmoid(self)

    def tanh(self) -> Tensor:
        """The hyperbolic tangent, elementwise."""
        return _ops.tanh(self)

    def relu(self) -> Tensor:
        """``max(self, 0)``, elementwise."""
        return _ops.relu(self)

    # -- linear algebra --------------------------------------------------------------------------
    def matmul(self, other: Tensor) -> Tensor:
        """The matrix product ``self @ other`` (vectors, matrices and batches, broadcast)."""
        return _ops.matmul(self, other)

    def mm(self, mat2: Tensor) -> Tensor:
        """The product of two matrices."""
        return _ops.mm(self, mat2)

    def mv(self, vec: Tensor) -> Tensor:
        """The product of a matrix and a vector."""
        return _ops.mv(self, vec)

    def bmm(self, mat2: Tensor) -> Tensor:
        """The products of two batches of matrices, matrix by matrix."""
        return _ops.bmm(self, mat2)

    def dot(self, other: Tensor) -> Tensor:
        """The dot product of two 1-d tensors."""
        return _ops.dot(self, other)

    def outer(self, vec2: Tensor) -> Tensor:
        """The outer product of two vectors."""
        return _ops.outer(self, vec2)

    def addmm(self, mat1: Tensor, mat2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1
              ) -> Tensor:
        """``beta * self + alpha * (mat1 @ mat2)``."""
        return _ops.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    # -- reductions and normalisations -----------------------------------------------------------
    def sum(self, dim: int | Sequence[int] | None = None, keepdim: bool = False, *,
            dtype: dtypes.dtype | None = None) -> Tensor:
        """The sum of all elements, or over the dimension(s) ``dim``."""
        return _ops.sum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim: int | Sequence[int] | None = None, keepdim: bool = False, *,
             dtype: dtypes.dtype | None = None) -> Tensor:
        """The mean of all elements, or over the dimension(s) ``dim``."""
        return _ops.mean(self, dim, keepdim, dtype=dtype)

    def prod(self, dim: int | None = None, keepdim: bool = False, *,
             dtype: dtypes.dtype | None = None) -> Tensor:
        """The product of all elements, or along dimension ``dim``."""
        return _ops.prod(self, dim, keepdim, dtype=dtype)

    def max(self, dim: Tensor | int | None = None, keepdim: bool = False
            ) -> Tensor | tuple[Tensor, Tensor]:
        """The largest element; along ``dim``, ``(values, indices)``; with a tensor, the
        elementwise maximum."""
        return _ops.max(self, dim, keepdim)

    def min(self, dim: Tensor | int | None = None, keepdim: bool = False
            ) -> Tensor | tuple[Tensor, Tensor]:
        """The smallest element; along ``dim``, ``(values, indices)``; with a tensor, the
        elementwise minimum."""
        return _ops.min(self, dim, keepdim)

    def amax(self, dim: int | Sequence[int] = (), keepdim: bool = False) -> Tensor:
        """The largest values over the dimension(s) ``dim`` (all when empty)."""
        return _ops.amax(self, dim, keepdim)

    def amin(self, dim: int | Sequence[int] = (), keepdim: bool = False) -> Tensor:
        """The smallest values over the dimension(s) ``dim`` (all when empty)."""
        return _ops.amin(self, dim, keepdim)

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The index of the largest element (of the flattened tensor, or along ``dim``)."""
        return _ops.argmax(self, dim, keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The index of the smallest element (of the flattened tensor, or along ``dim``)."""
        return _ops.argmin(self, dim, keepdim)

    def var(self, dim: int | Sequence[int] | bool | None = None, unbiased: bool | None = None,
            keepdim: bool = False, *, correction: Scalar | None = None) -> Tensor:
        """The variance (Bessel-corrected unless told otherwise), of all or over ``dim``."""
        return _ops.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim: int | Sequence[int] | bool | None = None, unbiased: bool | None = None,
            keepdim: bool = False, *, correction: Scalar | None = None) -> Tensor:
        """The standard deviation (Bessel-corrected unless told otherwise)."""
        return _ops.std(self, dim, unbiased, keepdim, correction=correction)

    def norm(self, p: Scalar | str = "fro", dim: int | Sequence[int] | None = None,
             keepdim: bool = False) -> Tensor:
        """The p-norm (Frobenius by default) of all elements or over ``dim``."""
        return _ops.norm(self, p, dim, keepdim)

    def all(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """True where every element is nonzero (of all, or along ``dim``)."""
        return _ops.all(self, dim, keepdim)

    def any(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """True where some element is nonzero (of all, or along ``dim``)."""
        return _ops.any(self, dim, keepdim)

    def logsumexp(self, dim: int | Sequence[int], keepdim: bool = False) -> Tensor:
        """``log(sum(exp(self)))`` over ``dim``, computed without overflow."""
        return _ops.logsumexp(self, dim, keepdim)

    def softmax(self, dim: int, dtype: dtypes.dtype | None = None) -> Tensor:
        """``exp(self)`` normalised to sum to 1 along ``dim``."""
        return _ops.softmax(self, dim, dtype)

    def log_softmax(self, dim: int, dtype: dtypes.dtype | None = None) -> Tensor:
        """The logarithm of ``softmax(dim)``, computed stably."""
        return _ops.log_softmax(self, dim, dtype)

    def cumsum(self, dim: int, *, dtype: dtypes.dtype | None = None) -> Tensor:
        """Running sums along ``dim``."""
        return _ops.cumsum(self, dim, dtype=dtype)

    def cumprod(self, dim: int, *, dtype: dtypes.dtype | None = None) -> Tensor:
        """Running products along ``dim``."""
        return _ops.cumprod(self, dim, dtype=dtype)

    # -- comparisons -----------------------------------------------------------------------------
    def eq(self, other: Tensor | Scalar) -> Tensor:
        """``self == other``, elementwise (a bool tensor)."""
        return _ops.eq(self, other)

    def ne(self, other: Tensor | Scalar) -> Tensor:
        """``self != other``, elementwise (a bool tensor)."""
        return _ops.ne(self, other)

    def lt(self, other: Tensor | Scalar) -> Tensor:
        """``self < other``, elementwise (a bool tensor)."""
        return _ops.lt(self, other)

    def le(self, other: Tensor | Scalar) -> Tensor:
        """``self <= other``, elementwise (a bool tensor)."""
        return _ops.le(self, other)

    def gt(self, other: Tensor | Scalar) -> Tensor:
        """``self > other``, elementwise (a bool tensor)."""
        return _ops.gt(self, other)

    def ge(self, other: Tensor | Scalar) -> Tensor:
        """``self >= other``, elementwise (a bool tensor)."""
        return _ops.ge(self, other)

    def isclose(self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
                equal_nan: bool = False) -> Tensor:
        """Where ``|self - other| <= atol + rtol * |other|``, elementwise."""
        return _ops.isclose(self, other, rtol, atol, equal_nan)

    def allclose(self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
                 equal_nan: bool = False) -> bool:
        """True when every element is close to ``other``'s (see ``isclose``)."""
        return _ops.allclose(self, other, rtol, atol, equal_nan)

    def equal(self, other: Tensor) -> bool:
        """True when both have the same shape and the same elements."""
        return _ops.equal(self, other)

    # -- shape: views and copies -----------------------------------------------------------------
    def view(self, *shape: Any) -> Tensor:
        """The same memory seen with another shape (one size may be -1); never copies."""
        return _ops.view(self, *shape)

    def view_as(self, other: Tensor) -> Tensor:
        """``self.view(other.shape)``."""
        return _ops.view_as(self, other)

    def reshape(self, *shape: Any) -> Tensor:
        """The elements with another shape: a view when possible, else a copy."""
        return _ops.reshape(self, *shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        """``self.reshape(other.shape)``."""
        return _ops.reshape_as(self, other)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Dimensions ``start_dim`` to ``end_dim`` merged into one."""
        return _ops.flatten(self, start_dim, end_dim)

    def unsqueeze(self, dim: int) -> Tensor:
        """A view with a new dimension of size 1 at ``dim``."""
        return _ops.unsqueeze(self, dim)

    def squeeze(self, dim: int | None = None) -> Tensor:
        """A view without dimensions of size 1 (all of them, or ``dim`` only)."""
        return _ops.squeeze(self, dim)

    def expand(self, *sizes: Any) -> Tensor:
        """A view repeating size-1 dimensions to ``sizes`` (-1 keeps a size); no copy."""
        return _ops.expand(self, *sizes)

    def expand_as(self, other: Tensor) -> Tensor:
        """``self.expand(other.shape)``."""
        return _ops.expand_as(self, other)

    def repeat(self, *repeats: Any) -> Tensor:
        """A copy tiled ``repeats[i]`` times along each dimension."""
        return _ops.repeat(self, *repeats)

    def repeat_interleave(self, repeats: Any, dim: int | None = None, *,
                          output_size: int | None = None) -> Tensor:
        """Each element (slice along ``dim``) repeated ``repeats`` times, in place: [a, a, b, b]."""
        return _ops.repeat_interleave(self, repeats, dim, output_size=output_size)

    def t(self) -> Tensor:
        """The transpose of a matrix (a 0-d or 1-d tensor as it is), as a view."""
        return _ops.t(self)

    @property
    def T(self) -> Tensor:
        """A view with the order of all dimensions reversed (deprecated by PyTorch except on
        matrices: use ``x.mT`` or ``x.permute``)."""
        ndim = self._data.ndim
        if ndim != 2:
            _warn_T_deprecated(ndim)
        return _ops.permute(self, tuple(reversed(range(ndim))))

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """A view with dimensions ``dim0`` and ``dim1`` swapped."""
        return _ops.transpose(self, dim0, dim1)

    def permute(self, *dims: Any) -> Tensor:
        """A view with the dimensions in the order ``dims``."""
        return _ops.permute(self, _ops.shape._sizes_arg(dims))

    def flip(self, *dims: Any) -> Tensor:
        """A copy with the order of elements reversed along ``dims``."""
        return _ops.flip(self, _ops.shape._sizes_arg(dims))

    def clone(self) -> Tensor:
        """A copy with its own memory, recorded (its gradient flows back to self)."""
        return _ops.clone(self)

    # -- indexing, selecting and splitting -------------------------------------------------------
    def __getitem__(self, index: Any) -> Tensor:
        return _ops.getitem(self, index)

    def __setitem__(self, index: Any, value: Any) -> None:
        _ops.setitem(self, index, value)

    def __delitem__(self, index: Any) -> None:
        _ops.delitem(self, index)

    def select(self, dim: int, index: int) -> Tensor:
        """A view of the slice at ``index`` along ``dim`` (that dimension removed)."""
        return _ops.select(self, dim, index)

    def narrow(self, dim: int, start: int | Tensor, length: int) -> Tensor:
        """A view of ``length`` elements from ``start`` along ``dim``."""
        return _ops.narrow(self, dim, start, length)

    def unbind(self, dim: int = 0) -> tuple[Tensor, ...]:
        """The slices along ``dim``, as a tuple of views."""
        return _ops.unbind(self, dim)

    def split(self, split_size: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
        """Views of pieces of ``split_size`` elements (or of the given sizes) along ``dim``."""
        return _ops.split(self, split_size, dim)

    def split_with_sizes(self, split_sizes: Sequence[int], dim: int = 0
                         ) -> tuple[Tensor, ...]:
        """Views of pieces of the given sizes along ``dim``."""
        return _ops.split_with_sizes(self, split_sizes, dim)

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """Views of (at most) ``chunks`` nearly equal pieces along ``dim``."""
        return _ops.chunk(self, chunks, dim)

    def index_select(self, dim: int, index: Tensor) -> Tensor:
        """The slices at the positions in ``index`` along ``dim`` (a copy)."""
        return _ops.index_select(self, dim, index)

    def gather(self, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
        """``out[i][j] = self[index[i][j]][j]`` for ``dim=0`` (and alike for other dims)."""
        return _ops.gather(self, dim, index)

    def take_along_dim(self, indices: Tensor, dim: int | None = None) -> Tensor:
        """The elements at ``indices`` along ``dim`` (of the flattened tensor when None)."""
        return _ops.take_along_dim(self, indices, dim)

    def masked_select(self, mask: Tensor) -> Tensor:
        """The elements where ``mask`` is True, as a 1-d tensor."""
        return _ops.masked_select(self, mask)

    def masked_fill(self, mask: Tensor, value: Tensor | Scalar) -> Tensor:
        """A copy with ``value`` where ``mask`` is True."""
        return _ops.masked_fill(self, mask, value)

    def masked_scatter(self, mask: Tensor, source: Tensor) -> Tensor:
        """A copy with ``source``'s elements, in order, where ``mask`` is True."""
        return _ops.masked_scatter(self, mask, source)

    def index_add(self, dim: int, index: Tensor, source: Tensor, *, alpha: Scalar = 1
                  ) -> Tensor:
        """A copy with ``alpha * source``'s slices added at the positions ``index`` along
        ``dim``."""
        return _ops.index_add(self, dim, index, source, alpha=alpha)

    def index_put(self, indices: Sequence[Tensor | None], values: Tensor | Scalar,
                  accumulate: bool = False) -> Tensor:
        """A copy with ``values`` written (or added) at ``self[indices]``."""
        return _ops.index_put(self, indices, values, accumulate)

    def scatter(self, dim: int, index: Tensor, src: Tensor | Scalar | None = None, *,
                value: Scalar | None = None, reduce: str | None = None) -> Tensor:
        """A copy with ``src`` (or ``value``) written at the positions ``index`` along
        ``dim``."""
        return _ops.scatter(self, dim, index, src, value=value, reduce=reduce)

    def scatter_add(self, dim: int, index: Tensor, src: Tensor) -> Tensor:
        """A copy with ``src`` added at the positions ``index`` along ``dim``."""
        return _ops.scatter_add(self, dim, index, src)

    # -- in place (each changes self, bumps its version and returns it) --------------------------
    def add_(self, other: Tensor | Scalar, *, alpha: Scalar = 1) -> Tensor:
        """In place: ``self += alpha * other``."""
        return _ops.add_(self, other, alpha=alpha)

    def sub_(self, other: Tensor | Scalar, *, alpha: Scalar = 1) -> Tensor:
        """In place: ``self -= alpha * other``."""
        return _ops.sub_(self, other, alpha=alpha)

    def mul_(self, other: Tensor | Scalar) -> Tensor:
        """In place: ``self *= other``."""
        return _ops.mul_(self, other)

    def div_(self, other: Tensor | Scalar) -> Tensor:
        """In place: ``self /= other``."""
        return _ops.div_(self, other)

    def pow_(self, exponent: Tensor | Scalar) -> Tensor:
        """In place: ``self **= exponent``."""
        return _ops.pow_(self, exponent)

    def remainder_(self, *args: Any, **kwargs: Any) -> Tensor:
        """In place: ``self %= other``."""
        return _ops.remainder_(self, *args, **kwargs)

    def neg_(self) -> Tensor:
        """In place: ``self = -self``."""
        return _ops.neg_(self)

    negative_ = neg_

    def reciprocal_(self) -> Tensor:
        """In place: ``self = 1 / self``."""
        return _ops.reciprocal_(self)

    def abs_(self) -> Tensor:
        """In place: ``self = |self|``."""
        return _ops.abs_(self)

    def sign_(self) -> Tensor:
        """In place: each element replaced by its sign."""
        return _ops.sign_(self)

    def sgn_(self) -> Tensor:
        """In place: each element replaced by its sign."""
        return _ops.sgn_(self)

    def exp_(self) -> Tensor:
        """In place: ``self = exp(self)``."""
        return _ops.exp_(self)

    def log_(self) -> Tensor:
        """In place: ``self = log(self)``."""
        return _ops.log_(self)

    def log1p_(self) -> Tensor:
        """In place: ``self = log(1 + self)``."""
        return _ops.log1p_(self)

    def expm1_(self) -> Tensor:
        """In place: ``self = exp(self) - 1``."""
        return _ops.expm1_(self)

    def sqrt_(self) -> Tensor:
        """In place: ``self = sqrt(self)``."""
        return _ops.sqrt_(self)

    def square_(self) -> Tensor:
        """In place: ``self = self * self``."""
        return _ops.square_(self)

    def sin_(self) -> Tensor:
        """In place: ``self = sin(self)``."""
        return _ops.sin_(self)

    def cos_(self) -> Tensor:
        """In place: ``self = cos(self)``."""
        return _ops.cos_(self)

    def floor_(self) -> Tensor:
        """In place: each element rounded down."""
        return _ops.floor_(self)

    def ceil_(self) -> Tensor:
        """In place: each element rounded up."""
        return _ops.ceil_(self)

    def round_(self, *, decimals: int = 0) -> Tensor:
        """In place: each element rounded to ``decimals`` places (halves to even)."""
        return _ops.round_(self, decimals=decimals)

    def trunc_(self) -> Tensor:
        """In place: each element rounded toward zero."""
        return _ops.trunc_(self)

    def sigmoid_(self) -> Tensor:
        """In place: ``self = sigmoid(self)``."""
        return _ops.sigmoid_(self)

    def tanh_(self) -> Tensor:
        """In place: ``self = tanh(self)``."""
        return _ops.tanh_(self)

    def relu_(self) -> Tensor:
        """In place: negative elements set to 0."""
        return _ops.relu_(self)

    def clamp_(self, min: Tensor | Scalar | None = None, max: Tensor | Scalar | None = None
               ) -> Tensor:
        """In place: each element limited to ``[min, max]``."""
        return _ops.clamp_(self, min, max)

    clip_ = clamp_

    def clamp_min_(self, min: Tensor | Scalar) -> Tensor:
        """In place: each element raised to at least ``min``."""
        return _ops.clamp_min_(self, min)

    def clamp_max_(self, max: Tensor | Scalar) -> Tensor:
        """In place: each element lowered to at most ``max``."""
        return _ops.clamp_max_(self, max)

    def squeeze_(self, dim: int) -> Tensor:
        """In place: dimension ``dim`` removed if its size is 1."""
        return _ops.squeeze_(self, dim)

    def zero_(self) -> Tensor:
        """In place: every element set to 0."""
        return _ops.zero_(self)

    def fill_(self, value: Tensor | Scalar) -> Tensor:
        """In place: every element set to ``value``."""
        return _ops.fill_(self, value)

    def copy_(self, src: Tensor | Scalar) -> Tensor:
        """In place: the elements of ``src`` (broadcast and cast) copied into self."""
        return _ops.copy_(self, src)

    def masked_fill_(self, mask: Tensor, value: Tensor | Scalar) -> Tensor:
        """In place: ``value`` written where ``mask`` is True."""
        return _ops.masked_fill_(self, mask, value)

    def masked_scatter_(self, mask: Tensor, source: Tensor) -> Tensor:
        """In place: ``source``'s elements, in order, written where ``mask`` is True."""
        return _ops.masked_scatter_(self, mask, source)

    def index_add_(self, dim: int, index: Tensor, source: Tensor, *, alpha: Scalar = 1
                   ) -> Tensor:
        """In place: ``alpha * source``'s slices added at the positions ``index``."""
        return _ops.index_add_(self, dim, index, source, alpha=alpha)

    def index_put_(self, indices: Sequence[Tensor | None], values: Tensor | Scalar,
                   accumulate: bool = False) -> Tensor:
        """In place: ``values`` written (or added) at ``self[indices]``."""
        return _ops.index_put_(self, indices, values, accumulate)

    def scatter_(self, dim: int, index: Tensor, src: Tensor | Scalar | None = None, *,
                 value: Scalar | None = None, reduce: str | None = None) -> Tensor:
        """In place: ``src`` (or ``value``) written at the positions ``index`` along ``dim``."""
        return _ops.scatter_(self, dim, index, src, value=value, reduce=reduce)

    def scatter_add_(self, dim: int, index: Tensor, src: Tensor) -> Tensor:
        """In place: ``src`` added at the positions ``index`` along ``dim``."""
        return _ops.scatter_add_(self, dim, index, src)

    def normal_(self, mean: float = 0.0, std: float = 1.0, *,
                generator: Generator | None = None) -> Tensor:
        """In place: filled with samples of a normal distribution."""
        return _ops.normal_(self, mean, std, generator=generator)

    def uniform_(self, a: float = 0.0, b: float = 1.0, *,
                 generator: Generator | None = None) -> Tensor:
        """In place: filled with samples uniform in ``[a, b)``."""
        return _ops.uniform_(self, a, b, generator=generator)

    # -- new tensors like this one (same dtype unless told otherwise) ----------------------------
    def new_zeros(self, *size: Any, dtype: dtypes.dtype | None = None,
                  requires_grad: bool = False, **kw: Any) -> Tensor:
        """A tensor of zeros of the given size."""
        return _ops.new_full(self, size, 0, dtype=dtype, requires_grad=requires_grad)

    def new_ones(self, *size: Any, dtype: dtypes.dtype | None = None,
                 requires_grad: bool = False, **kw: Any) -> Tensor:
        """A tensor of ones of the given size."""
        return _ops.new_full(self, size, 1, dtype=dtype, requires_grad=requires_grad)

    def new_empty(self, *size: Any, dtype: dtypes.dtype | None = None,
                  requires_grad: bool = False, **kw: Any) -> Tensor:
        """A tensor of the given size (filled with zeros here, so outputs are reproducible)."""
        return _ops.new_full(self, size, 0, dtype=dtype, requires_grad=requires_grad)

    def new_full(self, size: Sequence[int], fill_value: Scalar, *,
                 dtype: dtypes.dtype | None = None, requires_grad: bool = False,
                 **kw: Any) -> Tensor:
        """A tensor of the given size filled with ``fill_value``."""
        return _ops.new_full(self, (size,), fill_value, dtype=dtype, requires_grad=requires_grad)

    def new_tensor(self, data: Any, *, dtype: dtypes.dtype | None = None,
                   requires_grad: bool = False, **kw: Any) -> Tensor:
        """A new leaf tensor holding a copy of ``data``."""
        return _ops.new_tensor(self, data, dtype=dtype, requires_grad=requires_grad)

    # -- what the engine asks of a gradient (autograd/ knows tensors, never the ops) --------------
    def _sum_to(self, shape: tuple[int, ...]) -> Tensor:
        """This gradient summed down to ``shape`` (the reverse of broadcasting), recorded."""
        return _ops._core.sum_to(self, shape)

    def _new_copy_of(self, src: Tensor) -> Tensor:
        """A new tensor laid out like this one holding ``src`` (recorded as CopyBackwards)."""
        return _ops.pointwise.copy_into_new(self, src)

    def _zeros_like(self, requires_grad: bool = False) -> Tensor:
        """``torch.zeros_like(self, requires_grad=requires_grad)``."""
        return _factories.zeros_like(self, requires_grad=requires_grad)

    @staticmethod
    def _stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
        """``torch.stack(tensors, dim)`` (for autograd's batched and Jacobian results)."""
        return _ops.stack(tensors, dim)

    # -- lesson breadth: tensor and ops (H6) -----------------------------------------------------
    def cuda(self, device: Any = None, non_blocking: bool = False) -> "Tensor":
        """Fails as PyTorch's CPU-only build does: there is no GPU here."""
        from .devices import check_device
        check_device("cuda" if device is None else device)
        return self

    def get_device(self) -> int:
        """-1: the tensor is on the CPU."""
        return -1

    def log10(self) -> "Tensor":
        """Logarithm to base 10."""
        return _ops.log10(self)

    def log10_(self) -> "Tensor":
        """In-place ``log10``."""
        return _ops.log10_(self)

    def log2(self) -> "Tensor":
        """Logarithm to base 2."""
        return _ops.log2(self)

    def log2_(self) -> "Tensor":
        """In-place ``log2``."""
        return _ops.log2_(self)

    def sinh(self) -> "Tensor":
        """Hyperbolic sine."""
        return _ops.sinh(self)

    def sinh_(self) -> "Tensor":
        """In-place ``sinh``."""
        return _ops.sinh_(self)

    def cosh(self) -> "Tensor":
        """Hyperbolic cosine."""
        return _ops.cosh(self)

    def cosh_(self) -> "Tensor":
        """In-place ``cosh``."""
        return _ops.cosh_(self)

    def tan(self) -> "Tensor":
        """Tangent."""
        return _ops.tan(self)

    def tan_(self) -> "Tensor":
        """In-place ``tan``."""
        return _ops.tan_(self)

    def asin(self) -> "Tensor":
        """Inverse sine."""
        return _ops.asin(self)

    def asin_(self) -> "Tensor":
        """In-place ``asin``."""
        return _ops.asin_(self)

    def acos(self) -> "Tensor":
        """Inverse cosine."""
        return _ops.acos(self)

    def acos_(self) -> "Tensor":
        """In-place ``acos``."""
        return _ops.acos_(self)

    def atan(self) -> "Tensor":
        """Inverse tangent."""
        return _ops.atan(self)

    def atan_(self) -> "Tensor":
        """In-place ``atan``."""
        return _ops.atan_(self)

    def asinh(self) -> "Tensor":
        """Inverse hyperbolic sine."""
        return _ops.asinh(self)

    def asinh_(self) -> "Tensor":
        """In-place ``asinh``."""
        return _ops.asinh_(self)

    def acosh(self) -> "Tensor":
        """Inverse hyperbolic cosine."""
        return _ops.acosh(self)

    def acosh_(self) -> "Tensor":
        """In-place ``acosh``."""
        return _ops.acosh_(self)

    def atanh(self) -> "Tensor":
        """Inverse hyperbolic tangent."""
        return _ops.atanh(self)

    def atanh_(self) -> "Tensor":
        """In-place ``atanh``."""
        return _ops.atanh_(self)

    def exp2(self) -> "Tensor":
        """``2 ** self``."""
        return _ops.exp2(self)

    def exp2_(self) -> "Tensor":
        """In-place ``exp2``."""
        return _ops.exp2_(self)

    def rsqrt(self) -> "Tensor":
        """``1 / sqrt(self)``."""
        return _ops.rsqrt(self)

    def rsqrt_(self) -> "Tensor":
        """In-place ``rsqrt``."""
        return _ops.rsqrt_(self)

    def erf(self) -> "Tensor":
        """The error function."""
        return _ops.erf(self)

    def erf_(self) -> "Tensor":
        """In-place ``erf``."""
        return _ops.erf_(self)

    def frac(self) -> "Tensor":
        """The fractional part (sign kept)."""
        return _ops.frac(self)

    def frac_(self) -> "Tensor":
        """In-place ``frac``."""
        return _ops.frac_(self)

    def atan2(self, other: "Tensor") -> "Tensor":
        """The angle of the point (other, self)."""
        return _ops.atan2(self, other)

    def atan2_(self, other: "Tensor") -> "Tensor":
        """In-place ``atan2``."""
        return _ops.atan2_(self, other)

    def sort(self, dim: int = -1, descending: bool = False, **stable: bool) -> Any:
        """The values along ``dim`` in order, and their indices (``stable=`` accepted)."""
        return _ops.sort(self, dim, descending, **stable)

    def argsort(self, dim: int = -1, descending: bool = False, *, stable: bool = False
                ) -> "Tensor":
        """The indices that sort ``self`` along ``dim``."""
        return _ops.argsort(self, dim, descending, stable=stable)

    def msort(self) -> "Tensor":
        """The values sorted along the first dimension."""
        return _ops.msort(self)

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:
        """The ``k`` largest (or smallest) values along ``dim`` and their indices."""
        return _ops.topk(self, k, dim, largest, sorted)

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False) -> Any:
        """The ``k``-th smallest value along ``dim`` and its index."""
        return _ops.kthvalue(self, k, dim, keepdim)

    def index_copy(self, dim: int, index: "Tensor", source: "Tensor") -> "Tensor":
        """A copy with the slices of ``source`` written at ``index`` along ``dim``."""
        return _ops.index_copy(self, dim, index, source)

    def index_copy_(self, dim: int, index: "Tensor", source: "Tensor") -> "Tensor":
        """``index_copy`` in place."""
        return _ops.index_copy_(self, dim, index, source)

    def index_fill(self, dim: int, index: "Tensor", value: Any) -> "Tensor":
        """A copy with ``value`` at ``index`` along ``dim``."""
        return _ops.index_fill(self, dim, index, value)

    def index_fill_(self, dim: int, index: "Tensor", value: Any) -> "Tensor":
        """``index_fill`` in place."""
        return _ops.index_fill_(self, dim, index, value)

    def tril(self, diagonal: int = 0) -> "Tensor":
        """The lower triangle of each matrix (last two dims); the rest set to 0."""
        _ops.triangular.check_diagonal("tril", diagonal, 1)
        return _ops.tril(self, diagonal)

    def tril_(self, diagonal: int = 0) -> "Tensor":
        """In-place ``tril``."""
        return _ops.tril_(self, diagonal)

    def triu(self, diagonal: int = 0) -> "Tensor":
        """The upper triangle of each matrix (last two dims); the rest set to 0."""
        _ops.triangular.check_diagonal("triu", diagonal, 1)
        return _ops.triu(self, diagonal)

    def triu_(self, diagonal: int = 0) -> "Tensor":
        """In-place ``triu``."""
        return _ops.triu_(self, diagonal)
    # -- end of lesson breadth (H6) ----------------------------------------------------------------

    # -- lesson breadth: activations -----------------------------------------------------------------
    def prelu(self, weight: "Tensor") -> "Tensor":
        """``self`` where positive, ``weight * self`` elsewhere (torch.prelu)."""
        return _ops.prelu(self, weight)

    def hardshrink(self, lambd: Any = 0.5) -> "Tensor":
        """``self`` where ``|self| > lambd``, else 0 (torch.hardshrink)."""
        return _ops.hardshrink(self, lambd)

    # -- lesson breadth: random sampling (H4) --------------------------------------------------
    def bernoulli(self, p: Any = None, *, generator: Any = None) -> "Tensor":
        """0/1 samples, 1 with probability self (or with the number p)."""
        return _ops.bernoulli(self, p, generator=generator)

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> "Tensor":
        """Fill in place with 0/1 samples, 1 with probability p."""
        return _ops.bernoulli_(self, p, generator=generator)

    def exponential_(self, lambd: float = 1.0, *, generator: Any = None) -> "Tensor":
        """Fill in place with exponential samples of rate lambd."""
        return _ops.exponential_(self, lambd, generator=generator)

    def random_(self, *args: Any, generator: Any = None, **kwargs: Any) -> "Tensor":
        """Fill in place with random integers in [from, to) (or the type's whole range)."""
        return _ops.random_(self, *args, generator=generator, **kwargs)

    def multinomial(self, num_samples: int, replacement: bool = False, *,
                    generator: Any = None) -> "Tensor":
        """Indices sampled from each row of self (non-negative weights)."""
        return _ops.multinomial(self, num_samples, replacement, generator=generator)
    # -- end of random sampling (H4) -------------------------------------------------------------

    # -- lesson breadth: inference tensors ---------------------------------------------------------
    def is_inference(self) -> bool:
        """True for a tensor made inside ``inference_mode`` (or a view or detach of one)."""
        return type(self._vc) is not list
    # -- end of inference tensors ------------------------------------------------------------------

    # -- lesson breadth: recurrent layers (d2l's RNN chapters) --------------------------------------
    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        """NumPy's name for ``transpose(axis0, axis1)`` (TransposeBackward0)."""
        return _ops.transpose(self, axis0, axis1)

    def swapdims(self, dim0: int, dim1: int) -> Tensor:
        """Another name for ``transpose(dim0, dim1)``."""
        return _ops.transpose(self, dim0, dim1)
    # -- end of recurrent layers ---------------------------------------------------------------------

    # -- dtype conversions. KEEP THIS SECTION LAST in the class: methods named int, float and
    # bool would stand for those names in the annotations of any method defined after them.
    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """The tensor in another dtype (``x.to(torch.float64)``, ``x.to(other)``); self when
        nothing changes. Devices other than the CPU are refused."""
        return _ops.to(self, *args, **kwargs)

    @overload
    def type(self, dtype: None = None) -> str: ...
    @overload
    def type(self, dtype: Any) -> Tensor: ...

    def type(self, dtype: Any = None) -> str | Tensor:
        """Without an argument, the type's name (``'torch.FloatTensor'``); else ``to(dtype)``."""
        return _ops.type_(self, dtype)

    def float(self) -> Tensor:
        """``self.to(torch.float32)``."""
        return _ops.to(self, dtypes.float32)

    def double(self) -> Tensor:
        """``self.to(torch.float64)``."""
        return _ops.to(self, dtypes.float64)

    def half(self) -> Tensor:
        """``self.to(torch.float16)``."""
        return _ops.to(self, dtypes.float16)

    def long(self) -> Tensor:
        """``self.to(torch.int64)``."""
        return _ops.to(self, dtypes.int64)

    def int(self) -> Tensor:
        """``self.to(torch.int32)``."""
        return _ops.to(self, dtypes.int32)

    def short(self) -> Tensor:
        """``self.to(torch.int16)``."""
        return _ops.to(self, dtypes.int16)

    def char(self) -> Tensor:
        """``self.to(torch.int8)``."""
        return _ops.to(self, dtypes.int8)

    def byte(self) -> Tensor:
        """``self.to(torch.uint8)``."""
        return _ops.to(self, dtypes.uint8)

    def bool(self) -> Tensor:
        """``self.to(torch.bool)``."""
        return _ops.to(self, dtypes.bool_)

from . import ops as _ops  # noqa: E402  (ops import Tensor; bound here to break the cycle)
from . import factories as _factories  # noqa: E402
from .autograd import api as _autograd_api  # noqa: E402
