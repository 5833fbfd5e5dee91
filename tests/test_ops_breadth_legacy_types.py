"""Legacy tensor types (torch.FloatTensor, LongTensor ...): construction from data and sizes,
isinstance by dtype, x.type() names and x.type(...) conversions, as PyTorch's."""
import pytest

import autograd_lab as lab
from oracle import assert_same_error, assert_same_outcome

NAMES = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
         "CharTensor", "ByteTensor", "BoolTensor"]


@pytest.mark.parametrize("name", NAMES)
def test_construction_as_torch(name):
    def program(torch):
        cls = getattr(torch, name)
        data = cls([1, 0, 2.7]) if name != "BoolTensor" else cls([1, 0, 1])
        sizes = cls(2, 3)  # (uninitialised memory in PyTorch: only its shape and dtype compare)
        empty = cls()
        return (data, sizes.dtype, empty, data.type(), sizes.shape, data.requires_grad, repr(cls),
                cls.__name__, isinstance(data, cls), isinstance(data, torch.Tensor),
                type(data) is torch.Tensor, [isinstance(data, getattr(torch, n)) for n in NAMES])
    assert_same_outcome(program)


def shares(torch, x):
    y = torch.FloatTensor(x)
    y[0] = 9.0
    return x[0].item()


def test_type_conversions_as_torch():
    def program(torch):
        x = torch.tensor([1.5, -2.25])
        w = torch.nn.Linear(2, 1).weight
        return (x.type(), x.type(torch.LongTensor), x.type("torch.DoubleTensor"),
                x.type(torch.float64), torch.LongTensor([3]).type(torch.FloatTensor),
                w.type(), torch.FloatTensor(x) is x, shares(torch, x))
    assert_same_outcome(program)


def test_gradient_flows_through_type_conversion():
    def program(torch):
        x = torch.tensor([1.5, -2.25], requires_grad=True)
        y = x.type(torch.DoubleTensor)
        (y * y).sum().backward()
        return y, x.grad
    assert_same_outcome(program)


@pytest.mark.parametrize("call", [
    lambda torch: torch.LongTensor(torch.tensor([1.0, 2.0])),
    lambda torch: torch.tensor([1.0]).type("torch.Foo"),
    lambda torch: torch.FloatTensor(2).cuda(),
], ids=["other-dtype", "bad-name", "cuda"])
def test_errors_as_torch(call):
    assert_same_error(call)


def test_legacy_type_is_not_a_tensor_subclass():
    assert not issubclass(lab.FloatTensor, lab.Tensor)
    assert isinstance(lab.ones(2), lab.FloatTensor) and not isinstance(lab.ones(2), lab.LongTensor)
