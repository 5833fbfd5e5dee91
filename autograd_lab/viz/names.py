"""Variable names for the tensors of a picture: ``a``, ``b``, ``y`` instead of "tensor".

Names come from ``params`` (torchviz's ``make_dot(var, params=dict(...))``) and, unless turned
off, from the local variables of the code that called ``render_graph``. A tensor is matched by
identity; a non-leaf tensor is also matched by the place it comes from, ``(grad_fn,
output_nr)``, so that a name finds its node even when the graph holds another tensor object for
the same value (a saved output is rebuilt when unpacked). Tuples and lists are looked into one
level deep, which names ``grad_1[0]`` for ``grad_1 = torch.autograd.grad(...)``.

When ``render_graph`` is called inside a helper function, the helper's variables rarely name
the learner's tensors (``def show(t): return render_graph(t)``). ``from_frames`` then looks
further out, one calling frame at a time (a loop over ``f_back``, at most ``MAX_FRAMES``, never
past the first module-level frame, the notebook cell or script): the first frame that names
every output and leaf of the picture wins, else the one that names most of them; the others
only fill in tensors it leaves unnamed. ``explicit`` reads a mapping given as ``names=``, in
either direction: ``{"x": x}`` or ``{x: "x"}``.
"""
from __future__ import annotations

from collections import deque
from types import FrameType
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

if TYPE_CHECKING:
    from ..autograd.node import Node
    from ..tensor import Tensor

MAX_NAMES = 3  # a tensor known under more names shows the first three
MAX_FRAMES = 1000  # calling frames looked at for names (a runaway recursion stops here)


class Names:
    """Lookup from tensors (by identity) and from ``(node, output_nr)`` to their names."""

    def __init__(self) -> None:
        # id() is used only as a lookup key while the tensors are alive (they are held by
        # ``self._held``); it never reaches the picture.
        self._by_id: dict[int, list[str]] = {}
        self._by_place: dict[tuple[int, int], list[str]] = {}
        self._held: list[Any] = []
        self._entries: list[tuple[str, Any]] = []

    def add(self, name: str, t: "Tensor") -> None:
        self._held.append(t)
        self._entries.append((name, t))
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

    def entries(self) -> list[tuple[str, "Tensor"]]:
        """Every (name, tensor) added, in order."""
        return list(self._entries)

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


def explicit(mapping: Mapping[Any, Any]) -> dict[str, "Tensor"]:
    """``names=`` as given by the caller: ``{name: tensor}`` or ``{tensor: name}``."""
    from ..tensor import Tensor
    result: dict[str, Tensor] = {}
    for key, value in mapping.items():
        if isinstance(key, Tensor) and isinstance(value, str):
            key, value = value, key
        if not (isinstance(key, str) and isinstance(value, (Tensor, tuple, list))):
            raise TypeError("names= maps names to tensors ({'x': x}) or tensors to names "
                            f"({{x: 'x'}}), got an entry {type(key).__name__}: "
                            f"{type(value).__name__}")
        result[key] = value  # type: ignore[assignment]
    return result


def from_frames(frame: FrameType, outputs: Sequence[Any],
                params: Mapping[str, Any] | None) -> Names:
    """Names from the caller's frame, or from frames further out; see the module docstring."""
    frames: list[FrameType] = []
    try:
        f: FrameType | None = frame
        while f is not None and len(frames) < MAX_FRAMES:
            frames.append(f)
            if f.f_code.co_name == "<module>":
                break
            f = f.f_back
        del f
        first = collect(params, frames[0].f_locals)
        wanted = _drawn_tensors(outputs)
        if len(frames) == 1 or all(first.of_tensor(t) for t in wanted):
            return first
        scored = []
        for depth, f in enumerate(frames):
            names = first if depth == 0 else collect(None, f.f_locals)
            scored.append((sum(1 for t in wanted if names.of_tensor(t)), -depth, names))
            if scored[-1][0] == len(wanted):
                break
        best = max(scored, key=lambda item: item[:2])[2]
        result = collect(params, None)
        for source in [best] + [names for _, _, names in scored if names is not best]:
            for name, t in source.entries():
                if not result.of_tensor(t):
                    result.add(name, t)
                elif source is best:
                    result.add(name, t)
        return result
    finally:
        frames.clear()


def _drawn_tensors(outputs: Sequence[Any]) -> list["Tensor"]:
    """The outputs and the leaves behind them: the boxes a picture always draws."""
    from ..autograd.node import AccumulateGrad, Node
    from ..tensor import Tensor
    found: list[Tensor] = []
    seen: set[Node] = set()
    queue: deque[Node] = deque()
    for item in outputs:
        if isinstance(item, Tensor):
            found.append(item)
            item = item.grad_fn
        if isinstance(item, Node) and item not in seen:
            seen.add(item)
            queue.append(item)
    while queue:
        node = queue.popleft()
        if isinstance(node, AccumulateGrad):
            found.append(node.variable)
        for fn, _ in node.next_functions:
            if fn is not None and fn not in seen:
                seen.add(fn)
                queue.append(fn)
    return found
