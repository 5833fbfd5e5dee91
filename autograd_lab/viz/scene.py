"""What each box and arrow of the picture says, and how it looks, at one moment of a pass.

``Scene.looks(state)`` gives one ``svgparts.Look`` per box and arrow for a ``PassState``:

* a backward node says whether it waits (and what its buffer holds so far), is ready in the
  queue, is running (and what it was called with), or ran at step k;
* an arrow of ``next_functions`` shows the gradient it carried, red at the step it was sent and
  teal afterwards;
* a leaf shows ``.grad`` as it was at that moment (framed in red at the step it changed), a
  retained tensor its stored gradient, an input of ``autograd.grad`` the gradient returned for
  it; an output's ``grad_fn`` arrow shows the gradient the pass started from.

The boxes start from what ``render_graph`` would draw before the pass (``BoxBase``, captured by
``frames``), so the animation and the still picture agree.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, NamedTuple, Sequence

import numpy as np

from . import boxes, style
from .collapse import KEPT, Plan
from .labels import Line, shape_text, value_lines
from .picture_words import word
from .passstate import PassState, Sent, Start, expected_gradients
from .svgparts import Look
from .compact import compact, hover_text
from .textstyle import LINE_STYLES
from .wording import WORDS, say
from .walk import GraphModel, op_name

if TYPE_CHECKING:
    from ..tensor import Tensor

RUNNING = style.HIGHLIGHT        # the node running now, and the arrows it just sent along
RUNNING_FILL = "#fff1f2"
READY = "#d97706"                # ready in the queue, or waiting for more gradients
DONE = "#0f766e"                 # ran already; arrows that carried a gradient earlier

TEXT_STYLES: dict[str, dict[str, str]] = {
    **LINE_STYLES,
    "R": {"fill": "#be123c", "font-weight": "bold"},   # running now; a gradient just sent
    "D": {"fill": "#0f766e"},                          # ran; a gradient sent earlier
    "S": {"fill": "#b45309", "font-weight": "bold"},   # ready, or waiting for gradients
    "B": {"fill": "#92400e"},                          # what a buffer holds
}



def words(lang: str, by_hand: bool) -> dict[str, str]:
    """What a node's status line says (running, ran, ready), in ``lang``."""
    suffix = "_hand" if by_hand else ""
    return {key: WORDS[lang][key + suffix] for key in ("running", "ran", "ready")}


class BoxBase(NamedTuple):
    """A box as ``render_graph`` draws it before the pass."""

    lines: tuple[Line, ...]
    kind: str            # a key of style.LOOKS
    look: style.Look


class EdgeBase(NamedTuple):
    """An arrow as ``render_graph`` draws it: its label and colour, and what it is."""

    label: str
    color: str
    what: str            # "next" (next_functions), "grad_fn" or "variable"


