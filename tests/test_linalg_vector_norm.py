"""``linalg.vector_norm``, ``linalg.matrix_norm`` and ``linalg.norm`` against PyTorch: values
for every order (2, 1, inf, -inf, 0, other p, negative p) over all elements or some dims, in
float32 and float64; the node (LinalgVectorNormBackward0, its saved ord/keepdim) and its
gradient, including PyTorch's choices where the norm is not differentiable (0 at a zero norm,
shared among tied extremes, none for ord 0); the dtype= argument; matrix norms (fro, 1, inf and
negatives: graphs and gradients); errors word for word; and finite differences.
"""
import math

import numpy as np
import pytest

import autograd_lab as lab

from gradcheck_support import check_gradient, check_second_derivative, rand
from oracle import assert_same_error, assert_same_outcome, graph_signature

INF = math.inf
ORDERS = [2, 1, INF, -INF, 0, 3, 0.5, 1.5, -1, -2.5, 2.0]
# a zero element, and ties at the largest and the smallest |x|, so that every subgradient
# rule is exercised
VALUES = [[1.5, -2.0, 0.25], [2.0, -0.25, 0.0]]
DIMS = [dict(), dict(dim=1), dict(dim=0, keepdim=True), dict(dim=(1, 0)), dict(dim=-1),
        dict(dim=[]), dict(dim=(0, 1), keepdim=True)]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kw", DIMS, ids=str)
@pytest.mark.parametrize("ord", ORDERS, ids=str)
def test_values_node_and_gradient(ord, kw, dtype):
    def program(torch):
        x = torch.tensor(VALUES, dtype=getattr(torch, dtype), requires_grad=True)
        y = torch.linalg.vector_norm(x, ord, **kw)
        weights = torch.arange(1.0, 1.0 + y.numel()).reshape(y.shape).to(y.dtype)
        g, = torch.autograd.grad((y * weights).sum(), x, allow_unused=True)
        node = y.grad_fn
        return y, graph_signature(y), node._saved_ord, node._saved_keepdim, g
    assert_same_outcome(program)


@pytest.mark.parametrize("ord", ORDERS, ids=str)
def test_gradient_at_a_zero_norm(ord):
    def program(torch):
        x = torch.zeros(2, 3, requires_grad=True)
        y = torch.linalg.vector_norm(x, ord, dim=1)
        y.sum().backward()
        return y, x.grad
    out = assert_same_outcome(program)
    if ord != 0:  # PyTorch's subgradient at 0 is 0, for every order
        assert out.value[1].tolist() == [[0.0] * 3] * 2
    else:  # ord 0 gives no gradient at all
        assert out.value[1] is None


def test_float32_input_computed_in_float64():
    def program(torch):
        x = torch.tensor([[1e-3, 3.0], [4.0, 5.0]], requires_grad=True)
        y = torch.linalg.vector_norm(x, 3, dim=0, dtype=torch.float64)
        y.sum().backward()
        return y, graph_signature(y), x.grad, x.grad.dtype
    out = assert_same_outcome(program, rtol=1e-7)
    assert out.value[0].dtype is lab.float64 and out.value[2].dtype is lab.float32


def test_wider_inputs_and_0d():
    def program(torch):
        x = torch.arange(24.0).reshape(2, 3, 4).requires_grad_()
        y = torch.linalg.vector_norm(x - 11.5, 2.5, dim=(2, 0))
        s = torch.tensor(-3.0, requires_grad=True)
        z = torch.linalg.vector_norm(s, dim=0)
        return (y, torch.autograd.grad(y.sum(), x), z, torch.autograd.grad(z, s),
                torch.linalg.vector_norm(torch.zeros(0, 3), 1, dim=0),
                torch.linalg.vector_norm(torch.zeros(0)), torch.linalg.vector_norm(
                    torch.zeros(0, 3), INF, dim=1),
                torch.linalg.vector_norm(torch.ones(3), ord=torch.tensor(3.0)),
                torch.linalg.vector_norm(torch.ones(3), ord=True))
    assert_same_outcome(program)


