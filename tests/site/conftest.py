"""Prints the site test's kernel-ready and Run All times in pytest's closing summary."""
from __future__ import annotations

import sys


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
