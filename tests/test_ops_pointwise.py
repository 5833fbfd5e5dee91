"""Elementwise ops against PyTorch: sqrt, sin, cos, square, rounding, clamp (numbers and
tensors), clamp_min/clamp_max, maximum/minimum, rsub, remainder (``%``), add of a number
(AddBackward1) and the in-place forms (``x.exp_()``, ``clamp_``, ``sqrt_``, ``%=`` ...).

Each op runs under torch and autograd_lab on hypothesis-drawn shapes (0-d, size-0 and size-1
dims, broadcasting) and values (``TIES`` makes equal elements and exact bounds likely, which is
where max/clamp route gradients): forward values and graph, first derivatives, the graph a
``create_graph=True`` backward records, and second derivatives must agree (see
``ops_support.check_against_torch``). Then, without torch, central finite differences in
float64 for first and second derivatives, and known values.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd_lab as lab

from ops_support import broadcastable, check_against_torch, shapes, values_for
from oracle import assert_same_error, assert_same_outcome, graph_signature
from gradcheck_support import check_gradient, check_second_derivative, rand, pos

FAST = settings(deadline=None, max_examples=12, derandomize=True)

# name: (function of (torch, *inputs), kind of values, second derivatives compared)
UNARY = {
    "sqrt": (lambda T, x: x.sqrt(), "pos", True),
    "sqrt_fn": (lambda T, x: T.sqrt(x), "pos", True),
    "sin": (lambda T, x: T.sin(x), "any", True),
    "cos": (lambda T, x: x.cos(), "any", True),
    "square": (lambda T, x: x.square(), "any", True),
    "log1p": (lambda T, x: x.log1p(), "pos", True),
    "log1p_fn": (lambda T, x: T.log1p(x * 0.5 - 0.25), "pos", True),
    "expm1": (lambda T, x: x.expm1(), "small", True),
    "expm1_fn": (lambda T, x: T.expm1(x), "any", True),
    "square_fn": (lambda T, x: T.square(x), "any", True),
    "floor": (lambda T, x: x.floor() * x, "any", True),
    "ceil": (lambda T, x: T.ceil(x) + x, "any", True),
    "round": (lambda T, x: x.round() * 2, "any", False),
    "trunc": (lambda T, x: T.trunc(x) - x, "any", True),
    "clamp": (lambda T, x: x.clamp(-1, 1), "ties", True),
    "clamp_fn_min": (lambda T, x: T.clamp(x, min=0), "ties", True),
    "clamp_max_kw": (lambda T, x: x.clamp(max=0.5), "ties", True),
    "clip": (lambda T, x: T.clip(x, -0.5, 0.5), "ties", True),
    "clamp_reversed_bounds": (lambda T, x: x.clamp(1, -1), "ties", True),
    "clamp_min": (lambda T, x: x.clamp_min(0), "ties", True),
    "clamp_max": (lambda T, x: T.clamp_max(x, 1.0), "ties", True),
    "rsub_number": (lambda T, x: T.rsub(x, 2), "any", True),
    "rsub_number_alpha": (lambda T, x: T.rsub(x, 2, alpha=3), "any", True),
    "number_minus": (lambda T, x: 2.5 - x, "any", True),
    # in place, on a non-leaf (x * 1) so that it is allowed
    "exp_": (lambda T, x: (x * 1).exp_(), "small", True),
    "log_": (lambda T, x: (x * 2).log_(), "pos", True),
    "sqrt_": (lambda T, x: (x + 0).sqrt_(), "pos", True),
    "log1p_": (lambda T, x: (x * 1).log1p_(), "pos", True),
    "expm1_": (lambda T, x: (x * 1).expm1_(), "small", True),
    "sin_": (lambda T, x: (x * 1).sin_(), "any", True),
    "cos_": (lambda T, x: (x * 1).cos_(), "any", True),
    "abs_": (lambda T, x: (x * 2).abs_(), "nonzero", False),
    "neg_": (lambda T, x: (x * 2).neg_(), "any", True),
    "reciprocal_": (lambda T, x: (x * 2).reciprocal_(), "nonzero", True),
    "sign_": (lambda T, x: (x * 2).sign_() * x, "nonzero", True),
    "square_": (lambda T, x: (x * 2).square_(), "any", True),
    "sigmoid_": (lambda T, x: (x * 2).sigmoid_(), "any", True),
    "tanh_": (lambda T, x: (x * 2).tanh_(), "any", True),
    "relu_": (lambda T, x: (x * 2).relu_(), "nonzero", True),
    "clamp_": (lambda T, x: (x * 2).clamp_(-1, 1), "ties", True),
    "clamp_min_": (lambda T, x: (x * 1).clamp_min_(0.5), "ties", True),
    "clamp_max_": (lambda T, x: (x * 1).clamp_max_(0), "ties", True),
    "floor_": (lambda T, x: (x * 1).floor_() * x, "any", True),
    "pow_": (lambda T, x: (x * 1).pow_(3), "any", True),
    "mul_then_exp_": (lambda T, x: (x * x).exp_() * x, "small", True),
    "inplace_chain": (lambda T, x: (x * 1).sin_().mul_(2).clamp_(-1, 1), "ties", True),
    "remainder_number": (lambda T, x: x % 1.5, "any", True),
    "remainder_negative_number": (lambda T, x: T.remainder(x, -0.75), "any", True),
    "remainder_method_int": (lambda T, x: x.remainder(2) * x, "any", True),
    "remainder_": (lambda T, x: (x * 1).remainder_(0.5), "any", True),
    "imod": (lambda T, x: (x * 2).__imod__(1.25), "any", True),
}

BINARY = {
    "maximum": (lambda T, x, y: T.maximum(x, y), "ties", True),
    "minimum": (lambda T, x, y: x.minimum(y), "ties", True),
    "max_binary": (lambda T, x, y: T.max(x, y), "ties", True),
    "min_binary": (lambda T, x, y: T.min(y, x), "ties", True),
    "clamp_tensor_min": (lambda T, x, y: x.clamp(min=y), "ties", True),
    "clamp_tensor_max": (lambda T, x, y: T.clamp(x, max=y), "ties", True),
    "clamp_tensors": (lambda T, x, y: x.clamp(y, y + 1), "ties", True),
    "clamp_min_tensor": (lambda T, x, y: x.clamp_min(y), "ties", True),
    "clamp_max_tensor": (lambda T, x, y: x.clamp_max(y), "ties", True),
    "rsub": (lambda T, x, y: T.rsub(x, y), "any", True),
    "rsub_alpha": (lambda T, x, y: T.rsub(x, y, alpha=2), "any", True),
    "clamp_tensor_inplace": (lambda T, x, y: (x * 1).clamp_(min=y), "ties", True),
    "pow_mixed_dtypes": (lambda T, x, y: (x.abs() + 0.5) ** y.double(), "any", True),
    "number_pow": (lambda T, x, y: 1.5 ** (x * y), "small", True),
    "remainder": (lambda T, x, y: x % y, "nonzero", True),
    "remainder_fn": (lambda T, x, y: T.remainder(x * 2, y), "nonzero", True),
    "remainder_inplace": (lambda T, x, y: (x * 1).remainder_(y), "nonzero", True),
    "remainder_0d_tensor": (lambda T, x, y: x % y.sum(), "nonzero", True),
}


@pytest.mark.parametrize("name", UNARY)
@FAST
@given(data=st.data(), shape=shapes())
def test_unary_against_torch(name, data, shape):
    f, kind, second = UNARY[name]
    check_against_torch(f, [values_for(data.draw, shape, kind)], second=second)


@pytest.mark.parametrize("name", BINARY)
@FAST
@given(data=st.data(), shape=shapes(), swap=st.booleans())
def test_binary_against_torch_broadcasting(name, data, shape, swap):
    f, kind, second = BINARY[name]
    other = broadcastable(data.draw, shape)
    a, b = (shape, other) if not swap or name.endswith("inplace") else (other, shape)
    check_against_torch(f, [values_for(data.draw, a, kind), values_for(data.draw, b, kind)],
                        second=second)


@pytest.mark.parametrize("name", ["sqrt", "sin", "clamp", "maximum", "exp_", "clamp_"])
def test_float64_against_torch(name):
    table = UNARY if name in UNARY else BINARY
    f, kind, second = table[name]
    inputs = [[[0.5, 1.0, 2.0], [0.25, 1.5, 3.0]]] * (2 if table is BINARY else 1)
    check_against_torch(f, inputs, dtype="float64", second=second)


def test_add_number_records_add_backward1_in_sigmoid_second_derivative():
    """AddBackward1 (``add.Scalar``) lives in pointwise; sigmoid's double backward uses it."""
    def f(T, x):
        y = T.sigmoid(x)
        g, = T.autograd.grad(y.sum(), x, create_graph=True)
        return g
    check_against_torch(f, [[0.5, -1.0, 2.0]])
    x = lab.tensor([0.5], requires_grad=True)
    g, = lab.autograd.grad(lab.sigmoid(x).sum(), x, create_graph=True)
    g2, = lab.autograd.grad(g.sum(), x, create_graph=True)
    names = set()
    stack = [g2.grad_fn]
    while stack:
        n = stack.pop()
        if n is not None:
            names.add(n.name())
            stack.extend(fn for fn, _ in n.next_functions)
    assert "AddBackward1" in names
    y = lab.ops.add_scalar(x, 2.0)
    assert y.grad_fn.name() == "AddBackward1" and y.tolist() == [2.5]


