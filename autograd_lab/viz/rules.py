"""The local derivative of each backward node, in the learner's words, keyed by node class.

A ``Rule`` says what a node's forward operation was (``formula``, in the learner's names) and
what each input gets back (``grads``: one expression per entry of ``next_functions``, in terms
of ``g``, the gradient that arrived). ``explain_rule`` fills both in with the names and the
numbers of one step of a real pass::

    b = torch.add(w, 1)   ->   "b = w + 1. With g = dy/db = tensor([3.]): w gets g = tensor([3.]);
                                1 needs no gradient."

The rules are data keyed by the node's class name, so that they can later move onto the node
classes themselves: a class attribute ``explanation = Rule(...)`` on a node class is used before
this table (``rule_of``). The words around the formulas exist in English and Chinese
(``lang="en"`` or ``"zh"``); the formulas are mathematics, the same in both.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ..autograd.explanation import (BROADCAST, COPY, RESHAPE, SLICE, TRANSPOSE, Explanation,
                                     both)


Rule = Explanation  # the name this module used before explanations moved onto the nodes
_t = both

RULES: dict[str, Rule] = {
    "AddBackward0": Rule("{z} = {0} + {alpha}{1}", ("g", "{alpha}g"), BROADCAST, "add"),
    "AddBackward1": Rule("{z} = {0} + {c}", ("g",), constant="add"),
    "SubBackward0": Rule("{z} = {0} \u2212 {alpha}{1}", ("g", "\u2212{alpha}g"), BROADCAST,
                         "sub"),
    "SubBackward1": Rule("{z} = {0} \u2212 {c}", ("g",), constant="sub"),
    "RsubBackward1": Rule("{z} = {c} \u2212 {0}", ("\u2212g",), constant="rsub"),
    "MulBackward0": Rule("{z} = {0} \u00b7 {1}", ("g \u00b7 {1}", "g \u00b7 {0}"),
                         {"en": "Each factor gets the gradient times the other factor: the node "
                                "saved both for this.",
                          "zh": "每个因子得到梯度乘以另一个因子：节点为此保存了两个因子（保存的张量）。"}),
    "MulBackward1": Rule("{z} = {0} \u00b7 {other}", ("g \u00b7 {other}",)),
    "DivBackward0": Rule("{z} = {0} / {1}", ("g / {1}", "\u2212g \u00b7 {0} / {1}\u00b2")),
    "DivBackward1": Rule("{z} = {0} / {other}", ("g / {other}",)),
    "PowBackward0": Rule("{z} = {0} ** {exponent}",
                         ("g \u00b7 {exponent} \u00b7 {0}^({exponent} \u2212 1)",)),
    "PowBackward1": Rule("{z} = {0} ** {1}",
                         ("g \u00b7 {1} \u00b7 {0}^({1} \u2212 1)", "g \u00b7 {0}^{1} \u00b7 ln {0}")),
    "PowBackward2": Rule("{z} = {self} ** {0}", ("g \u00b7 {z} \u00b7 ln {self}",)),
    "NegBackward0": Rule("{z} = \u2212{0}", ("\u2212g",)),
    "ExpBackward0": Rule("{z} = exp({0})", ("g \u00b7 {z}",),
                         {"en": "exp is its own derivative: the node saved its result {z}.",
                          "zh": "exp 的导数就是它自己：节点保存了结果 {z}。"}),
    "LogBackward0": Rule("{z} = log({0})", ("g / {0}",)),
    "ReciprocalBackward0": Rule("{z} = 1 / {0}", ("\u2212g \u00b7 {z}\u00b2",)),
    "AbsBackward0": Rule("{z} = |{0}|", ("g \u00b7 sign({0})",)),
    "SgnBackward0": Rule("{z} = sign({0})", ("0",)),
    "SignBackward0": Rule("{z} = sign({0})", ("0",)),
    "ReluBackward0": Rule("{z} = relu({0})", (_t("g where {z} > 0, else 0", "{z} > 0 处为 g，其余为 0"),),
                          {"en": "The node saved its result to know where {z} is positive.",
                           "zh": "节点保存了结果，用来判断 {z} 在哪些位置为正。"}),
    "SigmoidBackward0": Rule("{z} = sigmoid({0})", ("g \u00b7 {z} \u00b7 (1 \u2212 {z})",)),
    "TanhBackward0": Rule("{z} = tanh({0})", ("g \u00b7 (1 \u2212 {z}\u00b2)",)),
    "SumBackward0": Rule("{z} = {0}.sum()", (_t("g, copied to every element of {0}", "g，复制到 {0} 的每个元素"),),
                         {"en": "Every element of {0} counts once in {z}.",
                          "zh": "{0} 的每个元素在 {z} 中恰好出现一次。"}),
    "SumBackward1": Rule("{z} = {0}.sum(dim)", (_t("g, copied back along the summed dimensions", "g，沿被求和的维度复制回去"),)),
    "MeanBackward0": Rule("{z} = {0}.mean()", (_t("g / n, for each of the n elements", "g / n，n 个元素每个都一样"),)),
    "MeanBackward1": Rule("{z} = {0}.mean(dim)", (_t("g / n, copied back along those dimensions", "g / n，沿这些维度复制回去"),)),
    "MmBackward0": Rule("{z} = {0} @ {1}", ("g @ {1}\u1d40", "{0}\u1d40 @ g")),
    "BmmBackward0": Rule("{z} = {0} @ {1} (per batch)", ("g @ {1}\u1d40", "{0}\u1d40 @ g")),
    "AddmmBackward0": Rule("{z} = {0} + {1} @ {2}", ("g", "g @ {2}\u1d40", "{1}\u1d40 @ g"),
                           BROADCAST),
    "MvBackward0": Rule("{z} = {0} @ {1}", ("outer(g, {1})", "{0}\u1d40 @ g")),
    "DotBackward0": Rule("{z} = dot({0}, {1})", ("g \u00b7 {1}", "g \u00b7 {0}")),
    "CatBackward0": Rule("{z} = cat([...])", (),
                         {"en": "The gradient is cut back into the piece each input contributed.",
                          "zh": "梯度被切回每个输入贡献的那一段。"}),
    "StackBackward0": Rule("{z} = stack([...])", (),
                           {"en": "The gradient is split back along the new dimension.",
                            "zh": "梯度沿新增的维度拆分回去。"}),
    "UnbindBackward0": Rule("{z} = unbind({0})", (),
                            {"en": "The pieces' gradients are stacked back into one (zeros for a "
                                   "piece that got none).",
                             "zh": "各片的梯度重新堆叠成一个（没收到梯度的片用 0）。"}),
    "ViewBackward0": Rule("{z} = {0}.view(...)", ("g",), RESHAPE),
    "ReshapeAliasBackward0": Rule("{z} = {0}.reshape(...)", ("g",), RESHAPE),
    "UnsafeViewBackward0": Rule("{z} = {0}.reshape(...)", ("g",), RESHAPE),
    "TBackward0": Rule("{z} = {0}.t()", ("g\u1d40",), TRANSPOSE),
    "TransposeBackward0": Rule("{z} = {0}.transpose(...)", (_t("g, transposed back", "g，转置回来"),)),
    "PermuteBackward0": Rule("{z} = {0}.permute(...)", (_t("g, permuted back", "g，维度换回原来的顺序"),)),
    "SqueezeBackward0": Rule("{z} = {0}.squeeze()", ("g",), RESHAPE),
    "SqueezeBackward1": Rule("{z} = {0}.squeeze(dim)", ("g",), RESHAPE),
    "SqueezeBackward4": Rule("{z} = {0}.squeeze(dims)", ("g",), RESHAPE),
    "UnsqueezeBackward0": Rule("{z} = {0}.unsqueeze(dim)", ("g",), RESHAPE),
    "ExpandBackward0": Rule("{z} = {0}.expand(...)", (_t("g, summed over the repeats", "g，对各份重复求和"),),
                            {"en": "expand repeats {0} without copying: each repeat sends its "
                                   "share back.",
                             "zh": "expand 不复制地重复 {0}：每一份重复都把自己的梯度送回并求和。"}),
    "SelectBackward0": Rule("{z} = {0}[i]", (), SLICE),
    "SliceBackward0": Rule("{z} = {0}[a:b]", (), SLICE),
    "IndexBackward0": Rule("{z} = {0}[index]", (),
                           {"en": "The gradient is added back at the indexed places; the rest of "
                                  "{0} gets 0.",
                            "zh": "梯度被累加回被索引的位置；{0} 的其余位置得到 0。"}),
    "CloneBackward0": Rule("{z} = {0}.clone()", ("g",), COPY),
    "CopyBackwards": Rule("{z} = copy of {0}", ("g",), COPY),
    "AliasBackward0": Rule("{z} = {0}", ("g",), COPY),
    "ToCopyBackward0": Rule("{z} = {0}.to(dtype)", (_t("g, converted back", "g，转换回原来的 dtype"),)),
    "WhereBackward0": Rule("{z} = where(cond, {1}, {2})",
                           (None, _t("g where cond, else 0", "cond 为真处为 g，其余为 0"),
                            _t("g where not cond, else 0", "cond 为假处为 g，其余为 0"))),
    "MaskedFillBackward0": Rule("{z} = {0}.masked_fill(mask, value)",
                                (_t("g where not mask, else 0", "mask 为假处为 g，其余为 0"),)),
    "FillBackward2": Rule("{z}.fill_(number)", ("0",),
                          {"en": "{z} was filled with a number: nothing of {0} is left in it.",
                           "zh": "{z} 被填成了一个数：其中不再有 {0} 的任何成分。"}),
    "FillBackward3": Rule("{z}.fill_({1})", ("0", "sum(g)"),
                          {"en": "{z} was filled with the value of {1}: {0} gets 0, {1} the sum "
                                 "of the gradient.",
                           "zh": "{z} 被填成了 {1} 的值：{0} 得到 0，{1} 得到梯度之和。"}),
    "ZeroBackward0": Rule("{z}.zero_()", ("0",)),
    "LinalgVectorNormBackward0": Rule("{z} = \u2016{0}\u2016", ("g \u00b7 {0} / \u2016{0}\u2016",)),
    "SoftmaxBackward0": Rule("{z} = softmax({0})", ("{z} \u00b7 (g \u2212 sum(g \u00b7 {z}))",)),
    "LogSoftmaxBackward0": Rule("{z} = log_softmax({0})",
                                ("g \u2212 softmax({0}) \u00b7 sum(g)",)),
    "LogsumexpBackward0": Rule("{z} = logsumexp({0})", ("g \u00b7 softmax({0})",)),
    "MseLossBackward0": Rule("{z} = mean(({0} \u2212 {1})\u00b2)",
                             ("g \u00b7 2({0} \u2212 {1}) / n", "\u2212g \u00b7 2({0} \u2212 {1}) / n")),
    "NllLossBackward0": Rule("{z} = \u2212mean({0}[target])",
                             (_t("\u2212g / n at the target classes, 0 elsewhere", "目标类别处为 \u2212g / n，其余为 0"),)),
}

ACCUMULATE = {
    "en": "AccumulateGrad is where a gradient reaches a leaf: it adds the gradient into "
          "{leaf}.grad. It is the only node that writes .grad, and it adds rather than replaces: "
          "that is why .grad accumulates over several backward calls (zero it with "
          ".grad.zero_() or optimizer.zero_grad()).",
    "zh": "AccumulateGrad 是梯度到达叶子节点的地方：它把梯度累加进 {leaf}.grad。只有它会写 "
          ".grad，而且是累加而不是替换：所以多次调用 backward 时 .grad 会累加"
          "（用 .grad.zero_() 或 optimizer.zero_grad() 清零）。",
}
CUSTOM = {
    "en": "A custom autograd.Function: this step runs your backward(ctx, grad_output), which "
          "returns one gradient per input of forward (None for inputs that need none).",
    "zh": "自定义的 autograd.Function：这一步运行你写的 backward(ctx, grad_output)，它为 forward "
          "的每个输入返回一个梯度（不需要梯度的输入返回 None）。",
}
FALLBACK = {
    "en": "The chain rule: each input gets the incoming gradient times the derivative of this "
          "operation with respect to that input.",
    "zh": "链式法则：每个输入得到传入的梯度乘以这个运算对该输入的导数。",
}
HIGHER = {
    "en": "A node recorded by a backward pass with create_graph=True: it differentiates a "
          "derivative (this is how second derivatives are computed).",
    "zh": "这个节点是在 create_graph=True 的反向传播中记录下来的：它对一个导数再求导（二阶导数就是这样算的）。",
}
_WORDS = {
    "en": {"with": "With g = {gname} = {gval}: ", "gets": "{name} gets {expr} = {value}",
           "gets_expr": "{name} gets {expr}", "none": "{name} needs no gradient",
           "sep": "; ", "stop": ". ", "number": "a number"},
    "zh": {"with": "设 g = {gname} = {gval}：", "gets": "{name} 得到 {expr} = {value}",
           "gets_expr": "{name} 得到 {expr}", "none": "{name} 不需要梯度",
           "sep": "；", "stop": "。", "number": "一个常数"},
}


def rule_of(node: Any) -> Rule | None:
    """The node's own ``explanation`` if its class has one, else this module's rule."""
    own = getattr(type(node), "explanation", None)
    if isinstance(own, Rule):
        return own
    from .walk import op_name
    return RULES.get(op_name(node))


@dataclass
class Operands:
    """One step of one node, as the rule needs it: the names and values, all as text."""

    z: str                              # the output's name
    inputs: Sequence[str]               # per next_functions entry: a name or a number
    needs: Sequence[bool]               # per entry: whether it gets a gradient
    scalars: dict[str, str]             # saved values (alpha, exponent, other...)
    gname: str = ""                     # "dy/db"
    gval: str = ""                      # the incoming gradient, printed
    sent: Sequence[str | None] = ()     # per entry: the gradient sent, printed
    broadcast: bool = False             # whether an input's shape differs from the output's


def explain_rule(rule: Rule, ops: Operands, lang: str = "en") -> str:
    """The rule filled in with one step's names and numbers (see the module docstring)."""
    words = _WORDS[lang]
    fill = _filler(ops, lang)
    parts = [rule.formula.format(*fill["inputs"], **fill["named"])]
    items = []
    for pos, expr in enumerate(rule.grads):
        if pos >= len(ops.inputs) or expr is None:
            continue
        name = ops.inputs[pos]
        if not ops.needs[pos]:
            items.append(words["none"].format(name=name))
            continue
        if isinstance(expr, dict):
            expr = expr.get(lang, expr["en"])
        text = expr.format(*fill["inputs"], **fill["named"])
        value = ops.sent[pos] if pos < len(ops.sent) else None
        if value is None or value == text:
            items.append(words["gets_expr"].format(name=name, expr=text))
        else:
            items.append(words["gets"].format(name=name, expr=text, value=value))
    out = parts[0] + words["stop"]
    if items:
        lead = words["with"].format(gname=ops.gname, gval=ops.gval) if ops.gval else ""
        out += lead + words["sep"].join(items) + words["stop"]
    extra = rule.text.get(lang, "")
    if rule.text is BROADCAST and not ops.broadcast:
        extra = ""
    if extra:
        out += extra.format(*fill["inputs"], **fill["named"])
    return out.strip()


def _filler(ops: Operands, lang: str) -> dict[str, Any]:
    named = dict(ops.scalars)
    alpha = named.get("alpha")
    named["alpha"] = "" if alpha in (None, "1", "1.0") else f"{alpha}\u00b7"
    named.setdefault("c", _WORDS[lang]["number"])
    named["z"] = ops.z
    inputs = list(ops.inputs) + ["?"] * 4  # a rule may name more inputs than a node has
    for key in ("other", "self", "exponent"):
        named.setdefault(key, _WORDS[lang]["number"])
    return {"inputs": inputs, "named": named}
