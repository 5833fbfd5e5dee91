"""The colours of a graph picture and the legend that explains them.

One ``Look`` per kind of box; ``LEGEND`` says in words what each colour means (``LEGENDS``:
in English and in Simplified Chinese, with the legend's notes). The docstring of
``render_graph`` repeats this table.
"""
from __future__ import annotations

from typing import Any, NamedTuple


class Look(NamedTuple):
    """How one kind of box is drawn (Graphviz attribute values)."""

    fill: str
    border: str
    style: str = "filled"
    shape: str = "box"


# Tensors are square-cornered boxes, backward nodes rounded ones.
LOOKS: dict[str, Look] = {
    "output": Look("#dcfce7", "#15803d"),
    "leaf": Look("#dbeafe", "#1d4ed8"),
    "constant": Look("#f1f5f9", "#94a3b8"),
    "tensor": Look("#fef9c3", "#a16207"),
    "saved": Look("#ffedd5", "#c2410c"),
    "saved_freed": Look("#f5f5f4", "#a8a29e", "filled,dashed"),
    "saved_stale": Look("#fee2e2", "#b91c1c", "filled,bold"),
    "op": Look("#f1f5f9", "#475569", "filled,rounded"),
    "accumulate": Look("#e0f2fe", "#0369a1", "filled,rounded"),
    "custom": Look("#f3e8ff", "#7e22ce", "filled,rounded"),
    "stale_op": Look("#fee2e2", "#b91c1c", "filled,rounded,bold"),
    "group": Look("#fafaf9", "#78716c", "filled,rounded,dashed"),
    "none": Look("#ffffff", "#cbd5e1", "filled,dashed", "box"),
    # view="forward": operations, and the tensors between them that no variable names
    "forward_op": Look("#f1f5f9", "#475569", "filled", "ellipse"),
    "forward_tensor": Look("#fffbeb", "#d6b56d", "filled"),
}

# Backward nodes coloured by the backward pass that created them (``higher_order=True``):
# order 0 is the forward graph, order 1 was recorded by the first backward, and so on.
ORDER_LOOKS: tuple[Look, ...] = (
    LOOKS["op"],
    Look("#fef3c7", "#b45309", "filled,rounded"),
    Look("#fce7f3", "#be185d", "filled,rounded"),
    Look("#ccfbf1", "#0f766e", "filled,rounded"),
    Look("#e0e7ff", "#4338ca", "filled,rounded"),
)

HIGHLIGHT = "#e11d48"
EDGE = "#64748b"
EDGE_TEXT = "#475569"
TEXT = "#1f2937"
FONT = "Helvetica"


def order_look(order: int) -> Look:
    return ORDER_LOOKS[order % len(ORDER_LOOKS)] if order else ORDER_LOOKS[0]


ORDER_NAMES = ("forward graph", "1st backward (create_graph=True)",
               "2nd backward", "3rd backward")
ORDER_WORDS: dict[str, dict[str, Any]] = {
    "en": {"names": ORDER_NAMES, "nth": "{k}th backward", "meaning": "{name}: derivative order {k}"},
    "zh": {"names": ("前向计算图", "第 1 次反向传播（create_graph=True）", "第 2 次反向传播",
                     "第 3 次反向传播"),
           "nth": "第 {k} 次反向传播", "meaning": "{name}：{k} 阶导数"},
}


def order_meaning(order: int, lang: str = "en") -> str:
    """The legend's row for nodes of derivative ``order``, in ``lang``."""
    words = ORDER_WORDS[lang]
    names = words["names"]
    name = names[order] if order < len(names) else words["nth"].format(k=order)
    return words["meaning"].format(name=name, k=order)


# What each kind means, in the order the legend lists them.
LEGEND: dict[str, str] = {
    "output": "output tensor (what was drawn)",
    "leaf": "leaf tensor: AccumulateGrad adds into its .grad",
    "constant": "tensor that needs no gradient",
    "tensor": "intermediate tensor (named, retained or saved)",
    "forward_tensor": "intermediate tensor no variable names",
    "forward_op": "operation, and the grad_fn it recorded",
    "op": "backward node (grad_fn); arrows follow next_functions",
    "accumulate": "AccumulateGrad: where a gradient reaches a leaf",
    "custom": "custom autograd.Function node",
    "saved": "saved tensor (kept for backward)",
    "saved_freed": "saved tensor freed by backward (retain_graph=False)",
    "saved_stale": "saved tensor modified in place since it was saved",
    "stale_op": "backward fails here: a saved tensor was modified",
    "group": "collapsed: many nodes summarised in one",
    "none": "None: an input that needs no gradient",
}

EDGE_NOTE = "arrow label i: next_functions[i]; 'input k': its second element"
FORWARD_NOTE = "arrows: data flows from inputs to output (backward goes back)"
# show_grads=True: what the green arrow labels mean
GRADS_NOTE = ("green \u2202y/\u2202a: the gradient that flows back along the arrow",
              "local: the node's own derivative (grad = grad before \u00d7 local)")
GRADS_NOTE_STYLES = ("g", "m")


class LegendWords(NamedTuple):
    """Everything the legend says, in one language."""

    title: str
    kinds: dict[str, str]           # a row per kind of box, as ``LEGEND``
    highlighted: str
    edge_note: str
    forward_note: str
    grads_note: tuple[str, str]


LEGENDS: dict[str, LegendWords] = {
    "en": LegendWords("Legend", LEGEND, "highlighted", EDGE_NOTE, FORWARD_NOTE, GRADS_NOTE),
    "zh": LegendWords(
        "图例",
        {
            "output": "输出张量（所画的对象）",
            "leaf": "叶子节点：AccumulateGrad 把梯度累加进它的 .grad",
            "constant": "不需要梯度的张量",
            "tensor": "中间张量（有名字、保留梯度或被保存的）",
            "forward_tensor": "没有变量名的中间张量",
            "forward_op": "运算，以及它记录的 grad_fn",
            "op": "反向节点（grad_fn）；箭头沿 next_functions",
            "accumulate": "AccumulateGrad：梯度到达叶子节点的地方",
            "custom": "自定义 autograd.Function 的节点",
            "saved": "保存的张量（留给反向传播用）",
            "saved_freed": "被反向传播释放的保存的张量（retain_graph=False）",
            "saved_stale": "保存之后又被原地修改的张量",
            "stale_op": "反向传播会在这里报错：保存的张量被修改了",
            "group": "折叠：许多节点汇总在一个框里",
            "none": "None：不需要梯度的输入",
        },
        "高亮",
        "箭头上的 i：next_functions[i]；“输入 k”：它的第二个元素",
        "箭头：数据从输入流向输出（反向传播沿相反方向）",
        ("绿色 \u2202y/\u2202a：沿箭头传回的梯度",
         "局部：节点自己的导数（梯度 = 上一个梯度 \u00d7 局部导数）"),
    ),
}
