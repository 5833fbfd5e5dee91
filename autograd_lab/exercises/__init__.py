"""Self-checking exercises for the chapter notebooks.

    from autograd_lab.exercises import check
    answer = None            # write your answer here
    check("02.1", answer)

Each chapter's questions are defined in its own module (``ch00`` ... ``ch06``, ``a1``), so
that the answers are not in the notebook; ``check`` prints feedback in the language of
``autograd_lab.get_language()``.
"""
from __future__ import annotations

import importlib
import importlib.util

from ._core import NOT_ANSWERED, Exercise, WrongType, check, exercises, get, register

__all__ = ["check", "Exercise", "WrongType", "register", "get", "exercises", "NOT_ANSWERED"]

# one module per chapter, written by the chapter's author; a chapter not written yet has none
CHAPTER_MODULES = ("ch00", "ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "a1")
for _name in CHAPTER_MODULES:
    if importlib.util.find_spec(f"{__name__}.{_name}") is not None:
        importlib.import_module(f"{__name__}.{_name}")
del _name
