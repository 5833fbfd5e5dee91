"""Backward nodes: the objects behind ``grad_fn`` and ``next_functions``.

A ``Node`` is one recorded operation seen from the backward side. It holds

* ``next_functions``: one ``(node or None, input_nr)`` pair per forward input, saying where the
  gradient for that input goes (``None`` when the input needs no gradient);
* saved tensors (``SavedTensor``), freed after a backward unless ``retain_graph=True``;
* hooks.

Calling a node by hand, ``node(grad)``, runs its derivative exactly as the engine would (and
differentiably when grad mode is on), as in PyTorch.

Saved tensors are exposed under PyTorch's names: ``node._saved_self`` gives the tensor,
``node._raw_saved_self`` the ``SavedTensor`` record (what the graph pictures read).
"""
from __future__ import annotations

import _thread
import inspect
import itertools
import re
import sys
import threading
import types
import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from . import grad_mode, release
from .explanation import ACCUMULATE, Explanation

if TYPE_CHECKING:
    from ..tensor import Tensor

_sequence = itertools.count()
UINT64_MAX = 2 ** 64 - 1
# a node's ``_next_slots`` when every input is output 0 of its node (or has no node): shared
_ZERO_SLOTS = [(0,) * n for n in range(17)]

# What a gradient flowing back into a node's output must look like (PyTorch's input metadata of
# a backward node): per forward output, a ``(shape, dtype)`` pair, noted on the node the first
# time a later op takes that output as input. A single-output node keeps ``(pair,)``, one shared
# tuple per shape and dtype (kept by each dtype), so a big graph holds no metadata object of its
# own per node for Python's garbage collector to walk over again and again.
_META_BOUND = 4096  # programs that make endless shapes: start again past this many


def _meta_of(t: "Tensor") -> tuple:
    """``((shape, dtype),)`` for tensor ``t``, shared."""
    shape = t._data.shape
    dtype = t.dtype
    meta = dtype._meta_pairs.get(shape)
    if meta is None:
        if len(dtype._meta_pairs) > _META_BOUND:
            dtype._meta_pairs.clear()
        meta = dtype._meta_pairs[shape] = ((shape, dtype),)
    return meta


def _note_output_meta(fn: "Node", t: "Tensor") -> None:
    """Note the shape and dtype of ``t``, output ``t._output_nr`` of ``fn`` (multi-output)."""
    metas = fn._output_meta
    if metas is None:
        metas = fn._output_meta = [None] * fn._num_outputs
    elif type(metas) is tuple:  # noted for every output by the op that made them (Function)
        return
    metas[t._output_nr] = _meta_of(t)[0]


class _Creation(threading.local):
    """Which derivative the nodes being created belong to: 0 for a forward pass; during a
    ``create_graph`` backward, one more than the node whose derivative is running. Per thread,
    as a backward in one thread does not make another thread's forward a derivative."""

    def __init__(self) -> None:
        self.order = 0


creation = _Creation()
# one entry per thread whose creation order is not 0 (so a forward op reads no thread-local)
deriving: list = []


def set_creation_order(order: int) -> int:
    """Make the nodes this thread creates belong to derivative ``order``; returns the previous
    order."""
    return grad_mode.set_per_thread(creation, "order", order, 0, deriving)

SECOND_BACKWARD_ERROR = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling "
    "backward.")


DETACHED_IN_PLACE_ERROR = (
    "Trying to use a saved tensor that has been detached in-place, i.e. with .detach_().This is "
    "not supported, please use out-of-place `.detach()` instead")


class RemovableHandle:
    """What ``register_hook`` and its kin return: ``handle.remove()`` takes the hook out again
    (harmless twice, or once its owner is gone), and ``with handle:`` removes it on leaving the
    block. Ids count up across every hook dict, so a later hook has a larger id."""

    next_id = 0

    def __init__(self, hooks_dict: Any, *, extra_dict: Any = None) -> None:
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1
        more = [extra_dict] if isinstance(extra_dict, dict) else list(extra_dict or ())
        self._dicts = tuple(weakref.ref(d) for d in [hooks_dict, *more])  # held weakly

    def remove(self) -> None:
        for ref in self._dicts:
            hooks = ref()
            if hooks is not None:
                hooks.pop(self.id, None)

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class _HookDict(OrderedDict):
    """An ordered dict of hooks (an OrderedDict, so a handle can hold it weakly)."""


def add_hook(hooks: "OrderedDict | None", fn: Callable) -> "tuple[OrderedDict, RemovableHandle]":
    """Add ``fn`` to ``hooks`` (made on first use); return the dict and the handle."""
    if hooks is None:
        hooks = _HookDict()
    handle = RemovableHandle(hooks)
    hooks[handle.id] = fn
    return hooks, handle


# the version counter of a saved wrapped number no tensor holds yet: never bumped, always 0
_UNSHARED_COUNTER = (0,)

