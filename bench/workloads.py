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


# -- the makemore MLP training step (nn-zero-to-hero, makemore parts 2 and 3) --------------------
# A character-level language model: 27 characters, each embedded in 10 numbers; the last 3
# characters (30 numbers) feed 200 tanh units, then 27 logits and a cross-entropy loss; plain
# SGD on a batch of 32. This is the step learners run for hours in those lessons (float32).
MAKEMORE_SHAPE = (27, 10, 3, 200, 32)  # vocabulary, embedding, block, hidden, batch


def _makemore_data(seed: int = 0) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    vocab, emb, block, hidden, batch = MAKEMORE_SHAPE
    n_words = 4096
    xs = rng.integers(0, vocab, (n_words, block))
    ys = rng.integers(0, vocab, n_words)
    c = rng.standard_normal((vocab, emb)).astype(np.float32)
    w1 = (rng.standard_normal((block * emb, hidden)) * 0.2).astype(np.float32)
    b1 = (rng.standard_normal(hidden) * 0.01).astype(np.float32)
    w2 = (rng.standard_normal((hidden, vocab)) * 0.01).astype(np.float32)
    b2 = np.zeros(vocab, np.float32)
    # the batches, drawn once (the same for every library): batch i is rows batches[i]
    batches = rng.integers(0, n_words, (64, batch))
    return xs, ys, batches, c, w1, b1, w2, b2


def makemore_step(lib: Any, size: int = 0, lr: float = 0.1) -> Step:
    """One SGD step of the makemore MLP: ``emb = C[Xb]``, a tanh layer of 200, cross-entropy
    over 27 characters, batch 32 (the lesson's code, line for line)."""
    xs, ys, batches, *weights = _makemore_data()
    X, Y = lib.from_numpy(xs), lib.from_numpy(ys)
    ix_batches = [lib.from_numpy(b) for b in batches]
    parameters = [lib.from_numpy(p.copy()) for p in weights]
    C, W1, b1, W2, b2 = parameters
    for p in parameters:
        p.requires_grad = True
    F = lib.nn.functional
    counter = [0]
    _, emb_size, block, _, _ = MAKEMORE_SHAPE

    def step() -> None:
        ix = ix_batches[counter[0] % len(ix_batches)]
        counter[0] += 1
        emb = C[X[ix]]
        h = lib.tanh(emb.view(-1, block * emb_size) @ W1 + b1)
        logits = h @ W2 + b2
        loss = F.cross_entropy(logits, Y[ix])
        for p in parameters:
            p.grad = None
        loss.backward()
        for p in parameters:
            p.data += -lr * p.grad
    step.parameters = parameters  # type: ignore[attr-defined]  (for the tests' comparison)
    return step


def makemore_step_numpy(lr: float = 0.1) -> Step:
    """The same step written by hand in NumPy (forward, the backward by the chain rule, SGD)."""
    xs, ys, batches, C, W1, b1, W2, b2 = _makemore_data()
    C, W1, b1, W2, b2 = (p.copy() for p in (C, W1, b1, W2, b2))
    counter = [0]
    vocab, emb_size, block, _, batch = MAKEMORE_SHAPE
    rows = np.arange(batch)

    def step() -> None:
        ix = batches[counter[0] % len(batches)]
        counter[0] += 1
        xb, yb = xs[ix], ys[ix]
        emb = C[xb].reshape(batch, block * emb_size)
        h = np.tanh(emb @ W1 + b1)
        logits = h @ W2 + b2
        shifted = logits - logits.max(1, keepdims=True)
        exp = np.exp(shifted)
        probs = exp / exp.sum(1, keepdims=True)
        _loss = -np.log(probs[rows, yb]).mean()
        d_logits = probs
        d_logits[rows, yb] -= 1
        d_logits /= batch
        d_W2 = h.T @ d_logits
        d_b2 = d_logits.sum(0)
        d_pre = (d_logits @ W2.T) * (1 - h * h)
        d_W1 = emb.T @ d_pre
        d_b1 = d_pre.sum(0)
        d_emb = (d_pre @ W1.T).reshape(batch, block, emb_size)
        d_C = np.zeros_like(C)
        np.add.at(d_C, xb, d_emb)
        for p, g in ((C, d_C), (W1, d_W1), (b1, d_b1), (W2, d_W2), (b2, d_b2)):
            p -= lr * g
    step.parameters = [C, W1, b1, W2, b2]  # type: ignore[attr-defined]
    return step
