"""nn.Module, Parameter, layers, containers, losses and nn.init against PyTorch.

Each ``program(torch)`` runs under PyTorch and autograd_lab (see ``oracle``): printed forms,
parameter names and values (``nn.Linear`` after ``manual_seed`` must give PyTorch's numbers bit
for bit), the tree walks, state_dict round trips, hooks, and the errors PyTorch raises.
"""
import copy

import numpy as np
import pytest

import autograd_lab as lab

from oracle import assert_same_error, assert_same_outcome, graph_signature


def same(program, **kw):
    out = assert_same_outcome(program, **kw)
    assert out.error is None, out.error
    return out


def _mlp(torch):
    return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))


def _net_class(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh())
            self.heads = torch.nn.ModuleList([torch.nn.Linear(3, 1) for _ in range(3)])
            self.register_buffer("scale", torch.ones(1))
            self.register_buffer("cache", torch.zeros(2), persistent=False)

        def forward(self, x):
            h = self.body(x)
            return sum(head(h) for head in self.heads) * self.scale
    return Net


# == Linear initialisation: PyTorch's numbers after manual_seed ====================================
@pytest.mark.parametrize("sizes", [(2, 3), (1, 1), (5, 7), (16, 4), (3, 0)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_init_is_bit_identical_after_manual_seed(sizes, bias):
    def program(torch):
        torch.manual_seed(42)
        m = torch.nn.Linear(*sizes, bias=bias)
        return [p.detach().tolist() for p in m.parameters()], torch.rand(2)
    same(program, rtol=0, atol=0)


def test_linear_init_float64_and_consecutive_layers():
    def program(torch):
        torch.manual_seed(0)
        a = torch.nn.Linear(4, 3, dtype=torch.float64)
        b = torch.nn.Linear(3, 2)
        return a.weight, a.bias, b.weight, b.bias, a.weight.dtype
    same(program, rtol=0, atol=0)


def test_known_linear_init_without_torch():
    lab.manual_seed(0)
    m = lab.nn.Linear(2, 3)
    assert m.weight.tolist()[0] == pytest.approx([-0.0053, 0.3793], abs=1e-4)
    assert m.bias.tolist() == pytest.approx([-0.0140, 0.5607, -0.0628], abs=1e-4)
    bound = 1 / np.sqrt(2)
    assert np.all(np.abs(np.array(m.weight.tolist())) <= bound)


# == printing ========================================================================================
def test_reprs_of_layers_losses_and_containers():
    def program(torch):
        nn = torch.nn
        Net = _net_class(torch)
        return [repr(m) for m in (
            nn.Linear(2, 3), nn.Linear(2, 3, bias=False), nn.ReLU(), nn.ReLU(inplace=True),
            nn.Sigmoid(), nn.Tanh(), nn.Softmax(dim=1), nn.Softmax(), nn.LogSoftmax(dim=-1),
            nn.Identity(), nn.Flatten(), nn.MSELoss(), nn.MSELoss(reduction="sum"),
            nn.CrossEntropyLoss(), nn.NLLLoss(), _mlp(torch), Net(), nn.ModuleList(),
            nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2)]),
            nn.ModuleDict({"a": nn.Tanh(), "b": nn.Linear(1, 1)}), nn.Sequential(),
            nn.Sequential(nn.Sequential(nn.Linear(1, 2), nn.Sequential(nn.ReLU()))))]
    same(program)


