"""Exercises of chapter 03, derivatives and gradients (also: small helpers that the exercises
of chapters 04-06 share)."""
from __future__ import annotations

from typing import Any, Mapping

from . import _core
from ._core import Exercise, WrongType, register


def say(words: Mapping[str, str]) -> str:
    """``words`` in the language of the check being made."""
    return words.get(_core._lang, words["en"])


def need_callable(answer: Any, what: Mapping[str, str]) -> None:
    """Tell (through WrongType, which check prints) that a function or class was expected."""
    if not callable(answer):
        raise WrongType(say(what))


def _sign_of_source_a(answer: Any) -> bool:
    if not isinstance(answer, str):
        raise WrongType(say({"en": '"positive" or "negative"', "zh": '"positive" 或 "negative"（或“正”“负”）'}))
    word = answer.strip().lower()
    return word in ("negative", "负", "负数")


def _vjp_of_cube(vjp: Any) -> bool | None:
    """Call the learner's vjp(x, v) on fresh tensors; compare with 3 x² v."""
    from .. import allclose, tensor
    need_callable(vjp, {"en": "a function vjp(x, v)", "zh": "一个函数 vjp(x, v)"})
    cases = [([0.5, -1.0, 2.0], [1.0, 1.0, 1.0]), ([1.0, 2.0, -3.0], [2.0, 0.0, -1.0])]
    for values, weights in cases:
        x = tensor(values, requires_grad=True)
        v = tensor(weights)
        got = vjp(x, v)
        if got is None:
            return None if x.grad is None else False  # the body is still `...`
        if not hasattr(got, "detach"):
            raise WrongType(say({"en": "vjp to return a tensor", "zh": "vjp 返回一个张量"}))
        want = 3 * tensor(values) ** 2 * v
        if tuple(got.shape) != tuple(want.shape) or not allclose(got.detach(), want):
            return False
    return True


register(Exercise(
    "03.1", 13.0,
    question={"en": "backward of 2 * dot(x, x), then of x.sum(), no zeroing: x.grad[3]?",
              "zh": "先对 2 * dot(x, x) 反向传播，再对 x.sum()，不清零：x.grad[3] 是多少？"},
    hint={"en": "Each backward call adds into .grad: the first gives 4 * x, the second 1 for "
                "every element.",
          "zh": "每次 backward 调用都加进 .grad：第一次给出 4 * x，第二次给每个元素加 1。"},
    explanation={"en": "4 * 3 from the first call plus 1 from the second: 13. .grad keeps the "
                       "sum of every backward call until it is zeroed.",
                 "zh": "第一次得到 4 * 3，第二次再加 1：13。在清零之前，.grad 保存的是所有 "
                       "backward 调用结果之和。"},
))

register(Exercise(
    "03.2", _sign_of_source_a,
    kind="value",
    question={"en": "The source's a.grad was 204800: was its a positive or negative?",
              "zh": "源文档的 a.grad 是 204800：它的 a 是正数还是负数？"},
    hint={"en": "For a positive a, d = k * a with k a power of 2. Is 204800 a power of 2? Which "
                "branch of f multiplies by 100?",
          "zh": "a 为正数时 d = k * a，k 是 2 的幂。204800 是 2 的幂吗？f 的哪个分支乘以 100？"},
    explanation={"en": "204800 = 100 * 2048: the else-branch ran (b.sum() <= 0), so a was "
                       "negative; b = 2a was doubled 10 more times in the loop (2 * 2^10 = 2048).",
                 "zh": "204800 = 100 * 2048：执行的是 else 分支（b.sum() <= 0），所以 a 是负数；"
                       "b = 2a 在循环里又翻倍了 10 次（2 * 2^10 = 2048）。"},
))

register(Exercise(
    "03.3", 12.0,
    question={"en": "u = x * x, z = u * x (no detach), z.sum().backward(): x.grad[2]?",
              "zh": "u = x * x，z = u * x（不 detach），z.sum().backward()：x.grad[2] 是多少？"},
    hint={"en": "Without the detach, u remembers that it is x * x: z is x cubed.",
          "zh": "没有 detach，u 记得自己是 x * x：z 就是 x 的三次方。"},
    explanation={"en": "z = x³, so dz/dx = 3x² = 12 at x = 2: the gradient flows through u too "
                       "(2x · x) as well as directly (u = x²), 8 + 4.",
                 "zh": "z = x³，所以在 x = 2 处 dz/dx = 3x² = 12：梯度既经过 u（2x · x = 8），"
                       "也直接经过乘法的另一侧（u = x² = 4），8 + 4。"},
))

register(Exercise(
    "03.4", _vjp_of_cube,
    question={"en": "Write vjp(x, v): y = x * x * x, one y.backward(...), return vᵀJ.",
              "zh": "写 vjp(x, v)：y = x * x * x，调用一次 y.backward(...)，返回 vᵀJ。"},
    hint={"en": "y is a vector: pass the weights as gradient=v, then return x.grad.",
          "zh": "y 是向量：把权重作为 gradient=v 传入，然后返回 x.grad。"},
    explanation={"en": "y.backward(gradient=v) starts the pass with v instead of ones: x.grad "
                       "is vᵀJ = 3x² ⊙ v, the Jacobian of an elementwise function being diagonal.",
                 "zh": "y.backward(gradient=v) 用 v 而不是全 1 开始反向传播：x.grad 就是 "
                       "vᵀJ = 3x² ⊙ v（逐元素函数的雅可比矩阵是对角的）。"},
))
