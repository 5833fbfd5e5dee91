"""PDF from the picture's own SVG: one vector page, text kept as text, no dependency.

Graphviz writes a small, regular part of SVG: a ``<g>`` with a transform, ``polygon``,
``polyline``, ``path`` (moves and cubic curves), ``ellipse`` and ``text`` (with ``tspan`` runs in
the legend), with flat colours, stroke widths and dashes. That is what this module translates,
element by element, into PDF drawing operators, after ``textstyle`` has styled the SVG: the PDF
shows what the SVG shows, in the same places, colours and fonts.

Text uses the fonts every PDF reader has built in (Helvetica, its bold and oblique, Symbol and
ZapfDingbats), so nothing is embedded and the file stays a few kilobytes. Graphviz sized the
boxes with Helvetica's widths, so the text fits as it does in the SVG. Chinese (the pictures of
``render_graph(..., lang="zh")``: CJK characters and full-width punctuation) uses the standard
Simplified Chinese font of PDF readers, ``STSong-Light`` with the ``UniGB-UCS2-H`` encoding
(not embedded either: a reader without it substitutes a Chinese font of the system). Other
characters those fonts do not have are written as ``?`` with a warning: use PNG or SVG for
them.
The output is deterministic (no dates, no ids): the same picture gives the same bytes.
"""
from __future__ import annotations

import math
import re
import warnings
import xml.etree.ElementTree as ET
import zlib
from typing import Iterator

from .svgparts import _WIDTHS as _HELVETICA

_NS = "{http://www.w3.org/2000/svg}"

# Helvetica-Bold's advance widths (1/1000 em) for printable ASCII
_HELVETICA_BOLD = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584]

# Characters outside WinAnsi that the Symbol and ZapfDingbats fonts have: (code, width)
_SYMBOL = {"\u2192": (0xAE, 987), "\u2190": (0xAC, 987), "\u2191": (0xAD, 603),
           "\u2193": (0xAF, 603), "\u2202": (0xB6, 494), "\u2207": (0xD1, 713),
           "\u2211": (0xE5, 713), "\u220f": (0xD5, 823), "\u221a": (0xD6, 549),
           "\u221e": (0xA5, 713), "\u2248": (0xBB, 549), "\u2260": (0xB9, 549),
           "\u2264": (0xA3, 549), "\u2265": (0xB3, 549), "\u2208": (0xCE, 713),
           "\u22c5": (0xD7, 250), "\u2212": (0x2D, 549),
           "\u03b1": (0x61, 631), "\u03b2": (0x62, 549), "\u03b3": (0x67, 411),
           "\u03b4": (0x64, 494), "\u03b5": (0x65, 439), "\u03b8": (0x71, 521),
           "\u03bb": (0x6C, 549), "\u03bc": (0x6D, 576), "\u03c0": (0x70, 549),
           "\u03c3": (0x73, 603), "\u0394": (0x44, 612)}
_DINGBATS = {"\u25a0": (0x6E, 761), "\u2713": (0x33, 834), "\u2714": (0x34, 846),
             "\u25b6": (0x75, 759), "\u25cf": (0x6C, 791)}

_FONTS = {"F1": "Helvetica", "F2": "Helvetica-Bold", "F3": "Helvetica-Oblique",
          "F4": "Helvetica-BoldOblique", "F5": "Symbol", "F6": "ZapfDingbats"}
CJK_FONT = "F7"  # STSong-Light, added to the document only when a page uses it
# what it writes: CJK punctuation, kana, ideographs, full-width forms (Adobe-GB1 has them)
_CHINESE = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")

