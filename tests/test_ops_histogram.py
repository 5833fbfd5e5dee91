"""``torch.histogram`` as PyTorch's, bit for bit: counts, edges, density,
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
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_edges_and_density_bit_for_bit(seed, dtype):
    # the edges follow PyTorch's linspace arithmetic, so every value lands in the same bin
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(500) * np.exp(rng.standard_normal())).astype(dtype)
    bins = int(rng.integers(1, 150))
    expected = torch.histogram(torch.from_numpy(x), bins=bins, density=True)
    got = autograd_lab.histogram(autograd_lab.tensor(x), bins=bins, density=True)
    assert got.bin_edges.numpy().tobytes() == expected.bin_edges.numpy().tobytes()
    assert got.hist.numpy().tobytes() == expected.hist.numpy().tobytes()
