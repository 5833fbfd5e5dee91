"""``autograd.functional`` with ``vectorize=True`` and ``strategy="forward-mode"``: the same
Jacobians and Hessians as PyTorch (which batches with vmap and forward-mode AD), and PyTorch's
errors for the combinations it refuses. A forward-mode result stays attached to the graph its
tangents met (``requires_grad``, ``grad_fn``), and its derivative is PyTorch's and the finite
differences' one."""
from __future__ import annotations

import pytest

import autograd_lab as lab

from gradcheck_support import check_gradient, rand
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
        # (the forward-mode Hessian comes back attached to a graph: ReshapeAliasBackward0)
        return F.hessian(lambda t: (t ** 3).sum() * t.prod(), x, vectorize=True,
                         outer_jacobian_strategy=strategy)
    assert_same_outcome(program, rtol=1e-12, check_warnings=False)


def _cubic(x):
    return (x ** 3).sum() + x[0] * x[1] ** 2


def _curve(x):
    return x ** 2 * x[0]


FORWARD_MODE = {
    # (what to differentiate, the inputs' requires_grad, grad mode on)
    "jacobian": ("jacobian", True, True),
    "jacobian_input_without_grad": ("jacobian", False, True),
    "jacobian_under_no_grad": ("jacobian", True, False),
    "hessian": ("hessian", True, True),
    "hessian_input_without_grad": ("hessian", False, True),
}


@pytest.mark.parametrize("case", FORWARD_MODE)
def test_forward_mode_result_stays_attached_like_pytorch(case):
    what, requires_grad, grad_on = FORWARD_MODE[case]

    def program(torch):
        F = torch.autograd.functional
        x = torch.tensor([1., 2., 3.], dtype=torch.float64, requires_grad=requires_grad)
        with torch.set_grad_enabled(grad_on):
            if what == "jacobian":
                result = F.jacobian(_curve, x, strategy="forward-mode", vectorize=True)
            else:
                result = F.hessian(_cubic, x, outer_jacobian_strategy="forward-mode",
                                   vectorize=True)
        facts = [result, result.requires_grad, result.is_leaf]
        if result.requires_grad and requires_grad:  # differentiate once more, twice
            weights = torch.arange(9., dtype=torch.float64).view(3, 3)
            g, = torch.autograd.grad((result * weights).sum(), x, create_graph=True)
            gg, = torch.autograd.grad(g.sum(), x)
            facts += [g, gg]
        return facts
    out = assert_same_outcome(program, rtol=1e-12, check_warnings=False)
    assert out.error is None


def test_forward_mode_blocks_of_several_inputs_and_outputs():
    def program(torch):
        F = torch.autograd.functional
        torch.manual_seed(0)
        a = torch.randn(2, 2, dtype=torch.float64, requires_grad=True)
        b = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
        w = torch.randn(2, dtype=torch.float64, requires_grad=True)  # met by the tangents

        def f(a, b):
            return (a.exp() * b, (b ** 2).reshape(1), a.sum() * b, a[0] @ w)
        jac = F.jacobian(f, (a, b), strategy="forward-mode", vectorize=True)
        hess = F.hessian(lambda a, b: (a.sin() * b ** 3).sum(), (a, b), vectorize=True,
                         outer_jacobian_strategy="forward-mode")
        seen = F.jacobian(lambda v: v * w, torch.ones(2, dtype=torch.float64),
                          strategy="forward-mode", vectorize=True)
        g, = torch.autograd.grad(sum(block.sum() for row in jac for block in row), b)
        return jac, hess, seen, g
    out = assert_same_outcome(program, rtol=1e-12, check_warnings=False)
    assert out.error is None


def test_forward_mode_derivatives_match_finite_differences():
    F = lab.autograd.functional
    check_gradient("forward-mode jacobian", lambda x: F.jacobian(
        _curve, x, strategy="forward-mode", vectorize=True), (rand(3),))
    check_gradient("forward-over-reverse hessian", lambda x: F.hessian(
        lambda t: (t.sin() * t.prod()).sum(), x, outer_jacobian_strategy="forward-mode",
        vectorize=True), (rand(3, seed=1),))


@pytest.mark.xfail(strict=True, reason=(
    "a forward-mode Jacobian that does not depend on the inputs (x * 3, x @ M) requires grad "
    "in PyTorch, whose forward formulas for mul, div and matmul touch the primal; here it is "
    "computed in reverse mode, where nothing does"))
def test_forward_mode_constant_jacobian_requires_grad_as_pytorch():
    def program(torch):
        x = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
        return torch.autograd.functional.jacobian(lambda t: t * 3, x, strategy="forward-mode",
                                                  vectorize=True)
    assert_same_outcome(program, check_warnings=False)


@pytest.mark.parametrize("case", ["forward_not_vectorized", "forward_create_graph",
                                  "forward_strict", "vectorize_strict",
                                  "hessian_forward_not_vectorized",
                                  "hessian_forward_create_graph",
                                  "forward_output_not_a_tensor"])
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
        if case == "hessian_forward_create_graph":
            F.hessian(lambda t: (t ** 3).sum(), x, create_graph=True, vectorize=True,
                      outer_jacobian_strategy="forward-mode")
        if case == "forward_output_not_a_tensor":
            F.jacobian(lambda t: 3, x, strategy="forward-mode", vectorize=True)
    assert_same_error(program)
