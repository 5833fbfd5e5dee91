"""optim.lr_scheduler against PyTorch: every scheduler's learning rates over 30 steps equal to
the last bit (printed rates must match, so the comparison is ``==`` on floats, not a
tolerance), with each optimizer and with several param groups; momentum cycled by OneCycleLR and
CyclicLR; the deprecated ``step(epoch)`` (closed form); ReduceLROnPlateau on a metric; state
dicts (their keys and values, and a save/load that resumes the same schedule); the warnings
(step order, a replaced ``optimizer.step``, ``step(epoch)``, ``get_lr()`` called directly) and
the errors, word for word. Known values are checked without PyTorch too.
"""
import copy
import math
import pickle
import warnings

import numpy as np
import pytest

import autograd_lab as lab

from oracle import clean, run_both

STEPS = 30


def exact(program):
    """Run ``program`` under both libraries: the same error, the same warnings and a value with
    the same ``repr`` (for floats: the same bits)."""
    expected, actual = run_both(program)
    assert actual.error == expected.error, (
        f"error differs:\n  torch:        {expected.error}\n  autograd_lab: {actual.error}")
    assert actual.warnings == expected.warnings, (
        f"warnings differ:\n  torch:        {expected.warnings}\n"
        f"  autograd_lab: {actual.warnings}")
    assert clean(repr(actual.value)) == clean(repr(expected.value))
    return actual


def plain(value):
    """Tensors as their ``repr``, so results compare as text across the libraries."""
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v) for v in value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "detach"):
        return repr(value)
    return value


def schedule(torch, make, optimizer="SGD", groups=1, steps=STEPS, watch=("lr",), **opt_kwargs):
    """Make an optimizer over ``groups`` param groups (lr 0.1, 0.05, ...) and a scheduler;
    return the rates (and ``watch``ed group values) before and after each of ``steps`` steps,
    and the final state dict."""
    torch.manual_seed(0)
    params = [{"params": [torch.nn.Parameter(torch.randn(3))], "lr": 0.1 / (i + 1)}
              for i in range(groups)]
    opt = getattr(torch.optim, optimizer)(params, **opt_kwargs)
    sched = make(torch.optim.lr_scheduler, opt)
    seen = [(sched.get_last_lr(), [[g[k] for k in watch] for g in opt.param_groups])]
    for _ in range(steps):
        opt.zero_grad()
        sum((p ** 2).sum() for g in opt.param_groups for p in g["params"]).backward()
        opt.step()
        sched.step()
        seen.append((sched.get_last_lr(), [[g[k] for k in watch] for g in opt.param_groups]))
    return plain(seen), plain(sched.state_dict()), plain(opt.state_dict()["param_groups"])


