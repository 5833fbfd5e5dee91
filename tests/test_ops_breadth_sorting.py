"""sort, argsort, msort, topk and kthvalue: values, indices, return types, nodes, gradients and
errors as PyTorch's; NaN and ties in sort; finite differences."""
import pytest

import autograd_lab as lab
from gradcheck_support import check_gradient, leaf
from ops_support import check_against_torch
from oracle import assert_same_error, assert_same_outcome

X = [[3.0, 1.0, 2.0, -4.0], [0.5, 5.0, 4.0, -1.5], [7.0, -2.0, 0.0, 6.0]]


@pytest.mark.parametrize("f", [
    lambda torch, x: torch.sort(x)[0],
    lambda torch, x: x.sort(0, True).values,
    lambda torch, x: x.sort(dim=1, descending=True, stable=True)[0],
    lambda torch, x: x.msort(),
    lambda torch, x: torch.topk(x, 2)[0],
    lambda torch, x: x.topk(2, dim=0, largest=False).values,
    lambda torch, x: x.topk(3, 1, True, False)[0].sort()[0],  # (unsorted: order unspecified)
    lambda torch, x: x.kthvalue(2)[0],
    lambda torch, x: x.kthvalue(3, 0, keepdim=True).values,
], ids=["sort", "sort0desc", "stable", "msort", "topk", "topk-small", "topk-unsorted",
        "kthvalue", "kthvalue-keepdim"])
def test_values_and_gradients_match_torch(f):
    check_against_torch(f, [X])


@pytest.mark.parametrize("f", [
    lambda torch, x: torch.sort(x),
    lambda torch, x: torch.sort(x, 0, True),
    lambda torch, x: x.topk(2),
    lambda torch, x: x.kthvalue(2, 1, True),
    lambda torch, x: (x.argsort(), torch.argsort(x, dim=0, descending=True)),
], ids=["sort", "sort-desc", "topk", "kthvalue", "argsort"])
def test_return_types_print_and_unpack_as_torch(f):
    def program(torch):
        x = torch.tensor(X, requires_grad=True)
        r = f(torch, x)
        if isinstance(r, tuple) and not type(r) is tuple:
            values, indices = r
            return repr(r), type(r).__name__, values, indices, r.indices
        return r
    assert_same_outcome(program)


def test_naming_stable_selects_the_other_overload_as_torch():
    def program(torch):
        x = torch.tensor(X, requires_grad=True)
        return (x.sort()[0].grad_fn, x.sort(stable=True)[0].grad_fn,
                torch.sort(x, stable=False)[0].grad_fn, x.sort(dim=0, stable=True)[0].grad_fn._saved_dim)
    out = assert_same_outcome(program)
    assert [type(n).__name__ for n in out.value[:3]] == ["SortBackward0", "SortBackward1",
                                                         "SortBackward1"]


def test_saved_fields_as_torch():
    def program(torch):
        x = torch.tensor(X, requires_grad=True)
        s, t, k = x.sort(1)[0].grad_fn, x.topk(2)[0].grad_fn, x.kthvalue(2, 0)[0].grad_fn
        return (s._saved_dim, s._saved_self_sym_sizes, s._saved_indices, t._saved_dim,
                t._saved_indices, k._saved_dim, k._saved_keepdim, k._saved_indices)
    assert_same_outcome(program)


def test_nan_is_largest_and_ties_keep_their_order_in_sort():
    def program(torch):
        x = torch.tensor([1.0, 2.0, 2.0, 1.0, float("nan"), 2.0, -float("inf")])
        i = torch.tensor([3, -2, 3, 0, -2, 7])
        b = torch.tensor([True, False, True, False])
        return (x.sort(), x.sort(descending=True), i.sort(), i.sort(descending=True),
                i.argsort(stable=True), b.sort(), b.sort(descending=True))
    assert_same_outcome(program)


def test_zero_dim_and_empty_as_torch():
    def program(torch):
        s = torch.tensor(3.0, requires_grad=True)
        x = torch.tensor(X)
        out = (s.sort(), s.topk(1), s.kthvalue(1), x.topk(0))
        s.sort()[0].backward()
        return out + (s.grad,)
    assert_same_outcome(program)


@pytest.mark.parametrize("f", [
    lambda torch, x: x.topk(5),
    lambda torch, x: x.topk(-1),
    lambda torch, x: x.kthvalue(5),
    lambda torch, x: x.kthvalue(0, 0),
    lambda torch, x: x.sort(2),
    lambda torch, x: x.argsort(-3),
])
def test_errors_as_torch(f):
    assert_same_error(lambda torch: f(torch, torch.tensor(X)))


def test_finite_differences():
    check_gradient("sort", lambda x: lab.sort(x, 1, True)[0], (leaf(X),))
    check_gradient("topk", lambda x: lab.topk(x, 2, 0)[0], (leaf(X),))
    check_gradient("kthvalue", lambda x: lab.kthvalue(x, 2, 1)[0], (leaf(X),))


def test_sort_gradient_goes_back_to_each_values_place():
    x = lab.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, _ = x.sort()
    (values * lab.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [100.0, 1.0, 10.0]
