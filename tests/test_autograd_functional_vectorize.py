"""``autograd.functional`` with ``vectorize=True`` and ``strategy="forward-mode"``: the same
Jacobians and Hessians as PyTorch (which batches with vmap and forward-mode AD), and PyTorch's
errors for the combinations it refuses."""
from __future__ import annotations

import pytest

from oracle import assert_same_error, assert_same_outcome


def _f(torch):
    def f(x, y):
        return (x ** 2 * y.sum(), torch.sin(x) @ y.view(3, 1))
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    y = torch.tensor([1.5, 0.25, -0.75], dtype=torch.float64)
    return f, (x, y)


@pytest.mark.parametrize("strategy", ["reverse-mode", "forward-mode"])
def test_jacobian_vectorized(strategy):
    def program(torch):
        f, inputs = _f(torch)
        F = torch.autograd.functional
        return (F.jacobian(f, inputs, vectorize=True, strategy=strategy),
                F.jacobian(lambda x: x.exp(), inputs[0], vectorize=True, strategy=strategy),
                F.jacobian(lambda x: x.sum() * 0 + 1, inputs[0], vectorize=True,
                           strategy=strategy))
    # (PyTorch's first vmap also warns that torch.jit.script is deprecated: its own internals)
    assert_same_outcome(program, rtol=1e-12, check_warnings=False)


def test_docstring_example_shape():
    def program(torch):
        torch.manual_seed(0)
        x = torch.randn(2, 2)
        y = torch.randn(2, 2)

        def exp_adder(a, b):
            return 2 * a.exp() + 3 * b
        jac = torch.autograd.functional.jacobian(exp_adder, (x, y), vectorize=True)
        return jac[0][0].shape, jac[1][0].shape, jac
    assert_same_outcome(program, check_warnings=False)


@pytest.mark.parametrize("strategy", ["reverse-mode", "forward-mode"])
def test_hessian_vectorized(strategy):
    def program(torch):
        x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
        F = torch.autograd.functional
        h = F.hessian(lambda t: (t ** 3).sum() * t.prod(), x, vectorize=True,
                      outer_jacobian_strategy=strategy)
        # PyTorch's forward-mode Hessian comes back still attached to a graph (a leak of its
        # implementation, ReshapeAliasBackward0); the values are what is compared
        return h.detach()
    assert_same_outcome(program, rtol=1e-12, check_warnings=False)


@pytest.mark.parametrize("case", ["forward_not_vectorized", "forward_create_graph",
                                  "forward_strict", "vectorize_strict",
                                  "hessian_forward_not_vectorized"])
def test_errors(case):
    def program(torch):
        x = torch.tensor([1., 2.])
        F = torch.autograd.functional
        if case == "forward_not_vectorized":
            F.jacobian(torch.exp, x, strategy="forward-mode")
        if case == "forward_create_graph":
            F.jacobian(torch.exp, x, strategy="forward-mode", vectorize=True, create_graph=True)
        if case == "forward_strict":
            F.jacobian(torch.exp, x, strategy="forward-mode", vectorize=True, strict=True)
        if case == "vectorize_strict":
            F.jacobian(torch.exp, x, vectorize=True, strict=True)
        if case == "hessian_forward_not_vectorized":
            F.hessian(lambda t: (t ** 3).sum(), x, outer_jacobian_strategy="forward-mode")
    assert_same_error(program)
