"""torch.tril / torch.triu, their Tensor methods and in-place forms, against PyTorch: values
(every diagonal, batches of matrices, integer and bool tensors, float64), TrilBackward0 /
TriuBackward0 with ``_saved_diagonal`` and their edges, gradients and the double backward,
in-place on a leaf, on a non-leaf and on a view, and errors word for word; and finite
differences.
"""
import pytest

import autograd_lab as lab

from gradcheck_support import check_gradient, check_second_derivative, rand
from oracle import assert_same_error, assert_same_graph, assert_same_outcome, run_both


def same(program):
    """assert_same_outcome for a program that must run without error."""
    out = assert_same_outcome(program)
    assert out.error is None, out.error
    return out


@pytest.mark.parametrize("name", ["tril", "triu"])
@pytest.mark.parametrize("diagonal", [-5, -2, -1, 0, 1, 2, 6])
def test_values_every_diagonal(name, diagonal):
    def program(torch):
        a = torch.arange(1.0, 13.0).reshape(3, 4)
        batch = torch.arange(24).reshape(2, 3, 4)
        wide = torch.arange(30.0, dtype=torch.float64).reshape(5, 1, 2, 3)
        return (getattr(torch, name)(a, diagonal), getattr(a, name)(diagonal),
                getattr(torch, name)(batch, diagonal=diagonal),
                getattr(wide, name)(diagonal), getattr(torch, name)(a > 4, diagonal))
    same(program)


def test_default_diagonal_and_lecture_mask():
    def program(torch):
        T = 4
        tril = torch.tril(torch.ones(T, T))
        wei = torch.zeros((T, T)).masked_fill(tril == 0, float('-inf'))
        return (tril, torch.triu(torch.ones(3, 5)), torch.ones(0, 3).tril(),
                torch.softmax(wei, dim=-1), repr(torch.ones(2, 2).triu()))
    same(program)


@pytest.mark.parametrize("name", ["tril", "triu"])
def test_node_saved_diagonal_and_gradients(name):
    def program(torch):
        torch.manual_seed(0)
        x = torch.randn(2, 3, 4, requires_grad=True)
        y = getattr(x, name)(-1)
        node = y.grad_fn
        (y * torch.arange(24.0).reshape(2, 3, 4)).sum().backward()
        z = getattr(torch, name)(x * 2, 1)
        return (y, node, node._saved_diagonal, x.grad, z.grad_fn._saved_diagonal,
                [a for a in dir(node) if a.startswith("_saved_")])
    same(program)

    def graphs(torch):
        x = torch.ones(3, 3, requires_grad=True)
        return getattr(torch, name)(x.exp(), 2)
    expected, actual = run_both(graphs)
    assert_same_graph(expected.value, actual.value)


@pytest.mark.parametrize("name", ["tril", "triu"])
def test_double_backward_records_the_op_again(name):
    def program(torch):
        torch.manual_seed(0)
        x = torch.randn(3, 3, requires_grad=True)
        y = getattr(x, name)(1)
        v = torch.randn(3, 3, requires_grad=True)
        gx, = torch.autograd.grad(y, x, v, create_graph=True)
        back = gx.grad_fn
        gv, = torch.autograd.grad((gx * torch.arange(9.0).reshape(3, 3)).sum(), v)
        return gx, back, back._saved_diagonal, [n for n, _ in back.next_functions], gv
    same(program)


@pytest.mark.parametrize("name", ["tril_", "triu_"])
def test_in_place(name):
    def program(torch):
        torch.manual_seed(0)
        x = torch.randn(3, 4, requires_grad=True)
        y = x * 2
        out = getattr(y, name)(1)
        node = y.grad_fn
        (y ** 2).sum().backward()
        plain = torch.arange(12.0).reshape(3, 4)
        version = plain._version
        getattr(plain, name)(-1)
        base = torch.randn(4, 4, requires_grad=True).clone()
        view = base[1:, 1:]
        getattr(view, name)()
        return (out is y, y, node, node._saved_diagonal, [n for n, _ in node.next_functions],
                x.grad, plain, plain._version - version, base, base.grad_fn, view.grad_fn)
    same(program)


@pytest.mark.parametrize("program", [
    lambda torch: torch.tril(torch.ones(3)),
    lambda torch: torch.ones(3).triu(),
    lambda torch: torch.tensor(1.0).tril_(),
    lambda torch: torch.ones(4).triu_(1),
    lambda torch: torch.tril(torch.ones(3, 3), 1.5),
    lambda torch: torch.ones(3, 3).triu(1.5),
    lambda torch: torch.ones(3, 3).tril(True),
    lambda torch: torch.ones(3, 3).tril_(0.5),
    lambda torch: torch.ones(3, 3, requires_grad=True).tril_(),
    lambda torch: torch.ones(3, requires_grad=True).triu_(),
], ids=["tril_1d", "triu_method_1d", "tril__0d", "triu__1d", "float_diagonal",
        "method_float_diagonal", "bool_diagonal", "in_place_float_diagonal", "leaf_in_place",
        "leaf_in_place_1d"])
def test_errors(program):
    assert_same_error(program)


def test_in_place_error_leaves_the_tensor_unchanged():
    x = lab.arange(4.0)
    with pytest.raises(RuntimeError):
        x.tril_()
    assert x.tolist() == [0.0, 1.0, 2.0, 3.0] and x._version == 0


def test_finite_differences():
    check_gradient("tril", lambda x: lab.tril(x, -1), (rand(2, 3, 4),))
    check_gradient("triu", lambda x: x.triu(1), (rand(4, 3),))
    check_gradient("tril_", lambda x: (x * 1).tril_(), (rand(3, 3),))
    check_second_derivative("tril", lambda x: lab.tril(x) ** 3, (rand(3, 3),))
    check_second_derivative("triu", lambda x: lab.triu(x * x, -1), (rand(2, 3, 3),))
