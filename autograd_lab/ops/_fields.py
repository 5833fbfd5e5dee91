"""How ``record`` stores an op's fields on its node, written once per node class.

An op hands ``record`` its fields by name (``self=a, other=b``, ``alpha=alpha``). A field the
node class declares in ``_saved_fields`` is *saved*: a tensor becomes a ``SavedTensor``,
``RESULT`` stands for the op's own output, and a field listed in ``_saved_for`` is kept only when
the input it serves needs a gradient. Any other field is a plain attribute of the node.

That rule is the same for every class, but applying it through a general loop (look the name
up, test each case) costs about as much as the op's arithmetic on small tensors. So for each
node class the rule is written out once as a small function, straight-line code with the
class's own slot names and inputs, the way ``collections.namedtuple`` writes its class.
``store_fields(MulBackward0)`` is::

    def store(node, fields, output):
        left = len(fields)
        next_nodes = node._next_nodes
        value = fields.get('other', ABSENT)
        if value is not ABSENT:
            left -= 1
            if value is RESULT:
                value = SavedTensor(output, True)
            elif next_nodes[0] is None:
                value = None
            elif isinstance(value, Tensor):
                value = save_number(value) if value._wrapped_number else SavedTensor(value)
            elif type(value) is list:
                value = save_list(value)
            node._s_other = value
        ...
        if left:
            store_plain(node, fields)

With saved-tensor hooks active, tensors must be packed in PyTorch's order (inputs by name,
then the output): ``store_in_pytorch_order`` does that, more slowly.
"""
from __future__ import annotations

from typing import Any, Callable, cast

from ..autograd.node import Node, SavedTensor
from ..tensor import Tensor


class _Result:
    """``RESULT``: what an op passes for a saved field that holds its own output."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "RESULT"


RESULT = _Result()
_ABSENT = object()

Store = Callable[[Node, dict, "Tensor | None"], None]
_STORES: dict[type, Store] = {}


def store_fields(cls: type[Node]) -> Store:
    """The function storing fields on a ``cls`` node (written on first use, then kept)."""
    store = _STORES.get(cls)
    if store is None:
        store = _STORES[cls] = _write_store(cls)
    return store


def _saved_plan(cls: type[Node]) -> dict[str, tuple[str, int]]:
    """Each saved field kept in a slot of its own: name -> (slot, the input whose gradient it
    serves, or -1 when always kept). Other saved fields are properties over a plain attribute
    of the same name (see ``Node._slotted_fields``), stored like plain attributes."""
    return {name: ("_s_" + name, cls._saved_for.get(name, -1))
            for name in cls._saved_fields if name in cls._slotted_fields}


def _plain_slots(cls: type[Node]) -> list[str]:
    """The plain attributes a ``cls`` node declares as slots (beyond ``Node``'s own)."""
    names: list[str] = []
    for klass in cls.__mro__:
        if klass is Node:
            break
        declared = klass.__dict__.get("__slots__", ())
        for name in (declared,) if isinstance(declared, str) else declared:
            if not name.startswith(("_s_", "__")) and name not in names:
                names.append(name)
    return names


def _write_store(cls: type[Node]) -> Store:
    saved = _saved_plan(cls)
    lines = ["def store(node, fields, output):",
             "    left = len(fields)"]
    if saved:
        lines.append("    next_nodes = node._next_nodes")
    for name, (slot, serves) in saved.items():
        lines += [f"    value = fields.get({name!r}, ABSENT)",
                  "    if value is not ABSENT:",
                  "        left -= 1",
                  "        if value is RESULT:",
                  "            value = SavedTensor(output, True)"]
        if serves >= 0:
            lines += [f"        elif next_nodes[{serves}] is None:",
                      "            value = None"]
        lines += ["        elif isinstance(value, Tensor):",
                  "            value = save_number(value) if value._wrapped_number "
                  "else SavedTensor(value)",
                  "        elif type(value) is list:",
                  "            value = save_list(value)",
                  f"        node.{slot} = value"]
    for name in _plain_slots(cls):
        if name not in saved:
            lines += [f"    value = fields.get({name!r}, ABSENT)",
                      "    if value is not ABSENT:",
                      "        left -= 1",
                      f"        node.{name} = value"]
    lines += ["    if left:",
              "        store_plain(node, fields)"]
    namespace = {"ABSENT": _ABSENT, "RESULT": RESULT, "SavedTensor": SavedTensor,
                 "Tensor": Tensor, "save_list": _save_list, "save_number": _save_number, "store_plain": _store_plain_for(cls)}
    exec(compile("\n".join(lines), f"<store fields of {cls.__qualname__}>", "exec"), namespace)
    store = cast(Store, namespace["store"])
    store.__qualname__ = f"store_fields({cls.__qualname__})"
    return store


# The numbers ops cache as wrapped tensors (see ops._core._wrapped_once), each with the one
# saved record every node saving it shares: id of the tensor -> (the tensor, its record)
_SHARED_NUMBERS: dict[int, tuple[Tensor, SavedTensor]] = {}


def share_number(number: Tensor) -> None:
    """Give a cached wrapped number one saved record for all the nodes that will save it."""
    _SHARED_NUMBERS[id(number)] = (number, SavedTensor.shared_number(number))


def forget_shared_numbers() -> None:
    _SHARED_NUMBERS.clear()


def _save_number(number: Tensor) -> SavedTensor:
    entry = _SHARED_NUMBERS.get(id(number))
    if entry is not None and entry[0] is number and number._vc[0] == 0:
        return entry[1]
    return SavedTensor(number)


def _save_list(values: list) -> list:
    return [SavedTensor(v) if isinstance(v, Tensor) else v for v in values]


def _store_plain_for(cls: type[Node]) -> Callable[[Node, dict], None]:
    """Stores the fields a written-out store did not name (attributes of a node with a
    ``__dict__``, or a saved field kept as a plain attribute)."""
    handled = set(_saved_plan(cls)) | set(_plain_slots(cls))

    def store_plain(node: Node, fields: dict) -> None:
        for name, value in fields.items():
            if name not in handled:
                setattr(node, name, value)
    return store_plain


def store_in_pytorch_order(node: Node, fields: dict, output: "Tensor | None") -> None:
    """Store ``fields`` as ``store_fields`` does, saving tensors in the order PyTorch packs them
    (inputs by field name, then the forward's outputs by name): the order saved-tensor pack
    hooks see."""
    saved = _saved_plan(type(node))
    outputs = type(node)._output_fields

    def packed_late(name: str, value: Any) -> bool:
        return value is RESULT or name.startswith("result") or name in outputs

    for name, value in sorted(fields.items(), key=lambda item: (packed_late(*item), item[0])):
        where = saved.get(name)
        if where is None:
            setattr(node, name, value)
            continue
        slot, serves = where
        if value is RESULT:
            assert output is not None  # (RESULT is only saved with the op's output)
            value = SavedTensor(output, True)
        elif serves >= 0 and node._next_nodes[serves] is None:
            value = None
        elif isinstance(value, Tensor):
            value = SavedTensor(value)
        elif type(value) is list:
            value = _save_list(value)
        setattr(node, slot, value)
