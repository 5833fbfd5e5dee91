"""The benchmark's workloads compute what they claim: the makemore MLP step written three ways
(autograd_lab, PyTorch, hand-written NumPy) trains the same parameters, and autograd_lab's
gradients of one step agree with finite differences. (Speed is measured in bench/, not here.)
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import autograd_lab
from oracle import need_torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import workloads  # noqa: E402

STEPS = 5


def _trained(step) -> list[np.ndarray]:
    for _ in range(STEPS):
        step()
    return [p if isinstance(p, np.ndarray) else p.detach().numpy() for p in step.parameters]


def test_makemore_step_numpy_matches_autograd_lab() -> None:
    ours = _trained(workloads.makemore_step(autograd_lab))
    by_hand = _trained(workloads.makemore_step_numpy())
    start = workloads._makemore_data()[3:]
    for a, b, p0 in zip(ours, by_hand, start):
        assert a.shape == b.shape == p0.shape
        assert not np.array_equal(a, p0)  # the step did train every parameter
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_makemore_step_matches_pytorch() -> None:
    torch = need_torch()
    ours = _trained(workloads.makemore_step(autograd_lab))
    theirs = _trained(workloads.makemore_step(torch))
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_makemore_loss_gradient_matches_finite_differences() -> None:
    xs, ys, batches, *weights = workloads._makemore_data()
    ix = batches[0]
    lib = autograd_lab
    params = [lib.tensor(w.astype(np.float64), requires_grad=True) for w in weights]
    C, W1, b1, W2, b2 = params
    X, Y = lib.from_numpy(xs[ix]), lib.from_numpy(ys[ix])

    def loss_of(values: list[np.ndarray]) -> float:
        c, w1, v1, w2, v2 = (lib.from_numpy(v) for v in values)
        h = lib.tanh(c[X].view(-1, 30) @ w1 + v1)
        return lib.nn.functional.cross_entropy(h @ w2 + v2, Y).item()

    h = lib.tanh(C[X].view(-1, 30) @ W1 + b1)
    lib.nn.functional.cross_entropy(h @ W2 + b2, Y).backward()
    rng = np.random.default_rng(1)
    values = [p.detach().numpy().copy() for p in params]
    eps = 1e-6
    for k, p in enumerate(params):
        for _ in range(3):  # three random entries of each parameter
            i = tuple(int(rng.integers(n)) for n in values[k].shape)
            plus = [v.copy() for v in values]
            minus = [v.copy() for v in values]
            plus[k][i] += eps
            minus[k][i] -= eps
            numeric = (loss_of(plus) - loss_of(minus)) / (2 * eps)
            assert p.grad.numpy()[i] == pytest.approx(numeric, rel=1e-4, abs=1e-8)
