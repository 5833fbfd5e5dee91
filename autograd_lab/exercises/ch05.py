"""Exercises of chapter 05, grad_fn by hand and custom Functions."""
from __future__ import annotations

import warnings
from typing import Any

from ._core import Exercise, WrongType, register
from .ch03 import say


def _passes_gradcheck(function: Any) -> bool:
    """gradcheck the learner's CubeFunction on double-precision inputs made here."""
    from .. import autograd, float64, tensor
    if not (isinstance(function, type) and issubclass(function, autograd.Function)):
        raise WrongType(say({"en": "a class derived from t.autograd.Function (CubeFunction)",
                             "zh": "一个继承自 t.autograd.Function 的类（CubeFunction）"}))
    x = tensor([0.5, -1.25, 2.0], dtype=float64, requires_grad=True)
    out = function.apply(x)
    if not hasattr(out, "shape") or out.shape != x.shape:
        return False
    if not bool(((out.detach() - x.detach() ** 3).abs() < 1e-9).all()):
        return False   # forward is not x ** 3 any more
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return bool(autograd.gradcheck(function.apply, (x,), raise_exception=False))


register(Exercise(
    "05.1", 0.0,
    question={"en": "relu(w * x + b) with x = -1 (v = -1): w.grad?",
              "zh": "relu(w * x + b)，x = -1（v = -1）：w.grad 是多少？"},
    hint={"en": "What is relu's slope where its input is negative?",
          "zh": "输入为负时，relu 的斜率是多少？"},
    explanation={"en": "v = -1 < 0, so relu is flat there: ReluBackward0 passes 0 on, and "
                       "w.grad = 0 * x = 0 (b.grad too).",
                 "zh": "v = -1 < 0，relu 在那里是平的：ReluBackward0 往下传 0，w.grad = 0 * x = 0"
                       "（b.grad 也是 0）。"},
))

register(Exercise(
    "05.2", 5.0,
    question={"en": "a = relu(w * x + b), b = 1, w = 2, x = 3: a.grad_fn(t.tensor(5.0))?",
              "zh": "a = relu(w * x + b)，b = 1，w = 2，x = 3：a.grad_fn(t.tensor(5.0)) 是多少？"},
    hint={"en": "a.grad_fn is ReluBackward0: it multiplies the gradient it is given by relu's "
                "slope at v = 7.",
          "zh": "a.grad_fn 是 ReluBackward0：它把收到的梯度乘以 relu 在 v = 7 处的斜率。"},
    explanation={"en": "v = 7 > 0, where relu's slope is 1: the node returns the incoming "
                       "gradient unchanged, 5.",
                 "zh": "v = 7 > 0，relu 在那里的斜率是 1：节点原样返回收到的梯度 5。"},
))

register(Exercise(
    "05.3", (1, 5.0),
    question={"en": "y = (x + w)(w + 1), w = 1, x = 2: in one y.backward(), how many calls of "
                    "w's AccumulateGrad, with what gradient?",
              "zh": "y = (x + w)(w + 1)，w = 1，x = 2：一次 y.backward() 中，w 的 AccumulateGrad "
                    "被调用几次，收到的梯度是多少？"},
    expects={"en": "a pair (calls, gradient), e.g. (3, 1.0)",
             "zh": "一对值 (调用次数, 梯度)，例如 (3, 1.0)"},
    hint={"en": "The engine keeps a buffer per node and adds every gradient that arrives for "
                "it; it calls the node only when all have arrived.",
          "zh": "引擎为每个节点准备一个缓冲区，把到达的梯度都加进去；只有全部到齐时才调用这个节点。"},
    explanation={"en": "Once, with 5: 2 along the path through x + w and 3 through w + 1 are "
                       "summed in the engine's buffer before the node runs. .grad accumulates "
                       "across backward calls, not within one.",
                 "zh": "一次，收到 5：经过 x + w 的 2 和经过 w + 1 的 3 在节点运行之前已在引擎的"
                       "缓冲区里相加。.grad 的累加发生在多次 backward 调用之间，而不是一次之内。"},
))

register(Exercise(
    "05.4", _passes_gradcheck,
    question={"en": "Write CubeFunction's backward so that it passes gradcheck.",
              "zh": "写出 CubeFunction 的 backward，使它通过 gradcheck。"},
    hint={"en": "d(x³)/dx = 3x²; backward gets grad_output and must return grad_output times "
                "that, using the saved input.",
          "zh": "d(x³)/dx = 3x²；backward 收到 grad_output，要用保存的输入返回 grad_output 乘以它。"},
    explanation={"en": "return 3 * input ** 2 * grad_output: the chain rule, the incoming "
                       "gradient times the local derivative; gradcheck agrees with finite "
                       "differences for every element.",
                 "zh": "return 3 * input ** 2 * grad_output：链式法则，收到的梯度乘以局部导数；"
                       "gradcheck 在每个元素上都与有限差分一致。"},
))
