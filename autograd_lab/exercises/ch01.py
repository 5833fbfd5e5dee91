"""Exercises of chapter 01: computation graphs and backward."""
from __future__ import annotations

import math
from typing import Any

from ._core import Exercise, WrongType, register


def _central_difference(function: Any) -> bool | None:
    """The learner's ``central_difference(f, v, h)``: (f(v + h) - f(v - h)) / (2h)."""
    if not callable(function):
        raise WrongType({"en": "a function central_difference(f, v, h)",
                         "zh": "一个函数 central_difference(f, v, h)"})
    cases = [(lambda v: v ** 3, 2.0, 0.01), (math.sin, 1.0, 1e-3), (lambda v: (v + 1) * v, -3.0, 0.5)]
    for f, v, h in cases:
        got = function(f, v, h)
        if got is None:
            return None
        if hasattr(got, "item"):
            got = got.item()
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            raise WrongType({"en": "a number from central_difference", "zh": "central_difference 返回一个数"})
        want = (f(v + h) - f(v - h)) / (2 * h)
        if not math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12):
            return False
    return True


register(Exercise(
    "01.1", 8.0,
    question={"en": "y = (x + w)(w + 1) with x = 3, w = 2: what is w.grad after y.backward()?",
              "zh": "y = (x + w)(w + 1)，x = 3，w = 2：y.backward() 之后 w.grad 是多少？"},
    hint={"en": "dy/dw = 2w + x + 1: one term per path from w to y.",
          "zh": "dy/dw = 2w + x + 1：从 w 到 y 的每条路径贡献一项。"},
    explanation={"en": "(w + 1) through a plus (x + w) through b: 3 + 5 = 8.",
                 "zh": "经 a 的 (w + 1) 加上经 b 的 (x + w)：3 + 5 = 8。"}))

register(Exercise(
    "01.2", (1, 12.0),
    question={"en": "w = torch.tensor([2.], requires_grad=True); y = w * w * w; y.backward(). "
                    "How many times is w's AccumulateGrad called, and with what gradient? "
                    "Answer (calls, gradient).",
              "zh": "w = torch.tensor([2.], requires_grad=True)；y = w * w * w；y.backward()。"
                    "w 的 AccumulateGrad 被调用几次，收到的梯度是多少？回答 (次数, 梯度)。"},
    hint={"en": "w is used three times, but the engine adds the pieces for one node in its "
                "buffer before it calls that node. dy/dw = 3w^2.",
          "zh": "w 用了三次，但引擎会先在缓冲区里把发给同一个节点的各份梯度加起来，再调用该节点。"
                "dy/dw = 3w^2。"},
    explanation={"en": "Once, with 3 x 2^2 = 12: the three pieces (4, 4, 4) are summed by the "
                       "engine, and AccumulateGrad then adds that sum into w.grad. .grad "
                       "accumulates across backward calls, not across paths.",
                 "zh": "一次，收到 3 × 2^2 = 12：三份梯度（4、4、4）由引擎先求和，AccumulateGrad "
                       "再把这个和加进 w.grad。.grad 是在多次 backward 调用之间累加的，而不是在"
                       "多条路径之间。"}))

register(Exercise(
    "01.3", 6.0,
    question={"en": "x = 2, w = 1, y = (x + w)(w + 1), walked three times with "
                    "y.backward(retain_graph=True), nothing zeroed. What is x.grad?",
              "zh": "x = 2，w = 1，y = (x + w)(w + 1)，用 y.backward(retain_graph=True) 反向三次，"
                    "中间不清零。x.grad 是多少？"},
    hint={"en": "Each call adds dy/dx = w + 1 into x.grad.",
          "zh": "每次调用都把 dy/dx = w + 1 加进 x.grad。"},
    explanation={"en": "2 + 2 + 2 = 6: every backward call adds into .grad; that is why a "
                       "training loop zeroes it.",
                 "zh": "2 + 2 + 2 = 6：每次 backward 都往 .grad 里累加，所以训练循环要清零。"}))

register(Exercise(
    "01.4", 11.0,
    question={"en": "loss = torch.cat([y0, y1]) as in the chapter (x = 2, w = 1), backward with "
                    "grad_tensors = torch.tensor([1., 3.]). What is w.grad?",
              "zh": "loss = torch.cat([y0, y1])，与本章相同（x = 2，w = 1），用 "
                    "grad_tensors = torch.tensor([1., 3.]) 反向。w.grad 是多少？"},
    hint={"en": "The result is the gradient of 1 * y0 + 3 * y1: dy0/dw = 5, dy1/dw = 2.",
          "zh": "结果是 1 * y0 + 3 * y1 的梯度：dy0/dw = 5，dy1/dw = 2。"},
    explanation={"en": "1 x 5 + 3 x 2 = 11.", "zh": "1 × 5 + 3 × 2 = 11。"}))

register(Exercise(
    "01.5", _central_difference,
    question={"en": "Write central_difference(f, v, h) that returns (f(v + h) - f(v - h)) / (2h), "
                    "the slope of f at v measured by two nudges.",
              "zh": "编写 central_difference(f, v, h)，返回 (f(v + h) - f(v - h)) / (2h)，"
                    "即用两次推动量出的 f 在 v 处的斜率。"},
    hint={"en": "Nudge both ways: f(v + h) and f(v - h); the distance between them is 2h.",
          "zh": "向两边推：f(v + h) 和 f(v - h)；两点之间的距离是 2h。"},
    explanation={"en": "The central difference is off by about h^2 (for v^3 at 2 with h = 0.01: "
                       "12.0001), the one-sided one by about h (12.0601): that is why gradient "
                       "checks use it, in float64.",
                 "zh": "中心差分的误差约为 h^2（v^3 在 2 处，h = 0.01：12.0001），单侧差分约为 h"
                       "（12.0601）：所以梯度检查用中心差分，并用 float64。"}))
