"""The benchmark workloads, each written once and run against any torch-like library.

A workload is a function ``make(lib, size) -> step``: it builds inputs with ``lib`` (autograd_lab
or torch) and returns a no-argument ``step`` that does one forward + backward. The NumPy
baselines are hand-written next to the workloads they mirror.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

Step = Callable[[], Any]


def seed_graph(lib: Any, size: int = 1) -> Step:
    """The seeds' y = (x + w) * (w + 1), forward and backward."""
    x = lib.tensor([2.0], requires_grad=True)
    w = lib.tensor([1.0], requires_grad=True)

    def step() -> None:
        a = lib.add(x, w)
        b = lib.add(w, 1)
        y = lib.mul(a, b)
        y.backward()
    return step


def scalar_mix(lib: Any, size: int = 1000) -> Step:
    """``size`` scalar ops cycling through add, mul, pow and relu, forward and backward."""
    x = lib.tensor(0.5, requires_grad=True)
    w = lib.tensor(1.0001, requires_grad=True)

    def step() -> None:
        y = x
        for i in range(size // 4):
            y = y + w
            y = y * 0.999
            y = y ** 1.0001
            y = y.relu()
        y.backward()
    return step


def chain(lib: Any, size: int = 100_000) -> Step:
    """A chain of ``size`` ops (alternating add and mul on a 1-element tensor)."""
    x = lib.tensor([1.0], requires_grad=True)

    def step() -> None:
        y = x
        for i in range(size // 2):
            y = y * 1.0000001
            y = y + 0.5
        y.backward()
    return step


# -- the MLP training step -----------------------------------------------------------------------
MLP_SHAPE = (256, 784, 512, 10)


def _mlp_data(seed: int = 0) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    batch, n_in, n_hidden, n_out = MLP_SHAPE
    x = rng.standard_normal((batch, n_in)).astype(np.float32)
    t = rng.standard_normal((batch, n_out)).astype(np.float32)
    w1 = (rng.standard_normal((n_in, n_hidden)) * 0.03).astype(np.float32)
    b1 = np.zeros(n_hidden, np.float32)
    w2 = (rng.standard_normal((n_hidden, n_out)) * 0.03).astype(np.float32)
    b2 = np.zeros(n_out, np.float32)
    return x, t, w1, b1, w2, b2


def mlp_step(lib: Any, size: int = 0, lr: float = 0.01) -> Step:
    """One SGD step of a 784-512-10 ReLU MLP with MSE loss on a batch of 256 (float32)."""
    x, t, *weights = _mlp_data()
    x, t = lib.from_numpy(x), lib.from_numpy(t)
    params = [lib.from_numpy(p.copy()).requires_grad_() for p in weights]
    w1, b1, w2, b2 = params

    def step() -> None:
        h = (x @ w1 + b1).relu()
        out = h @ w2 + b2
        loss = ((out - t) ** 2).mean()
        loss.backward()
        with lib.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad = None
    return step


def mlp_step_numpy(lr: float = 0.01) -> Step:
    """The same step written by hand in NumPy: the baseline for speed and memory."""
    x, t, w1, b1, w2, b2 = _mlp_data()
    n = t.size

    def step() -> None:
        pre = x @ w1 + b1
        h = np.maximum(pre, 0)
        out = h @ w2 + b2
        diff = out - t
        _loss = (diff * diff).mean()
        d_out = diff * (2.0 / n)
        d_w2 = h.T @ d_out
        d_b2 = d_out.sum(0)
        d_h = d_out @ w2.T
        d_pre = d_h * (pre > 0)
        d_w1 = x.T @ d_pre
        d_b1 = d_pre.sum(0)
        for p, g in ((w1, d_w1), (b1, d_b1), (w2, d_w2), (b2, d_b2)):
            p -= lr * g
    return step
