"""Exercises that check themselves: a registry of questions and one ``check`` to call.

A chapter asks, the learner answers in a cell, and ``check`` says how it went::

    from autograd_lab.exercises import check
    answer = None            # the learner writes the answer here
    check("01.2", answer)    # prints: 01.2: not answered yet ...

The answers live here, in the package, not in the notebook. ``check`` prints "not answered
yet" for ``None``, a hint only after a wrong answer and the explanation only after a right one,
in the language of :func:`autograd_lab.get_language` ("en" or "zh"). It never raises because of
the answer (a wrong type is told, not thrown) and never changes the learner's tensors: values
are read through ``detach()``, and code is run on fresh inputs made by the check itself.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from ..language import LANGUAGES, resolve

__all__ = ["Exercise", "register", "check", "get", "exercises", "NOT_ANSWERED"]

NOT_ANSWERED = {"en": "not answered yet", "zh": "还没有作答"}

_WORDS = {
    "en": {
        "blank": "{key}: not answered yet (write your answer in this cell, then run it again)",
        "right": "{key}: right.",
        "wrong": "{key}: not right yet.",
        "hint": "Hint: {text}",
        "why": "Why: {text}",
        "type": "{key}: expected {expects}, got {got}.",
        "raised": "{key}: your code raised {error}",
    },
    "zh": {
        "blank": "{key}：还没有作答（在本单元格写下答案，再运行一次）",
        "right": "{key}：正确。",
        "wrong": "{key}：还不对。",
        "hint": "提示：{text}",
        "why": "解释：{text}",
        "type": "{key}：应当是{expects}，收到的是 {got}。",
        "raised": "{key}：你的代码抛出了 {error}",
    },
}

_EXPECTS = {  # what an answer of the expected value's kind looks like
    "bool": {"en": "True or False", "zh": "True 或 False"},
    "int": {"en": "a whole number", "zh": "一个整数"},
    "float": {"en": "a number", "zh": "一个数"},
    "str": {"en": "a string", "zh": "一个字符串"},
    "tensor": {"en": "a tensor (or nested list of numbers)", "zh": "一个张量（或嵌套的数字列表）"},
    "tuple": {"en": "a tuple of {n} values", "zh": "由 {n} 个值组成的元组"},
    "none": {"en": "None", "zh": "None"},
}


class WrongType(Exception):
    """The answer is not of the kind the exercise asks for (told, not raised, by ``check``).
    Its argument says what was expected: a string, or {"en": ..., "zh": ...}."""


@dataclass(frozen=True)
class Exercise:
    """One self-checking question.

    ``expected`` is either a value (bool, int and str compared exactly; floats with ``rel_tol``
    and ``abs_tol``; tensors and arrays by value, shape included; tuples and lists item by
    item) or a callable ``answer -> True | False | None`` for exercises that ask for code
    (``None``: the code is not written yet, e.g. a body that is still ``...``). A callable may
    raise :class:`WrongType` to say what it expected.
    """

    key: str
    expected: Any
    hint: Mapping[str, str]
    explanation: Mapping[str, str]
    question: Mapping[str, str] = field(default_factory=dict)
    kind: str = ""  # "value" or "code"; default: "code" when expected is callable
    expects: Mapping[str, str] | None = None  # what to write, when the default words do not fit
    rel_tol: float = 1e-6
    abs_tol: float = 1e-8

    def __post_init__(self) -> None:
        for name in ("hint", "explanation"):
            missing = [lang for lang in LANGUAGES if not getattr(self, name).get(lang)]
            if missing:
                raise ValueError(f"exercise {self.key}: {name} needs {', '.join(missing)}")
        if not self.kind:
            object.__setattr__(self, "kind", "code" if callable(self.expected) else "value")
        if self.kind not in ("value", "code"):
            raise ValueError(f"exercise {self.key}: kind must be 'value' or 'code'")

    @property
    def chapter(self) -> str:
        return self.key.split(".")[0]

    def judge(self, answer: Any) -> bool | None:
        """True (right), False (wrong) or None (not answered); raises WrongType."""
        if answer is None:
            return None
        if callable(self.expected):
            verdict = self.expected(answer)
            return None if verdict is None else bool(verdict)
        return _same(self.expected, answer, self)


_REGISTRY: dict[str, Exercise] = {}


def register(exercise: Exercise) -> Exercise:
    """Add ``exercise`` to the registry; a key can be registered only once."""
    if exercise.key in _REGISTRY:
        raise ValueError(f"exercise {exercise.key!r} is already registered")
    _REGISTRY[exercise.key] = exercise
    return exercise


def get(key: str) -> Exercise:
    """The exercise registered under ``key``."""
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(f"no exercise {key!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def exercises(chapter: str | None = None) -> list[Exercise]:
    """Every registered exercise (of one chapter, e.g. "01"), in key order."""
    found = [e for e in _REGISTRY.values() if chapter is None or e.chapter == chapter]
    return sorted(found, key=lambda e: [(0, int(p), "") if p.isdigit() else (1, 0, p)
                                        for p in e.key.split(".")])


def check(key: str, answer: Any, *, lang: str | None = None) -> bool | None:
    """Print how ``answer`` to exercise ``key`` went; return True, False or None (not
    answered). Safe to run again: it changes nothing the learner made."""
    global _lang
    exercise = get(key)
    lang = resolve(lang)
    words = _WORDS[lang]
    _lang = lang
    try:
        verdict = exercise.judge(answer)
    except WrongType as e:
        expects = e.args[0] if e.args else "?"
        if isinstance(expects, Mapping):
            expects = expects[lang]
        print(words["type"].format(key=key, expects=expects, got=_describe(answer)))
        return False
    except Exception as e:  # the learner's code failed: say how, do not raise
        print(words["raised"].format(key=key, error=f"{type(e).__name__}: {e}"))
        print(words["hint"].format(text=exercise.hint[lang]))
        return False
    if verdict is None:
        print(words["blank"].format(key=key))
    elif verdict:
        print(words["right"].format(key=key))
        print(words["why"].format(text=exercise.explanation[lang]))
    else:
        print(words["wrong"].format(key=key))
        print(words["hint"].format(text=exercise.hint[lang]))
    return verdict


# -- comparing values -------------------------------------------------------------------------

def _describe(answer: Any) -> str:
    text = repr(answer)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(answer).__name__} {text}"


_lang = "en"  # the language of the check being made (set by check)


def _expects(kind: str, exercise: Exercise, **fmt: Any) -> str:
    if exercise.expects:
        return exercise.expects[_lang]
    return _EXPECTS[kind][_lang].format(**fmt)


def _is_tensor(value: Any) -> bool:
    return hasattr(value, "detach") and hasattr(value, "numpy") and hasattr(value, "shape")


def _as_array(value: Any) -> np.ndarray:
    if _is_tensor(value):
        return np.asarray(value.detach().numpy(), dtype=float)
    return np.asarray(value, dtype=float)


def _same(expected: Any, answer: Any, exercise: Exercise) -> bool:
    if isinstance(expected, bool):
        if not isinstance(answer, (bool, np.bool_)):
            raise WrongType(_expects("bool", exercise))
        return bool(answer) == expected
    if isinstance(expected, str):
        if not isinstance(answer, str):
            raise WrongType(_expects("str", exercise))
        return answer.strip() == expected
    if isinstance(expected, numbers.Real):
        number = _number(answer)
        if number is None:
            raise WrongType(_expects("int" if isinstance(expected, numbers.Integral)
                                     else "float", exercise))
        if isinstance(expected, numbers.Integral):
            return number == expected
        return math.isclose(number, float(expected), rel_tol=exercise.rel_tol,
                            abs_tol=exercise.abs_tol)
    if _is_tensor(expected) or isinstance(expected, np.ndarray):
        if isinstance(answer, (str, bytes, bool)) or answer is None:
            raise WrongType(_expects("tensor", exercise))
        try:
            got = _as_array(answer)
        except (TypeError, ValueError):
            raise WrongType(_expects("tensor", exercise)) from None
        want = _as_array(expected)
        return got.shape == want.shape and bool(np.allclose(got, want, rtol=exercise.rel_tol,
                                                            atol=exercise.abs_tol))
    if isinstance(expected, (tuple, list)):
        numeric = all(isinstance(e, numbers.Real) and not isinstance(e, bool) for e in expected)
        if numeric and (_is_tensor(answer) or isinstance(answer, np.ndarray)):
            answer = _as_array(answer).reshape(-1).tolist()   # values of a tensor, in order
        if not isinstance(answer, (tuple, list)) or len(answer) != len(expected):
            raise WrongType(_expects("tuple", exercise, n=len(expected)))
        return all(_same(e, a, exercise) for e, a in zip(expected, answer))
    if expected is None:
        return answer is None
    return bool(answer == expected)


def _number(answer: Any) -> float | None:
    """A real number from a Python/NumPy number or a one-element tensor; None otherwise."""
    if isinstance(answer, (bool, np.bool_)):
        return None
    if isinstance(answer, numbers.Real):
        return float(answer)
    if _is_tensor(answer):
        array = _as_array(answer)
        return float(array.reshape(-1)[0]) if array.size == 1 else None
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        return float(answer.reshape(-1)[0])
    return None
