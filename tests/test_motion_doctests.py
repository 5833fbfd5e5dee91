"""The examples in the motion modules' docstrings run as written."""
import doctest
import importlib

import pytest

MODULES = ["passstate", "frames", "explain", "animate", "stepper", "stepview", "svganim"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)       # an example may write a file
    module = importlib.import_module(f"autograd_lab.viz.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
