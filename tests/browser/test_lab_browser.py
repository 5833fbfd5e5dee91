"""A learner's session, in a real browser: ``scripts/lab.sh`` starts JupyterLab on the learner's
copies of the chapters; a chapter is opened (and not marked modified), run, saved, reopened (with
its kernel, then with none), run again and one cell re-run, and every animation shows: the live
widget while its kernel runs, the stored player after a reopen, never "model not found". The
tracked chapters are unchanged at the end.

Needs Playwright's Python package and a system Chromium (``/usr/bin/chromium``; never
``playwright install``); skipped, with the reason, when either is missing. lab.sh runs on a free
localhost port with a token, its copies and Jupyter's own files in a temporary directory, and is
shut down (its whole process group) whatever happens. Every wait is on a state of the page or of
the kernel, never on a fixed time.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from browser_support import browser, free_port, playwright_or_skip, stop_process_group  # noqa: F401 (browser: a fixture)

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 60_000  # per wait; the whole test usually takes ~25 s, more on a busy machine
CHAPTER = "00_tour.ipynb"  # both widgets: animate_backward and step_through
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

sync_api = playwright_or_skip()


def _tracked_chapters() -> dict:
    """Every chapter notebook's bytes (hashed), and what git says about notebooks/."""
    state = {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted((ROOT / "notebooks").rglob("*.ipynb"))}
    if (ROOT / ".git").exists() and shutil.which("git"):
        for args in (["diff", "--", "notebooks/*.ipynb"],
                     ["status", "--porcelain", "--", "notebooks/*.ipynb"]):
            state["git " + args[0]] = subprocess.run(["git", *args], cwd=ROOT,
                                                     capture_output=True, text=True).stdout
    return state