SCHEDULES = {
    "StepLR": lambda s, o: s.StepLR(o, step_size=4, gamma=0.7),
    "StepLR_default_gamma": lambda s, o: s.StepLR(o, 3),
    "MultiStepLR": lambda s, o: s.MultiStepLR(o, milestones=[3, 8, 8, 20], gamma=0.3),
    "MultiStepLR_unsorted": lambda s, o: s.MultiStepLR(o, milestones=[15, 5], gamma=0.5),
    "ExponentialLR": lambda s, o: s.ExponentialLR(o, gamma=0.93),
    "LambdaLR": lambda s, o: s.LambdaLR(o, lr_lambda=lambda epoch: 0.95 ** epoch),
    "LambdaLR_per_group": lambda s, o: s.LambdaLR(
        o, [lambda e: 1 / (e + 1), lambda e: 0.9 ** e]),
    "MultiplicativeLR": lambda s, o: s.MultiplicativeLR(o, lr_lambda=lambda epoch: 0.97),
    "CosineAnnealingLR": lambda s, o: s.CosineAnnealingLR(o, T_max=10),
    "CosineAnnealingLR_eta_min_past_T_max": lambda s, o: s.CosineAnnealingLR(
        o, T_max=7, eta_min=0.001),
    "LinearLR": lambda s, o: s.LinearLR(o, start_factor=0.25, total_iters=8),
    "LinearLR_down": lambda s, o: s.LinearLR(o, start_factor=1.0, end_factor=0.1,
                                             total_iters=12),
    "ConstantLR": lambda s, o: s.ConstantLR(o, factor=0.3, total_iters=4),
    "ConstantLR_default": lambda s, o: s.ConstantLR(o),
    "PolynomialLR": lambda s, o: s.PolynomialLR(o, total_iters=20, power=2.0),
    "PolynomialLR_linear": lambda s, o: s.PolynomialLR(o, total_iters=6),
    "CosineAnnealingWarmRestarts": lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=5),
    "CosineAnnealingWarmRestarts_T_mult": lambda s, o: s.CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.01),
    "OneCycleLR": lambda s, o: s.OneCycleLR(o, max_lr=1.0, total_steps=STEPS + 1),
    "OneCycleLR_linear_three_phase": lambda s, o: s.OneCycleLR(
        o, max_lr=[0.5, 0.2][:len(o.param_groups)], epochs=8, steps_per_epoch=4,
        anneal_strategy="linear", three_phase=True, pct_start=0.25),
    "CyclicLR": lambda s, o: s.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=4),
    "CyclicLR_triangular2": lambda s, o: s.CyclicLR(o, 0.001, 0.1, step_size_up=3,
                                                    step_size_down=5, mode="triangular2"),
    "CyclicLR_exp_range": lambda s, o: s.CyclicLR(o, 0.001, 0.1, step_size_up=4,
                                                  mode="exp_range", gamma=0.9),
    "SequentialLR": lambda s, o: s.SequentialLR(
        o, [s.LinearLR(o, start_factor=0.1, total_iters=5), s.CosineAnnealingLR(o, T_max=20)],
        milestones=[5]),
    "SequentialLR_three": lambda s, o: s.SequentialLR(
        o, [s.ConstantLR(o, factor=0.5, total_iters=3), s.ExponentialLR(o, gamma=0.9),
            s.StepLR(o, step_size=4, gamma=0.5)], milestones=[4, 12]),
    "ChainedScheduler": lambda s, o: s.ChainedScheduler(
        [s.ConstantLR(o, factor=0.5, total_iters=4), s.ExponentialLR(o, gamma=0.9)]),
    "ChainedScheduler_warmup_cosine": lambda s, o: s.ChainedScheduler(
        [s.LinearLR(o, start_factor=0.2, total_iters=6), s.CosineAnnealingLR(o, T_max=12)],
        optimizer=o),
}

CYCLES_MOMENTUM = ("OneCycleLR", "CyclicLR")


@pytest.mark.parametrize("name", list(SCHEDULES))
@pytest.mark.parametrize("groups", [1, 2])
def test_rates_match_torch_exactly(name, groups):
    optimizer, kwargs, watch = "SGD", {}, ("lr",)
    if name.startswith(CYCLES_MOMENTUM):
        kwargs, watch = {"lr": 0.1, "momentum": 0.9}, ("lr", "momentum")
    exact(lambda torch: schedule(torch, SCHEDULES[name], optimizer, groups, watch=watch,
                                 **kwargs))


@pytest.mark.parametrize("optimizer,kwargs,watch", [
    ("Adam", {}, ("lr", "betas")),
    ("AdamW", {"weight_decay": 0.1}, ("lr", "betas")),
    ("RMSprop", {"momentum": 0.5}, ("lr", "momentum")),
    ("Adagrad", {}, ("lr",)),
    ("SGD", {"momentum": 0.9, "nesterov": True}, ("lr", "momentum")),
])
@pytest.mark.parametrize("name", ["StepLR", "CosineAnnealingLR", "OneCycleLR", "CyclicLR",
                                  "SequentialLR"])
def test_every_optimizer_takes_the_schedule(optimizer, kwargs, watch, name):
    """The rates, the momentum (beta1 for Adam) the cyclic schedules move, and the optimizer's
    state dict (``initial_lr``, ``max_lr`` ... kept in its param groups) match."""
    exact(lambda torch: schedule(torch, SCHEDULES[name], optimizer, 2, watch=watch, **kwargs))


