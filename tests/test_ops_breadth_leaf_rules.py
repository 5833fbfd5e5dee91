"""requires_grad on a non-leaf (PyTorch refuses the attribute either way and the method when it
would turn it off) and the warning for float() of a tensor that requires grad (given once per
process, as PyTorch's TORCH_WARN_ONCE: checked in fresh interpreters)."""
import os
import subprocess
import sys

import pytest

from oracle import assert_same_outcome, need_torch


@pytest.mark.parametrize("change", [
    lambda y: y.requires_grad_(False),
    lambda y: y.requires_grad_(True),
    lambda y: setattr(y, "requires_grad", False),
    lambda y: setattr(y, "requires_grad", True),
], ids=["method-off", "method-on", "attribute-off", "attribute-on"])
def test_requires_grad_on_a_non_leaf_as_torch(change):
    def program(torch):
        x = torch.tensor([2.0], requires_grad=True)
        y = x * 2
        result = change(y)
        return y.requires_grad, y.is_leaf, result is y or result is None
    assert_same_outcome(program)


_PROGRAM = """
import warnings, {lib} as torch
warnings.simplefilter("always")
x = torch.tensor([2.0], requires_grad=True)
y = x * 2
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    values = [{calls}]
print(values)
for w in caught:
    print(w.category.__name__, str(w.message).split(" (Triggered internally")[0].replace("\\n", "|"))
"""


def _run(lib: str, calls: str) -> str:
    env = dict(os.environ, PYTHONWARNINGS="always")
    out = subprocess.run([sys.executable, "-c", _PROGRAM.format(lib=lib, calls=calls)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.parametrize("calls", [
    "float(x), float(x), float(y)",
    "int(x), x.item(), x.tolist(), float(x)",
    "int(y), float(torch.tensor(1.5)), float(y)",
    "f'{y.sum():.3f}', y.sum().item()",
])
def test_scalar_conversion_warning_once_per_process_as_torch(calls):
    need_torch()
    want, got = _run("torch", calls), _run("autograd_lab", calls)
    assert got == want
    if "float(x)" in calls or "float(y)" in calls:
        assert got.count("UserWarning Converting a tensor with requires_grad=True to a scalar "
                         "may lead to unexpected behavior.|Consider using tensor.detach() "
                         "first.") == 1
