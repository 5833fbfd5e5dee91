"""In a real browser: JupyterLab runs a notebook that uses both widgets, Play and Next change
the picture; then the exported HTML player steps without a kernel. It also checks that every
text is readable (at least 11 px as rendered, at 100% zoom in a 1400 x 1000 window), that
the widgets fit the window, that every button does something sensible at the ends, the
Chinese panels, and that a stored stepper plays its whole pass. It waits on states, never on
time.

Needs Playwright's Python package and a system Chromium (``/usr/bin/chromium``; never
``playwright install``). Skipped, with the reason, when either is missing. The JupyterLab
server runs on a free localhost port with a token, in a temporary directory, and is shut down
(its whole process group) whatever happens.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from browser_support import browser, free_port, playwright_or_skip, stop_process_group  # noqa: F401 (browser: a fixture)

# per wait (a wait ends as soon as its state is reached: a long limit costs nothing when all
# is well); the whole test takes ~40 s on an idle machine, minutes when others load it
TIMEOUT_MS = 120_000

sync_api = playwright_or_skip()

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
    "def relu_graph():\n"
    "    bb = torch.tensor(1.0, requires_grad=True)\n"
    "    ww = torch.tensor(2.0, requires_grad=True)\n"
    "    return torch.relu(ww * torch.tensor(3.0) + bb)\n"
    "played = torch.step_through(relu_graph())\n"
    "played.widget.speed.value = 250\n"
    "played",
    "x2 = torch.tensor([2.], requires_grad=True)\n"
    "w2 = torch.tensor([1.], requires_grad=True)\n"
    "y2 = torch.mul(torch.add(x2, w2), torch.add(w2, 1))\n"
    "torch.animate_backward(y2, lang='zh', interval=250)",
    "anim.save_html('player.html')\n"
    "torch.step_through(relu_graph()).save_html('stepper.html')",
]

def _notebook(cells: list[str]) -> dict:
    return {"nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}},
            "cells": [{"cell_type": "code", "id": f"cell{i}", "metadata": {},
                       "execution_count": None, "outputs": [], "source": src}
                      for i, src in enumerate(cells)]}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a temporary copy of the test notebook: (base url, token, dir)."""
    root = tmp_path_factory.mktemp("lab")
    (root / "motion.ipynb").write_text(json.dumps(_notebook(NOTEBOOK_CELLS)))
    port, token = free_port(), "autograd-lab-test-token"
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
        deadline = time.monotonic() + 240  # a loaded machine starts it slowly
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
        stop_process_group(server, log)


RUNNING = """pic => { const g = pic.querySelector('g.node.running'); return g ? g.id : null; }"""
# The size of every piece of text as rendered: SVG text by its font size times the picture's
# scale on screen, HTML text by its computed font size. Returns [px, text] smallest first.
FONT_SIZES = r"""root => {
  const out = [];
  for (const t of root.querySelectorAll('svg text')) {
    if (!t.textContent.trim() || t.getBoundingClientRect().width === 0) continue;
    const m = t.getScreenCTM();
    out.push([parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b),
              t.textContent.trim()]);
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || el.closest('svg') || ['STYLE', 'SCRIPT'].includes(el.tagName))
      continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    out.push([parseFloat(getComputedStyle(el).fontSize), node.textContent.trim()]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}"""
SMALLEST_PX = 11.0
WINDOW = {"width": 1400, "height": 1000}


def _cell(i: int) -> str:
    return f"document.querySelectorAll('.jp-Cell')[{i}]"


def _wait_text(page, i: int, selector: str, text: str) -> None:
    """Wait until the cell's element holds ``text`` (the widgets update in separate messages:
    read each one only once it says what it should)."""
    page.wait_for_function(
        "([sel, want]) => { const el = " + _cell(i) + ".querySelector(sel);"
        " return el && el.innerText.includes(want); }", arg=[selector, text])


def _wait_running(page, i: int, node_id: str) -> None:
    page.wait_for_function(f"() => ({RUNNING})({_cell(i)}.querySelector('.agm-picture')) === "
                           f"{json.dumps(node_id)}")