ERRORS = {
    "integer input": lambda T: T.linalg.vector_norm(T.tensor([1, 2])),
    "integer input, float dtype": lambda T: T.linalg.vector_norm(T.tensor([1, 2]),
                                                                  dtype=T.float32),
    "integer dtype": lambda T: T.linalg.vector_norm(T.ones(2), dtype=T.int64),
    "narrowing dtype": lambda T: T.linalg.vector_norm(T.ones(2, dtype=T.float64),
                                                      dtype=T.float32),
    "inf of nothing": lambda T: T.linalg.vector_norm(T.zeros(0), INF),
    "-1 of nothing": lambda T: T.linalg.vector_norm(T.zeros(2, 0), -1),
    "-0.5 of nothing": lambda T: T.linalg.vector_norm(T.zeros(0), -0.5),
    "inf along an empty dim": lambda T: T.linalg.vector_norm(T.zeros(0, 3), INF, dim=0),
    "-inf along an empty dim": lambda T: T.linalg.vector_norm(T.zeros(2, 0), -INF, dim=(0, 1)),
    "string ord": lambda T: T.linalg.vector_norm(T.ones(2), "fro"),
    "None ord": lambda T: T.linalg.vector_norm(T.ones(2), None),
    "dim out of range": lambda T: T.linalg.vector_norm(T.ones(2, 3), dim=5),
    "dim twice": lambda T: T.linalg.vector_norm(T.ones(2, 3), dim=(0, -2)),
    "a list": lambda T: T.linalg.vector_norm([1.0, 2.0]),
    "norm: 3-D with ord": lambda T: T.linalg.norm(T.ones(2, 2, 2), 3),
    "norm: fro of a vector": lambda T: T.linalg.norm(T.ones(3), "fro"),
    "norm: matrix order 3": lambda T: T.linalg.norm(T.ones(2, 2), 3),
    "norm: matrix order 3 on dims": lambda T: T.linalg.norm(T.ones(2, 2, 2), 3, dim=(1, 2)),
    "norm: three dims": lambda T: T.linalg.norm(T.ones(2, 2, 2), 1, dim=(0, 1, 1)),
    "matrix: same dim twice": lambda T: T.linalg.norm(T.ones(2, 3), 1, dim=(0, -2)),
    "matrix: fro, same dim twice": lambda T: T.linalg.norm(T.ones(2, 3), "fro", dim=(1, 1)),
    "matrix: dim out of range": lambda T: T.linalg.matrix_norm(T.ones(2, 3), 1, dim=(0, 5)),
    "matrix: a vector": lambda T: T.linalg.matrix_norm(T.ones(3), 1),
    "matrix: integers": lambda T: T.linalg.matrix_norm(T.ones(2, 2, dtype=T.int64), 1),
    "matrix: unknown name": lambda T: T.linalg.matrix_norm(T.ones(2, 2), "abc"),
    "matrix: order 0": lambda T: T.linalg.matrix_norm(T.ones(2, 2), 0),
    "matrix: one dim": lambda T: T.linalg.matrix_norm(T.ones(2, 3), dim=(1,)),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_word_for_word(name):
    assert_same_error(ERRORS[name])


def test_linalg_norm_vector_and_frobenius():
    def program(torch):
        a = torch.tensor([[1.0, -2.0, 2.0], [0.5, 3.0, -1.0]], requires_grad=True)
        outs = [torch.linalg.norm(a), torch.linalg.norm(a[0]), torch.linalg.norm(a[1], 1),
                torch.linalg.norm(a, INF, dim=1), torch.linalg.norm(a, dim=0, keepdim=True),
                torch.linalg.norm(a, "fro"), torch.linalg.norm(a, keepdim=True),
                torch.linalg.norm(a.reshape(1, 2, 3), dim=(2, 1)),
                torch.linalg.norm(a.reshape(1, 2, 3))]
        total = sum((i + 1) * o.sum() for i, o in enumerate(outs))
        return outs, [graph_signature(o) for o in outs], torch.autograd.grad(total, a)
    assert_same_outcome(program)


MATRIX_CASES = [dict(), dict(keepdim=True), dict(dim=(1, 0)), dict(dim=(-1, -2), keepdim=True),
                dict(dim=(2, 0)), dict(dim=(0, 2), keepdim=True)]


@pytest.mark.parametrize("kw", MATRIX_CASES, ids=str)
@pytest.mark.parametrize("ord", ["fro", 1, -1, INF, -INF], ids=str)
def test_matrix_norms(ord, kw):
    def program(torch):
        # ties in the column and row sums, so the shared subgradient of amax/amin shows
        a = torch.tensor([[[1.0, -2.0, 3.0], [4.0, 0.5, -6.0]],
                          [[2.0, 2.0, -1.0], [-1.0, 1.0, 2.0]]], requires_grad=True)
        m = a if "dim" in kw and max(kw["dim"]) == 2 else a[1]
        y = torch.linalg.matrix_norm(m, ord, **kw)
        z = torch.linalg.norm(a[0], ord, **({} if "dim" in kw and max(kw["dim"]) == 2 else kw))
        g, = torch.autograd.grad((y * torch.arange(1.0, 1.0 + y.numel()).reshape(y.shape)).sum()
                                 + 2 * z.sum(), a)
        return y, graph_signature(y), z, graph_signature(z), g
    assert_same_outcome(program)


def test_matrix_norm_in_float64_and_batched():
    def program(torch):
        a = torch.arange(-6.0, 6.0).reshape(3, 2, 2).requires_grad_()
        outs = [torch.linalg.matrix_norm(a, o, dtype=torch.float64) for o in ("fro", 1, -INF)]
        return outs, torch.autograd.grad(sum(o.sum() for o in outs), a)
    assert_same_outcome(program)


def test_matrix_norms_it_lacks_say_so():
    with pytest.raises(NotImplementedError, match="nuclear"):
        lab.linalg.norm(lab.ones(2, 2), "nuc")
    with pytest.raises(NotImplementedError, match=r"spectral norm \(order -2\)"):
        lab.linalg.matrix_norm(lab.ones(2, 2), -2)


def test_known_values_without_torch():
    x = lab.tensor([3.0, 0.0, -4.0], requires_grad=True)
    V = lab.linalg.vector_norm
    assert [V(x, o).item() for o in (2, 1, INF, -INF, 0)] == [5.0, 7.0, 4.0, 0.0, 2.0]
    y = V(x)
    assert type(y.grad_fn).__name__ == "LinalgVectorNormBackward0"
    y.backward()
    assert x.grad.tolist() == pytest.approx([0.6, 0.0, -0.8])
    t = lab.tensor([2.0, -2.0, 1.0], requires_grad=True)
    V(t, INF).backward()  # the maximum's gradient is shared by the two tied elements
    assert t.grad.tolist() == [0.5, -0.5, 0.0]


@pytest.mark.parametrize("ord", [2, 1, 3, 1.5, 0.5, INF, -INF, -1.5], ids=str)
def test_finite_differences(ord):
    x = rand(3, 4, seed=5, away_from=0.0)
    for kw in (dict(), dict(dim=1), dict(dim=(0,), keepdim=True)):
        check_gradient(f"vector_norm ord={ord} {kw}", lambda a: lab.linalg.vector_norm(a, ord, **kw),
                       (x,))
    if not math.isinf(ord):
        check_second_derivative(f"vector_norm ord={ord}",
                                lambda a: lab.linalg.vector_norm(a, ord, dim=1), (x,))


def test_float64_input_and_gradient_are_float64():
    x = lab.tensor(np.array([1.0, 2.0, 2.0]), dtype=lab.float64, requires_grad=True)
    y = lab.linalg.vector_norm(x)
    y.backward()
    assert y.dtype is lab.float64 and y.item() == 3.0
    assert x.grad.dtype is lab.float64
    assert x.grad.tolist() == pytest.approx([1 / 3, 2 / 3, 2 / 3], rel=1e-15)