def test_the_scheduled_rate_is_the_rate_the_optimizer_uses():
    """Training with a schedule ends at PyTorch's parameters (a rate written but not used, or
    used one step late, would not)."""
    def program(torch):
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
        x, y = torch.randn(16, 4), torch.randn(16, 1)
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.5, total_steps=20)
        for _ in range(20):
            opt.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            opt.step()
            sched.step()
        return [p.detach().tolist() for p in model.parameters()]
    expected, actual = run_both(program)
    assert actual.error is None and expected.error is None
    for e, a in zip(expected.value, actual.value):
        np.testing.assert_allclose(np.array(a), np.array(e), rtol=1e-5, atol=1e-6)


def test_known_rates_without_torch():
    w = lab.nn.Parameter(lab.zeros(1))
    opt = lab.optim.SGD([w], lr=1.0)
    sched = lab.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    rates = [sched.get_last_lr()[0]]
    for _ in range(5):
        opt.step()
        sched.step()
        rates.append(opt.param_groups[0]["lr"])
    assert rates == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    assert opt.param_groups[0]["initial_lr"] == 1.0 and sched.base_lrs == [1.0]

    opt = lab.optim.SGD([w], lr=1.0)
    cosine = lab.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
    for _ in range(4):
        opt.step()
        cosine.step()
    # the chainable form reaches eta_min = 0 at T_max (up to rounding), then climbs again
    assert cosine.get_last_lr()[0] == pytest.approx(0.0, abs=1e-15)
    opt.step()
    cosine.step()
    assert cosine.get_last_lr()[0] == pytest.approx((1 - math.cos(math.pi / 4)) / 2)


def test_chainable_form_follows_a_rate_changed_by_hand():
    def program(torch):
        w = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([w], lr=0.1)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
        rates = []
        for i in range(12):
            opt.step()
            if i == 4:
                opt.param_groups[0]["lr"] = 0.5
            sched.step()
            rates.append(sched.get_last_lr()[0])
        return rates
    exact(program)


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
                                  "LinearLR", "LinearLR_down", "ConstantLR", "PolynomialLR",
                                  "CosineAnnealingWarmRestarts_T_mult", "LambdaLR"])
def test_step_with_epoch_uses_the_closed_form_and_warns(name):
    def program(torch):
        w = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([w], lr=0.1)
        sched = SCHEDULES[name](torch.optim.lr_scheduler, opt)
        rates = []
        for epoch in [1, 2, 5, 3, 9, 12, 25, 7]:
            opt.step()
            sched.step(epoch)
            rates.append(sched.get_last_lr()[0])
        return rates, sched.last_epoch
    out = exact(program)
    if name != "CosineAnnealingWarmRestarts_T_mult":  # (it takes an epoch without a warning)
        assert out.warnings and "epoch parameter in `scheduler.step()`" in out.warnings[0][1]


def test_warm_restarts_take_fractional_epochs():
    def program(torch):
        w = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([w], lr=0.1)
        sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=3)
        rates = []
        for i in range(40):
            opt.step()
            sched.step(i / 4)
            rates.append((sched.get_last_lr()[0], sched.T_cur, sched.T_i, sched.last_epoch))
        return rates
    exact(program)


@pytest.mark.parametrize("kwargs", [
    {},
    {"mode": "max", "patience": 2, "factor": 0.5},
    {"patience": 1, "threshold": 0.1, "threshold_mode": "abs", "cooldown": 2},
    {"patience": 0, "factor": 0.3, "min_lr": 0.01},
    {"patience": 0, "factor": 0.5, "min_lr": [0.02, 0.001], "eps": 1e-3},
])
def test_reduce_on_plateau_matches_torch(kwargs):
    metrics = [1.0, 0.9, 0.95, 0.95, 0.96, 0.89, 0.9, 0.9, 0.91, 0.92, 0.93, 0.8, 0.8, 0.8,
               0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88, 0.9, 0.9, 0.9, 0.9]

    def program(torch):
        w = torch.nn.Parameter(torch.zeros(1))
        v = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([{"params": [w]}, {"params": [v], "lr": 0.05}], lr=0.1)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
        seen = []
        for m in metrics:
            opt.step()
            sched.step(torch.tensor(m) if m == 0.9 else m)  # a 0-d tensor is a metric too
            seen.append((sched.get_last_lr(), sched.best, sched.num_bad_epochs,
                         sched.cooldown_counter))
        return seen, sched.state_dict()
    exact(program)


