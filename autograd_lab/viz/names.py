"""Variable names for the tensors of a picture: ``a``, ``b``, ``y`` instead of "tensor".

Names come from ``params`` (torchviz's ``make_dot(var, params=dict(...))``) and, unless turned
off, from the local variables of the code that called ``render_graph``. A tensor is matched by
identity; a non-leaf tensor is also matched by the place it comes from, ``(grad_fn,
output_nr)``, so that a name finds its node even when the graph holds another tensor object for
the same value (a saved output is rebuilt when unpacked). Tuples and lists are looked into one
level deep, which names ``grad_1[0]`` for ``grad_1 = torch.autograd.grad(...)``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:
    from ..autograd.node import Node
    from ..tensor import Tensor

MAX_NAMES = 3  # a tensor known under more names shows the first three


class Names:
    """Lookup from tensors (by identity) and from ``(node, output_nr)`` to their names."""

    def __init__(self) -> None:
        # id() is used only as a lookup key while the tensors are alive (they are held by
        # ``self._held``); it never reaches the picture.
        self._by_id: dict[int, list[str]] = {}
        self._by_place: dict[tuple[int, int], list[str]] = {}
        self._held: list[Any] = []

    def add(self, name: str, t: "Tensor") -> None:
        self._held.append(t)
        for key, table in ((id(t), self._by_id),
                           ((id(t.grad_fn), t._output_nr) if t.grad_fn is not None else None,
                            self._by_place)):
            if key is None:
                continue
            names = table.setdefault(key, [])  # type: ignore[arg-type]
            if name not in names:
                names.append(name)

    def of_tensor(self, t: "Tensor | None") -> list[str]:
        if t is None:
            return []
        found = self._by_id.get(id(t))
        if found:
            return found[:MAX_NAMES]
        if t.grad_fn is not None:
            return self.of_output(t.grad_fn, t._output_nr)
        return []

    def of_output(self, node: "Node", output_nr: int) -> list[str]:
        return self._by_place.get((id(node), output_nr), [])[:MAX_NAMES]

    def places(self) -> Iterable[tuple[int, int]]:
        return self._by_place.keys()

    def named_tensors(self) -> list["Tensor"]:
        """Every named non-leaf tensor (they are drawn beside their ``grad_fn``)."""
        return [t for t in self._held if t.grad_fn is not None]


def collect(params: Mapping[str, Any] | None, frame_locals: Mapping[str, Any] | None
            ) -> Names:
    """Names from ``params`` first (they win), then from the caller's variables."""
    from ..tensor import Tensor
    names = Names()
    for name, value in (params or {}).items():
        if isinstance(value, Tensor):
            names.add(str(name), value)
    for name, value in (frame_locals or {}).items():
        # IPython keeps outputs in _, __, _1...: those are not the learner's names; nor are
        # non-identifiers (pytest's assertion rewriting adds "@py_assert1" to frames)
        if not isinstance(name, str) or name.startswith("_") or not name.isidentifier():
            continue
        if isinstance(value, Tensor):
            names.add(name, value)
        elif isinstance(value, (tuple, list)) and 0 < len(value) <= 16:
            for i, item in enumerate(value):
                if isinstance(item, Tensor):
                    names.add(f"{name}[{i}]", item)
    return names
