"""``axis=``/``keepdims=`` (PyTorch's aliases of ``dim=``/``keepdim=``) on functions and Tensor
methods, and ``out=`` with PyTorch's rules (autograd refused, dtype casts, resizing warning)."""
import pytest

import autograd_lab as lab
from oracle import assert_same_error, assert_same_outcome

CALLS = [
    lambda torch, x: x.sum(axis=0, keepdims=True),
    lambda torch, x: torch.sum(x, axis=1),
    lambda torch, x: x.sum(dim=0, keepdims=True),
    lambda torch, x: x.mean(axis=1, keepdims=True),
    lambda torch, x: torch.mean(x, axis=0),
    lambda torch, x: x.max(axis=1),
    lambda torch, x: torch.min(x, axis=0, keepdims=True),
    lambda torch, x: x.argmax(axis=1),
    lambda torch, x: torch.argmin(x, axis=0, keepdims=True),
    lambda torch, x: x.amax(axis=0),
    lambda torch, x: x.prod(axis=1),
    lambda torch, x: x.std(axis=0),
    lambda torch, x: x.var(axis=1, keepdims=True),
    lambda torch, x: x.softmax(axis=1),
    lambda torch, x: torch.log_softmax(x, axis=1),
    lambda torch, x: x.logsumexp(axis=1, keepdims=True),
    lambda torch, x: x.cumsum(axis=0),
    lambda torch, x: torch.cat([x, x], axis=0),
    lambda torch, x: torch.stack([x, x], axis=1),
    lambda torch, x: x.unsqueeze(axis=0),
    lambda torch, x: x.sort(axis=0),
    lambda torch, x: x.topk(1, axis=0),
    lambda torch, x: (x > 1).all(axis=0),
    lambda torch, x: (x > 1).any(axis=1, keepdims=True),
]


@pytest.mark.parametrize("index", range(len(CALLS)))
def test_axis_and_keepdims_as_torch(index):
    def program(torch):
        x = torch.tensor([[0.5, -1.0, 2.0], [3.0, 1.5, -2.5]], requires_grad=True)
        y = CALLS[index](torch, x)
        first = y[0] if isinstance(y, tuple) else y
        if first.requires_grad:
            (first * torch.arange(1.0, 1.0 + first.numel()).reshape(first.shape)).sum().backward()
        return y, x.grad
    assert_same_outcome(program)


def test_out_writes_in_place_and_returns_out():
    def program(torch):
        a, b = torch.tensor([1.0, 2.0]), torch.tensor([3.0, 5.0])
        c = torch.empty(2)
        version = c._version
        r = torch.add(a, b, out=c)
        m = torch.ones(2, 3)
        s = torch.sum(m, 1, out=torch.empty(2))
        mm = torch.matmul(torch.ones(2, 2), a, out=torch.empty(2))
        cat = torch.cat([a, b], out=torch.empty(4))
        mx = torch.max(m * torch.tensor([1.0, 3.0, 2.0]), 1,
                       out=(torch.empty(2), torch.empty(2, dtype=torch.long)))
        d = torch.empty(2, dtype=torch.float64)
        wider = torch.mul(a, b, out=d)
        e = torch.empty(0)
        grown = torch.exp(a, out=e)
        return (r is c, c, c._version - version, s, mm, cat, mx, repr(mx), wider is d, wider,
                grown is e, e)
    out = assert_same_outcome(program)
    assert out.value[0] is True and out.value[2] == 1


def test_out_resizes_with_torchs_warning():
    def program(torch):
        c = torch.empty(3)
        torch.add(torch.ones(2), torch.ones(2), out=c)
        return c
    out = assert_same_outcome(program)
    assert out.warnings and out.warnings[0][1].startswith("An output with one or more elements")


@pytest.mark.parametrize("call", [
    lambda torch, a: torch.add(a, a, out=torch.empty(2)),
    lambda torch, a: torch.sum(a, 0, out=torch.empty(())),
    lambda torch, a: torch.cat([a, a.detach()], out=torch.empty(4)),
    lambda torch, a: torch.exp(a, out=torch.empty(2)),
    lambda torch, a: torch.max(a, 0, out=(torch.empty(()), torch.empty((), dtype=torch.long))),
    lambda torch, a: torch.add(a.detach(), 1, out=torch.zeros(2, requires_grad=True)),
    lambda torch, a: torch.add(a.detach(), a.detach(), out=torch.empty(2, dtype=torch.long)),
], ids=["add", "sum", "cat", "exp", "max", "out-requires-grad", "float-into-long"])
def test_out_errors_as_torch(call):
    assert_same_error(lambda torch: call(torch, torch.ones(2, requires_grad=True)))


def test_out_under_no_grad_is_allowed():
    def program(torch):
        a = torch.ones(2, requires_grad=True)
        c = torch.empty(2)
        with torch.no_grad():
            torch.mul(a, 3, out=c)
        return c, c.requires_grad
    assert_same_outcome(program)


def test_library_internals_keep_the_unwrapped_functions():
    # the wrappers live on the package's names: the ops Tensor methods call stay direct
    assert lab.ops.add is not lab.add and lab.add.__wrapped__ is lab.ops.add


@pytest.mark.parametrize("name", ["add", "mul", "clamp", "where", "pow", "addmm"])
def test_out_wrapper_takes_the_functions_own_arguments(name):
    # the out= wrapper is written with the op's own parameters: every way of calling the op
    # reaches it unchanged, and a wrong call fails exactly as calling the op itself does
    from autograd_lab import ops
    wrapped, op = getattr(lab, name), getattr(ops, name)
    assert wrapped is not op and wrapped.__wrapped__ is op
    x, y, m = lab.tensor([1., -2.]), lab.tensor([3., 4.]), lab.ones(2, 2)
    calls = {
        "add": [((x, y), {}), ((x, y), {"alpha": 2}), ((x,), {"other": 5})],
        "mul": [((x, y), {}), ((), {"input": x, "other": 2})],
        "clamp": [((x,), {"min": 0}), ((x, -1, 1), {}), ((x,), {"max": y})],
        "where": [((x > 0, x, y), {}), ((x > 0,), {"input": x, "other": 0.})],
        "pow": [((x, 2), {}), ((x,), {"exponent": y})],
        "addmm": [((m, m, m), {}), ((m, m, m), {"beta": 2, "alpha": 0.5})],
    }[name]
    for args, kwargs in calls:
        assert wrapped(*args, **kwargs).tolist() == op(*args, **kwargs).tolist()
    for args, kwargs in [((), {}), ((x, y, y, y, y), {}), ((x, y), {"nonsense": 1})]:
        with pytest.raises(TypeError) as direct:
            op(*args, **kwargs)
        with pytest.raises(TypeError) as through:
            wrapped(*args, **kwargs)
        assert str(through.value) == str(direct.value)