def test_state_dict_keys_and_values_match_torch():
    def program(torch):
        w = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
        ls = torch.optim.lr_scheduler
        made = [ls.StepLR(opt, 3), ls.MultiStepLR(opt, [2, 2, 4]), ls.LinearLR(opt),
                ls.CosineAnnealingWarmRestarts(opt, 4), ls.ReduceLROnPlateau(opt),
                ls.OneCycleLR(opt, 1.0, total_steps=10),
                ls.CyclicLR(opt, 0.01, 0.1, scale_fn=lambda x: 0.5, scale_mode="iterations"),
                ls.SequentialLR(opt, [ls.ConstantLR(opt), ls.ExponentialLR(opt, 0.9)], [2]),
                ls.ChainedScheduler([ls.ExponentialLR(opt, 0.5), ls.StepLR(opt, 2)])]
        return [(type(s).__name__, s.state_dict()) for s in made]
    exact(program)


def resume(torch, make, split):
    """Run 25 steps; and run ``split`` steps, save both state dicts, load them into a fresh
    optimizer and scheduler and run the rest: both runs' rates."""
    def fresh():
        w = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
        return opt, make(torch.optim.lr_scheduler, opt)

    def run(opt, sched, n):
        rates = []
        for _ in range(n):
            opt.step()
            sched.step()
            rates.append((sched.get_last_lr(), opt.param_groups[0]["momentum"]))
        return rates

    opt, sched = fresh()
    straight = run(opt, sched, 25)
    opt, sched = fresh()
    first = run(opt, sched, split)
    saved = copy.deepcopy((opt.state_dict(), sched.state_dict()))
    opt, sched = fresh()
    opt.load_state_dict(saved[0])
    sched.load_state_dict(saved[1])
    return straight, first + run(opt, sched, 25 - split)


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "CosineAnnealingLR", "LambdaLR",
                                  "OneCycleLR", "CyclicLR_exp_range", "SequentialLR",
                                  "ChainedScheduler", "CosineAnnealingWarmRestarts_T_mult"])
def test_state_dict_round_trip_resumes_the_schedule(name):
    straight, resumed = resume(lab, SCHEDULES[name], split=9)
    assert resumed == straight
    exact(lambda torch: resume(torch, SCHEDULES[name], split=9))


def test_load_state_dict_leaves_the_given_dict_whole():
    for make in (SCHEDULES["LambdaLR"], SCHEDULES["SequentialLR"]):
        w = lab.nn.Parameter(lab.zeros(1))
        opt = lab.optim.SGD([w], lr=0.1)
        sched = make(lab.optim.lr_scheduler, opt)
        saved = sched.state_dict()
        keys = list(saved)
        sched.load_state_dict(saved)
        assert list(saved) == keys


def test_callable_object_lambdas_keep_their_attributes():
    class Halve:
        def __init__(self):
            self.factor = 0.5

        def __call__(self, epoch):
            return self.factor ** epoch

    def program(torch):
        w = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([w], lr=1.0)
        fn = Halve()
        sched = torch.optim.lr_scheduler.LambdaLR(opt, fn)
        saved = sched.state_dict()
        fn.factor = 0.9
        sched.load_state_dict(saved)
        opt.step()
        sched.step()
        return saved["lr_lambdas"], fn.factor, sched.get_last_lr()
    out = exact(program)
    assert out.value == ([{"factor": 0.5}], 0.5, [0.5])


