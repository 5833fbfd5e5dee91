"""Each step of a backward pass in words: the side panel of the animation and the stepper.

``Explainer.html(k)`` says, for frame ``k`` of a pass (see ``passstate``): which node ran, its
local derivative in plain words, what came in (and from how many paths it was summed), what
went out along each entry of ``next_functions``, what else happened (``.grad`` accumulated,
``retain_grad``, hooks, saved tensors freed, ``create_graph``), and what is still waiting.
The text is deterministic (no ``id()``), so a notebook can store it and compare it.

>>> import autograd_lab as torch
>>> from autograd_lab.viz.animate import animate_backward
>>> x = torch.tensor([2.], requires_grad=True)
>>> y = (x * x).sum()
>>> anim = animate_backward(y)
>>> print(anim.explainer.text(2).splitlines()[0])
Step 2 of 3: MulBackward0 (next_functions[0] of y.grad_fn)
"""
from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from ..autograd.node import AccumulateGrad, Node, SavedTensor
from .boxes import saved_values
from .passstate import PassState, expected_gradients, tensor_at
from .rules import FALLBACK, Operands, explain_rule, rule_of
from .walk import GraphModel, op_name
from .wording import say

__all__ = ["Explainer", "rule", "node_values", "value_text", "value_html", "code",
           "written_inputs"]

if TYPE_CHECKING:
    from ..tensor import Tensor

MAX_VALUE_NUMEL = 64
MAX_INLINE = 40  # characters: a value longer than this is not written inside a formula
# a value too large to print, in each language
_LARGE = {"en": ("a tensor of shape [{dims}]", "tensor of shape [{dims}]"),
          "zh": ("形状为 [{dims}] 的张量", "形状为 [{dims}] 的张量")}


def rule(node: Any, names: dict[str, str] | None = None, lang: str = "en") -> str:
    """The local derivative of ``node`` in words, with ``names`` for its output (``z``) and
    inputs (``a``, ``b``, ...: the entries of ``next_functions``); no numbers (see
    ``Explainer`` for a step's)."""
    names = names or {}
    found = rule_of(node)
    if found is None:
        return FALLBACK[lang]
    n = len(getattr(node, "next_functions", ()))
    inputs = [names.get(key, key) for key in "abcdefgh"[:max(n, 1)]]
    ops = Operands(names.get("z", "z"), inputs, [True] * len(inputs), node_values(node))
    return explain_rule(found, ops, lang)


def node_values(node: Any) -> dict[str, str]:
    """The values a node keeps besides tensors (``alpha``, ``dim``, ``exponent``...), as the
    learner would write them: its plain attributes and its saved fields that are not tensors
    (``None`` for a field saved as None)."""
    values = {}
    for field_name in type(node)._saved_fields:  # first as PyTorch shows them (_saved_dim)
        try:
            value = getattr(node, "_s_" + field_name)
        except AttributeError:  # (a field this node never stored)
            continue
        if isinstance(value, SavedTensor) or (
                isinstance(value, list) and any(isinstance(v, SavedTensor) for v in value)):
            continue
        values[field_name] = "None" if value is None else _number(value)
    for key, text in saved_values(node):
        values.setdefault(key, _number(text))
    for key in ("dim", "dims"):  # one dimension, as written: x.sum(0), not x.sum((0,))
        one = re.fullmatch(r"\((-?\d+),\)", values.get(key, ""))
        if one:
            values[key] = one.group(1)
    return values


def value_text(value: "np.ndarray | None", lang: str = "en") -> str:
    """A gradient as PyTorch prints it (or its shape, in ``lang``, when it is large)."""
    if value is None:
        return "None"
    from ..tensor import _make
    t = _make(np.asarray(value), None)
    if t._data.size > MAX_VALUE_NUMEL:
        return _LARGE[lang][0].format(dims=", ".join(str(s) for s in t._data.shape))
    return repr(t)


