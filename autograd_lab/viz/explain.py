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

from ..autograd.node import AccumulateGrad
from .passstate import PassState, expected_gradients, tensor_at
from .walk import GraphModel, is_custom, op_name

if TYPE_CHECKING:
    from ..tensor import Tensor

# The local derivative of each node, in words: {z} is the node's output, {a} and {b} its inputs
# (next_functions[0] and [1]), filled in with the learner's names where known.
RULES: dict[str, str] = {
    "AddBackward0": "{z} = {a} + {b}, so d{z}/d{a} = 1 and d{z}/d{b} = 1: the gradient goes on "
                    "unchanged to each input (times alpha for {b}; summed over broadcast "
                    "dimensions).",
    "AddBackward1": "{z} = {a} + a number, so d{z}/d{a} = 1: the gradient goes on unchanged.",
    "SubBackward0": "{z} = {a} - {b}, so d{z}/d{a} = 1 and d{z}/d{b} = -1: {a} gets the gradient, "
                    "{b} its negative.",
    "SubBackward1": "{z} = {a} - a number, so d{z}/d{a} = 1: the gradient goes on unchanged.",
    "RsubBackward1": "{z} = a number - {a}, so d{z}/d{a} = -1: {a} gets the negative of the "
                     "gradient.",
    "MulBackward0": "{z} = {a} * {b}, so d{z}/d{a} = {b} and d{z}/d{b} = {a}: each input gets the "
                    "gradient times the other factor (the node saved both for this).",
    "MulBackward1": "{z} = {a} * a number, so d{z}/d{a} = that number.",
    "DivBackward0": "{z} = {a} / {b}, so d{z}/d{a} = 1/{b} and d{z}/d{b} = -{a}/{b}\u00b2.",
    "DivBackward1": "{z} = {a} / a number, so d{z}/d{a} = 1 / that number.",
    "PowBackward0": "{z} = {a} ** p, so d{z}/d{a} = p \u00b7 {a}^(p-1) (the node saved {a} and p).",
    "PowBackward1": "{z} = {a} ** {b}, so d{z}/d{a} = {b} \u00b7 {a}^({b}-1) and "
                    "d{z}/d{b} = {a}^{b} \u00b7 ln {a}.",
    "PowBackward2": "{z} = c ** {a} for a number c, so d{z}/d{a} = {z} \u00b7 ln c.",
    "NegBackward0": "{z} = -{a}, so d{z}/d{a} = -1: the gradient with its sign flipped.",
    "ExpBackward0": "{z} = exp({a}), so d{z}/d{a} = exp({a}) = {z} (the node saved its own "
                    "result).",
    "LogBackward0": "{z} = log({a}), so d{z}/d{a} = 1/{a}.",
    "ReciprocalBackward0": "{z} = 1/{a}, so d{z}/d{a} = -1/{a}\u00b2 = -{z}\u00b2.",
    "AbsBackward0": "{z} = |{a}|, so d{z}/d{a} = sign({a}).",
    "SgnBackward0": "{z} = sign({a}) is flat: its derivative is 0 (where it exists).",
    "SignBackward0": "{z} = sign({a}) is flat: its derivative is 0 (where it exists).",
    "ReluBackward0": "{z} = relu({a}): the gradient passes where {z} is positive and is 0 "
                     "elsewhere (the node saved its result to know where).",
    "SigmoidBackward0": "{z} = sigmoid({a}), so d{z}/d{a} = {z} \u00b7 (1 - {z}).",
    "TanhBackward0": "{z} = tanh({a}), so d{z}/d{a} = 1 - {z}\u00b2.",
    "SumBackward0": "{z} = {a}.sum(): every element of {a} counts once in {z}, so each gets the "
                    "gradient: it is copied (broadcast) back to the shape of {a}.",
    "SumBackward1": "{z} = {a}.sum(dim): the gradient is copied back along the summed "
                    "dimensions.",
    "MeanBackward0": "{z} = {a}.mean() over n elements: each element gets the gradient / n.",
    "MeanBackward1": "{z} = {a}.mean(dim): the gradient / n is copied back along those "
                     "dimensions.",
    "MmBackward0": "{z} = {a} @ {b}, so {a} gets grad @ {b}\u1d40 and {b} gets "
                   "{a}\u1d40 @ grad.",
    "BmmBackward0": "{z} = {a} @ {b} batch by batch: {a} gets grad @ {b}\u1d40, {b} gets "
                    "{a}\u1d40 @ grad.",
    "AddmmBackward0": "{z} = c + m1 @ m2: c gets the gradient (summed to its shape), m1 gets "
                      "grad @ m2\u1d40 and m2 gets m1\u1d40 @ grad.",
    "MvBackward0": "{z} = {a} @ {b} (matrix times vector), so {a} gets outer(grad, {b}) and {b} "
                   "gets {a}\u1d40 @ grad.",
    "DotBackward0": "{z} = dot({a}, {b}), so d{z}/d{a} = {b} and d{z}/d{b} = {a}, times the "
                    "gradient.",
    "CatBackward0": "{z} = cat([...]): the gradient is cut back into the pieces that each input "
                    "contributed.",
    "StackBackward0": "{z} = stack([...]): the gradient is split back along the new dimension.",
    "UnbindBackward0": "the pieces' gradients are stacked back into one (zeros for a piece "
                       "that got none).",
    "ViewBackward0": "a reshape moves no value: the gradient is reshaped back.",
    "ReshapeAliasBackward0": "a reshape moves no value: the gradient is reshaped back.",
    "UnsafeViewBackward0": "a reshape moves no value: the gradient is reshaped back.",
    "TBackward0": "a transpose: the gradient is transposed back.",
    "TransposeBackward0": "a transpose: the gradient is transposed back.",
    "PermuteBackward0": "a permutation of dimensions: the gradient is permuted back.",
    "SqueezeBackward0": "the gradient gets back the dimensions of size 1 that were removed.",
    "SqueezeBackward1": "the gradient gets back the dimension of size 1 that was removed.",
    "SqueezeBackward4": "the gradient gets back the dimensions of size 1 that were removed.",
    "UnsqueezeBackward0": "the added dimension of size 1 is removed from the gradient.",
    "ExpandBackward0": "{z} = {a}.expand(...) repeats {a}: the gradient is summed over the "
                       "repeats.",
    "SelectBackward0": "{z} is one slice of {a}: its gradient goes back into that slice, and the "
                       "rest of {a} gets 0.",
    "SliceBackward0": "{z} is a slice of {a}: its gradient goes back into that slice, and the "
                      "rest of {a} gets 0.",
    "IndexBackward0": "{z} = {a}[index]: the gradient is added back at the indexed places; the "
                      "rest of {a} gets 0.",
    "CloneBackward0": "a copy: the gradient goes on unchanged.",
    "CopyBackwards": "a copy: the gradient goes on unchanged.",
    "AliasBackward0": "the same values: the gradient goes on unchanged.",
    "ToCopyBackward0": "a dtype conversion: the gradient is converted back.",
    "WhereBackward0": "{z} = where(cond, {a}, {b}): the gradient goes to {a} where cond is true "
                      "and to {b} elsewhere.",
    "MaskedFillBackward0": "the filled places no longer depend on {a}: they get 0, the rest the "
                           "gradient.",
    "FillBackward2": "{z} was filled with a number: {a} gets 0.",
    "FillBackward3": "{z} was filled with the value of {b}: {a} gets 0, {b} the sum of the "
                     "gradient.",
    "ZeroBackward0": "{z} is all zeros: {a} gets 0.",
    "LinalgVectorNormBackward0": "{z} = \u2016{a}\u2016, so d{z}/d{a} = {a} / \u2016{a}\u2016.",
    "SoftmaxBackward0": "{z} = softmax({a}): the gradient for {a} is "
                        "{z} \u00b7 (grad - sum(grad \u00b7 {z})).",
    "LogSoftmaxBackward0": "{z} = log_softmax({a}): the gradient for {a} is "
                           "grad - softmax({a}) \u00b7 sum(grad).",
    "LogsumexpBackward0": "{z} = logsumexp({a}), so d{z}/d{a} = softmax({a}).",
    "MseLossBackward0": "{z} = mean(({a} - {b})\u00b2), so d{z}/d{a} = 2({a} - {b})/n and "
                        "d{z}/d{b} = -2({a} - {b})/n.",
    "NllLossBackward0": "{z} = -mean of {a} at the target classes: those places get -grad/n, the "
                        "rest 0.",
}
ACCUMULATE = ("AccumulateGrad is where a gradient reaches a leaf: it adds the gradient into "
              "{leaf}.grad. It is the only node that writes .grad, and it adds rather than "
              "replaces: that is why gradients accumulate over several backward calls (zero "
              "them with .grad.zero_() or optimizer.zero_grad()).")