def test_a_scheduler_pickles_with_its_optimizer():
    w = lab.nn.Parameter(lab.zeros(1))
    opt = lab.optim.SGD([w], lr=1.0)
    sched = lab.optim.lr_scheduler.MultiStepLR(opt, [1, 2], gamma=0.5)
    opt.step()
    sched.step()
    again = pickle.loads(pickle.dumps(sched))
    again.optimizer.step()
    again.step()
    assert again.get_last_lr() == [0.25] and type(again) is lab.optim.lr_scheduler.MultiStepLR


def test_tensor_learning_rate_is_updated_in_place():
    def program(torch):
        w = torch.nn.Parameter(torch.zeros(2))
        lr = torch.tensor(0.1)
        opt = torch.optim.SGD([w], lr=lr)
        sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
        opt.step()
        sched.step()
        last = sched.get_last_lr()
        last[0].fill_(7.0)  # a copy: the optimizer's rate does not change
        return (opt.param_groups[0]["lr"] is lr, lr, opt.param_groups[0]["initial_lr"],
                sched.base_lrs)
    out = exact(program)
    assert out.value[0] is True


# -- warnings -------------------------------------------------------------------------------------
def order_program(order):
    def program(torch):
        w = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([w], lr=0.1)
        sched = torch.optim.lr_scheduler.StepLR(opt, 1, 0.5)
        for _ in range(3):
            for call in order:
                (opt.step if call == "opt" else sched.step)()
        return sched.get_last_lr(), sched._step_count
    return program


def test_scheduler_before_optimizer_warns_once():
    out = exact(order_program(["sched", "opt"]))
    assert [m for _, m in out.warnings] == [
        "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and "
        "later, you should call them in the opposite order: `optimizer.step()` before "
        "`lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first "
        "value of the learning rate schedule. See more details at "
        "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate"]


def test_optimizer_before_scheduler_does_not_warn():
    assert exact(order_program(["opt", "sched"])).warnings == []


def test_a_replaced_optimizer_step_warns():
    def program(torch):
        w = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([w], lr=0.1)
        sched = torch.optim.lr_scheduler.ExponentialLR(opt, 0.5)
        opt.step = lambda closure=None: None
        opt.step()
        sched.step()
        return sched.get_last_lr()
    out = exact(program)
    assert len(out.warnings) == 1 and out.warnings[0][1].startswith(
        "Seems like `optimizer.step()` has been overridden")


def test_optimizer_step_is_wrapped_once_and_still_steps():
    def program(torch):
        w = torch.nn.Parameter(torch.ones(1))
        opt = torch.optim.SGD([w], lr=0.5)
        first = torch.optim.lr_scheduler.StepLR(opt, 5)
        wrapped = opt.step
        torch.optim.lr_scheduler.ExponentialLR(opt, 0.9)
        w.grad = torch.ones(1)
        opt.step()
        return (opt.step is wrapped, getattr(opt.step, "_wrapped_by_lr_sched", None),
                opt.step.__name__, opt._opt_called, w.detach().tolist(), first.last_epoch)
    out = exact(program)
    assert out.value[:4] == (True, True, "step", True)


def test_get_lr_called_directly_warns():
    def program(torch):
        w = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([w], lr=0.1)
        sched = torch.optim.lr_scheduler.StepLR(opt, 1, 0.5)
        return sched.get_lr()
    out = exact(program)
    assert out.warnings == [("UserWarning", "To get the last learning rate computed by the "
                                            "scheduler, please use `get_last_lr()`.")]


# -- errors ---------------------------------------------------------------------------------------
def build(make, optimizer="SGD", groups=1, **opt_kwargs):
    def program(torch):
        params = [{"params": [torch.nn.Parameter(torch.zeros(1))]} for _ in range(groups)]
        opt = getattr(torch.optim, optimizer)(params, lr=0.1, **opt_kwargs)
        return make(torch.optim.lr_scheduler, opt)
    return program


def not_an_optimizer(s, o):
    return s.StepLR([1, 2], 3)