def written_inputs(model: GraphModel, known: Any = None) -> dict[tuple[int, int | str], str]:
    """How the learner wrote what a node saved and its explanation names: each input that
    needs no gradient (an entry ``(None, 0)`` of ``next_functions``; key ``(node, entry)``),
    and each saved tensor the words name by its field (``{indices}``; key ``(node, field)``).
    The learner's name for it (``known``, a ``names.Names``), else the number (``3``), else its
    printed value when that is short. Read it before a backward pass: the pass frees what
    nodes saved."""
    out: dict[tuple[int, int | str], str] = {}
    for i, node in enumerate(model.ops):
        kids = model.children[i]
        found = rule_of(node)
        fields_named = _named_fields(found)
        if fields_named:
            for field_name, record in node.saved_tensors_items():
                if field_name in fields_named:
                    t = record.peek() if not record.freed else None
                    text = _written(t, known, number=False) if t is not None else ""
                    if text:
                        out[(i, field_name)] = text
        if all(child is not None for child, _ in kids):
            # a number the op took that is no input of its node (add.Scalar: AddBackward1)
            t = _remembered_constant(node)
            text = _written(t, known) if t is not None else ""
            if text:
                out[(i, len(kids))] = text
            continue
        saved = None
        for pos, (child, _) in enumerate(kids):
            if child is not None:
                continue
            fields = _input_fields(found, pos)
            if saved is None:
                saved = list(node.saved_tensors_items())
            for field_name, record in saved:
                if field_name in fields:
                    t = record.peek() if not record.freed else None
                    text = _written(t, known) if t is not None else ""
                    if text:
                        out[(i, pos)] = text
                    break
            else:
                t = _remembered_constant(node)
                text = _written(t, known) if t is not None else ""
                if text:
                    out[(i, pos)] = text
    return out


def _remembered_constant(node: Node) -> "Tensor | None":
    """The operand needing no gradient that an add or sub node remembers for these panels
    (a number's value, or a tensor held weakly; see ``ops.pointwise._note_constant``)."""
    held = getattr(node, "_constant", None)
    if held is None:
        return None
    if isinstance(held, np.ndarray):
        from ..tensor import _make  # (viz imports the tensor module where it needs it)
        t = _make(held, None)
        t._wrapped_number = True
        return t
    return held()


_NAMED_FIELDS: dict[int, tuple[Any, frozenset[str]]] = {}


def _named_fields(found: Any) -> frozenset[str]:
    """The saved tensor fields an explanation names (``{indices}``)."""
    if found is None:
        return frozenset()
    cached = _NAMED_FIELDS.get(id(found))
    if cached is not None and cached[0] is found:
        return cached[1]
    texts = [found.formula, *found.text.values()]
    for g in found.grads:
        texts += list(g.values()) if isinstance(g, dict) else [g or ""]
    words = set(re.findall(r"\{([a-z_]+)\}", " ".join(texts)))
    named = frozenset(words & set(_SAVED_TENSOR_FIELDS))
    _NAMED_FIELDS[id(found)] = (found, named)  # (the explanation is kept: its id stays its own)
    return named


# saved tensors an explanation may name by their field, when they are not an input
_SAVED_TENSOR_FIELDS = ("indices", "index", "mask", "condition", "target")


def _input_fields(found: Any, pos: int) -> tuple[str, ...]:
    """The saved fields that may hold the input at entry ``pos``."""
    own = getattr(found, "inputs", ())
    named = (own[pos],) if pos < len(own) and own[pos] else ()
    return named + _EDGE_FIELDS.get(pos, ())


def _written(t: "Tensor", known: Any = None, number: bool = True) -> str:
    """A tensor as the learner would write it: its name, its number (with ``number``: an
    operand, not an index), or its short value."""
    if known is not None:
        names = known.of_tensor(t)
        if names:
            return names[0]
    if number and _number(t):
        return _number(t)
    if t.numel() > MAX_VALUE_NUMEL:
        return ""
    text = repr(t.detach())
    return text if "\n" not in text and len(text) <= MAX_INLINE else ""


def code(text: str) -> str:
    return f"<code>{html.escape(text)}</code>"


def value_html(value: "np.ndarray | None", lang: str = "en") -> str:
    text = value_text(value, lang)
    if "\n" in text:
        return f'<pre class="agm-value">{html.escape(text)}</pre>'
    return code(text)


