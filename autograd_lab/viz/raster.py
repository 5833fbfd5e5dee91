"""PNG from the picture's own SVG, in this process: resvg (``resvg-py``), no system package.

Graphviz compiled to WebAssembly writes SVG only (no cairo or gd inside). Rather than a second
renderer with its own idea of the picture, the PNG is the styled SVG (bold titles, coloured
notes, legend swatches) drawn by resvg, a Rust SVG renderer shipped as a wheel. The same SVG
is used whichever Graphviz laid it out, so ``backend="dot"`` gives the same styled PNG too.

Text needs a font. The SVG asks for Helvetica, as Graphviz sized its boxes with Helvetica's
widths; resvg takes the first of ``SANS_FAMILIES`` that the machine has (Liberation Sans and
Arimo have Helvetica's widths exactly) and otherwise any sans-serif font it finds.
"""
from __future__ import annotations

import importlib.util
import math
import os
import re
import sys
import warnings
from pathlib import Path

from .render import RenderError

DEFAULT_DPI = 96.0  # Graphviz's own default for bitmaps: 1 pt of the SVG is 4/3 pixel
# Beyond this many pixels a PNG is drawn at a lower dpi, with a warning (as Graphviz scales
# bitmaps down): a folded-off 1,000-node graph at 96 dpi would be hundreds of megapixels.
MAX_PIXELS = 40_000_000
_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')

# Helvetica first, then fonts with its metrics, then common sans-serif fonts.
SANS_FAMILIES = ("Helvetica", "Arial", "Liberation Sans", "Arimo", "Nimbus Sans",
                 "Nimbus Sans L", "TeX Gyre Heros", "DejaVu Sans", "Noto Sans", "Roboto",
                 "Open Sans", "Cantarell", "Segoe UI", "Verdana")
_FONT_FAMILY = re.compile(r'font-family="[^"]*"')
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


class RasterNotAvailable(RenderError):
    """PNG needs the ``resvg-py`` wheel, or a font to draw text with."""


# In a browser (Pyodide) there is no resvg: its wheel is built for desktop systems only, and
# the kernel cannot ask the page to draw the SVG on a canvas and wait for the answer (it runs
# in a worker, where SVG cannot be decoded). SVG and PDF need nothing, so they are offered.
BROWSER_MESSAGE = (
    "format='png' is not available in the browser: PNGs are drawn by resvg (the resvg-py "
    "wheel), which has no build for Pyodide. format='svg' (the very picture the notebook "
    "shows) and format='pdf' (vector) work here; for a PNG, open the SVG in any image "
    "program, or run the notebook in JupyterLab on a computer")


def svg_to_png(svg: str, dpi: float = DEFAULT_DPI) -> bytes:
    """``svg`` (Graphviz's, sized in points) as PNG bytes at ``dpi`` pixels per inch: a
    picture ``W`` pt wide becomes ``round(W * dpi / 72)`` pixels wide."""
    if not (isinstance(dpi, (int, float)) and 1 <= dpi <= 2400):
        raise ValueError(f"dpi must be a number between 1 and 2400, got {dpi!r}")
    if sys.platform == "emscripten":
        raise RasterNotAvailable(BROWSER_MESSAGE)
    try:
        import resvg_py
    except ImportError:
        raise RasterNotAvailable(
            "format='png' draws the SVG with resvg, and its wheel is not installed: "
            "pip install resvg-py (it needs no system package)") from None
    dirs = extra_font_dirs()
    if not dirs and not system_fonts_present():
        raise RasterNotAvailable(
            "format='png' found no font to draw the text with: install any TrueType font "
            "(Debian/Ubuntu: apt-get install fonts-liberation), or pip install matplotlib, "
            "whose DejaVu fonts are used when the system has none; format='svg' and "
            "format='pdf' need no font")
    dpi = _fitting_dpi(svg, float(dpi))
    fonts = ", ".join(f"'{f}'" if " " in f else f for f in SANS_FAMILIES) + ", sans-serif"
    svg = _FONT_FAMILY.sub(f'font-family="{fonts}"', svg)
    try:
        data = resvg_py.svg_to_bytes(svg_string=svg, dpi=float(dpi),
                                     font_dirs=dirs or None)
    except Exception as exc:  # resvg refused the SVG (it is ours: this would be a bug)
        raise RenderError(f"resvg could not draw the picture: {exc}") from None
    return bytes(data)


def _fitting_dpi(svg: str, dpi: float) -> float:
    """``dpi``, or less when the picture would have more than ``MAX_PIXELS`` pixels."""
    size = _SIZE.search(svg)
    if size is None:
        return dpi
    width, height = (float(v) * dpi / 72 for v in size.groups())
    if width * height <= MAX_PIXELS:
        return dpi
    fitted = math.floor(dpi * math.sqrt(MAX_PIXELS / (width * height)))
    warnings.warn(f"the picture is too large for a PNG at {dpi:g} dpi ({width:,.0f} x "
                  f"{height:,.0f} pixels): drawn at {fitted} dpi instead; format='svg' or "
                  "'pdf' keep every detail at any size", stacklevel=4)
    return float(fitted)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels, read from a PNG's header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def extra_font_dirs() -> list[str]:
    """Font folders that come with Python packages (matplotlib's DejaVu fonts), used beside
    the system's: a machine with no system font still gets text."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return []
    found = []
    for base in spec.submodule_search_locations:
        ttf = Path(base) / "mpl-data" / "fonts" / "ttf"
        if ttf.is_dir():
            found.append(str(ttf))
    return found


def _system_font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        local = os.environ.get("LOCALAPPDATA", "")
        return [Path(windir) / "Fonts", Path(local) / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    data_dirs = os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share").split(":")
    return ([Path(d) / "fonts" for d in data_dirs if d]
            + [home / ".local/share/fonts", home / ".fonts"])


def system_fonts_present() -> bool:
    """Whether the places resvg looks in hold any font file."""
    for folder in _system_font_dirs():
        if not folder.is_dir():
            continue
        for _, _, files in os.walk(folder):
            if any(name.lower().endswith(_FONT_SUFFIXES) for name in files):
                return True
    return False
