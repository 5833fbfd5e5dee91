"""The language autograd_lab's own words are written in.

The engine speaks PyTorch's English (its messages are PyTorch's, word for word). The teaching
layer on top of it (the words of render_graph's pictures and legends, animation panels,
exercise feedback) can speak English or Simplified Chinese, as the source documents do::

    import autograd_lab
    autograd_lab.set_language("zh")   # every picture, panel and check from now on
    animate_backward(y, lang="en")    # or one call in another language
    render_graph(y, lang="en")
"""
from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("en", "zh")

_current = "en"


def set_language(lang: str) -> None:
    """Make ``lang`` ("en" or "zh") the language of pictures, panels, legends and exercise
    feedback."""
    global _current
    _current = resolve(lang)


def get_language() -> str:
    """The language set by :func:`set_language` ("en" unless changed)."""
    return _current


def resolve(lang: str | None) -> str:
    """``lang`` checked, or the current language when it is None."""
    if lang is None:
        return _current
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGUAGES))}, got {lang!r}")
    return lang
