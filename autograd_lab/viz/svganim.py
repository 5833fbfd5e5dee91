"""A backward pass as one self-playing SVG: for a README, a slide, anywhere scripts don't run.

GitHub shows a README's pictures as ``<img>``, which runs no script but does play SVG's own
animation (SMIL). ``animated_svg`` lays out the frames of a ``Frames`` on its one layout and
shows each version of a box or arrow only during the frames it belongs to (an ``<animate>`` of
its visibility), with a caption per frame above the graph, in a loop.

>>> import autograd_lab as torch
>>> x = torch.tensor([2.], requires_grad=True)
>>> anim = torch.animate_backward((x * x).sum())
>>> svg = anim.animated_svg()
>>> svg.count('repeatCount="indefinite"') > len(anim)
True
"""
from __future__ import annotations

import html
import re
from typing import Sequence

from .frames import Frames
from .svgparts import FONT, Slot

CAPTION_HEIGHT = 46.0  # points above the graph for the caption's two lines


def animated_svg(frames: Frames, captions: Sequence[tuple[str, str]],
                 seconds: float = 1.6) -> str:
    """The frames as one SVG that plays itself in a loop, ``seconds`` per frame.

    ``captions``: per frame a title and a line of detail, drawn above the graph.
    """
    n = len(frames)
    if len(captions) != n:
        raise ValueError(f"{n} frames but {len(captions)} captions")
    template = frames.template
    per_frame = [frames.groups(k) for k in range(n)]
    duration = f"{n * seconds:g}s"

    def shown_during(ks: set[int]) -> str:
        values = ";".join("visible" if k in ks else "hidden" for k in range(n))
        return (f'<animate attributeName="visibility" values="{values}" dur="{duration}" '
                'calcMode="discrete" repeatCount="indefinite"/>')

    parts = []
    for part in template.parts:
        if isinstance(part, str):
            parts.append(part)
            continue
        parts.append(_versions(part, [groups[part.id] for groups in per_frame], shown_during))
    svg = "".join(parts)
    caption = []
    width = template.width
    for k, (title, detail) in enumerate(captions):
        caption.append(
            f'<g visibility="hidden">{shown_during({k})}'
            f'<text x="{width / 2:.1f}" y="{-CAPTION_HEIGHT + 18:.1f}" text-anchor="middle" '
            f'font-family="{FONT}" font-size="14" font-weight="bold" fill="#111827">'
            f"{html.escape(title)}</text>"
            f'<text x="{width / 2:.1f}" y="{-CAPTION_HEIGHT + 36:.1f}" text-anchor="middle" '
            f'font-family="{FONT}" font-size="12" fill="#be123c">{html.escape(detail)}</text>'
            "</g>")
    # room above the graph for the caption, which is drawn in the picture's own coordinates
    svg = re.sub(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"\s+viewBox="([-\d.]+) ([-\d.]+) '
                 r'([\d.]+) ([\d.]+)"',
                 lambda m: (f'<svg width="{m.group(1)}pt" '
                            f'height="{float(m.group(2)) + CAPTION_HEIGHT:.0f}pt" '
                            f'viewBox="{m.group(3)} {float(m.group(4)) - CAPTION_HEIGHT:.2f} '
                            f'{m.group(5)} {float(m.group(6)) + CAPTION_HEIGHT:.2f}"'),
                 svg, count=1)
    # the white background must cover the caption too
    svg = svg.replace("<title>autograd_graph</title>",
                      "<title>autograd_graph</title>\n"
                      f'<rect x="-10" y="{-CAPTION_HEIGHT:.1f}" width="{width + 20:.0f}" '
                      f'height="{CAPTION_HEIGHT:.1f}" fill="white" '
                      f'transform="translate({-template.shift[0]:.2f} '
                      f'{-template.shift[1]:.2f})"/>'
                      f'<g transform="translate({-template.shift[0]:.2f} '
                      f'{-template.shift[1]:.2f})">' + "".join(caption) + "</g>", 1)
    return svg


def _versions(slot: Slot, texts: list[str], shown_during) -> str:
    """One element per distinct look of a box or arrow, each visible in its frames."""
    frames_of: dict[str, set[int]] = {}
    for k, text in enumerate(texts):
        frames_of.setdefault(text, set()).add(k)
    if len(frames_of) == 1:
        return texts[0] + "\n"
    out = []
    for j, (text, ks) in enumerate(frames_of.items()):
        # each version its own id: an SVG may not repeat one
        text = text.replace(f'<g id="{slot.id}"', f'<g id="{slot.id}_v{j}"', 1)
        out.append(f'<g visibility="hidden">{shown_during(ks)}\n{text}\n</g>\n')
    return "".join(out)
