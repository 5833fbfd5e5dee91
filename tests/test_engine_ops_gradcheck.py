"""Every op's gradient against central finite differences, in float64 (no torch needed), with
the library's own ``autograd_lab.autograd.gradcheck`` and ``gradgradcheck`` (PyTorch's API).
The checks, their tolerances and the seeded leaves are in ``gradcheck_support``.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd_lab as lab

from gradcheck_support import check_gradient, check_second_derivative, flat_outputs, pos, rand


# == pointwise ops (first and second derivatives) ===================================================
POINTWISE = {
    "add": (lambda a, b: a + b, lambda: (rand(2, 3), rand(2, 3, seed=1))),
    "add_alpha": (lambda a, b: lab.add(a, b, alpha=-1.5), lambda: (rand(3), rand(3, seed=1))),
    "add_number": (lambda a: a + 2.5, lambda: (rand(4),)),
    "sub": (lambda a, b: a - b, lambda: (rand(2, 3), rand(2, 3, seed=1))),
    "sub_alpha": (lambda a, b: lab.sub(a, b, alpha=2), lambda: (rand(3), rand(3, seed=1))),
    "rsub": (lambda a: 1.5 - a, lambda: (rand(4),)),
    "mul": (lambda a, b: a * b, lambda: (rand(2, 3), rand(2, 3, seed=1))),
    "mul_self": (lambda a: a * a * a, lambda: (rand(4),)),
    "mul_number": (lambda a: a * -3.0, lambda: (rand(4),)),
    "div": (lambda a, b: a / b, lambda: (rand(2, 3), rand(2, 3, seed=1, away_from=0.))),
    "div_number": (lambda a: a / 4.0, lambda: (rand(4),)),
    "rtruediv": (lambda a: 3.0 / a, lambda: (rand(4, away_from=0.),)),
    "reciprocal": (lambda a: a.reciprocal(), lambda: (rand(4, away_from=0.),)),
    "pow_2": (lambda a: a ** 2, lambda: (rand(4),)),
    "pow_3": (lambda a: a ** 3, lambda: (rand(4),)),
    "pow_half": (lambda a: a ** 0.5, lambda: (pos(4),)),
    "pow_neg": (lambda a: a ** -2, lambda: (rand(4, away_from=0.),)),
    "pow_zero": (lambda a: a ** 0, lambda: (rand(4),)),
    "pow_tensor": (lambda a, b: a ** b, lambda: (pos(2, 3), rand(2, 3, seed=1))),
    "pow_scalar_base": (lambda a: 2.5 ** a, lambda: (rand(4),)),
    "pow_method": (lambda a: a.pow(3), lambda: (rand(4),)),
    "neg": (lambda a: -a, lambda: (rand(2, 2),)),
    "abs": (lambda a: a.abs(), lambda: (rand(5, away_from=0.),)),
    "exp": (lambda a: a.exp(), lambda: (rand(2, 3),)),
    "log": (lambda a: a.log(), lambda: (pos(2, 3),)),
    "relu": (lambda a: a.relu(), lambda: (rand(6, away_from=0.),)),
    "relu_fn": (lambda a: lab.relu(a) * a, lambda: (rand(6, away_from=0.),)),
    "where": (lambda a, b: lab.where(a > b, a * b, b - a),
              lambda: (rand(2, 3), rand(2, 3, seed=3))),
    "where_number": (lambda a: lab.where(a > 0, a ** 2, 0.5), lambda: (rand(6, away_from=0.),)),
    "masked_fill": (lambda a: (a * 2).masked_fill(a > 0, 1.0), lambda: (rand(6, away_from=0.),)),
    "clone": (lambda a: a.clone() * a, lambda: (rand(3),)),
    "sign": (lambda a: a.sign() * a, lambda: (rand(4, away_from=0.),)),
}


@pytest.mark.parametrize("name", POINTWISE)
def test_pointwise_gradient(name):
    f, make = POINTWISE[name]
    check_gradient(name, f, make())


@pytest.mark.parametrize("name", POINTWISE)
def test_pointwise_second_derivative(name):
    f, make = POINTWISE[name]
    check_second_derivative(name, f, make())


# == broadcasting ==================================================================================
BROADCAST_SHAPES = [((3, 1), (1, 4)), ((3,), (1,)), ((), (2, 3)), ((2, 3), ()), ((4, 1, 3), (2, 1)),
                    ((1,), (3,)), ((2, 1, 1), (1, 3, 1))]
BINARY = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
          "div": lambda a, b: a / b, "pow": lambda a, b: a ** b,
          "where": lambda a, b: lab.where(a > 1, a, b)}


@pytest.mark.parametrize("sa, sb", BROADCAST_SHAPES)
@pytest.mark.parametrize("op", BINARY)
def test_broadcasting_gradient(op, sa, sb):
    a = pos(*sa, seed=1)
    b = rand(*sb, seed=2, away_from=0.) if op != "pow" else rand(*sb, seed=2)
    check_gradient(f"{op} {sa} x {sb}", BINARY[op], (a, b))


@settings(deadline=None, max_examples=25, derandomize=True)
@given(st.lists(st.integers(1, 3), min_size=0, max_size=3),
       st.lists(st.booleans(), min_size=3, max_size=3),
       st.sampled_from(["add", "sub", "mul", "div"]))
def test_broadcasting_gradient_drawn_shapes(shape, squeeze, op):
    """Any shape against a copy of it with some dims set to 1 and leading dims dropped."""
    other = [1 if s else n for n, s in zip(shape, squeeze)][len(shape) // 2:]
    a, b = pos(*shape, seed=3), pos(*other, seed=4)
    check_gradient(f"{op} {tuple(shape)} x {tuple(other)}", BINARY[op], (a, b))


# == products ======================================================================================
PRODUCTS = {
    "dot": (lambda a, b: lab.dot(a, b), lambda: (rand(4), rand(4, seed=1))),
    "dot_method": (lambda a: a.dot(a), lambda: (rand(3),)),
    "mm": (lambda a, b: lab.mm(a, b), lambda: (rand(2, 3), rand(3, 4, seed=1))),
    "mv": (lambda a, b: lab.mv(a, b), lambda: (rand(2, 3), rand(3, seed=1))),
    "matmul_2d_2d": (lambda a, b: a @ b, lambda: (rand(3, 2), rand(2, 2, seed=1))),
    "matmul_2d_1d": (lambda a, b: a @ b, lambda: (rand(3, 2), rand(2, seed=1))),
    "matmul_1d_2d": (lambda a, b: a @ b, lambda: (rand(3), rand(3, 2, seed=1))),
    "matmul_1d_1d": (lambda a, b: lab.matmul(a, b), lambda: (rand(3), rand(3, seed=1))),
    "mm_self_t": (lambda a: a.mm(a.t()), lambda: (rand(2, 3),)),
}


@pytest.mark.parametrize("name", PRODUCTS)
def test_product_gradient(name):
    f, make = PRODUCTS[name]
    check_gradient(name, f, make())


@pytest.mark.parametrize("name", ["dot", "mm", "mv", "matmul_1d_2d", "mm_self_t"])
def test_product_second_derivative(name):
    f, make = PRODUCTS[name]
    check_second_derivative(name, f, make())


# == reductions ====================================================================================
REDUCTIONS = {
    "sum": lambda a: a.sum(),
    "sum_dim0": lambda a: a.sum(0),
    "sum_dim1_keepdim": lambda a: a.sum(1, keepdim=True),
    "sum_dims": lambda a: a.sum((0, 1)),
    "sum_neg_dim": lambda a: lab.sum(a, -1),
    "builtin_sum": lambda a: sum(a),
    "mean": lambda a: a.mean(),
    "mean_dim0": lambda a: a.mean(0),
    "mean_dim1_keepdim": lambda a: a.mean(dim=1, keepdim=True),
    "norm": lambda a: a.norm(),
    "norm_p1": lambda a: a.norm(p=1),
    "norm_p3": lambda a: a.norm(p=3),
    "norm_p1_5": lambda a: a.norm(p=1.5),
    "norm_p0_5": lambda a: a.norm(p=0.5),
    "norm_inf": lambda a: a.norm(p=float("inf")),
    "norm_dim": lambda a: a.norm(dim=1),
    "norm_dim_keepdim": lambda a: a.norm(p=3, dim=0, keepdim=True),
}


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_gradient(name):
    check_gradient(name, REDUCTIONS[name], (rand(2, 3, away_from=0.),))


@pytest.mark.parametrize("name", ["sum_dim1_keepdim", "mean_dim0", "norm", "norm_p3",
                                  "norm_dim", "norm_p1_5"])
def test_reduction_second_derivative(name):
    check_second_derivative(name, REDUCTIONS[name], (rand(2, 3, away_from=0.),))


def test_reduction_of_0d_tensor():
    check_gradient("sum of 0-d", lambda a: a.sum(0) * a.mean(-1) + a.norm(), (rand(),))


def test_norm_gradient_at_zero_is_zero():
    x = lab.zeros(3, dtype=lab.float64, requires_grad=True)
    for p in (2, 3, 1.5):
        g, = lab.autograd.grad(x.norm(p=p), x)
        assert g.tolist() == [0., 0., 0.], f"p={p}"


# == moving elements around ========================================================================
SHAPE_OPS = {
    "cat_dim0": lambda a, b: lab.cat([a, b, a], dim=0),
    "cat_dim1": lambda a, b: lab.cat([a, b], dim=1),
    "cat_neg_dim": lambda a, b: lab.cat((b, a), -1),
    "stack_dim0": lambda a, b: lab.stack([a, b]),
    "stack_dim2": lambda a, b: lab.stack([a, b * a], dim=2),
    "select": lambda a, b: a.select(1, 2) * b[:, 0],
    "index_int": lambda a, b: a[1] + b[-1],
    "index_slice": lambda a, b: a[:, 1:] * b[:, :2],
    "index_step": lambda a, b: a[:, ::2] + b[..., 1:],
    "index_mixed": lambda a, b: a[1, None, ::2] * b[None, 0, ...][..., :2],
    "index_int_tensor": lambda a, b: a[lab.tensor([1, 0, 1])] * 2 + b[0],
    "index_repeated": lambda a, b: a[:, 0][lab.tensor([0, 0, 1, 0])],
    "index_2d_tensors": lambda a, b: a[lab.tensor([0, 1, 1]), lab.tensor([2, 0, 2])],
    "unsqueeze": lambda a, b: a.unsqueeze(0) * b.unsqueeze(-1)[:, :, 0],
    "squeeze": lambda a, b: a[:1].squeeze() + b[:, 1:2].squeeze(1)[0],
    "expand": lambda a, b: a[:, :1].expand(2, 3) * b.expand(2, 2, 3),
    "view": lambda a, b: a.view(3, 2) * b.view(6).view(3, 2),
    "reshape": lambda a, b: a.reshape(-1) + b.t().reshape(6),
    "flatten": lambda a, b: a.unsqueeze(0).flatten() * b.flatten(0, 1),
    "transpose": lambda a, b: a.transpose(0, 1) * b.transpose(1, 0),
    "t": lambda a, b: a.t() @ b,
    "permute": lambda a, b: a.unsqueeze(2).permute(2, 1, 0) * b.permute(1, 0),
    "T": lambda a, b: a.T * b.T,
    "unbind": lambda a, b: tuple(p * 2 for p in a.unbind(1)) + b.unbind(),
    "iterate": lambda a, b: [row * r2 for row, r2 in zip(a, b)],
}


@pytest.mark.parametrize("name", SHAPE_OPS)
def test_shape_op_gradient(name):
    check_gradient(name, SHAPE_OPS[name], (rand(2, 3), rand(2, 3, seed=1)))


@pytest.mark.parametrize("name", ["cat_dim1", "stack_dim2", "index_mixed", "index_repeated",
                                  "expand", "reshape", "permute", "unbind"])
def test_shape_op_second_derivative(name):
    f = SHAPE_OPS[name]
    # squared so that the first derivative still depends on the inputs
    check_second_derivative(name, lambda a, b: [o * o for o in flat_outputs(f(a, b))],
                  (rand(2, 3), rand(2, 3, seed=1)))


def test_known_repeated_indices_accumulate():
    x = lab.arange(5., requires_grad=True)
    x[lab.tensor([0, 2, 2, 4, 2])].sum().backward()
    assert x.grad.tolist() == [1., 0., 3., 0., 1.]


# == compositions ==================================================================================
def test_composite_expression_gradient_and_second_derivative():
    def f(x, w, b):
        h = (x @ w + b).relu()
        return ((h - 1.5) ** 2).mean() + h.norm() * w.abs().sum() / (1 + x.exp().sum())
    inputs = (rand(3, 2, seed=5), rand(2, 4, seed=6, away_from=0.), rand(4, seed=7))
    check_gradient("mlp", f, inputs)
    check_second_derivative("mlp", f, inputs)


def test_custom_function_gradient():
    class Cube(lab.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 3 * x * x * g
    check_gradient("Cube.apply", lambda x: Cube.apply(x) * x, (rand(4),))
    check_second_derivative("Cube.apply", lambda x: Cube.apply(x), (rand(4),))


@pytest.mark.parametrize("factor", [3.0, 2.0002])
def test_gradcheck_catches_a_wrong_gradient(factor):
    """The helper itself: a wrong backward must fail it, naming the op; also one only 1e-4 off
    (PyTorch's default rtol, 1e-3, would let that pass)."""
    class Wrong(lab.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * factor
    with pytest.raises(pytest.fail.Exception,
                       match=r"^wrong: Jacobian mismatch for output 0 with respect to input 0"):
        check_gradient("wrong", Wrong.apply, (rand(2),))


def test_gradgradcheck_catches_a_wrong_second_derivative():
    """A backward right at first order but not differentiable as recorded (it detaches the
    saved input): the second derivative must fail, naming the op."""
    class Detached(lab.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 2 * x.detach() * g
    check_gradient("detached", Detached.apply, (rand(3),))
    with pytest.raises(pytest.fail.Exception,
                       match=r"^detached \(second derivative\): Jacobian mismatch"):
        check_second_derivative("detached", Detached.apply, (rand(3),))


# == third derivatives =============================================================================
@pytest.mark.parametrize("name, f, expected", [
    ("x**3", lambda x: x ** 3, lambda v: 6.0),
    ("x*x*x", lambda x: x * x * x, lambda v: 6.0),
    ("exp", lambda x: x.exp(), np.exp),
    ("log", lambda x: x.log(), lambda v: 2 / v ** 3),
    ("1/x", lambda x: 1 / x, lambda v: -6 / v ** 4),
    ("x**w", lambda x: x ** lab.tensor(2.5, dtype=lab.float64), lambda v: 2.5 * 1.5 * 0.5 * v ** -0.5),
])
def test_third_derivative(name, f, expected):
    for v in (0.7, 1.3, 2.0):
        x = lab.tensor(v, dtype=lab.float64, requires_grad=True)
        g1, = lab.autograd.grad(f(x), x, create_graph=True)
        g2, = lab.autograd.grad(g1, x, create_graph=True)
        g3, = lab.autograd.grad(g2, x)
        assert g3.item() == pytest.approx(expected(v), rel=1e-12), f"{name} at {v}"
