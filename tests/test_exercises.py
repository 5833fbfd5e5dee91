"""autograd_lab.exercises: ``check`` judges answers as the chapters promise, in both languages,
and every exercise of chapters 00, 01, 02 and appendix A1 accepts its right answer, refuses a
wrong one with its hint, and says "not answered yet" for None.

(Chapters 03-06 test their own exercises in tests/test_exercises_b.py.)
"""
from __future__ import annotations

import numpy as np
import pytest

import autograd_lab as torch
from autograd_lab import exercises as ex
from autograd_lab.exercises import _core

BOTH = {"en": "x", "zh": "x"}


@pytest.fixture
def temporary():
    """Register exercises for one test only."""
    made: list[str] = []

    def add(key, expected, **kw):
        kw.setdefault("hint", {"en": "think of h", "zh": "想想 h"})
        kw.setdefault("explanation", {"en": "because e", "zh": "因为 e"})
        made.append(key)
        return ex.register(ex.Exercise(key, expected, **kw))

    yield add
    for key in made:
        _core._REGISTRY.pop(key, None)


def run(capsys, key, answer, **kw):
    verdict = ex.check(key, answer, **kw)
    return verdict, capsys.readouterr().out


# -- the core -------------------------------------------------------------------------------

def test_none_is_not_answered_in_both_languages(temporary, capsys):
    temporary("T9.1", 5.0)
    verdict, out = run(capsys, "T9.1", None)
    assert verdict is None and out.startswith("T9.1: not answered yet")
    assert "think of h" not in out and "because e" not in out
    verdict, out = run(capsys, "T9.1", None, lang="zh")
    assert verdict is None and out.startswith("T9.1：还没有作答")


def test_hint_only_after_a_wrong_answer_explanation_only_after_a_right_one(temporary, capsys):
    temporary("T9.1", 5.0)
    verdict, out = run(capsys, "T9.1", 4.0)
    assert verdict is False and "Hint: think of h" in out and "because e" not in out
    verdict, out = run(capsys, "T9.1", 5.0)
    assert verdict is True and "Why: because e" in out and "think of h" not in out
    verdict, out = run(capsys, "T9.1", 4, lang="zh")
    assert verdict is False and "提示：想想 h" in out
    verdict, out = run(capsys, "T9.1", 5, lang="zh")
    assert verdict is True and "解释：因为 e" in out


def test_language_follows_the_package_setting(temporary, capsys):
    temporary("T9.1", 1.0)
    torch.set_language("zh")
    try:
        _, out = run(capsys, "T9.1", None)
    finally:
        torch.set_language("en")
    assert "还没有作答" in out


def test_floats_with_tolerance_ints_exactly(temporary, capsys):
    temporary("T9.1", 0.1)
    temporary("T9.2", 2)
    assert ex.check("T9.1", 0.1 + 1e-12) is True
    assert ex.check("T9.1", 0.1001) is False
    assert ex.check("T9.1", np.float32(0.1)) is True       # float32 rounding is within 1e-6
    assert ex.check("T9.2", 2) is True and ex.check("T9.2", 2.0) is True
    assert ex.check("T9.2", 2.000001) is False


def test_one_element_tensor_counts_as_a_number_and_is_left_untouched(temporary, capsys):
    temporary("T9.1", 5.0)
    w = torch.tensor([5.], requires_grad=True)
    assert ex.check("T9.1", w) is True
    assert w.grad is None and w.requires_grad and w._version == 0
    assert ex.check("T9.1", torch.tensor([1., 2.])) is False   # two elements: not a number
    assert "expected a number, got Tensor" in capsys.readouterr().out


def test_wrong_types_are_told_not_raised(temporary, capsys):
    temporary("T9.1", 5.0)
    temporary("T9.2", True)
    temporary("T9.3", "AccumulateGrad")
    temporary("T9.4", (True, False))
    temporary("T9.5", torch.tensor([1., 2.]))
    cases = [("T9.1", "5", "expected a number, got str '5'"),
             ("T9.2", 1, "expected True or False, got int 1"),
             ("T9.3", 3, "expected a string, got int 3"),
             ("T9.4", True, "expected a tuple of 2 values, got bool True"),
             ("T9.4", (True,), "expected a tuple of 2 values"),
             ("T9.5", "x", "expected a tensor")]
    for key, answer, words in cases:
        verdict, out = run(capsys, key, answer)
        assert verdict is False and words in out, (key, out)
    verdict, out = run(capsys, "T9.1", "5", lang="zh")
    assert verdict is False and "应当是一个数，收到的是 str '5'" in out


def test_tensors_compared_by_value_and_shape(temporary, capsys):
    temporary("T9.1", torch.tensor([1., 2.]))
    assert ex.check("T9.1", torch.tensor([1., 2.], requires_grad=True)) is True
    assert ex.check("T9.1", [1.0, 2.0 + 1e-9]) is True
    assert ex.check("T9.1", torch.tensor([[1., 2.]])) is False   # same values, other shape
    assert ex.check("T9.1", torch.tensor([1., 3.])) is False


def test_strings_and_tuples_exact(temporary, capsys):
    temporary("T9.1", "MulBackward0")
    temporary("T9.2", (True, True, False))
    assert ex.check("T9.1", " MulBackward0 ") is True
    assert ex.check("T9.1", "mulbackward0") is False
    assert ex.check("T9.2", [True, True, False]) is True
    assert ex.check("T9.2", (True, False, False)) is False