def test_custom_extra_repr_and_nesting():
    def program(torch):
        class Block(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = torch.nn.Linear(2, 2)
                self.act = None

            def extra_repr(self):
                return "first line\nsecond line"

        class Outer(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.block = Block()
                self.seq = torch.nn.Sequential(Block(), torch.nn.ReLU())
        return repr(Outer()), str(Block())
    out = same(program)
    assert "  (block): Block(\n    first line" in out.value[0]


def test_parameter_repr_and_basics():
    def program(torch):
        p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
        q = torch.nn.Parameter(torch.ones(2, 2), requires_grad=False)
        r = torch.nn.Parameter()
        y = p * 2
        return (repr(p), repr(q), repr(r), str(p), p.is_leaf, p.requires_grad,
                q.requires_grad, isinstance(p, torch.Tensor), type(y).__name__, y,
                type(p.detach()).__name__, p.grad_fn)
    same(program)


def test_parameter_of_integers_is_refused():
    assert_same_error(lambda torch: torch.nn.Parameter(torch.tensor([1, 2])))


# == walking the tree =============================================================================
def test_names_order_and_walks():
    def program(torch):
        net = _net_class(torch)()
        shared = torch.nn.Linear(1, 1)
        twice = torch.nn.Sequential(shared, shared)
        return ([n for n, _ in net.named_parameters()],
                [n for n, _ in net.named_modules()],
                [n for n, _ in net.named_children()],
                [type(m).__name__ for m in net.modules()],
                [type(m).__name__ for m in net.children()],
                [n for n, _ in net.named_buffers()], list(net.buffers()),
                [n for n, _ in net.named_parameters(prefix="net", recurse=False)],
                [n for n, _ in net.body.named_parameters(prefix="body")],
                len(list(twice.parameters())), [n for n, _ in twice.named_modules()],
                [n for n, _ in twice.named_parameters(remove_duplicate=False)],
                sum(p.numel() for p in net.parameters()))
    same(program)


def test_forward_graph_of_a_model():
    def program(torch):
        torch.manual_seed(3)
        net = _net_class(torch)()
        x = torch.randn(5, 2)
        y = net(x)
        loss = torch.nn.functional.mse_loss(y, torch.zeros(5, 1))
        loss.backward()
        return y, graph_signature(loss), [p.grad for p in net.parameters()]
    same(program)


def test_train_eval_apply_and_requires_grad():
    def program(torch):
        net = _net_class(torch)()
        flags = [net.training, net.body[0].training]
        net.eval()
        flags += [m.training for m in net.modules()]
        net.train()
        flags += [m.training for m in net.modules()]
        net.body.train(False)
        flags += [m.training for m in net.modules()]
        order = []
        net.apply(lambda m: order.append(type(m).__name__))
        net.requires_grad_(False)
        rg = [p.requires_grad for p in net.parameters()]
        return flags, order, rg, net.eval() is net
    same(program)


def test_train_mode_must_be_boolean():
    assert_same_error(lambda torch: torch.nn.Linear(1, 1).train(1))


def test_zero_grad_to_none_or_zeros():
    def program(torch):
        torch.manual_seed(0)
        m = _mlp(torch)
        m(torch.randn(2, 3)).sum().backward()
        m.zero_grad(set_to_none=False)
        zeros = [p.grad for p in m.parameters()]
        m(torch.randn(2, 3)).sum().backward()
        m.zero_grad()
        return zeros, [p.grad for p in m.parameters()]
    same(program)


# == state_dict ===================================================================================
def test_state_dict_round_trip():
    def program(torch):
        torch.manual_seed(1)
        a = _net_class(torch)()
        b = _net_class(torch)()
        sd = a.state_dict()
        keys = list(sd.keys())
        detached = [v.requires_grad for v in sd.values()]
        kept = [v.requires_grad for v in a.state_dict(keep_vars=True).values()]
        result = b.load_state_dict(sd)
        equal = [(p - q).abs().sum().item() == 0 for p, q in zip(a.parameters(), b.parameters())]
        return keys, detached, kept, repr(result), equal, b.state_dict()
    same(program)


def test_state_dict_shares_memory_with_parameters():
    def program(torch):
        m = torch.nn.Linear(2, 1)
        sd = m.state_dict()
        with torch.no_grad():
            m.weight.fill_(3.0)
        return sd["weight"], sd["weight"].is_leaf
    same(program)


def test_load_state_dict_not_strict_reports_keys():
    def program(torch):
        m = torch.nn.Linear(2, 1)
        result = m.load_state_dict({"weight": torch.ones(1, 2), "extra": torch.zeros(1)},
                                   strict=False)
        return repr(result), result.missing_keys, result.unexpected_keys, m.weight
    same(program)


@pytest.mark.parametrize("case", ["missing", "unexpected", "both", "size", "not_tensor",
                                  "not_mapping", "nested"])
def test_load_state_dict_errors(case):
    def program(torch):
        m = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Linear(3, 1))
        sd = dict(m.state_dict())
        if case == "missing":
            del sd["0.bias"]
        elif case == "unexpected":
            sd["0.scale"] = torch.ones(1)
        elif case == "both":
            del sd["1.weight"]
            sd["2.weight"] = torch.ones(1)
        elif case == "size":
            sd["0.weight"] = torch.ones(3, 4)
        elif case == "not_tensor":
            sd["1.bias"] = [1.0]
        elif case == "nested":
            sd["0.inner.weight"] = torch.ones(1)
        else:
            sd = [1, 2]
        m.load_state_dict(sd)
    assert_same_error(program)


# == registration and attribute errors ==============================================================
REGISTRATION_ERRORS = {
    "param_before_init": "p = torch.nn.Parameter(torch.ones(1))\nclass M(torch.nn.Module):\n"
                         "    def __init__(self):\n        self.w = p\nM()",
    "module_before_init": "class M(torch.nn.Module):\n    def __init__(self):\n"
                          "        self.fc = torch.nn.Linear(1, 1)\nM()",
    "tensor_as_parameter": "m = torch.nn.Linear(1, 1)\nm.weight = torch.ones(1, 1)",
    "int_as_child": "m = torch.nn.Sequential(torch.nn.ReLU())\nsetattr(m, '0', 3)",
    "int_as_buffer": "m = torch.nn.Module()\nm.register_buffer('b', torch.ones(1))\nm.b = 3",
    "missing_attribute": "torch.nn.Linear(1, 1).nothing",
    "no_forward": "torch.nn.Module()(torch.ones(1))",
    "module_list_forward": "torch.nn.ModuleList([torch.nn.ReLU()])(torch.ones(1))",
    "register_existing": "m = torch.nn.Linear(1, 1)\nm.register_parameter('in_features', None)",
    "register_dotted": "torch.nn.Module().register_parameter('a.b', None)",
    "register_empty": "torch.nn.Module().register_buffer('', None)",
    "register_not_parameter": "torch.nn.Module().register_parameter('w', torch.ones(1))",
    "register_non_leaf": "x = torch.ones(1, requires_grad=True)\n"
                         "torch.nn.Module().register_parameter('w', torch.nn.Parameter(x) * 2)",
    "add_module_not_module": "torch.nn.Module().add_module('a', 3)",
    "add_module_dotted": "torch.nn.Module().add_module('a.b', torch.nn.ReLU())",
    "buffer_name_type": "torch.nn.Module().register_buffer(3, None)",
    "init_kwargs": "torch.nn.Module(foo=1)",
    "init_args": "torch.nn.Module(1)",
    "get_submodule": "torch.nn.Sequential(torch.nn.ReLU()).get_submodule('0.x')",
    "sequential_index": "torch.nn.Sequential(torch.nn.ReLU())[3]",
    "sequential_add": "torch.nn.Sequential() + 3",
    "module_list_index": "torch.nn.ModuleList([torch.nn.ReLU()])[-2]",
    "module_list_extend": "torch.nn.ModuleList().extend(3)",
    "softmax_dim_runtime": "torch.nn.Softmax(dim=3)(torch.ones(2, 2))",
    "init_fan": "torch.nn.init.xavier_uniform_(torch.empty(3))",
    "init_mode": "torch.nn.init.kaiming_uniform_(torch.empty(3, 2), mode='fan')",
    "init_gain": "torch.nn.init.calculate_gain('swish')",
    "init_eye": "torch.nn.init.eye_(torch.empty(3))",
}


@pytest.mark.parametrize("name", REGISTRATION_ERRORS)
def test_registration_and_usage_errors(name):
    source = REGISTRATION_ERRORS[name]
    assert_same_error(lambda torch: exec(source, {"torch": torch}))


def test_attributes_and_deletion():
    def program(torch):
        m = torch.nn.Linear(2, 2)
        m.bias = None
        names = [n for n, _ in m.named_parameters()]
        m.tag = "x"
        m.register_buffer("running", torch.zeros(2))
        m.running = torch.ones(2)
        del m.running
        del m.tag
        fc = torch.nn.Linear(1, 1)
        holder = torch.nn.Module()
        holder.fc = fc
        holder.fc = None
        return (names, m.bias, "running" in m.state_dict(), hasattr(m, "tag"),
                list(holder.named_children()), repr(holder), "weight" in dir(m),
                type(m.get_parameter("weight")).__name__)
    same(program)


# == hooks ==========================================================================================
def test_forward_hooks_and_pre_hooks():
    def program(torch):
        m = torch.nn.Linear(2, 2)
        calls = []
        h1 = m.register_forward_pre_hook(lambda mod, args: calls.append("pre") or
                                         (args[0] * 0,))
        h2 = m.register_forward_hook(lambda mod, args, out: calls.append("post") or out + 1)
        h3 = m.register_forward_hook(lambda mod, args, kwargs, out: calls.append(
            ("kw", kwargs)), with_kwargs=True)
        h4 = m.register_forward_pre_hook(lambda mod, args: calls.append("first"),
                                         prepend=True)
        with torch.no_grad():
            first = m(torch.ones(2))
        for h in (h1, h2, h3, h4):
            h.remove()
        second = m(torch.zeros(2))
        return calls, first - m.bias.detach(), second - m.bias
    same(program)


# == containers ===================================================================================
def test_sequential_operations():
    def program(torch):
        nn = torch.nn
        s = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1))
        out = [len(s), type(s[0]).__name__, type(s[-1]).__name__, repr(s[1:]), len(s[::2])]
        s.append(nn.Sigmoid())
        s.insert(1, nn.Tanh())
        s.extend([nn.Identity()])
        out.append([type(m).__name__ for m in s])
        del s[1]
        out.append(list(s._modules.keys()))
        popped = s.pop(-1)
        s[0] = nn.Linear(1, 2, bias=False)
        out += [type(popped).__name__, repr(s), repr(s + nn.Sequential(nn.ReLU())),
                repr(nn.Sequential(nn.ReLU()) * 2)]
        from collections import OrderedDict
        named = nn.Sequential(OrderedDict([("fc", nn.Linear(1, 1)), ("act", nn.ReLU())]))
        out += [repr(named), [n for n, _ in named.named_parameters()], type(named.fc).__name__]
        return out
    same(program)


