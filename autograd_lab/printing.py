"""How tensors print: ``repr``/``str`` that read exactly like PyTorch 2.13's.

Lessons show printed tensors, so the text must not depend on which library produced it.
The rules follow PyTorch's ``torch/_tensor_str.py``:

* One formatter is chosen for the whole tensor, from the values that will be shown
  (after summarizing): every element is padded to the width of the widest nonzero finite one.
* Floats print as ``1.`` when all of them are whole numbers, with ``precision`` decimals
  otherwise, and in scientific notation when the largest/smallest nonzero magnitudes differ
  by more than 1000x, or exceed 1e8, or fall below 1e-4 (unless ``sci_mode`` forces it).
* Tensors with more than ``threshold`` elements keep ``edgeitems`` items at each end of
  every dimension, with ``...`` in between.
* Suffixes (``size=``, ``dtype=``, ``grad_fn=``/``requires_grad=``) follow the data and wrap
  onto a new line when they would pass ``linewidth``.
"""
from __future__ import annotations

import contextlib
import math
from typing import Any, Iterator, Sequence

import numpy as np

from . import dtypes

__all__ = ["tensor_repr", "format_array", "set_printoptions", "get_printoptions",
           "printoptions"]

_PREFIX = "tensor("

_PROFILES: dict[str, dict[str, Any]] = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}

# Same keys, in the same order, as torch's get_printoptions().
_opts: dict[str, Any] = {**_PROFILES["default"], "sci_mode": None}


