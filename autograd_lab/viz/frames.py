"""Pictures of a backward pass, one per step, all on one layout.

``MotionGraph`` walks and folds the graph exactly as ``render_graph`` does, and keeps what
``render_graph`` would draw before the pass (each box's lines, each arrow's label): that is
frame 0's content. ``Frames`` takes one ``PassState`` per frame, asks the ``Scene`` how every
box and arrow looks in each, and has Graphviz lay the graph out **once**, with every box and
arrow label as large as its largest moment. Each frame is then that layout with some groups
rewritten (``svgparts.Template``): the picture never jumps, and a frame costs no layout.

>>> import autograd_lab as torch
>>> from autograd_lab.autograd.trace import record_backward
>>> from autograd_lab.viz.names import Names
>>> from autograd_lab.viz.passstate import Start, replay
>>> x = torch.tensor([2.], requires_grad=True)
>>> y = (x * x).sum()
>>> graph = MotionGraph([y], Names())
>>> start = Start.of(graph.model)
>>> with record_backward() as trace:
...     y.backward()
>>> frames = Frames(graph, graph.scene(start), replay(trace, graph.model, start))
>>> len(frames)
4
>>> 'class="node op running"' in frames.svg(1)   # SumBackward0 (box n0) runs at step 1
True
"""
from __future__ import annotations

import html
import re
from typing import Any, Callable, Sequence

from . import collapse as folding
from . import style
from .graph import _Drawing, _edge_attr, _graph_attr, _loose_tensors, _node_attr
from .highlight import Marks
from .labels import Line, label
from .names import Names
from .passstate import PassState, Start
from .picture import GraphPicture
from .widetext import WIDE
from .scene import TEXT_STYLES, BoxBase, EdgeBase, Scene, magnitude
from .svgparts import Look, Template, text_width
from .walk import flatten_outputs, walk

_PLAIN = re.compile(r"([nt])(\d+)$")
# (width, height) in points beyond which a picture is "large", and the window the widget
# shows of a large picture around the running node
LARGE = (1400.0, 1100.0)
WINDOW = (960.0, 720.0)


class _Capture:
    """Stands in for the ``GraphPicture`` a ``_Drawing`` writes into, and keeps the calls."""

    def __init__(self) -> None:
        self.nodes: list[tuple[str, Any, dict]] = []
        self.edges: list[tuple[str, str, dict]] = []
        self.graph: list[tuple[Any, Any, dict]] = []

    def node(self, name: str, label: Any = None, _attributes: Any = None, **attrs: Any) -> None:
        self.nodes.append((name, label, attrs))

    def edge(self, tail: str, head: str, label: Any = None, _attributes: Any = None,
             **attrs: Any) -> None:
        if label is not None:
            attrs["label"] = label
        self.edges.append((tail, head, attrs))

    def attr(self, kw: Any = None, _attributes: Any = None, **attrs: Any) -> None:
        self.graph.append((kw, _attributes, attrs))


class _CaptureDrawing(_Drawing):
    """render_graph's drawing, also keeping each box's lines (not only its DOT text)."""

    captured: dict[str, BoxBase]

    def _box(self, node_id: str, lines: list[Line], kind: str, look: style.Look | None = None,
             marked: bool = False, extra_class: str = "") -> None:
        self.captured[node_id] = BoxBase(tuple(lines), kind, look or style.LOOKS[kind])
        super()._box(node_id, lines, kind, look, marked, extra_class)