def stepped_too_far(s, o):
    sched = s.OneCycleLR(o, 1.0, total_steps=3)
    for _ in range(4):
        o.step()
        sched.step()


ERRORS = {
    "not_an_optimizer": not_an_optimizer,
    "plateau_not_an_optimizer": lambda s, o: s.ReduceLROnPlateau("sgd"),
    "resume_without_initial_lr": lambda s, o: s.StepLR(o, 3, last_epoch=4),
    "constant_factor": lambda s, o: s.ConstantLR(o, factor=1.5),
    "linear_start": lambda s, o: s.LinearLR(o, start_factor=0),
    "linear_end": lambda s, o: s.LinearLR(o, end_factor=1.5),
    "lambdas_count": lambda s, o: s.LambdaLR(o, [lambda e: 1.0] * 2),
    "multiplicative_not_callable": lambda s, o: s.MultiplicativeLR(o, 0.9),
    "warm_restarts_T_0": lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=0),
    "warm_restarts_T_mult": lambda s, o: s.CosineAnnealingWarmRestarts(o, 2, T_mult=1.5),
    "warm_restarts_eta_min": lambda s, o: s.CosineAnnealingWarmRestarts(o, 2, eta_min="0"),
    "warm_restarts_negative_epoch": lambda s, o: s.CosineAnnealingWarmRestarts(o, 2).step(-1),
    "one_cycle_no_length": lambda s, o: s.OneCycleLR(o, 1.0),
    "one_cycle_total_steps": lambda s, o: s.OneCycleLR(o, 1.0, total_steps=2.5),
    "one_cycle_epochs": lambda s, o: s.OneCycleLR(o, 1.0, epochs=0, steps_per_epoch=3),
    "one_cycle_steps_per_epoch": lambda s, o: s.OneCycleLR(o, 1.0, epochs=2, steps_per_epoch=-1),
    "one_cycle_pct_start": lambda s, o: s.OneCycleLR(o, 1.0, total_steps=9, pct_start=1),
    "one_cycle_anneal": lambda s, o: s.OneCycleLR(o, 1.0, total_steps=9, anneal_strategy="exp"),
    "one_cycle_max_lr_count": lambda s, o: s.OneCycleLR(o, [1.0, 2.0], total_steps=9),
    "one_cycle_stepped_too_far": stepped_too_far,
    "cyclic_mode": lambda s, o: s.CyclicLR(o, 0.1, 1.0, mode="sawtooth"),
    "plateau_factor": lambda s, o: s.ReduceLROnPlateau(o, factor=1.0),
    "plateau_mode": lambda s, o: s.ReduceLROnPlateau(o, mode="lowest"),
    "plateau_threshold_mode": lambda s, o: s.ReduceLROnPlateau(o, threshold_mode="pct"),
    "plateau_min_lrs": lambda s, o: s.ReduceLROnPlateau(o, min_lr=[0.1, 0.2]),
    "sequential_empty": lambda s, o: s.SequentialLR(o, [], []),
    "sequential_milestones": lambda s, o: s.SequentialLR(o, [s.StepLR(o, 2)], [3]),
    "sequential_plateau": lambda s, o: s.SequentialLR(
        o, [s.StepLR(o, 2), s.ReduceLROnPlateau(o)], [3]),
    "sequential_no_optimizer": lambda s, o: s.SequentialLR(o, [s.StepLR(o, 2), object()], [3]),
    "chained_empty": lambda s, o: s.ChainedScheduler([]),
    "chained_plateau": lambda s, o: s.ChainedScheduler([s.ReduceLROnPlateau(o)]),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors_match_torch(name):
    out = exact(build(ERRORS[name]))
    assert out.error is not None


@pytest.mark.parametrize("optimizer", ["Adagrad", "SGD"])
def test_cycling_momentum_needs_momentum(optimizer):
    # Adagrad has neither momentum nor betas; SGD has momentum (0 by default), so it cycles
    exact(build(lambda s, o: s.OneCycleLR(o, 1.0, total_steps=5).state_dict(), optimizer))
    exact(build(lambda s, o: s.CyclicLR(o, 0.01, 0.1).state_dict(), optimizer))


