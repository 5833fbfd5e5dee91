"""Room for wide (CJK) characters in a picture laid out by Graphviz.

Graphviz sizes a box from its estimate of the text's width, in Helvetica's metrics, and takes a
character it has no metrics for (a Chinese one) for 0.83 em; drawn, a CJK character is one em
wide. So a Chinese line would overflow its box, or a Chinese legend line the picture's edge.
``box_width`` gives a box holding such lines the ``width`` they need (centred lines cannot be
made room for any other way); ``trailing_room`` gives a left-justified line blank room after
it. Text without wide characters gets nothing: English pictures are unchanged.
"""
from __future__ import annotations

import math
import re
from typing import Iterable

from .labels import Line, shorten
from .svgparts import text_width
from .textstyle import LINE_STYLES

# Characters drawn one em wide: CJK radicals to ideographs, hangul, compatibility
# ideographs, vertical and full-width forms.
WIDE = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_GRAPHVIZ_WIDE = 0.833  # em: Graphviz's estimate for a character it has no metrics for
_SPACE = 0.278          # em: a space, in Helvetica
_BOLD = {code for code, attrs in LINE_STYLES.items() if attrs.get("font-weight") == "bold"}
MARGIN = 0.16           # inches each side of a box's text: the node margin render_graph sets


def real_width(text: str, size: float = 12.0) -> float:
    """Points ``text`` takes at ``size``: Helvetica's widths, one em per wide character."""
    wide = len(WIDE.findall(text))
    return text_width(WIDE.sub("", text), size) + wide * size


def box_width(lines: Iterable[Line], size: float = 12.0) -> str:
    """The ``width`` (inches) a box of ``lines`` needs, "" when none has a wide character."""
    lines = list(lines)
    if not any(WIDE.search(line.text) for line in lines):
        return ""
    widest = max(real_width(shorten(line.text), size)
                 * (1.08 if line.style.upper() in _BOLD else 1.0) for line in lines)
    return f"{widest / 72 + 2 * MARGIN:.2f}"


def trailing_room(text: str) -> str:
    """Spaces to put after a left-justified line so that Graphviz's estimate of its width
    covers the wide characters it holds ("" when it has none): the room kept at its right is
    blank, so the line is never cut at the picture's edge."""
    wide = len(WIDE.findall(text))
    if not wide:
        return ""
    return " " * math.ceil(wide * (1.0 - _GRAPHVIZ_WIDE) / _SPACE)
