"""tanh's backward gives PyTorch's float32/float64 bits: its kernel forms 1 - y*y with one
fused multiply-add, so manual ``(1 - h**2) * dh`` differs from autograd's in the last bit in
both libraries alike (makemore part 4's "exact: False" for hpreact)."""
from __future__ import annotations

import numpy as np
import pytest

import autograd_lab
from autograd_lab.ops.activation import tanh_backward

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [1, 7, 1000])
def test_tanh_backward_bits(dtype, n):
    # the same saved output y and incoming gradient g on both sides (tanh's forward itself
    # may differ in the last bit: NumPy's tanh is not PyTorch's vectorised one)
    rng = np.random.default_rng(n)
    y = np.tanh(rng.standard_normal(n)).astype(dtype)
    g = rng.standard_normal(n).astype(dtype)
    expected = torch.ops.aten.tanh_backward(torch.from_numpy(g), torch.from_numpy(y))
    got = tanh_backward(autograd_lab.tensor(g), autograd_lab.tensor(y))
    assert got.numpy().tobytes() == expected.numpy().tobytes()


def test_manual_tanh_backward_is_not_bit_exact_in_either_library():
    flags = []
    for lib in (torch, autograd_lab):
        lib.manual_seed(0)
        x = lib.randn(4000, requires_grad=True)
        h = lib.tanh(x)
        h.retain_grad()
        dh = lib.randn(4000)
        h.backward(dh)
        manual = (1.0 - h.detach() ** 2) * dh
        flags.append(bool(lib.all(manual == x.grad).item()))
    assert flags == [False, False]