def test_module_list_and_dict_operations():
    def program(torch):
        nn = torch.nn
        ml = nn.ModuleList([nn.Linear(1, 1) for _ in range(2)])
        ml.append(nn.ReLU())
        ml.extend([nn.Tanh(), nn.Tanh()])
        ml.insert(0, nn.Sigmoid())
        ml += [nn.Identity()]
        out = [len(ml), [type(m).__name__ for m in ml], repr(ml), type(ml[-1]).__name__,
               repr(ml[1:3]), len(list(ml.parameters()))]
        del ml[0]
        out += [list(ml._modules.keys()), repr(ml + nn.ModuleList([nn.ReLU()]))]
        md = nn.ModuleDict({"b": nn.Linear(1, 1)})
        md["a"] = nn.ReLU()
        md.update([("c", nn.Tanh())])
        out += [list(md.keys()), "a" in md, len(md), repr(md), type(md.pop("b")).__name__,
                list(md)]
        return out
    same(program)


def test_sequential_forward_and_deepcopy():
    def program(torch):
        torch.manual_seed(5)
        s = _mlp(torch)
        x = torch.randn(4, 3)
        twin = copy.deepcopy(s)
        with torch.no_grad():
            twin[0].weight.add_(1.0)
        return s(x), twin(x), graph_signature(s(x)), twin[0].weight.is_leaf
    same(program)


