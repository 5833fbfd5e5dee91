"""A model's parameters as one flat vector and back (``parameters_to_vector``,
``vector_to_parameters``), as ``torch.nn.utils`` provides them."""
from __future__ import annotations

from typing import Iterable, Optional

from ...ops import cat
from ...tensor import Tensor
from ..module import _typename

__all__ = ["parameters_to_vector", "vector_to_parameters"]

# devices told apart by index; PyTorch treats every other device like the CPU here
_INDEXED_DEVICE_TYPES = ("cuda", "privateuseone")


def _check_param_device(param: Tensor, first_device: Optional[int]) -> int:
    """The first parameter's device index (-1 for the CPU); refuses a parameter elsewhere."""
    device = param.device
    index = (device.index or 0) if device.type in _INDEXED_DEVICE_TYPES else -1
    if first_device is None:
        return index
    if index != first_device:
        raise TypeError("Found two parameters on different devices, this is currently not "
                        "supported.")
    return first_device


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All ``parameters`` flattened and joined into one 1-D tensor (a graph: CatBackward0 over
    one ViewBackward0 per parameter)."""
    device: Optional[int] = None
    pieces = []
    for param in parameters:
        device = _check_param_device(param, device)
        pieces.append(param.view(-1))
    return cat(pieces)


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Make each parameter's ``.data`` the next slice of ``vec``, shaped like the parameter
    (the memory is shared with ``vec``, as in PyTorch)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {_typename(vec)}")
    device: Optional[int] = None
    start = 0
    for param in parameters:
        device = _check_param_device(param, device)
        count = param.numel()
        param.data = vec[start:start + count].view_as(param).data
        start += count
