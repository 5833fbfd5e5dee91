"""optim.Adam, AdamW, RMSprop, Adagrad (and SGD's array path) against PyTorch: the same
parameters after N steps from the same gradients, bit for bit when PyTorch's own square root is
used (the one operation whose rounding differs), within a few float32 units otherwise; the same
state_dict, printed form and errors.
"""
import numpy as np
import pytest

import autograd_lab as lab
import autograd_lab.optim._kernels as kernels

from oracle import assert_same_error, assert_same_outcome, need_torch

CASES = [
    ("Adam", {}),
    ("Adam", dict(lr=0.01, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, amsgrad=True, maximize=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.05, weight_decay=0.5, betas=(0.8, 0.99))),
    ("RMSprop", {}),
    ("RMSprop", dict(momentum=0.9, centered=True, weight_decay=0.01)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1)),
    ("SGD", dict(lr=0.01, momentum=0.9, weight_decay=0.01)),
    ("SGD", dict(lr=0.01, momentum=0.9, nesterov=True, maximize=True)),
    ("SGD", dict(lr=0.1, momentum=0.5, dampening=0.3)),
]


def _feed(lib, cls, kw, start, grads):
    """Parameters after one step per gradient in ``grads`` (given, not computed, so only the
    optimizer's arithmetic is compared), and the state's arrays."""
    p = lib.nn.Parameter(lib.tensor(start))
    opt = getattr(lib.optim, cls)([p], **kw)
    for g in grads:
        p.grad = lib.tensor(g)
        opt.step()
    state = {k: np.array(v.tolist(), dtype=np.float32) for k, v in opt.state[p].items()}
    return np.array(p.tolist(), dtype=np.float32), state


def _data(steps=15, n=257, seed=0):
    rng = np.random.default_rng(seed)
    start = rng.standard_normal(n).astype(np.float32)
    return start, [rng.standard_normal(n).astype(np.float32) for _ in range(steps)]


@pytest.mark.parametrize("cls, kw", CASES)
def test_bit_for_bit_with_torchs_sqrt(cls, kw, monkeypatch):
    torch = need_torch()
    monkeypatch.setattr(kernels, "sqrt",
                        lambda a: torch.from_numpy(np.ascontiguousarray(a)).sqrt().numpy())
    start, grads = _data()
    expected, expected_state = _feed(torch, cls, kw, start, grads)
    got, got_state = _feed(lab, cls, kw, start, grads)
    np.testing.assert_array_equal(got, expected)
    assert got_state.keys() == expected_state.keys()
    for key in expected_state:
        np.testing.assert_array_equal(got_state[key], expected_state[key], err_msg=key)


@pytest.mark.parametrize("cls, kw", CASES)
def test_close_to_torch_with_our_sqrt(cls, kw):
    torch = need_torch()
    start, grads = _data(steps=30, seed=1)
    expected, _ = _feed(torch, cls, kw, start, grads)
    got, _ = _feed(lab, cls, kw, start, grads)
    np.testing.assert_allclose(got, expected, rtol=2e-5, atol=1e-6)
    assert np.abs(got - start).max() > 1e-3  # it moved


def test_known_adam_steps_without_torch():
    w = lab.nn.Parameter(lab.tensor([1.0, -2.0]))
    opt = lab.optim.Adam([w], lr=0.1)
    (w * w).sum().backward()
    opt.step()
    # step 1: m = 0.1 g, v = 0.001 g^2, so m / (1 - 0.9) / sqrt(v / (1 - 0.999)) = sign(g)
    assert w.tolist() == pytest.approx([0.9, -1.9])
    assert opt.state[w]["step"].item() == 1.0
    assert opt.state[w]["exp_avg"].tolist() == pytest.approx([0.2, -0.4])
    assert opt.state[w]["exp_avg_sq"].tolist() == pytest.approx([0.004, 0.016])


def test_adamw_decays_before_the_update():
    w = lab.nn.Parameter(lab.tensor([10.0]))
    opt = lab.optim.AdamW([w], lr=0.1, weight_decay=0.5)
    w.grad = lab.tensor([0.0])
    opt.step()  # the moment estimates stay 0: only the decay acts, 10 * (1 - 0.05)
    assert w.item() == pytest.approx(9.5)


