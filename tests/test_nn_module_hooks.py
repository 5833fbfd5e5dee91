"""Module hooks against PyTorch: forward pre-hooks and forward hooks (order, prepend, kwargs,
replacing args and output), full backward hooks and backward pre-hooks (their arguments, order
through a Sequential, replacing gradients, the node they add, the warning when no input requires
grad, errors), and the deprecated register_backward_hook with its warning.
"""
import pytest

import autograd_lab as lab

from oracle import assert_same_error, assert_same_outcome


def test_forward_hooks_order_prepend_kwargs_and_replacements():
    def program(torch):
        torch.manual_seed(0)
        lin = torch.nn.Linear(3, 2)
        seen = []
        lin.register_forward_pre_hook(lambda m, args: seen.append(("pre", args[0].shape)))
        lin.register_forward_pre_hook(lambda m, args: (args[0] * 2,), prepend=True)
        lin.register_forward_pre_hook(
            lambda m, args, kwargs: seen.append(("pre_kw", sorted(kwargs))), with_kwargs=True)
        lin.register_forward_hook(lambda m, args, out: out + 100)
        handle = lin.register_forward_hook(lambda m, args, out: seen.append(("post", out)))
        x = torch.ones(1, 3)
        first = lin(x)
        handle.remove()
        second = lin(x)
        return seen, first, second
    assert_same_outcome(program)


def test_full_backward_hooks_see_and_replace_gradients():
    def program(torch):
        torch.manual_seed(0)
        lin = torch.nn.Linear(3, 2)
        seen = []
        h1 = lin.register_full_backward_hook(
            lambda m, gi, go: seen.append(("hook", type(m).__name__, gi, go)))
        h2 = lin.register_full_backward_pre_hook(lambda m, go: seen.append(("pre", go)))
        x = torch.randn(4, 3, requires_grad=True)
        y = lin(x)
        nodes = (y.grad_fn.name(), y.grad_fn.next_functions[0][0].name())
        y.sum().backward()
        first = x.grad.clone()
        h1.remove()
        h2.remove()
        lin.register_full_backward_hook(lambda m, gi, go: (gi[0] * 10,))
        x.grad = None
        lin(x).sum().backward()
        other = torch.nn.Linear(3, 2)
        other.register_full_backward_pre_hook(lambda m, go: (go[0] * 0,))
        x.grad = None
        other(x).sum().backward()
        return seen, nodes, first, x.grad, other.weight.grad
    out = assert_same_outcome(program)
    assert out.value[0][0][0] == "pre" and out.value[0][1][0] == "hook"  # pre-hook first


def test_order_through_a_sequential_and_no_input_grad_warning():
    def program(torch):
        torch.manual_seed(0)
        seq = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(),
                                  torch.nn.Linear(4, 1))
        order = []
        for i, layer in enumerate(seq):
            layer.register_full_backward_hook(
                lambda m, gi, go, i=i: order.append(("full", i, [g is None for g in gi])))
            layer.register_full_backward_pre_hook(lambda m, go, i=i: order.append(("pre", i)))
        seq(torch.randn(2, 3)).sum().backward()
        return order
    out = assert_same_outcome(program)
    assert out.value[-1] == ("full", 0, [True])  # the first layer's input needs no gradient
    assert len(out.warnings) == 1 and "no inputs require gradients" in out.warnings[0][1]


def test_deprecated_backward_hook_and_its_warning():
    def program(torch):
        torch.manual_seed(0)
        seen = []
        m = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU())
        m.register_backward_hook(lambda mod, gi, go: seen.append(
            ([None if t is None else t.shape for t in gi], [t.shape for t in go])))
        x = torch.randn(4, 3, requires_grad=True)
        m(x).sum().backward()
        relu = torch.nn.ReLU()
        relu.register_backward_hook(lambda mod, gi, go: seen.append((gi, go)))
        relu(x * 1).sum().backward()
        return seen
    out = assert_same_outcome(program)
    assert [w[0] for w in out.warnings] == ["FutureWarning"]


@pytest.mark.parametrize("program", [
    lambda torch: (lambda lin: (lin.register_full_backward_hook(lambda *a: None),
                                lin.register_backward_hook(lambda *a: None)))(
        torch.nn.Linear(2, 2)),
    lambda torch: (lambda lin: (lin.register_full_backward_hook(
        lambda m, gi, go: (gi[0], gi[0])), lin(torch.ones(1, 2, requires_grad=True)).sum()
        .backward()))(torch.nn.Linear(2, 2)),
    lambda torch: (lambda lin: (lin.register_full_backward_pre_hook(
        lambda m, go: (go[0], go[0])), lin(torch.ones(1, 2, requires_grad=True)).sum()
        .backward()))(torch.nn.Linear(2, 2)),
    lambda torch: (lambda lin: (lin.register_full_backward_hook(
        lambda m, gi, go: (torch.ones(1, 2),)), lin(torch.ones(1, 2)).sum().backward()))(
        torch.nn.Linear(2, 2)),
], ids=["mixing_kinds", "too_many_grad_inputs", "too_many_grad_outputs",
        "replacing_missing_input_grad"])
def test_errors(program):
    assert_same_error(program)


def test_hooks_run_once_per_call_without_torch():
    lin = lab.nn.Linear(2, 1)
    calls = []
    lin.register_full_backward_hook(lambda m, gi, go: calls.append(gi[0].tolist()))
    x = lab.tensor([[1.0, 2.0]], requires_grad=True)
    (lin(x) * 3).sum().backward()
    assert calls == [[[pytest.approx(3 * w) for w in lin.weight[0].tolist()]]]


def test_always_call_forward_hooks_run_when_forward_raises():
    def program(torch):
        class Boom(torch.nn.Module):
            def forward(self, x):
                raise ValueError("bad input")

        def failing(mod, args, out):
            raise KeyError("hook failed")

        seen = []
        m = Boom()
        m.register_forward_hook(lambda mod, args, out: seen.append(("always", out)),
                                always_call=True)
        m.register_forward_hook(lambda mod, args, out: seen.append(("normal", out)))
        m.register_forward_hook(failing, always_call=True)
        try:
            m(torch.ones(1))
        except ValueError as exc:
            seen.append(str(exc))
        return seen
    out = assert_same_outcome(program)
    assert out.value == [("always", None), "bad input"]
    assert len(out.warnings) == 1 and "'hook failed'" in out.warnings[0][1]