def _wait_stopped(page, i: int) -> None:
    """Wait until the cell's Play button shows "play" again (the widget stopped playing)."""
    page.wait_for_function(
        "() => { const icon = " + _cell(i) + ".querySelector('.widget-play button i');"
        " return icon && icon.classList.contains('fa-play'); }")


def _check_readable(locator, what: str) -> float:
    sizes = locator.evaluate(FONT_SIZES)
    assert sizes, f"{what}: no text found"
    smallest = sizes[0]
    assert smallest[0] >= SMALLEST_PX - 0.01, f"{what}: {smallest[1]!r} is {smallest[0]:.2f} px"
    return smallest[0]


def test_widgets_in_jupyterlab_and_the_exported_player(lab, browser):
    base, token, root = lab
    page = browser.new_page(viewport=WINDOW)
    page.set_default_timeout(TIMEOUT_MS)
    try:
        _drive(page, browser, base, token, root)
    except Exception as exc:  # keep what the browser showed, and the server's log
        page.screenshot(path=str(root / "failure.png"))
        log = (root / "lab.log").read_text(errors="replace")[-2000:]
        raise AssertionError(f"{exc}\n(screenshot: {root / 'failure.png'})\n"
                             f"JupyterLab log:\n{log}") from exc


def _shot(page, root, name: str) -> None:
    """A screenshot for a person to look at (kept with the server's files; copied to
    $AUTOGRAD_LAB_SCREENSHOTS when set)."""
    path = root / f"{name}.png"
    page.screenshot(path=str(path))
    target = os.environ.get("AUTOGRAD_LAB_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


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
    page.wait_for_function("() => document.querySelectorAll("
                           "'.jp-OutputArea-output .agm-picture svg').length >= 4")

    # the animation: readable, fits the window, Play moves through the frames
    anim_output = page.locator(".jp-Cell").nth(0).locator(".jp-OutputArea-output").first
    anim_output.scroll_into_view_if_needed()
    _shot(page, root, "animation")
    picture = anim_output.locator(".agm-picture").first
    assert picture.evaluate(RUNNING) is None          # frame 0: nothing runs yet
    box = anim_output.bounding_box()
    assert box["height"] <= WINDOW["height"] - 140, box  # JupyterLab's bars take the rest
    smallest = {"animation": _check_readable(anim_output, "animation")}
    svg_box = picture.locator("svg").bounding_box()
    assert svg_box["width"] <= box["width"], (svg_box, box)   # no sideways overflow
    # compact boxes: the rest of a tensor's label is its tooltip
    tooltip = picture.locator("g#t0 > title").first.text_content()
    assert "requires_grad=True" in tooltip
    shown = picture.locator("g#t0").first.evaluate(
        "g => [...g.querySelectorAll('text')].map(t => t.textContent).join(' ')")
    assert "requires_grad" not in shown and "tensor([6.])" in shown
    anim_output.locator(".widget-play button").first.click()
    _wait_running(page, 0, "n0")
    _wait_running(page, 0, "n4")
    _wait_text(page, 0, ".agm-panel", "Step 5 of 5")
    # at the end: Next changes nothing and says so; Play starts again and plays through
    _wait_stopped(page, 0)
    anim_output.get_by_role("button", name="Next").click()
    _wait_text(page, 0, ".widget-html", "Done: this is the last step.")
    anim_output.locator(".widget-play button").first.click()
    _wait_running(page, 0, "n0")
    _wait_running(page, 0, "n4")
    _wait_text(page, 0, ".agm-panel", "Step 5 of 5")

    # the stepper: each click of Next calls one node and shows its code
    step_output = page.locator(".jp-Cell").nth(1).locator(".jp-OutputArea-output").first
    step_output.scroll_into_view_if_needed()
    step_picture = step_output.locator(".agm-picture").first
    assert step_picture.evaluate(RUNNING) is None
    step_output.get_by_role("button", name="Call next").click()
    _wait_text(page, 1, ".agm-panel", "dv = r.grad_fn(torch.tensor(1.))")
    page.wait_for_function(f"() => ({RUNNING})({_cell(1)}.querySelector('.agm-picture'))")
    first = step_picture.evaluate(RUNNING)
    step_output.get_by_role("button", name="Call next").click()
    _wait_text(page, 1, ".agm-panel", "du, dbb = v_grad_fn(dv)")
    page.wait_for_function(f"() => ({RUNNING})({_cell(1)}.querySelector('.agm-picture')) "
                           f"!== {json.dumps(first)}")
    _shot(page, root, "stepper")
    smallest["stepper"] = _check_readable(step_output, "stepper")
    # "Call all", then Next at the end: nothing left, and it says so
    step_output.get_by_role("button", name="Call all").click()
    _wait_text(page, 1, ".agm-panel", "Step 5 of 5")
    step_output.get_by_role("button", name="Call next").click()
    _wait_text(page, 1, ".widget-html", "every node has been called")

    # a fresh stepper: Play calls the nodes one by one, to the end
    played = page.locator(".jp-Cell").nth(2).locator(".jp-OutputArea-output").first
    played.scroll_into_view_if_needed()
    played.locator(".widget-play button").first.click()
    _wait_text(page, 2, ".agm-panel", "Step 5 of 5")
    _wait_text(page, 2, ".agm-panel", "Done.")

    # in Chinese
    zh_output = page.locator(".jp-Cell").nth(3).locator(".jp-OutputArea-output").first
    zh_output.scroll_into_view_if_needed()
    assert "叶子节点" in zh_output.locator(".agm-key").first.inner_text()
    zh_output.get_by_role("button", name="下一步").click()
    _wait_text(page, 3, ".agm-panel", "第 1 步（共 5 步）")
    _shot(page, root, "animation_zh")
    smallest["zh"] = _check_readable(zh_output, "Chinese animation")

    # the players the notebook exported: no kernel, no network
    page.wait_for_function(f"() => {_cell(4)}.querySelector('.jp-OutputArea-output')")
    for name in ("player.html", "stepper.html"):
        assert (root / name).exists(), name
    offline = browser.new_page(viewport=WINDOW)
    offline.set_default_timeout(TIMEOUT_MS)
    requests: list[str] = []
    offline.on("request", lambda r: requests.append(r.url))
    offline.goto((root / "player.html").as_uri())
    player = offline.locator(".agm-player")
    frame = "() => document.querySelector('.agm-player').dataset.frame"
    assert player.get_attribute("data-frame") == "0"
    assert offline.locator(".agm-picture").evaluate(RUNNING) is None
    smallest["player"] = _check_readable(player, "player")
    assert "\u23f8" not in player.inner_text()   # no glyph that needs a symbol font
    offline.get_by_role("button", name="Next").click()
    offline.wait_for_function(f"({frame})() === '1'")
    assert offline.locator(".agm-picture").evaluate(RUNNING) == "n0"
    offline.get_by_role("button", name="Next").click()
    offline.wait_for_function(f"({frame})() === '2'")
    assert offline.locator(".agm-picture").evaluate(RUNNING) not in (None, "n0")
    offline.keyboard.press("ArrowLeft")   # the player has focus after a click
    offline.wait_for_function(f"({frame})() === '1'")
    offline.get_by_role("button", name="Play").click()
    offline.wait_for_function(f"({frame})() === '5'")
    assert "Step 5 of 5" in offline.locator(".agm-panel").inner_text()
    # Play at the end starts again from the start and plays through
    offline.wait_for_function("() => !document.querySelector('.agm-player').dataset.playing")
    offline.get_by_role("button", name="Play").click()
    offline.wait_for_function(f"({frame})() === '1'")
    offline.wait_for_function(f"({frame})() === '5'")
    # the stored stepper plays its whole transcript, though nobody clicked it
    offline.goto((root / "stepper.html").as_uri())
    assert offline.locator(".agm-player").get_attribute("data-frames") == "6"
    offline.get_by_role("button", name="Play").click()
    offline.wait_for_function(f"({frame})() === '5'")
    assert "Step 5 of 5" in offline.locator(".agm-panel").inner_text()
    _shot(offline, root, "stored_stepper")
    assert all(url.startswith("file:") for url in requests), requests
    print("smallest text (px):", {k: round(v, 2) for k, v in smallest.items()})