class MotionGraph:
    """The graph behind ``outputs`` as ``render_graph`` would draw it now, ready to animate.

    Build it *before* the backward pass: it records the boxes as they are then.
    """

    def __init__(self, outputs: Sequence[Any], known: Names, *, show_saved: bool = False,
                 show_values: bool = True, max_nodes: int = 120, collapse: bool | None = None,
                 legend: bool = True, direction: str = "TB", lang: str = "en",
                 compact: bool = True) -> None:
        flat = flatten_outputs(outputs)
        self.lang = lang
        self.compact = compact
        # the colour key is HTML under the picture (in the learner's language), not in the SVG
        self.legend = legend
        self.known = known
        self.model = model = walk(flat, known)
        self.show_values = show_values
        self.direction = direction
        drawing = _CaptureDrawing(model, known, Marks(), show_saved=show_saved,
                                  show_none=False, show_values=show_values,
                                  higher_order=False, lang=lang)
        drawing.captured = {}
        weights = drawing.weights()
        if collapse is False:
            plan = folding.no_folding(len(model.ops))
        elif collapse is True or sum(weights) + _loose_tensors(model) > max_nodes:
            plan = folding.plan(model.children, drawing.keep(), weights, max_nodes)
        else:
            plan = folding.no_folding(len(model.ops))
        self.plan = plan
        self._capture = capture = _Capture()
        drawing.draw(capture, plan, False)  # type: ignore[arg-type]  # (a stand-in picture)
        self.bases: dict[str, BoxBase] = {k: v for k, v in drawing.captured.items()
                                          if "_none" not in k}
        self.edges: dict[str, EdgeBase] = {}
        self._edge_ids: list[str | None] = []
        positions: dict[int, list[int]] = {}
        for tail, head, attrs in capture.edges:
            edge_id = None
            t, h = _PLAIN.match(tail), _PLAIN.match(head)
            text = str(attrs.get("label", "")).replace("\\\\", "\\").replace("&amp;", "&")
            if t and h and t.group(1) == "n" and h.group(1) == "n":
                i, child = int(t.group(2)), int(h.group(2))
                left = positions.setdefault(i, list(range(len(model.children[i]))))
                pos = next(p for p in left if model.children[i][p][0] == child)
                left.remove(pos)
                edge_id = f"e{i}_{pos}"
                self.edges[edge_id] = EdgeBase(text, style.EDGE, "next")
            elif t and h:
                k = int(t.group(2)) if t.group(1) == "t" else int(h.group(2))
                edge_id = f"t{k}_e"
                what = "grad_fn" if t.group(1) == "t" else "variable"
                self.edges[edge_id] = EdgeBase(text, attrs.get("color", style.EDGE), what)
            self._edge_ids.append(edge_id)

    def scene(self, start: Start) -> Scene:
        """How this graph's boxes and arrows look at each moment of a pass from ``start``."""
        return Scene(self.model, self.plan, self.bases, self.edges, start, self.show_values,
                     lang=self.lang, compact=self.compact)

    def layout_picture(self, largest: dict[str, tuple[Line, ...]]) -> GraphPicture:
        """The DOT to lay out: every box and arrow labelled with its ``largest`` lines, and
        given its id (so the SVG groups can be found again)."""
        edge_attr = dict(_edge_attr(), fontsize=str(EDGE_FONT_SIZE))
        picture = GraphPicture(name="autograd_graph", graph_attr=_graph_attr(self.direction),
                               node_attr=_node_attr(), edge_attr=edge_attr)
        largest = {key: tuple(_for_layout(line) for line in lines)
                   for key, lines in largest.items()}
        for name, text, attrs in self._capture.nodes:
            if name in largest:
                text = label(largest[name])[0]
            picture.node(name, text, id=name, **attrs)
        for edge_id, (tail, head, attrs) in zip(self._edge_ids, self._capture.edges):
            attrs = dict(attrs)
            if edge_id is not None:
                attrs["id"] = edge_id
                lines = largest.get(edge_id, ())
                if lines:
                    attrs["label"] = label(lines)[0]
                else:
                    attrs.pop("label", None)
            picture.edge(tail, head, **attrs)
        for kw, extra, attrs in self._capture.graph:
            picture.attr(kw, _attributes=extra, **attrs)
        return picture


EDGE_FONT_SIZE = 11  # points: render_graph's 10 would be below 11 px once a picture is scaled


def _for_layout(line: Line) -> Line:
    """Graphviz measures text as Helvetica, where a Chinese character counts as narrow as a
    Latin one; for the layout only, each is replaced by a character as wide as it really is."""
    if WIDE.search(line.text):
        return line._replace(text=WIDE.sub("W", line.text))
    return line


def largest_lines(frames: Sequence[dict[str, Look]]) -> dict[str, tuple[Line, ...]]:
    """For each box or arrow, a label as large as all of its frames': as many lines as the
    longest, each as wide as the widest line at that position."""
    out: dict[str, list[Line]] = {}
    widths: dict[str, list[float]] = {}
    for looks in frames:
        for key, look in looks.items():
            best = out.setdefault(key, [])
            best_w = widths.setdefault(key, [])
            for j, line in enumerate(look.lines):
                w = _width(line)
                if j == len(best):
                    best.append(line)
                    best_w.append(w)
                elif w > best_w[j]:
                    best[j] = line
                    best_w[j] = w
    return {key: tuple(lines) for key, lines in out.items()}


_BOLD = {code for code, attrs in TEXT_STYLES.items() if attrs.get("font-weight") == "bold"}


