"""``gradcheck``/``gradgradcheck`` and ``autograd.functional`` against PyTorch."""
import pytest

import autograd_lab as lab

from oracle import assert_same_error, assert_same_outcome


def _bad_square(torch):
    class BadSquare(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 3 * x * g  # should be 2 x
    return BadSquare


def _inputs(torch, dtype=None):
    dtype = dtype or torch.float64
    x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=dtype, requires_grad=True)
    w = torch.tensor([0.3, -0.2, 0.7], dtype=dtype, requires_grad=True)
    return x, w


FUNCS = {
    "pointwise": lambda torch, x, w: (x * w).exp(),
    "reduce": lambda torch, x, w: (x ** 2).sum(1),
    "matmul": lambda torch, x, w: x @ w,
    "two_outputs": lambda torch, x, w: (x * w, (x - w).abs().sum()),
    "tanh_softmax": lambda torch, x, w: torch.softmax(torch.tanh(x) * w, dim=1),
}


@pytest.mark.parametrize("name", sorted(FUNCS))
def test_gradcheck_and_gradgradcheck_pass(name):
    def program(torch):
        x, w = _inputs(torch)
        f = lambda a, b: FUNCS[name](torch, a, b)  # noqa: E731
        torch.manual_seed(0)  # gradgradcheck draws its grad_outputs from the generator
        return torch.autograd.gradcheck(f, (x, w)), torch.autograd.gradgradcheck(f, (x, w))
    assert_same_outcome(program)


def test_gradcheck_reports_the_jacobian_mismatch():
    def program(torch):
        x, _ = _inputs(torch)
        torch.autograd.gradcheck(_bad_square(torch).apply, (x[0].detach().requires_grad_(),))
    assert_same_error(program)


def test_gradcheck_without_raising_returns_false():
    def program(torch):
        x, _ = _inputs(torch)
        return torch.autograd.gradcheck(_bad_square(torch).apply, (x,), raise_exception=False)
    assert_same_outcome(program)


