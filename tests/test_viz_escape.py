"""Hostile names: any tensor name or custom Function name gives valid DOT and safe SVG, and is
shown as what it is (control characters as visible escapes)."""
import xml.etree.ElementTree as ET

import pytest

import autograd_lab as torch
from autograd_lab.viz import render_graph
from autograd_lab.viz.labels import MAX_LINE

try:
    from .test_viz_support import SVG, needs_wasm, parse_dot, parse_svg
except ImportError:
    from test_viz_support import SVG, needs_wasm, parse_dot, parse_svg

HOSTILE = {  # name -> what the picture must show
    '"quoted"': '"quoted"',
    "back\\slash\\": "back\\slash\\",
    "\\N \\G \\l \\n \\\\": "\\N \\G \\l \\n \\\\",
    "<script>alert(1)</script>": "<script>alert(1)</script>",
    "<b>bold?</b>": "<b>bold?</b>",
    "{x|y} [z] <p>": "{x|y} [z] <p>",
    "line\nbreak": "line\\x0abreak",
    "tab\there": "tab\\x09here",
    "nul\x00byte": "nul\\x00byte",
    "\u202eevil": "\\u202eevil",
    "\ud800lone": "\\ud800lone",
    "é 中文 🙂 Ω": "é 中文 🙂 Ω",
    "&amp; &lt; &#65; &": "&amp; &lt; &#65; &",
    "it's -- -->": "it's -- -->",
    "x" * 100: "x" * (MAX_LINE - 1) + "\u2026",
}

SAFE_TAGS = {"svg", "g", "title", "polygon", "path", "text", "tspan", "ellipse", "polyline"}


def assert_safe(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML
    for element in root.iter():
        assert element.tag.replace(SVG, "") in SAFE_TAGS, element.tag
        assert not [a for a in element.attrib if a.lower().startswith("on")]
    return root


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_tensor_name(name):
    needs_wasm()
    t = torch.tensor([1.], requires_grad=True)
    y = t * 2
    p = render_graph(y, params={name: t, "y": y}, names=False)
    boxes, _, _ = parse_dot(p.source)
    assert boxes["t1"].lines[0] == HOSTILE[name]
    svg = p.svg()
    assert_safe(svg)
    nodes, _, _ = parse_svg(svg)
    assert nodes["t1"][0] == HOSTILE[name]
    assert len(nodes["t1"]) == len(boxes["t1"].lines)  # no line was split or merged


def test_hostile_custom_function_name():
    needs_wasm()
    name = '<img src=x onerror=alert(1)>"\\N\n&amp;'

    def forward(ctx, x):
        return x * 3

    def backward(ctx, grad):
        return grad * 3

    Evil = type(name, (torch.autograd.Function,),
                {"forward": staticmethod(forward), "backward": staticmethod(backward)})
    x = torch.tensor([1.], requires_grad=True)
    y = Evil.apply(x)
    p = render_graph(y, names=False)
    shown = '<img src=x onerror=alert(1)>"\\N\\x0a&amp;Backward'
    assert parse_dot(p.source)[0]["n0"].lines == (shown, "custom Function")
    root = assert_safe(p.svg())
    assert parse_svg(p.svg())[0]["n0"] == [shown, "custom Function"]
    assert not list(root.iter(f"{SVG}img"))


def test_names_that_look_like_html_are_not_html_labels():
    t = torch.tensor([1.], requires_grad=True)
    source = render_graph(t, params={"<b>": t}, names=False).source
    assert '[label="<b>\\n' in source  # quoted: a plain label, never label=<...>
    assert "label=<" not in source