class Scene:
    """The looks of a graph's boxes and arrows at any moment; see the module docstring."""

    def __init__(self, model: GraphModel, plan: Plan, bases: Mapping[str, BoxBase],
                 edges: Mapping[str, EdgeBase], start: Start, show_values: bool = True,
                 lang: str = "en", compact: bool = True) -> None:
        self.model = model
        self.plan = plan
        self.lang = lang
        self.compact = compact
        # the whole label of each tensor box, for its tooltip; the box itself says less
        self.hover = {key: hover_text(base.lines) for key, base in bases.items()
                      if key[0] == "t"}
        if compact:
            bases = {key: base._replace(lines=_compact(base.lines, lang)) if key[0] == "t"
                     else base for key, base in bases.items()}
        self.bases = bases
        self.edges = edges
        self.start = start
        self.show_values = show_values
        self.expected = expected_gradients(model)
        self._values: dict[tuple, tuple[Any, list[Line]]] = {}
        self._tensor_lines: dict[tuple, tuple[Line, ...]] = {}

    # -- the whole picture -----------------------------------------------------------------------
    def looks(self, state: PassState) -> dict[str, Look]:
        """``{box or arrow id: Look}`` for every box and arrow that can change."""
        out: dict[str, Look] = {}
        group_of = self.plan.group_of
        said = words(self.lang, state.mode == "by hand")
        for box_id, base in self.bases.items():
            head = box_id[0]
            if head == "n" and "_s" in box_id:
                out[box_id] = self._saved(box_id, base, state)
            elif head == "n":
                out[box_id] = self._op(int(box_id[1:]), base, state, said)
            elif head == "t":
                out[box_id] = self._tensor(int(box_id[1:]), base, state)
            elif head == "g":
                out[box_id] = self._group(int(box_id[1:]), base, state, said)
        for edge_id, edge in self.edges.items():
            if edge.what == "next":
                i, pos = (int(v) for v in edge_id[1:].split("_"))
                if group_of[i] == KEPT:
                    out[edge_id] = self._next(i, pos, edge, state)
            else:
                out[edge_id] = self._tensor_edge(int(edge_id[1:-2]), edge, state)
        return out

    def reservation(self, roots: Sequence[tuple[int, int, tuple]],
                    magnitude: float = 12.2222) -> list[dict[str, Look]]:
        """Looks at least as large as the moments of a pass can make them, with made-up values
        of the right shapes (``-magnitude`` everywhere): the layout for a pass whose frames come
        one at a time (the stepper). ``roots``: ``(node, slot, shape)`` where the pass starts.
        """
        shapes: dict[tuple[int, int], tuple] = {(i, nr): shape for i, nr, shape in roots}
        for p, kids in enumerate(self.model.children):
            meta = self.model.ops[p]._input_meta
            for pos, (child, nr) in enumerate(kids):
                if child is not None:
                    shapes.setdefault((child, nr), meta[pos][0])
        n = len(self.model.ops)
        slots = {i: tuple(_made_up(shapes.get((i, nr), ()), magnitude)
                          for nr in range(node._num_outputs))
                 for i, node in enumerate(self.model.ops)}
        done = PassState(step=n, mode="by hand", ran_at={i: n for i in range(n)},
                         received=slots)
        for i, node in enumerate(self.model.ops):
            for pos, pair in enumerate(node._input_meta):
                if pair is not None:  # (nothing is sent to an input that needs no gradient)
                    done.sent[(i, pos)] = Sent(_made_up(pair[0], magnitude), n)
        for k in self.start.grads:
            done.grads[k] = _made_up(tuple(self.model.tensors[k].tensor.shape), magnitude)
        waiting = PassState(step=0, mode="by hand", buffers=slots,
                            arrived={i: max(e - 1, 1) for i, e in enumerate(self.expected)})
        ready = PassState(step=0, mode="by hand", buffers=slots, queue=tuple(range(n)))
        out = [self.looks(done), self.looks(waiting), self.looks(ready)]
        said = words(self.lang, True)
        running = {}
        for i in range(n):  # each node running, in turn
            if f"n{i}" in self.bases:
                done.current = i
                running[f"n{i}"] = self._op(i, self.bases[f"n{i}"], done, said)
        for g, members in enumerate(self.plan.groups):  # a summary box names its running node
            done.current = max(members, key=lambda m: len(op_name(self.model.ops[m])))
            running[f"g{g}"] = self._group(g, self.bases[f"g{g}"], done, said)
        return out + [running]

    # -- boxes -----------------------------------------------------------------------------------
    def _op(self, i: int, base: BoxBase, state: PassState, words: dict) -> Look:
        lines = list(base.lines)
        # the status comes right under the name, so that it stays on the same line
        freed = ([Line(say(self.lang, "saved_freed"), "I")]
                 if i in state.freed and i not in self.start.freed else [])
        expected = self.expected[i]
        look = base.look
        if state.current == i:
            lines.append(Line(words["running"].format(k=state.step), "R"))
            lines += self._slots(word(self.lang, "in"), state.received.get(i, ()), "R") + freed
            return Look(tuple(lines), RUNNING, "3", RUNNING_FILL, state="running")
        if i in state.ran_at:
            lines.append(Line(words["ran"].format(k=state.ran_at[i]), "D"))
            return Look(tuple(lines + freed), DONE, "1.8", look.fill, state="ran")
        if i in state.queue:
            lines.append(Line(words["ready"].format(n=state.queue.index(i) + 1), "S"))
            lines += self._slots(word(self.lang, "buffer"), state.buffers.get(i, ()), "B")
            return Look(tuple(lines), READY, "2.4", look.fill, state="ready")
        arrived = state.arrived.get(i, 0)
        if arrived:
            lines.append(Line(say(self.lang, "has_of", n=arrived, m=expected), "S"))
            lines += self._slots(word(self.lang, "buffer"), state.buffers.get(i, ()), "B")
            return Look(tuple(lines), READY, "1.6", look.fill, "5,3", state="waiting")
        if expected > 1:
            lines.append(Line(say(self.lang, "waits_for", m=expected), "I"))
        return Look(tuple(lines), look.border, "1.4", look.fill, _dash(look), state="idle")

    def _tensor(self, k: int, base: BoxBase, state: PassState) -> Look:
        look = base.look
        spot = self.model.tensors[k]
        grad: Any = state.grads.get(k, _UNCHANGED) if k in self.start.grads else _UNCHANGED
        captured = state.captured.get(k, ())
        lines: tuple[Line, ...] | None
        if grad is _UNCHANGED and not captured:
            lines = base.lines
        else:
            key = (k, id(grad), tuple(id(g) for _, g in captured))
            lines = self._tensor_lines.get(key)
            if lines is None:
                node = self.model.ops[spot.op] if spot.op is not None else None
                grad_lines = None
                if grad is not _UNCHANGED:
                    grad_lines = (self._value("grad = ", grad, "G") if grad is not None
                                  else [Line(word(self.lang, "grad_not_computed"), "I")])
                for index, g in captured:
                    grad_lines = (grad_lines or []) + self._value(f"grad(\u2026)[{index}] = ",
                                                                  g, "G")
                lines = tuple(boxes.tensor_lines(spot, node, self.model.output_count,
                                                 self.show_values, grad=grad_lines,
                                                 lang=self.lang))
                if self.compact:
                    lines = _compact(lines, self.lang)
                self._tensor_lines[key] = lines
        if k in state.changed:
            return Look(lines, RUNNING, "3", look.fill, state="changed")
        return Look(lines, look.border, "1.4", look.fill, _dash(look), state="idle")

    def _group(self, g: int, base: BoxBase, state: PassState, words: dict) -> Look:
        members = self.plan.groups[g]
        look = base.look
        lines = list(base.lines)
        ran = sum(1 for m in members if m in state.ran_at)
        if state.current is not None and self.plan.group_of[state.current] == g:
            name = op_name(self.model.ops[state.current])
            lines.append(Line(f"{words['running'].format(k=state.step)}: {name}", "R"))
            return Look(tuple(lines), RUNNING, "3", RUNNING_FILL, state="running")
        if ran == len(members):
            lines.append(Line(say(self.lang, "all_ran", n=f"{ran:,}"), "D"))
            return Look(tuple(lines), DONE, "1.8", look.fill, state="ran")
        if ran:
            lines.append(Line(say(self.lang, "some_ran", n=f"{ran:,}", m=f"{len(members):,}"),
                              "S"))
            return Look(tuple(lines), READY, "1.6", look.fill, "5,3", state="waiting")
        return Look(tuple(lines), look.border, "1.4", look.fill, _dash(look), state="idle")

    def _saved(self, box_id: str, base: BoxBase, state: PassState) -> Look:
        i = int(box_id[1:box_id.index("_")])
        if i in state.freed and i not in self.start.freed:
            freed = style.LOOKS["saved_freed"]
            lines = (base.lines[0], Line(word(self.lang, "freed_by_backward"), "I"),
                     Line("(retain_graph=False)", "I"))
            state_name = "changed" if state.current == i else "freed"
            return Look(lines, freed.border, "1.4", freed.fill, "5,2", state=state_name)
        return Look(base.lines, base.look.border, "1.4", base.look.fill, _dash(base.look),
                    state="idle")

    # -- arrows ----------------------------------------------------------------------------------
    def _next(self, i: int, pos: int, edge: EdgeBase, state: PassState) -> Look:
        lines = [Line(edge.label, "M")] if edge.label else []
        sent = state.sent.get((i, pos))
        if sent is None:
            return Look(tuple(lines), edge.color, "1.2", state="idle")
        now = sent.step == state.step
        code = "R" if now else "D"
        # (a gradient's own grad_fn, with create_graph or by hand, is told in the panel: on
        # the arrow it would make every label twice as wide)
        lines += self._value("", sent.value, code, single=True)
        if now:
            return Look(tuple(lines), RUNNING, "2.6", state="sent")
        return Look(tuple(lines), DONE, "1.6", state="carried")

    def _tensor_edge(self, k: int, edge: EdgeBase, state: PassState) -> Look:
        lines = [Line(edge.label, "M")]
        if edge.what == "grad_fn" and k in state.seeds:
            now = state.step == 0
            lines += self._value("", state.seeds[k], "R" if now else "D", single=True)
            if now:
                return Look(tuple(lines), RUNNING, "2.6", state="sent")
            return Look(tuple(lines), DONE, "1.6", state="carried")
        if edge.what == "variable" and k in state.changed:
            return Look(tuple(lines), RUNNING, "2.6", state="sent")
        return Look(tuple(lines), edge.color, "1.2", state="idle")

    # -- values ----------------------------------------------------------------------------------
    def _slots(self, name: str, values: Sequence[Any], code: str) -> list[Line]:
        """``in = tensor(...)``, or ``in[0] = ...`` per slot for a node with several outputs."""
        if len(values) == 1:
            return self._value(f"{name} = ", values[0], code)
        out: list[Line] = []
        for j, v in enumerate(values):
            out += self._value(f"{name}[{j}] = ", v, code)
        return out

    def _value(self, prefix: str, value: "np.ndarray | None", code: str,
               single: bool = False) -> list[Line]:
        """Lines that print ``value`` as PyTorch does, after ``prefix``; its shape when it is
        too large to read (or ``show_values=False``); one line only when ``single``."""
        key = (prefix, id(value), code, single)
        found = self._values.get(key)
        if found is not None and found[0] is value:
            return found[1]
        if value is None:
            lines = [Line(prefix + "None", code)]
        else:
            t = _tensor(value)
            lines = value_lines(t, prefix=prefix, style=code) if self.show_values else []
            if not lines or (single and len(lines) > 1):
                lines = [Line(f"{prefix}{shape_text(t, self.lang)}", code)]
        self._values[key] = (value, lines)  # the value is kept so that its id stays unique
        return lines