# Saved-tensor hooks (``autograd.graph.saved_tensors_hooks``): per thread, as in PyTorch, a
# stack of ``(pack, unpack)`` pairs, the innermost one applying to every tensor that thread saves
# while it is active. All threads' stacks live in this one list as ``(thread, pack, unpack)``,
# empty unless a program uses them, so saving a tensor costs one list test for them.
default_hooks: list = []
_hooks_lock = threading.Lock()


def push_saved_hooks(pack_hook: Callable, unpack_hook: Callable) -> None:
    """Make ``(pack_hook, unpack_hook)`` the calling thread's innermost saved-tensor hooks."""
    with _hooks_lock:
        default_hooks.append((threading.get_ident(), pack_hook, unpack_hook))


def pop_saved_hooks() -> None:
    """Drop the calling thread's innermost saved-tensor hooks."""
    me = threading.get_ident()
    with _hooks_lock:
        for i in range(len(default_hooks) - 1, -1, -1):
            if default_hooks[i][0] == me:
                del default_hooks[i]
                return


def current_saved_hooks() -> tuple[Callable, Callable] | None:
    """The calling thread's innermost ``(pack, unpack)`` pair, or None."""
    me = threading.get_ident()
    for thread, pack_hook, unpack_hook in reversed(default_hooks):
        if thread == me:
            return pack_hook, unpack_hook
    return None


class _HooksRefusal(threading.local):
    """The message ``saved_tensors_hooks`` is refused with in this thread
    (``disable_saved_tensors_hooks``), or None."""

    def __init__(self) -> None:
        self.message: str | None = None


hooks_refusal = _HooksRefusal()

# ``saved_version`` of a tensor packed by hooks: PyTorch checks no version then (the hooks own
# the value); a negative number also sends ``Node._check_saved`` down its careful path
_PACKED = -1

HOOKS_TWICE_ERROR = ("Calling register_hooks on a saved tensor whose hooks have already been set. "
                     "Hint: only one pair of hooks is allowed at a time.")
HOOKS_AFTER_FREE_ERROR = (
    "Calling register_hooks on a saved tensor after it has been freed. Saved intermediate values "
    "of the graph are freed when you call .backward() or autograd.grad(). Specify "
    "retain_graph=True if you need to backward through the graph a second time or if you need "
    "to access saved variables after calling backward.")


class _Packed:
    """What a saved tensor keeps once hooks packed it: the pack hook's result, the unpack hook,
    and what the unpacked tensor's history must be (the value itself is not kept)."""

    __slots__ = ("packed", "unpack_hook", "grad_fn", "output_nr", "requires_grad", "leaf_acc",
                 "unpacked")

    def __init__(self, packed: Any, unpack_hook: Callable, tensor: "Tensor",
                 is_output: bool) -> None:
        self.packed = packed
        self.unpack_hook = unpack_hook
        self.output_nr = tensor._output_nr
        self.requires_grad = tensor.requires_grad
        # a saved output's node is the node unpacking it (not kept: that would be a cycle)
        self.grad_fn = None if is_output else tensor.grad_fn
        self.leaf_acc = None
        if not is_output and tensor.grad_fn is None and tensor._requires_grad:
            # the unpacked leaf sends its gradients to the original leaf's AccumulateGrad
            tensor._grad_accumulator()
            self.leaf_acc = tensor._grad_acc
        self.unpacked: "Tensor | None" = None  # unpacked ahead by Node._check_saved


