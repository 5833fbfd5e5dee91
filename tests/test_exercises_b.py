"""The exercises of chapters 03-06 (autograd_lab/exercises/ch03.py ... ch06.py).

For every exercise: the right answer passes and shows the explanation, a wrong one fails and
shows the hint, None says "not answered yet", in English and in Chinese, and checking twice gives
the same verdict. The expected value of every value exercise is also what PyTorch computes for
the scenario the chapter describes (when PyTorch is importable), and the right code answers are
written the way a learner would, against autograd_lab.
"""
from __future__ import annotations

import pytest

import autograd_lab as torch
import autograd_lab.nn as nn
from autograd_lab import exercises as ex

try:
    import torch as real_torch
except ImportError:  # the oracle is optional
    real_torch = None

needs_torch = pytest.mark.skipif(real_torch is None, reason="PyTorch is not installed")


# -- right answers as a learner would write them ------------------------------------------------

def vjp_right(x, v):
    y = x * x * x
    y.backward(gradient=v)
    return x.grad


def vjp_ignores_v(x, v):
    y = x * x * x
    y.sum().backward()
    return x.grad


def vjp_not_written(x, v):
    y = x * x * x
    ...


def make_weights_right():
    return (torch.randn(3) * 0.01).requires_grad_()


def make_weights_broken():
    return torch.randn(3, requires_grad=True) * 0.01


