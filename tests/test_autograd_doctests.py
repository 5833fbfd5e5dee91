"""The runnable examples in the autograd modules' docstrings run and print what they say."""
import doctest
import importlib

import pytest

MODULES = ["api", "anomaly_mode", "hooks", "gradcheck", "functional", "function", "grad_mode"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"autograd_lab.autograd.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no example"
    assert result.failed == 0