class SavedTensor:
    """A tensor a node keeps for its backward, with the version it had when saved.

    Unpacking checks that the tensor was not modified in place since (its version counter
    moved) and that the graph was not freed by an earlier backward. A node's own output is
    stored without its ``grad_fn`` (that would be a cycle node -> tensor -> node) and is
    rebuilt on unpack. So is a Python number an op wrapped (``x * 0.5`` saves 0.5): it is kept
    as its value alone until first unpacked, so that a big graph holds fewer objects for
    Python's garbage collector to walk over again and again while it is built. For the same
    reason a number ops meet again and again (``y * 0.999`` in a loop) is saved once, in one
    *shared* record every node saving it holds (``shared_number``): a node makes it its own
    before anything could change it (see ``Node._own_saved``).
    """

    __slots__ = ("_tensor", "_data", "_version_counter", "saved_version", "_requires_grad",
                 "_output_nr", "_is_output", "freed", "_non_leaf", "_hooked", "_shared")
    _tensor: Any  # the saved input; None for an output or a wrapped number (see _is_output)
    _data: Any  # the array of a saved output or wrapped number (None when _tensor holds it)
    _version_counter: Sequence[int]  # the tensor's shared [count], or an unshared (0,)
    saved_version: int
    _requires_grad: bool
    _output_nr: int
    _is_output: bool
    freed: bool
    _non_leaf: bool
    _hooked: Any
    _shared: bool  # held by several nodes: never changed, rebuilt afresh on every unpack

    def __init__(self, tensor: "Tensor", is_output: bool = False) -> None:
        self._is_output = is_output
        self.freed = False
        self._shared = False
        if tensor._wrapped_number and not is_output and tensor._vc[0] == 0:
            self._tensor = None
            self._data = tensor._data
            self._version_counter = _UNSHARED_COUNTER
            self.saved_version = 0
            self._non_leaf = False
            return
        self._version_counter = tensor._vc
        self.saved_version = tensor._vc[0]
        if is_output:
            self._tensor = None
            self._data = tensor._data
            self._requires_grad = tensor.requires_grad
            self._output_nr = tensor._output_nr
            self._non_leaf = False
        else:
            self._tensor = tensor
            self._data = None
            self._non_leaf = tensor.grad_fn is not None
        if default_hooks:
            hooks = current_saved_hooks()
            if hooks is not None:
                self._set_hooks(hooks[0], hooks[1], tensor)

    # -- pack and unpack hooks (see autograd.graph) ---------------------------------------------
    @property
    def is_packed(self) -> bool:
        """True once pack/unpack hooks hold the value (it is then not kept here)."""
        return self.saved_version == _PACKED

    def register_hooks(self, pack_hook: Callable[["Tensor"], Any],
                       unpack_hook: Callable[[Any], "Tensor"]) -> None:
        """Pack the saved tensor with ``pack_hook`` now, and get it back with ``unpack_hook``
        each time the backward (or ``node._saved_<name>``) needs it."""
        if not callable(pack_hook) or not callable(unpack_hook):
            raise TypeError("register_hooks(): incompatible function arguments: pack_hook and "
                            "unpack_hook must be callables")
        if self.freed:
            raise RuntimeError(HOOKS_AFTER_FREE_ERROR)
        if self.is_packed:
            raise RuntimeError(HOOKS_TWICE_ERROR)
        # the pack hook gets the value without its history, as PyTorch gives it here
        if self._is_output:
            value = _tensor_module()._make(self._data, None)
            value._vc = self._version_counter
            self._set_hooks(pack_hook, unpack_hook, value, value)
            self._hooked.requires_grad = self._requires_grad
            self._hooked.output_nr = self._output_nr
        else:
            tensor = self._tensor if self._tensor is not None else self._rebuild_number()
            self._set_hooks(pack_hook, unpack_hook, tensor, tensor.detach())

    @property
    def unpack_hook(self) -> "Callable | None":
        """The unpack hook, or None when no hooks are set."""
        return self._hooked.unpack_hook if self.is_packed else None

    def _set_hooks(self, pack_hook: Callable, unpack_hook: Callable, tensor: "Tensor",
                   given: "Tensor | None" = None) -> None:
        """Pack ``given`` (by default ``tensor`` itself), keeping what unpacking must restore
        of ``tensor``'s history."""
        packed = pack_hook(tensor if given is None else given)
        self._hooked = _Packed(packed, unpack_hook, tensor, self._is_output)
        self._tensor = self._data = None
        self._version_counter = _UNSHARED_COUNTER
        self.saved_version = _PACKED
        self._non_leaf = False

    def _unpack_packed(self, node: "Node | None") -> "Tensor":
        hooked = self._hooked
        ahead = hooked.unpacked
        if ahead is not None:  # unpacked by the node before its derivative ran
            hooked.unpacked = None
            return ahead
        tensor_module = _tensor_module()
        value = hooked.unpack_hook(hooked.packed)
        if not isinstance(value, tensor_module.Tensor):
            raise TypeError("Output of saved tensor unpack_hook expected to be a Tensor but got "
                            f"result of type {type(value).__name__}")
        t = tensor_module._make(value._data, None)
        t._vc = value._vc
        if self._is_output:
            if hooked.requires_grad and node is not None:
                t.grad_fn, t._output_nr = node, hooked.output_nr
        elif hooked.grad_fn is not None:
            t.grad_fn, t._output_nr = hooked.grad_fn, hooked.output_nr
        elif hooked.requires_grad:
            t._requires_grad = True
            t._grad_acc = hooked.leaf_acc
        return t

    @property
    def current_version(self) -> int:
        """The version the saved tensor has now (equal to ``saved_version`` unless modified)."""
        return self._version_counter[0]

    def peek(self) -> "Tensor | None":
        """The saved tensor without any check, or None once freed (for pictures)."""
        if self.freed:
            return None
        if self.saved_version == _PACKED:  # the hooks hold it: shown only if packed as a tensor
            packed = self._hooked.packed
            return packed if isinstance(packed, _tensor_module().Tensor) else None
        if self._is_output:
            return _detached(self._data)
        return self._tensor if self._tensor is not None else self._rebuild_number()

    def check(self, node: "Node") -> None:
        """Raise PyTorch's error if the saved tensor was freed, detached in place (a saved
        non-leaf) or modified in place since it was saved."""
        if self.freed:
            raise RuntimeError(SECOND_BACKWARD_ERROR)
        if self.saved_version == _PACKED:
            return
        if not self._is_output and self._non_leaf and self._tensor.grad_fn is None:
            raise RuntimeError(DETACHED_IN_PLACE_ERROR)
        if self._version_counter[0] != self.saved_version:
            raise RuntimeError(self._modified_message(node))

    def unpack(self, node: "Node") -> "Tensor":
        """The saved tensor, checked: raises PyTorch's errors if freed or modified in place."""
        self.check(node)
        if not self._is_output:
            if self._tensor is not None:
                return self._tensor
            return self._rebuild_number() if self._data is not None else self._unpack_packed(node)
        if self._data is None:
            return self._unpack_packed(node)
        t = _tensor_module()._make(self._data, None)
        if self._requires_grad:
            t.grad_fn = node
            t._output_nr = self._output_nr
        t._vc = self._version_counter
        return t

    def _rebuild_number(self) -> "Tensor":
        """The wrapped number saved by value, as a tensor again (made once, then kept, unless
        this record is shared)."""
        t = _tensor_module()._make(self._data, None)
        t._wrapped_number = True
        if not self._shared:
            self._version_counter = t._vc  # in-place changes to it are seen from now on
            self._tensor = t
        return t

    @classmethod
    def shared_number(cls, number: "Tensor") -> "SavedTensor":
        """One record of a wrapped number (at version 0) for every node that saves it."""
        saved = cls(number)
        saved._shared = True
        return saved

    def owned_number(self) -> "SavedTensor":
        """A record of this saved number with an array of its own: what a node holds once a
        learner can reach it (``_saved_other``), so that changing it in place is seen by this
        node only, not by the others nor by the op's cached number."""
        t = _tensor_module()._make(self._data.copy(), None)
        t._wrapped_number = True
        return SavedTensor(t)

    def release(self) -> None:
        self.freed = True
        self._tensor = None
        self._data = None
        # nor the tensor's counter (a saved number rebuilt by a backward made its own: a list
        # per node left for the garbage collector to walk while the rest of the graph runs)
        self._version_counter = _UNSHARED_COUNTER
        if self.saved_version == _PACKED:
            self._hooked = None

    def _modified_message(self, node: "Node") -> str:
        data = self._data if self._tensor is None else self._tensor._data
        from ..tensor import _legacy_type_name
        # A saved output names the node that made it; a saved input names whatever node made
        # it *now* (an in-place op on it has replaced its grad_fn), as PyTorch does.
        producer, output_nr = (node, self._output_nr) if self._is_output else (
            self._tensor.grad_fn, self._tensor._output_nr)
        which = ""
        if producer is not None:
            # PyTorch drops "Backward0" but keeps another number: ProdBackward1 -> "Prod1"
            short = producer.name()  # (torch::autograd::CopySlices keeps its namespace)
            m = re.match(r"(.*)Backward(\d*)$", short)
            op = short if m is None else m[1] + ("" if m[2] in ("", "0") else m[2])
            which = f", which is output {output_nr} of {op},"
        shape = ", ".join(str(s) for s in data.shape)
        return (
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [{_legacy_type_name(data.dtype)} [{shape}]]{which} is at "
            f"version {self._version_counter[0]}; expected version {self.saved_version} "
            "instead." + (_ANOMALY_HINT if _anomaly_on else _HINT))


