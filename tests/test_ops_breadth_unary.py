"""log10, log2, hyperbolic and inverse trigonometric functions, exp2, rsqrt, erf, frac and
atan2: values, node names, first and second derivatives (and the graphs of the first) as
PyTorch's; finite differences; the in-place forms and Tensor methods."""
import warnings

import numpy as np
import pytest

import autograd_lab as lab
from gradcheck_support import check_gradient, check_second_derivative, leaf
from ops_support import check_against_torch
from oracle import assert_same_error, assert_same_outcome

# (name, inputs inside the function's domain, away from poles)
UNARY = [
    ("log10", [[0.3, 1.5], [2.0, 7.0]]),
    ("log2", [[0.3, 1.5], [2.0, 7.0]]),
    ("sinh", [[-1.2, 0.3], [0.8, 2.0]]),
    ("cosh", [[-1.2, 0.3], [0.8, 2.0]]),
    ("tan", [[-1.2, 0.3], [0.8, 1.1]]),
    ("asin", [[-0.7, 0.3], [0.1, 0.6]]),
    ("acos", [[-0.7, 0.3], [0.1, 0.6]]),
    ("atan", [[-3.0, 0.3], [0.8, 2.0]]),
    ("asinh", [[-3.0, 0.3], [0.8, 2.0]]),
    ("acosh", [[1.5, 2.3], [3.0, 7.0]]),
    ("atanh", [[-0.7, 0.3], [0.1, 0.6]]),
    ("exp2", [[-3.0, 0.3], [0.8, 2.5]]),
    ("rsqrt", [[0.3, 1.5], [2.0, 7.0]]),
    ("erf", [[-1.5, 0.3], [0.05, 2.0]]),
    ("frac", [[-1.25, 0.3], [2.75, 7.5]]),
]


@pytest.mark.parametrize("name, values", UNARY, ids=[u[0] for u in UNARY])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unary_matches_torch_to_second_order(name, values, dtype):
    check_against_torch(lambda torch, x: getattr(torch, name)(x), [values], dtype=dtype)


@pytest.mark.parametrize("name, values", UNARY, ids=[u[0] for u in UNARY])
def test_unary_method_and_inplace_forms(name, values):
    def program(torch):
        x = torch.tensor(values, requires_grad=True)
        y = x * 1
        method = getattr(y, name)()
        z = y.clone()
        same = getattr(z, name + "_")()
        (method.sum() + same.sum() * 2).backward()
        return method, same is z, z, x.grad, z._version
    assert_same_outcome(program, rtol=1e-5)


@pytest.mark.parametrize("name, values", UNARY, ids=[u[0] for u in UNARY])
def test_unary_finite_differences(name, values):
    f = getattr(lab, name)
    check_gradient(name, f, (leaf(values),))
    check_second_derivative(name, f, (leaf(values),))


def test_atan2_matches_torch_with_broadcasting():
    check_against_torch(lambda torch, y, x: torch.atan2(y, x),
                        [[[0.5, -1.0], [2.0, -0.3]], [[1.5], [-0.7]]])
    check_gradient("atan2", lab.atan2, (leaf([[0.5, -1.0], [2.0, -0.3]]), leaf([1.5, -0.7])))


def test_integer_inputs_become_the_default_float_and_domain_errors_are_quiet():
    def program(torch):
        return (torch.log10(torch.tensor([1, 10, 100])), torch.log2(torch.tensor([0, -1, 8])),
                torch.asin(torch.tensor([2.0])), torch.rsqrt(torch.tensor([0.0, -1.0])),
                torch.acosh(torch.tensor([0.5])), torch.atanh(torch.tensor([1.0, -1.0])))
    out = assert_same_outcome(program)
    assert out.warnings == []
    assert out.value[0].tolist() == [0.0, 1.0, 2.0]


def test_frac_refuses_integers_as_torch():
    assert_same_outcome(lambda torch: torch.frac(torch.tensor([3, 4])))


def test_erf_known_values():
    # erf(1) = 0.8427007929497149 (Abramowitz & Stegun 7.1)
    got = lab.erf(lab.tensor([1.0, -1.0, 0.0], dtype=lab.float64))
    np.testing.assert_allclose(got.tolist(), [0.8427007929497149, -0.8427007929497149, 0.0],
                               rtol=1e-15)


@pytest.mark.parametrize("name", [u[0] for u in UNARY])
def test_every_new_node_explains_itself(name):
    x = lab.tensor([0.5], requires_grad=True)
    node = getattr(lab, name)(x).grad_fn
    assert "{0}" in type(node).explanation.formula or name == "frac"
    assert len(type(node).explanation.grads) == len(node.next_functions)


def test_atan2_gradient_at_the_origin_is_zero_as_torch():
    def program(torch):
        y = torch.tensor([0.0, 1.0], requires_grad=True)
        x = torch.tensor([0.0, 0.0], requires_grad=True)
        torch.atan2(y, x).sum().backward()
        return y.grad, x.grad
    out = assert_same_outcome(program)
    assert out.value[0].tolist() == [0.0, 0.0] and out.value[1].tolist() == [0.0, -1.0]


def test_overflow_past_float32_is_silent_as_torch():
    # computed in double precision, then rounded to float32: the rounding overflows to inf, and
    # PyTorch says nothing about it (NumPy's cast would warn "overflow encountered in cast")
    def prog(t):
        x = t.tensor([100.0, -100.0, 1.0])
        return t.cosh(x), t.sinh(x), t.exp(x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outcome = assert_same_outcome(prog)
    assert outcome.value[0].tolist()[:2] == [float("inf"), float("inf")]


def test_abs_refuses_bool_as_torch():
    assert_same_error(lambda t: t.abs(t.tensor([True, False])))
