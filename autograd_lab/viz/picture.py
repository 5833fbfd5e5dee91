"""``GraphPicture``: a ``graphviz.Digraph`` that renders without a system Graphviz.

It is a real ``Digraph`` (``.source``, ``.node()``, ``.edge()``, ``.save()``, ``.copy()`` work
as graphviz users expect), with three changes:

* ``.pipe()`` and ``.render()`` go through ``backend``: ``"wasm"`` (in-process, the default) or
  ``"dot"`` (the system executable, with a clear message when it is missing);
* ``png`` and ``pdf`` are drawn from the styled SVG, in this process, under either backend
  (``raster``: resvg; ``svgpdf``: vector PDF), so they look exactly like the SVG;
* notebooks display it as SVG from the same renderer (``_repr_mimebundle_``, ``_repr_svg_``),
  so a stored picture has the same bytes on every machine;
* SVG output has its label lines styled (``textstyle``): bold titles, grey notes, red warnings.
"""
from __future__ import annotations

import os
import pathlib
from typing import Any, Iterable

import graphviz

from . import render as backends
from .raster import DEFAULT_DPI
from .textstyle import style_svg


class GraphPicture(graphviz.Digraph):
    """The picture ``render_graph`` returns; see the module docstring."""

    def __init__(self, *args: Any, backend: str = "wasm", **kwargs: Any) -> None:
        if backend not in backends.BACKENDS:
            raise ValueError(f"backend must be one of {backends.BACKENDS}, got {backend!r}")
        kwargs.setdefault("format", "svg")
        super().__init__(*args, **kwargs)
        self.backend = backend
        self._svg_cache: tuple[str, bytes] | None = None

    def _copy_kwargs(self, **kwargs: Any) -> dict:
        return super()._copy_kwargs(backend=self.backend, **kwargs)

    # -- rendering ---------------------------------------------------------------------------
    def pipe(self, format: str | None = None, renderer: str | None = None,
             formatter: str | None = None, neato_no_op: Any = None, quiet: bool = False, *,
             engine: str | None = None, encoding: str | None = None,
             dpi: float = DEFAULT_DPI) -> bytes | str:
        """The picture in ``format`` (default: ``self.format``, ``"svg"``) as bytes, or as text
        when ``encoding`` is given. In-process formats: svg, png and pdf (drawn from the styled
        SVG; ``dpi`` sets png's pixels per inch), dot/gv, xdot, json, plain, canon."""
        format = format or self.format
        layout = engine or self.engine
        if format in backends.FROM_SVG_FORMATS and not (renderer or formatter):
            data = self._from_svg(format, layout, dpi)
        elif self.backend == "wasm":
            if renderer or formatter or neato_no_op:
                raise backends.FormatNotAvailable(
                    "renderer=, formatter= and neato_no_op= need the system Graphviz: "
                    "render_graph(..., backend='dot')")
            data = self._wasm_bytes(format, layout)
        else:
            data = backends.render_system(self.source, format, layout, renderer, formatter)
            if format == "svg":
                data = style_svg(data.decode("utf-8")).encode("utf-8")
        return data.decode(encoding) if encoding is not None else data

    def _from_svg(self, format: str, layout: str, dpi: float) -> bytes:
        svg = self.pipe(format="svg", engine=layout, encoding="utf-8")
        if format == "png":
            from .raster import svg_to_png
            return svg_to_png(svg, dpi)  # type: ignore[arg-type]
        from .svgpdf import svg_to_pdf
        return svg_to_pdf(svg)  # type: ignore[arg-type]

    def png(self, dpi: float = DEFAULT_DPI) -> bytes:
        """The picture as PNG bytes (``dpi`` pixels per inch; 96 is the screen's size)."""
        return self.pipe(format="png", dpi=dpi)  # type: ignore[return-value]

    def pdf(self) -> bytes:
        """The picture as a one-page vector PDF (text kept as text)."""
        return self.pipe(format="pdf")  # type: ignore[return-value]

    def _wasm_bytes(self, format: str, layout: str) -> bytes:
        source = self.source
        if format == "svg" and layout == "dot":
            cached = self._svg_cache
            if cached is not None and cached[0] == source:
                return cached[1]
        data = backends.render_wasm(source, format, layout)
        if format == "svg":
            data = style_svg(data.decode("utf-8")).encode("utf-8")
            if layout == "dot":
                self._svg_cache = (source, data)
        return data

    def svg(self) -> str:
        """The picture as SVG text (what a notebook shows)."""
        return self.pipe(format="svg", encoding="utf-8")  # type: ignore[return-value]

    def render(self, filename: str | os.PathLike | None = None,
               directory: str | os.PathLike | None = None, view: bool = False,
               cleanup: bool = False, format: str | None = None, renderer: str | None = None,
               formatter: str | None = None, neato_no_op: Any = None, quiet: bool = False,
               quiet_view: bool = False, *, outfile: str | os.PathLike | None = None,
               engine: str | None = None, raise_if_result_exists: bool = False,
               overwrite_source: bool = False, dpi: float = DEFAULT_DPI) -> str:
        """Save the DOT source and write the picture next to it, as ``graphviz`` does:
        ``render("g")`` writes ``g`` (the source) and ``g.svg``; ``render(outfile="g.svg")``
        writes ``g.gv`` and ``g.svg``; ``render("g", format="png")`` (or ``"pdf"``) works
        in-process too. Returns the picture's path."""
        if outfile is not None:
            outfile = pathlib.Path(outfile)
            if directory is None:
                outfile = pathlib.Path(self.directory) / outfile
            format = format or outfile.suffix.lstrip(".") or None
            if filename is None:  # the source goes beside the picture, as with graphviz
                filename, directory = outfile.with_suffix(".gv").name, outfile.parent
        format = format or self.format
        # render first: an unavailable format must not leave a half-written pair behind
        data = self.pipe(format=format, renderer=renderer, formatter=formatter,
                         neato_no_op=neato_no_op, quiet=quiet, engine=engine, dpi=dpi)
        source_path = self.save(filename, directory=directory, skip_existing=None)
        rendered = outfile if outfile is not None else pathlib.Path(f"{source_path}.{format}")
        if not overwrite_source and rendered.resolve() == pathlib.Path(source_path).resolve():
            raise ValueError(f"outfile {str(rendered)!r} must differ from the DOT source file")
        if raise_if_result_exists and rendered.exists():
            raise graphviz.FileExistsError(f"output file exists: {str(rendered)!r}")
        rendered.parent.mkdir(parents=True, exist_ok=True)
        rendered.write_bytes(data)  # type: ignore[arg-type]
        if cleanup:
            os.remove(source_path)
        if view or quiet_view:
            self._view(rendered, format=format, quiet=quiet_view)
        return str(rendered)

    # -- notebooks -----------------------------------------------------------------------------
    def __repr__(self) -> str:
        # Notebooks store this next to the SVG (text/plain): no id() in it, so it is the same
        # in every run (nbval compares it).
        arrows = sum(1 for line in self.body if " -> " in line)
        boxes = sum(1 for line in self.body if line.startswith("\t") and " -> " not in line
                    and not line.startswith(("\tgraph ", "\tnode ", "\tedge ")))
        return f"<GraphPicture: {boxes} boxes, {arrows} arrows, backend={self.backend!r}>"

    def _repr_mimebundle_(self, include: Iterable[str] | None = None,
                          exclude: Iterable[str] | None = None, **_: Any) -> dict:
        wanted = set(include) if include is not None else {"image/svg+xml"}
        wanted -= set(exclude or ())
        if "image/svg+xml" not in wanted:
            return {}
        return {"image/svg+xml": self.svg()}

    def _repr_svg_(self) -> str:
        return self.svg()

    def _repr_image_svg_xml(self) -> str:
        return self.svg()
