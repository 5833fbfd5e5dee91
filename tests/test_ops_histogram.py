"""``torch.histogram`` as PyTorch's: counts (exactly), edges (to float32 rounding), density,
weights, given edges, NaN and out-of-range values skipped, and PyTorch's errors."""
from __future__ import annotations

import numpy as np
import pytest

import autograd_lab

torch = pytest.importorskip("torch")


def _shown(lib, program):
    lib.manual_seed(3)
    try:
        return repr(program(lib)).replace("autograd_lab", "torch")
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


PROGRAMS = {
    "constant_input_widens_the_range": lambda t: t.histogram(t.ones(3), bins=4),
    "range": lambda t: t.histogram(t.arange(10.0), bins=3, range=(2.0, 5.0)),
    "given_edges": lambda t: t.histogram(t.arange(10.0), bins=t.tensor([0.0, 2.0, 9.0])),
    "weights": lambda t: t.histogram(t.arange(10.0), bins=3, weight=t.arange(10.0)),
    "randn_counts": lambda t: t.histogram(t.randn(1000), bins=10),
    "density": lambda t: t.histogram(t.randn(1000), bins=7, density=True),
    "float64_density": lambda t: t.histogram(t.randn(100, 100).double(), bins=10, density=True),
    "nan_skipped": lambda t: t.histogram(t.tensor([1.0, float("nan"), 2.0]), bins=2),
    "long_input": lambda t: t.histogram(t.ones(3, dtype=t.long)),
    "zero_bins": lambda t: t.histogram(t.arange(5.0), bins=0),
    "reversed_range": lambda t: t.histogram(t.arange(5.0), bins=2, range=(3.0, 1.0)),
    "infinite_range": lambda t: t.histogram(t.tensor([1.0, float("inf")])),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_as_torch(name):
    assert _shown(autograd_lab, PROGRAMS[name]) == _shown(torch, PROGRAMS[name])


@pytest.mark.parametrize("seed", range(20))
def test_counts_of_a_hundred_bins(seed):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(500) * np.exp(rng.standard_normal())).astype(np.float32)
    expected = torch.histogram(torch.from_numpy(x), bins=100, density=True)
    got = autograd_lab.histogram(autograd_lab.tensor(x), bins=100, density=True)
    assert np.allclose(got.bin_edges.numpy(), expected.bin_edges.numpy(), rtol=1e-6,
                       atol=1e-6 * np.abs(x).max())
    assert np.allclose(got.hist.numpy(), expected.hist.numpy(), rtol=1e-5)
    assert got.hist.numpy().sum() > 0 and got.hist.dtype == autograd_lab.float32
