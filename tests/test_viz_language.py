"""render_graph and the animations in the learner's language: the words the picture itself
writes are English or Chinese; names, node names, attributes and printed tensors are not words.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

import autograd_lab as torch
from autograd_lab import animate_backward, render_graph, set_language
from autograd_lab.viz import style
from autograd_lab.viz.picture_words import WORDS, word
from autograd_lab.viz.widetext import WIDE
from autograd_lab.viz.svgparts import text_width
from test_viz_support import add_mul, needs_wasm, parse_svg

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    set_language("en")


def _legend(svg: str) -> list[str]:
    """The legend's lines, without the blank room kept after a line of wide characters."""
    return [line.rstrip("\u00a0 ") for line in parse_svg(svg)[2]]


def test_every_picture_word_exists_in_both_languages():
    assert set(WORDS["en"]) == set(WORDS["zh"])
    for key, text in WORDS["en"].items():
        fields = set(re.findall(r"\{(\w+)\}", text))
        assert set(re.findall(r"\{(\w+)\}", WORDS["zh"][key])) == fields, key
    assert set(style.LEGENDS["zh"].kinds) == set(style.LEGEND)
    assert style.LEGENDS["en"].kinds is style.LEGEND


def test_chinese_picture_writes_its_own_words_in_chinese_and_keeps_names():
    needs_wasm()
    outputs, names = add_mul(torch)
    nodes, edges, _ = parse_svg(render_graph(*outputs, names=names, show_saved=True,
                                             show_none=True, lang="zh").svg())
    assert nodes["t0"] == ["y", "形状 [1]", "tensor([6.])", "requires_grad=True, is_leaf=False",
                           "grad: 不保留（非叶子节点）"]
    assert nodes["t1"] == ["a", "形状 [1]", "tensor([3.])", "requires_grad=True, is_leaf=False",
                           "retains_grad=True", "grad: None（尚未计算）"]
    assert nodes["t3"] == ["x", "形状 [1]", "tensor([2.])", "requires_grad=True, is_leaf=True",
                           "grad: None（尚未计算）"]
    assert nodes["n0_s0"] == ["保存的 self", "= a", "形状 [1]", "tensor([3.])", "版本 0"]
    assert nodes["n0_s1"] == ["保存的 other", "= b", "形状 [1]", "tensor([2.])", "版本 0"]
    # node names, attribute names and Python's None are not translated
    assert [nodes[k] for k in ("n0", "n1", "n3", "n2_none1")] == [
        ["MulBackward0"], ["AddBackward0", "alpha = 1"], ["AccumulateGrad"], ["None"]]
    assert {label for _, _, label in edges} == {"grad_fn", "variable", "", "0", "1"}


def test_chinese_legend_and_unnamed_boxes():
    needs_wasm()
    outputs, names = add_mul(torch)
    svg = render_graph(*outputs, names=names, show_saved=True, show_none=True, lang="zh").svg()
    zh = style.LEGENDS["zh"]
    assert _legend(svg) == ["", "图例"] + ["■ " + zh.kinds[k] for k in (
        "output", "leaf", "tensor", "op", "accumulate", "saved", "none")] + [zh.edge_note]
    assert _legend(svg)[2:4] == ["■ 输出张量（所画的对象）",
                                 "■ 叶子节点：AccumulateGrad 把梯度累加进它的 .grad"]
    nodes, _, _ = parse_svg(render_graph(*outputs, names=False, lang="zh").svg())
    assert [nodes[k][0] for k in ("t0", "t1", "t2", "t3")] == [
        "输出", "保留梯度的张量", "叶子节点", "叶子节点"]


def test_lang_none_follows_set_language_and_english_is_unchanged():
    needs_wasm()
    outputs, names = add_mul(torch)
    english = render_graph(*outputs, names=names, show_saved=True, show_none=True)
    set_language("zh")
    followed = render_graph(*outputs, names=names, show_saved=True, show_none=True)
    asked = render_graph(*outputs, names=names, show_saved=True, show_none=True, lang="en")
    assert asked.source == english.source and asked.svg() == english.svg()
    assert "图例" in followed.source and "Legend" not in followed.source
    nodes, _, _ = parse_svg(english.svg())
    assert nodes["n0_s0"] == ["saved self", "= a", "shape [1]", "tensor([3.])", "version 0"]
    assert _legend(english.svg())[1:3] == ["Legend", "■ " + style.LEGEND["output"]]
    with pytest.raises(ValueError, match="lang must be one of 'en', 'zh', got 'fr'"):
        render_graph(*outputs, lang="fr")


def test_chinese_chain_rule_view():
    needs_wasm()
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(x, w)
    y = torch.mul(a, torch.add(w, 1))
    nodes, edges, _ = parse_svg(render_graph(y, view="forward", show_grads=True,
                                             lang="zh").svg())
    by_title = {texts[0]: texts for texts in nodes.values()}
    assert by_title["张量"] == ["张量", "形状 [1]"]         # w + 1: no variable names it
    assert by_title["常量"] == ["常量", "不需要梯度"]         # the 1
    assert by_title["mul"] == ["mul", "grad_fn: MulBackward0"]
    assert by_title["w"][-1] == "∂y/∂w = [5.]（加进 .grad）"
    labels = {label for _, _, label in edges}
    assert "1梯度 = [3.]局部导数 = 3." in labels       # the unnamed w + 1: no ∂y/∂(name)
    assert "0∂y/∂a = [2.]局部：∂y/∂a = 2." in labels


