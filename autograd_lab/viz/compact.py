"""Compact box labels for the animations: a tensor box says its name, its value and its
``.grad``; the rest (shape, flags) goes into the box's tooltip.

``render_graph`` draws everything a box knows, which is right for a still picture one reads at
leisure; in an animation the boxes must stay small enough to be read at full size beside each
other. ``compact`` keeps the lines that change or matter during a pass; ``hover_text`` is the
whole label, shown when the pointer rests on the box (an SVG ``<title>``).
"""
from __future__ import annotations

from typing import Sequence

from .labels import Line
from .picture_words import word

_FLAGS = ("requires_grad=", "retains_grad=")


def compact(lines: Sequence[Line], lang: str = "en") -> tuple[Line, ...]:
    """A tensor box's lines (written in ``lang``) without its shape (when its values show),
    flags and the "not kept" note; ``grad: None (not computed yet)`` shortened to
    ``grad: None``."""
    has_value = any(line.style.upper() == "V" for line in lines)
    shape = word(lang, "shape", dims="")[:-1]  # "shape ["
    scalar = word(lang, "scalar")
    out = []
    for j, line in enumerate(lines):
        text = line.text
        if j == 0:
            out.append(line)
        elif text.startswith(_FLAGS) or text == word(lang, "grad_not_kept"):
            continue
        elif line.style == "M" and (text.startswith(shape) or text.startswith(scalar)) \
                and has_value:
            continue
        elif text == word(lang, "grad_not_computed"):
            out.append(Line(word(lang, "grad_none"), line.style))
        else:
            out.append(line)
    return tuple(out)


def hover_text(lines: Sequence[Line]) -> str:
    """The label as plain text, one line each (a tooltip): what does not change during a
    pass (``.grad`` does: the box itself shows it)."""
    return "\n".join(line.text for line in lines if not line.text.startswith("grad"))
