"""Gradient checks with the suite's tolerances, and seeded float64 leaves to run them on.

``check_gradient(name, f, inputs)`` runs ``gradcheck`` with this file's tolerances: ``eps`` 1e-6
and ``|analytical - numerical| <= 1e-5 + 1e-5 |numerical|`` for every Jacobian element (the
default ``rtol``, 1e-3, would be looser), and ``check_grad_dtypes=True``: every gradient has its
input's shape and dtype. gradcheck also rebuilds the analytical Jacobian (a backward must give
the same answer twice) and checks that a backward multiplies by its incoming gradient and
copes with undefined ones. A failure names the op.

``check_second_derivative`` runs ``gradgradcheck``: gradcheck of ``(x, v) -> autograd.grad(f(x),
x, v, create_graph=True)``, the second derivatives by differentiating the recorded backward. The
weights ``v`` (``grad_outputs``) are fixed, seeded, in [0.5, 1.5), and require grad, so the first
derivative is checked against them too.
"""
import numpy as np
import pytest

import autograd_lab as lab
from autograd_lab.autograd import GradcheckError, gradcheck, gradgradcheck

EPS = 1e-6
ATOL = 1e-5
RTOL = 1e-5


def flat_outputs(out):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return [o for o in outs if o is not None]


def check_gradient(name, f, inputs):
    """Analytical vs numerical Jacobian of ``f`` w.r.t. every input; fails naming ``name``."""
    try:
        gradcheck(f, inputs, eps=EPS, atol=ATOL, rtol=RTOL, check_grad_dtypes=True)
    except GradcheckError as exc:
        message = f"{name}: {exc}"
    else:
        return
    pytest.fail(message, pytrace=False)  # (outside the except: no chained traceback)


def check_second_derivative(name, f, inputs, seed=0):
    """gradgradcheck of ``f`` with fixed random weights of its outputs (``grad_outputs``)."""
    rng = np.random.default_rng(seed)
    weights = tuple(lab.tensor(rng.uniform(0.5, 1.5, size=tuple(o.shape)), dtype=lab.float64,
                               requires_grad=True)
                    for o in flat_outputs(f(*inputs)) if o.requires_grad)
    try:
        gradgradcheck(f, inputs, weights, eps=EPS, atol=ATOL, rtol=RTOL,
                      check_grad_dtypes=True)
    except GradcheckError as exc:
        message = f"{name} (second derivative): {exc}"
    else:
        return
    pytest.fail(message, pytrace=False)


def leaf(values, low=None):
    return lab.tensor(np.asarray(values, dtype=np.float64), dtype=lab.float64,
                      requires_grad=True)


def rand(*shape, low=-2.0, high=2.0, seed=0, away_from=None):
    """Random float64 leaf; ``away_from``: keep every element at least 0.2 from that value
    (kinks of abs/relu, poles of div/log)."""
    rng = np.random.default_rng(seed + 7 * len(shape) + sum(shape))
    v = rng.uniform(low, high, size=shape)
    if away_from is not None:
        near = np.abs(v - away_from) < 0.2
        v[near] = away_from + np.where(v[near] >= away_from, 0.3, -0.3)
    return leaf(v)


def pos(*shape, seed=0):
    return rand(*shape, low=0.5, high=2.0, seed=seed)
