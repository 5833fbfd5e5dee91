"""repeat_interleave (function and Tensor method) compared with PyTorch: values, the composite
graph PyTorch records (Unsqueeze/Expand/Clone/View for an int, IndexSelect for a tensor of
counts), gradients, the one-argument form, output_size, errors; finite differences."""
from __future__ import annotations

import pytest

import autograd_lab as lab
from gradcheck_support import check_gradient, check_second_derivative
from oracle import assert_same_error, assert_same_graph, assert_same_outcome, need_torch

CASES = [
    lambda t, x: x.repeat_interleave(2),
    lambda t, x: x.repeat_interleave(2, 0),
    lambda t, x: x.repeat_interleave(3, dim=1),
    lambda t, x: x.repeat_interleave(2, -1, output_size=6),
    lambda t, x: x.repeat_interleave(0, 1),
    lambda t, x: x.repeat_interleave(t.tensor([1, 0, 2]), dim=1),
    lambda t, x: x.repeat_interleave(t.tensor([2, 3]), -2, output_size=5),
    lambda t, x: x.repeat_interleave(t.tensor([2]), 0),
    lambda t, x: x.repeat_interleave(t.tensor(3), 1),
    lambda t, x: x.repeat_interleave(t.tensor([1, 2, 0, 1, 1, 3])),
    lambda t, x: x.repeat_interleave(t.tensor([1, 2], dtype=t.int32), 0),
    lambda t, x: x.t().repeat_interleave(2),
    lambda t, x: t.repeat_interleave(x, 2, dim=1),
    lambda t, x: t.repeat_interleave(x, repeats=t.tensor([3, 1]), dim=0),
    lambda t, x: x.sum().repeat_interleave(3),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_values_graph_and_gradient(case):
    def program(torch):
        torch.manual_seed(0)
        x = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
        y = CASES[case](torch, x)
        (y * torch.arange(1.0, 1 + y.numel(), dtype=torch.float64).reshape(y.shape)).sum() \
            .backward()
        return y, x.grad
    assert_same_outcome(program, rtol=1e-12)
    torch = need_torch()
    tx = torch.randn(2, 3, requires_grad=True)
    lx = lab.randn(2, 3, requires_grad=True)
    assert_same_graph(CASES[case](torch, tx), CASES[case](lab, lx))


def test_one_argument_form_and_integers():
    def program(torch):
        return (torch.repeat_interleave(torch.tensor([1, 2, 3])),
                torch.repeat_interleave(torch.tensor([0, 2, 1]), output_size=3),
                torch.repeat_interleave(torch.tensor([], dtype=torch.long)),
                torch.tensor([[1, 2], [3, 4]]).repeat_interleave(torch.tensor([2, 1]), dim=0),
                torch.zeros(0, 3).repeat_interleave(torch.tensor([], dtype=torch.long), 0))
    assert_same_outcome(program)


def test_gradcheck():
    x = lab.randn(3, 4, dtype=lab.float64, requires_grad=True)
    for name, f in [("repeat_interleave int", lambda a: a.repeat_interleave(3, 1)),
                    ("repeat_interleave tensor",
                     lambda a: a.repeat_interleave(lab.tensor([2, 0, 3]), 0)),
                    ("repeat_interleave flat", lambda a: a.repeat_interleave(2))]:
        check_gradient(name, f, (x,))
        check_second_derivative(name, f, (x,))


ERRORS = [
    lambda t, x: x.repeat_interleave(t.tensor([1, 2, 3]), 0),
    lambda t, x: x.repeat_interleave(-1),
    lambda t, x: x.repeat_interleave(t.tensor([1, -1]), 0),
    lambda t, x: x.repeat_interleave(2, 2),
    lambda t, x: x.repeat_interleave(2, -3),
    lambda t, x: x.repeat_interleave(t.tensor([[1, 2]]), 0),
    lambda t, x: x.repeat_interleave(t.tensor([1., 2]), 0),
    lambda t, x: x.repeat_interleave(t.tensor([1, 2]), 0, output_size=4),
    lambda t, x: x.repeat_interleave(2, output_size=5),
    lambda t, x: x.repeat_interleave(t.tensor([], dtype=t.long), 0),
    lambda t, x: x.repeat_interleave(2.0, 0),
    lambda t, x: x.repeat_interleave(True, 0),
    lambda t, x: t.tensor(3.).repeat_interleave(2, 0),
    lambda t, x: t.repeat_interleave(t.tensor([[1, 2]])),
    lambda t, x: t.repeat_interleave(t.tensor([1, -2])),
    lambda t, x: t.repeat_interleave(t.tensor([1., 2])),
    lambda t, x: t.repeat_interleave(t.tensor(3)),
    lambda t, x: t.repeat_interleave(t.tensor([1, 2]), output_size=2),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors(case):
    assert_same_error(lambda torch: ERRORS[case](torch, torch.ones(2, 3, requires_grad=True)))
