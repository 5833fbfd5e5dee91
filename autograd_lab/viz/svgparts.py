"""One Graphviz layout, many pictures: rewrite the boxes and arrows of a laid-out SVG.

Graphviz lays out the graph once (with every box as large as its largest moment, see
``frames``). ``Template`` cuts that SVG into static text and one slot per box (``<g
class="node">``) and arrow (``<g class="edge">``) whose DOT ``id`` it knows; ``Template.group``
writes a slot again with other colours and other lines of text, at the same place. So every
frame of an animation has the same geometry (nothing jumps), and a frame costs string
formatting, not a layout.

Text lines keep the positions Graphviz gave the largest label: line ``j`` of any frame is drawn
where line ``j`` of that label was, so a box's title never moves.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, NamedTuple

from .labels import Line

_GROUP = re.compile(r'^<g id="([^"]+)" class="(node|edge)([^"]*)">$')
_SHAPE = re.compile(r'^<(path|polygon|ellipse|polyline)\b(.*?)/>$')
_GEOMETRY = re.compile(r'\s(d|points|cx|cy|rx|ry)="([^"]*)"')
_TEXT = re.compile(r'^<text\b[^>]*? text-anchor="(\w+)" x="([-\d.]+)" y="([-\d.]+)"'
                   r'[^>]*? font-size="([\d.]+)"')
_NUMBER = re.compile(r'-?\d+(?:\.\d+)?')

FONT = "Helvetica,sans-Serif"

# Helvetica's advance widths (1/1000 em) for printable ASCII, the metrics Graphviz sizes its
# boxes with; other characters count as a digit.
_WIDTHS = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
           556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
           1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
           667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
           333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
           556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584]


def text_width(text: str, size: float = 12.0) -> float:
    """Width in points of ``text`` in Helvetica at ``size`` (Graphviz's own estimate)."""
    total = 0
    for ch in text:
        code = ord(ch) - 32
        total += _WIDTHS[code] if 0 <= code < len(_WIDTHS) else 556
    return total * size / 1000


class Look(NamedTuple):
    """How a box or an arrow is drawn in one frame, and what it says."""

    lines: tuple[Line, ...]
    stroke: str
    width: str = "1.4"
    fill: str = "none"      # boxes only; an arrowhead is filled with ``stroke``
    dash: str = ""
    state: str = ""         # a class on the group (idle, ready, running, ran, sent, ...)


@dataclass
class Slot:
    """A box or arrow of the base SVG, as geometry."""

    id: str
    kind: str                 # "node" or "edge"
    classes: str              # the base classes after "node"/"edge" (kind of box)
    title: str
    shapes: list[tuple[str, str]]   # (tag, geometry attributes) in drawing order
    texts: list[tuple[str, float, float, float]]   # (anchor, x, y, font size)
    center: float
    left: float               # where left-justified lines start
    spacing: float            # between text lines
    bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # x0, y0, x1, y1

    def position(self, j: int) -> float:
        if j < len(self.texts):
            return self.texts[j][2]
        if self.texts:
            return self.texts[-1][2] + (j - len(self.texts) + 1) * self.spacing
        return 0.0


class Template:
    """The base SVG cut into static text and slots (see the module docstring)."""

    def __init__(self, svg: str, wanted: Iterable[str] | None = None,
                 text_styles: Mapping[str, Mapping[str, str]] | None = None) -> None:
        # line style code (``labels.Line.style``, upper case) -> attributes of its <text>
        self.text_styles = {code: "".join(f' {k}="{v}"' for k, v in attrs.items())
                            for code, attrs in (text_styles or {}).items()}
        self.parts: list[str | Slot] = []
        self.slots: dict[str, Slot] = {}
        wanted_ids = set(wanted) if wanted is not None else None
        lines = svg.split("\n")
        static: list[str] = []
        k = 0
        while k < len(lines):
            match = _GROUP.match(lines[k])
            if match and (wanted_ids is None or match.group(1) in wanted_ids):
                end = lines.index("</g>", k)
                slot = _parse(match, lines[k + 1:end])
                self.parts.append("\n".join(static) + "\n")
                static = []
                self.parts.append(slot)
                self.slots[slot.id] = slot
                k = end + 1
                continue
            static.append(lines[k])
            k += 1
        self.parts.append("\n".join(static))
        size = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
        self.width = float(size.group(1)) if size else 0.0
        self.height = float(size.group(2)) if size else 0.0
        shift = re.search(r'<g id="graph0"[^>]*translate\(([-\d.]+) ([-\d.]+)\)', svg)
        # where the graph's own coordinates (y upwards, negative) sit in the picture
        self.shift = (float(shift.group(1)), float(shift.group(2))) if shift else (0.0, 0.0)

    def window(self, svg: str, slot_id: str | None, width: float, height: float) -> str:
        """``svg`` (a frame of this template) cut to a ``width`` x ``height`` window (in
        points) centred on a box, as far as the picture allows: a large graph seen where the
        pass is. The whole picture when it is smaller than the window or the box is unknown."""
        slot = self.slots.get(slot_id) if slot_id else None
        if slot is None or (self.width <= width and self.height <= height):
            return svg
        x0, y0, x1, y1 = slot.bounds
        cx, cy = (x0 + x1) / 2 + self.shift[0], (y0 + y1) / 2 + self.shift[1]
        w, h = min(width, self.width), min(height, self.height)
        left = min(max(cx - w / 2, 0.0), self.width - w)
        top = min(max(cy - h / 2, 0.0), self.height - h)
        return re.sub(r'<svg width="[\d.]+pt" height="[\d.]+pt"\s+viewBox="[^"]*"',
                      f'<svg width="{w:.0f}pt" height="{h:.0f}pt" '
                      f'viewBox="{left:.2f} {top:.2f} {w:.2f} {h:.2f}"', svg, count=1)

    def group(self, slot_id: str, look: Look) -> str:
        """The SVG of one box or arrow drawn with ``look``."""
        slot = self.slots[slot_id]
        state = f" {look.state}" if look.state else ""
        out = [f'<g id="{slot.id}" class="{slot.kind}{slot.classes}{state}">', slot.title]
        dash = f' stroke-dasharray="{look.dash}"' if look.dash else ""
        for n, (tag, geometry) in enumerate(slot.shapes):
            if slot.kind == "node":
                fill = look.fill
            else:  # an arrow's line is not filled, its head is
                fill = "none" if n == 0 else look.stroke
            out.append(f'<{tag} fill="{fill}" stroke="{look.stroke}" '
                       f'stroke-width="{look.width}"{dash if n == 0 else ""}{geometry}/>')
        styles = self.text_styles
        size = slot.texts[0][3] if slot.texts else 12.0
        for j, line in enumerate(look.lines):
            left = line.style.islower()
            x = slot.left if left else slot.center
            attrs = styles.get(line.style.upper(), "")
            out.append(f'<text xml:space="preserve" text-anchor="{"start" if left else "middle"}"'
                       f' x="{x:.2f}" y="{slot.position(j):.2f}" font-family="{FONT}"'
                       f' font-size="{size:.2f}"{attrs}>{html.escape(line.text, False)}</text>')
        out.append("</g>")
        return "\n".join(out)

    def assemble(self, groups: dict[str, str]) -> str:
        """The whole SVG with each slot drawn as ``groups[slot id]``."""
        return "".join(p if isinstance(p, str) else groups[p.id] + "\n" for p in self.parts)


def _parse(match: re.Match, body: list[str]) -> Slot:
    slot_id, kind, classes = match.groups()
    # the style tokens were for ``textstyle``; the group keeps the kind of box
    classes = "".join(f" {c}" for c in classes.split() if not c.startswith(("lines_", "swatch_")))
    title = body[0] if body and body[0].startswith("<title>") else "<title></title>"
    shapes: list[tuple[str, str]] = []
    texts: list[tuple[str, float, float, float]] = []
    xs: list[float] = []
    ys: list[float] = []
    for line in body:
        shape = _SHAPE.match(line)
        if shape:
            geometry = "".join(f' {name}="{value}"' for name, value in
                               _GEOMETRY.findall(shape.group(2)))
            shapes.append((shape.group(1), geometry))
            if kind == "node" and not xs:
                numbers = [float(v) for v in _NUMBER.findall(" ".join(
                    value for _, value in _GEOMETRY.findall(shape.group(2))))]
                xs, ys = numbers[0::2], numbers[1::2]
            continue
        text = _TEXT.match(line)
        if text:
            texts.append((text.group(1), float(text.group(2)), float(text.group(3)),
                          float(text.group(4))))
    size = texts[0][3] if texts else 12.0
    middles = [x for anchor, x, _, _ in texts if anchor == "middle"]
    if xs:
        center = (min(xs) + max(xs)) / 2
    else:
        center = middles[0] if middles else 0.0
    starts = [x for anchor, x, _, _ in texts if anchor == "start"]
    if starts:
        left = min(starts)
    elif xs:
        left = min(xs) + 11.52  # the boxes' margin, 0.16 in
    else:
        left = center
    spacing = texts[1][2] - texts[0][2] if len(texts) > 1 else size * 1.2
    bounds = (min(xs), min(ys), max(xs), max(ys)) if xs and ys else (0.0, 0.0, 0.0, 0.0)
    return Slot(slot_id, kind, classes, title, shapes, texts, center, left, spacing, bounds)
