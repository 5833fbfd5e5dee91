"""The fixed words a graph picture draws inside its boxes and on its arrows, in English and
Simplified Chinese.

``word(lang, key, **values)`` is one of them; ``lang`` is "en" or "zh" (see
``autograd_lab.language``). The legend's words are in ``style``, the motion widgets' in
``wording``. What is not a word stays as Python and PyTorch print it in both languages: the
learner's variable names, node names (``MulBackward0``), attribute and field names
(``grad_fn``, ``requires_grad=True``, ``.grad``, ``saved self``'s ``self``), ``None`` and
printed tensors. The Chinese terms are the glossary's (``notebooks/glossary.md``) and the
animation panels' (``wording``): 叶子节点, 梯度, 保存的张量, 反向传播, 钩子, 缓冲区.
"""
from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        # a tensor's box
        "output": "output", "output_k": "output {k}", "retained": "retained tensor",
        "leaf": "leaf tensor", "tensor": "tensor",
        "scalar": "scalar", "shape": "shape [{dims}]",
        "tensor_hooks": "{n} tensor hook(s)",
        "no_graph": "no graph: requires_grad=False",
        "grad_not_computed": "grad: None (not computed yet)",
        "grad_not_kept": "grad: not kept (non-leaf)",
        "grad_computed": "grad: computed, {shape}",
        # a backward node's box
        "custom": "custom Function", "saved_freed": "saved tensors freed",
        "stale": "saved {names} modified in place:", "fails_here": "backward fails here",
        "hooks": "hooks: {parts}", "hooks_sep": ", ",
        "pre_hooks": "{n} pre-hook(s)", "node_hooks": "{n} hook(s)",
        "order": "derivative order {k}",
        # a saved tensor's box
        "saved_name": "saved {name}", "freed_by_backward": "freed by backward",
        "own_output": "= this node's output",
        "saved_version": "saved at version {old}, now {new}", "version": "version {k}",
        # a summary box
        "folded": "{n} nodes folded", "more_kinds": "+ {k} more kinds ({n} nodes)",
        "leaves_hidden": "({n} leaf tensors not shown)",
        # arrows
        "input_k": "input {k}",
        # show_grads
        "grad_is": "grad = {value}", "local": "local: {expr}",
        "local_is": "local derivative = {value}", "into_grad": " (into .grad)",
        # view="forward"
        "constant": "constant", "no_gradient": "needs no gradient",
        # the animation's boxes
        "in": "in", "buffer": "buffer", "grad_none": "grad: None",
    },
    "zh": {
        "output": "输出", "output_k": "输出 {k}", "retained": "保留梯度的张量",
        "leaf": "叶子节点", "tensor": "张量",
        "scalar": "标量", "shape": "形状 [{dims}]",
        "tensor_hooks": "{n} 个张量钩子",
        "no_graph": "不在计算图中：requires_grad=False",
        "grad_not_computed": "grad: None（尚未计算）",
        "grad_not_kept": "grad: 不保留（非叶子节点）",
        "grad_computed": "grad: 已计算，{shape}",
        "custom": "自定义 Function", "saved_freed": "保存的张量已释放",
        "stale": "保存的 {names} 被原地修改过：", "fails_here": "反向传播会在这里报错",
        "hooks": "钩子：{parts}", "hooks_sep": "，",
        "pre_hooks": "{n} 个前置钩子", "node_hooks": "{n} 个钩子",
        "order": "{k} 阶导数",
        "saved_name": "保存的 {name}", "freed_by_backward": "已被反向传播释放",
        "own_output": "= 本节点的输出",
        "saved_version": "保存时是版本 {old}，现在是 {new}", "version": "版本 {k}",
        "folded": "折叠了 {n} 个节点", "more_kinds": "+ 另外 {k} 种（{n} 个节点）",
        "leaves_hidden": "（{n} 个叶子节点未画出）",
        "input_k": "输入 {k}",
        "grad_is": "梯度 = {value}", "local": "局部：{expr}",
        "local_is": "局部导数 = {value}", "into_grad": "（加进 .grad）",
        "constant": "常量", "no_gradient": "不需要梯度",
        "in": "输入", "buffer": "缓冲区", "grad_none": "grad: None",
    },
}


def word(lang: str, key: str, **values: object) -> str:
    """The picture's word ``key`` in ``lang``, with ``values`` filled in ("(s)" follows ``n``
    in English)."""
    text = WORDS[lang][key]
    if "(s)" in text:
        text = text.replace("(s)", "" if values.get("n") == 1 else "s")
    return text.format(**values) if values else text


def shape_words(shape: tuple, lang: str = "en") -> str:
    """``shape [3, 4]``, or ``scalar`` for a 0-d shape."""
    if not shape:
        return word(lang, "scalar")
    return word(lang, "shape", dims=", ".join(str(s) for s in shape))
