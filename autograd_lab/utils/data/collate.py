"""How a DataLoader turns a list of samples into a batch (``default_collate``), and how it
converts single samples when batching is off (``default_convert``)."""
from __future__ import annotations

import collections.abc
import copy
import re
from typing import Any

import numpy as np

from ...tensor import Tensor

_ERROR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
          "found {}")
_NUMPY_STR_OBJECT = re.compile(r"[SaUO]")


def default_collate(batch: Any) -> Any:
    """Stack tensors (and NumPy arrays) along a new first dimension; numbers become a tensor
    (float64 for floats); dicts, named tuples and sequences are collated field by field
    (a tuple of fields comes back as a list, as in PyTorch)."""
    from ... import factories, ops
    elem = batch[0]
    if isinstance(elem, Tensor):
        return ops.stack(batch, 0)
    if isinstance(elem, np.ndarray):
        if _NUMPY_STR_OBJECT.search(elem.dtype.str) is not None:
            raise TypeError(_ERROR.format(elem.dtype))
        return default_collate([factories.as_tensor(b) for b in batch])
    if isinstance(elem, (np.bool_, np.number, np.object_)):
        return factories.as_tensor(np.array(batch))
    if isinstance(elem, float):
        from ...dtypes import float64
        return factories.tensor(batch, dtype=float64)
    if isinstance(elem, int):
        return factories.tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        fields = {key: default_collate([d[key] for d in batch]) for key in elem}
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                mapping = copy.copy(elem)
                mapping.update(fields)
                return mapping
            return type(elem)(fields)  # type: ignore[call-arg]
        except TypeError:
            return fields
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a named tuple
        return type(elem)(*(default_collate(s) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if not all(len(e) == size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        if isinstance(elem, tuple):
            return [default_collate(s) for s in transposed]
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                sequence = copy.copy(elem)
                for i, samples in enumerate(transposed):
                    sequence[i] = default_collate(samples)
                return sequence
            return type(elem)([default_collate(s) for s in transposed])  # type: ignore[call-arg]
        except TypeError:
            return [default_collate(s) for s in transposed]
    raise TypeError(_ERROR.format(type(elem)))


def default_convert(data: Any) -> Any:
    """One sample as it is, except that NumPy arrays and scalars become tensors (inside
    dicts and sequences too)."""
    from ... import factories
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray):
        if _NUMPY_STR_OBJECT.search(data.dtype.str) is not None:
            return data
        return factories.as_tensor(data)
    if isinstance(data, (np.bool_, np.number)):
        return factories.as_tensor(np.array(data))
    if isinstance(data, collections.abc.Mapping):
        return {key: default_convert(data[key]) for key in data}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            return type(data)([default_convert(d) for d in data])  # type: ignore[call-arg]
        except TypeError:
            return [default_convert(d) for d in data]
    return data


__all__ = ["default_collate", "default_convert"]
