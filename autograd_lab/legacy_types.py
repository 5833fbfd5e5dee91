"""The legacy tensor types: ``torch.FloatTensor``, ``LongTensor``, ``DoubleTensor`` ...

Old lessons build tensors with them (``torch.FloatTensor([1, 2])``, ``torch.LongTensor(3, 4)``),
test ``isinstance(x, torch.FloatTensor)`` and convert with ``x.type(torch.LongTensor)`` or
``x.type('torch.DoubleTensor')``. As in PyTorch they are not subclasses of Tensor: each is a
class whose instances, for ``isinstance``, are the CPU tensors of its dtype, and calling it
makes a plain ``Tensor``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes
from .tensor import Tensor, _make


class tensortype(type):
    """The metaclass of the legacy types: ``isinstance`` by dtype, construction by dtype."""

    dtype: dtypes.dtype

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype

    def __repr__(cls) -> str:
        return f"<class 'torch.{cls.__name__}'>"

    def __call__(cls, *args: Any, device: Any = None) -> Tensor:
        from .devices import check_device
        from .factories import _infer_array
        check_device(device)
        d = cls.dtype
        if not args:
            return _make(np.zeros((0,), dtype=d.np), None)
        if all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args):
            return _make(np.zeros(tuple(int(a) for a in args), dtype=d.np), None)  # sizes
        if len(args) == 1 and isinstance(args[0], Tensor):
            src = args[0]
            if src.dtype is not d:
                raise TypeError(_options_error(d, src.dtype))
            return src.detach()  # the same memory, as PyTorch's legacy constructor
        return _make(np.asarray(_infer_array(args[0], d), dtype=d.np), None)


_CPP = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
        "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
        "bool": "bool"}


def _options_error(want: dtypes.dtype, got: dtypes.dtype) -> str:
    def opts(d: dtypes.dtype) -> str:
        return (f"TensorOptions(dtype={_CPP[d.name]}, device=cpu, layout=Strided, "
                "requires_grad=false (default), pinned_memory=false (default), "
                "memory_format=(nullopt))")
    return f"expected {opts(want)} (got {opts(got)})"


def _legacy(name: str, d: dtypes.dtype) -> tensortype:
    return tensortype(name, (), {"dtype": d, "__module__": "torch",
                                 "__doc__": f"The legacy type of {d} tensors."})


FloatTensor = _legacy("FloatTensor", dtypes.float32)
DoubleTensor = _legacy("DoubleTensor", dtypes.float64)
HalfTensor = _legacy("HalfTensor", dtypes.float16)
LongTensor = _legacy("LongTensor", dtypes.int64)
IntTensor = _legacy("IntTensor", dtypes.int32)
ShortTensor = _legacy("ShortTensor", dtypes.int16)
CharTensor = _legacy("CharTensor", dtypes.int8)
ByteTensor = _legacy("ByteTensor", dtypes.uint8)
BoolTensor = _legacy("BoolTensor", dtypes.bool_)

_BY_NAME = {f"torch.{t.__name__}": t for t in (FloatTensor, DoubleTensor, HalfTensor, LongTensor,
                                                IntTensor, ShortTensor, CharTensor, ByteTensor,
                                                BoolTensor)}


def as_dtype(target: Any) -> Any:
    """The dtype a ``.type(...)`` argument names: a legacy type, its name, or a dtype as is."""
    if isinstance(target, tensortype):
        return target.dtype
    if isinstance(target, str):
        legacy = _BY_NAME.get(target)
        if legacy is None:
            raise ValueError(f"invalid type: '{target}'")
        return legacy.dtype
    return target


__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor",
           "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor", "as_dtype"]
