"""``animate_backward``: run a real backward pass once and watch it, step by step.

The pass runs under ``record_backward()`` (the engine reports each node it runs); the animation
replays that record: it never runs or imitates the engine itself. In JupyterLab it is a widget
(play/pause, back, next, a slider, a speed menu; the picture with the running node in red and
the gradients on the arrows that carried them; a panel that says what happened). Everywhere
else, and in a notebook saved without a kernel or converted with ``nbconvert``, it is a
self-contained HTML player (``.html()``, ``.save_html(path)``).
"""
from __future__ import annotations

import os
import sys
import types
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ..autograd.trace import BackwardTrace, record_backward
from .explain import Explainer, written_inputs
from .frames import Frames, MotionGraph
from .names import Names, collect
from .passstate import Start, replay
from .player import page, player_html

if TYPE_CHECKING:
    from ..tensor import Tensor
    from .controls import PassControls


def animate_backward(outputs: "Tensor | Sequence[Tensor]", gradient: Any = None, *,
                     inputs: "Sequence[Tensor] | Tensor | None" = None,
                     retain_graph: bool | None = None, create_graph: bool = False,
                     grad_of: "Sequence[Tensor] | Tensor | None" = None,
                     allow_unused: bool | None = None,
                     names: bool | Mapping[str, Any] = True,
                     params: Mapping[str, "Tensor"] | None = None,
                     show_saved: bool = False, show_values: bool = True,
                     max_nodes: int = 120, collapse: bool | None = None, legend: bool = True,
                     interval: int = 1000, lang: str | None = None) -> "BackwardAnimation":
    """Run ``outputs.backward(gradient, ...)`` (or ``autograd.grad``) once and animate it.

    >>> import autograd_lab as torch
    >>> x = torch.tensor([2.], requires_grad=True)
    >>> w = torch.tensor([1.], requires_grad=True)
    >>> a = torch.add(x, w)
    >>> y = torch.mul(a, torch.add(w, 1))
    >>> anim = torch.animate_backward(y)          # y.backward() really ran:
    >>> x.grad, w.grad
    (tensor([2.]), tensor([5.]))
    >>> anim                                       # a widget in JupyterLab
    <BackwardAnimation of y.backward(): 5 steps>
    >>> [step.node_name for step in anim.trace.steps][:2]
    ['MulBackward0', 'AddBackward0']
    >>> path = anim.save_html("backward.html")     # doctest: +SKIP

    ``autograd.grad`` instead of ``backward``: name the inputs with ``grad_of``; what it returns
    is ``.result``, and nothing goes into ``.grad``:

    >>> x = torch.tensor([3.], requires_grad=True)
    >>> y = x ** 2
    >>> anim = torch.animate_backward(y, grad_of=[x], create_graph=True)
    >>> anim.result
    (tensor([6.], grad_fn=<MulBackward0>),)

    Args:
        outputs: the tensor to differentiate (or several, as ``torch.autograd.backward``).
        gradient: ``backward``'s ``gradient`` (``grad_outputs`` for ``grad_of``).
        inputs, retain_graph, create_graph: as for ``backward``.
        grad_of: run ``torch.autograd.grad(outputs, grad_of, gradient, ...)`` instead.
        allow_unused: as for ``autograd.grad``.
        names, params: where the boxes' names come from (see ``render_graph``).
        show_saved, show_values, max_nodes, collapse, legend: as for ``render_graph``; a large
            graph is folded (its summary boxes light up while one of their nodes runs).
        interval: milliseconds per step when playing.
        lang: the language of the panel, the buttons and the key: "en" or "zh" (default: the
            one set by ``autograd_lab.set_language``). Code and printed tensors stay Python's.

    The boxes are compact (a tensor says its name, value and ``.grad``; the rest shows when the
    pointer rests on it), and the picture is sized to be read: see ``fit``.
    """
    from .. import autograd
    from ..language import resolve
    lang = resolve(lang)
    caller = sys._getframe(1)
    known = _names(names, params, caller)
    alias = _alias(caller)
    outs = _as_list(outputs)
    targets = _as_list(grad_of) if grad_of is not None else []
    walk_from: list[Any] = list(outs)
    for t in outs:  # a leaf differentiated directly: its AccumulateGrad is the root
        if t.grad_fn is None and t.requires_grad:
            walk_from.append(t._grad_accumulator())
    graph = MotionGraph(walk_from, known, show_saved=show_saved, show_values=show_values,
                        max_nodes=max_nodes, collapse=collapse, legend=legend, lang=lang)
    start = Start.of(graph.model)
    written = written_inputs(graph.model, known)  # (before the pass frees what nodes saved)
    result = None
    with record_backward() as recorded:
        if grad_of is None:
            autograd.backward(outputs, gradient, retain_graph=retain_graph,
                              create_graph=create_graph, inputs=inputs)
        else:
            result = autograd.grad(outputs, grad_of, gradient, retain_graph=retain_graph,
                                   create_graph=create_graph, allow_unused=allow_unused)
    trace = recorded.all[0]
    states = replay(trace, graph.model, start, inputs=targets)
    frames = Frames(graph, graph.scene(start), states)
    call = call_text(outs, known, alias, gradient, inputs=inputs, retain_graph=retain_graph,
                     create_graph=create_graph, grad_of=targets if grad_of is not None else None)
    explainer = Explainer(graph.model, states, call, _label(outs, known), lang=lang,
                          written=written)
    return BackwardAnimation(frames, explainer, trace, call, result, interval)


