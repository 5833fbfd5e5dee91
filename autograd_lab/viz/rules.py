"""A node's explanation filled in with the learner's names and the numbers of one step.

Each backward node class carries its own ``explanation`` (an ``Explanation``: what its forward
operation was, in the learner's names, and what each input gets back, in terms of ``g``, the
gradient that arrived), next to its derivative (see ``autograd_lab.autograd.explanation``).
``explain_rule`` fills one in with the names and the numbers of one step of a real pass::

    b = torch.add(w, 1)   ->   "b = w + 1. With g = dy/db = tensor([3.]): w gets g = tensor([3.]);
                                1 needs no gradient."

The words around the formulas exist in English and Chinese (``lang="en"`` or ``"zh"``); the
formulas are mathematics, the same in both.
"""
from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Sequence

from ..autograd.explanation import BROADCAST, Explanation

FALLBACK = {
    "en": "The chain rule: each input gets the incoming gradient times the derivative of this "
          "operation with respect to that input.",
    "zh": "链式法则：每个输入得到传入的梯度乘以这个运算对该输入的导数。",
}
_WORDS = {
    "en": {"with": "With g = {gname} = {gval}: ", "gets": "{name} gets {expr} = {value}",
           "gets_expr": "{name} gets {expr}", "none": "{name} needs no gradient",
           "sep": "; ", "stop": ". ", "number": "a number"},
    "zh": {"with": "设 g = {gname} = {gval}：", "gets": "{name} 得到 {expr} = {value}",
           "gets_expr": "{name} 得到 {expr}", "none": "{name} 不需要梯度",
           "sep": "；", "stop": "。", "number": "一个常数"},
}
# saved values written as a factor: left out when 1 (``x + y``), else ``2·`` (``x + 2·y``)
_FACTORS = ("alpha", "beta")


def rule_of(node: Any) -> Explanation | None:
    """The explanation of the node's class: its own, or (for a class made from another, such
    as a custom Function's ``<Name>Backward``) the nearest base's; None for a class that has
    none (a Node subclass defined outside autograd_lab)."""
    for cls in type(node).__mro__:
        own = cls.__dict__.get("explanation")
        if isinstance(own, Explanation):
            return own
    return None


@dataclass
class Operands:
    """One step of one node, as its explanation needs it: the names and values, all as text."""

    z: str                              # the output's name (for AccumulateGrad: the leaf's)
    inputs: Sequence[str]               # per next_functions entry: a name or a number
    needs: Sequence[bool]               # per entry: whether it gets a gradient
    scalars: dict[str, str]             # saved values (alpha, exponent, dim, other...)
    gname: str = ""                     # "dy/db"
    gval: str = ""                      # the incoming gradient, printed
    sent: Sequence[str | None] = ()     # per entry: the gradient sent, printed
    broadcast: bool = False             # whether an input's shape differs from the output's
    shape: str = ""                     # the output's shape as a call writes it: "3, 2"


def explain_rule(rule: Explanation, ops: Operands, lang: str = "en",
                 strict: bool = False) -> str:
    """The explanation filled in with one step's names and numbers (see the module docstring).

    A number the step cannot recover (``{c}``) is written "a number"; any other name it does
    not know as itself (``dim``), or with ``strict=True`` raises KeyError (IndexError for an
    input the node does not have): for tests."""
    words = _WORDS[lang]
    fill = _Filler(ops, lang, strict)
    out = fill.format(rule.formula) + words["stop"] if rule.formula else ""
    items = []
    for pos, expr in enumerate(rule.grads):
        if pos >= len(ops.inputs) or expr is None:
            continue
        name = ops.inputs[pos]
        if not ops.needs[pos]:
            items.append(words["none"].format(name=name))
            continue
        if isinstance(expr, dict):
            expr = expr.get(lang, expr["en"])
        text = fill.format(expr)
        value = ops.sent[pos] if pos < len(ops.sent) else None
        if value is None or value == text:
            items.append(words["gets_expr"].format(name=name, expr=text))
        else:
            items.append(words["gets"].format(name=name, expr=text, value=value))
    if items:
        lead = words["with"].format(gname=ops.gname, gval=ops.gval) if ops.gval else ""
        out += lead + words["sep"].join(items) + words["stop"]
    extra = rule.text.get(lang, "")
    if rule.text is BROADCAST and not ops.broadcast:
        extra = ""
    if extra:
        out += fill.format(extra)
    return out.strip()


class _Filler(string.Formatter):
    """Fills ``{z}``, ``{0}``, ``{1}``... and saved values by name into an explanation."""

    def __init__(self, ops: Operands, lang: str, strict: bool) -> None:
        super().__init__()
        self.inputs = list(ops.inputs)
        named = dict(ops.scalars)
        for key in _FACTORS:
            value = named.get(key)
            named[key] = "" if value in (None, "1", "1.0") else f"{value}\u00b7"
        named["z"] = named["leaf"] = ops.z
        named["all"] = ", ".join(self.inputs)  # cat([{all}]): every input, in order
        named["shape"] = ops.shape or "..."    # view({shape}), when the step knows it
        self.named = named
        self.lang = lang
        self.strict = strict

    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        if isinstance(key, int):
            if key < len(self.inputs):
                return self.inputs[key]
            if self.strict:
                raise IndexError(f"input {key} of {len(self.inputs)}")
            return "?"
        if key in self.named:
            return self.named[key]
        if key == "c":  # a number the node does not keep, and the step could not recover
            return _WORDS[self.lang]["number"]
        if self.strict:
            raise KeyError(key)
        return key