_HINT = (" Hint: enable anomaly detection to find the operation that failed to compute its "
         "gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")
_ANOMALY_HINT = (" Hint: the backtrace further above shows the operation that failed to compute "
                 "its gradient. The variable in question was changed in there or anywhere later. "
                 "Good luck!")


def _detached(data: Any) -> "Tensor":
    return _tensor_module()._make(data, None)


class _NodeType(type):
    """Gives each saved field a slot: a node class lists its saved fields once, in
    ``_saved_fields``, and ``__slots__`` names only its other attributes.

    A field ``f`` is stored in the attribute ``_s_f`` (made a slot here, unless the class or a
    base already defines that name, e.g. as a property over a plain attribute). A class that
    declares neither ``__slots__`` nor ``_saved_fields`` keeps an instance ``__dict__`` (custom
    Function nodes, whose ctx takes any attribute).
    """

    def __new__(mcls, name: str, bases: tuple, ns: dict, **kwargs: Any) -> "_NodeType":
        fields = ns.get("_saved_fields")
        if fields is not None:
            declared = ns.get("__slots__", ())
            declared = (declared,) if isinstance(declared, str) else tuple(declared)
            extra = tuple("_s_" + f for f in fields
                          if "_s_" + f not in ns and "_s_" + f not in declared
                          and not any(hasattr(b, "_s_" + f) for b in bases))
            ns["__slots__"] = declared + extra
        cls = super().__new__(mcls, name, bases, ns, **kwargs)
        # PyTorch's accessors of each saved field, unless the class defines its own:
        # node._saved_self (the tensor) and node._raw_saved_self (the SavedTensor record).
        # Properties rather than a __getattr__, which would keep Python 3.11 from specialising
        # every attribute read on nodes (the engine's included).
        for field in cls.__dict__.get("_saved_fields", ()):
            for accessor, make in (("_saved_", _saved_accessor), ("_raw_saved_", _raw_accessor)):
                if not hasattr(cls, accessor + field):
                    setattr(cls, accessor + field, make(field))
        return cls