_UNCHANGED = object()
_compact = compact


def _dash(look: style.Look) -> str:
    return "5,2" if "dashed" in look.style else ""


def _made_up(shape: tuple, magnitude: float) -> "np.ndarray":
    """A value that prints as wide as real ones up to ``magnitude``: ``-magnitude`` everywhere.
    (The stepper starts at 12.3456, as wide as most values in a lesson: a larger start would
    make every box wide. A larger real value has the graph laid out again, with room to grow.)
    """
    # not a whole number: PyTorch prints whole numbers without their decimals ("-1000.")
    return np.full(shape, -(float(magnitude) + 0.1234), dtype=np.float32)


def magnitude(states: Sequence[PassState]) -> float:
    """The largest absolute value the states show (their gradients, buffers and .grads)."""
    largest = 0.0
    for s in states:
        arrays = [*(v for vs in s.received.values() for v in vs),
                  *(v for vs in s.buffers.values() for v in vs),
                  *(sent.value for sent in s.sent.values()), *s.grads.values()]
        for a in arrays:
            if a is not None and np.size(a):
                largest = max(largest, float(np.nanmax(np.abs(np.where(np.isfinite(a), a,
                                                                         0)))))
    return largest


def _tensor(value: "np.ndarray") -> "Tensor":
    from ..tensor import _make
    return _make(np.asarray(value), None)