def test_chinese_folded_graph_summary_box():
    needs_wasm()
    x = torch.tensor([1.], requires_grad=True)
    c = x
    for _ in range(200):
        c = c * 1.01
    nodes, _, _ = parse_svg(render_graph(c, lang="zh").svg())
    summaries = [texts for texts in nodes.values() if texts[0].startswith("折叠了")]
    assert summaries == [["折叠了 191 个节点", "MulBackward0 ×191"]]


def _width(text: str, bold: bool = False) -> float:
    """Points the text takes at 12 pt: Helvetica, and one em per wide character."""
    wide = len(WIDE.findall(text))
    return (text_width(WIDE.sub("", text)) + 12 * wide) * (1.08 if bold else 1.0)


def test_boxes_and_legend_are_wide_enough_for_chinese_text():
    # Graphviz takes a CJK character for 0.83 em; drawn, it is 1 em. Every line must fit in
    # its box (here a long Chinese variable name, the widest line of its box), and the legend
    # (wider than this small graph) in the picture.
    needs_wasm()
    x = torch.tensor([1.], requires_grad=True)
    y = x.exp()
    svg = render_graph(y, names={"这是一个名字非常非常非常长的中文变量名": x}, show_values=False,
                       lang="zh").svg()
    root = ET.fromstring(svg)
    checked = []
    for group in root.iter(f"{SVG}g"):
        if "node" not in group.get("class", "").split():
            continue
        shape = group.find(f"{SVG}polygon")  # (rounded boxes are paths: their lines are short)
        if shape is None:
            continue
        xs = [float(p.split(",")[0]) for p in shape.get("points").split()]
        texts = ["".join(t.itertext()) for t in group.iter(f"{SVG}text")]
        for j, text in enumerate(texts):
            if WIDE.search(text):
                assert max(xs) - min(xs) >= _width(text, bold=j == 0) + 8, text
                checked.append(text)
    assert "这是一个名字非常非常非常长的中文变量名" in checked and "grad: None（尚未计算）" in checked
    picture_width = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))
    legend = [line for line in _legend(svg) if WIDE.search(line)]
    assert "■ 叶子节点：AccumulateGrad 把梯度累加进它的 .grad" in legend
    # (the legend starts after the picture's 18 pt pad)
    assert all(18 + _width(line) <= picture_width for line in legend)


def test_english_pictures_set_no_widths():
    needs_wasm()
    outputs, names = add_mul(torch)
    width = re.compile(r"[ \[]width=")
    assert not width.search(render_graph(*outputs, names=names, show_saved=True).source)
    assert width.search(render_graph(*outputs, names=names, show_saved=True, lang="zh").source)


def _frame_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_animation_boxes_speak_the_animation_language():
    needs_wasm()
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    y = (x * w + w).sum()
    zh = _frame_texts(animate_backward(y, lang="zh").frames.svg(1))
    assert "▶ 正在运行：第 1 步" in zh and "输入 = tensor(1.)" in zh
    assert "grad: None" in zh                      # (the compact box's .grad line)
    assert not [t for t in zh if t.startswith(("shape", "scalar", "in =", "buffer", "ready"))]
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    y = (x * w + w).sum()
    en = _frame_texts(animate_backward(y, lang="en").frames.svg(1))
    assert "▶ running: step 1" in en and "in = tensor(1.)" in en
    assert not [t for t in en if WIDE.search(t)]


def test_word_plurals_and_values():
    assert word("en", "tensor_hooks", n=1) == "1 tensor hook"
    assert word("en", "tensor_hooks", n=2) == "2 tensor hooks"
    assert word("zh", "tensor_hooks", n=2) == "2 个张量钩子"
    assert style.order_meaning(1, "zh") == "第 1 次反向传播（create_graph=True）：1 阶导数"
    assert style.order_meaning(7, "zh") == "第 7 次反向传播：7 阶导数"
    assert style.order_meaning(7) == "7th backward: derivative order 7"


def _pdf_text_ops(pdf: bytes) -> str:
    import zlib
    start = pdf.index(b"stream\n") + len(b"stream\n")
    end = pdf.index(b"\nendstream", start)
    return zlib.decompress(pdf[start:end]).decode("latin-1")


def test_chinese_picture_as_pdf_writes_chinese_text(tmp_path):
    needs_wasm()
    outputs, names = add_mul(torch)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # no "written as '?'" warning
        pdf = render_graph(*outputs, names=names, lang="zh").pdf()
    assert b"/BaseFont /STSong-Light /Encoding /UniGB-UCS2-H" in pdf
    ops = _pdf_text_ops(pdf)
    title = "".join(f"\\{b:03o}" if not 32 <= b < 127 or b in b"()\\" else chr(b)
                    for b in "图例".encode("utf-16-be"))
    assert "/F7 11 Tf" in ops and f"({title}) Tj" in ops
    english = render_graph(*outputs, names=names, lang="en").pdf()
    assert b"STSong" not in english and "/F7" not in _pdf_text_ops(english)
    import shutil
    import subprocess
    if shutil.which("pdftotext"):  # a real reader finds the words again
        path = tmp_path / "zh.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "图例" in text and "形状 [1]" in text and "grad: 不保留（非叶子节点）" in text
