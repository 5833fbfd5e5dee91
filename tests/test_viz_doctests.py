"""The examples in the picture modules' docstrings run as written."""
import doctest
import importlib

import pytest

try:
    from .test_viz_export import needs_png
    from .test_viz_support import needs_wasm
except ImportError:
    from test_viz_export import needs_png
    from test_viz_support import needs_wasm

MODULES = ["graph"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    needs_wasm()
    needs_png()  # the examples write a PNG
    module = importlib.import_module(f"autograd_lab.viz.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 8 and result.failed == 0