class Explainer:
    """The words for each frame of a pass; see the module docstring.

    ``call`` is the code that started the pass, as the learner wrote it (``"y.backward()"``);
    ``output`` the name of what is differentiated (``"y"``); ``lang`` "en" or "zh".
    """

    def __init__(self, model: GraphModel, states: Sequence[PassState], call: str,
                 output: str, total: int | None = None, lang: str = "en",
                 written: dict[tuple[int, int | str], str] | None = None) -> None:
        self.model = model
        # how the learner wrote the inputs that need no gradient (``written_inputs``)
        self.written = written or {}
        self.states = states
        self.call = call
        self.output = output
        self.lang = lang
        # how many steps the pass has (a stepper knows before it has made them)
        self.total = len(states) - 1 if total is None else total
        self.expected = expected_gradients(model)
        self._at = tensor_at(model)
        self._parents: dict[int, list[tuple[int, int]]] = {}
        for i, kids in enumerate(model.children):
            for pos, (child, _) in enumerate(kids):
                if child is not None:
                    self._parents.setdefault(child, []).append((i, pos))

    def say(self, key: str, **values: object) -> str:
        return say(self.lang, key, **values)

    def value_text(self, value: "np.ndarray | None") -> str:
        return value_text(value, self.lang)

    def value_html(self, value: "np.ndarray | None") -> str:
        return value_html(value, self.lang)

    def short(self, value: "np.ndarray | None") -> str | None:
        return _short(value, self.lang)

    # -- names -----------------------------------------------------------------------------------
    def tensor_name(self, i: int, nr: int = 0) -> str | None:
        """The learner's name for the tensor whose gradient node ``i`` receives."""
        k = self._at.get((i, nr))
        if k is not None and self.model.tensors[k].names:
            return self.model.tensors[k].names[0]
        return None

    def who(self, i: int) -> str:
        """``MulBackward0 (y.grad_fn)``, ``AccumulateGrad (x)``, or for a tensor with no name
        ``AddBackward0 (next_functions[1] of MulBackward0)``."""
        node = self.model.ops[i]
        name = op_name(node)
        tensor = self.tensor_name(i)
        if isinstance(node, AccumulateGrad):
            return f"{name} ({tensor or self.say('a_leaf')})"
        if tensor:
            return f"{name} ({tensor}.grad_fn)"
        parents = self._parents.get(i)
        if parents:
            p, pos = parents[0]
            parent = op_name(self.model.ops[p])
            p_tensor = self.tensor_name(p)
            if p_tensor:
                parent = f"{p_tensor}.grad_fn"
            return self.say("of_node", name=name, pos=pos, parent=parent)
        return name

    def grad_of(self, i: int) -> str:
        """``dy/da``: what the gradient arriving at node ``i`` is the derivative of."""
        tensor = self.tensor_name(i)
        if tensor:
            return f"d{self.output}/d{tensor}"
        return self.say("grad_wrt", out=self.output)

    # -- the panel -------------------------------------------------------------------------------
    def html(self, k: int) -> str:
        """The panel for frame ``k``, as HTML."""
        return "\n".join(part for parts in self.sections(k).values() for part in parts)

    def text(self, k: int) -> str:
        """The panel for frame ``k`` as plain text (for tests and terminals)."""
        text = re.sub(r"<(h4|p|li|tr|div|td)\b[^>]*>", "\n", self.html(k))
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())

    def caption(self, k: int) -> tuple[str, str]:
        """Frame ``k`` in two short lines of plain text (the animated SVG's caption)."""
        s = self.states[k]
        if k == 0:
            seeds = ", ".join(self.value_text(v) for b in s.buffers.values() for v in b
                              if v is not None)
            first = ", ".join(self.who(i) for i in s.buffers)
            return (self.say("caption_start", call=self.call),
                    self.say("caption_gets", first=first, seeds=seeds))
        i = s.current
        assert i is not None
        title = self.say("step_title", k=k, n=self.total, who=self.who(i))
        received = ", ".join(self.value_text(v) for v in s.received.get(i, ()))
        node = self.model.ops[i]
        if isinstance(node, AccumulateGrad):
            at = self._at.get((i, 0))
            name = self.tensor_name(i) or self.say("the_leaf")
            if s.mode == "grad" or at is None or at not in s.changed:
                return title, self.say("caption_in", values=received)
            return title, f"{name}.grad = {self.value_text(s.grads.get(at))}"
        sent = [self.value_text(s.sent[(i, pos)].value) for pos in range(len(node.next_functions))
                if (i, pos) in s.sent]
        return title, self.say("caption_out", values=received,
                               sent=", ".join(sent) or self.say("nothing"))

    def sections(self, k: int) -> dict[str, list[str]]:
        """The panel of frame ``k`` in parts (HTML): ``title``, ``rule``, ``in``, ``out``,
        ``also``, ``waiting``, ``end`` (some empty)."""
        parts = self._start() if k == 0 else self._step(k)
        parts["waiting"] = self._waiting(self.states[k])
        parts["end"] = self._end() if k == self.total else []
        return parts

    def _start(self) -> dict[str, list[str]]:
        s = self.states[0]
        first = ", ".join(code(self.who(i)) for i in s.buffers)
        seeds = ", ".join(self.value_html(v) for b in s.buffers.values() for v in b if v is not None)
        out = self.output
        if s.mode == "by hand":
            body = [f"<p>{self.say('start_by_hand', first=first, seeds=seeds, out=out)}</p>",
                    f"<p>{self.say('to_call', n=self.total)}</p>"]
        elif len(s.buffers) > 1:
            body = [f"<p>{self.say('start_many', first=first, seeds=seeds)}</p>"]
        else:
            body = [f"<p>{self.say('start_one', first=first, seeds=seeds, out=out)}</p>"]
        if s.mode != "by hand":
            body += [f"<p>{self.say('start_walk')}</p>",
                     f"<p>{self.say('will_run', n=self.total)}</p>"]
        if s.mode == "grad":
            body.append(f"<p>{self.say('grad_mode')}</p>")
        title = self.say("start_title", call=code(self.call))
        return {"title": [f'<div class="agm-title">{title}</div>'],
                "rule": [], "in": body, "out": [], "also": []}

    def _step(self, k: int) -> dict[str, list[str]]:
        s = self.states[k]
        before = self.states[k - 1]
        i = s.current
        assert i is not None
        node = self.model.ops[i]
        verb = self.say("you_call" if s.mode == "by hand" else "engine_calls")
        title = self.say("step_title", k=k, n=self.total, who=code(self.who(i)))
        parts = {"title": [f'<div class="agm-title">{title}</div>'],
                 "rule": [f'<p class="agm-rule">{html.escape(self.rule_text(i, s))}</p>'],
                 "in": [f"<h4>{self.say('h_in')}</h4>", self._incoming(i, s, verb)]}
        if isinstance(node, AccumulateGrad):
            parts["out"] = self._accumulated(i, s, before)
        else:
            parts["out"] = [f"<h4>{self.say('h_out')}</h4>", self._outgoing(i, s)]
        parts["also"] = self._also(i, s)
        return parts

    def rule_text(self, i: int, s: PassState | None = None) -> str:
        """Node ``i``'s local derivative with the learner's names and, given the state ``s``
        of the step it ran in, the numbers it got and sent."""
        node = self.model.ops[i]
        found = rule_of(node)
        if found is None:
            return FALLBACK[self.lang]
        if isinstance(node, AccumulateGrad):
            leaf = self.tensor_name(i) or self.say("the_leaf")
            return explain_rule(found, Operands(leaf, (), (), {}), self.lang)
        return explain_rule(found, self.operands(i, s, found), self.lang)

    def operands(self, i: int, s: PassState | None, found: Any = None) -> Operands:
        """The names and values of node ``i``'s step, for its rule."""
        node = self.model.ops[i]
        names = self.rule_names(i)
        z = names["z"]
        kids = self.model.children[i]
        scalars = node_values(node)
        for field_name in _named_fields(found):  # a saved tensor the words name
            scalars.setdefault(field_name, self.written.get((i, field_name), field_name))
        inputs, needs = [], []
        for pos, (child, nr) in enumerate(kids):
            needs.append(child is not None)
            if child is not None:
                inputs.append(names.get(f"i{pos}") or "?")
            else:
                inputs.append(self._constant(i, pos, found, s) or _pytorch_name(found, pos)
                              or self.say("a_tensor"))
        if found is not None and found.constant and "c" not in scalars:
            c = self._constant(i, len(kids), found, s)
            if c:
                scalars["c"] = c
        gname = gval = ""
        sent: list[str | None] = []
        if s is not None:
            received = s.received.get(i, ())
            if len(received) == 1:
                gname = f"d{self.output}/d{z}"
                gval = self.short(received[0]) or "None"
            for pos in range(len(kids)):
                got = s.sent.get((i, pos))
                sent.append(self.short(got.value) if got is not None else None)
        shapes = {tuple(meta[0]) for meta, (child, _) in zip(node._input_meta, kids)
                  if child is not None}
        if s is not None and len(s.received.get(i, ())) == 1 and s.received[i][0] is not None:
            shapes.add(tuple(np.shape(s.received[i][0])))
        return Operands(z, inputs, needs, scalars, gname, gval, sent, len(shapes) > 1,
                        self._shape_of(i, s))

    def _shape_of(self, i: int, s: PassState | None) -> str:
        """Node ``i``'s output shape, as a call writes it (``3, 2``; ``()``); "" if unknown."""
        shape = None
        if s is not None and len(s.received.get(i, ())) == 1 and s.received[i][0] is not None:
            shape = np.shape(s.received[i][0])  # (the gradient has the output's shape)
        else:
            value = self._value_at(i, 0)
            shape = None if value is None else value.shape
        if shape is None:
            return ""
        return ", ".join(str(n) for n in shape) if shape else "()"

    def _constant(self, i: int, pos: int, found: Any,
                  s: PassState | None = None) -> str | None:
        """A number or tensor that needs no gradient, as the learner wrote it: a saved value
        (``other`` of ``x * 3``, while the graph keeps it), or else, for the ops whose
        explanation says how (``constant``), recovered from the values of the output and the
        other input (``b = torch.add(w, 1)``: b - w = 1), or from the gradients of this step
        (``x * 3``: x gets 3·g). ``pos`` is the entry of ``next_functions`` it stands in, or
        the number of entries for a number that has none (``x + 1`` recorded as add.Scalar)."""
        node = self.model.ops[i]
        if (i, pos) in self.written:
            return self.written[(i, pos)]
        fields = _input_fields(found, pos)
        for field_name, record in node.saved_tensors_items():
            if field_name in fields:
                t = record.peek() if not record.freed else None
                if t is not None:
                    return _written(t) or None
        kind = getattr(found, "constant", "")
        if not kind:
            return None
        if kind == "fill":  # x.fill_(2): every element of the output is the number
            z = self._value_at(i, 0)
            if z is None:
                return None
            z = np.asarray(z, dtype=np.float64)
            return _constant_of(z, np.ones_like(z))
        kids = self.model.children[i]
        other = next((q for q, (child, _) in enumerate(kids) if child is not None and q != pos),
                     None)
        if other is None:
            return None
        try:
            alpha = float(node_values(node).get("alpha", "1"))
        except ValueError:
            return None
        z = self._value_at(i, 0)
        child, nr = kids[other]
        a = self._value_at(child, nr) if child is not None else None
        c = None
        with np.errstate(all="ignore"):
            if z is not None and a is not None and z.shape == np.broadcast_shapes(z.shape,
                                                                                   a.shape):
                c = _recover(kind, pos, z, a, alpha)
            if c is None and s is not None and kind in ("mul", "div"):
                got = s.sent.get((i, other))
                received = s.received.get(i, ())
                if got is not None and len(received) == 1 and received[0] is not None:
                    g = np.asarray(received[0], dtype=np.float64)
                    sent = np.asarray(got.value, dtype=np.float64)
                    if g.shape == sent.shape:
                        # x * c sends g·c to x; x / c sends g / c
                        c = _constant_of(sent, g) if kind == "mul" else _constant_of(g, sent)
        return c

    def _value_at(self, i: int, nr: int) -> "np.ndarray | None":
        k = self._at.get((i, nr))
        if k is None:
            return None
        return np.asarray(self.model.tensors[k].tensor._data)

    def rule_names(self, i: int) -> dict[str, str]:
        """The learner's names for node ``i``'s output (``z``) and its inputs (``i0``, ``i1``,
        ...; also ``a`` and ``b`` for the first two), where known; free letters elsewhere
        (never a name that means another tensor of the graph)."""
        taken = {name for spot in self.model.tensors for name in spot.names}
        taken.update(self.written.values())  # (a constant the learner named: "z = y · a")
        letters = [c for c in ("z", "a", "b", "u", "v", "p", "q", "r", "s") if c not in taken]
        out: dict[str, str] = {}
        name = self.tensor_name(i)
        out["z"] = name if name and name.isidentifier() else (letters.pop(0) if letters
                                                               else "z")
        for pos, (child, nr) in enumerate(self.model.children[i]):
            if child is None:
                continue
            name = self.tensor_name(child, nr)
            if not name or not name.isidentifier():
                name = letters.pop(0) if letters else f"input{pos}"
            out[f"i{pos}"] = name
        for key, pos in (("a", 0), ("b", 1)):
            if f"i{pos}" in out:
                out[key] = out[f"i{pos}"]
        return out

    def _incoming(self, i: int, s: PassState, verb: str) -> str:
        received = s.received.get(i, ())
        values = ", ".join(self.value_html(v) for v in received)
        text = self.say("called_with", verb=verb, values=values,
                        grad=html.escape(self.grad_of(i)))
        senders = [(p, pos) for p, pos in self._parents.get(i, ()) if (p, pos) in s.sent]
        if len(senders) > 1:
            pieces = " + ".join(self.value_html(s.sent[e].value) for e in senders)
            text += self.say("summed", n=len(senders), pieces=pieces)
        elif not senders and s.mode != "by hand":
            text += self.say("pass_started")
        return f"<p>{text}</p>"

    def _outgoing(self, i: int, s: PassState) -> str:
        rows = []
        for pos, (child, input_nr) in enumerate(self.model.children[i]):
            label = code(f"next_functions[{pos}]")
            if child is None:
                rows.append(f"<li>{self.say('no_grad_needed', label=label, nr=input_nr)}</li>")
                continue
            sent = s.sent.get((i, pos))
            value = self.value_html(sent.value) if sent is not None else self.say("not_sent")
            if sent is not None and sent.grad_fn:
                value += f" grad_fn=&lt;{html.escape(sent.grad_fn.rsplit('::', 1)[-1])}&gt;"
            rows.append(f"<li>{label} \u2192 {code(self.who(child))}:<br>{value}</li>")
        if not rows:
            return f"<p>{self.say('no_next')}</p>"
        return '<ul class="agm-out">' + "".join(rows) + "</ul>"

    def _accumulated(self, i: int, s: PassState, before: PassState) -> list[str]:
        k = self._at.get((i, 0))
        name = self.tensor_name(i) or self.say("the_leaf")
        grad = code(name + ".grad")
        if s.mode == "grad":
            got = s.captured.get(k, ()) if k is not None else ()
            if got:
                index, value = got[-1]
                return [f"<p>{self.say('grad_untouched_result', grad=grad, index=index, value=self.value_html(value))}</p>"]  # noqa: E501
            return [f"<p>{self.say('grad_untouched', grad=grad)}</p>"]
        if k is None or k not in s.changed:
            return [f"<p>{self.say('no_gradient', grad=grad)}</p>"]
        old, new = before.grads.get(k), s.grads.get(k)
        if old is None:
            text = self.say("was_none", grad=grad, value=self.value_html(new))
        else:
            text = self.say("was_added", grad=grad, old=self.value_html(old), value=self.value_html(new))
        return [f"<p>{text}</p>"]

    def _also(self, i: int, s: PassState) -> list[str]:
        items = []
        node = self.model.ops[i]
        for k in sorted(s.changed):
            spot = self.model.tensors[k]
            if spot.op == i and isinstance(node, AccumulateGrad):
                continue
            name = spot.names[0] if spot.names else self.say("a_tensor")
            if k in s.captured:
                index, value = s.captured[k][-1]
                items.append(self.say("kept_result", value=self.value_html(value), index=index,
                                      name=code(name)))
            else:
                items.append(self.say("retained", name=code(name), grad=code(name + ".grad"),
                                      value=self.value_html(s.grads.get(k))))
        for hook in s.hooks:
            items.append(self.say("hook_ran", hook=html.escape(hook)))
        if i in s.freed and i in s.ran_at and s.ran_at[i] == s.step and s.mode != "by hand":
            saved = ", ".join(name for name, _ in node.saved_tensors_items())
            if saved:
                items.append(self.say("freed", saved=html.escape(saved)))
        fns = {sent.grad_fn.rsplit("::", 1)[-1] for sent in s.just_sent().values()
               if sent.grad_fn}
        if fns and s.mode != "by hand":  # by hand, the stepper's panel says why
            items.append(self.say("create_graph", fns=html.escape(", ".join(sorted(fns)))))
        if not items:
            return []
        return [f"<h4>{self.say('h_also')}</h4>",
                "<ul>" + "".join(f"<li>{x}</li>" for x in items) + "</ul>"]

    def _waiting(self, s: PassState) -> list[str]:
        ready = [code(self.who(i)) for i in s.queue]
        partial = [self.say("n_of_m", node=code(self.who(i)), n=n, m=self.expected[i])
                   for i, n in sorted(s.arrived.items()) if n and i not in s.queue
                   and i not in s.ran_at]
        sep = "\u3001" if self.lang == "zh" else ", "
        parts = []
        if ready:
            parts.append(f"<p>{self.say('ready_next', nodes=sep.join(ready))}</p>")
        if partial:
            parts.append(f"<p>{self.say('still_waiting', nodes='; '.join(partial))}</p>")
        if not parts:
            return []
        return [f"<h4>{self.say('h_waiting')}</h4>"] + parts

    def _end(self) -> list[str]:
        if self.total == 0:
            return []
        s = self.states[-1]
        leaves = []
        for k, value in sorted(s.grads.items()):
            spot = self.model.tensors[k]
            if spot.tensor.grad_fn is None and spot.names:
                leaves.append(f"{code(spot.names[0] + '.grad')} = {self.value_html(value)}")
        text = self.say("done")
        if leaves and s.mode == "backward":
            text += " " + ", ".join(leaves) + ("\u3002" if self.lang == "zh" else ".")
        return [f"<p>{text}</p>"]