def test_dtype_conversion_keeps_parameter_objects():
    def program(torch):
        torch.manual_seed(2)
        m = _mlp(torch)
        first = m[0].weight
        m(torch.randn(1, 3)).sum().backward()
        m.double()
        kept = first is m[0].weight
        out = m(torch.randn(1, 3).double())
        m.float()
        return (kept, m[0].weight.dtype, out.dtype, out, m[0].weight.grad.dtype,
                type(m[0].weight).__name__, m.to(torch.float64)[2].bias.dtype)
    same(program)


# == losses as modules ==============================================================================
def test_loss_modules_keep_their_options():
    def program(torch):
        nn = torch.nn
        x = torch.tensor([[0.2, -1.0, 3.0], [1.5, 0.5, -0.5]], requires_grad=True)
        t = torch.tensor([2, 0])
        w = torch.tensor([1.0, 2.0, 0.5])
        ce = nn.CrossEntropyLoss(weight=w, reduction="sum", label_smoothing=0.1)
        nll = nn.NLLLoss(ignore_index=0, reduction="none")
        mse = nn.MSELoss(reduction="none")
        losses = [ce(x, t), nll(x, t), mse(x, torch.zeros(2, 3))]
        return (losses, [graph_signature(l) for l in losses], ce.reduction, ce.ignore_index,
                ce.label_smoothing, list(ce.state_dict().keys()), ce.weight,
                [n for n, _ in ce.named_buffers()], nll.weight)
    same(program)