def _saved_accessor(field: str) -> property:
    return property(lambda node: node._saved(field), doc=f"The saved ``{field}``, unpacked.")


def _raw_accessor(field: str) -> property:
    slot = "_s_" + field
    return property(lambda node: node._own_saved(slot),
                    doc=f"The saved ``{field}`` as recorded (a SavedTensor for a tensor).")


class Node(metaclass=_NodeType):
    """One operation of the graph, seen from the backward side (PyTorch's ``grad_fn``).

    Subclasses implement ``apply(*grads)``: given the gradient of each forward output, return
    one gradient (or None) per entry of ``next_functions``. They declare what they save once, in
    ``_saved_fields`` (PyTorch's names without the ``_saved_`` prefix; ``node._saved_self``
    reads field ``self``), and ``_saved_for`` says which are saved only for another input's
    gradient (``{"self": 1}``: ``self`` is kept only when input 1 needs a gradient).
    """

    __slots__ = ("_next_nodes", "_next_slots", "_output_meta", "_seq", "_order", "_hooks", "_pre_hooks",
                 "_tensor_pre_hooks", "_retain_grad_hooks", "_metadata", "__weakref__")
    # The edges (PyTorch's ``next_functions``), kept as two tuples: per forward input, the node
    # its gradient flows to (None if it needs none), and which output of that node the input
    # was (nearly always all 0: one shared tuple). Pairs made only when ``next_functions`` is
    # read: a big graph then holds one object fewer per edge for the garbage collector.
    _next_nodes: "tuple[Node | None, ...]"
    _next_slots: tuple[int, ...]
    # per forward output, (shape, dtype) (see _meta_of): None until an op takes an output
    _output_meta: Any
    _hooks: OrderedDict[int, Callable[..., Any]] | None
    _pre_hooks: OrderedDict[int, Callable[..., Any]] | None
    _tensor_pre_hooks: dict[int, OrderedDict[int, Callable[..., Any]]] | None
    _retain_grad_hooks: dict[int, weakref.ref[Tensor]] | None
    _metadata: dict[str, Any] | None

    _saved_fields: tuple[str, ...] = ()
    _saved_for: dict[str, int] = {}
    # saved fields that are outputs of the forward besides ``result``, ``result1``... (which
    # are known by name): PyTorch saves, and pack hooks see, them after the inputs
    _output_fields: tuple[str, ...] = ()
    # A node's forward produced this many outputs (unbind and custom Functions have several).
    _num_outputs = 1
    # PyTorch's own nodes print without a module path; custom Function nodes print with one.
    _repr_with_module = False
    # The engine calls ``apply`` even when no gradient arrived (custom Functions: PyTorch calls
    # their backward with zeros); other nodes then give None for every input.
    _always_apply = False
    # In autograd.grad, gradients for edges leading to nothing needed are not computed (None).
    _prunes_outputs = True
    # Made per class from ``_saved_fields`` (below): the attributes holding saved tensors, and
    # whether a backward has anything to free (the engine skips the call when not).
    _saved_slots: tuple[str, ...] = ()
    _slotted_fields: frozenset[str] = frozenset()
    _frees_saved = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._saved_slots = tuple("_s_" + f for f in cls._saved_fields)
        # the fields stored in their own ``_s_`` slot (the others are properties over a plain
        # attribute of the same name, see ``ops._core.record``)
        cls._slotted_fields = frozenset(
            f for f in cls._saved_fields
            if isinstance(inspect.getattr_static(cls, "_s_" + f, None), types.MemberDescriptorType))
        cls._frees_saved = bool(cls._saved_slots) or cls._release_saved is not Node._release_saved

    def __init__(self, inputs: "tuple[Tensor, ...]" = ()) -> None:
        nodes: list[Node | None] = []
        numbered = False  # some input is output 1, 2, ... of its node (not output 0)
        for t in inputs:
            fn = t.grad_fn
            if fn is not None:
                if t._output_nr or fn._num_outputs != 1:
                    numbered = True
                    _note_output_meta(fn, t)
                elif fn._output_meta is None:
                    meta = t.dtype._meta_pairs.get(t._data.shape)  # (_meta_of's common case)
                    fn._output_meta = meta if meta is not None else _meta_of(t)
            elif t._requires_grad:
                ref = t._grad_acc
                fn = ref() if ref is not None else None  # (the leaf's node, while alive)
                if fn is None:
                    fn = t._grad_accumulator()
            nodes.append(fn)
        n = len(nodes)
        self._next_nodes = tuple(nodes)
        self._next_slots = (tuple(t._output_nr if t.grad_fn is not None else 0 for t in inputs)
                            if numbered else _ZERO_SLOTS[n] if n < 17 else (0,) * n)
        self._output_meta = None
        self._seq = next(_sequence)
        self._order = creation.order if deriving else 0
        self._hooks = self._pre_hooks = self._tensor_pre_hooks = None
        self._retain_grad_hooks = self._metadata = None

    @property
    def _input_meta(self) -> tuple[Any, ...]:
        """Per forward input, the ``(shape, dtype)`` its gradient must have (None for an input
        that needs no gradient): what the node it flows to noted (see ``_meta_of``)."""
        return tuple(None if fn is None else fn._output_meta[nr]
                     for fn, nr in zip(self._next_nodes, self._next_slots))

    @property
    def next_functions(self) -> "tuple[tuple[Node | None, int], ...]":
        """One ``(node, input_nr)`` pair per forward input: where the gradient for that input
        goes (the node that made it, and which of that node's outputs it was), or
        ``(None, 0)`` for an input that needs no gradient."""
        return tuple(zip(self._next_nodes, self._next_slots))

    # -- what subclasses provide -------------------------------------------------------------
    # apply(*grads): the gradient of each forward output in, one gradient (or None) per entry
    # of next_functions out. Nodes take different numbers of gradients (and AccumulateGrad an
    # owned= flag), so the type checker is told only that it is a callable returning a tuple.
    if TYPE_CHECKING:
        apply: Callable[..., tuple[Any, ...]]
    else:
        def apply(self, *grads: "Tensor | None") -> "tuple[Tensor | None, ...]":
            raise NotImplementedError

    # -- PyTorch's public node API -----------------------------------------------------------
    def name(self) -> str:
        """The node's name, e.g. ``'MulBackward0'``."""
        return type(self).__name__

    def __call__(self, *grads: "Tensor | None") -> Any:
        """Run this node's derivative by hand, as the engine would (differentiably in grad mode).

        Returns one tensor when the node has one input, else a tuple (``None`` where an input
        needs no gradient).
        """
        if len(grads) != self._num_outputs:
            raise TypeError(f"expected {self._num_outputs} arguments, got {len(grads)} instead")
        if self._saved_fields:
            self._check_saved()
        previous = set_creation_order(self._order + 1)  # it records the next derivative
        try:
            results = self.apply(*grads)
        finally:
            set_creation_order(previous)
        if len(results) == 1:
            return results[0]
        return tuple(results)

    def _sequence_nr(self) -> int:
        """Creation order: the engine runs ready nodes with the highest number first."""
        return self._seq

    @property
    def derivative_order(self) -> int:
        """0 for a node recorded by a forward pass, k for one recorded while the engine ran a
        ``create_graph`` backward through nodes of order k - 1 (so 1 for a first derivative)."""
        return self._order

    @property
    def metadata(self) -> dict:
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    @property
    def requires_grad(self) -> bool:
        return any(fn is not None for fn in self._next_nodes)

    def register_hook(self, fn: Callable) -> RemovableHandle:
        """Register ``fn(grad_inputs, grad_outputs)``, run after this node computed the gradients
        of its inputs. Returning a tuple (one entry per ``next_functions``) replaces them."""
        self._hooks, handle = add_hook(self._hooks, fn)
        return handle

    def register_prehook(self, fn: Callable) -> RemovableHandle:
        """Register ``fn(grad_outputs)``, run before this node; returning a tuple (one entry per
        forward output) replaces the gradients the node receives."""
        self._pre_hooks, handle = add_hook(self._pre_hooks, fn)
        return handle

    def _register_tensor_hook(self, output_nr: int, fn: Callable) -> RemovableHandle:
        """A hook of the tensor that is output ``output_nr`` of this node (``register_hook`` on a
        non-leaf). As PyTorch, each tensor's hooks form one dict, and the dicts run in the order
        their first hook was registered (``_tensor_pre_hooks`` keeps that insertion order); tensor
        hooks run before the node's pre-hooks."""
        if self._tensor_pre_hooks is None:
            self._tensor_pre_hooks = {}
        hooks = self._tensor_pre_hooks.get(output_nr)
        if hooks is None:
            hooks = self._tensor_pre_hooks[output_nr] = _HookDict()
        return add_hook(hooks, fn)[1]

    def _set_retain_grad(self, output_nr: int, tensor: "Tensor") -> None:
        if self._retain_grad_hooks is None:
            self._retain_grad_hooks = {}
        self._retain_grad_hooks[output_nr] = weakref.ref(tensor)

    def _pop_retain_grad(self, output_nr: int) -> "weakref.ref | None":
        if self._retain_grad_hooks is None:
            return None
        return self._retain_grad_hooks.pop(output_nr, None)

    # -- saved tensors -------------------------------------------------------------------------
    def saved_tensors_items(self) -> Iterator[tuple[str, SavedTensor]]:
        """``(name, SavedTensor)`` for each tensor this node saved, in declaration order."""
        for field in self._saved_fields:
            value = getattr(self, "_s_" + field, None)
            if isinstance(value, SavedTensor):
                yield field, value
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    if isinstance(v, SavedTensor):
                        yield f"{field}[{i}]", v

    def _check_saved(self) -> None:
        """Raise PyTorch's error if a saved tensor was freed or modified in place.

        PyTorch's nodes unpack every saved tensor when they run, also those the gradients
        asked for do not use (``PowBackward1`` unpacks ``result`` even when the exponent needs
        no gradient), inputs before outputs; so the errors come from this check, in that
        order, before the derivative runs.
        """
        for slot in self._saved_slots:  # a quick look first: nearly always all is well
            value = getattr(self, slot, None)
            if type(value) is SavedTensor:
                if (value.freed or value._version_counter[0] != value.saved_version
                        or (value._non_leaf and value._tensor.grad_fn is None)):
                    break
            elif type(value) is list:
                break
        else:
            return
        outputs = []  # PyTorch unpacks the saved inputs first, then the saved outputs
        for slot in self._saved_slots:
            value = getattr(self, slot, None)
            if type(value) is SavedTensor:
                if value._is_output:
                    outputs.append(value)
                else:
                    value.check(self)
            elif type(value) is list:
                for v in value:
                    if type(v) is SavedTensor:
                        v.check(self)
        for value in outputs:
            value.check(self)
        self._unpack_packed_ahead()

    def _unpack_packed_ahead(self) -> None:
        """Call the unpack hooks of the saved tensors that hooks packed, once each, in the
        order PyTorch's node does before its derivative runs: inputs by field name, then
        outputs. The derivative then takes what was unpacked."""
        packed = []
        for slot in self._saved_slots:
            value = getattr(self, slot, None)
            values = value if type(value) is list else (value,)
            for v in values:
                if type(v) is SavedTensor and v.saved_version == _PACKED and not v.freed:
                    packed.append((v._is_output, slot, v))
        packed.sort(key=lambda entry: entry[:2])
        for _, _, v in packed:
            v._hooked.unpacked = None
            v._hooked.unpacked = v._unpack_packed(self)

    def _release_saved(self) -> None:
        for slot in self._saved_slots:
            value = getattr(self, slot, None)
            if type(value) is SavedTensor:
                if value._shared:  # (other nodes still hold it)
                    setattr(self, slot, _freed_number())
                else:
                    value.release()
            elif type(value) is list:
                for v in value:
                    if type(v) is SavedTensor:
                        v.release()

    def _own_saved(self, slot: str) -> Any:
        """The value in ``slot``; a number saved by value first gets an array of its own (see
        ``SavedTensor.owned_number``)."""
        value = getattr(self, slot)
        if (type(value) is SavedTensor and value._tensor is None and value._data is not None
                and not value._is_output):
            value = value.owned_number()
            setattr(self, slot, value)
        return value

    def _saved(self, field: str) -> Any:
        value = self._own_saved("_s_" + field)
        if isinstance(value, SavedTensor):
            return value.unpack(self)
        if isinstance(value, list):
            return [v.unpack(self) if isinstance(v, SavedTensor) else v for v in value]
        return value

    if TYPE_CHECKING:
        # For the type checker only: the saved-field slots (_s_<field>) and their accessors
        # (_saved_<field>, _raw_saved_<field>) are made per class by the metaclass. At run time
        # there is no __getattr__ (it would keep Python from specialising attribute reads).
        def __getattr__(self, name: str) -> Any: ...

    def __dir__(self) -> list[str]:
        # list the saved-tensor accessors as PyTorch's nodes do (torchviz finds them this way)
        names = set(super().__dir__())
        names.difference_update(("_saved_fields", "_saved_for", "_saved_slots", "_slotted_fields",
                                 "_frees_saved"))  # class details
        for field in type(self)._saved_fields:
            names.update((f"_saved_{field}", f"_raw_saved_{field}"))
        return sorted(names)

    # -- printing ------------------------------------------------------------------------------
    def _display_name(self) -> str:
        cls = type(self)
        return f"{cls.__module__}.{cls.__qualname__}" if self._repr_with_module else cls.__name__

    def __repr__(self) -> str:
        return f"<{self._display_name()} object at {hex(id(self))}>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        # IPython shows PyTorch's nodes as <AddBackward0 at 0x...>; do the same there.
        p.text(f"<{self._display_name()} at {hex(id(self))}>")


