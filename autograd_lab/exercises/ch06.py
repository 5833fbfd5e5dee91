"""Exercises of chapter 06, the training loop."""
from __future__ import annotations

from typing import Any

from ._core import Exercise, register
from .ch03 import need_callable


def _line_data():
    from .. import arange, sin
    x = arange(-10, 11).reshape(-1, 1) / 10
    return x, 3 * x + 0.5 + 0.2 * sin(9 * x)


def _zero_line():
    from .. import no_grad, nn
    model = nn.Linear(1, 1)
    with no_grad():
        model.weight.zero_()
        model.bias.zero_()
    return model


def _trains_correctly(train: Any) -> bool:
    """Run the learner's ``train`` on a fresh line model; compare with a correct loop."""
    from .. import allclose, nn, optim
    need_callable(train, {"en": "a function train(model, x, y, steps, lr)",
                          "zh": "一个函数 train(model, x, y, steps, lr)"})
    x, y = _line_data()
    theirs = _zero_line()
    train(theirs, x, y, steps=40, lr=0.2)
    ours = _zero_line()
    optimizer = optim.SGD(ours.parameters(), lr=0.2)
    loss_fn = nn.MSELoss()
    for _ in range(40):
        optimizer.zero_grad()
        loss_fn(ours(x), y).backward()
        optimizer.step()
    return (allclose(theirs.weight.detach(), ours.weight.detach(), atol=1e-5)
            and allclose(theirs.bias.detach(), ours.bias.detach(), atol=1e-5))


register(Exercise(
    "06.1", False,
    question={"en": "After w = w - lr * w.grad (no no_grad), is w.is_leaf True or False?",
              "zh": "执行 w = w - lr * w.grad（不用 no_grad）之后，w.is_leaf 是 True 还是 False？"},
    hint={"en": "w - lr * w.grad is computed from w, which requires grad: does the result have "
                "a grad_fn?",
          "zh": "w - lr * w.grad 是由需要梯度的 w 计算出来的：结果有没有 grad_fn？"},
    explanation={"en": "The subtraction is recorded (SubBackward0), so the name w now points at "
                       "a computed tensor: not a leaf, and its .grad stays None. The leaf you "
                       "meant to train is no longer the one you use.",
                 "zh": "这次减法被记录了（SubBackward0），名字 w 现在指向一个计算出来的张量："
                       "它不是叶子，.grad 一直是 None。你想训练的那个叶子，已经不是你在用的那个了。"},
))

register(Exercise(
    "06.2", False,
    question={"en": "After requires_grad_(False) on mlp[0].weight and one full step, has the "
                    "weight changed?",
              "zh": "对 mlp[0].weight 调用 requires_grad_(False) 并完整地走一步之后，这个权重变了吗？"},
    hint={"en": "What is the frozen weight's .grad after backward, and what does "
                "optimizer.step() do with a parameter whose .grad is that?",
          "zh": "反向传播之后，被冻结的权重的 .grad 是什么？optimizer.step() 会怎样处理这样的参数？"},
    explanation={"en": "The graph no longer reaches the weight, so its .grad stays None, and "
                       "SGD skips every parameter whose .grad is None: the weight is unchanged.",
                 "zh": "计算图不再到达这个权重，它的 .grad 保持 None；SGD 会跳过 .grad 为 None "
                       "的参数，所以权重不变。"},
))

register(Exercise(
    "06.3", 0.0,
    question={"en": "A hook returns g * 0 on w = 2; what is w.grad after (w * w).backward()?",
              "zh": "w = 2 上的钩子返回 g * 0；(w * w).backward() 之后 w.grad 是多少？"},
    hint={"en": "A tensor hook that returns a tensor replaces the gradient before it is "
                "accumulated into .grad.",
          "zh": "返回张量的钩子会在梯度累加进 .grad 之前替换它。"},
    explanation={"en": "The engine hands the hook the gradient 2w = 4 and uses what the hook "
                       "returns, 0, in its place: w.grad is tensor(0.).",
                 "zh": "引擎把梯度 2w = 4 交给钩子，再用钩子返回的 0 代替它：w.grad 是 tensor(0.)。"},
))

register(Exercise(
    "06.4", _trains_correctly,
    question={"en": "Fix the broken training loop train(model, x, y, steps, lr).",
              "zh": "修好有错误的训练循环 train(model, x, y, steps, lr)。"},
    hint={"en": "Each step must start from a clean gradient: call optimizer.zero_grad() before "
                "loss.backward() (then backward, then optimizer.step()).",
          "zh": "每一步都要从干净的梯度开始：在 loss.backward() 之前调用 optimizer.zero_grad()"
                "（然后 backward，然后 optimizer.step()）。"},
    explanation={"en": "With zero_grad first in every step, .grad holds only this step's "
                       "gradient and SGD moves by lr times it: the fit settles at w = 3.06, "
                       "b = 0.5, as the loop in the chapter does.",
                 "zh": "每一步先调用 zero_grad，.grad 里就只有这一步的梯度，SGD 按 lr 乘以它移动："
                       "拟合收敛到 w = 3.06、b = 0.5，与本章的循环一致。"},
))