def test_schedulers_of_another_optimizer_are_refused():
    def program(torch):
        a = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        b = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        ls = torch.optim.lr_scheduler
        return ls.SequentialLR(a, [ls.StepLR(a, 2), ls.StepLR(b, 2)], [3])
    out = exact(program)
    assert out.error[0] == "ValueError" and "different from SGD" in out.error[1]


def test_plateau_refuses_a_new_group_without_default_min_lr():
    def program(torch):
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, min_lr=[0.0], patience=0)
        opt.add_param_group({"params": [torch.nn.Parameter(torch.zeros(1))]})
        sched.step(1.0)
        sched.step(2.0)
    out = exact(program)
    assert out.error[0] == "RuntimeError"


# -- the module itself ----------------------------------------------------------------------------
def test_classes_belong_to_the_public_module():
    def program(torch):
        ls = torch.optim.lr_scheduler
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        return (ls.__name__, sorted(ls.__all__),
                [(name, getattr(ls, name).__module__) for name in sorted(ls.__all__)],
                repr(ls.StepLR(opt, 2)), issubclass(ls._LRScheduler, ls.LRScheduler),
                issubclass(ls.ReduceLROnPlateau, ls.LRScheduler))
    exact(program)


def test_the_docstring_example_runs():
    import doctest
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in doctest.DocTestFinder().find(lab.optim.lr_scheduler.LRScheduler):
        runner.run(test)
    assert runner.tries >= 5 and runner.failures == 0


@pytest.mark.parametrize("name", ["StepLR", "ExponentialLR", "CosineAnnealingLR",
                                  "CosineAnnealingLR_eta_min_past_T_max", "LinearLR",
                                  "PolynomialLR", "MultiplicativeLR", "OneCycleLR",
                                  "CosineAnnealingWarmRestarts"])
def test_resuming_with_last_epoch(name):
    """A scheduler made with ``last_epoch=k`` (after the optimizer's state was loaded, so its
    groups carry ``initial_lr``) continues the schedule: CosineAnnealingLR takes its closed form
    on that first step, ExponentialLR does not decay twice."""
    base = SCHEDULES[name]

    def program(torch):
        w = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
        first = base(torch.optim.lr_scheduler, opt)
        for _ in range(6):
            opt.step()
            first.step()
        saved = copy.deepcopy(opt.state_dict())
        opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
        opt.load_state_dict(saved)
        make = {"StepLR": lambda s, o: s.StepLR(o, 4, 0.7, last_epoch=6),
                "ExponentialLR": lambda s, o: s.ExponentialLR(o, 0.93, last_epoch=6),
                "CosineAnnealingLR": lambda s, o: s.CosineAnnealingLR(o, 10, last_epoch=6),
                "CosineAnnealingLR_eta_min_past_T_max": lambda s, o: s.CosineAnnealingLR(
                    o, 7, 0.001, last_epoch=6),
                "LinearLR": lambda s, o: s.LinearLR(o, 0.25, total_iters=8, last_epoch=6),
                "PolynomialLR": lambda s, o: s.PolynomialLR(o, 20, 2.0, last_epoch=6),
                "MultiplicativeLR": lambda s, o: s.MultiplicativeLR(o, lambda e: 0.97,
                                                                     last_epoch=6),
                "OneCycleLR": lambda s, o: s.OneCycleLR(o, 1.0, total_steps=STEPS + 1,
                                                        last_epoch=6),
                "CosineAnnealingWarmRestarts": lambda s, o: s.CosineAnnealingWarmRestarts(
                    o, 5, last_epoch=6)}[name]
        sched = make(torch.optim.lr_scheduler, opt)
        rates = [sched.get_last_lr()]
        for _ in range(10):
            opt.step()
            sched.step()
            rates.append(sched.get_last_lr())
        return rates, sched.state_dict()
    exact(program)