class BackwardAnimation:
    """A recorded backward pass, drawn frame by frame; see ``animate_backward``.

    Frame 0 is the start; frame ``k`` shows the graph just after step ``k`` ran, so there are
    ``len(trace.steps) + 1`` frames.
    """

    def __init__(self, frames: Frames, explainer: Explainer, trace: BackwardTrace, call: str,
                 result: Any, interval: int = 1000) -> None:
        self.frames = frames
        self.explainer = explainer
        self.trace = trace
        self.call = call
        self.result = result          # what autograd.grad returned (None for backward)
        self.interval = interval
        self._html: str | None = None
        self._controls: "PassControls | None" = None

    @property
    def states(self) -> list:
        return self.frames.states

    @property
    def steps(self) -> int:
        """How many nodes the pass ran."""
        return len(self.frames) - 1

    def __len__(self) -> int:
        return len(self.frames)

    def frame_svg(self, k: int, window: tuple[float, float] | None = None) -> str:
        """The picture of frame ``k`` (SVG text); ``window=(width, height)`` in points cuts it
        around the running node (what the widget shows of a large graph)."""
        return self.frames.svg(k, window)

    @property
    def large(self) -> bool:
        """Whether the picture is too large to read whole (the widget then follows the
        running node)."""
        return self.frames.large

    def panel_html(self, k: int) -> str:
        """The explanation of frame ``k`` (HTML)."""
        return self.explainer.html(k)

    def highlighted(self, k: int) -> str | None:
        """The id of the box drawn as running in frame ``k`` (``"n3"``; a summary box ``"g0"``
        when that node is folded; None at the start)."""
        return self.frames.current_id(k)

    # -- without a kernel ------------------------------------------------------------------------
    def html(self) -> str:
        """The self-contained HTML player (all frames inline, a small script, no network)."""
        if self._html is None:
            panels = [self.explainer.html(k) for k in range(len(self.frames))]
            self._html = player_html(self.frames, panels, interval=self.interval,
                                     lang=self.lang, legend=self.frames.graph.legend)
        return self._html

    def save_html(self, path: str | os.PathLike) -> str:
        """Write the player as a standalone HTML page; returns the path."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(page(self.html(), f"autograd_lab: {self.call}", self.lang))
        return os.fspath(path)

    @property
    def lang(self) -> str:
        """The language of the panel and the controls."""
        return self.explainer.lang

    def animated_svg(self, seconds: float = 1.6) -> str:
        """The pass as one SVG that plays itself in a loop (SMIL: no script), with a caption
        per step: for a README or a slide (see ``svganim``)."""
        from .svganim import animated_svg
        captions = [self.explainer.caption(k) for k in range(len(self.frames))]
        return animated_svg(self.frames, captions, seconds)

    def save_svg(self, path: str | os.PathLike, seconds: float = 1.6) -> str:
        """Write ``animated_svg()`` to ``path``; returns the path."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.animated_svg(seconds))
        return os.fspath(path)

    # -- in JupyterLab ---------------------------------------------------------------------------
    @property
    def widget(self) -> "PassControls":
        """The ipywidgets controls (made on first use)."""
        if self._controls is None:
            from .controls import PassControls
            self._controls = PassControls(self, interval=self.interval, lang=self.lang,
                                          legend=self.frames.graph.legend)
        return self._controls

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        data = {"text/plain": repr(self), "text/html": self.html()}
        try:
            view = self.widget.box._repr_mimebundle_()
        except Exception:  # no ipywidgets, or no frontend to talk to: the player alone
            view = None
        if view:
            data.update({k: v for k, v in view.items() if k != "text/plain"})
        return data

    def __repr__(self) -> str:
        return f"<BackwardAnimation of {self.call}: {self.steps} steps>"


