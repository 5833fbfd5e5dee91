"""Exercises of chapter 00: what a gradient is."""
from __future__ import annotations

import math
from typing import Any

from ._core import Exercise, WrongType, register


def _number(value: Any) -> float:
    """A real number from the learner's function's result (a number or a one-element tensor)."""
    if hasattr(value, "detach") and hasattr(value, "numel"):
        if value.numel() != 1:
            raise WrongType({"en": "a gradient with one element", "zh": "只有一个元素的梯度"})
        return float(value.detach().reshape(-1)[0].item())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise WrongType({"en": "a tensor such as w.grad (or a number)",
                     "zh": "一个张量，例如 w.grad（或一个数）"})


def _grad_of_l(function: Any) -> bool | None:
    """The learner's ``grad_of_L(w_value)``: dL/dw of L = (2w + 1)^2, found with autograd."""
    if not callable(function):
        raise WrongType({"en": "a function grad_of_L(w_value)", "zh": "一个函数 grad_of_L(w_value)"})
    results = []
    for w_value in (1.0, 0.5, -2.0):
        value = function(w_value)
        if value is None:
            return None
        results.append(_number(value))
    return all(math.isclose(got, 4 * (2 * w + 1), rel_tol=1e-6, abs_tol=1e-6)
               for got, w in zip(results, (1.0, 0.5, -2.0)))


register(Exercise(
    "00.1", -0.05,
    question={"en": "y = (x + w)(w + 1) with x = 2, w = 1. Nudge w down, from 1 to 0.99: by about "
                    "how much does y change? (Mind the sign.)",
              "zh": "y = (x + w)(w + 1)，x = 2，w = 1。把 w 往下推，从 1 到 0.99：y 大约变化多少？"
                    "（注意正负号。）"},
    hint={"en": "The change is about (the gradient dy/dw) times (the nudge), and the nudge is "
                "-0.01.",
          "zh": "变化量约等于（梯度 dy/dw）乘以（推动量），而推动量是 -0.01。"},
    explanation={"en": "dy/dw = 5, so y changes by about 5 x (-0.01) = -0.05 (exactly: "
                       "2.99 x 1.99 = 5.9501, a change of -0.0499). The gradient predicts the "
                       "change for small nudges, in both directions.",
                 "zh": "dy/dw = 5，所以 y 约变化 5 × (-0.01) = -0.05（精确值：2.99 × 1.99 = 5.9501，"
                       "变化 -0.0499）。对于小的推动，梯度在两个方向上都能预测变化。"},
    rel_tol=0.02))

register(Exercise(
    "00.2", 0.07,
    question={"en": "Same y, x = 2, w = 1. Nudge both up by 0.01 at once (x to 2.01, w to 1.01): "
                    "by about how much does y change?",
              "zh": "同一个 y，x = 2，w = 1。同时把两者都往上推 0.01（x 到 2.01，w 到 1.01）：y 大约"
                    "变化多少？"},
    hint={"en": "Each input contributes its partial derivative times its nudge; add the "
                "contributions: dy/dx = 2, dy/dw = 5.",
          "zh": "每个输入贡献“它的偏导数 × 它的推动量”，把各项相加：dy/dx = 2，dy/dw = 5。"},
    explanation={"en": "2 x 0.01 + 5 x 0.01 = 0.07 (exactly: 3.02 x 2.01 = 6.0702). That is what "
                       "the gradient is for: one number per input, and together they predict how "
                       "the output moves when all inputs move a little.",
                 "zh": "2 × 0.01 + 5 × 0.01 = 0.07（精确值：3.02 × 2.01 = 6.0702）。这正是梯度的用处："
                       "每个输入一个数，合起来就能预测所有输入都稍微变化时输出怎样变化。"},
    rel_tol=0.02))

register(Exercise(
    "00.3", 12.0,
    question={"en": "L = (2w + 1)^2. By hand: what is dL/dw at w = 1?",
              "zh": "L = (2w + 1)^2。手算：w = 1 时 dL/dw 是多少？"},
    hint={"en": "Chain rule: dL/dw = 2(2w + 1) x d(2w + 1)/dw.",
          "zh": "链式法则：dL/dw = 2(2w + 1) × d(2w + 1)/dw。"},
    explanation={"en": "dL/dw = 2(2w + 1) x 2 = 4(2w + 1) = 12 at w = 1. A stepper on L shows "
                       "PowBackward0 sending 2 x 3 = 6 down, MulBackward0 doubling it to 12.",
                 "zh": "dL/dw = 2(2w + 1) × 2 = 4(2w + 1)，w = 1 时为 12。在 L 上单步执行可以看到 "
                       "PowBackward0 往下传 2 × 3 = 6，MulBackward0 再乘 2 得到 12。"}))

register(Exercise(
    "00.4", _grad_of_l,
    question={"en": "Write grad_of_L(w_value): make w (requiring grad), compute L = (2w + 1)^2, "
                    "call backward and return w.grad.",
              "zh": "编写 grad_of_L(w_value)：创建需要梯度的 w，计算 L = (2w + 1)^2，调用 backward，"
                    "返回 w.grad。"},
    hint={"en": "w = torch.tensor([w_value], requires_grad=True); L = (2 * w + 1) ** 2; "
                "L.backward(); return w.grad. Make w inside the function, fresh on every call.",
          "zh": "w = torch.tensor([w_value], requires_grad=True)；L = (2 * w + 1) ** 2；"
                "L.backward()；return w.grad。在函数里面创建 w，每次调用都是新的。"},
    explanation={"en": "Your function gives 4(2w + 1) at w = 1, 0.5 and -2: the gradient "
                       "autograd computes is the one the chain rule gives by hand.",
                 "zh": "你的函数在 w = 1、0.5、-2 处都给出 4(2w + 1)：autograd 算出的梯度就是"
                       "链式法则手算的结果。"}))
