"""What each box says: the lines of a tensor, a backward node, a saved tensor, a summary.

Each function returns ``Line``s (text and a style code, see ``textstyle``) and, where the
content decides it, the kind of box (its colour in ``style.LOOKS``).
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Sequence

from ..autograd.node import AccumulateGrad, Node
from .labels import Line, flag_lines, grad_lines, shape_text, value_lines
from .names import Names
from .picture_words import word
from .walk import TensorSpot, is_custom, op_name

if TYPE_CHECKING:
    from ..tensor import Tensor

MAX_GROUP_LINES = 5  # op names listed in a summary box
_BASE_SLOTS = frozenset(Node.__slots__) | {"variable"}


def tensor_lines(spot: TensorSpot, node: Node | None, output_count: int,
                 show_values: bool, grad: list[Line] | None = None,
                 lang: str = "en") -> list[Line]:
    """Name (or role), shape, values, flags, ``.grad`` and hooks of a tensor; the words in
    ``lang``.

    ``grad`` replaces the ``.grad`` lines (the backward animation shows ``.grad`` as it was at
    each step, not as it is now)."""
    t = spot.tensor
    title = ", ".join(spot.names)
    if not title:
        if spot.kind == "output":
            title = (word(lang, "output") if output_count == 1
                     else word(lang, "output_k", k=spot.output_index))
        elif spot.kind == "tensor" and t._retains_grad:
            title = word(lang, "retained")
        else:
            title = word(lang, "leaf" if spot.kind == "leaf" else "tensor")
    lines = [Line(title, "T"), Line(shape_text(t, lang), "M")]
    if show_values:
        lines += value_lines(t)
    lines += flag_lines(t)
    lines += grad_lines(t, show_values, lang) if grad is None else grad
    hooks = _tensor_hooks(t, node, spot.output_nr)
    if hooks:
        lines.append(Line(word(lang, "tensor_hooks", n=hooks), "H"))
    if node is None and t.grad_fn is None and not t.requires_grad:
        lines.append(Line(word(lang, "no_graph"), "I"))
    return lines


def op_kind(node: Node, stale: bool) -> str:
    if isinstance(node, AccumulateGrad):
        return "accumulate"
    if is_custom(node):
        return "custom"
    return "stale_op" if stale else "op"


def op_lines(node: Node, *, show_saved: bool, stale: Sequence[str] | None,
             shown_outputs: set[int], order: int | None, lang: str = "en") -> list[Line]:
    """Name of a backward node, then what it keeps, what went wrong, its hooks and order."""
    lines = [Line(op_name(node), "T")]
    custom = is_custom(node)
    if custom:
        lines.append(Line(word(lang, "custom"), "I"))
    if show_saved and not custom:
        lines += [Line(f"{name} = {value}", "M") for name, value in saved_values(node)]
    saved = [record for _, record in node.saved_tensors_items()]
    if saved and all(record.freed for record in saved):
        lines.append(Line(word(lang, "saved_freed"), "I"))
    if stale:
        lines.append(Line(word(lang, "stale", names=", ".join(stale)), "W"))
        lines.append(Line(word(lang, "fails_here"), "W"))
    hooks = _node_hooks(node, shown_outputs, lang)
    if hooks:
        lines.append(Line(hooks, "H"))
    if order:
        lines.append(Line(word(lang, "order", k=order), "M"))
    return lines


def saved_kind(record: Any) -> str:
    if record.freed:
        return "saved_freed"
    return "saved_stale" if record.current_version != record.saved_version else "saved"


def saved_lines(node: Node, name: str, record: Any, known: Names,
                show_values: bool, lang: str = "en") -> list[Line]:
    """A saved tensor: which tensor it is, its value, and its version (or that it is freed)."""
    # PyTorch's names (self, other, result...); a custom Function's are saved_tensors[i]
    lines = [Line(name if name.startswith("saved") else word(lang, "saved_name", name=name),
                  "T")]
    if record.freed:
        return lines + [Line(word(lang, "freed_by_backward"), "I"),
                        Line("(retain_graph=False)", "I")]
    t = record.peek()
    if getattr(record, "_is_output", False):  # the node's own output, rebuilt on unpack
        who = known.of_output(node, getattr(record, "_output_nr", 0))
        lines.append(Line("= " + ", ".join(who) if who else word(lang, "own_output"), "N"))
    elif t is not None:
        who = known.of_tensor(t)
        if who:
            lines.append(Line("= " + ", ".join(who), "N"))
    if t is not None:
        lines.append(Line(shape_text(t, lang), "M"))
        if show_values:
            lines += value_lines(t)
    if record.current_version != record.saved_version:
        lines.append(Line(word(lang, "saved_version", old=record.saved_version,
                               new=record.current_version), "W"))
    else:
        lines.append(Line(word(lang, "version", k=record.saved_version), "M"))
    return lines


def group_lines(ops: Sequence[Node], members: Sequence[int], lang: str = "en") -> list[Line]:
    """A summary box: how many nodes, which ops (most frequent first), hidden leaves."""
    by_type = Counter(type(ops[i]) for i in members)
    counts: Counter[str] = Counter()
    for cls, count in by_type.items():
        counts[op_name(next(ops[i] for i in members if type(ops[i]) is cls))] += count
    lines = [Line(word(lang, "folded", n=f"{len(members):,}"), "T")]
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    lines += [Line(f"{name} \u00d7{count:,}", "N") for name, count in ranked[:MAX_GROUP_LINES]]
    if len(ranked) > MAX_GROUP_LINES:
        rest = sum(count for _, count in ranked[MAX_GROUP_LINES:])
        lines.append(Line(word(lang, "more_kinds", k=len(ranked) - MAX_GROUP_LINES,
                               n=f"{rest:,}"), "M"))
    leaves = counts.get("AccumulateGrad", 0)
    if leaves:
        lines.append(Line(word(lang, "leaves_hidden", n=f"{leaves:,}"), "I"))
    return lines


def saved_values(node: Node) -> list[tuple[str, str]]:
    """The non-tensor values a node keeps for its backward (``alpha``, ``dim``, ...)."""
    values = []
    for cls in type(node).__mro__:
        for slot in getattr(cls, "__slots__", ()):
            if slot in _BASE_SLOTS or slot.startswith("_"):
                continue
            value = getattr(node, slot, None)
            if value is not None:
                text = repr(value)
                values.append((slot, text if len(text) <= 40 else text[:39] + "\u2026"))
    return values


def _tensor_hooks(t: "Tensor", node: Node | None, output_nr: int) -> int:
    if t.grad_fn is None:
        return len(t._hooks or {})
    hooks = (node._tensor_pre_hooks or {}).get(output_nr) if node is not None else None
    return len(hooks or {})


def _node_hooks(node: Node, shown: set[int], lang: str = "en") -> str:
    """``hooks: 1 pre-hook, 2 hooks`` (tensor hooks of outputs drawn as boxes excluded)."""
    parts = []
    if node._pre_hooks:
        parts.append(word(lang, "pre_hooks", n=len(node._pre_hooks)))
    if node._hooks:
        parts.append(word(lang, "node_hooks", n=len(node._hooks)))
    tensor_hooks = sum(len(hooks) for nr, hooks in (node._tensor_pre_hooks or {}).items()
                       if nr not in shown)
    if tensor_hooks:
        parts.append(word(lang, "tensor_hooks", n=tensor_hooks))
    return word(lang, "hooks", parts=word(lang, "hooks_sep").join(parts)) if parts else ""
