"""How large a motion picture is shown: readable text, no sideways overflow when avoidable,
and a widget that fits a laptop screen.

Graphviz writes an SVG's size in points; a browser shows 1 pt as 4/3 px. ``fitted(svg)`` gives
the ``<svg>`` element a style that

* shrinks the picture to fit the height kept for it (``max_height`` px) and the width of its
  container (``max-width: 100%``): a wide graph scales down instead of overflowing;
* never shrinks it so far that its smallest text falls below ``MIN_TEXT_PX`` (``min-width``):
  then the picture scrolls instead (and a large graph is shown around its running node).

It needs no script, so a widget (whose HTML runs none) and a stored player look the same.
``layout(svg)`` says where the explanation goes: beside a narrow picture, under a wide one.
"""
from __future__ import annotations

import re

PX_PER_PT = 4 / 3
MIN_TEXT_PX = 11.0
SIDE_HEIGHT = 600      # px kept for the picture when the explanation is beside it
BELOW_HEIGHT = 470     # ... and when the explanation is under it (which then gets 250 px)
SIDE_MAX_WIDTH = 560   # px: a picture up to this wide leaves room for the explanation

_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"')
_FONT = re.compile(r'font-size="([\d.]+)"')


def size_pt(svg: str) -> tuple[float, float]:
    """The picture's width and height in points."""
    m = _SIZE.search(svg)
    return (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)


def smallest_font_pt(svg: str) -> float:
    """The smallest font size used in the picture (points)."""
    key = (size_pt(svg), len(svg) // 4096)  # frames of one picture differ in a few labels
    found = _smallest.get(key)
    if found is None:
        sizes = [float(v) for v in _FONT.findall(svg)]
        found = min(sizes) if sizes else 12.0
        if len(_smallest) > 256:
            _smallest.clear()
        _smallest[key] = found
    return found


_smallest: dict[tuple, float] = {}


def scales(svg: str, max_height: float) -> tuple[float, float]:
    """(the scale that fits ``max_height``, at most 1; the smallest readable scale)."""
    w, h = size_pt(svg)
    readable = MIN_TEXT_PX / (smallest_font_pt(svg) * PX_PER_PT)
    fit = min(1.0, max_height / (h * PX_PER_PT)) if h else 1.0
    return fit, readable


def layout(svg: str) -> str:
    """``"side"`` when the picture, fitted to the side layout's height, is narrow enough to
    leave room for the explanation beside it; else ``"below"``."""
    w, _ = size_pt(svg)
    fit, readable = scales(svg, SIDE_HEIGHT)
    return "side" if w * PX_PER_PT * max(fit, readable) <= SIDE_MAX_WIDTH else "below"


def window(mode: str) -> tuple[float, float]:
    """The part of a large picture (points) the widget shows around the running node: as much
    as fits the layout's picture area at the smallest readable scale (11 pt text at 11 px)."""
    if mode == "side":
        return SIDE_MAX_WIDTH, SIDE_HEIGHT
    return 900.0, float(BELOW_HEIGHT)


def fitted(svg: str, mode: str) -> str:
    """``svg`` with the style that sizes it (see the module docstring)."""
    w, h = size_pt(svg)
    if not w:
        return svg
    fit, readable = scales(svg, SIDE_HEIGHT if mode == "side" else BELOW_HEIGHT)
    scale = max(fit, readable)
    width = w * PX_PER_PT * scale
    smallest = min(width, w * PX_PER_PT * readable)
    style = (f'style="width:{width:.0f}px;min-width:{smallest:.0f}px;max-width:100%;'
             'height:auto"')
    return re.sub(r"<svg\b", f"<svg {style}", svg, count=1)
