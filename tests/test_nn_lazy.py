"""nn.LazyLinear against PyTorch: printed before and after its first call, placeholders that
refuse a shape, the first input's last dimension as in_features, the same initial numbers as
PyTorch after manual_seed (drawn at the first call), becoming a Linear, shared lazy layers and
the state_dict before and after.
"""
import copy

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


# == what an uninitialized parameter refuses, and what it allows, before the first call =========
def _placeholder(torch):
    return torch.nn.LazyLinear(4).weight


REFUSED = {  # each raises PyTorch's ValueError, naming the function as PyTorch prints it
    "count_parameters": lambda torch: sum(p.numel() for p in torch.nn.LazyLinear(4).parameters()),
    "nelement": lambda torch: _placeholder(torch).nelement(),
    "dim": lambda torch: _placeholder(torch).dim(),
    "add": lambda torch: _placeholder(torch) + 1,
    "radd": lambda torch: 1 + _placeholder(torch),
    "rsub": lambda torch: 1 - _placeholder(torch),
    "tensor_minus_placeholder": lambda torch: torch.ones(2) - _placeholder(torch),
    "tensor_matmul_placeholder": lambda torch: torch.ones(2) @ _placeholder(torch),
    "pow": lambda torch: _placeholder(torch) ** 2,
    "neg": lambda torch: -_placeholder(torch),
    "compare": lambda torch: _placeholder(torch) < 1,
    "eq": lambda torch: _placeholder(torch) == 1,
    "bool": lambda torch: bool(_placeholder(torch)),
    "len": lambda torch: len(_placeholder(torch)),
    "iterate": lambda torch: list(_placeholder(torch)),
    "contains": lambda torch: 1. in _placeholder(torch),
    "index": lambda torch: _placeholder(torch)[0],
    "format": lambda torch: f"{_placeholder(torch)}",
    "sum": lambda torch: _placeholder(torch).sum(),
    "item": lambda torch: _placeholder(torch).item(),
    "tolist": lambda torch: _placeholder(torch).tolist(),
    "detach": lambda torch: _placeholder(torch).detach(),
    "clone": lambda torch: _placeholder(torch).clone(),
    "in_place": lambda torch: _placeholder(torch).mul_(2),
    "requires_grad_": lambda torch: _placeholder(torch).requires_grad_(False),
    "module_requires_grad_": lambda torch: torch.nn.LazyLinear(4).requires_grad_(False),
    "backward": lambda torch: _placeholder(torch).backward(),
    "register_hook": lambda torch: _placeholder(torch).register_hook(lambda g: g),
    "numpy": lambda torch: _placeholder(torch).numpy(),
    "torch_add": lambda torch: torch.add(_placeholder(torch), 1),
    "torch_numel": lambda torch: torch.numel(_placeholder(torch)),
    "torch_sum": lambda torch: torch.sum(_placeholder(torch)),
    "torch_cat": lambda torch: torch.cat([_placeholder(torch)]),
    "F_linear": lambda torch: torch.nn.functional.linear(torch.ones(1, 3), _placeholder(torch)),
    "F_relu": lambda torch: torch.nn.functional.relu(_placeholder(torch)),
    "F_mse_loss": lambda torch: torch.nn.functional.mse_loss(_placeholder(torch),
                                                            _placeholder(torch)),
    "init_normal_": lambda torch: torch.nn.init.normal_(_placeholder(torch)),
    "init_kaiming_uniform_": lambda torch: torch.nn.init.kaiming_uniform_(_placeholder(torch)),
    "init_zeros_": lambda torch: torch.nn.init.zeros_(_placeholder(torch)),
    "init_xavier_uniform_": lambda torch: torch.nn.init.xavier_uniform_(_placeholder(torch)),
    "init_constant_": lambda torch: torch.nn.init.constant_(_placeholder(torch), 1.),
    "parameter_of_it": lambda torch: torch.nn.Parameter(_placeholder(torch)),
    # (not refused by the check: these read .shape first, which has its own error)
    "init_kaiming_normal_": lambda torch: torch.nn.init.kaiming_normal_(_placeholder(torch)),
    "load_into_an_initialized_module": lambda torch: torch.nn.Linear(3, 4).load_state_dict(
        torch.nn.LazyLinear(4).state_dict()),
}


@pytest.mark.parametrize("name", REFUSED)
def test_an_uninitialized_parameter_refuses_like_pytorch(name):
    kind, message = assert_same_error(REFUSED[name])
    if kind == "ValueError":
        assert message.startswith("Attempted to use an uninitialized parameter in ")


def test_what_an_uninitialized_parameter_allows():
    def program(torch):
        torch.manual_seed(0)
        m = torch.nn.LazyLinear(4)
        p = m.weight
        seen = [repr(p), str(p), repr(list(m.parameters())), p.data, p.size(), p.ndim, p.dtype,
                str(p.device), p.requires_grad, p.is_leaf, p.grad, p.is_floating_point(),
                repr(p.float()), p.to(torch.float64).detach(), hash(p) == hash(p), p in [p],
                len(set(m.parameters())), repr(copy.deepcopy(p)), repr(copy.deepcopy(m)),
                repr(torch.nn.LazyLinear(2).double().weight),
                torch.nn.LazyLinear(2).double().weight.dtype, repr(m.state_dict())]
        p.grad = None
        opt = torch.optim.SGD(m.parameters(), lr=0.1)
        opt.zero_grad()
        opt.step()  # no gradient yet: nothing to do
        loss = m(torch.ones(2, 3)).sum()  # the first call shapes and fills them
        loss.backward()
        opt.step()
        return seen, repr(m), m.weight, m.bias, sum(q.numel() for q in m.parameters())
    out = assert_same_outcome(program)
    assert out.error is None and out.value[-1] == 16


def test_load_state_dict_shapes_a_lazy_module():
    def program(torch):
        torch.manual_seed(0)
        source = torch.nn.Linear(3, 4)
        lazy = torch.nn.LazyLinear(4)
        loaded = lazy.load_state_dict(source.state_dict())
        before = (repr(lazy), type(lazy.weight).__name__, lazy.weight, lazy.bias)
        out = lazy(torch.ones(1, 3))  # in_features taken from the input now
        still_lazy = torch.nn.LazyLinear(4)
        still_lazy.load_state_dict(torch.nn.LazyLinear(4).state_dict())
        return (loaded, before, out, repr(lazy), repr(still_lazy.weight),
                still_lazy.has_uninitialized_params())
    assert assert_same_outcome(program).error is None


def test_a_shape_loaded_that_the_input_contradicts():
    def program(torch):
        lazy = torch.nn.LazyLinear(4)
        lazy.load_state_dict(torch.nn.Linear(3, 4).state_dict())
        return lazy(torch.ones(1, 5))
    assert_same_error(program)
