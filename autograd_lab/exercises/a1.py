"""Exercises of appendix A1: render_graph's options."""
from __future__ import annotations

import re
from typing import Any

from ._core import Exercise, WrongType, register

_HIGHLIGHT = 'color="#e11d48"'


def _highlighted(source: str) -> set[str]:
    """The ids of the boxes a picture's DOT source draws highlighted."""
    return {m.group(1) for m in re.finditer(r"^\t(\w+) \[label=.*$", source, re.MULTILINE)
            if _HIGHLIGHT in m.group(0)}


def _draw_route(function: Any) -> bool | None:
    """The learner's ``draw_route(y, x)``: y's graph, left to right, the way to x highlighted."""
    import autograd_lab as torch
    from autograd_lab.viz.picture import GraphPicture

    if not callable(function):
        raise WrongType({"en": "a function draw_route(y, x)", "zh": "一个函数 draw_route(y, x)"})
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    y = torch.mul(torch.add(x, w), torch.mul(w, torch.tensor([3.])))
    picture = function(y, x)
    if picture is None:
        return None
    if not isinstance(picture, GraphPicture):
        raise WrongType({"en": "the picture render_graph returns", "zh": "render_graph 返回的图"})
    want = torch.render_graph(y, highlight=[y, x])
    return ("rankdir=LR" in picture.source
            and _highlighted(picture.source) == _highlighted(want.source) != set())


register(Exercise(
    "A1.1", 2,
    question={"en": "a, b require grad, k = torch.tensor([2.]) does not; y = a * k + b * k. "
                    "How many None boxes does render_graph(y, show_none=True) draw?",
              "zh": "a、b 需要梯度，k = torch.tensor([2.]) 不需要；y = a * k + b * k。"
                    "render_graph(y, show_none=True) 画出几个 None 框？"},
    hint={"en": "One None per place in a next_functions that leads to a tensor needing no "
                "gradient. How many times is k used?",
          "zh": "next_functions 中每个指向不需要梯度的张量的位置对应一个 None。k 用了几次？"},
    explanation={"en": "k is used by two multiplications, and each MulBackward0 has a None where "
                       "k is: two None boxes (per use, unlike AccumulateGrad, which is per leaf).",
                 "zh": "k 被两个乘法使用，每个 MulBackward0 在 k 的位置上都是 None：两个 None 框"
                       "（按使用次数算，不像 AccumulateGrad 按叶子算）。"}))

register(Exercise(
    "A1.2", "result",
    question={"en": "y = torch.exp(x). Draw it with show_saved=True: does ExpBackward0 save its "
                    "input or its result? Answer 'input' or 'result'.",
              "zh": "y = torch.exp(x)。用 show_saved=True 画出来：ExpBackward0 保存的是输入还是"
                    "结果？回答 'input' 或 'result'。"},
    hint={"en": "The derivative of exp(x) is exp(x) itself. Look at the orange box's first line.",
          "zh": "exp(x) 的导数就是 exp(x) 本身。看橙色框的第一行。"},
    explanation={"en": "It saves its result ('saved result = y'): d exp(x)/dx = exp(x) = y, so "
                       "keeping y spares recomputing exp in the backward pass.",
                 "zh": "保存的是结果（'saved result = y'）：d exp(x)/dx = exp(x) = y，保存 y 就不必在"
                       "反向传播时再算一次 exp。"}))

register(Exercise(
    "A1.3", _draw_route,
    question={"en": "Write draw_route(y, x): return render_graph's picture of y's graph, laid "
                    "out left to right, with every path between y and x highlighted.",
              "zh": "编写 draw_route(y, x)：返回 render_graph 画出的 y 的计算图，从左到右布局，"
                    "并高亮 y 与 x 之间的所有路径。"},
    hint={"en": "Two options: direction= and highlight= (a list of the two ends).",
          "zh": "两个选项：direction= 和 highlight=（两端组成的列表）。"},
    explanation={"en": "render_graph(y, highlight=[y, x], direction='LR'): the highlighted boxes "
                       "are exactly the nodes dy/dx flows through.",
                 "zh": "render_graph(y, highlight=[y, x], direction='LR')：高亮的框正是 dy/dx "
                       "流经的节点。"}))
