"""What a backward node explains about itself: its forward formula and each input's gradient.

A node class carries ``explanation = Explanation(...)`` next to its ``apply`` (its derivative),
so the words the animation panel shows live beside the code they describe::

    class AddBackward0(Node):
        explanation = Explanation("{z} = {0} + {alpha}{1}", ("g", "{alpha}g"), BROADCAST, "add")

``formula``: ``{z}`` is the node's output, ``{0}``, ``{1}``... its inputs in ``next_functions``
order, and a node's saved values by their names (``{exponent}``, ``{alpha}``: an ``alpha`` of 1
is left out). ``grads``: per input, the gradient it gets in terms of ``g`` (the gradient that
arrived), or None where the node says it in ``text`` only; an entry may be ``both(en, zh)``
where the expression needs words. ``text``: per language, what the formulas do not say.
``constant``: how to recover a number the node does not keep from its output and input
(``"add"``: z - a, ``"sub"``: a - z, ``"rsub"``: z + a).

The words exist in English and Chinese (``"en"``, ``"zh"``); the formulas are mathematics, the
same in both. ``autograd_lab.viz`` fills them in with the learner's names and numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Explanation:
    """A node's forward formula, each input's gradient, and words the formulas do not say."""

    formula: str
    grads: tuple["str | dict[str, str] | None", ...] = ()
    text: dict[str, str] = field(default_factory=dict)
    constant: str = ""


def both(en: str, zh: str) -> dict[str, str]:
    """Words in both languages (for a gradient expression or a text that needs words)."""
    return {"en": en, "zh": zh}


BROADCAST = both("Where an input was broadcast, its gradient is summed back to its shape.",
                 "若某个输入在前向时被广播过，它的梯度会沿广播的维度求和，变回它自己的形状。")
RESHAPE = both("No value moves: the gradient is reshaped back to the shape of {0}.",
               "数值没有移动：梯度被变回 {0} 的形状。")
TRANSPOSE = both("The gradient is transposed back.", "梯度被转置回来。")
COPY = both("A copy: the gradient goes on unchanged.", "只是复制：梯度原样传下去。")
SLICE = both("{z} is a part of {0}: its gradient goes back into that part, and the rest of {0} "
             "gets 0.",
             "{z} 是 {0} 的一部分：梯度放回那一部分，{0} 的其余位置得到 0。")

__all__ = ["Explanation", "both", "BROADCAST", "RESHAPE", "TRANSPOSE", "COPY", "SLICE"]
