"""Bold titles, grey notes, red warnings: styling label lines in the SVG that Graphviz wrote.

Plain Graphviz labels (see ``labels``) have one font and colour per node. To still set a
node's title in bold and its notes in grey, each node carries a class token ``lines_<codes>``
(one code per label line, e.g. ``lines_TNMI``) and the legend's lines a ``swatch_<fill>_<border>``
token each. After layout, ``style_svg`` gives the ``<text>`` elements of every group the look
its codes name. It reads only the SVG (a pure function), so an SVG made from ``.source`` by
any Graphviz can be styled the same way, and it changes no geometry except font weight and
colour: the titles are bold, which is why nodes have a wider margin than Graphviz's default.
"""
from __future__ import annotations

import re

# code -> attributes of the <text> element (upper case: centred line, lower case: left)
LINE_STYLES: dict[str, dict[str, str]] = {
    "T": {"font-weight": "bold", "fill": "#111827"},   # title
    "N": {"fill": "#1f2937"},                          # normal
    "M": {"fill": "#64748b"},                          # muted
    "I": {"fill": "#64748b", "font-style": "italic"},  # muted note
    "V": {"fill": "#1e3a8a"},                          # a printed value
    "G": {"fill": "#047857"},                          # a computed .grad
    "W": {"fill": "#b91c1c", "font-weight": "bold"},   # warning
    "H": {"fill": "#a21caf", "font-weight": "bold"},   # hooks
}

_GROUP = re.compile(r'^<g id="[^"]*" class="([^"]*)"')
_TEXT = re.compile(r'^(<text\b[^>]*?)(?: fill="[^"]*")?>(.*)</text>$')
SWATCH = "\u25a0"  # the square drawn in the legend's colour


def line_token(codes: str) -> str:
    return "lines_" + codes


def swatch_token(fill: str, border: str) -> str:
    return f"swatch_{fill.lstrip('#')}_{border.lstrip('#')}"


def _context(classes: str) -> tuple[str, list[tuple[str, str] | None]]:
    codes = ""
    swatches: list[tuple[str, str] | None] = []
    for token in classes.split():
        if token.startswith("lines_"):
            codes = token[6:]
        elif token.startswith("swatch_"):
            parts = token.split("_")
            swatches.append((f"#{parts[1]}", f"#{parts[2]}") if len(parts) == 3 else None)
    return codes, swatches


def style_svg(svg: str) -> str:
    """Apply the ``lines_*``/``swatch_*`` class tokens of ``svg``'s groups to their texts."""
    out = []
    # one entry per open <g>: [line codes, swatches, index of the next text]
    stack: list[list] = []
    for line in svg.split("\n"):
        if line.startswith("<g "):
            match = _GROUP.match(line)
            codes, swatches = _context(match.group(1)) if match else ("", [])
            stack.append([codes, swatches, 0])
        elif line.startswith("</g>"):
            if stack:
                stack.pop()
        elif line.startswith("<text") and stack:
            ctx = stack[-1]
            index = ctx[2]
            ctx[2] += 1
            if index < len(ctx[0]):
                line = _styled(line, ctx[0][index].upper(),
                               ctx[1][index] if index < len(ctx[1]) else None)
        out.append(line)
    return "\n".join(out)


def _styled(line: str, code: str, swatch: tuple[str, str] | None) -> str:
    match = _TEXT.match(line)
    if match is None:
        return line
    head, content = match.groups()
    attrs = "".join(f' {k}="{v}"' for k, v in LINE_STYLES.get(code, {}).items())
    if swatch is not None and content.startswith(SWATCH):
        fill, border = swatch
        content = (f'<tspan fill="{fill}" stroke="{border}" stroke-width="1.2" '
                   f'font-size="15">{SWATCH}</tspan>' + content[len(SWATCH):])
    return f"{head}{attrs}>{content}</text>"
