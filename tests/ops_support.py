"""What the ``test_ops_*`` files share: hypothesis strategies for shapes and values, and
``check_against_torch``, which runs one op under PyTorch and autograd_lab and compares

* the forward result (values, dtype, shape, ``requires_grad``, ``grad_fn`` name) and the graph
  below it (``oracle.graph_signature``: node names, ``next_functions``, shared nodes);
* the first derivatives (a ``backward`` with a fixed seed gradient) and the warnings/errors;
* the graph ``autograd.grad(..., create_graph=True)`` records for the first derivatives, and
  the second derivatives computed from it.

Values are drawn as float32 NumPy arrays, so both libraries see exactly the same inputs.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from oracle import assert_same_outcome, graph_signature

# numbers that make ties and exact zeros likely (kinks of max/clamp/abs, prod with zeros)
TIES = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 0, max_side: int = 3):
    return st.lists(st.integers(min_side, max_side), min_size=min_dims,
                    max_size=max_dims).map(tuple)


def values_for(draw, shape: tuple, kind: str = "any") -> np.ndarray:
    """A float32 array of ``shape`` (size-0 dims kept, which nested lists would lose):
    ``any``, ``pos`` (0.25..3), ``nonzero``, ``ties`` (from TIES), ``small`` (-1..1)."""
    n = int(np.prod(shape)) if shape else 1
    if kind == "ties":
        flat = draw(st.lists(st.sampled_from(TIES), min_size=n, max_size=n))
    else:
        lo, hi = {"any": (-3.0, 3.0), "pos": (0.25, 3.0), "nonzero": (0.25, 3.0),
                  "small": (-1.0, 1.0), "unit": (-0.9, 0.9)}[kind]
        flat = draw(st.lists(st.floats(lo, hi, width=32), min_size=n, max_size=n))
        if kind == "nonzero":
            signs = draw(st.lists(st.booleans(), min_size=n, max_size=n))
            flat = [v if s else -v for v, s in zip(flat, signs)]
    return np.asarray(flat, dtype=np.float32).reshape(shape)


def broadcastable(draw, shape: tuple) -> tuple:
    """A shape that broadcasts with ``shape``: some dims set to 1, some leading dims dropped."""
    ones = draw(st.lists(st.booleans(), min_size=len(shape), max_size=len(shape)))
    other = tuple(1 if o else n for n, o in zip(shape, ones))
    drop = draw(st.integers(0, len(other)))
    return other[drop:]


def _seed_like(torch, t, seed: int):
    rng = np.random.default_rng(seed)
    vals = rng.uniform(0.5, 1.5, size=tuple(t.shape)).astype(np.float32)
    return torch.tensor(vals.tolist(), dtype=t.dtype)


def _float_outputs(out) -> list:
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return [o for o in outs if hasattr(o, "requires_grad") and o.requires_grad]


def run_op(torch, f, inputs, dtype_name: str, second: bool, requires_grad=None):
    """The comparable facts of ``f(torch, *leaves)`` for inputs given as nested lists."""
    dtype = getattr(torch, dtype_name)
    rg = requires_grad or [True] * len(inputs)
    xs = [torch.tensor(v, dtype=dtype, requires_grad=r) for v, r in zip(inputs, rg)]
    out = f(torch, *xs)
    facts = {"out": out}
    outs = _float_outputs(out)
    facts["graphs"] = [graph_signature(o) for o in outs]
    leaves = [x for x in xs if x.requires_grad]
    if not outs or not leaves:
        return facts
    seeds = [_seed_like(torch, o, 9 + i) for i, o in enumerate(outs)]
    total = sum((o * s).sum() for o, s in zip(outs, seeds))
    grads = torch.autograd.grad(total, leaves, create_graph=second, allow_unused=True)
    facts["grads"] = list(grads)
    if second:
        facts["grad_graphs"] = [graph_signature(g) if g is not None else None for g in grads]
        used = [g for g in grads if g is not None and g.requires_grad]
        if used:
            total2 = sum((g * _seed_like(torch, g, 20 + i)).sum() for i, g in enumerate(used))
            facts["grads2"] = list(torch.autograd.grad(total2, leaves, allow_unused=True))
    return facts


def check_against_torch(f, inputs, *, dtype: str = "float32", second: bool = True,
                        requires_grad=None, rtol: float = 1e-4, atol: float = 1e-5):
    """``f(torch, *leaves)`` under both libraries: results, graphs, first and second
    derivatives and the graphs of the first derivatives must agree."""
    return assert_same_outcome(
        lambda torch: run_op(torch, f, inputs, dtype, second, requires_grad),
        rtol=rtol, atol=atol)