# Where the interpreter's own deallocation would nest as deep as the graph (in a browser), a
# dying node hands its edges to a loop instead: long chains are freed flat (see release.py).
release.install(Node)


_FREED_NUMBER: list[SavedTensor] = []


def _freed_number() -> SavedTensor:
    """What a node holds, after a backward freed it, in place of a shared saved number."""
    if not _FREED_NUMBER:
        saved = object.__new__(SavedTensor)
        saved._is_output = saved._non_leaf = False
        saved._shared = True
        saved._tensor = saved._data = None
        saved._version_counter = _UNSHARED_COUNTER
        saved.saved_version = 0
        saved.freed = True
        _FREED_NUMBER.append(saved)
    return _FREED_NUMBER[0]


# -- anomaly mode: nodes remember where they were created ----------------------------------------
_anomaly_on = False


def _record_creation(on: bool) -> None:
    """Install (or remove) the ``Node.__init__`` that stores the creating traceback: anomaly
    mode costs nothing while it is off."""
    global _anomaly_on
    _anomaly_on = on
    Node.__init__ = _init_recording_stack if on else _plain_init  # type: ignore[method-assign]


def _init_recording_stack(self: Node, inputs: "tuple[Tensor, ...]" = ()) -> None:
    _plain_init(self, inputs)
    from .anomaly_mode import store_stack
    store_stack(self)