def test_code_exercises_none_means_not_written_and_errors_are_caught(temporary, capsys):
    def judge(f):
        value = f(3.0)
        return None if value is None else abs(value - 9.0) < 1e-9
    temporary("T9.1", judge)
    assert ex.get("T9.1").kind == "code"

    def blank(x):
        ...
    verdict, out = run(capsys, "T9.1", blank)
    assert verdict is None and "not answered yet" in out
    assert run(capsys, "T9.1", lambda x: x * x)[0] is True
    assert run(capsys, "T9.1", lambda x: 2 * x)[0] is False
    verdict, out = run(capsys, "T9.1", lambda x: x.nope)
    assert verdict is False and "your code raised AttributeError" in out and "think of h" in out


def test_registry_refuses_duplicates_and_unknown_keys(temporary):
    temporary("T9.1", 1.0)
    with pytest.raises(ValueError, match="already registered"):
        ex.register(ex.Exercise("T9.1", 2.0, hint=BOTH, explanation=BOTH))
    with pytest.raises(KeyError, match="no exercise 'T9.7'"):
        ex.check("T9.7", 1)
    with pytest.raises(ValueError, match="hint needs zh"):
        ex.Exercise("T9.8", 1.0, hint={"en": "h"}, explanation=BOTH)


def test_every_exercise_is_written_in_both_languages():
    for e in ex.exercises():
        for lang in ("en", "zh"):
            assert e.question.get(lang), f"{e.key}: question in {lang}"
            assert e.hint[lang] and e.explanation[lang]


# -- the exercises of chapters 00, 01, 02 and A1 ---------------------------------------------

def _grad_of_l(w_value):
    w = torch.tensor([w_value], requires_grad=True)
    (2 * w + 1).pow(2).backward()
    return w.grad


def _grad_of_l_forgets_the_inner_derivative(w_value):
    w = torch.tensor([w_value], requires_grad=True)
    return 2 * (2 * w.detach() + 1)


def _central(f, v, h):
    return (f(v + h) - f(v - h)) / (2 * h)


def _forward(f, v, h):
    return (f(v + h) - f(v)) / h


def _count_walk(t):
    seen, todo, count = set(), [t.grad_fn], 0
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        count += type(node).__name__ == "AccumulateGrad"
        todo.extend(n for n, _ in node.next_functions)
    return count


def _count_uses(t):   # counts a leaf once per use: wrong for a leaf used twice
    todo, count = [t.grad_fn], 0
    while todo:
        node = todo.pop()
        if node is not None:
            count += type(node).__name__ == "AccumulateGrad"
            todo.extend(n for n, _ in node.next_functions)
        if count > 50:
            break
    return count


def _count_recursive(t):   # right on small graphs, fails on the deep one
    seen = set()

    def go(node):
        if node is None or id(node) in seen:
            return 0
        seen.add(id(node))
        return (type(node).__name__ == "AccumulateGrad") + sum(go(n) for n, _ in node.next_functions)
    return go(t.grad_fn)


def _route(y, x):
    return torch.render_graph(y, highlight=[y, x], direction="LR", legend=False)


def _route_top_down(y, x):
    return torch.render_graph(y, highlight=[y, x])


def _blank(*args):
    ...


RIGHT_WRONG = {  # key: (a right answer, a wrong one)
    "00.1": (-0.05, 0.05),
    "00.2": (0.07, 0.05),
    "00.3": (12.0, 6.0),
    "00.4": (_grad_of_l, _grad_of_l_forgets_the_inner_derivative),
    "01.1": (8.0, 5.0),
    "01.2": ((1, 12.0), (3, 12.0)),
    "01.3": (6.0, 2.0),
    "01.4": (11.0, 7.0),
    "01.5": (_central, _forward),
    "02.1": ((True, True, False, True), (True, True, False, False)),
    "02.2": ("None", "AccumulateGrad"),
    "02.3": ((10.0, 10.0), (5.0, 5.0)),
    "02.4": (_count_walk, _count_uses),
    "A1.1": (2, 1),
    "A1.2": ("result", "input"),
    "A1.3": (_route, _route_top_down),
}


def test_chapters_00_02_and_a1_have_their_exercises():
    mine = [e.key for e in ex.exercises() if e.chapter in ("00", "01", "02", "A1")]
    assert sorted(mine) == sorted(RIGHT_WRONG)


@pytest.mark.parametrize("key", sorted(RIGHT_WRONG))
def test_exercise_right_wrong_and_unanswered(key, capsys):
    right, wrong = RIGHT_WRONG[key]
    exercise = ex.get(key)
    for lang in ("en", "zh"):
        verdict, out = run(capsys, key, right, lang=lang)
        assert verdict is True, out
        assert exercise.explanation[lang] in out and exercise.hint[lang] not in out
        verdict, out = run(capsys, key, wrong, lang=lang)
        assert verdict is False, out
        assert exercise.hint[lang] in out and exercise.explanation[lang] not in out
        verdict, out = run(capsys, key, None, lang=lang)
        assert verdict is None and ex.NOT_ANSWERED[lang] in out
    if exercise.kind == "code":
        verdict, out = run(capsys, key, _blank)
        assert verdict is None and "not answered yet" in out
    verdict, out = run(capsys, key, object())
    assert verdict is False and "expected" in out     # told, never raised


def test_recursion_fails_the_graph_walk_on_a_deep_graph(capsys):
    verdict, out = run(capsys, "02.4", _count_recursive)
    assert verdict is False and "RecursionError" in out


def test_a_check_runs_again_with_the_same_result(capsys):
    first = [run(capsys, k, RIGHT_WRONG[k][0])[0] for k in RIGHT_WRONG]
    again = [run(capsys, k, RIGHT_WRONG[k][0])[0] for k in RIGHT_WRONG]
    assert first == again == [True] * len(RIGHT_WRONG)