_NAMED = {"black": (0, 0, 0), "white": (1, 1, 1), "red": (1, 0, 0), "green": (0, 0.5, 0),
          "blue": (0, 0, 1), "gray": (0.5, 0.5, 0.5), "grey": (0.5, 0.5, 0.5),
          "lightgrey": (0.827, 0.827, 0.827), "lightgray": (0.827, 0.827, 0.827)}
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[MmLlHhVvCcSsZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_KAPPA = 0.5522847498


def svg_to_pdf(svg: str) -> bytes:
    """``svg`` (as Graphviz writes it, sized in points) as the bytes of a one-page PDF."""
    root = ET.fromstring(svg.encode("utf-8"))
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = [float(v) for v in _NUMBER.findall(root.get("viewBox", ""))]
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        box = [0.0, 0.0, width, height]
    page = _Page(width, height)
    # SVG's y axis points down, PDF's up; then the viewBox onto the page
    page.ops.append(f"1 0 0 -1 0 {_n(height)} cm")
    sx, sy = width / box[2], height / box[3]
    page.ops.append(f"{_n(sx)} 0 0 {_n(sy)} {_n(-box[0] * sx)} {_n(-box[1] * sy)} cm")
    for element in root:
        page.draw(element)
    if page.missing:
        warnings.warn("the PDF's built-in fonts have no glyph for "
                      f"{''.join(sorted(page.missing))!r}: written as '?'; format='png' or "
                      "'svg' shows them", stacklevel=3)
    return _document(page.ops, width, height, cjk=page.cjk)


def _length(text: str | None) -> float:
    """``616pt`` -> 616.0 (points); ``px`` and unitless lengths are CSS pixels (0.75 pt)."""
    if not text:
        return 0.0
    match = _NUMBER.match(text.strip())
    value = float(match.group()) if match else 0.0
    unit = text.strip()[match.end():] if match else ""
    return value * {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4}.get(unit, 0.75)


def _n(value: float) -> str:
    """A number as PDF writes it: short, no exponent, no ``-0``."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _colour(value: str | None) -> tuple[float, float, float] | None:
    if value is None:
        return (0.0, 0.0, 0.0)
    value = value.strip().lower()
    if value in ("none", "transparent"):
        return None
    if value.startswith("#") and len(value) in (4, 7, 9):
        if len(value) == 4:
            value = "#" + "".join(c * 2 for c in value[1:])
        return tuple(int(value[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore
    return _NAMED.get(value, (0.0, 0.0, 0.0))


def _rgb(rgb: tuple[float, float, float]) -> str:
    return " ".join(_n(c) for c in rgb)


class _Page:
    """The content stream of the page, built element by element."""

    def __init__(self, width: float, height: float) -> None:
        self.ops: list[str] = []
        self.missing: set[str] = set()
        self.cjk = False  # whether the page writes Chinese (CJK_FONT)

    def draw(self, element: ET.Element, inherited: dict | None = None) -> None:
        tag = element.tag.replace(_NS, "")
        attrs = dict(inherited or {})
        for key in ("fill", "stroke", "stroke-width", "stroke-dasharray", "font-size",
                    "font-weight", "font-style", "text-anchor"):
            if element.get(key) is not None:
                attrs[key] = element.get(key)
        if tag in ("g", "a"):
            transform = element.get("transform")
            if transform:
                self.ops.append("q")
                self.ops.extend(_transform(transform))
            for child in element:
                self.draw(child, attrs)
            if transform:
                self.ops.append("Q")
        elif tag in ("polygon", "polyline"):
            numbers = [float(v) for v in _NUMBER.findall(element.get("points", ""))]
            points = list(zip(numbers[0::2], numbers[1::2]))
            if points:
                path = [f"{_n(points[0][0])} {_n(points[0][1])} m"]
                path += [f"{_n(x)} {_n(y)} l" for x, y in points[1:]]
                if tag == "polygon":
                    path.append("h")
                self._paint(path, attrs, closed=tag == "polygon")
        elif tag == "path":
            self._paint(list(_path(element.get("d", ""))), attrs, closed=True)
        elif tag == "ellipse":
            cx, cy = float(element.get("cx", 0)), float(element.get("cy", 0))
            rx, ry = float(element.get("rx", 0)), float(element.get("ry", 0))
            self._paint(_ellipse(cx, cy, rx, ry), attrs, closed=True)
        elif tag == "text":
            self._text(element, attrs)

    def _paint(self, path: list[str], attrs: dict, closed: bool) -> None:
        fill = _colour(attrs.get("fill", "black")) if closed else None
        stroke = _colour(attrs.get("stroke", "none"))
        if fill is None and stroke is None or not path:
            return
        ops = ["q"]
        if fill is not None:
            ops.append(f"{_rgb(fill)} rg")
        if stroke is not None:
            ops.append(f"{_rgb(stroke)} RG")
            ops.append(f"{_n(float(attrs.get('stroke-width', 1)))} w")
            dash = [float(v) for v in _NUMBER.findall(attrs.get("stroke-dasharray", ""))]
            if dash and any(dash):
                ops.append(f"[{' '.join(_n(d) for d in dash)}] 0 d")
        ops += path
        ops.append("B" if fill is not None and stroke is not None else
                   "f" if fill is not None else "S")
        ops.append("Q")
        self.ops.extend(ops)

    def _text(self, element: ET.Element, attrs: dict) -> None:
        # runs of (text, attributes): the element's own text, each tspan, the text after it
        runs: list[tuple[str, dict]] = []
        if element.text:
            runs.append((element.text, attrs))
        for child in element:
            if child.tag.replace(_NS, "") == "tspan":
                child_attrs = dict(attrs)
                for key in ("fill", "stroke", "stroke-width", "font-size", "font-weight",
                            "font-style"):
                    if child.get(key) is not None:
                        child_attrs[key] = child.get(key)
                if child.text:
                    runs.append((child.text, child_attrs))
            if child.tail:
                runs.append((child.tail, attrs))
        pieces: list[tuple] = []   # (font, size, encoded bytes, width, fill, stroke, stroke width)
        total = 0.0
        for text, run in runs:
            size = float(run.get("font-size", 14))
            bold = run.get("font-weight", "normal") in ("bold", "bolder", "600", "700", "800",
                                                        "900")
            italic = run.get("font-style", "normal") in ("italic", "oblique")
            for font, code, width in self._glyphs(text, bold, italic):
                w = width * size / 1000
                if pieces and pieces[-1][0] == font and pieces[-1][1] == size and \
                        pieces[-1][4:] == (run.get("fill"), run.get("stroke"),
                                           run.get("stroke-width")):
                    last = pieces[-1]
                    pieces[-1] = (font, size, last[2] + code, last[3] + w, *last[4:])
                else:
                    pieces.append((font, size, code, w, run.get("fill"),
                                   run.get("stroke"), run.get("stroke-width")))
                total += w
        if not pieces:
            return
        x, y = float(element.get("x", 0)), float(element.get("y", 0))
        anchor = attrs.get("text-anchor", "start")
        if anchor == "middle":
            x -= total / 2
        elif anchor == "end":
            x -= total
        ops = ["BT", f"1 0 0 -1 {_n(x)} {_n(y)} Tm"]
        for font, size, data, _, fill, stroke, stroke_width in pieces:
            fill_rgb = _colour(fill if fill is not None else "black")
            stroke_rgb = _colour(stroke) if stroke is not None else None
            ops.append(f"/{font} {_n(size)} Tf")
            if fill_rgb is not None:
                ops.append(f"{_rgb(fill_rgb)} rg")
            if stroke_rgb is not None:
                ops.append(f"{_rgb(stroke_rgb)} RG {_n(float(stroke_width or 1))} w")
                ops.append("2 Tr" if fill_rgb is not None else "1 Tr")
            else:
                ops.append("0 Tr" if fill_rgb is not None else "3 Tr")
            ops.append(f"{_string(data)} Tj")
        ops.append("ET")
        self.ops.extend(ops)

    def _glyphs(self, text: str, bold: bool, italic: bool) -> Iterator[tuple[str, bytes, int]]:
        """(font resource, character code, width) for each character of ``text``."""
        base = ("F4" if italic else "F2") if bold else ("F3" if italic else "F1")
        widths = _HELVETICA_BOLD if bold else _HELVETICA
        for ch in text:
            code = ord(ch)
            if 32 <= code < 127:
                yield base, bytes([code]), widths[code - 32]
            elif ch in _SYMBOL:
                symbol, width = _SYMBOL[ch]
                yield "F5", bytes([symbol]), width
            elif ch in _DINGBATS:
                dingbat, width = _DINGBATS[ch]
                yield "F6", bytes([dingbat]), width
            elif _CHINESE.fullmatch(ch):
                self.cjk = True  # UniGB-UCS2-H: the character's UCS-2 code, one em wide
                yield CJK_FONT, ch.encode("utf-16-be"), 1000
            else:
                try:
                    byte = ch.encode("cp1252")  # WinAnsiEncoding
                except UnicodeEncodeError:
                    self.missing.add(ch)
                    yield base, b"?", widths[ord("?") - 32]
                    continue
                yield base, byte, _WIDE.get(ch, 556)


# widths of the WinAnsi characters beyond ASCII that the pictures use
_WIDE = {"\u00d7": 584, "\u2026": 1000, "\u00a0": 278, "\u00b7": 278, "\u2013": 556,
         "\u2014": 1000, "\u00b0": 400, "\u2018": 222, "\u2019": 222, "\u201c": 333,
         "\u201d": 333, "\u2022": 350, "\u00b2": 333, "\u00b3": 333, "\u00b9": 333}


def _string(data: bytes) -> str:
    out = []
    for b in data:
        if b in (0x28, 0x29, 0x5C):
            out.append("\\" + chr(b))
        elif 32 <= b < 127:
            out.append(chr(b))
        else:
            out.append(f"\\{b:03o}")
    return "(" + "".join(out) + ")"


def _transform(text: str) -> list[str]:
    """An SVG transform list as PDF ``cm`` operators, applied left to right."""
    ops = []
    for name, args in re.findall(r"(\w+)\s*\(([^)]*)\)", text):
        v = [float(a) for a in _NUMBER.findall(args)]
        if name == "translate":
            ops.append(f"1 0 0 1 {_n(v[0])} {_n(v[1] if len(v) > 1 else 0)} cm")
        elif name == "scale":
            ops.append(f"{_n(v[0])} 0 0 {_n(v[1] if len(v) > 1 else v[0])} 0 0 cm")
        elif name == "rotate" and v and v[0]:
            a = math.radians(v[0])
            c, s = math.cos(a), math.sin(a)
            if len(v) == 3:
                ops.append(f"1 0 0 1 {_n(v[1])} {_n(v[2])} cm")
            ops.append(f"{_n(c)} {_n(s)} {_n(-s)} {_n(c)} 0 0 cm")
            if len(v) == 3:
                ops.append(f"1 0 0 1 {_n(-v[1])} {_n(-v[2])} cm")
        elif name == "matrix" and len(v) == 6:
            ops.append(" ".join(_n(x) for x in v) + " cm")
    return ops


def _path(d: str) -> Iterator[str]:
    """SVG path data (moves, lines, cubic curves, close) as PDF path operators."""
    tokens = _PATH_TOKEN.findall(d)
    x = y = start_x = start_y = 0.0
    command = ""
    k = 0
    while k < len(tokens):
        if tokens[k].isalpha():
            command = tokens[k]
            k += 1
            if command in "Zz":
                x, y = start_x, start_y
                yield "h"
                continue
        relative = command.islower()
        op = command.upper()
        need = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4}.get(op)
        if need is None or k + need > len(tokens):
            break
        v = [float(t) for t in tokens[k:k + need]]
        k += need
        if op == "H":
            x = v[0] + (x if relative else 0)
            yield f"{_n(x)} {_n(y)} l"
        elif op == "V":
            y = v[0] + (y if relative else 0)
            yield f"{_n(x)} {_n(y)} l"
        else:
            if relative:
                v = [c + (x if i % 2 == 0 else y) for i, c in enumerate(v)]
            if op == "M":
                x, y = start_x, start_y = v
                yield f"{_n(x)} {_n(y)} m"
                command = "l" if relative else "L"  # further pairs are lines
            elif op == "L":
                x, y = v
                yield f"{_n(x)} {_n(y)} l"
            elif op == "C":
                x, y = v[4], v[5]
                yield " ".join(_n(c) for c in v) + " c"
            else:  # S: the first control point mirrors the last one (kept simple: current)
                yield " ".join(_n(c) for c in [x, y] + v) + " c"
                x, y = v[2], v[3]


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> list[str]:
    kx, ky = rx * _KAPPA, ry * _KAPPA
    return [f"{_n(cx + rx)} {_n(cy)} m",
            f"{_n(cx + rx)} {_n(cy + ky)} {_n(cx + kx)} {_n(cy + ry)} {_n(cx)} {_n(cy + ry)} c",
            f"{_n(cx - kx)} {_n(cy + ry)} {_n(cx - rx)} {_n(cy + ky)} {_n(cx - rx)} {_n(cy)} c",
            f"{_n(cx - rx)} {_n(cy - ky)} {_n(cx - kx)} {_n(cy - ry)} {_n(cx)} {_n(cy - ry)} c",
            f"{_n(cx + kx)} {_n(cy - ry)} {_n(cx + rx)} {_n(cy - ky)} {_n(cx + rx)} {_n(cy)} c",
            "h"]


def _document(ops: list[str], width: float, height: float, cjk: bool = False) -> bytes:
    """The PDF file: catalog, one page, its compressed content stream, the standard fonts
    (and, with ``cjk``, the standard Simplified Chinese one)."""
    content = zlib.compress("\n".join(ops).encode("latin-1"), 9)
    fonts = " ".join(f"/{key} {6 + i} 0 R" for i, key in enumerate(_FONTS))
    if cjk:
        fonts += f" /{CJK_FONT} {6 + len(_FONTS)} 0 R"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_n(width)} {_n(height)}] "
         f"/Resources << /Font << {fonts} >> >> /Contents 4 0 R >>").encode("ascii"),
        b"<< /Length " + str(len(content)).encode() + b" /Filter /FlateDecode >>\nstream\n"
        + content + b"\nendstream",
        b"<< /Producer (autograd_lab) /Title (autograd graph) >>",
    ]
    for name in _FONTS.values():
        encoding = (" /Encoding /WinAnsiEncoding" if name.startswith("Helvetica") else "")
        objects.append(f"<< /Type /Font /Subtype /Type1 /BaseFont /{name}{encoding} >>"
                       .encode("ascii"))
    if cjk:
        first = len(objects) + 1  # the Type0 font, its CIDFont, and the CIDFont's descriptor
        objects += [
            (f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
             f"/DescendantFonts [{first + 1} 0 R] >>").encode("ascii"),
            (f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
             f"<< /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor "
             f"{first + 2} 0 R /DW 1000 >>").encode("ascii"),
            (b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox "
             b"[-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
             b"/StemV 93 >>"),
        ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 5 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)
