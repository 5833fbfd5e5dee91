"""``x.T`` on a tensor that is not a matrix: PyTorch's deprecation warnings, word for word, each
given once per process (PyTorch's TORCH_WARN_ONCE), and still the reversed view."""
from __future__ import annotations

import subprocess
import sys
import warnings

import pytest

import autograd_lab as lab

PROGRAM = """
import warnings
import {lib} as torch
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    shapes = [tuple(torch.zeros(s).T.shape) for s in [(3,), (2, 3, 4), (), (), (2, 3)]]
for w in caught:
    print(w.category.__name__, "|", str(w.message).split(" (Triggered internally")[0])
print(shapes)
"""


def _run(lib: str) -> str:
    # a fresh process each: the warnings are once per process in both libraries
    done = subprocess.run([sys.executable, "-c", PROGRAM.format(lib=lib)], capture_output=True,
                          text=True, check=True)
    return done.stdout


def test_the_warnings_are_pytorchs_and_once_each():
    out = _run("autograd_lab")
    lines = out.strip().split("\n")
    assert lines == [
        "UserWarning | The use of `x.T` on tensors of dimension other than 2 to reverse their "
        "shape is deprecated and it will throw an error in a future release. Consider `x.mT` "
        "to transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to "
        "reverse the dimensions of a tensor.",
        "UserWarning | Tensor.T is deprecated on 0-D tensors. This function is the identity in "
        "these cases.",
        "[(3,), (4, 3, 2), (), (), (3, 2)]",
    ]


def test_same_as_torch():
    pytest.importorskip("torch")
    assert _run("autograd_lab") == _run("torch")


def test_a_matrix_transposes_without_a_warning():
    x = lab.tensor([[1., 2., 3.]], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = x.T
    assert tuple(y.shape) == (3, 1)
    assert y.grad_fn.name() == "PermuteBackward0"
