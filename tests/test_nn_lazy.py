"""nn.LazyLinear against PyTorch: printed before and after its first call, placeholders that
refuse a shape, the first input's last dimension as in_features, the same initial numbers as
PyTorch after manual_seed (drawn at the first call), becoming a Linear, shared lazy layers and
the state_dict before and after.
"""
import pytest

import autograd_lab as lab

from oracle import assert_same_error, assert_same_outcome


def test_before_and_after_the_first_call():
    def program(torch):
        nn = torch.nn
        net = nn.Sequential(nn.LazyLinear(8), nn.ReLU(), nn.LazyLinear(1))
        before = (repr(net), repr(net[0].weight), repr(net.state_dict()),
                  net[0].has_uninitialized_params())
        torch.manual_seed(0)
        X = torch.rand(size=(2, 4))
        out = net(X)
        return (before, out, repr(net), net[0].weight.detach(), net[2].bias.detach(),
                [(name, param.shape) for name, param in net.named_parameters()],
                type(net[0]).__name__, isinstance(net[0], nn.Linear))
    out = assert_same_outcome(program)
    assert out.value[2].splitlines()[1] == "  (0): Linear(in_features=4, out_features=8, bias=True)"


def test_same_numbers_as_an_eager_linear_from_the_same_seed():
    layer = lab.nn.LazyLinear(3)
    x = lab.ones(5, 7)
    lab.manual_seed(11)
    layer(x)
    lab.manual_seed(11)
    eager = lab.nn.Linear(7, 3)
    assert layer.weight.tolist() == eager.weight.tolist()
    assert layer.bias.tolist() == eager.bias.tolist()


def test_shared_lazy_layer_and_higher_rank_input():
    def program(torch):
        nn = torch.nn
        torch.manual_seed(0)
        shared = nn.LazyLinear(8)
        net = nn.Sequential(nn.LazyLinear(8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(),
                            nn.LazyLinear(1))
        X = torch.rand(size=(2, 4))
        y = net(X)
        same_before = net[2].weight.data[0] == net[4].weight.data[0]
        net[2].weight.data[0, 0] = 100
        no_bias = nn.LazyLinear(3, bias=False)
        return (y, same_before, net[2].weight.data[0] == net[4].weight.data[0],
                len(list(net.parameters())), no_bias(torch.ones(2, 3, 5)).shape, repr(no_bias))
    assert_same_outcome(program)


def test_a_placeholder_has_no_shape():
    assert_same_error(lambda torch: torch.nn.LazyLinear(2).weight.shape)


def test_the_hook_is_gone_after_the_first_call():
    layer = lab.nn.LazyLinear(2)
    layer(lab.ones(1, 3))
    assert not layer._forward_pre_hooks
    with pytest.raises(RuntimeError, match="mat1 and mat2 shapes cannot be multiplied"):
        layer(lab.ones(1, 4))  # the input size is fixed now
