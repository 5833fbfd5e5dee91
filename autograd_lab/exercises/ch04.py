"""Exercises of chapter 04, review and common mistakes."""
from __future__ import annotations

from typing import Any

from ._core import Exercise, WrongType, register
from .ch03 import need_callable, say


def _makes_a_trainable_leaf(make_weights: Any) -> bool:
    """Call the learner's make_weights(); the result must be a small leaf whose .grad fills."""
    from .. import Size
    need_callable(make_weights, {"en": "a function make_weights()",
                                 "zh": "一个函数 make_weights()"})
    w = make_weights()
    if not hasattr(w, "requires_grad"):
        raise WrongType(say({"en": "make_weights() to return a tensor",
                             "zh": "make_weights() 返回一个张量"}))
    if w.shape != Size([3]) or not w.requires_grad or not w.is_leaf:
        return False
    if float(w.detach().abs().max()) > 0.1:   # randn * 0.01: |w| < 0.1 all but never fails
        return False
    (w * w).sum().backward()
    return w.grad is not None and bool(((w.grad - 2 * w.detach()).abs() < 1e-6).all())


register(Exercise(
    "04.1", 15.0,
    question={"en": "Tip 1's loop without zero_(), three times: w.grad?",
              "zh": "小贴士 1 的循环去掉 zero_()，运行三次：w.grad 是多少？"},
    hint={"en": "Each pass gives dy/dw = 2w + x + 1 = 5, and each backward call adds it to "
                "what .grad already holds.",
          "zh": "每一次得到 dy/dw = 2w + x + 1 = 5，而每次 backward 调用都把它加到 .grad "
                "已有的值上。"},
    explanation={"en": "5 + 5 + 5 = 15: the three backward calls add up in .grad, because "
                       "nothing zeroes it.",
                 "zh": "5 + 5 + 5 = 15：三次 backward 调用的结果在 .grad 里累加，因为没有任何"
                       "东西把它清零。"},
))

register(Exercise(
    "04.2", False,
    question={"en": "v = torch.ones(3, requires_grad=True).double(): is v.is_leaf?",
              "zh": "v = torch.ones(3, requires_grad=True).double()：v.is_leaf 是什么？"},
    hint={"en": "The rule: a leaf is a tensor whose grad_fn is None. Does converting a tensor "
                "that requires grad record an operation?",
          "zh": "规则：grad_fn 为 None 的张量才是叶子。转换一个需要梯度的张量，会不会记录一个运算？"},
    explanation={"en": "double() on a tensor that requires grad is recorded (ToCopyBackward0): "
                       "v is computed, not a leaf, and its .grad stays None. Convert first, "
                       "then call requires_grad_().",
                 "zh": "对需要梯度的张量调用 double() 会被记录（ToCopyBackward0）：v 是计算出来的，"
                       "不是叶子，它的 .grad 一直是 None。应该先转换，再调用 requires_grad_()。"},
))

register(Exercise(
    "04.3", 10.0,
    question={"en": "loss = cat([y0, y1]) with gradient=[2, 0]: w.grad?",
              "zh": "loss = cat([y0, y1])，gradient=[2, 0]：w.grad 是多少？"},
    hint={"en": "The result is the gradient of 2 * y0 + 0 * y1; dy0/dw = 5.",
          "zh": "结果就是 2 * y0 + 0 * y1 的梯度；dy0/dw = 5。"},
    explanation={"en": "2 * 5 + 0 * 2 = 10: weight 0 switches y1 off entirely.",
                 "zh": "2 * 5 + 0 * 2 = 10：权重 0 让 y1 完全不起作用。"},
))

register(Exercise(
    "04.4", _makes_a_trainable_leaf,
    question={"en": "Fix make_weights() so that it returns a leaf whose .grad gets filled.",
              "zh": "修好 make_weights()，让它返回一个 .grad 会被填充的叶子。"},
    hint={"en": "torch.randn(3, requires_grad=True) * 0.01 is the result of a multiplication, "
                "not a leaf. Multiply first, then call .requires_grad_() on the result.",
          "zh": "torch.randn(3, requires_grad=True) * 0.01 是乘法的结果，不是叶子。先相乘，"
                "再对结果调用 .requires_grad_()。"},
    explanation={"en": "(torch.randn(3) * 0.01).requires_grad_() makes the scaled tensor the "
                       "leaf: nothing was recorded (no input required grad), so its grad_fn is "
                       "None and backward fills its .grad.",
                 "zh": "(torch.randn(3) * 0.01).requires_grad_() 让缩放后的张量成为叶子：没有记录"
                       "任何运算（没有输入需要梯度），所以它的 grad_fn 是 None，反向传播会填充它的 "
                       ".grad。"},
))
