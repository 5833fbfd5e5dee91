"""optim.Optimizer and optim.SGD against PyTorch: identical updates (momentum, dampening,
Nesterov, weight decay, maximize), a 2-layer MLP trained for 20 steps from the same seed giving
the same losses, and the optimizer API (param_groups, state, state_dict, zero_grad, repr,
errors).
"""
import numpy as np
import pytest

import autograd_lab as lab

from oracle import assert_same_error, assert_same_outcome, run_both


def same(program, **kw):
    out = assert_same_outcome(program, **kw)
    assert out.error is None, out.error
    return out


def train_mlp(torch, steps=20, loss="mse", **sgd):
    """A 2-layer MLP from a fixed seed, trained with SGD; returns the losses and parameters."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3))
    x = torch.randn(32, 4)
    if loss == "mse":
        y = torch.randn(32, 3)
        criterion = torch.nn.MSELoss()
    else:
        y = torch.randint(0, 3, (32,))
        criterion = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), **sgd)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        out = criterion(model(x), y)
        out.backward()
        opt.step()
        losses.append(out.item())
    return losses, [p.detach() for p in model.parameters()]


@pytest.mark.parametrize("loss,sgd", [
    ("mse", dict(lr=0.1, momentum=0.9)),
    ("mse", dict(lr=0.05)),
    ("cross_entropy", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("cross_entropy", dict(lr=0.2, momentum=0.5, dampening=0.3, weight_decay=1e-2)),
    ("mse", dict(lr=0.01, momentum=0.9, maximize=True)),
])
def test_mlp_training_matches_torch(loss, sgd):
    expected, actual = run_both(lambda torch: train_mlp(torch, loss=loss, **sgd))
    assert expected.error is None and actual.error is None, actual.error
    t_losses, t_params = expected.value
    l_losses, l_params = actual.value
    np.testing.assert_allclose(l_losses, t_losses, rtol=1e-5, atol=1e-6)
    for t, l in zip(t_params, l_params):
        np.testing.assert_allclose(np.array(l.tolist()), t.numpy(), rtol=1e-4, atol=1e-6)
    if "maximize" not in sgd:
        assert t_losses[-1] < t_losses[0]  # it trains


def test_known_sgd_steps_without_torch():
    w = lab.nn.Parameter(lab.tensor([1.0, -2.0]))
    opt = lab.optim.SGD([w], lr=0.1, momentum=0.5)
    for _ in range(2):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    # step 1: g = 2w = [2, -4], buf = g, w = [0.8, -1.6]
    # step 2: g = [1.6, -3.2], buf = 0.5 * [2, -4] + g = [2.6, -5.2], w = [0.54, -1.08]
    assert w.tolist() == pytest.approx([0.54, -1.08])
    assert opt.state[w]["momentum_buffer"].tolist() == pytest.approx([2.6, -5.2])


def test_param_groups_state_and_repr():
    def program(torch):
        torch.manual_seed(1)
        a = torch.nn.Linear(2, 2)
        b = torch.nn.Linear(2, 1)
        opt = torch.optim.SGD([{"params": a.parameters()},
                               {"params": b.parameters(), "lr": 0.5, "momentum": 0.9}],
                              lr=0.1, momentum=0.1)
        b(a(torch.randn(3, 2))).sum().backward()
        opt.step()
        groups = [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]
        bufs = [opt.state[p]["momentum_buffer"] for p in b.parameters()]
        return (repr(opt), groups, bufs, len(opt.state), [len(g["params"]) for g in
                                                          opt.param_groups],
                opt.defaults, list(a.parameters()), list(b.parameters()))
    same(program)


def test_state_dict_and_load_state_dict():
    def program(torch):
        torch.manual_seed(1)
        m = torch.nn.Linear(3, 2)
        opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
        for _ in range(2):
            opt.zero_grad()
            m(torch.randn(4, 3)).pow(2).sum().backward()
            opt.step()
        sd = opt.state_dict()
        twin = torch.nn.Linear(3, 2)
        twin.load_state_dict(m.state_dict())
        opt2 = torch.optim.SGD(twin.parameters(), lr=1.0)
        opt2.load_state_dict(sd)
        x = torch.randn(4, 3)
        for model, o in ((m, opt), (twin, opt2)):
            o.zero_grad()
            model(x).pow(2).sum().backward()
            o.step()
        return sd, opt2.param_groups[0]["lr"], list(m.parameters()), list(twin.parameters())
    same(program)


def test_zero_grad_and_closure():
    def program(torch):
        w = torch.nn.Parameter(torch.tensor([3.0]))
        opt = torch.optim.SGD([w], lr=0.25)

        def closure():
            opt.zero_grad()
            loss = (w * w).sum()
            loss.backward()
            return loss
        returned = opt.step(closure)
        w.grad.mul_(0)
        opt.zero_grad(set_to_none=False)
        zeros = w.grad.clone()
        opt.zero_grad()
        return returned, w, zeros, w.grad
    same(program)


def test_parameters_without_grad_are_skipped():
    def program(torch):
        a = torch.nn.Parameter(torch.ones(2))
        b = torch.nn.Parameter(torch.ones(2))
        opt = torch.optim.SGD([a, b], lr=1.0, momentum=0.9)
        (a * 2).sum().backward()
        opt.step()
        return a, b, b in opt.state, len(opt.state)
    same(program)


def test_step_records_nothing_and_bumps_versions():
    def program(torch):
        w = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
        opt = torch.optim.SGD([w], lr=0.1)
        y = (w * w).sum()
        y.backward()
        before = w._version
        opt.step()
        return w.grad_fn, w.is_leaf, w._version - before, torch.is_grad_enabled()
    same(program)


def test_custom_optimizer_subclass():
    def program(torch):
        class PlainGD(torch.optim.Optimizer):
            def __init__(self, params, lr=0.1):
                super().__init__(params, dict(lr=lr))

            @torch.no_grad()
            def step(self):
                for group in self.param_groups:
                    for p in group["params"]:
                        p -= group["lr"] * p.grad

        w = torch.nn.Parameter(torch.tensor([1.0, -1.0]))
        opt = PlainGD([w], lr=0.5)
        (w ** 2).sum().backward()
        opt.step()
        return w, repr(opt), opt.param_groups[0]["lr"]
    same(program)


OPTIMIZER_ERRORS = {
    "negative_lr": lambda torch: torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=-1),
    "negative_momentum": lambda torch: torch.optim.SGD([torch.nn.Parameter(torch.ones(1))],
                                                       lr=0.1, momentum=-0.5),
    "negative_weight_decay": lambda torch: torch.optim.SGD(
        [torch.nn.Parameter(torch.ones(1))], lr=0.1, weight_decay=-1),
    "nesterov_without_momentum": lambda torch: torch.optim.SGD(
        [torch.nn.Parameter(torch.ones(1))], lr=0.1, nesterov=True),
    "empty": lambda torch: torch.optim.SGD([], lr=0.1),
    "tensor_not_iterable": lambda torch: torch.optim.SGD(torch.nn.Parameter(torch.ones(1)),
                                                         lr=0.1),
    "non_leaf": lambda torch: torch.optim.SGD([torch.ones(1, requires_grad=True) * 2], lr=0.1),
    "not_tensor": lambda torch: torch.optim.SGD([1.0], lr=0.1),
    "set_of_params": lambda torch: torch.optim.SGD(
        [{"params": {torch.nn.Parameter(torch.ones(1))}}], lr=0.1),
    "same_param_twice": lambda torch: (lambda p: torch.optim.SGD(
        [{"params": [p]}, {"params": [p]}], lr=0.1))(torch.nn.Parameter(torch.ones(1))),
    "base_step": lambda torch: torch.optim.Optimizer(
        [torch.nn.Parameter(torch.ones(1))], {}).step(),
    "load_wrong_groups": lambda torch: torch.optim.SGD(
        [torch.nn.Parameter(torch.ones(1))], lr=0.1).load_state_dict(
        {"state": {}, "param_groups": []}),
}


@pytest.mark.parametrize("name", OPTIMIZER_ERRORS)
def test_optimizer_errors(name):
    assert_same_error(OPTIMIZER_ERRORS[name])


def test_duplicate_parameter_warns():
    def program(torch):
        p = torch.nn.Parameter(torch.ones(1))
        return len(torch.optim.SGD([p, p], lr=0.1).param_groups[0]["params"])
    out = same(program)
    assert len(out.warnings) == 1