_plain_init = Node.__init__


class AccumulateGrad(Node):
    """The node at a leaf that requires grad: it adds the incoming gradient into ``.grad``.

    ``variable`` is the leaf. The leaf's own hooks (``register_hook``) run before the add.
    """

    __slots__ = ("variable",)

    def __init__(self, variable: "Tensor") -> None:
        self.variable = variable
        self._next_nodes = self._next_slots = ()
        # the leaf's shape and dtype now: a gradient must fit them even if ``x.data = ...``
        # gives the leaf another shape later (PyTorch makes a new AccumulateGrad only when the
        # dtype changes)
        self._output_meta = _meta_of(variable)
        # Executed as soon as it is ready, before any other node (PyTorch gives it the top
        # priority too), so leaf grads appear in the order their gradients complete.
        self._seq = UINT64_MAX
        self._order = 0
        self._hooks = self._pre_hooks = self._tensor_pre_hooks = None
        self._retain_grad_hooks = self._metadata = None
        if _anomaly_on:
            from .anomaly_mode import store_stack
            store_stack(self)

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    @property
    def _input_meta(self) -> tuple:
        return self._output_meta

    # runs even when no gradient arrived: the leaf's post-accumulate-grad hooks still run
    _always_apply = True
    # words for the animation panel ({leaf}: the leaf's name); it has no forward formula
    explanation = Explanation("", (), ACCUMULATE)

    def apply(self, grad: "Tensor | None", owned: bool = False) -> tuple:
        """Add ``grad`` into the leaf's ``.grad`` (``owned``: nothing else holds ``grad``, so a
        first gradient may be kept as it is, see ``accumulate_into_grad``)."""
        variable = self.variable
        if grad is not None:
            if variable.grad_fn is not None:  # an in-place op gave the leaf a history since
                raise RuntimeError("leaf variable has been moved into the graph interior")
            if variable._requires_grad:  # not after requires_grad_(False) or detach_()
                accumulate_into_grad(variable, grad, owned)
        hooks = getattr(variable, "_post_accumulate_grad_hooks", None)
        if hooks:
            from .hooks import run_post_accumulate_grad_hooks
            run_post_accumulate_grad_hooks(variable, hooks)
        return ()


