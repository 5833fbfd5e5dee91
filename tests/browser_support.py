"""What the browser tests share (tests/browser, tests/site): the system Chromium, never a
downloaded one; a free port on localhost; stopping a server's whole process group; and the
module-scoped ``browser`` fixture (import it into a test module to use it)."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from typing import IO, Any, Iterator

import pytest

CHROMIUM = os.environ.get("AUTOGRAD_LAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LAUNCH_TIMEOUT_MS = 600_000  # Chromium's start, which a machine under heavy load delays most


def playwright_or_skip() -> Any:
    """Playwright's sync API; skips the calling test module, with the reason, when Playwright
    or the system Chromium is missing."""
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="Playwright is not installed (pip install playwright)")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)",
                    allow_module_level=True)
    return sync_api


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process_group(proc: subprocess.Popen, log: IO | None = None) -> None:
    """Stop a server started with ``start_new_session=True`` and everything it started."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if log is not None:
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = playwright_or_skip()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM)
                              else shutil.which("chromium"), args=CHROMIUM_ARGS,
                              timeout=LAUNCH_TIMEOUT_MS)
        try:
            yield b
        finally:
            b.close()
