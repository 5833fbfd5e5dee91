"""Exercises of chapter 02: tensors that require grad, and the graph."""
from __future__ import annotations

from typing import Any

from ._core import Exercise, WrongType, register


def _graphs():
    """Fresh graphs and how many AccumulateGrad nodes each has."""
    import autograd_lab as torch

    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    yield torch.mul(torch.add(x, w), torch.add(w, 1)), 2
    c = torch.ones(3)
    v = torch.ones(3, requires_grad=True)
    yield sum(v * c), 1
    p, q, r = (torch.tensor([float(i)], requires_grad=True) for i in range(3))
    yield (p * q + q * r + r * p).sum(), 3
    h = w
    for _ in range(3000):          # deeper than Python's recursion limit
        h = h * 1.0 + x
    yield h, 2


def _count_accumulate_grad(function: Any) -> bool | None:
    """The learner's ``count_accumulate_grad(t)``: distinct AccumulateGrad nodes behind t."""
    if not callable(function):
        raise WrongType({"en": "a function count_accumulate_grad(t)",
                         "zh": "一个函数 count_accumulate_grad(t)"})
    for graph, want in _graphs():
        got = function(graph)
        if got is None:
            return None
        if not isinstance(got, int) or isinstance(got, bool):
            raise WrongType({"en": "an int from count_accumulate_grad", "zh": "count_accumulate_grad 返回一个整数"})
        if got != want:
            return False
    return True


register(Exercise(
    "02.1", (True, True, False, True),
    question={"en": "p = torch.ones(2, requires_grad=True); q = torch.zeros(2); r = p * q; "
                    "s = q * 2. Which of p, q, r, s are leaves? Answer a tuple of four booleans.",
              "zh": "p = torch.ones(2, requires_grad=True)；q = torch.zeros(2)；r = p * q；"
                    "s = q * 2。p、q、r、s 中哪些是叶子？用四个布尔值组成的元组回答。"},
    hint={"en": "A tensor is a leaf when its grad_fn is None. Does s = q * 2 record a node?",
          "zh": "grad_fn 为 None 的张量就是叶子。s = q * 2 会记录节点吗？"},
    explanation={"en": "p and q have no grad_fn. r was computed from p, which requires grad, so "
                       "it has MulBackward0. s was computed too, but from nothing that requires "
                       "grad: nothing was recorded, its grad_fn is None, and it is a leaf.",
                 "zh": "p 和 q 没有 grad_fn。r 由需要梯度的 p 算出，有 MulBackward0。s 也是算出来"
                       "的，但输入都不需要梯度：什么都没记录，grad_fn 为 None，所以是叶子。"}))

register(Exercise(
    "02.2", "None",
    question={"en": "For r = p * q above, what is r.grad_fn.next_functions[1][0]? Answer the "
                    "string 'AccumulateGrad' or 'None'.",
              "zh": "对上面的 r = p * q，r.grad_fn.next_functions[1][0] 是什么？回答字符串 "
                    "'AccumulateGrad' 或 'None'。"},
    hint={"en": "Position 1 is q. Does q require grad?", "zh": "位置 1 是 q。q 需要梯度吗？"},
    explanation={"en": "q does not require grad, so no gradient will flow to it: its place in "
                       "next_functions holds None, and the engine skips that branch.",
                 "zh": "q 不需要梯度，不会有梯度流向它：它在 next_functions 里的位置是 None，"
                       "引擎跳过这个分支。"}))

register(Exercise(
    "02.3", (10.0, 10.0),
    question={"en": "m = torch.ones(2) * 5; m.requires_grad_(); (m * m).sum().backward(). What "
                    "is m.grad? Answer a tuple of two numbers (or a tensor).",
              "zh": "m = torch.ones(2) * 5；m.requires_grad_()；(m * m).sum().backward()。"
                    "m.grad 是多少？用两个数组成的元组（或一个张量）回答。"},
    hint={"en": "Is m a leaf? (What is its grad_fn?) If it is, .grad is kept; d(m^2)/dm = 2m.",
          "zh": "m 是叶子吗？（它的 grad_fn 是什么？）如果是，.grad 会被保存；d(m^2)/dm = 2m。"},
    explanation={"en": "m was computed, but from a tensor that needs no gradient: nothing was "
                       "recorded, grad_fn is None, so m is a leaf. requires_grad_() then makes it "
                       "a leaf that requires grad, and backward fills m.grad = 2m = [10, 10].",
                 "zh": "m 是算出来的，但输入不需要梯度：没有记录任何节点，grad_fn 为 None，所以 m "
                       "是叶子。requires_grad_() 让它成为需要梯度的叶子，backward 填入 "
                       "m.grad = 2m = [10, 10]。"},
    expects={"en": "a tuple of two numbers", "zh": "由两个数组成的元组"}))

register(Exercise(
    "02.4", _count_accumulate_grad,
    question={"en": "Write count_accumulate_grad(t): walk next_functions from t.grad_fn and "
                    "return how many distinct AccumulateGrad nodes you meet. No recursion: "
                    "graphs can be thousands of nodes deep.",
              "zh": "编写 count_accumulate_grad(t)：从 t.grad_fn 出发沿 next_functions 遍历，"
                    "返回遇到的不同 AccumulateGrad 节点的个数。不要用递归：计算图可能有几千层深。"},
    hint={"en": "Keep a list of nodes to visit and a set of ids already seen; pop a node, skip "
                "None, count it if type(node).__name__ == 'AccumulateGrad', push its "
                "next_functions' nodes.",
          "zh": "用一个待访问节点的列表和一个已见 id 的集合；弹出节点，跳过 None；若 "
                "type(node).__name__ == 'AccumulateGrad' 就计数，再把它的 next_functions 中的"
                "节点压入列表。"},
    explanation={"en": "That walk is what the engine does before a backward pass (it counts "
                       "each node's dependencies the same way, without recursion). A leaf used "
                       "many times still has one AccumulateGrad.",
                 "zh": "引擎在反向传播之前也这样遍历（用同样的非递归方式统计每个节点的依赖）。"
                       "一个叶子无论用几次，都只有一个 AccumulateGrad。"}))
