"""Devices: ``torch.device`` and the checks behind ``device=`` and ``.to(device)``.

Only the CPU exists here, as in a CPU-only build of PyTorch: ``device('cuda')`` can be named
(lessons write ``device = 'cuda' if torch.cuda.is_available() else 'cpu'``), but putting a tensor
there fails with PyTorch's "Torch not compiled with CUDA enabled".
"""
from __future__ import annotations

import re
from typing import Any

_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
          "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")
_SPEC = re.compile(r"^([a-z]+)(?::(\d+))?$")


class device:
    """Where a tensor lives: ``device('cpu')``, ``device('cuda', 0)``, ``device('cuda:1')``."""

    __slots__ = ("type", "index")
    type: str
    index: int | None

    # (any object: what is not a name or a device is refused with PyTorch's TypeError)
    def __init__(self, type: object, index: int | None = None) -> None:
        if isinstance(type, device):
            kind, idx = type.type, type.index
        elif isinstance(type, str):
            kind, idx = _parse(type)
            if index is not None:
                if idx is not None:
                    raise RuntimeError("type (string) must not include an index because index "
                                       "was passed explicitly: " + type)
                idx = int(index)
        else:
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({_builtins_type(type).__name__})")
        object.__setattr__(self, "type", kind)
        object.__setattr__(self, "index", idx)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"attribute '{name}' of 'torch.device' objects is not writable")

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        # as in PyTorch, a device equals only a device (``device('cpu') == 'cpu'`` is False)
        return (isinstance(other, device) and other.type == self.type
                and other.index == self.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __reduce__(self) -> Any:
        return (device, (self.type, self.index))


_builtins_type = type


def _parse(spec: str) -> tuple[str, int | None]:
    m = _SPEC.match(spec)
    kind = m.group(1) if m else spec.split(":")[0]
    if kind != kind.strip():
        raise RuntimeError(f"Invalid device string: '{spec}'")
    if kind not in _TYPES:
        raise RuntimeError(f"Expected one of {', '.join(_TYPES)} device type at start of device "
                           f"string: {spec}")
    if m is None:
        raise RuntimeError(f"Invalid device string: '{spec}'")
    return kind, (int(m.group(2)) if m.group(2) is not None else None)


CPU = device("cpu")


# the device factories use when given none (torch.set_default_device); None means the CPU
_DEFAULT: list = [None]


def set_default_device(device_: "str | device | int | None") -> None:
    """Make new tensors on ``device_`` by default: only the CPU works here (a GPU is accepted
    by name and fails, as in PyTorch's CPU-only build, when a tensor is made)."""
    _DEFAULT[0] = None if device_ is None else (
        device_ if isinstance(device_, device) else device(device_))
    if _DEFAULT[0] is not None and _DEFAULT[0].type == "cpu":
        _DEFAULT[0] = None


def get_default_device() -> device:
    """The device new tensors go to: the CPU (asking with a GPU set fails as in PyTorch)."""
    check_device(None)
    return CPU


def check_device(where: Any) -> None:
    """Refuse a device other than the CPU as PyTorch's CPU-only build does (None: the
    default device, the CPU unless ``set_default_device`` named another)."""
    if where is None:
        where = _DEFAULT[0]
    if where is None:
        return
    if isinstance(where, int) and not isinstance(where, bool):
        raise RuntimeError("Cannot access accelerator device when none is available.")
    d = where if isinstance(where, device) else device(where)
    if d.type == "cuda":
        raise AssertionError("Torch not compiled with CUDA enabled")
    if d.type != "cpu":
        raise RuntimeError(f"autograd_lab has only the CPU: it cannot put a tensor on "
                           f"'{d.type}'")


def is_device_argument(value: Any) -> bool:
    """Whether a positional argument of ``.to(...)`` names a device (a device or a string)."""
    return isinstance(value, (device, str)) or (isinstance(value, int) and
                                                 not isinstance(value, bool))


__all__ = ["device", "check_device", "is_device_argument", "CPU", "set_default_device",
           "get_default_device"]
