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
    "00.1", 0.02,
    question={"en": "y = (x + w)(w + 1) with x = 2, w = 1. Nudge x from 2 to 2.01: by how much "
                    "does y change?",
              "zh": "y = (x + w)(w + 1)，x = 2，w = 1。把 x 从 2 推到 2.01，y 变化多少？"},
    hint={"en": "The change is about (the gradient dy/dx) times (the nudge). dy/dx = w + 1.",
          "zh": "变化量约等于（梯度 dy/dx）乘以（推动量）。dy/dx = w + 1。"},
    explanation={"en": "dy/dx = w + 1 = 2, so y moves by 2 x 0.01 = 0.02 (exactly here, since y "
                       "is linear in x: 6 -> 6.02).",
                 "zh": "dy/dx = w + 1 = 2，所以 y 变化 2 × 0.01 = 0.02（这里是精确的，因为 y 对 x "
                       "是线性的：6 -> 6.02）。"},
    rel_tol=1e-4))

register(Exercise(
    "00.2", 2,
    question={"en": "How many AccumulateGrad nodes does the graph of y = (x + w)(w + 1) have?",
              "zh": "y = (x + w)(w + 1) 的计算图中有几个 AccumulateGrad 节点？"},
    hint={"en": "Count the tensors that are leaves and require grad, not the times they are used.",
          "zh": "数一数既是叶子又需要梯度的张量，而不是它们被使用的次数。"},
    explanation={"en": "One per leaf that requires grad: x and w. w is used twice, but it has one "
                       "AccumulateGrad, and the engine calls it once, with the sum 2 + 3 = 5.",
                 "zh": "每个需要梯度的叶子一个：x 和 w。w 用了两次，但只有一个 AccumulateGrad，"
                       "引擎只调用它一次，传入的是总和 2 + 3 = 5。"}))

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
