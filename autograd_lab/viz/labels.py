"""Label text: escaping any string for a DOT label, and the lines that describe a tensor.

Labels are *plain* Graphviz labels (escString), not HTML-like ones: the in-process WebAssembly
Graphviz is built without the XML parser that HTML labels need, and the same DOT must give the
same picture under both backends. So every piece of text that comes from the user (a variable
name, a custom Function's class name, a tensor's printed value) goes through ``escape`` and the
label's lines are joined here; nothing else builds label strings.
"""
from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Iterable, NamedTuple

import graphviz

from .picture_words import WORDS, shape_words, word

if TYPE_CHECKING:
    from ..tensor import Tensor

# Longest text kept on one label line; longer text is cut with an ellipsis.
MAX_LINE = 64
# Tensors with at most this many elements show their values (if the printout is short).
MAX_VALUE_NUMEL = 16
MAX_VALUE_LINES = 4

# Characters that would make invalid DOT/XML, or that reorder or hide text (bidi overrides,
# zero-width marks): shown as Python escapes instead, so a hostile name is visible as what it is.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def visible(text: str) -> str:
    """``text`` with control, format and unassigned characters written as ``\\xNN`` escapes."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch == " " or unicodedata.category(ch) not in _HIDDEN_CATEGORIES:
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else
                       f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


def shorten(text: str, limit: int = MAX_LINE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def escape(text: str) -> str:
    """One line of label text, safe inside a quoted DOT string.

    Graphviz reads backslash sequences (``\\N``, ``\\l``...) and HTML entities (``&amp;``) in
    plain labels, so both ``\\`` and ``&`` are escaped; double quotes are escaped by the
    ``graphviz`` package when it quotes the attribute (it treats ``\\"`` and ``"`` alike, which
    is why backslashes must be doubled first).
    """
    return shorten(visible(text)).replace("\\", "\\\\").replace("&", "&amp;")


class Line(NamedTuple):
    """One line of a label and how it is drawn: a code of ``textstyle.LINE_STYLES``, upper
    case for a centred line, lower case for a left-justified one."""

    text: str
    style: str = "N"


def label(lines: Iterable[Line]) -> tuple[str, str]:
    """The DOT label for ``lines`` and the style token that ``textstyle`` reads in the SVG.

    Each line is escaped and ends with ``\\n`` (centred) or, for the rows of a printed matrix,
    ``\\l`` (left-justified, so the rows stay aligned). The label is wrapped in ``nohtml`` so
    that a name like ``<b>`` is never taken for an HTML label. Empty lines are dropped (Graphviz
    draws no text element for them, which would shift the styles).
    """
    kept = [line for line in lines if line.text.strip()]
    text = "".join(escape(line.text) + ("\\l" if line.style.islower() else "\\n")
                   for line in kept)
    return graphviz.nohtml(text), "lines_" + "".join(line.style for line in kept)


# -- what a tensor looks like in a label ------------------------------------------------------
def shape_text(t: "Tensor", lang: str = "en") -> str:
    """``shape [3, 4]``, ``scalar`` (in ``lang``); the dtype is added when it is not the
    default float32."""
    text = shape_words(t._data.shape, lang)
    if t.dtype.name != "float32":
        text += f", {t.dtype!r}"
    return text


def value_lines(t: "Tensor", prefix: str = "", style: str = "V") -> list[Line]:
    """The tensor's values as PyTorch prints them, when they are few enough to read.

    One row is centred: ``tensor([2.])``. A matrix keeps its rows aligned: they are
    left-justified without the ``tensor(`` wrapper, so each continuation row starts with one
    space under the opening ``[`` (in Helvetica a space and a bracket are equally wide, which
    is not true of "tensor(" and seven spaces).
    """
    if t._data.size > MAX_VALUE_NUMEL:
        return []
    rows = [row.rstrip() for row in repr(t.detach()).splitlines()]
    if len(rows) == 1:
        if len(prefix) + len(rows[0]) > MAX_LINE:
            return []
        return [Line(prefix + rows[0], style)]
    wrapper = len("tensor(")
    rows = [rows[0][wrapper:]] + [row[wrapper:] for row in rows[1:]]
    rows[-1] = rows[-1][:-1]  # the wrapper's closing parenthesis
    if len(rows) > MAX_VALUE_LINES or any(len(row) > MAX_LINE for row in rows):
        return []  # a cut row would misread; the shape line is there anyway
    head = [Line(prefix.strip(), style)] if prefix else []
    return head + [Line(row, style.lower()) for row in rows]


def flag_lines(t: "Tensor") -> list[Line]:
    """``requires_grad=True, is_leaf=True`` (and ``retains_grad=True`` when set)."""
    lines = [Line(f"requires_grad={t.requires_grad}, is_leaf={t.is_leaf}", "M")]
    if t._retains_grad:
        lines.append(Line("retains_grad=True", "M"))
    return lines


NOT_COMPUTED = WORDS["en"]["grad_not_computed"]
NOT_KEPT = WORDS["en"]["grad_not_kept"]


def grad_lines(t: "Tensor", show_values: bool = True, lang: str = "en") -> list[Line]:
    """What ``t.grad`` holds, telling "not computed yet" apart from a computed zero."""
    if not t.requires_grad:
        return []
    if not t.is_leaf and not t._retains_grad:
        return [Line(word(lang, "grad_not_kept"), "I")]
    grad = t._grad
    if grad is None:
        return [Line(word(lang, "grad_not_computed"), "I")]
    values = value_lines(grad, prefix="grad = ", style="G") if show_values else []
    return values or [Line(word(lang, "grad_computed", shape=shape_text(grad, lang)), "G")]