def accumulate_into_grad(variable: "Tensor", grad: "Tensor", owned: bool = False,
                         _locked: bool = False) -> None:
    """Add ``grad`` into ``variable.grad`` as PyTorch's AccumulateGrad does.

    In grad mode (``create_graph=True``, or a node called by hand) the sum is recorded: a first
    gradient is copied (node ``CopyBackwards``) and later ones added out of place, so the
    gradient itself can be differentiated. Otherwise the first gradient is stored as a fresh
    copy (it must not alias another leaf's grad, or a tensor of the caller's), or, when
    ``owned`` (the engine's only reference) and laid out plainly, taken over as it is; later
    ones are added in place.

    Backward passes in several threads may share leaves (Hogwild training): as PyTorch's, the
    read-add-store is then done under a lock, so no thread's gradient is lost. With no other
    thread running (``_thread._count()`` is 0) nothing can interleave, and no lock is taken
    (``_locked``: the caller holds it).
    """
    if _other_threads() and not _locked:
        with _accumulate_lock:
            return accumulate_into_grad(variable, grad, owned, True)
    old = variable._grad
    if not grad_mode.not_recording or grad_mode.state.enabled:
        variable._grad = variable._new_copy_of(grad) if old is None else old + grad
    elif old is None:
        data = grad._data
        if data.dtype != variable._data.dtype:
            data = data.astype(variable._data.dtype)  # (a new array)
        elif not (owned and data.base is None and data.flags.c_contiguous
                  and data.flags.writeable):
            data = data.copy()
        variable._grad = _tensor_module()._make(data, None)
    else:
        old._data += grad._data
        old._vc[0] += 1


_accumulate_lock = threading.Lock()
_other_threads = _thread._count  # Python threads running besides the main one


_modules: dict = {}


def _tensor_module() -> Any:
    tensor = _modules.get("tensor")
    if tensor is None:  # (not ``from .. import tensor``: the package's ``tensor`` is the factory)
        from .. import tensor as _  # noqa: F401
        tensor = _modules["tensor"] = sys.modules[__name__.rsplit(".", 2)[0] + ".tensor"]
    return tensor
