"""Anomaly detection: find the forward line behind a failing backward.

While anomaly mode is on,

* every node created remembers the traceback of the forward call that created it
  (``node.metadata["traceback_"]``), and a node created by a ``create_graph`` backward remembers
  the node whose derivative created it (``node.metadata["parent_"]``);
* when a node of a backward pass raises, PyTorch's warning "Error detected in MulBackward0.
  Traceback of forward call that caused the error: ..." is given first;
* with ``check_nan`` (the default), a node that returns NaN raises "Function 'MulBackward0'
  returned nan values in its 0th output."

>>> import autograd_lab as torch, warnings
>>> x = torch.tensor([0.], requires_grad=True)
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     with torch.autograd.detect_anomaly():
...         y = x.sqrt() * 0
...         y.backward()
Traceback (most recent call last):
    ...
RuntimeError: Function 'SqrtBackward0' returned nan values in its 0th output.

Costs nothing while off: node creation only records a traceback through the ``Node.__init__``
that ``set_anomaly_enabled(True)`` installs, and the engine reads the flag once per backward.
"""
from __future__ import annotations

import os
import threading
import traceback
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .node import Node

__all__ = ["detect_anomaly", "set_detect_anomaly"]


class _AnomalyState:
    __slots__ = ("enabled", "check_nan")

    def __init__(self) -> None:
        self.enabled = False
        self.check_nan = True


state = _AnomalyState()


class _RunningNodes(threading.local):
    """Per thread, the nodes whose backward is running (a stack: nodes can be called from
    hooks), kept in anomaly mode only: a node made meanwhile names the innermost as its parent."""

    def __init__(self) -> None:
        self.stack: list = []


running = _RunningNodes()

_LIBRARY = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def is_anomaly_enabled() -> bool:
    return state.enabled


def is_anomaly_check_nan_enabled() -> bool:
    return state.check_nan


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    """``torch.set_anomaly_enabled``: the switch behind ``detect_anomaly``."""
    from . import node
    state.enabled = bool(enabled)
    state.check_nan = bool(check_nan)
    node._record_creation(state.enabled)


def format_stack() -> list[str]:
    """The user's stack at this point, as ``traceback.format_stack`` lines, without the frames
    of autograd_lab itself at its end (PyTorch's ops are C++: its stack ends at the user's line).
    """
    stack = traceback.extract_stack()
    end = len(stack)
    while end and stack[end - 1].filename.startswith(_LIBRARY):
        end -= 1
    return traceback.format_list(stack[:end])


def store_stack(node: "Node") -> None:
    """Called for each node created while anomaly mode is on."""
    metadata = node.metadata
    metadata["traceback_"] = format_stack()
    stack = running.stack
    if stack:
        metadata["parent_"] = stack[-1]


def _warn(message: str) -> None:
    warnings.warn(message, UserWarning, stacklevel=2)


def print_stack(node: "Node") -> None:
    """PyTorch's warning naming the node that failed and where it (and its parents) came from."""
    metadata: dict[str, Any] = node._metadata or {}
    stack = metadata.get("traceback_")
    if stack is None:
        _warn(f"Error detected in {node.name()}. No forward pass information available. Enable "
              "detect anomaly during forward pass for more information.")
        return
    _warn(f"Error detected in {node.name()}. Traceback of forward call that caused the "
          "error:\n" + "".join(stack))
    parent = metadata.get("parent_")
    while parent is not None:
        parent_meta = parent.metadata
        parent_stack = parent_meta.get("traceback_")
        if parent_stack is None:
            _warn(f"Error detected in {parent.name()}. No forward pass information available. "
                  "Enable detect anomaly during forward pass for more information.")
        else:
            _warn(f"\n\nPrevious calculation was induced by {parent.name()}. Traceback of "
                  "forward call that induced the previous calculation:\n" + "".join(parent_stack))
        parent = parent_meta.get("parent_")


def check_nan(node: "Node", outputs: Any) -> None:
    for i, g in enumerate(outputs):
        if g is not None and g._data.dtype.kind in "fc" and np.isnan(g._data).any():
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th "
                               "output.")


class detect_anomaly:
    """Context manager that turns anomaly detection on (see the module docstring).

    ``check_nan=False`` keeps the tracebacks but does not check gradients for NaN.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.prev = is_anomaly_enabled()
        self.check_nan = check_nan
        self.prev_check_nan = is_anomaly_check_nan_enabled()
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime "
                      "and should only be enabled for debugging.", stacklevel=2)

    def __enter__(self) -> None:
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *args: object) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


class set_detect_anomaly:
    """Turn anomaly detection on or off: at once, and back on leaving a ``with`` block.

    >>> import autograd_lab as torch
    >>> _ = torch.autograd.set_detect_anomaly(True); torch.is_anomaly_enabled()
    True
    >>> _ = torch.autograd.set_detect_anomaly(False); torch.is_anomaly_enabled()
    False
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = is_anomaly_enabled()
        self.prev_check_nan = is_anomaly_check_nan_enabled()
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args: object) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)