def _trained(torch, cls, **kw):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    x, y = torch.randn(16, 3), torch.randn(16, 1)
    opt = getattr(torch.optim, cls)(model.parameters(), **kw)
    losses = []
    for _ in range(25):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        losses.append(round(loss.item(), 5))
    return losses, repr(opt), opt.state_dict()["param_groups"], [
        sorted(s) for s in opt.state_dict()["state"].values()]


@pytest.mark.parametrize("cls, kw", [("Adam", dict(lr=0.01)), ("AdamW", dict(lr=0.01)),
                                     ("RMSprop", dict(lr=0.001)), ("Adagrad", dict(lr=0.05))])
def test_training_losses_repr_and_state_dict(cls, kw):
    out = assert_same_outcome(lambda torch: _trained(torch, cls, **kw), rtol=1e-4)
    assert out.error is None
    losses = out.value[0]
    assert losses[-1] < losses[0]


def test_state_dict_round_trip_continues_identically():
    def program(torch):
        torch.manual_seed(0)
        w = torch.nn.Parameter(torch.randn(3))
        opt = torch.optim.Adam([w], lr=0.1, amsgrad=True)
        for _ in range(3):
            opt.zero_grad()
            (w ** 2).sum().backward()
            opt.step()
        saved = opt.state_dict()
        other = torch.optim.Adam([w], lr=0.1, amsgrad=True)
        other.load_state_dict(saved)
        other.zero_grad()
        (w ** 2).sum().backward()
        other.step()
        return w.detach(), other.state_dict()["state"][0]["step"], saved["param_groups"]
    assert_same_outcome(program)


ERRORS = {
    "adam_lr": lambda torch: torch.optim.Adam([torch.nn.Parameter(torch.ones(1))], lr=-1),
    "adam_beta0": lambda torch: torch.optim.Adam([torch.nn.Parameter(torch.ones(1))],
                                                 betas=(1.0, 0.9)),
    "adam_beta1": lambda torch: torch.optim.Adam([torch.nn.Parameter(torch.ones(1))],
                                                 betas=(0.9, -0.1)),
    "adam_int_beta": lambda torch: torch.optim.Adam([torch.nn.Parameter(torch.ones(1))],
                                                    betas=(0.9, 0)),
    "adam_eps": lambda torch: torch.optim.Adam([torch.nn.Parameter(torch.ones(1))], eps=-1),
    "adamw_decay": lambda torch: torch.optim.AdamW([torch.nn.Parameter(torch.ones(1))],
                                                   weight_decay=-1),
    "rmsprop_alpha": lambda torch: torch.optim.RMSprop([torch.nn.Parameter(torch.ones(1))],
                                                       alpha=-1),
    "rmsprop_momentum": lambda torch: torch.optim.RMSprop([torch.nn.Parameter(torch.ones(1))],
                                                          momentum=-1),
    "adagrad_lr_decay": lambda torch: torch.optim.Adagrad([torch.nn.Parameter(torch.ones(1))],
                                                          lr_decay=-1),
    "adagrad_accumulator": lambda torch: torch.optim.Adagrad(
        [torch.nn.Parameter(torch.ones(1))], initial_accumulator_value=-1),
    "empty": lambda torch: torch.optim.Adam([]),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors(name):
    assert_same_error(ERRORS[name])


def test_zero_grad_docstring_example():
    """``Optimizer.zero_grad``'s example: gradients become None by default."""
    def program(torch):
        w = torch.nn.Parameter(torch.ones(2))
        opt = torch.optim.Adam([w])
        (w * 3).sum().backward()
        before = w.grad.clone()
        opt.zero_grad()
        after_none = w.grad
        (w * 3).sum().backward()
        opt.zero_grad(set_to_none=False)
        return before, after_none, w.grad
    out = assert_same_outcome(program)
    assert out.value[1] is None and out.value[2].tolist() == [0.0, 0.0]