# == nn.init ==========================================================================================
INITS = {
    "uniform_": lambda torch, t: torch.nn.init.uniform_(t, -0.5, 2.0),
    "normal_": lambda torch, t: torch.nn.init.normal_(t, 1.0, 0.1),
    "constant_": lambda torch, t: torch.nn.init.constant_(t, 0.25),
    "ones_": lambda torch, t: torch.nn.init.ones_(t),
    "zeros_": lambda torch, t: torch.nn.init.zeros_(t),
    "eye_": lambda torch, t: torch.nn.init.eye_(t),
    "xavier_uniform_": lambda torch, t: torch.nn.init.xavier_uniform_(t, gain=2.0),
    "xavier_normal_": lambda torch, t: torch.nn.init.xavier_normal_(t),
    "kaiming_uniform_": lambda torch, t: torch.nn.init.kaiming_uniform_(t, nonlinearity="relu"),
    "kaiming_uniform_fan_out": lambda torch, t: torch.nn.init.kaiming_uniform_(
        t, a=0.1, mode="fan_out"),
    "kaiming_normal_": lambda torch, t: torch.nn.init.kaiming_normal_(t, mode="fan_out",
                                                                       nonlinearity="relu"),
}


@pytest.mark.parametrize("name", INITS)
def test_init_functions_match_torch(name):
    def program(torch):
        torch.manual_seed(7)
        p = torch.nn.Parameter(torch.empty(5, 3))
        out = INITS[name](torch, p)
        t = INITS[name](torch, torch.empty(4, 6, dtype=torch.float64))
        return out is p, p, p.requires_grad, p.is_leaf, t
    same(program, rtol=0, atol=0)


def test_init_gains_and_fans():
    def program(torch):
        init = torch.nn.init
        return ([init.calculate_gain(n) for n in ("linear", "sigmoid", "tanh", "relu",
                                                  "leaky_relu", "selu", "conv2d")],
                init.calculate_gain("leaky_relu", 0.2),
                init._calculate_fan_in_and_fan_out(torch.empty(4, 3, 2, 2)))
    same(program)


def test_init_of_empty_tensor_warns():
    def program(torch):
        return torch.nn.init.kaiming_uniform_(torch.empty(0, 3))
    out = same(program)
    assert out.warnings == [("UserWarning", "Initializing zero-element tensors is a no-op")]
