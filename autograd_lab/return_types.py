"""The named tuples some ops return, ``torch.return_types.max(values=..., indices=...)``.

Like PyTorch's "structseq" types they are tuples (``values, indices = x.max(1)`` unpacks them,
``r[0]`` indexes them) with named fields, and they print as PyTorch prints them::

    torch.return_types.max(
    values=tensor([5., 7.]),
    indices=tensor([1, 0]))
"""
from __future__ import annotations

import operator
from typing import Any


class _StructSeq(tuple):
    _names: tuple[str, ...] = ()
    n_fields = n_sequence_fields = 0
    n_unnamed_fields = 0

    def __new__(cls, sequence: Any) -> "_StructSeq":
        items = tuple(sequence)
        if len(items) != len(cls._names):
            raise TypeError(f"torch.return_types.{cls.__name__}() takes a "
                            f"{len(cls._names)}-sequence ({len(items)}-sequence given)")
        return super().__new__(cls, items)

    def __repr__(self) -> str:
        body = ",\n".join(f"{name}={value!r}" for name, value in zip(self._names, self))
        return f"torch.return_types.{type(self).__name__}(\n{body})"

    __str__ = __repr__

    def __reduce__(self) -> tuple:
        return (type(self), (tuple(self),))


def _make(name: str, fields: tuple[str, ...]) -> type:
    namespace: dict[str, Any] = {"_names": fields, "n_fields": len(fields),
                                 "n_sequence_fields": len(fields), "__slots__": (),
                                 "__module__": __name__}
    for i, field in enumerate(fields):
        namespace[field] = property(operator.itemgetter(i))
    return type(name, (_StructSeq,), namespace)


max = _make("max", ("values", "indices"))  # noqa: A001 - torch.return_types.max
min = _make("min", ("values", "indices"))  # noqa: A001
sort = _make("sort", ("values", "indices"))
topk = _make("topk", ("values", "indices"))
kthvalue = _make("kthvalue", ("values", "indices"))
median = _make("median", ("values", "indices"))
mode = _make("mode", ("values", "indices"))
aminmax = _make("aminmax", ("min", "max"))
histogram = _make("histogram", ("hist", "bin_edges"))

__all__ = ["max", "min", "sort", "topk", "kthvalue", "median", "mode", "aminmax",
           "histogram"]