# -- helpers ---------------------------------------------------------------------------------
def _as_list(x: Any) -> list:
    from ..tensor import Tensor
    if isinstance(x, Tensor):
        return [x]
    return list(x)


def _names(names: bool | Mapping[str, Any], params: Mapping[str, Any] | None,
           caller: types.FrameType) -> Names:
    if isinstance(names, Mapping):
        return collect(params, names)
    if names:
        return collect(params, dict(caller.f_locals))
    return collect(params, None)


def _alias(caller: types.FrameType) -> str:
    """What the caller calls this package (``torch`` after ``import autograd_lab as torch``)."""
    import autograd_lab
    for scope in (caller.f_locals, caller.f_globals):
        for name, value in scope.items():
            if value is autograd_lab and not name.startswith("_"):
                return name
    return "torch"


def _name(t: Any, known: Names) -> str | None:
    found = known.of_tensor(t)
    return found[0] if found else None


def _label(outs: Sequence[Any], known: Names) -> str:
    if len(outs) == 1:
        return _name(outs[0], known) or "output"
    return "outputs"


def _tensor_text(t: Any, known: Names, alias: str) -> str:
    from ..tensor import Tensor
    if t is None:
        return "None"
    if isinstance(t, (list, tuple)):
        return "[" + ", ".join(_tensor_text(x, known, alias) for x in t) + "]"
    if not isinstance(t, Tensor):
        return repr(t)
    name = _name(t, known)
    if name:
        return name
    text = repr(t.detach())
    return f"{alias}.{text}" if "\n" not in text and len(text) <= 40 else "gradient"


def call_text(outs: Sequence[Any], known: Names, alias: str, gradient: Any = None, *,
              inputs: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
              grad_of: Sequence[Any] | None = None) -> str:
    """The code that starts the pass, in the learner's names: ``y.backward()``,
    ``torch.autograd.grad(y, [x], create_graph=True)``."""
    out = (_tensor_text(outs[0], known, alias) if len(outs) == 1
           else _tensor_text(list(outs), known, alias))
    args = []
    if grad_of is not None:
        args.append(_tensor_text(list(grad_of), known, alias))
        if gradient is not None:
            args.append("grad_outputs=" + _tensor_text(gradient, known, alias))
    elif gradient is not None:
        key = "gradient" if len(outs) == 1 else "grad_tensors"
        args.append(f"{key}=" + _tensor_text(gradient, known, alias))
    if retain_graph is not None:
        args.append(f"retain_graph={retain_graph}")
    if create_graph:
        args.append("create_graph=True")
    if inputs is not None:
        args.append("inputs=" + _tensor_text(_as_list(inputs), known, alias))
    if grad_of is not None:
        return f"{alias}.autograd.grad({', '.join([out] + args)})"
    if len(outs) == 1:
        return f"{out}.backward({', '.join(args)})"
    return f"{alias}.autograd.backward({', '.join([out] + args)})"
