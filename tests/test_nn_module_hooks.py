"""Module hooks against PyTorch: forward pre-hooks and forward hooks (order, prepend, kwargs,
replacing args and output), full backward hooks and backward pre-hooks (their arguments, order
through a Sequential, replacing gradients, the node they add, the warning when no input requires
grad, errors), and the deprecated register_backward_hook with its warning.
"""
import pytest

import autograd_lab as lab

from gradcheck_support import check_gradient, rand
from oracle import assert_same_error, assert_same_outcome, graph_signature


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


# == outputs of a module with backward hooks are views (BackwardHookFunctionBackward) ============
def _hooked_linear(torch, kind="full"):
    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 2)
    if kind == "full":
        lin.register_full_backward_hook(lambda m, gi, go: None)
    else:
        lin.register_full_backward_pre_hook(lambda m, go: None)
    return lin


def _two_outputs(torch):
    """A module returning two tensors, defined against the library given."""
    class Two(torch.nn.Module):
        def forward(self, a):
            return a * 2, a * 3
    return Two()


INPLACE_ON_HOOKED_OUTPUT = {
    "add_": lambda torch: _hooked_linear(torch)(torch.ones(1, 3, requires_grad=True)).add_(1),
    "relu_": lambda torch: _hooked_linear(torch)(torch.ones(1, 3, requires_grad=True)).relu_(),
    "setitem": lambda torch: _hooked_linear(torch)(
        torch.ones(1, 3, requires_grad=True)).__setitem__((0, 0), 5.),
    "view_then_add_": lambda torch: _hooked_linear(torch)(
        torch.ones(1, 3, requires_grad=True)).view(2).add_(1),
    "pre_hook_only": lambda torch: _hooked_linear(torch, "pre")(
        torch.ones(1, 3, requires_grad=True)).mul_(2),
    "no_input_requires_grad": lambda torch: _hooked_linear(torch)(torch.ones(1, 3)).mul_(2),
    "inplace_relu_after_hooked_linear": lambda torch: torch.nn.Sequential(
        _hooked_linear(torch), torch.nn.ReLU(inplace=True))(torch.ones(1, 3, requires_grad=True)),
    "hooked_inplace_relu_changes_its_input": lambda torch: (lambda relu: (
        relu.register_full_backward_hook(lambda m, gi, go: None),
        relu(torch.ones(3, requires_grad=True) * 1)))(torch.nn.ReLU(inplace=True)),
    "second_of_two_outputs": lambda torch: (lambda m: (
        m.register_full_backward_hook(lambda mod, gi, go: None),
        m(torch.ones(2, requires_grad=True))[1].add_(1)))(_two_outputs(torch)),
}


@pytest.mark.parametrize("name", INPLACE_ON_HOOKED_OUTPUT)
def test_inplace_change_to_a_hooked_modules_output_is_refused(name):
    message = assert_same_error(INPLACE_ON_HOOKED_OUTPUT[name])
    assert message[0] == "RuntimeError" and " is a view and is being modified inplace." in (
        message[1])


def test_hooked_output_is_a_view_and_out_of_place_use_is_unchanged():
    def program(torch):
        lin = _hooked_linear(torch)
        x = torch.tensor([[1., -2., 0.5]], requires_grad=True)
        y = lin(x)
        facts = (y._base is not None, y._base.grad_fn.name(), y.grad_fn.name(), y.is_leaf,
                 y._version, graph_signature(y))
        z = y.clone()
        z.mul_(3)  # a copy may be changed in place
        z[0, 1] = 0.
        z.sum().backward()
        with torch.no_grad():  # nothing recorded: allowed, as without hooks
            lin(x).add_(1)
            w = lin(x)
        w.add_(1)  # made without recording: no hook node, an ordinary tensor
        return facts, x.grad, lin.weight.grad, lin.bias.grad, w.grad_fn
    assert assert_same_outcome(program).error is None


def test_hooked_module_gradients_match_finite_differences():
    lin = lab.nn.Linear(3, 2).double()
    seen = []
    lin.register_full_backward_hook(lambda m, gi, go: seen.append(len(gi)))

    def f(x):
        z = lin(x).clone()
        z.mul_(x[:, :2])
        return z
    check_gradient("hooked Linear, its output copied then changed in place", f,
                   (rand(2, 3),))
    assert seen and set(seen) == {1}