def _short(value: "np.ndarray | None", lang: str = "en") -> str | None:
    """A gradient on one line (its shape, in ``lang``, when it would take more)."""
    if value is None:
        return None
    text = value_text(value, lang)
    if "\n" in text:
        shape = ", ".join(str(n) for n in np.shape(value))
        return _LARGE[lang][1].format(dims=shape)
    return text


def _pytorch_name(found: Any, pos: int) -> str:
    """PyTorch's name for the input at entry ``pos`` (``target``), if the explanation says."""
    own = getattr(found, "inputs", ())
    return own[pos] if pos < len(own) else ""


def _number(value: Any) -> str:
    """A saved value as the learner would write it: ``2``, ``0.5``, ``x`` stays a repr."""
    from ..tensor import Tensor
    if isinstance(value, Tensor):
        data = np.asarray(value._data)
        if data.size == 1:
            return f"{float(data.ravel()[0]):g}"
        return ""
    if isinstance(value, str):
        try:
            return f"{float(value):g}"
        except ValueError:
            return value
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return f"{float(value):g}"
    return str(value)


# which saved field holds the input at each entry of next_functions, where a node saves it
_EDGE_FIELDS = {0: ("self",), 1: ("other", "exponent", "tensor", "vec", "mat2", "target", "min",
                                  "max"), 2: ("max",)}


