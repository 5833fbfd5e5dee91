"""In a real browser: JupyterLab runs a notebook that uses both widgets, Play and Next change
the picture; then the exported HTML player steps without a kernel.

Needs Playwright's Python package and a system Chromium (``/usr/bin/chromium``; never
``playwright install``). Skipped, with the reason, when either is missing. The JupyterLab
server runs on a free localhost port with a token, in a temporary directory, and is shut down
(its whole process group) whatever happens.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("AUTOGRAD_LAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 60_000  # per wait; the whole test usually takes ~25 s, more on a busy machine

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="Playwright is not installed (pip install playwright)")
if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)",
                allow_module_level=True)

NOTEBOOK_CELLS = [
    "import autograd_lab as torch\n"
    "x = torch.tensor([2.], requires_grad=True)\n"
    "w = torch.tensor([1.], requires_grad=True)\n"
    "a = torch.add(x, w)\n"
    "b = torch.add(w, 1)\n"
    "y = torch.mul(a, b)\n"
    "anim = torch.animate_backward(y, interval=250)\n"
    "anim",
    "bb = torch.tensor(1.0, requires_grad=True)\n"
    "ww = torch.tensor(2.0, requires_grad=True)\n"
    "u = ww * torch.tensor(3.0)\n"
    "v = u + bb\n"
    "r = torch.relu(v)\n"
    "steps = torch.step_through(r)\n"
    "steps",
    "anim.save_html('player.html')",
]


def _notebook(cells: list[str]) -> dict:
    return {"nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}},
            "cells": [{"cell_type": "code", "id": f"cell{i}", "metadata": {},
                       "execution_count": None, "outputs": [], "source": src}
                      for i, src in enumerate(cells)]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a temporary copy of the test notebook: (base url, token, dir)."""
    root = tmp_path_factory.mktemp("lab")
    (root / "motion.ipynb").write_text(json.dumps(_notebook(NOTEBOOK_CELLS)))
    port, token = _free_port(), "autograd-lab-test-token"
    home = root / ".home"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"), IPYTHONDIR=str(home / "ipython"))
    jupyter = Path(sys.executable).with_name("jupyter")
    args = [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
            f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
            "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    log = open(root / "lab.log", "wb")
    server = subprocess.Popen(args, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 40
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" +
                                (root / "lab.log").read_text(errors="replace")[-3000:])
                time.sleep(0.3)
        yield base, token, root
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM)
                              else shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


RUNNING = """pic => { const g = pic.querySelector('g.node.running'); return g ? g.id : null; }"""


def test_widgets_in_jupyterlab_and_the_exported_player(lab, browser):
    base, token, root = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    try:
        _drive(page, browser, base, token, root)
    except Exception as exc:  # keep what the browser showed, and the server's log
        page.screenshot(path=str(root / "failure.png"))
        log = (root / "lab.log").read_text(errors="replace")[-2000:]
        raise AssertionError(f"{exc}\n(screenshot: {root / 'failure.png'})\n"
                             f"JupyterLab log:\n{log}") from exc


def _drive(page, browser, base, token, root):
    page.goto(f"{base}/lab/tree/motion.ipynb?token={token}")
    page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')")
    # wait for the kernel, then run all cells (not awaited: the promise ends with the run)
    page.wait_for_function("""() => {
        const panel = window.jupyterapp.shell.currentWidget;
        const kernel = panel && panel.sessionContext && panel.sessionContext.session
            && panel.sessionContext.session.kernel;
        return kernel && kernel.status === 'idle'; }""")
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    pictures = page.locator(".jp-OutputArea-output .agm-picture")
    pictures.nth(1).wait_for()

    # the animation: Play moves through the frames, the running node changes
    anim_output = page.locator(".jp-Cell").nth(0)
    picture = anim_output.locator(".agm-picture").first
    assert picture.evaluate(RUNNING) is None          # frame 0: nothing runs yet
    anim_output.locator(".widget-play button").first.click()
    page.wait_for_function(f"() => ({RUNNING})(document.querySelectorAll("
                           "'.jp-Cell')[0].querySelector('.agm-picture')) === 'n0'")
    page.wait_for_function(f"() => ({RUNNING})(document.querySelectorAll("
                           "'.jp-Cell')[0].querySelector('.agm-picture')) === 'n4'")
    assert "Step 5 of 5" in anim_output.locator(".agm-panel").first.inner_text()

    # the stepper: each click of Next calls one node and shows its code
    step_output = page.locator(".jp-Cell").nth(1)
    step_picture = step_output.locator(".agm-picture").first
    assert step_picture.evaluate(RUNNING) is None
    step_output.get_by_role("button", name="Call next \u25b6").click()
    page.wait_for_function("() => document.querySelectorAll('.jp-Cell')[1]"
                           ".querySelector('g.node.running')")
    first = step_picture.evaluate(RUNNING)
    assert "dv = r.grad_fn(torch.tensor(1.))" in step_output.locator(".agm-panel").inner_text()
    step_output.get_by_role("button", name="Call next \u25b6").click()
    page.wait_for_function(f"() => ({RUNNING})(document.querySelectorAll('.jp-Cell')[1]"
                           f".querySelector('.agm-picture')) !== {json.dumps(first)}")
    assert "du, dbb = v_grad_fn(dv)" in step_output.locator(".agm-panel").inner_text()

    # the player the notebook exported: no kernel, no network
    page.wait_for_function("() => document.querySelectorAll('.jp-Cell')[2]"
                           ".querySelector('.jp-OutputArea-output')")
    player_file = root / "player.html"
    assert player_file.exists()
    offline = browser.new_page()
    offline.set_default_timeout(TIMEOUT_MS)
    requests: list[str] = []
    offline.on("request", lambda r: requests.append(r.url))
    offline.goto(player_file.as_uri())
    player = offline.locator(".agm-player")
    assert player.get_attribute("data-frame") == "0"
    assert offline.locator(".agm-picture").evaluate(RUNNING) is None
    offline.get_by_role("button", name="Next \u25b6").click()
    assert player.get_attribute("data-frame") == "1"
    assert offline.locator(".agm-picture").evaluate(RUNNING) == "n0"
    offline.get_by_role("button", name="Next \u25b6").click()
    assert offline.locator(".agm-picture").evaluate(RUNNING) not in (None, "n0")
    offline.keyboard.press("ArrowLeft")   # the player has focus after a click
    assert player.get_attribute("data-frame") == "1"
    offline.get_by_role("button", name="\u25b6 Play").click()
    offline.wait_for_function("() => document.querySelector('.agm-player').dataset.frame"
                              " === '5'")
    assert "Step 5 of 5" in offline.locator(".agm-panel").inner_text()
    assert all(url.startswith("file:") for url in requests), requests