def _player_cells(notebook: dict) -> list[str]:
    """Ids of the code cells whose stored outputs hold an animation player."""
    return [c["id"] for c in notebook["cells"] if c["cell_type"] == "code" and any(
        'class="agm-player' in "".join(o.get("data", {}).get("text/html", ""))
        for o in c.get("outputs", []))]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """scripts/lab.sh on a free port: (base url, token, the learner's copies folder)."""
    root = tmp_path_factory.mktemp("lab")
    mine, home = root / "my_chapters", root / "home"
    port, token = free_port(), "autograd-lab-test-token"
    env = dict(os.environ, AUTOGRAD_LAB_MY_CHAPTERS=str(mine),
               JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"), IPYTHONDIR=str(home / "ipython"))
    args = ["bash", str(ROOT / "scripts" / "lab.sh"), "--no-browser", f"--port={port}",
            "--ip=127.0.0.1", f"--IdentityProvider.token={token}",
            "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    log_path = root / "lab.log"
    log = open(log_path, "wb")
    server = subprocess.Popen(args, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120   # lab.sh may first have to set up .venv
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("lab.sh did not start JupyterLab:\n" +
                                log_path.read_text(errors="replace")[-3000:])
                time.sleep(0.3)
        yield base, token, mine, log_path
    finally:
        stop_process_group(server, log)


def test_run_save_reopen_and_rerun_a_chapter(lab, browser):
    base, token, mine, log_path = lab
    tracked = _tracked_chapters()
    pages: list = []   # the browser tabs, in order: a screenshot of the last one on failure
    shots = mine.parent / "screenshots"
    shots.mkdir(exist_ok=True)
    try:
        _drive(browser, pages, base, token, mine, shots)
    except Exception as exc:  # keep what the browser showed, and the server's log
        if pages:
            pages[-1].screenshot(path=str(shots / "failure.png"))
        log = log_path.read_text(errors="replace")[-3000:]
        raise AssertionError(f"{exc}\n(screenshots: {shots})\nlab.sh's log:\n{log}") from exc
    finally:
        for page in pages:
            page.close()
    assert _tracked_chapters() == tracked, "the tracked chapters changed"
    assert "without encryption" not in log_path.read_text(errors="replace")


# -- the page's state, read in the browser -------------------------------------------------------

PANEL = "window.jupyterapp.shell.currentWidget"
KERNEL_IDLE = f"""() => {{
    const p = {PANEL};
    const k = p && p.sessionContext && p.sessionContext.session && p.sessionContext.session.kernel;
    return !!k && k.status === 'idle'; }}"""
# what each cell with the given ids shows: 'live' (a widget), 'player', 'error' or 'other'
SHOWN = f"""ids => {{
    const cells = {PANEL}.content.widgets;
    return ids.map(id => {{
        const cell = cells.find(c => c.model.id === id);
        if (!cell) return 'missing';
        const out = cell.node.querySelector('.jp-OutputArea');
        if (!out) return 'other';
        if (out.innerText.includes('model not found') ||
            out.querySelector('.jupyter-widgets-error-widget')) return 'error';
        if (out.querySelector('.agm-player')) {{
            const players = [...out.querySelectorAll('.agm-player')];
            return players.every(p => p.dataset.ready === '1') ? 'player' : 'dead player';
        }}
        if (out.querySelector('.widget-vbox .agm-picture')) return 'live';
        return 'other'; }}); }}"""


def _start(page, expression: str) -> None:
    """Start a promise in the page; its outcome lands in window.__outcome (see _outcome)."""
    page.evaluate(f"""() => {{ window.__outcome = undefined;
        Promise.resolve().then(() => {expression}).then(
            r => {{ window.__outcome = {{ok: true, value: r === undefined ? null : r}}; }},
            e => {{ window.__outcome = {{ok: false, value: String(e)}}; }}); }}""")


def _outcome(page):
    page.wait_for_function("() => window.__outcome !== undefined")
    outcome = page.evaluate("() => window.__outcome")
    assert outcome["ok"], outcome["value"]
    return outcome["value"]


def _await(page, expression: str):
    _start(page, expression)
    return _outcome(page)


def _wait_shown(page, ids: list[str], want: str) -> None:
    """Wait until every animation cell shows ``want`` or an error; then assert ``want``."""
    settled = json.dumps([want, "error"])
    try:
        page.wait_for_function(f"ids => ({SHOWN})(ids).every(s => {settled}.includes(s))",
                               arg=ids)
    except Exception as exc:
        raise AssertionError(f"expected every animation cell to show a {want}, got "
                             f"{page.evaluate(SHOWN, ids)}") from exc
    shown = page.evaluate(SHOWN, ids)
    assert shown == [want] * len(ids), f"expected every animation cell to show a {want}: {shown}"


def _open(page, base: str, token: str) -> None:
    page.goto(f"{base}/lab/tree/{CHAPTER}?token={token}")
    page.wait_for_function(f"() => window.jupyterapp && {PANEL} && {PANEL}.context "
                           f"&& {PANEL}.context.path === {json.dumps(CHAPTER)}")
    _await(page, f"{PANEL}.context.ready")


def _run_all(page) -> None:
    page.wait_for_function(KERNEL_IDLE)
    assert _await(page, "window.jupyterapp.commands.execute('notebook:run-all-cells')") is True
    errors = page.evaluate(f"""() => {PANEL}.content.widgets.filter(c => c.model.type === 'code')
        .flatMap(c => c.model.outputs.toJSON()).filter(o => o.output_type === 'error')
        .map(o => o.ename + ': ' + o.evalue)""")
    assert errors == [], errors


def _save(page, mine: Path) -> dict:
    assert _await(page, "window.jupyterapp.commands.execute('docmanager:save')") is not False
    page.wait_for_function(f"() => !{PANEL}.context.model.dirty")
    return json.loads((mine / CHAPTER).read_text(encoding="utf-8"))


def _show_cell(page, cell_id: str) -> None:
    """Scroll the cell with this id to the top of the notebook (for the screenshots)."""
    _await(page, f"""{PANEL}.content.scrollToItem({PANEL}.content.widgets.findIndex(
        c => c.model.id === {json.dumps(cell_id)}), 'start')""")


def _assert_saved_players(saved: dict, ids: list[str]) -> None:
    assert _player_cells(saved) == ids, "every animation cell is saved with its player"
    views = [c["id"] for c in saved["cells"] for o in c.get("outputs", [])
             if WIDGET_VIEW in o.get("data", {})]
    assert views == [], f"live widget views saved in {views}"


def _new_page(browser, pages: list):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    pages.append(page)
    return page


def _drive(browser, pages: list, base: str, token: str, mine: Path, shots: Path) -> None:
    copy = mine / CHAPTER
    original = json.loads((ROOT / "notebooks" / CHAPTER).read_text(encoding="utf-8"))
    ids = _player_cells(original)
    assert len(ids) >= 2, "the chapter animates a backward pass and steps through one"
    assert json.loads(copy.read_text(encoding="utf-8"))["cells"] == original["cells"]

    # opened, with its kernel running: the stored players show, nothing is modified
    page = _new_page(browser, pages)
    _open(page, base, token)
    page.wait_for_function(KERNEL_IDLE)
    _await(page, f"Promise.all([{PANEL}.sessionContext.session.kernel.info, "
                 f"{PANEL}.sessionContext.session.kernel.spec])")
    _wait_shown(page, ids, "player")
    assert page.evaluate(f"() => {PANEL}.context.model.dirty") is False, \
        "opening a chapter marked it modified"
    page.screenshot(path=str(shots / "1-opened.png"))

    # Run All: live widgets; Save: the file holds the players, not the views
    _run_all(page)
    _wait_shown(page, ids, "live")
    _show_cell(page, ids[0])
    page.screenshot(path=str(shots / "2-run-all.png"))
    _assert_saved_players(_save(page, mine), ids)

    # closed and reopened while its kernel still runs
    assert _await(page, f"{PANEL}.close()") is None
    page.wait_for_function(f"() => !{PANEL} || !{PANEL}.context")
    _await(page, f"window.jupyterapp.commands.execute('docmanager:open', "
                 f"{{path: {json.dumps(CHAPTER)}}})")
    page.wait_for_function(f"() => {PANEL} && {PANEL}.context && {PANEL}.context.isReady")
    _wait_shown(page, ids, "player")

    # the kernel shut down, the notebook reloaded from disk: no kernel, still every player
    _await(page, f"{PANEL}.sessionContext.shutdown()")
    page.wait_for_function(f"() => !{PANEL}.sessionContext.session")
    _await(page, f"{PANEL}.context.revert()")
    _wait_shown(page, ids, "player")
    assert page.evaluate(f"() => !{PANEL}.sessionContext.session"), "no kernel"
    _show_cell(page, ids[0])
    page.screenshot(path=str(shots / "3-reopened-no-kernel.png"))
    first = page.locator(".agm-player").first
    first.locator("[data-act=next]").click()
    assert first.get_attribute("data-frame") == "1", "the stored player steps"
    page.close()
    pages.remove(page)

    # another day: a new browser tab knows no widget of the old kernel; the chapter opens with
    # every player, runs again, and one animation cell re-run gives a working live widget
    page = _new_page(browser, pages)
    _open(page, base, token)
    _wait_shown(page, ids, "player")
    _run_all(page)
    _wait_shown(page, ids, "live")
    index = page.evaluate(f"id => {PANEL}.content.widgets.findIndex(c => c.model.id === id)",
                          ids[0])
    before = page.evaluate(f"i => {PANEL}.content.widgets[i].model.executionCount", index)
    page.evaluate(f"i => {{ {PANEL}.content.activeCellIndex = i; }}", index)
    assert _await(page, "window.jupyterapp.commands.execute('notebook:run-cell')") is not False
    page.wait_for_function(f"([i, n]) => {PANEL}.content.widgets[i].model.executionCount > n",
                           arg=[index, before])
    _wait_shown(page, ids[:1], "live")
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    assert cell.locator("g.node.running").count() == 0   # frame 0: nothing runs yet
    cell.locator(".widget-button", has_text="Next").first.click()
    cell.locator("g.node.running").first.wait_for()
    page.screenshot(path=str(shots / "4-rerun-cell.png"))
    _assert_saved_players(_save(page, mine), ids)
