"""Pictures out of the notebook: PNG (resvg) and PDF (svgpdf) drawn from the styled SVG.

PNGs are decoded here (zlib and the five PNG filters) so that a test reads pixels: the size
must be the SVG's at the asked dpi, and a box's fill and border the colours of its kind. PDFs
are read as the objects they are made of: one page of the SVG's size, each label a text
operator in the right font.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import zlib

import pytest

import autograd_lab as torch
from autograd_lab.viz import FormatNotAvailable, render_graph, style
from autograd_lab.viz.raster import png_size

try:
    from .test_viz_support import add_mul, needs_wasm, parse_svg
except ImportError:
    from test_viz_support import add_mul, needs_wasm, parse_svg


# -- reading a PNG ---------------------------------------------------------------------------
def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGBA bytes) of an 8-bit RGBA or RGB PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour = header[8], header[9]
    assert depth == 8 and colour in (2, 6), (depth, colour)
    channels = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, pos = [], bytes(stride), 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        previous = bytes(line)
        rows.append(previous if channels == 4 else bytes(
            v for k in range(width) for v in (*previous[3 * k:3 * k + 3], 255)))
    return width, height, rows


def pixel(rows: list[bytes], x: float, y: float) -> tuple[int, int, int]:
    row = rows[int(y)]
    k = 4 * int(x)
    return row[k], row[k + 1], row[k + 2]


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def svg_size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    return float(match.group(1)), float(match.group(2))


def box_polygon(svg: str, title: str) -> tuple[list[float], list[float]]:
    """The corner coordinates (in the SVG's points, picture origin) of node ``title``'s box."""
    shift = re.search(r'translate\(([-\d.]+) ([-\d.]+)\)', svg)
    dx, dy = float(shift.group(1)), float(shift.group(2))
    group = re.search(r"<title>" + re.escape(title) + r"</title>\n<polygon [^>]*points=\"([^\"]+)\"",
                      svg)
    points = [tuple(map(float, p.split(","))) for p in group.group(1).split()]
    return [x + dx for x, _ in points], [y + dy for _, y in points]


def needs_png() -> None:
    """Skip where PNG cannot be drawn: no resvg-py wheel, or no font on the machine."""
    pytest.importorskip("resvg_py", reason="resvg-py (draws PNG) missing")
    from autograd_lab.viz import raster
    if not raster.system_fonts_present() and not raster.extra_font_dirs():
        pytest.skip("no font on this machine to draw PNG text with")


@pytest.fixture(scope="module")
def picture():
    needs_wasm()
    outputs, names = add_mul(torch)
    return render_graph(*outputs, names=names)


@pytest.mark.parametrize("dpi", [96, 144, 50])
def test_png_has_the_svgs_size_at_the_asked_dpi(picture, dpi):
    needs_png()
    width, height = svg_size(picture.svg())
    data = picture.pipe(format="png", dpi=dpi)
    assert png_size(data) == (round(width * dpi / 72), round(height * dpi / 72))


def test_png_boxes_have_their_kinds_fill_and_border(picture):
    needs_png()
    svg = picture.svg()
    _, _, rows = decode_png(picture.png(dpi=96))
    scale = 96 / 72
    for kind in ("output", "leaf", "tensor"):
        node_id = re.search(r'class="node ' + kind + r' [^"]*">\n<title>(\w+)</title>',
                            svg).group(1)
        xs, ys = box_polygon(svg, node_id)
        left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
        inside = pixel(rows, (left + 4) * scale, (top + bottom) / 2 * scale)
        assert inside == hex_rgb(style.LOOKS[kind].fill)
        border = pixel(rows, left * scale, (top + bottom) / 2 * scale)
        expected = hex_rgb(style.LOOKS[kind].border)
        assert max(abs(a - b) for a, b in zip(border, expected)) < 40, (border, expected)
        outside = pixel(rows, (left - 6) * scale, (top + bottom) / 2 * scale)
        assert outside == (255, 255, 255)


def test_png_text_is_drawn_in_the_labels_colours(picture):
    needs_png()
    """The bold dark title and the muted grey shape line both leave ink in their box."""
    svg = picture.svg()
    _, _, rows = decode_png(picture.png(dpi=192))
    scale = 192 / 72
    xs, ys = box_polygon(svg, "t0")
    ink = set()
    for y in range(int(min(ys) * scale) + 4, int(max(ys) * scale) - 4):
        for x in range(int(min(xs) * scale) + 6, int(max(xs) * scale) - 6):
            ink.add(pixel(rows, x, y))
    assert hex_rgb("#111827") in ink      # the title's colour (textstyle "T")
    assert hex_rgb("#64748b") in ink      # the muted lines' colour (textstyle "M")
    assert hex_rgb("#1e3a8a") in ink      # the printed value (textstyle "V")


def test_render_writes_png_and_pdf_files(picture, tmp_path):
    needs_png()
    path = picture.render(tmp_path / "g", format="png")
    assert path == str(tmp_path / "g.png")
    assert (tmp_path / "g.png").read_bytes() == picture.png()
    path = picture.render(outfile=tmp_path / "h.pdf")
    assert path == str(tmp_path / "h.pdf")
    assert (tmp_path / "h.pdf").read_bytes() == picture.pdf()
    assert (tmp_path / "h.gv").read_text() == picture.source


def test_png_and_pdf_are_the_same_bytes_every_time(picture):
    needs_png()
    outputs, names = add_mul(torch)
    again = render_graph(*outputs, names=names)
    assert again.png() == picture.png()
    assert again.pdf() == picture.pdf()


def test_png_dpi_must_be_a_sensible_number(picture):
    with pytest.raises(ValueError, match="dpi"):
        picture.png(dpi=0)


def test_other_formats_name_the_render_graph_argument(picture):
    with pytest.raises(FormatNotAvailable) as info:
        picture.pipe(format="jpg")
    message = str(info.value)
    assert "render_graph(y, backend='dot')" in message
    assert "not of render" in message and "png, pdf, svg" in message


# -- reading a PDF ---------------------------------------------------------------------------
def pdf_parts(data: bytes) -> tuple[dict[int, bytes], str]:
    """The objects of our one-stream PDF, and its page content stream as text."""
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    objects = {int(m.group(1)): m.group(2) for m in
               re.finditer(rb"(\d+) 0 obj\n(.*?)\nendobj", data, re.S)}
    stream = next(body for body in objects.values() if b"stream\n" in body)
    raw = stream.split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0]
    length = int(re.search(rb"/Length (\d+)", stream).group(1))
    assert len(raw) == length
    return objects, zlib.decompress(raw).decode("latin-1")


def pdf_texts(content: str) -> list[tuple[str, str]]:
    """(font resource, text) of every text-showing operator, in order."""
    found, font = [], None
    for line in content.split("\n"):
        m = re.match(r"/(F\d) [\d.]+ Tf$", line)
        if m:
            font = m.group(1)
        m = re.match(r"\((.*)\) Tj$", line)
        if m:
            found.append((font, re.sub(r"\\(.)", r"\1", m.group(1))))
    return found


def test_pdf_is_one_page_of_the_svgs_size_with_every_label(picture):
    svg = picture.svg()
    objects, content = pdf_parts(picture.pdf())
    pages = [body for body in objects.values() if b"/Type /Page " in body]
    assert len(pages) == 1 and b"/Count 1" in b"".join(objects.values())
    width, height = svg_size(svg)
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pages[0])
    assert (float(box.group(1)), float(box.group(2))) == (width, height)
    texts = pdf_texts(content)
    nodes, edges, legend = parse_svg(svg)
    words = [text for _, text in texts]
    for lines in nodes.values():
        for line in lines:
            assert line in words
    for _, _, text in edges:
        assert text in words
    for line in legend[1:]:  # (the first is a no-break space)
        assert line.lstrip("\u25a0").strip() in [w.strip() for w in words]
    fonts = {text: font for font, text in texts}
    resources = {m.group(1).decode(): m.group(2).decode() for m in
                 re.finditer(rb"/(F\d) (\d+) 0 R", pages[0])}
    base = {k: re.search(rb"/BaseFont /([\w-]+)", objects[int(v)]).group(1).decode()
            for k, v in resources.items()}
    assert base[fonts["MulBackward0"]] == "Helvetica-Bold"       # titles are bold
    assert base[fonts["requires_grad=True, is_leaf=True"]] == "Helvetica"
    assert base[fonts["grad: None (not computed yet)"]] == "Helvetica-Oblique"


def test_pdf_paints_boxes_in_their_kinds_colours(picture):
    _, content = pdf_parts(picture.pdf())
    for kind in ("output", "leaf", "op", "accumulate"):
        look = style.LOOKS[kind]
        fill = " ".join(f"{c / 255:.3f}".rstrip("0").rstrip(".") for c in hex_rgb(look.fill))
        assert f"{fill} rg" in content, kind


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext not here")
def test_pdf_text_can_be_extracted_by_a_reader(picture, tmp_path):
    path = tmp_path / "g.pdf"
    path.write_bytes(picture.pdf())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for word in ("MulBackward0", "AccumulateGrad", "Legend", "tensor([2.])"):
        assert word in text


def test_pdf_warns_about_characters_its_fonts_lack():
    needs_wasm()
    x = torch.tensor([1.], requires_grad=True)
    y = x * 2
    # (Chinese has a standard font, STSong-Light; Korean has none here)
    picture = render_graph(y, names={"\ub370\uc774\ud130": x, "\u6570\u636e": y})
    with pytest.warns(UserWarning, match="'\ub370\uc774\ud130'"):
        data = picture.pdf()
    content = pdf_parts(data)[1]
    assert "(???) Tj" in content
    # 数据 in UCS-2 (UniGB-UCS2-H): 65 70 63 6e, which happen to be the bytes of "epcn"
    assert "/F7 12 Tf" in content and "(epcn) Tj" in content


@pytest.mark.skipif(shutil.which("dot") is None, reason="no system Graphviz on this machine")
def test_system_dot_png_is_drawn_from_the_styled_svg():
    needs_png()
    outputs, names = add_mul(torch)
    system = render_graph(*outputs, names=names, backend="dot")
    _, _, rows = decode_png(system.png())
    assert hex_rgb("#111827") in {pixel(rows, x, y) for y in range(len(rows))
                                  for x in range(0, len(rows[0]) // 4, 2)}


def test_png_without_resvg_says_what_to_install(picture, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "resvg_py", None)
    from autograd_lab.viz.raster import RasterNotAvailable
    with pytest.raises(RasterNotAvailable, match=r"pip install resvg-py"):
        picture.png()
    assert picture.pdf().startswith(b"%PDF")      # PDF needs no extra package


def test_png_on_a_machine_without_fonts_says_what_to_install(picture, monkeypatch):
    from autograd_lab.viz import raster
    monkeypatch.setattr(raster, "system_fonts_present", lambda: False)
    monkeypatch.setattr(raster, "extra_font_dirs", lambda: [])
    with pytest.raises(raster.RasterNotAvailable, match="apt-get install fonts-liberation"):
        picture.png()


def test_a_huge_png_is_drawn_at_a_lower_dpi_with_a_warning(picture, monkeypatch):
    needs_png()
    from autograd_lab.viz import raster
    width, height = svg_size(picture.svg())
    monkeypatch.setattr(raster, "MAX_PIXELS", 100_000)
    with pytest.warns(UserWarning, match=r"too large for a PNG at 96 dpi .* drawn at \d+ dpi"):
        data = picture.png()
    w, h = png_size(data)
    assert w * h <= 100_000 and w < round(width * 96 / 72)