def _recover(kind: str, pos: int, z: np.ndarray, a: np.ndarray, alpha: float) -> str | None:
    """The number ``c`` in ``z = a + alpha·c`` (``kind`` "add"), ``a - alpha·c`` ("sub"),
    ``c - alpha·a`` ("rsub"), ``a·c`` ("mul"), ``a / c`` ("div"; ``c / a`` when ``c`` is the
    first input, ``pos`` 0), when it is one number for every element."""
    z = np.asarray(z, dtype=np.float64)
    a = np.asarray(a, dtype=np.float64)
    if kind == "add":
        return _constant_of(z - a, np.full_like(z, alpha))
    if kind == "sub":
        return _constant_of(a - z, np.full_like(z, alpha))
    if kind == "rsub":
        return _constant_of(z + alpha * a, np.ones_like(z))
    if kind == "mul":
        return _constant_of(z, np.broadcast_to(a, z.shape))
    if kind == "div":
        if pos == 0:
            return _constant_of(z * a, np.ones_like(z))
        return _constant_of(np.broadcast_to(a, z.shape), z)
    return None


def _constant_of(top: np.ndarray, bottom: np.ndarray) -> str | None:
    """``top / bottom`` as one number, if it is the same wherever ``bottom`` is not 0."""
    keep = bottom != 0
    if not np.any(keep):
        return None
    ratio = (top[keep] / bottom[keep]).ravel()
    if not np.all(np.isfinite(ratio)):
        return None
    scale = max(1.0, float(np.abs(ratio).max()))
    if np.ptp(ratio) > 1e-6 * scale:
        return None
    return f"{float(np.round(ratio[0], 6)):g}"
