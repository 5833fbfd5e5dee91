"""What the site tests share: the built site (``site``: built by ``bash scripts/site.sh`` when
absent or older than what it is built from) and, in pytest's closing summary, the kernel-ready
and Run All times the browser test measured."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_site"
# What the site is built from: when any of these is newer than the site, it is rebuilt.
SOURCES = ["autograd_lab", "notebooks", "lite", "vendor/pyodide", "scripts/site.sh",
           "pyproject.toml"]


def _newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else path.rglob("*") if path.exists() else []
        for f in files:
            if f.is_file() and "__pycache__" not in f.parts:
                newest = max(newest, f.stat().st_mtime)
    return newest


@pytest.fixture(scope="session")
def site() -> Path:
    """The built site, (re)built when absent or older than what it is built from. Where it
    cannot be built (no network on a first build) the tests skip, loudly, with the build's
    last lines; under CI (``CI`` set) that is a failure instead."""
    stamp = SITE / "index.html"
    if stamp.exists() and stamp.stat().st_mtime >= _newest_source():
        return SITE
    build = subprocess.run(["bash", str(ROOT / "scripts" / "site.sh")], cwd=ROOT,
                           capture_output=True, text=True)
    if build.returncode != 0 or not stamp.exists():
        tail = "\n".join((build.stdout + build.stderr).splitlines()[-25:])
        message = f"THE SITE COULD NOT BE BUILT (bash scripts/site.sh):\n{tail}"
        if os.environ.get("CI"):
            pytest.fail(message)
        print(message, file=sys.stderr)
        pytest.skip(message)
    return SITE


def pytest_terminal_summary(terminalreporter) -> None:
    module = sys.modules.get("test_site_browser")
    times = getattr(module, "TIMES", None)
    if not times:
        return
    terminalreporter.write_sep("-", "JupyterLite site, Pyodide kernel "
                                    "(targets: ready < 15 s, Run All < 10 s)")
    for name, (ready, run) in times.items():
        terminalreporter.write_line(f"  {name:58s} kernel ready {ready:5.1f} s   "
                                    f"Run All {run:5.1f} s")
