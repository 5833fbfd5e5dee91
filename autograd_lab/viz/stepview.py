"""``step_through(y)``: the manual stepper with its picture, its panel and its Next button.

``Stepper`` (``stepper.py``) makes the calls; this module draws each state (the same pictures
as ``animate_backward``) and shows, for each click, the Python code of the call with the
learner's names, what it returned matched to ``next_functions``, and why.
"""
from __future__ import annotations

import html
import os
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Mapping

from ..autograd.node import AccumulateGrad
from .animate import _alias, _names
from .explain import Explainer, code, written_inputs
from .frames import Frames, MotionGraph
from .passstate import PassState, add, replay
from .player import page, player_html
from .stepper import Call, Stepper, StepperState
from .walk import is_custom, op_name

if TYPE_CHECKING:
    from ..tensor import Tensor
    from .controls import PassControls


def step_through(output: "Tensor", gradient: "Tensor | None" = None, *,
                 names: bool | Mapping[str, Any] = True,
                 params: Mapping[str, "Tensor"] | None = None, show_saved: bool = False,
                 show_values: bool = True, max_nodes: int = 120, collapse: bool | None = None,
                 legend: bool = True, lang: str | None = None) -> "StepThrough":
    """Call ``output``'s backward nodes by hand, one per click (or per ``.next()``).

    In JupyterLab it is a widget: "Call next" makes one call, Play makes them one per tick,
    "Call all" the rest, and the slider goes back over the calls made. A notebook also stores
    an HTML player of the whole pass (a rehearsal that writes no ``.grad``: see ``html()``),
    which plays without a kernel. ``lang`` ("en" or "zh"; default: ``set_language``'s) is the
    language of the panel, the buttons and the key.

    >>> import autograd_lab as torch
    >>> b = torch.tensor(1.0, requires_grad=True)
    >>> w = torch.tensor(2.0, requires_grad=True)
    >>> x = torch.tensor(3.0)
    >>> u = w * x
    >>> v = u + b
    >>> a = torch.relu(v)
    >>> steps = torch.step_through(a)     # in JupyterLab: a widget with a Next button
    >>> steps.next().code
    ['dv = a.grad_fn(torch.tensor(1.))']
    >>> for line in steps.next().printed:
    ...     print(line)
    du = tensor(1., grad_fn=<ThresholdBackwardBackward0>)
    db = tensor(1., grad_fn=<ThresholdBackwardBackward0>)
    >>> calls = steps.run()
    >>> print(steps.stepper.transcript())
    dv = a.grad_fn(torch.tensor(1.))
    v_grad_fn = a.grad_fn.next_functions[0][0]
    du, db = v_grad_fn(dv)
    b_grad_fn = v_grad_fn.next_functions[1][0]
    b_grad_fn(db)
    u_grad_fn = v_grad_fn.next_functions[0][0]
    dw, _ = u_grad_fn(du)
    w_grad_fn = u_grad_fn.next_functions[0][0]
    w_grad_fn(dw)
    >>> b.grad, w.grad
    (tensor(1., grad_fn=<CopyBackwards>), tensor(3., grad_fn=<CopyBackwards>))
    """
    from ..language import resolve
    lang = resolve(lang)
    caller = sys._getframe(1)
    known = _names(names, params, caller)
    graph = MotionGraph([output], known, show_saved=show_saved, show_values=show_values,
                        max_nodes=max_nodes, collapse=collapse, legend=legend, lang=lang)
    stepper = Stepper(output, gradient, names=known, alias=_alias(caller), model=graph.model)
    return StepThrough(stepper, graph)


def _predicted(stepper: Stepper) -> list[PassState] | None:
    """The states the calls by hand will go through, for the layout to keep room for them:
    the engine's own pass, run as ``autograd.grad(output, leaves, retain_graph=True)``, which
    changes nothing (no ``.grad`` written, nothing freed) *if* nothing runs user code: so not
    when the graph has hooks, ``retain_grad`` or custom Functions (then the layout keeps room
    for made-up values, and grows if real ones need more)."""
    from .. import autograd
    from ..autograd.trace import record_backward
    model = stepper.model
    leaves = []
    for node in model.ops:
        if is_custom(node) or node._pre_hooks or node._hooks or node._tensor_pre_hooks or \
                node._retain_grad_hooks:
            return None
        if isinstance(node, AccumulateGrad):
            if node.variable._hooks:
                return None
            leaves.append(node.variable)
    if not leaves:
        return None
    try:
        with record_backward() as recorded:
            autograd.grad(stepper.output, leaves, stepper.gradient, retain_graph=True,
                          allow_unused=True)
    except RuntimeError:  # e.g. a graph already freed: the calls by hand will say so
        return None
    states = replay(recorded.all[0], model, stepper.start, inputs=leaves)
    out = []
    for state in states:  # by hand, what autograd.grad returns goes into .grad
        grads = dict(state.grads)
        for k, got in state.captured.items():
            for _, g in got:
                grads[k] = add(grads.get(k), g)
        out.append(replace(state, mode="by hand", captured={}, grads=grads))
    return out


