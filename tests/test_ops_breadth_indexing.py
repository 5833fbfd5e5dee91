"""Indexing with a ``range``, Python lists (and lists of lists) and NumPy arrays, mixed with
slices, as getitem and setitem: values, nodes, gradients and warnings as PyTorch's (the
makemore idiom ``logprobs[range(n), Y]``)."""
import numpy as np
import pytest

from oracle import assert_same_error, assert_same_outcome

GET = {
    "range,Y": lambda torch, x: x[range(3), torch.tensor([1, 0, 3])],
    "range,list": lambda torch, x: x[range(3), [3, 2, 1]],
    "range": lambda torch, x: x[range(2)],
    "range-step": lambda torch, x: x[range(0, 3, 2)],
    "range-empty": lambda torch, x: x[range(0)],
    "range,slice": lambda torch, x: x[range(1, 3), 1:],
    "list": lambda torch, x: x[[0, 2]],
    "slice,list": lambda torch, x: x[:, [1, 2]],
    "list,list": lambda torch, x: x[[0, 2], [1, 3]],
    "list,slice": lambda torch, x: x[[0, 2], 1:3],
    "list-of-lists": lambda torch, x: x[[[0, 1], [2, 2]]],
    "negative": lambda torch, x: x[[-1, 0]],
    "bools": lambda torch, x: x[[True, False, True]],
    "ellipsis,list": lambda torch, x: x[..., [0, 0]],
    "numpy": lambda torch, x: x[np.arange(2)],
    "numpy,numpy": lambda torch, x: x[np.array([0, 2]), np.array([3, 3])],
    "numpy-bool": lambda torch, x: x[np.array([True, False, True])],
}


@pytest.mark.parametrize("name", list(GET))
def test_getitem_values_nodes_and_gradients_as_torch(name):
    def program(torch):
        x = torch.arange(12.0).reshape(3, 4).requires_grad_()
        y = GET[name](torch, x)
        (y * torch.arange(1.0, 1.0 + y.numel()).reshape(y.shape)).sum().backward()
        return y, x.grad
    assert_same_outcome(program)


SET = {
    "range,Y": ((range(3), [1, 0, 3]), 1.0),
    "list": (([0, 2],), 5.0),
    "slice,list": ((slice(None), [1, 2]), "row"),
    "range,slice": ((range(1, 3), slice(0, 2)), 2.5),
    "numpy": ((np.array([2, 0]),), -1.0),
}


@pytest.mark.parametrize("name", list(SET))
def test_setitem_as_torch_with_history(name):
    index, value = SET[name]

    def program(torch):
        w = torch.tensor([1.0, -1.0, 2.0, 0.5], requires_grad=True)
        z = torch.zeros(3, 4) + w
        v = torch.tensor([7.0, 8.0], requires_grad=True) if value == "row" else value
        z[index] = v
        (z * torch.arange(12.0).reshape(3, 4)).sum().backward()
        return z, w.grad, (v.grad if value == "row" else None), z.grad_fn
    assert_same_outcome(program)


def test_out_of_range_list_index_fails_as_torch():
    assert_same_error(lambda torch: torch.zeros(3, 4)[range(4), 0])
    assert_same_error(lambda torch: torch.zeros(3, 4)[:, [1, 4]])