def set_printoptions(precision: int | None = None, threshold: float | None = None,
                     edgeitems: int | None = None, linewidth: int | None = None,
                     profile: str | None = None, sci_mode: bool | None = None) -> None:
    """Change how tensors print, as ``torch.set_printoptions`` does.

    ``profile`` ("default", "short" or "full") is applied first, then the other options
    that are not None. ``sci_mode`` is always set, so omitting it restores automatic choice.
    """
    if profile in _PROFILES:
        _opts.update(_PROFILES[profile])
    for key, value in (("precision", precision), ("threshold", threshold),
                       ("edgeitems", edgeitems), ("linewidth", linewidth)):
        if value is not None:
            _opts[key] = value
    _opts["sci_mode"] = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options, as keyword arguments for ``set_printoptions``."""
    return dict(_opts)


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Use other print options inside a ``with`` block, then restore the previous ones."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


def _summarized(data: np.ndarray, edgeitems: int) -> np.ndarray:
    """The elements a summarized print shows: both ends of every over-long dimension."""
    for axis, n in enumerate(data.shape):
        if n > 2 * edgeitems:
            keep = np.r_[0:edgeitems, n - edgeitems:n]
            data = np.take(data, keep, axis=axis)
    return data


def _element_strings(shown: np.ndarray, dtype: dtypes.dtype) -> tuple[list[str], int]:
    """Every shown element as text padded to a common width, and that width."""
    if not dtype.is_floating_point:
        strs = [str(v) for v in shown.reshape(-1).tolist()]
        width = max(map(len, strs), default=1)
        return [s.rjust(width) for s in strs], width

    # Python floats (exact for every float16/32/64 value) so the text matches PyTorch,
    # which formats ``tensor.item()`` values.
    values = shown.astype(np.float64).reshape(-1)
    finite_nonzero = np.isfinite(values) & (values != 0)
    picked = np.abs(values[finite_nonzero])
    precision = _opts["precision"]
    if picked.size == 0:
        # Nothing to measure (all zero, nan or inf): PyTorch keeps its defaults.
        int_mode, sci_mode = True, False
    else:
        int_mode = bool(np.all(picked == np.ceil(picked)))
        lo, hi = picked.min(), picked.max()
        sci_mode = _opts["sci_mode"]
        if sci_mode is None:
            with np.errstate(over="ignore"):  # a ratio that overflows is simply > 1000
                sci_mode = bool(hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4)

    if sci_mode:
        spec = f".{precision}e"
        strs = [format(v, spec) for v in values.tolist()]
    elif int_mode:
        # The trailing "." marks a whole-valued float; nan/inf need no mark.
        strs = [format(v, ".0f") + ("." if math.isfinite(v) else "") for v in values.tolist()]
    else:
        spec = f".{precision}f"
        strs = [format(v, spec) for v in values.tolist()]

    width = max((len(s) for s, ok in zip(strs, finite_nonzero.tolist()) if ok), default=1)
    return [s.rjust(width) for s in strs], width


def _render(strs: np.ndarray, full_shape: tuple[int, ...], indent: int, width: int,
            summarize: bool) -> str:
    """Bracketed text of ``strs`` (already-formatted elements) at a given indentation."""
    edgeitems = _opts["edgeitems"]
    cut = summarize and full_shape[0] > 2 * edgeitems
    if strs.ndim == 1:
        items = strs.tolist()
        if cut:
            items[edgeitems:edgeitems] = [" ..."]
        per_line = max(1, (_opts["linewidth"] - indent) // (width + 2))
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = [_render(row, full_shape[1:], indent + 1, width, summarize) for row in strs]
    if cut:
        rows[edgeitems:edgeitems] = ["..."]
    sep = "," + "\n" * (strs.ndim - 1) + " " * (indent + 1)
    return "[" + sep.join(rows) + "]"


def _body(data: np.ndarray, dtype: dtypes.dtype, indent: int) -> str:
    """The bracketed contents of a nonempty tensor (no prefix, no suffixes)."""
    edgeitems = _opts["edgeitems"]
    summarize = data.size > _opts["threshold"]
    if summarize and not edgeitems and data.ndim:
        return "[...]"
    shown = _summarized(data, edgeitems) if summarize else data
    strs, width = _element_strings(shown, dtype)
    if data.ndim == 0:
        return strs[0]
    grid = np.empty(len(strs), dtype=object)
    grid[:] = strs
    return _render(grid.reshape(shown.shape), data.shape, indent, width, summarize)


def _add_suffixes(text: str, suffixes: Sequence[str], indent: int) -> str:
    """Append ``, suffix`` items and the closing parenthesis, wrapping at linewidth."""
    linewidth = _opts["linewidth"]
    # PyTorch counts two characters more than the last line holds; copied for equal wrapping.
    line_len = len(text) - text.rfind("\n") + 1
    parts = [text]
    for suffix in suffixes:
        if line_len + len(suffix) + 2 > linewidth:
            parts.append(",\n" + " " * indent + suffix)
            line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def format_array(data: np.ndarray, dtype: dtypes.dtype | None = None,
                 suffixes: Sequence[str] = ()) -> str:
    """``tensor(...)`` text for an array, as PyTorch prints a tensor of ``dtype``.

    The ``size=`` and ``dtype=`` suffixes are added as PyTorch would; ``suffixes`` (such as
    ``"grad_fn=<MulBackward0>"``) come after them. ``dtype`` defaults to the one matching
    ``data.dtype``.
    """
    data = np.asarray(data)
    if dtype is None:
        dtype = dtypes.from_numpy_dtype(data.dtype)
    default_float = dtypes.get_default_dtype().name
    indent = len(_PREFIX)
    extra: list[str] = []
    if data.size == 0:
        # Nothing shows the shape or the type of an empty tensor, so both are spelled out.
        if data.ndim != 1:
            extra.append(f"size={tuple(data.shape)}")
        if dtype.name != default_float:
            extra.append(f"dtype={dtype!r}")
        body = "[]"
    else:
        if not _opts["edgeitems"]:
            extra.append(f"size={tuple(data.shape)}")
        if dtype.name not in (default_float, "int64", "bool"):
            extra.append(f"dtype={dtype!r}")
        body = _body(data, dtype, indent)
    return _add_suffixes(_PREFIX + body, [*extra, *suffixes], indent)


def _grad_fn_name(node: Any) -> str:
    name = getattr(node, "name", None)
    name = name() if callable(name) else type(node).__name__
    return name.rsplit("::", 1)[-1]


def tensor_repr(t: Any) -> str:
    """What ``repr(t)`` and ``str(t)`` return for a tensor, exactly as PyTorch prints it.

    ``t`` needs ``_data`` (ndarray), ``dtype``, ``requires_grad`` and ``grad_fn``.
    """
    grad_fn = getattr(t, "grad_fn", None)
    if grad_fn is not None:
        suffixes = [f"grad_fn=<{_grad_fn_name(grad_fn)}>"]
    elif t.requires_grad:
        suffixes = ["requires_grad=True"]
    else:
        suffixes = []
    return format_array(t._data, t.dtype, suffixes)