def _width(line: Line) -> float:
    return text_width(_for_layout(line).text) * (1.08 if line.style.upper() in _BOLD else 1.0)


def _fits(looks: dict[str, Look], largest: dict[str, tuple[Line, ...]]) -> bool:
    """Whether every label of ``looks`` fits in the space the layout kept for it."""
    for key, look in looks.items():
        room = largest.get(key)
        if room is None or len(look.lines) > len(room):
            return False
        for line, space in zip(look.lines, room):
            if _width(line) > _width(space) + 0.5:
                return False
    return True


class Frames:
    """The pictures of every frame of a pass; see the module docstring.

    ``svg(k)`` is frame ``k``; ``changes(k)`` the groups that differ from frame ``k - 1``
    (what the HTML player swaps in).
    """

    def __init__(self, graph: MotionGraph, scene: Scene, states: Sequence[PassState],
                 reserve: Callable[[float], list[dict[str, Look]]] | None = None) -> None:
        self.graph = graph
        self.scene = scene
        self.states = list(states)
        self.looks = [scene.looks(s) for s in self.states]
        self.layouts = 0
        # frames still to come (``extend``): ``reserve(m)`` gives looks as large as values up
        # to m can make them
        self._reserve_for = reserve
        self._reserve = reserve(12.2222) if reserve is not None else []
        self._lay_out()

    def _lay_out(self) -> None:
        self.largest = largest_lines(self._reserve + self.looks)
        picture = self.graph.layout_picture(self.largest)
        self.dot = picture.source
        self.template = Template(picture.svg(), wanted=self.largest.keys(),
                                 text_styles=TEXT_STYLES)
        self._cache: dict[tuple[str, Look], str] = {}
        self.layouts += 1

    def __len__(self) -> int:
        return len(self.states)

    def extend(self, states: Sequence[PassState]) -> None:
        """Add frames (the manual stepper's new steps). They are drawn on the same layout if
        they fit in it; otherwise the graph is laid out again, for all frames."""
        fits = True
        for s in states:
            looks = self.scene.looks(s)
            self.states.append(s)
            self.looks.append(looks)
            fits = fits and _fits(looks, self.largest)
        if not fits:
            if self._reserve_for is not None:  # values grew: keep room for ten times more
                # (the last state holds every gradient sent so far, and every .grad)
                self._reserve = self._reserve_for(10 * magnitude(self.states[-1:]))
            self._lay_out()

    def groups(self, k: int) -> dict[str, str]:
        """The SVG of every rewritten group in frame ``k``."""
        out = {}
        cache = self._cache
        template = self.template
        for key, look in self.looks[k].items():
            if key not in template.slots:
                continue
            text = cache.get((key, look))
            if text is None:
                text = template.group(key, look)
                hover = self.scene.hover.get(key)
                if hover:  # the whole label as the box's tooltip
                    text = text.replace(f"<title>{key}</title>",
                                        f"<title>{html.escape(hover, quote=False)}</title>", 1)
                cache[(key, look)] = text
            out[key] = text
        return out

    def svg(self, k: int, window: tuple[float, float] | None = None) -> str:
        """Frame ``k`` as SVG text (0: before the first step; k: just after step k); with
        ``window`` (width, height in points), only that much of it, around the running node
        (the first node to run, in frame 0)."""
        svg = self.template.assemble(self.groups(k))
        if window is None:
            return svg
        return self.template.window(svg, self.focus_id(k), *window)

    @property
    def large(self) -> bool:
        """Whether the picture is too large to read whole on a screen."""
        return self.template.height > LARGE[1] or self.template.width > LARGE[0]

    def focus_id(self, k: int) -> str | None:
        """The box to look at in frame ``k``: the running node, or the next one to run."""
        found = self.current_id(k)
        if found is None and self.states[k].queue:
            found = self._box_of(self.states[k].queue[0])
        return found

    def changes(self, k: int) -> dict[str, str]:
        """The groups of frame ``k`` that differ from frame ``k - 1`` (all of them for 0)."""
        now = self.groups(k)
        if k == 0:
            return now
        before = self.looks[k - 1]
        return {key: text for key, text in now.items()
                if before.get(key) != self.looks[k][key]}

    def current_id(self, k: int) -> str | None:
        """The id of the box highlighted as running in frame ``k`` (None in frame 0)."""
        i = self.states[k].current
        return None if i is None else self._box_of(i)

    def _box_of(self, i: int) -> str:
        group = self.graph.plan.group_of[i]
        return f"n{i}" if group == folding.KEPT else f"g{group}"
