"""The engine is a layer of its own: ``autograd_lab/autograd`` imports nothing from the ops,
the factories, nn, optim or the pictures, at module level or inside a function. It does
gradient arithmetic through the tensor (``_sum_to``, ``to``, ``clone``, ``+``)."""
import ast
from pathlib import Path

import autograd_lab

FORBIDDEN = {"ops", "factories", "nn", "optim", "viz"}
AUTOGRAD = Path(autograd_lab.__file__).parent / "autograd"


def _imported_siblings(tree: ast.AST) -> set[str]:
    """Names of autograd_lab's top-level modules a file imports (relative or absolute)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level >= 2:  # from ..x import y, from .. import x
                head = module.split(".")[0] if module else None
                found.update([head] if head else [a.name for a in node.names])
            elif node.level == 0 and module.startswith("autograd_lab."):
                found.add(module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names
                         if a.name.startswith("autograd_lab."))
    return found


def test_autograd_imports_no_higher_layer():
    offenders = {}
    for path in sorted(AUTOGRAD.glob("*.py")):
        bad = _imported_siblings(ast.parse(path.read_text())) & FORBIDDEN
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}


def test_the_check_sees_a_function_level_import():
    tree = ast.parse("def f():\n    from ..ops import stack\n    from .. import viz\n")
    assert _imported_siblings(tree) & FORBIDDEN == {"ops", "viz"}
