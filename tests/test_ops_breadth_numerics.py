"""Numbers to PyTorch's last bit: torch.arange and torch.linspace over float grids (float32 and
float64), and float32 sigmoid on many random inputs (PyTorch's kernel: SLEEF's vector exp);
the fused multiply-add they rest on."""
import math
from fractions import Fraction

import numpy as np
import pytest

import autograd_lab as lab
from autograd_lab.fma import fma
from oracle import assert_same_error, need_torch


def _grids(seed: int, count: int) -> list:
    rng = np.random.default_rng(seed)
    cases = [(0, 1, 0.1), (-3, 3, 0.7), (0, 10, 0.3), (-1, 1, 0.01), (1.5, 20.2, 0.37),
             (0, 5, 0.25), (-5, 5, 0.13), (0.1, 7.3, 0.11), (10, -10, -0.3), (0, 100, 0.017)]
    for _ in range(count):
        a = float(rng.uniform(-10, 10))
        s = float(rng.uniform(0.001, 1)) * float(rng.choice([-1, 1]))
        cases.append((a, a + s * float(rng.uniform(1, 3000)), s))
    return cases


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_arange_bit_exact(dtype):
    torch = need_torch()
    for start, end, step in _grids(0, 150):
        want = torch.arange(start, end, step, dtype=getattr(torch, dtype)).numpy()
        got = lab.arange(start, end, step, dtype=getattr(lab, dtype)).numpy()
        assert got.dtype == want.dtype and np.array_equal(got, want), (start, end, step)


def test_arange_default_dtype_and_integers_as_torch():
    torch = need_torch()
    for args in [(5,), (1, 4), (0, 10, 3), (10, 0, -3), (0.0, 1, 0.1), (5.0,), (-3, 3, 0.7)]:
        want, got = torch.arange(*args), lab.arange(*args)
        assert str(got.dtype) == str(want.dtype) and got.tolist() == want.tolist(), args


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_linspace_bit_exact(dtype):
    torch = need_torch()
    rng = np.random.default_rng(1)
    cases = [(-1, 1, 21), (0, 1, 11), (-3, 3, 100), (0, 10, 7), (-5.5, 2.25, 33), (0, 1, 1000),
             (3, 3, 4), (0, 1, 2), (0, 1, 1), (0, 1, 0)]
    for _ in range(150):
        a = float(rng.uniform(-10, 10))
        cases.append((a, a + float(rng.uniform(0.01, 20)) * float(rng.choice([-1, 1])),
                      int(rng.integers(2, 300))))
    for start, end, steps in cases:
        want = torch.linspace(start, end, steps, dtype=getattr(torch, dtype)).numpy()
        got = lab.linspace(start, end, steps, dtype=getattr(lab, dtype)).numpy()
        assert np.array_equal(got, want), (start, end, steps)


def test_linspace_middle_value_is_torchs():
    # known: counting down from end for the second half leaves -1.4901e-08 at the middle
    assert lab.linspace(-1, 1, 21)[10].item() == -1.4901161193847656e-08


@pytest.mark.parametrize("args", [(0, 5, -1), (5, 0), (0, 5, 0), (0, float("inf"))])
def test_arange_errors_as_torch(args):
    assert_same_error(lambda torch: torch.arange(*args))


def test_sigmoid_float32_bit_exact_on_random_inputs():
    torch = need_torch()
    rng = np.random.default_rng(3)
    mismatched = total = 0
    for n in [1, 5, 31, 32, 33, 100, 1000, 100000]:
        x = rng.normal(0, 5, n).astype(np.float32)
        got = lab.sigmoid(lab.tensor(x)).numpy()
        want = torch.sigmoid(torch.from_numpy(x)).numpy()
        mismatched += int((got != want).sum())
        total += n
    # the vector part is exact; the few leftover elements use the correctly rounded exp, which
    # the C library's expf (PyTorch's there) misses about twice in ten thousand
    assert mismatched <= total * 1e-4, (mismatched, total)
    x = np.concatenate([rng.uniform(-110, 110, 64), [0, -0.0, 88, -88, 104, -104, 105, -105,
                                                     1e30, -1e30, np.inf, -np.inf, np.nan]])
    x = x[: (len(x) // 32) * 32].astype(np.float32)  # all in the vector part
    assert np.array_equal(lab.sigmoid(lab.tensor(x)).numpy(),
                          torch.sigmoid(torch.from_numpy(x)).numpy(), equal_nan=True)


def test_sigmoid_module_and_method_use_the_same_numbers():
    x = lab.tensor(np.random.default_rng(4).normal(0, 3, 70).astype(np.float32))
    a = lab.sigmoid(x).numpy()
    assert np.array_equal(x.sigmoid().numpy(), a)
    assert np.array_equal(lab.nn.Sigmoid()(x).numpy(), a)


def test_fma_rounds_once():
    # 3 * 0.7 - 3: the exact product minus 3, rounded once, is -0.9000000000000001
    assert fma(3.0, 0.7, -3.0) == -0.9000000000000001
    assert 3.0 * 0.7 - 3.0 == -0.9000000000000004  # (two roundings)
    rng = np.random.default_rng(5)
    a, b, c = rng.normal(size=(3, 2000))
    got = fma(a, b, c)
    exact = [float(Fraction(x) * Fraction(y) + Fraction(z)) for x, y, z in zip(a, b, c)]
    assert np.array_equal(got, np.array(exact))
    assert math.isinf(fma(1e308, 10.0, 0.0)) and math.isnan(fma(np.nan, 1.0, 1.0))
