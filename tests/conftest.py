"""What every test module shares: the helper modules on the import path, and a loud count of the
comparisons with PyTorch (the oracle) that did not run.

The helper modules (``oracle``, ``ops_support``, ``gradcheck_support`` ...) sit next to the tests
and are imported by their plain names: pytest puts this directory on ``sys.path`` because it
holds this file, so no test needs a ``try: from .x ... except ImportError: from x ...``.

When PyTorch is not installed, oracle tests skip (``oracle.need_torch()`` or
``pytest.importorskip("torch")``; a module whose every test needs it skips whole). A skipped test
passes silently in pytest's summary, so the run ends with one line saying how many oracle
comparisons were skipped: a green run without PyTorch checked much less than one with it.
"""
from __future__ import annotations

from typing import Any

import pytest

# the reason pytest.importorskip("torch") gives (oracle.need_torch uses it too)
_ORACLE_WORDS = ("could not import 'torch'",)


def _skipped_for_torch(report: Any) -> bool:
    if not report.skipped or hasattr(report, "wasxfail"):  # (an xfail is reported as skipped)
        return False
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return any(word in reason for word in _ORACLE_WORDS)


class _OracleSkips:
    """Counts tests (and whole modules) skipped because PyTorch could not be imported."""

    def __init__(self) -> None:
        self.tests = 0
        self.modules: list[str] = []

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when == "setup" and _skipped_for_torch(report):
            self.tests += 1
        elif report.when == "call" and _skipped_for_torch(report):  # a skip inside the test
            self.tests += 1

    @pytest.hookimpl
    def pytest_collectreport(self, report: Any) -> None:
        if _skipped_for_torch(report):
            self.modules.append(report.nodeid)

    def line(self) -> str:
        """The closing line, or "" when every oracle comparison ran."""
        if not self.tests and not self.modules:
            return ""
        parts = [f"{self.tests} oracle comparison{'s' if self.tests != 1 else ''}"]
        if self.modules:
            parts.append(f"{len(self.modules)} whole module{'s' if len(self.modules) != 1 else ''}"
                         f" ({', '.join(self.modules)})")
        return (f"PyTorch NOT importable: {' and '.join(parts)} SKIPPED, not checked "
                "(pip install torch==2.13.0 to run them)")


_SKIPS = _OracleSkips()


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_SKIPS, "oracle-skips")


def pytest_unconfigure(config: pytest.Config) -> None:
    # after pytest's own summary and its pass/fail counts: the last line of the run
    line = _SKIPS.line()
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if line and reporter is not None:
        reporter.write_sep("!", line, red=True, bold=True)
