"""Freeing a graph without deep recursion, where Python itself would recurse too deep.

When the last reference to a node goes, Python frees it and, inside that, whatever only it
held: its ``next_functions`` edges, whose nodes are freed in turn, and so on down the graph. On
a chain of n ops that nests n deallocations. CPython bounds the nesting itself (its "trashcan"
sets deallocations aside past a small depth and frees them in a loop): a 100,000-op chain is
freed there even in a thread with a 256 KiB stack. Pyodide's Python, in a browser, nests them
far deeper than the browser's stack allows: freeing a chain of about 2,400 ops overflows it,
and that kills the interpreter.

There, as PyTorch's node destructor does, a dying node hands its edges (and the saved tensors
that lead to other nodes) to a work list instead of freeing them inside its own deallocation,
and the outermost release empties that list in a loop: every node is freed at the same small
depth however long the chain. Elsewhere nothing is installed: a ``__del__`` on every node
would cost the core a few per cent of its time for nothing.
"""
from __future__ import annotations

import inspect
import sys
import types
from typing import Any

# Objects taken from dying nodes, still to let go. While a release is under way its first entry
# is a marker (None), so that a node freed inside it only adds what it held and returns.
_pending: list = []

# Per node class, what a release takes out of a dying node besides its edges: the slots that
# can hold a saved tensor (a saved input's tensor holds that input's node, so a chain can run
# through them before a backward frees them) and, for classes with a ``__dict__`` (custom
# Function nodes, whose ctx keeps anything), that dict.
_PLANS: dict = {}


def _plan(cls: type) -> tuple:
    from .node import SavedTensor
    slots = tuple(name for name in getattr(cls, "_saved_slots", ())
                  if isinstance(inspect.getattr_static(cls, name, None),
                                types.MemberDescriptorType))
    plan = _PLANS[cls] = (slots, cls.__dictoffset__ != 0, SavedTensor)
    return plan


# Where a node must release its graph itself: the interpreter's own deallocation nests as deep
# as the graph (Pyodide).
NEEDED = sys.platform == "emscripten"


def install(node_cls: type, on: bool = NEEDED) -> None:
    """Make ``release_node`` the ``__del__`` of ``node_cls`` (and so of every node), or take
    it away (``on=False``). Done once for ``Node`` at import; tests switch it on elsewhere."""
    if on:
        setattr(node_cls, "__del__", release_node)  # (a method the class did not declare)
    elif "__del__" in vars(node_cls):
        delattr(node_cls, "__del__")


def release_node(node: Any, _pending: list = _pending, _plans: dict = _PLANS) -> None:
    """``Node.__del__``: move what the dying node holds to the release under way, or start one.

    The node gives up its edges and saved tensors (nothing can read them any more: it is being
    freed), so the nodes they lead to are let go by the loop, at the loop's depth, not inside
    this node's deallocation. (The list and dict are bound as defaults so that a node freed late
    in the interpreter's shutdown, when module globals may be gone, still works.)
    """
    outermost = not _pending
    if outermost:
        _pending.append(None)
    try:
        edges = node._next_nodes
    except AttributeError:            # its __init__ failed before making any
        edges = ()
    if edges:
        _pending.append(edges)
        node._next_nodes = ()
        edges = None                  # (the list's reference must be the last one)
    plan = _plans.get(type(node)) or _plan(type(node))
    slots = plan[0]
    if slots:
        saved_tensor = plan[2]
        for slot in slots:
            value = getattr(node, slot, None)
            # a saved number or output, or one a backward freed, holds no tensor: leave it
            if value is not None and (type(value) is not saved_tensor
                                      or value._tensor is not None):
                _pending.append(value)
                setattr(node, slot, None)
        value = None
    if plan[1]:
        _pending.append(node.__dict__)
        node.__dict__ = {}
    if not outermost:                 # inside a release: its loop lets them go
        return
    try:
        while len(_pending) > 1:
            _pending.pop()            # freeing this may add more; nothing nests deeper
    finally:
        # normally just the marker; after an interruption (KeyboardInterrupt in the loop),
        # also what was left, freed now, each entry starting its own flat release
        _pending.clear()