CUSTOM = ("A custom autograd.Function: this step runs your backward(ctx, grad_output), which "
          "returns one gradient per input of forward (None for inputs that need none).")
FALLBACK = ("The chain rule: each input gets the incoming gradient times the derivative of "
            "this operation with respect to that input.")
HIGHER = ("A node recorded by a backward pass with create_graph=True: it differentiates a "
          "derivative (this is how second derivatives are computed).")

MAX_VALUE_NUMEL = 64


def rule(node: Any, names: dict[str, str] | None = None) -> str:
    """The local derivative of ``node`` in plain words, with ``names`` for its output
    (``z``) and inputs (``a``, ``b``)."""
    name = op_name(node)
    if name in RULES:
        return RULES[name].format(**{"z": "z", "a": "a", "b": "b", **(names or {})})
    if is_custom(node):
        return CUSTOM
    if re.search(r"Backward\w*Backward\d*$", name):
        return HIGHER
    return FALLBACK


def value_text(value: "np.ndarray | None") -> str:
    """A gradient as PyTorch prints it (or its shape, when it is large)."""
    if value is None:
        return "None"
    from ..tensor import _make
    t = _make(np.asarray(value), None)
    if t._data.size > MAX_VALUE_NUMEL:
        return "a tensor of shape [" + ", ".join(str(s) for s in t._data.shape) + "]"
    return repr(t)


