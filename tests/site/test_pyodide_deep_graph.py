"""Deep graphs under Pyodide, without a browser: the site's own Pyodide and numpy run in
Node.js (the V8 engine of Chromium, with a stack of the same order), on this checkout's code.

Freeing a chain of a few thousand ops nests that many deallocations in Pyodide's Python, and
the JavaScript stack overflows ("Maximum call stack size exceeded"), which kills the
interpreter. With ``autograd/release.py`` installed, as it is under Pyodide, a 100,000-op chain
is built, differentiated, checked and freed, and the interpreter goes on; with it switched off,
a 20,000-op chain still kills it, so this environment does reproduce what the release prevents.
The site's browser test runs the same chain in the JupyterLite kernel itself.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

RUNNER = """
const [pyodideDir, checkout, code] = process.argv.slice(-3);
const { loadPyodide } = await import(pyodideDir + "/pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/", stdout: s => console.log(s),
                                    stderr: () => {} });
await pyodide.loadPackage("numpy", { messageCallback: () => {} });
pyodide.FS.mkdirTree("/checkout");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: checkout }, "/checkout");
pyodide.runPython("import sys; sys.path.insert(0, '/checkout')");
try {
  pyodide.runPython(code);
} catch (e) {
  console.log("FAILED: " + String(e).split("\\n").filter(Boolean).pop());
}
"""

CHAIN = """
import gc, sys, weakref
import autograd_lab as torch
from autograd_lab.autograd import release
from autograd_lab.autograd.node import Node
release.install(Node, on={on})
print(sys.platform, "__del__" in vars(Node))
n = {n}
x = torch.tensor(0.25, dtype=torch.float64, requires_grad=True)
w = torch.tensor(1.00001, dtype=torch.float64, requires_grad=True)
y = x
for i in range(n):
    y = y * w if i % 2 else y + 0.5
middle = weakref.ref(y.grad_fn.next_functions[0][0])
y.backward()
want = w.item() ** (n // 2)  # d/dx of n ops alternating + 0.5 and * w
print("grad", abs(x.grad.item() - want) <= 1e-12 * want or (x.grad.item(), want))
del y
gc.collect()
print("freed", middle() is None)
print("after", (torch.tensor([1.0, 2.0], requires_grad=True) * 3).sum().item())
"""


def run_in_pyodide(site: Path, code: str) -> list[str]:
    pyodide_dir = site / "static" / "pyodide"
    done = subprocess.run([NODE, "--input-type=module", "-e", RUNNER, "--", str(pyodide_dir),
                           str(ROOT), code], capture_output=True, text=True, timeout=600)
    return done.stdout.splitlines() + [line for line in done.stderr.splitlines()
                                       if "Maximum call stack" in line][:1]


def test_100k_op_chain_is_built_differentiated_and_freed_under_pyodide(site):
    lines = run_in_pyodide(site, CHAIN.format(on=True, n=100_000))
    assert lines[-4:] == ["emscripten True", "grad True", "freed True", "after 9.0"], lines


def test_without_the_release_pyodide_dies_freeing_a_long_chain(site):
    lines = run_in_pyodide(site, CHAIN.format(on=False, n=20_000))
    assert "emscripten False" in lines and "grad True" in lines, lines
    assert "freed True" not in lines, (
        "Pyodide freed a 20,000-op chain without the release: this test no longer shows the "
        "stack overflow the release prevents")
    assert any("Maximum call stack size exceeded" in line for line in lines), lines
