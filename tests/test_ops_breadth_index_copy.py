"""index_copy / index_copy_ and index_fill / index_fill_: values, nodes (IndexCopyBackward0,
IndexFillBackward0/1), first and second derivatives and errors as PyTorch's; finite
differences."""
import pytest

import autograd_lab as lab
from gradcheck_support import check_gradient, leaf
from ops_support import check_against_torch
from oracle import assert_same_error, assert_same_outcome

X = [[1.0, -2.0], [3.0, 0.5], [-1.5, 2.5]]
S = [[7.0, 8.0], [9.0, -4.0]]


@pytest.mark.parametrize("f", [
    lambda torch, x, s: x.index_copy(0, torch.tensor([2, 0]), s),
    lambda torch, x, s: torch.index_copy(x, 0, torch.tensor([1, 2]), s) ** 2,
    lambda torch, x, s: x.t().index_copy(1, torch.tensor([0, 1]), s.t()) * s.sum(),
    lambda torch, x, s: x.clone().index_copy_(0, torch.tensor([2, 1]), s) * x,
], ids=["copy", "copy-squared", "dim1", "inplace"])
def test_index_copy_matches_torch(f):
    check_against_torch(f, [X, S])


@pytest.mark.parametrize("f", [
    lambda torch, x: x.index_fill(1, torch.tensor([0]), 2.0) * x,
    lambda torch, x: torch.index_fill(x, 0, torch.tensor([0, 2]), -1.0) ** 2,
    lambda torch, x: x.clone().index_fill_(0, torch.tensor([1]), 0.0) * x,
], ids=["fill", "fill0", "inplace"])
def test_index_fill_matches_torch(f):
    check_against_torch(f, [X])


def test_index_fill_with_a_tensor_value_as_torch():
    check_against_torch(lambda torch, x, v: x.index_fill(0, torch.tensor([0, 2]), v) * x,
                        [X, 3.0])


def test_zero_dim_and_saved_fields_as_torch():
    def program(torch):
        x = torch.tensor(X, requires_grad=True)
        s = torch.tensor(S, requires_grad=True)
        node = x.index_copy(0, torch.tensor([2, 0]), s).grad_fn
        scalar = torch.tensor(1.0).index_copy(0, torch.tensor([0]), torch.tensor(5.0))
        return node._saved_dim, node._saved_index, node._saved_source_dim, scalar
    assert_same_outcome(program)


@pytest.mark.parametrize("f", [
    lambda torch: torch.zeros(3, 2).index_copy_(0, torch.tensor([1]), torch.ones(2, 2)),
    lambda torch: torch.zeros(3, 2).index_copy_(0, torch.tensor([1.0]), torch.ones(1, 2)),
    lambda torch: torch.zeros(3, 2).index_copy_(0, torch.tensor([5]), torch.ones(1, 2)),
    lambda torch: torch.ones(2, requires_grad=True).index_copy_(0, torch.tensor([0]),
                                                                torch.zeros(1)),
], ids=["count", "float-index", "out-of-bounds", "leaf"])
def test_errors_as_torch(f):
    assert_same_error(f)


def test_finite_differences():
    check_gradient("index_copy", lambda x, s: lab.index_copy(x, 0, lab.tensor([2, 0]), s),
                   (leaf(X), leaf(S)))
    check_gradient("index_fill", lambda x, v: lab.index_fill(x, 1, lab.tensor([1]), v),
                   (leaf(X), leaf(3.0)))