class CubeRight(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input ** 3

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return 3 * input ** 2 * grad_output


class CubeMissingSquare(CubeRight):
    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return 3 * input * grad_output


class CubeNotWritten(CubeRight):
    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        ...


def train_right(model, x, y, steps=40, lr=0.2):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    for step in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()


def train_broken(model, x, y, steps=40, lr=0.2):  # the chapter's version: no zero_grad
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    for step in range(steps):
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()


def train_raises(model, x, y, steps=40, lr=0.2):
    raise ValueError("oops")


#: key -> (a right answer, a wrong answer)
ANSWERS = {
    "03.1": (13.0, 12.0),
    "03.2": ("negative", "positive"),
    "03.3": (12.0, 4.0),
    "03.4": (vjp_right, vjp_ignores_v),
    "04.1": (15.0, 5.0),
    "04.2": (False, True),
    "04.3": (10.0, 9.0),
    "04.4": (make_weights_right, make_weights_broken),
    "05.1": (0.0, 3.0),
    "05.2": (5.0, 1.0),
    "05.3": ((1, 5.0), (2, 5.0)),
    "05.4": (CubeRight, CubeMissingSquare),
    "06.1": (False, True),
    "06.2": (False, True),
    "06.3": (0.0, 4.0),
    "06.4": (train_right, train_broken),
}


def test_every_exercise_of_chapters_03_to_06_is_tested():
    mine = [e.key for ch in ("03", "04", "05", "06") for e in ex.exercises(ch)]
    assert sorted(mine) == sorted(ANSWERS)
    for ch in ("03", "04", "05", "06"):
        found = ex.exercises(ch)
        assert len(found) >= 3 and any(e.kind == "code" for e in found), ch
        for e in found:
            assert e.question.get("en") and e.question.get("zh"), e.key


@pytest.mark.parametrize("key", sorted(ANSWERS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_right_wrong_and_unanswered(key, lang, capsys):
    right, wrong = ANSWERS[key]
    exercise = ex.get(key)
    words = {"en": ("right.", "Why: ", "not right yet.", "Hint: ", "not answered yet"),
             "zh": ("正确。", "解释：", "还不对。", "提示：", "还没有作答")}[lang]
    for _ in range(2):  # a check can be run again with the same outcome
        assert ex.check(key, right, lang=lang) is True
        out = capsys.readouterr().out
        assert words[0] in out and words[1] + exercise.explanation[lang] in out
        assert exercise.hint[lang] not in out
        assert ex.check(key, wrong, lang=lang) is False
        out = capsys.readouterr().out
        assert words[2] in out and words[3] + exercise.hint[lang] in out
        assert exercise.explanation[lang] not in out
    assert ex.check(key, None, lang=lang) is None
    out = capsys.readouterr().out
    assert words[4] in out and exercise.hint[lang] not in out


@pytest.mark.parametrize("key,answer", [
    ("03.4", vjp_not_written), ("05.4", CubeNotWritten)])
def test_code_left_as_dots_is_not_answered(key, answer, capsys):
    """A cell run with its body still `...` and answer set anyway: not a wrong answer."""
    if key == "05.4":
        # a backward that returns None gives a zero gradient: gradcheck fails, so it is wrong
        assert ex.check(key, answer) is False
    else:
        assert ex.check(key, answer) is None
        assert "not answered yet" in capsys.readouterr().out


@pytest.mark.parametrize("key,answer,expects", [
    ("03.1", "13", "a number"),
    ("03.2", 3, '"positive" or "negative"'),
    ("03.4", 4, "a function vjp(x, v)"),
    ("04.2", "False", "True or False"),
    ("04.4", 3, "a function make_weights()"),
    ("05.3", 5, "a pair (calls, gradient)"),
    ("05.4", CubeRight.apply, "a class derived from t.autograd.Function"),
    ("06.4", "train", "a function train(model, x, y, steps, lr)"),
])
def test_wrong_types_are_told_not_raised(key, answer, expects, capsys):
    assert ex.check(key, answer) is False
    assert f"expected {expects}" in capsys.readouterr().out


def test_code_that_raises_is_reported_with_the_hint(capsys):
    assert ex.check("06.4", train_raises) is False
    out = capsys.readouterr().out
    assert "your code raised ValueError: oops" in out and ex.get("06.4").hint["en"] in out


def test_accepted_spellings_of_03_2():
    assert ex.check("03.2", "  Negative ") is True
    assert ex.check("03.2", "负") is True
    assert ex.check("03.2", "正") is False


def test_checks_leave_the_learners_objects_alone():
    x = torch.arange(3.0, requires_grad=True)
    before = x.grad
    ex.check("03.1", x.sum())      # a tensor answer is read, not backpropagated
    assert x.grad is before
    model = nn.Linear(1, 1)
    weight = model.weight.detach().clone()
    ex.check("06.4", train_right)  # the check trains models of its own
    assert torch.equal(model.weight.detach(), weight)


def test_04_4_needs_the_small_values_of_randn_times_001():
    assert ex.check("04.4", lambda: torch.randn(3).requires_grad_()) is False
    assert ex.check("04.4", lambda: (torch.randn(4) * 0.01).requires_grad_()) is False


# -- the expected values are what PyTorch computes ---------------------------------------------

def scenario(lib, key):
    """The computation each value exercise asks about, run with ``lib`` (torch or ours)."""
    if key == "03.1":
        x = lib.arange(4.0, requires_grad=True)
        (2 * lib.dot(x, x)).backward()
        x.sum().backward()
        return x.grad[3].item()
    if key == "03.2":  # the sign of a for which f gives a.grad = 204800
        signs = {}
        for value in (0.75, -0.75):
            a = lib.tensor(value, requires_grad=True)
            b = a * 2
            while b.norm() < 1000:
                b = b * 2
            c = b if b.sum() > 0 else 100 * b
            c.backward()
            signs[a.grad.item()] = "positive" if value > 0 else "negative"
        return signs[204800.0]
    if key == "03.3":
        x = lib.arange(4.0, requires_grad=True)
        u = x * x
        (u * x).sum().backward()
        return x.grad[2].item()
    if key in ("04.1", "04.3"):
        w = lib.tensor([1.], requires_grad=True)
        x = lib.tensor([2.], requires_grad=True)
        if key == "04.1":
            for _ in range(3):
                lib.mul(lib.add(w, x), lib.add(w, 1)).backward()
        else:
            a, b = lib.add(w, x), lib.add(w, 1)
            loss = lib.cat([lib.mul(a, b), lib.add(a, b)], dim=0)
            loss.backward(gradient=lib.tensor([2., 0.]))
        return w.grad.item()
    if key == "04.2":
        return lib.ones(3, requires_grad=True).double().is_leaf
    if key in ("05.1", "05.2"):
        b = lib.tensor(1.0, requires_grad=True)
        w = lib.tensor(2.0, requires_grad=True)
        x = lib.tensor(-1.0 if key == "05.1" else 3.0)
        a = lib.relu(w * x + b)
        if key == "05.2":
            return a.grad_fn(lib.tensor(5.0)).item()
        a.backward()
        return w.grad.item()
    if key == "05.3":
        w = lib.tensor([1.], requires_grad=True)
        x = lib.tensor([2.], requires_grad=True)
        y = lib.mul(lib.add(w, x), lib.add(w, 1))
        calls = []
        y.grad_fn.next_functions[1][0].next_functions[0][0].register_prehook(
            lambda grads: calls.append(grads[0].item()))
        y.backward()
        return (len(calls), calls[0])
    if key == "06.1":
        w = lib.zeros(1, requires_grad=True)
        ((w - 1) ** 2).sum().backward()
        w = w - 0.2 * w.grad
        return w.is_leaf
    if key == "06.2":
        lib.manual_seed(0)
        mlp = lib.nn.Sequential(lib.nn.Linear(1, 4), lib.nn.Tanh(), lib.nn.Linear(4, 1))
        optimizer = lib.optim.SGD(mlp.parameters(), lr=0.1)
        mlp[0].weight.requires_grad_(False)
        before = mlp[0].weight.clone()
        xs = lib.linspace(-1, 1, 8).reshape(-1, 1)
        optimizer.zero_grad()
        lib.nn.MSELoss()(mlp(xs), lib.sin(xs)).backward()
        optimizer.step()
        return not lib.equal(before, mlp[0].weight)
    if key == "06.3":
        w = lib.tensor(2.0, requires_grad=True)
        w.register_hook(lambda g: g * 0)
        (w * w).backward()
        return w.grad.item()
    raise KeyError(key)


VALUE_KEYS = [k for k in sorted(ANSWERS) if ex.get(k).kind == "value"]


@pytest.mark.parametrize("key", VALUE_KEYS)
def test_expected_answer_is_what_autograd_lab_computes(key):
    assert ex.check(key, scenario(torch, key)) is True


@needs_torch
@pytest.mark.parametrize("key", VALUE_KEYS)
def test_expected_answer_is_what_pytorch_computes(key):
    assert ex.check(key, scenario(real_torch, key)) is True


@needs_torch
def test_code_exercises_agree_with_pytorch():
    """The right code answers give what the same code gives under PyTorch."""
    values, weights = [0.5, -1.0, 2.0], [2.0, 0.0, -1.0]
    ours = vjp_right(torch.tensor(values, requires_grad=True), torch.tensor(weights))
    x = real_torch.tensor(values, requires_grad=True)
    (x * x * x).backward(gradient=real_torch.tensor(weights))
    assert ours.tolist() == pytest.approx(x.grad.tolist())

    class TorchCube(real_torch.autograd.Function):
        forward = CubeRight.forward
        backward = CubeRight.backward

    x64 = real_torch.tensor([0.5, -1.25, 2.0], dtype=real_torch.float64, requires_grad=True)
    assert real_torch.autograd.gradcheck(TorchCube.apply, (x64,))

    # 06.4: the fit a correct loop reaches under PyTorch is the one the check compares with
    x = real_torch.arange(-10, 11).reshape(-1, 1) / 10
    y = 3 * x + 0.5 + 0.2 * real_torch.sin(9 * x)
    model = real_torch.nn.Linear(1, 1)
    with real_torch.no_grad():
        model.weight.zero_()
        model.bias.zero_()
    optimizer = real_torch.optim.SGD(model.parameters(), lr=0.2)
    for _ in range(40):
        optimizer.zero_grad()
        real_torch.nn.MSELoss()(model(x), y).backward()
        optimizer.step()
    mine = nn.Linear(1, 1)
    with torch.no_grad():
        mine.weight.zero_()
        mine.bias.zero_()
    xs = torch.arange(-10, 11).reshape(-1, 1) / 10
    train_right(mine, xs, 3 * xs + 0.5 + 0.2 * torch.sin(9 * xs))
    assert mine.weight.item() == pytest.approx(model.weight.item(), abs=1e-6)
    assert mine.bias.item() == pytest.approx(model.bias.item(), abs=1e-6)
