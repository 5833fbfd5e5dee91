"""What a backward node explains about itself: its forward formula and each input's gradient.

A node class carries ``explanation = Explanation(...)`` next to its ``apply`` (its derivative),
so the words the animation panel shows live beside the code they describe::

    class AddBackward0(Node):
        explanation = Explanation("{z} = {0} + {alpha}{1}", ("g", "{alpha}g"), BROADCAST, "add")

``formula``: ``{z}`` is the node's output, ``{0}``, ``{1}``... its inputs in ``next_functions``
order, and a node's saved values by their names (``{exponent}``, ``{dim}``; an ``alpha`` or a
``beta`` of 1 is left out, any other is written ``2·``). An empty formula says nothing of a
forward (AccumulateGrad, custom Functions: ``text`` says it all). ``grads``: per input, the
gradient it gets in terms of ``g`` (the gradient that arrived), or None where the node says it
in ``text`` only; an entry may be ``both(en, zh)`` where the expression needs words. ``text``:
per language, what the formulas do not say. ``constant``: how to recover a number the learner
wrote that the node does not keep (or has freed) from the values of its output ``z`` and its
other input ``a``: ``"add"`` (z - a), ``"sub"`` (a - z), ``"rsub"`` (z + a), ``"mul"``
(z / a), ``"div"`` (a / z, or z * b for a number divided by b), each with ``alpha`` undone,
and ``"fill"`` (z itself: ``x.fill_(2)``). ``inputs``: PyTorch's name for each input
(``"target"``, ``"grad_output"``; "" for none): the saved field that holds it when it needs no
gradient, and what the words call it when the learner gave it no name and its value is too
long to write inline.

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
    inputs: tuple[str, ...] = ()


def both(en: str, zh: str) -> dict[str, str]:
    """Words in both languages (for a gradient expression or a text that needs words)."""
    return {"en": en, "zh": zh}


def joined(*texts: dict[str, str]) -> dict[str, str]:
    """Several texts one after the other, in each language."""
    return {"en": " ".join(t["en"] for t in texts), "zh": "".join(t["zh"] for t in texts)}


BROADCAST = both("Where an input was broadcast, its gradient is summed back to its shape.",
                 "若某个输入在前向时被广播过，它的梯度会沿广播的维度求和，变回它自己的形状。")
RESHAPE = both("No value moves: the gradient is reshaped back to the shape of {0}.",
               "数值没有移动：梯度被变回 {0} 的形状。")
TRANSPOSE = both("The gradient is transposed back.", "梯度被转置回来。")
COPY = both("A copy: the gradient goes on unchanged.", "只是复制：梯度原样传下去。")
SLICE = both("{z} is a part of {0}: its gradient goes back into that part, and the rest of {0} "
             "gets 0.",
             "{z} 是 {0} 的一部分：梯度放回那一部分，{0} 的其余位置得到 0。")
STEP = both("{z} is a step function of {0}: flat between its jumps, so its slope, and the "
            "gradient {0} gets, is 0 (PyTorch takes 0 at the jumps too).",
            "{z} 是 {0} 的阶跃函数：在跳变之间是平的，所以斜率（也就是 {0} 得到的梯度）为 0"
            "（在跳变处 PyTorch 也取 0）。")
DOUBLE_BACKWARD = both("A node recorded by a backward pass with create_graph=True: it "
                       "differentiates a derivative (this is how second derivatives are "
                       "computed).",
                       "这个节点是在 create_graph=True 的反向传播中记录下来的：它对一个导数再求导"
                       "（二阶导数就是这样算的）。")
ACCUMULATE = both(
    "AccumulateGrad is where a gradient reaches a leaf: it adds the gradient into {leaf}.grad. "
    "It is the only node that writes .grad, and it adds rather than replaces: that is why .grad "
    "accumulates over several backward calls (zero it with .grad.zero_() or "
    "optimizer.zero_grad()).",
    "AccumulateGrad 是梯度到达叶子节点的地方：它把梯度累加进 {leaf}.grad。只有它会写 "
    ".grad，而且是累加而不是替换：所以多次调用 backward 时 .grad 会累加"
    "（用 .grad.zero_() 或 optimizer.zero_grad() 清零）。")
CUSTOM = both(
    "A custom autograd.Function: this step runs your backward(ctx, grad_output), which returns "
    "one gradient per input of forward (None for inputs that need none).",
    "自定义的 autograd.Function：这一步运行你写的 backward(ctx, grad_output)，它为 forward "
    "的每个输入返回一个梯度（不需要梯度的输入返回 None）。")

__all__ = ["Explanation", "both", "joined", "BROADCAST", "RESHAPE", "TRANSPOSE", "COPY", "SLICE",
           "STEP", "DOUBLE_BACKWARD", "ACCUMULATE", "CUSTOM"]