def test_integer_and_bool_inputs():
    def f(T, i, b):
        return (i.sqrt(), T.sin(i), i.square(), b.square(), i.clamp(0, 1), i.clamp(0.5),
                T.maximum(i, b), i.floor(), T.rsub(i, 3))
    from oracle import assert_same_outcome
    assert_same_outcome(lambda T: f(T, T.tensor([1, -2, 4]), T.tensor([True, False, True])))


@pytest.mark.parametrize("name", ["sqrt", "sin", "cos", "square", "exp_", "clamp", "sign_",
                                  "remainder_number", "log1p", "expm1", "log1p_", "expm1_"])
def test_silent_on_nan_and_inf(name):
    """No NumPy RuntimeWarning (PyTorch computes nan/inf silently)."""
    from oracle import assert_same_outcome
    f = UNARY[name][0]
    out = assert_same_outcome(lambda T: f(T, T.tensor([-1.0, float("inf"), float("nan"), 0.0])))
    assert out.warnings == []


ERRORS = {
    "clamp_no_bounds": lambda T: T.tensor([1.]).clamp(),
    "maximum_number": lambda T: T.maximum(T.tensor([1.]), 2),
    "clamp_shapes": lambda T: T.tensor([1., 2.]).clamp(T.tensor([0., 0., 0.])),
    "exp_int_inplace": lambda T: T.tensor([1, 2]).exp_(),
    "sqrt_leaf_inplace": lambda T: T.tensor([1.], requires_grad=True).sqrt_(),
    "clamp_leaf_inplace": lambda T: T.tensor([1.], requires_grad=True).clamp_(0, 1),
    "maximum_shapes": lambda T: T.maximum(T.ones(2), T.ones(3)),
    "rsub_bool": lambda T: T.rsub(T.tensor([True]), T.tensor([False])),
    "remainder_bool": lambda T: T.tensor([True]) % T.tensor([True]),
    "remainder_bool_number": lambda T: T.remainder(T.tensor([True, False]), True),
    "remainder_int_by_zero": lambda T: T.tensor([5, -5]) % 0,
    "remainder_int_by_zero_tensor": lambda T: T.tensor([5, -5]) % T.tensor([2, 0]),
    "remainder_shapes": lambda T: T.ones(2) % T.ones(3),
    "remainder_leaf_inplace": lambda T: T.ones(2, requires_grad=True).remainder_(2),
    "remainder_int_inplace_float": lambda T: T.tensor([1, 2]).remainder_(1.5),
    "imod_int_float_tensor": lambda T: T.tensor([1, 2]).__imod__(T.tensor([1.5])),
    "mod_str": lambda T: T.ones(2) % "a",
    "mod_none": lambda T: T.ones(2) % None,
    "rmod_list": lambda T: [1] % T.ones(2),
    "mod_complex": lambda T: T.ones(2) % (1 + 2j),
    "mod_complex_double": lambda T: T.ones(2, dtype=T.float64) % (1 + 2j),
    "remainder_two_numbers": lambda T: T.remainder(2, 3),
    "remainder_str": lambda T: T.remainder(T.ones(2), "a"),
    "remainder_str_first": lambda T: T.remainder("a", T.ones(2)),
    "remainder_float_none": lambda T: T.remainder(2.5, None),
    "remainder_one_argument": lambda T: T.remainder(T.ones(2)),
    "remainder_no_arguments": lambda T: T.remainder(),
    "remainder_three_arguments": lambda T: T.remainder(T.ones(2), 2, 3),
    "remainder_keyword_str": lambda T: T.remainder(T.ones(2), other="a"),
    "remainder_list": lambda T: T.remainder(T.ones(2), [1]),
    "remainder_method_str": lambda T: T.ones(2).remainder("a"),
    "remainder_method_none": lambda T: T.ones(2).remainder(None),
    "remainder_method_no_argument": lambda T: T.ones(2).remainder(),
    "remainder_method_two_arguments": lambda T: T.ones(2).remainder(T.ones(2), T.ones(2)),
    "remainder_method_wrong_keyword": lambda T: T.ones(2).remainder(y=2),
    "remainder__str": lambda T: T.ones(2).remainder_("a"),
    "remainder_unbound_method_on_number": lambda T: T.Tensor.remainder(2, T.ones(2)),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error_messages(name):
    from oracle import assert_same_error
    assert_same_error(ERRORS[name])


def test_remainder_values():
    """The sign of the divisor (Python's %), for ints and floats: -0.0 stays -0.0 (the reprs
    are compared, which tell the zeros apart), inf and nan, a float zero divisor (nan), dtype
    promotion with numbers and 0-d tensors, the forms of the call."""
    def program(T):
        f = T.tensor([-3.5, -2.0, -0.0, 0.0, 0.5, 2.0, 7.25])
        i = T.tensor([-7, -6, -1, 0, 1, 6, 7])
        results = [
            i % 3, i % -3, 7 % T.tensor([3, -3, 2, -2]), i % 2.5, i % T.tensor(2.),
            f % 2, f % -2, f % 0.75, f % -0.75, f % 0., -7.5 % T.tensor([2., -2., 0.]),
            T.tensor([float("inf"), float("nan"), 5., -5.]) % 2,
            T.tensor([5., -5., 5., -5.]) % T.tensor([float("inf"), float("inf"),
                                                     float("-inf"), float("-inf")]),
            T.tensor([-1e-30, 1e-30]) % T.tensor([3., -3.]),
            T.tensor([-1e-30], dtype=T.float64) % 3.0,
            T.tensor([5., 6.], dtype=T.float16) % 4, T.tensor([5, 6], dtype=T.uint8) % 4,
            T.tensor([5, 6], dtype=T.int32) % T.tensor(4), T.tensor([True, False]) % 2,
            f % T.tensor(1.5, dtype=T.float64), T.tensor(7.5, dtype=T.float64) % T.tensor(
                [2., -2.]), T.tensor(-9223372036854775808) % -1,
            T.remainder(f, 3), T.remainder(2.5, f[4:]), T.remainder(input=f, other=2),
            T.remainder(self=3, other=f[4:]), T.remainder(f, other=T.tensor(2.)),
            T.remainder(f, f.abs() + 1, out=None), f.remainder(other=2), f.remainder(True),
        ]
        with_numpy = [f % np.float64(2), f % np.int64(3), i % np.int64(-4)]
        g = f.clone()
        g %= 1.5
        h = i.clone()
        h.remainder_(T.tensor([4]))
        return ([(repr(t), t.dtype) for t in results + with_numpy], repr(g), g._version,
                repr(h), h._version)
    assert_same_outcome(program)


def test_remainder_graphs_and_saved_tensors():
    """RemainderBackward0 (a number) saves nothing; RemainderBackward1 saves self and other
    only when other needs a gradient, which is -grad * floor(self / other) (DivBackward2,
    whose own derivative is zero, without a graph); the in-place form on a view (CopySlices,
    the old value saved as a clone)."""
    def program(T):
        x = T.tensor([-3., -1.5, 0., 1.5, 3.], requires_grad=True)
        w = T.tensor([2., -2., 2., -2., 0.5], requires_grad=True)
        y, z = x % 2, x % w
        saved = [(n._saved_self, n._saved_other) for n in ((x % w.detach()).grad_fn,
                                                           (x.detach() % w).grad_fn)]
        gx, gw = T.autograd.grad(z.sum(), [x, w], create_graph=True)
        second = T.autograd.grad(gw.sum(), [x, w], create_graph=True)
        a = x * 1
        a.remainder_(w)
        b = x * 1
        v = b[1:]
        v %= 1.25
        (b * b).sum().backward()
        by_hand = y.grad_fn(T.ones(5)), z.grad_fn(T.ones(5, requires_grad=True) * 2)
        return (y, z, graph_signature(y), graph_signature(z), saved, gx, gw,
                graph_signature(gw), second, [t.requires_grad for t in second],
                graph_signature(a), a._version, a.grad_fn._saved_self, graph_signature(b),
                graph_signature(v), x.grad, by_hand, [graph_signature(t) for t in by_hand[1]])
    assert_same_outcome(program)


def test_remainder_modified_saved_tensors():
    """A tensor RemainderBackward1 saved, changed in place, is refused by the backward: self
    and other only when other needs a gradient, self too through the floor division."""
    def modified(which):
        def program(T):
            x = T.ones(2, requires_grad=True)
            w = T.ones(2, requires_grad=which != "other_detached")
            a = x * 1
            z = a % (w if which != "other_detached" else w * 1)
            a.mul_(2)
            z.sum().backward()
            return x.grad
        return program
    assert_same_error(modified("self"))
    assert_same_outcome(modified("other_detached"))

    def through_floor(T):
        x = T.ones(2, requires_grad=True)
        w = T.ones(2, requires_grad=True)
        gw, = T.autograd.grad((x * 1 % w).sum(), w, create_graph=True)
        return gw, T.autograd.grad(gw.sum(), [x, w], allow_unused=True)
    assert_same_outcome(through_floor)


def test_number_remainder_tensor_has_no_derivative():
    """``number % tensor`` records a NotImplemented node: any backward through it fails, and,
    as in PyTorch (no sequence number: it runs as soon as it is ready), before other leaves
    got their gradients; called by hand it fails too. In no_grad mode nothing is recorded."""
    def program(T):
        x = T.tensor([-2., 1.5, 3.], requires_grad=True)
        b = T.tensor([1., 2., 3.], requires_grad=True)
        y = 2.5 % x
        info = (y, y.grad_fn.name(), y.grad_fn.next_functions, y.requires_grad, y.is_leaf,
                y.grad_fn.metadata)
        total = (b * 1).sum() + (x * 1).sum() + (y * 1).sum()
        try:
            total.backward()
        except RuntimeError as e:
            failed = str(e)
        try:
            y.grad_fn(T.ones(3))
        except RuntimeError as e:
            by_hand = str(e)
        with T.no_grad():
            plain = 2.5 % x
        return info, failed, by_hand, x.grad, b.grad, plain, (7 % x.detach()).grad_fn
    assert_same_outcome(program)


# == finite differences (float64, no torch needed) ==============================================
GRADCHECK = {
    "sqrt": (lambda a: a.sqrt(), lambda: (pos(2, 3),)),
    "log1p": (lambda a: a.log1p(), lambda: (pos(2, 3),)),
    "expm1": (lambda a: lab.expm1(a), lambda: (rand(2, 3),)),
    "log1p_": (lambda a: (a * 1).log1p_(), lambda: (pos(4),)),
    "expm1_": (lambda a: (a * 1).expm1_(), lambda: (rand(4),)),
    "sin": (lambda a: a.sin(), lambda: (rand(2, 3),)),
    "cos": (lambda a: lab.cos(a), lambda: (rand(4),)),
    "square": (lambda a: a.square(), lambda: (rand(2, 2),)),
    "clamp": (lambda a: a.clamp(-1, 1), lambda: (rand(6, away_from=1.),)),
    "clamp_min": (lambda a: a.clamp_min(0.), lambda: (rand(6, away_from=0.),)),
    "clamp_max": (lambda a: a.clamp_max(0.), lambda: (rand(6, away_from=0.),)),
    "clamp_tensors": (lambda a, b: a.clamp(b, b + 1), lambda: (rand(2, 3), rand(3, seed=1))),
    "maximum": (lambda a, b: lab.maximum(a, b), lambda: (rand(2, 3), rand(3, seed=1))),
    "minimum": (lambda a, b: lab.minimum(a, b), lambda: (rand(2, 3), rand(2, 1, seed=5))),
    "rsub": (lambda a, b: lab.rsub(a, b, alpha=2), lambda: (rand(2, 3), rand(3, seed=1))),
    "exp_": (lambda a: (a * 1).exp_(), lambda: (rand(3),)),
    "sqrt_": (lambda a: (a * 1).sqrt_(), lambda: (pos(3),)),
    "sin_": (lambda a: (a + 1).sin_(), lambda: (rand(3),)),
    "cos_": (lambda a: (a * 2).cos_(), lambda: (rand(3),)),
    "clamp_": (lambda a: (a * 1).clamp_(-1, 1), lambda: (rand(6, away_from=1.),)),
    "reciprocal_": (lambda a: (a * 1).reciprocal_(), lambda: (rand(4, away_from=0.),)),
    "log_": (lambda a: (a * 1).log_(), lambda: (pos(4),)),
    "square_": (lambda a: (a * 1).square_(), lambda: (rand(4),)),
    "tanh_": (lambda a: (a * 1).tanh_(), lambda: (rand(4),)),
    "sigmoid_": (lambda a: (a * 1).sigmoid_(), lambda: (rand(4),)),
    "neg_": (lambda a: (a * a).neg_(), lambda: (rand(4),)),
    "abs_": (lambda a: (a * 1).abs_(), lambda: (rand(4, away_from=0.),)),
    "sign_": (lambda a: (a * 1).sign_() * a, lambda: (rand(4, away_from=0.),)),
    "floor_round": (lambda a: a.floor() * a + lab.round(a) + a.ceil() * a.trunc(),
                    lambda: (rand(5, away_from=0.),)),
    "pow_": (lambda a: (a * 1).pow_(3), lambda: (rand(4),)),
    "remainder_number": (lambda a: (a * 3) % 0.7, lambda: (rand(5),)),
    "remainder": (lambda a, b: a % b, lambda: (rand(2, 3), rand(3, seed=1, away_from=0.))),
}


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradcheck(name):
    f, make = GRADCHECK[name]
    check_gradient(name, f, make())


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradgradcheck(name):
    f, make = GRADCHECK[name]
    check_second_derivative(name, f, make())


def test_known_values():
    x = lab.tensor([-2., -0.5, 0.5, 2.], requires_grad=True)
    y = x.clamp(-1, 1)
    y.sum().backward()
    assert y.tolist() == [-1., -0.5, 0.5, 1.] and x.grad.tolist() == [0., 1., 1., 0.]
    a = lab.tensor([1., 2., 3.], requires_grad=True)
    b = lab.tensor([1., 1., 4.], requires_grad=True)
    lab.maximum(a, b).sum().backward()
    assert a.grad.tolist() == [0.5, 1., 0.] and b.grad.tolist() == [0.5, 0., 1.]
    z = lab.tensor([4., 9.], requires_grad=True)
    w = z * 1
    w.sqrt_()
    assert w.tolist() == [2., 3.] and w._version == 1 and w.grad_fn.name() == "SqrtBackward0"
    w.sum().backward()
    assert z.grad.tolist() == pytest.approx([0.25, 1 / 6])


FAILING_INSIDE_A_QUIET_KERNEL = {
    "add_alpha_str": lambda T: T.add(T.tensor([1., 2.]), T.tensor([3., 4.]), alpha="x"),
    "sub_alpha_str": lambda T: T.sub(T.tensor([1., 2.]), T.tensor([3., 4.]), alpha="x"),
    "rsub_alpha_str": lambda T: T.rsub(T.tensor([1., 2.]), T.tensor([3., 4.]), alpha="x"),
    "add_scalar_alpha_str": lambda T: T.ops.add_scalar(T.tensor([1., 2.]), 2.0, "x"),
}


@pytest.mark.parametrize("name", FAILING_INSIDE_A_QUIET_KERNEL)
def test_failing_op_leaves_numpy_warnings_on(name):
    """An op that silences NumPy's floating-point warnings around its kernel restores them
    even when the kernel raises: the user's own ``np.array([1.]) / 0`` warns again."""
    with pytest.raises(Exception):
        FAILING_INSIDE_A_QUIET_KERNEL[name](lab)
    assert np.geterr()["divide"] == "warn"
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        np.array([1.]) / 0


def test_log1p_expm1_nodes_values_and_errors():
    """log1p saves its input, expm1 its result (PyTorch's node names, Log1PBackward0 with a
    capital P); integers give floats; -1, below -1, inf and nan as PyTorch; in place on a leaf
    is refused, and a modified saved input is noticed."""
    from oracle import assert_same_outcome

    def program(T):
        x = T.tensor([0.5, 2.0], requires_grad=True)
        a, b = T.log1p(x), x.expm1()
        special = T.tensor([-1., -2., float("inf"), float("nan"), 1e-10])
        y = x * 1
        z = y.log1p()
        y.add_(1)
        try:
            z.sum().backward()
        except RuntimeError as e:
            modified = str(e)
        try:
            T.tensor([1., 2.], requires_grad=True).log1p_()
        except RuntimeError as e:
            leaf_inplace = str(e)
        return (a, b, a.grad_fn, b.grad_fn, a.grad_fn._saved_self, b.grad_fn._saved_result,
                T.log1p(T.tensor([1, 2])), T.expm1(T.tensor([0, 1])), T.log1p(special),
                T.expm1(special), modified, leaf_inplace)
    out = assert_same_outcome(program)
    assert out.error is None and out.warnings == []
    assert out.value[2].name() == "Log1PBackward0" and "modified by an inplace" in out.value[10]