def test_gradgradcheck_reports_a_wrong_second_derivative():
    def program(torch):
        class Cube(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return 3 * (x.detach() ** 2) * g  # first derivative right, not differentiable
        x = torch.tensor([0.5, -1.5], dtype=torch.float64, requires_grad=True)
        first = torch.autograd.gradcheck(Cube.apply, (x,))
        torch.manual_seed(3)
        torch.autograd.gradgradcheck(Cube.apply, (x,))
        return first
    assert_same_error(program)


def test_gradcheck_float32_warns_and_may_fail():
    def program(torch):
        x, w = _inputs(torch, torch.float32)
        return torch.autograd.gradcheck(lambda a: (a * a).sum(), (x,), eps=1e-3, atol=1e-2,
                                        raise_exception=False)
    assert_same_outcome(program)


@pytest.mark.parametrize("case", ["no_input_requires_grad", "not_multiplied_by_grad_output",
                                  "undefined_grad", "non_differentiable_output",
                                  "expanded_input"])
def test_gradcheck_checks(case):
    def program(torch):
        F = torch.autograd.Function
        x = torch.tensor([0.5, 2.0], dtype=torch.float64, requires_grad=True)

        class Ignores(F):  # right on every one-hot grad_output, but not zero for zero
            @staticmethod
            def forward(ctx, a):
                return a * 2

            @staticmethod
            def backward(ctx, g):
                return g * 2 + (g.abs().sum() == 0).double()

        class Undefined(F):  # a gradient out of nothing when no gradient comes in
            @staticmethod
            def forward(ctx, a):
                ctx.set_materialize_grads(False)
                return a * 2

            @staticmethod
            def backward(ctx, g):
                return torch.ones(2, dtype=torch.float64) if g is None else g * 2

        if case == "no_input_requires_grad":
            return torch.autograd.gradcheck(lambda a: a * 2, (x.detach(),))
        if case == "not_multiplied_by_grad_output":
            return torch.autograd.gradcheck(Ignores.apply, (x,))
        if case == "undefined_grad":
            return (torch.autograd.gradcheck(Undefined.apply, (x,), check_undefined_grad=False),
                    torch.autograd.gradcheck(Undefined.apply, (x,)))
        if case == "non_differentiable_output":
            return torch.autograd.gradcheck(lambda a: (a * 2).detach(), (x,))
        return torch.autograd.gradcheck(lambda a: a * 2,
                                        (torch.tensor([1.], dtype=torch.float64)
                                         .expand(3).requires_grad_(),))
    assert_same_outcome(program)


def test_known_gradcheck():
    x = lab.tensor([1., 2.], dtype=lab.float64, requires_grad=True)
    assert lab.autograd.gradcheck(lambda t: (t ** 3).sum(), (x,))
    with pytest.raises(lab.autograd.GradcheckError, match="Jacobian mismatch for output 0"):
        lab.autograd.gradcheck(_bad_square(lab).apply, (x,))


# == autograd.functional =======================================================================
JAC_FUNCS = {
    "tensor_to_tensor": (lambda torch, x, w: x * w.sum(), False),
    "tuple_in": (lambda torch, x, w: x.sum(1) * w[:2], True),
    "tuple_out": (lambda torch, x, w: (x * 2, x.sum()), False),
    "tuple_in_out": (lambda torch, x, w: (x @ w, (w ** 2).sum()), True),
    "unused_input": (lambda torch, x, w: x.exp(), True),
}


@pytest.mark.parametrize("name", sorted(JAC_FUNCS))
@pytest.mark.parametrize("create_graph", [False, True])
def test_jacobian_structure_values_and_graph(name, create_graph):
    def program(torch):
        x, w = _inputs(torch)
        fn, two = JAC_FUNCS[name]
        inputs = (x, w) if two else x
        f = (lambda a, b: fn(torch, a, b)) if two else (lambda a: fn(torch, a, w))
        return torch.autograd.functional.jacobian(f, inputs, create_graph=create_graph)
    assert_same_outcome(program)


@pytest.mark.parametrize("two", [False, True])
def test_hessian(two):
    def program(torch):
        x, w = _inputs(torch)
        if two:
            return torch.autograd.functional.hessian(lambda a, b: ((a * b) ** 2).sum() * b[0],
                                                     (x, w))
        return torch.autograd.functional.hessian(lambda b: (b ** 3).sum() * b[1] * b[2], w)
    assert_same_outcome(program)


def test_vjp_jvp_hvp_vhp():
    def program(torch):
        x, w = _inputs(torch)
        F = torch.autograd.functional
        f = lambda a: (a ** 2 * w).sum(1)  # noqa: E731
        g = lambda b: (b ** 3).sum()  # noqa: E731
        return (F.vjp(f, x, torch.tensor([1., -1.], dtype=torch.float64)),
                F.jvp(f, x, torch.ones(2, 3, dtype=torch.float64)),
                F.hvp(g, w, torch.tensor([1., 0., 2.], dtype=torch.float64)),
                F.vhp(g, w, torch.tensor([1., 0., 2.], dtype=torch.float64)))
    assert_same_outcome(program)


@pytest.mark.parametrize("case", ["strict_unused", "strict_constant", "not_tensor",
                                  "hessian_not_scalar", "vjp_needs_v", "v_wrong_size",
                                  "vectorize_strict", "strategy"])
def test_functional_errors(case):
    def program(torch):
        x, w = _inputs(torch)
        F = torch.autograd.functional
        if case == "strict_unused":
            F.jacobian(lambda a, b: a * 2, (x, w), strict=True)
        elif case == "strict_constant":
            F.jacobian(lambda a: torch.ones(2), x, strict=True)
        elif case == "not_tensor":
            F.jacobian(lambda a: a, (x, 3))
        elif case == "hessian_not_scalar":
            F.hessian(lambda a: a * 2, w)
        elif case == "vjp_needs_v":
            F.vjp(lambda a: a * 2, w)
        elif case == "v_wrong_size":
            F.vjp(lambda a: a * 2, w, torch.ones(2, dtype=torch.float64))
        elif case == "vectorize_strict":
            F.jacobian(lambda a: a * 2, w, strict=True, vectorize=True)
        else:
            F.jacobian(lambda a: a * 2, w, strategy="sideways")
    assert_same_error(program)


def test_known_jacobian_and_hessian():
    J = lab.autograd.functional.jacobian(lambda x: x ** 2, lab.tensor([1., 2.]))
    assert J.tolist() == [[2., 0.], [0., 4.]]
    H = lab.autograd.functional.hessian(lambda x: (x ** 3).sum(), lab.tensor([1., 2.]))
    assert H.tolist() == [[6., 0.], [0., 12.]]
    # vectorize=True batches the backward passes in PyTorch; the values are the same
    Jv = lab.autograd.functional.jacobian(lambda x: x ** 2, lab.tensor([1., 2.]), vectorize=True)
    assert Jv.tolist() == [[2., 0.], [0., 4.]]