def code(text: str) -> str:
    return f"<code>{html.escape(text)}</code>"


def value_html(value: "np.ndarray | None") -> str:
    text = value_text(value)
    if "\n" in text:
        return f'<pre class="agm-value">{html.escape(text)}</pre>'
    return code(text)


class Explainer:
    """The words for each frame of a pass; see the module docstring.

    ``call`` is the code that started the pass, as the learner wrote it (``"y.backward()"``);
    ``output`` the name of what is differentiated (``"y"``).
    """

    def __init__(self, model: GraphModel, states: Sequence[PassState], call: str,
                 output: str, total: int | None = None) -> None:
        self.model = model
        self.states = states
        self.call = call
        self.output = output
        # how many steps the pass has (a stepper knows before it has made them)
        self.total = len(states) - 1 if total is None else total
        self.expected = expected_gradients(model)
        self._at = tensor_at(model)
        self._parents: dict[int, list[tuple[int, int]]] = {}
        for i, kids in enumerate(model.children):
            for pos, (child, _) in enumerate(kids):
                if child is not None:
                    self._parents.setdefault(child, []).append((i, pos))

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
            return f"{name} ({tensor})" if tensor else f"{name} (a leaf)"
        if tensor:
            return f"{name} ({tensor}.grad_fn)"
        parents = self._parents.get(i)
        if parents:
            p, pos = parents[0]
            parent = op_name(self.model.ops[p])
            p_tensor = self.tensor_name(p)
            if p_tensor:
                parent = f"{p_tensor}.grad_fn"
            return f"{name} (next_functions[{pos}] of {parent})"
        return name

    def grad_of(self, i: int) -> str:
        """``dy/da``: what the gradient arriving at node ``i`` is the derivative of."""
        tensor = self.tensor_name(i)
        if tensor:
            return f"d{self.output}/d{tensor}"
        return f"the gradient of {self.output} with respect to this node's output"

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
            seeds = ", ".join(value_text(v) for b in s.buffers.values() for v in b
                              if v is not None)
            first = ", ".join(self.who(i) for i in s.buffers)
            return f"Start: {self.call}", f"{first} gets {seeds}"
        i = s.current
        assert i is not None
        title = f"Step {k} of {self.total}: {self.who(i)}"
        received = ", ".join(value_text(v) for v in s.received.get(i, ()))
        node = self.model.ops[i]
        if isinstance(node, AccumulateGrad):
            at = self._at.get((i, 0))
            name = self.tensor_name(i) or "the leaf"
            if s.mode == "grad" or at is None or at not in s.changed:
                return title, f"in: {received}"
            return title, f"{name}.grad = {value_text(s.grads.get(at))}"
        sent = [value_text(s.sent[(i, pos)].value) for pos in range(len(node.next_functions))
                if (i, pos) in s.sent]
        return title, f"in: {received}  \u2192  out: {', '.join(sent) or 'nothing'}"

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
        seeds = ", ".join(value_html(v) for b in s.buffers.values() for v in b if v is not None)
        plural = "s" if self.total != 1 else ""
        if s.mode == "by hand":
            body = [f"<p>You call each node yourself, as the engine would: first {first} with "
                    f"{seeds} (d{self.output}/d{self.output} = 1), then each node its "
                    "<code>next_functions</code> lead to, once all the gradients it waits for "
                    "have arrived (several are added up first).</p>",
                    f"<p>{self.total} node{plural} to call. Press <b>Next</b> (or call "
                    "<code>.next()</code>) to make the next call.</p>"]
        elif len(s.buffers) > 1:
            body = [f"<p>The engine starts at {first}, with {seeds} in their input buffers: "
                    "the gradients you passed, one per output.</p>"]
        else:
            body = [f"<p>The engine starts at {first}, with {seeds} in its input buffer: "
                    f"d{self.output}/d{self.output} = 1 (for a tensor that is not a scalar, "
                    "that is the <code>gradient</code> you pass).</p>"]
        if s.mode != "by hand":
            body += ["<p>It first walked the graph along <code>next_functions</code> and "
                     "counted, for each node, how many arrows point at it: a node runs only "
                     "once that many gradients have arrived and been summed in its buffer. "
                     "Among the ready nodes it runs the one created last (highest "
                     "<code>_sequence_nr()</code>; AccumulateGrad first).</p>",
                     f"<p>{self.total} node{plural} will run.</p>"]
        if s.mode == "grad":
            body.append("<p><code>autograd.grad</code> returns the gradients of the inputs you "
                        "asked for instead of adding them into <code>.grad</code>, and skips "
                        "the nodes that lead to none of them.</p>")
        return {"title": [f'<div class="agm-title">Start: {code(self.call)}</div>'],
                "rule": [], "in": body, "out": [], "also": []}

    def _step(self, k: int) -> dict[str, list[str]]:
        s = self.states[k]
        before = self.states[k - 1]
        i = s.current
        assert i is not None
        node = self.model.ops[i]
        verb = "You call it" if s.mode == "by hand" else "The engine calls it"
        parts = {"title": [f'<div class="agm-title">Step {k} of {self.total}: '
                           f"{code(self.who(i))}</div>"],
                 "rule": [f'<p class="agm-rule">{html.escape(self._rule(i))}</p>'],
                 "in": ["<h4>In</h4>", self._incoming(i, s, verb)]}
        if isinstance(node, AccumulateGrad):
            parts["out"] = self._accumulated(i, s, before)
        else:
            parts["out"] = ["<h4>Out, along next_functions</h4>", self._outgoing(i, s)]
        parts["also"] = self._also(i, s)
        return parts

    def _rule(self, i: int) -> str:
        node = self.model.ops[i]
        if isinstance(node, AccumulateGrad):
            return ACCUMULATE.format(leaf=self.tensor_name(i) or "the leaf")
        return rule(node, self.rule_names(i))

    def rule_names(self, i: int) -> dict[str, str]:
        """The learner's names for node ``i``'s output and first two inputs, where known; free
        letters elsewhere (never a name that means another tensor of the graph)."""
        taken = {name for spot in self.model.tensors for name in spot.names}
        letters = [c for c in ("z", "a", "b", "u", "v", "p", "q") if c not in taken]
        constants = [c for c in ("c", "k", "m") if c not in taken]  # inputs with no gradient
        out: dict[str, str | None] = {"z": self.tensor_name(i)}
        kids = dict(zip(("a", "b"), self.model.children[i]))
        for key, (child, nr) in kids.items():
            out[key] = self.tensor_name(child, nr) if child is not None else None
        for key in ("z", "a", "b"):
            name = out.get(key)
            if not name or not name.isidentifier():
                pool = constants if key in kids and kids[key][0] is None else letters
                out[key] = pool.pop(0) if pool else key
        return out  # type: ignore[return-value]

    def _incoming(self, i: int, s: PassState, verb: str) -> str:
        received = s.received.get(i, ())
        values = ", ".join(value_html(v) for v in received)
        text = f"{verb} with {values} = {html.escape(self.grad_of(i))}."
        senders = [(p, pos) for p, pos in self._parents.get(i, ()) if (p, pos) in s.sent]
        if len(senders) > 1:
            pieces = " + ".join(value_html(s.sent[e].value) for e in senders)
            text += (f" {len(senders)} arrows point at this node, so its buffer summed what "
                     f"they brought before it could run: {pieces}.")
        elif not senders and s.mode != "by hand":
            text += " This is where the pass started."
        return f"<p>{text}</p>"

    def _outgoing(self, i: int, s: PassState) -> str:
        rows = []
        for pos, (child, input_nr) in enumerate(self.model.children[i]):
            label = code(f"next_functions[{pos}]")
            if child is None:
                rows.append(f"<li>{label} = (None, {input_nr}): an input that needs no "
                            "gradient, nothing is sent</li>")
                continue
            sent = s.sent.get((i, pos))
            value = value_html(sent.value) if sent is not None else "(not sent)"
            if sent is not None and sent.grad_fn:
                value += f" with grad_fn=&lt;{html.escape(sent.grad_fn.rsplit('::', 1)[-1])}&gt;"
            rows.append(f"<li>{label} \u2192 {code(self.who(child))}:<br>{value}</li>")
        if not rows:
            return "<p>This node has no next_functions.</p>"
        return '<ul class="agm-out">' + "".join(rows) + "</ul>"

    def _accumulated(self, i: int, s: PassState, before: PassState) -> list[str]:
        k = self._at.get((i, 0))
        name = self.tensor_name(i) or "the leaf"
        if s.mode == "grad":
            got = s.captured.get(k, ()) if k is not None else ()
            if got:
                index, value = got[-1]
                return [f"<p>autograd.grad does not touch {code(name + '.grad')}: the gradient "
                        f"{value_html(value)} is returned as result [{index}].</p>"]
            return [f"<p>autograd.grad does not touch {code(name + '.grad')}.</p>"]
        if k is None or k not in s.changed:
            return [f"<p>No gradient arrived: {code(name + '.grad')} is unchanged.</p>"]
        old, new = before.grads.get(k), s.grads.get(k)
        if old is None:
            text = f"{code(name + '.grad')} was None; now it is {value_html(new)}."
        else:
            text = (f"{code(name + '.grad')} was {value_html(old)}; the new gradient is added: "
                    f"now it is {value_html(new)}.")
        return [f"<p>{text}</p>"]

    def _also(self, i: int, s: PassState) -> list[str]:
        items = []
        node = self.model.ops[i]
        for k in sorted(s.changed):
            spot = self.model.tensors[k]
            if spot.op == i and isinstance(node, AccumulateGrad):
                continue
            name = spot.names[0] if spot.names else "a tensor"
            if k in s.captured:
                index, value = s.captured[k][-1]
                items.append(f"autograd.grad keeps {value_html(value)} as its result [{index}] "
                             f"(the gradient of {code(name)}).")
            else:
                items.append(f"{code(name)} called retain_grad(): the engine stores "
                             f"{code(name + '.grad')} = {value_html(s.grads.get(k))} as the "
                             "gradient passes.")
        for hook in s.hooks:
            items.append(f"A hook ran: {html.escape(hook)}.")
        if i in s.freed and i in s.ran_at and s.ran_at[i] == s.step and s.mode != "by hand":
            saved = ", ".join(name for name, _ in node.saved_tensors_items())
            if saved:
                items.append(f"Its saved tensors ({html.escape(saved)}) are freed now "
                             "(retain_graph=False): a second backward through this node would "
                             "fail.")
        fns = {sent.grad_fn.rsplit("::", 1)[-1] for sent in s.just_sent().values()
               if sent.grad_fn}
        if fns and s.mode != "by hand":  # by hand, the stepper's panel says why
            items.append("create_graph=True: the gradients it sent have a grad_fn of their own "
                         f"({html.escape(', '.join(sorted(fns)))}), so they can be "
                         "differentiated again.")
        if not items:
            return []
        return ["<h4>Also</h4>", "<ul>" + "".join(f"<li>{x}</li>" for x in items) + "</ul>"]

    def _waiting(self, s: PassState) -> list[str]:
        ready = [code(self.who(i)) for i in s.queue]
        partial = [f"{code(self.who(i))}: {n} of {self.expected[i]} gradients"
                   for i, n in sorted(s.arrived.items()) if n and i not in s.queue
                   and i not in s.ran_at]
        parts = []
        if ready:
            parts.append("<p><b>Ready next:</b> " + ", ".join(ready) + ".</p>")
        if partial:
            parts.append("<p><b>Still waiting:</b> " + "; ".join(partial) + ".</p>")
        if not parts:
            return []
        return ["<h4>Still to run</h4>"] + parts

    def _end(self) -> list[str]:
        if self.total == 0:
            return []
        s = self.states[-1]
        leaves = []
        for k, value in sorted(s.grads.items()):
            spot = self.model.tensors[k]
            if spot.tensor.grad_fn is None and spot.names:
                leaves.append(f"{code(spot.names[0] + '.grad')} = {value_html(value)}")
        text = "<p><b>Done.</b> Every node that leads to a leaf has run."
        if leaves and s.mode == "backward":
            text += " " + ", ".join(leaves) + "."
        return [text + "</p>"]