class StepThrough:
    """A ``Stepper`` with pictures: ``.next()``, ``.run()``, ``.state`` as the stepper's, plus
    the widget (JupyterLab) and the HTML player of the steps made so far."""

    def __init__(self, stepper: Stepper, graph: MotionGraph) -> None:
        self.stepper = stepper
        self.graph = graph
        scene = graph.scene(stepper.start)
        root = graph.model.index[stepper.output.grad_fn]  # type: ignore[index]  # (not a leaf)
        roots = [(root, stepper.output._output_nr, tuple(stepper.output.shape))]
        predicted = _predicted(stepper)
        if predicted is not None:  # the exact frames to come, from the engine
            looks = [scene.looks(state) for state in predicted]
            reserve = lambda m: looks + scene.reservation(roots, m)  # noqa: E731
        else:
            reserve = lambda m: scene.reservation(roots, m)  # noqa: E731
        self.frames = Frames(graph, scene, stepper.states, reserve=reserve)
        self.call = f"step_through({stepper.output_name})"
        self.explainer = Explainer(graph.model, stepper.states, self.call, stepper.output_name,
                                   total=stepper.total, lang=graph.lang,
                                   written=written_inputs(graph.model, graph.known))
        self._controls: "PassControls | None" = None

    # -- stepping --------------------------------------------------------------------------------
    def next(self) -> Call | None:
        """Call the next node (see ``Stepper.next``); the widget, if shown, follows."""
        call = self.stepper.next()
        if call is not None:
            self.frames.extend(self.stepper.states[len(self.frames):])
            if self._controls is not None:
                self._controls.refresh()
                self._controls.show(len(self.frames) - 1)
        return call

    def run(self) -> list[Call]:
        """Call every node left."""
        made = []
        while (call := self.next()) is not None:
            made.append(call)
        return made

    def advance(self) -> bool:
        """One more frame, for the widget's Next button (False when all nodes were called)."""
        call = self.stepper.next()
        if call is None:
            return False
        self.frames.extend(self.stepper.states[len(self.frames):])
        return True

    @property
    def done(self) -> bool:
        """True once every node has been called."""
        return self.stepper.done

    @property
    def total_frames(self) -> int:
        """How many frames the whole pass has (the start, then one per call)."""
        return self.stepper.total + 1

    @property
    def lang(self) -> str:
        return self.explainer.lang

    @property
    def state(self) -> StepperState:
        return self.stepper.state

    @property
    def code(self) -> list[str]:
        return self.stepper.code

    # -- frames ----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.frames)

    def frame_svg(self, k: int, window: tuple[float, float] | None = None) -> str:
        return self.frames.svg(k, window)

    @property
    def large(self) -> bool:
        return self.frames.large

    def highlighted(self, k: int) -> str | None:
        return self.frames.current_id(k)

    def panel_html(self, k: int) -> str:
        """The panel of frame ``k``: the code so far, what the call returned, and why."""
        parts = self.explainer.sections(k)
        out = parts["title"] + parts["rule"]
        calls = self.stepper.calls[:k]
        out.append(self._code_block(calls))
        if k == 0:
            out += parts["in"]
            if self.stepper.rehearsal:
                out.append(f"<p><i>{self.explainer.say('rehearsed')}</i></p>")
        else:
            out += self._result(calls[-1])
            out += parts["also"]
        return "\n".join(out + parts["waiting"] + parts["end"])

    def _code_block(self, calls: list[Call]) -> str:
        lines = []
        for n, call in enumerate(calls):
            new = n == len(calls) - 1
            for line in call.code:
                text = html.escape(line)
                lines.append(f'<span class="agm-new">{text}</span>' if new else text)
        if not lines:
            lines = [self.explainer.say("nothing_called")]
        return '<div class="agm-code"><pre>' + "\n".join(lines) + "</pre></div>"

    def _result(self, call: Call) -> list[str]:
        node = call.node
        say = self.explainer.say
        out = [f"<h4>{say('h_returned')}</h4>",
               "<pre>" + html.escape("\n".join(call.printed)) + "</pre>"]
        if call.result_vars:
            rows = []
            for pos, ((fn, nr), var) in enumerate(zip(node.next_functions, call.result_vars)):
                target = "None" if fn is None else self.explainer.who(
                    self.frames.graph.model.index[fn])
                rows.append(f"<li>{code(var)} \u2192 {code(f'next_functions[{pos}]')} = "
                            f"({html.escape(target)}, {nr})</li>")
            out += [f"<p>{say('one_result', fns=code(call.node_var + '.next_functions'))}</p>",
                    '<ul class="agm-out">' + "".join(rows) + "</ul>"]
        notes = []
        with_fn = sorted({op_name(r.grad_fn) for r in call.results
                          if r is not None and r.grad_fn is not None})
        if with_fn:
            notes.append(say("recorded", fns=html.escape(", ".join(with_fn))))
        if isinstance(node, AccumulateGrad) and call.leaf is not None:
            grad = call.leaf_grad
            if grad is not None and grad.grad_fn is not None:
                notes.append(say("recorded_copy", grad=code(".grad"),
                                 fn=op_name(grad.grad_fn)))
        if is_custom(node):
            notes.append(say("custom_by_hand"))
        if node._pre_hooks or node._hooks or node._tensor_pre_hooks or \
                node._retain_grad_hooks or (isinstance(node, AccumulateGrad)
                                            and node.variable._hooks):
            notes.append(say("hooks_by_hand"))
        if notes:
            out += [f"<h4>{say('h_note')}</h4>", "<ul>" + "".join(f"<li>{n}</li>" for n in notes) + "</ul>"]
        return out

    # -- without a kernel ------------------------------------------------------------------------
    def html(self) -> str:
        """An HTML player of the whole pass, whatever has been called so far: a rehearsal of
        every call from where stepping began (``Stepper(rehearsal=True)``: no ``.grad`` is
        written, nothing is freed). If a call fails (a graph already freed), the player ends
        with the calls that worked."""
        source = self if self.stepper.rehearsal else self.rehearsal()
        panels = [source.panel_html(k) for k in range(len(source.frames))]
        return player_html(source.frames, panels, lang=self.lang,
                           legend=self.graph.legend)

    def rehearsal(self) -> "StepThrough":
        """A copy of this stepper that has made every call, on stand-ins for ``.grad``."""
        s = self.stepper
        copy = Stepper(s.output, s.gradient, names=s._known, alias=s.alias, model=s.model,
                       rehearsal=True, start=s.start)
        other = StepThrough(copy, self.graph)
        try:
            other.run()
        except Exception:  # noqa: BLE001 (the live stepper shows the same error when clicked)
            pass
        return other

    def save_html(self, path: str | os.PathLike) -> str:
        with open(path, "w", encoding="utf-8") as f:
            f.write(page(self.html(), f"autograd_lab: {self.call}", self.lang))
        return os.fspath(path)

    # -- in JupyterLab ---------------------------------------------------------------------------
    @property
    def widget(self) -> "PassControls":
        if self._controls is None:
            import ipywidgets as W

            from .controls import PassControls
            say = self.explainer.say
            run_all = W.Button(description=say("call_all"), icon="fast-forward",
                               tooltip=say("call_all"), layout=W.Layout(width="auto"))
            self._controls = PassControls(self, next_label=say("call_next"), extra=[run_all],
                                          lang=self.lang, legend=self.graph.legend)
            run_all.on_click(lambda _: self._controls.to_end())
        return self._controls

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        data = {"text/plain": repr(self), "text/html": self.html()}
        try:
            view = self.widget.box._repr_mimebundle_()
        except Exception:  # no ipywidgets, or no frontend: the still picture alone
            view = None
        if view:
            data.update({k: v for k, v in view.items() if k != "text/plain"})
        return data

    def __repr__(self) -> str:
        return (f"<StepThrough of {self.stepper.output_name}: {len(self.stepper.calls)} of "
                f"{self.stepper.total} nodes called>")
