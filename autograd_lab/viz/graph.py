"""``render_graph(y)``: the autograd graph behind ``y`` as a Graphviz picture.

Reading order: ``render_graph`` gathers names (``names``), walks the graph (``walk``), marks
paths (``highlight``), picks derivative orders (``orders``) and folds (``collapse``); then
``_Drawing`` writes one DOT statement per box and arrow. What a box says is in ``boxes``, its
colours in ``style``, the escaping in ``labels``.
"""
from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import graphviz

from ..autograd.node import AccumulateGrad, Node
from . import boxes
from . import collapse as folding
from . import style
from .gradflow import Flow, gradient_flow, value_text
from .highlight import Marks, mark
from .labels import Line, escape, label
from .names import Names, collect, explicit, from_frames
from .orders import derivative_orders
from .picture import GraphPicture
from .picture_words import word
from .widetext import MARGIN, box_width, trailing_room
from .textstyle import SWATCH, swatch_token
from .walk import GraphModel, TensorSpot, flatten_outputs, walk

if TYPE_CHECKING:
    from ..tensor import Tensor

DIRECTIONS = ("TB", "LR", "BT", "RL")
VIEWS = ("backward", "forward")


def render_graph(*outputs: "Tensor | Node | Sequence[Tensor]",
                 params: Mapping[str, "Tensor"] | None = None,
                 names: bool | Mapping[str, Any] = True,
                 show_saved: bool = False, show_none: bool = False, show_values: bool = True,
                 direction: str = "TB", highlight: Iterable[Any] | Any = None,
                 higher_order: bool = False, max_nodes: int = 120,
                 collapse: bool | None = None, legend: bool = True,
                 backend: str = "wasm", show_grads: "bool | Tensor | Sequence[Tensor]" = False,
                 view: str = "backward", lang: str | None = None) -> GraphPicture:
    """Draw the autograd graph behind ``outputs``: every backward node, leaf and output.

    >>> import autograd_lab as torch
    >>> x = torch.tensor([2.], requires_grad=True)
    >>> w = torch.tensor([1.], requires_grad=True)
    >>> a = torch.add(x, w)
    >>> y = torch.mul(a, torch.add(w, 1))
    >>> picture = torch.render_graph(y)      # shows inline in JupyterLab
    >>> "MulBackward0" in picture.source
    True
    >>> picture.svg().startswith("<?xml")     # in-process: no system Graphviz needed
    True
    >>> chain = torch.render_graph(y, view="forward", show_grads=True)   # the chain rule
    >>> "\u2202y/\u2202w = [5.] (into .grad)" in chain.source, w.grad  # nothing accumulated
    (True, None)
    >>> chain.png()[:4], chain.pdf()[:5]      # files for slides: .render("g", format="png")
    (b'\x89PNG', b'%PDF-')

    Arrows follow ``next_functions``, the way gradients flow: from the output's ``grad_fn``
    down to each leaf's ``AccumulateGrad``. An arrow is labelled ``i`` when its node has
    several inputs (it is ``next_functions[i]``), and ``input k`` when the pair's second
    element, the input of the next node it feeds, is not simply 0.

    Colours (a legend is drawn under the picture; ``legend=False`` hides it):

    ============  =====================================================================
    green         output tensor (what was drawn)
    blue          leaf tensor: AccumulateGrad adds into its ``.grad``
    light grey    tensor that needs no gradient
    yellow        intermediate tensor (named, retained or saved)
    slate         backward node (``grad_fn``)
    sky blue      AccumulateGrad: where a gradient reaches a leaf
    purple        custom ``autograd.Function`` node
    orange        saved tensor (``show_saved=True``)
    dashed grey   saved tensor freed by a backward without ``retain_graph``
    red           saved tensor modified in place, and the node a backward would fail at
    dashed box    collapsed: many nodes summarised in one
    amber, pink…  ``higher_order=True``: nodes made by the 1st, 2nd… backward pass
    thick rose    ``highlight``
    ellipse       ``view="forward"``: an operation, with the ``grad_fn`` it recorded
    pale yellow   ``view="forward"``: an intermediate tensor that no variable names
    green text    ``show_grads``: the gradient an arrow carries back
    ============  =====================================================================

    Args:
        outputs: tensors (or backward nodes) to draw from; several, or lists of them.
        params: names for tensors, as torchviz's ``make_dot(y, params=dict(...))``.
        names: True (the default) takes each box's name from the variables of the code that
            called ``render_graph``; called inside a helper function, it looks further out, to
            the first calling frame (up to the notebook cell or script) that names the
            outputs and leaves. False: no names (boxes read "output", "leaf tensor"). Or an
            explicit mapping, either way round: ``names={"x": x, "y": y}`` or
            ``names={x: "x", y: "y"}``.
        show_saved: draw each node's saved tensors as their own boxes (never merged with the
            inputs they came from) and list its saved non-tensor values (``exponent = 2``).
        show_none: draw the ``(None, 0)`` entries of ``next_functions``.
        show_values: print the values (and ``.grad``) of tensors with at most 16 elements.
        direction: ``"TB"`` (output at the top) or ``"LR"``, ``"BT"``, ``"RL"``.
        highlight: tensors or nodes to mark; everything on a path between two of them is
            marked too, so ``highlight=[y, x]`` shows the gradient's way from y to x.
        higher_order: colour nodes by the derivative order the engine stamped on them (0 for
            the forward graph, 1 for nodes recorded by a first ``create_graph`` backward, ...):
            ``render_graph(grad_1[0], higher_order=True)``
            (see ``autograd_lab.viz.orders``).
        max_nodes: beyond this many boxes, long stretches and wide fans are folded into
            summary boxes (``autograd_lab.viz.collapse``).
        collapse: None folds only beyond ``max_nodes``; True always folds to fit; False never.
        legend: draw the colour legend.
        backend: ``"wasm"`` renders in this process (no system package, identical bytes
            everywhere); ``"dot"`` uses the system Graphviz executable. Either way
            ``.render(format="png")`` and ``"pdf"`` are drawn from the styled SVG.
        show_grads: the chain rule on the picture. Each arrow is labelled with the gradient
            it carries back (``∂y/∂a = [3.]``, in the caller's names), and, where output and
            input are single numbers, the node's local derivative (``local: ∂y/∂a = 1.``), so
            that each gradient reads as the one before it times the local derivative. The
            output's arrow shows the gradient the pass starts from, a leaf's arrow what
            ``backward`` adds into its ``.grad``. True starts from ones (one-element outputs,
            as ``y.backward()``); a tensor (or one per output) starts from it, as
            ``y.backward(gradient)``. The values come from one real pass of the engine
            (``autograd_lab.viz.gradflow``), run as ``autograd.grad(..., retain_graph=True)``
            with hooks set aside: no ``.grad`` changes, no hook runs, the graph is kept. It
            needs the saved tensors: after a ``backward()`` that freed them it raises
            PyTorch's "Trying to backward through the graph a second time" error; draw it
            before the backward, or after ``backward(retain_graph=True)``.
        view: ``"backward"`` (the default) draws the backward graph: ``grad_fn`` nodes and
            ``next_functions``, arrows from the output down to the leaves. ``"forward"`` draws
            the same computation as data flow: tensors and the operations that made them,
            arrows from the inputs to the output, each operation labelled with the
            ``grad_fn`` it recorded (``mul`` -> ``MulBackward0``); read it first, then the
            backward view. With ``show_grads`` the forward arrows carry the gradients back.
            Inputs that need no gradient are always drawn there (as constants); it does not
            fold (a graph of more than ``max_nodes`` nodes is refused), and ``show_saved``, ``highlight`` and ``higher_order`` belong to the
            backward view (combining them with it is an error).
        lang: the language of the words the picture draws (its legend, and what boxes and
            arrows say: "leaf tensor", "shape [2]", "input 1"...): ``"en"`` or ``"zh"``; None
            (the default) takes the one set by ``autograd_lab.set_language``. Variable names,
            node names (``MulBackward0``), attribute names and printed tensors are the same in
            both.

    Returns:
        a ``GraphPicture`` (a ``graphviz.Digraph``): ``.source`` is the DOT text, ``.svg()``,
        ``.pipe(format="svg")`` and ``.render(...)`` work without a system Graphviz.
    """
    # A large graph means millions of live objects; the cyclic GC would walk them all again
    # and again while the picture's lists and dicts are built. Nothing here makes cycles.
    from ..language import resolve
    lang = resolve(lang)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _render_graph(outputs, sys._getframe(1) if names is True else None,
                             params=params, names=names, show_saved=show_saved,
                             show_none=show_none, show_values=show_values, direction=direction,
                             highlight=highlight, higher_order=higher_order,
                             max_nodes=max_nodes, collapse=collapse, legend=legend,
                             backend=backend, show_grads=show_grads, view=view, lang=lang)
    finally:
        if gc_was_enabled:
            gc.enable()


def _render_graph(outputs: tuple, frame: Any, *, params: Any, names: Any, show_saved: bool,
                  show_none: bool, show_values: bool, direction: str, highlight: Any,
                  higher_order: bool, max_nodes: int, collapse: bool | None, legend: bool,
                  backend: str, show_grads: Any = False, view: str = "backward",
                  lang: str = "en") -> GraphPicture:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, got {view!r}")
    if view == "forward":
        unused = [name for name, value in (("show_saved", show_saved),
                                           ("higher_order", higher_order),
                                           ("highlight", _as_list(highlight))) if value]
        if unused:
            raise ValueError(f"{', '.join(unused)} draw{'s' if len(unused) == 1 else ''} on "
                             "the backward graph: use them with view='backward'")
    flat = flatten_outputs(outputs)
    if not flat:
        raise ValueError("render_graph() needs at least one tensor to draw")
    if isinstance(names, Mapping):
        known = collect(params, explicit(names))
    elif frame is not None:
        known = from_frames(frame, flat, params)
        del frame
    else:
        known = collect(params, None)
    model = walk(flat, known)
    flow = None
    if show_grads is not False and show_grads is not None:
        flow = gradient_flow(model, flat, None if show_grads is True else show_grads)
    if view == "forward":
        from .forward import draw_forward
        return draw_forward(model, known, flow, show_values=show_values, direction=direction,
                            legend=legend, backend=backend, graph_attr=_graph_attr(direction),
                            node_attr=_node_attr(), edge_attr=_edge_attr(),
                            max_nodes=max_nodes, lang=lang)
    drawing = _Drawing(model, known, mark(model, _as_list(highlight)), show_saved=show_saved,
                       show_none=show_none, show_values=show_values, higher_order=higher_order,
                       lang=lang)
    drawing.flow = flow
    weights = drawing.weights()
    if collapse is False:
        plan = folding.no_folding(len(model.ops))
    elif collapse is True or sum(weights) + _loose_tensors(model) > max_nodes:
        plan = folding.plan(model.children, drawing.keep(), weights, max_nodes)
    else:
        plan = folding.no_folding(len(model.ops))
    picture = GraphPicture(name="autograd_graph", backend=backend,
                           graph_attr=_graph_attr(direction),
                           node_attr=_node_attr(), edge_attr=_edge_attr())
    drawing.draw(picture, plan, legend)
    return picture


def _as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return [value]


def _loose_tensors(model: GraphModel) -> int:
    return sum(1 for spot in model.tensors if spot.op is None)


def _graph_attr(direction: str) -> dict[str, str]:
    return {"rankdir": direction, "bgcolor": "white", "pad": "0.25", "nodesep": "0.35",
            "ranksep": "0.45", "fontname": style.FONT, "fontsize": "11",
            "fontcolor": style.TEXT}


def _node_attr() -> dict[str, str]:
    return {"shape": "box", "style": "filled,rounded", "fontname": style.FONT,
            "fontsize": "12", "fontcolor": style.TEXT, "margin": f"{MARGIN},0.07",
            "height": "0.36", "penwidth": "1.4"}


def _edge_attr() -> dict[str, str]:
    return {"fontname": style.FONT, "fontsize": "10", "color": style.EDGE,
            "fontcolor": style.EDGE_TEXT, "arrowsize": "0.7", "penwidth": "1.2"}


class _Drawing:
    """The boxes and arrows of one picture, written into a ``GraphPicture``."""

    def __init__(self, model: GraphModel, known: Names, marks: Marks, *, show_saved: bool,
                 show_none: bool, show_values: bool, higher_order: bool,
                 lang: str = "en") -> None:
        self.model = model
        self.lang = lang
        self.known = known
        self.marks = marks
        self.show_saved = show_saved
        self.show_none = show_none
        self.show_values = show_values
        self.orders = derivative_orders(model.ops) if higher_order else None
        self.spots_of: list[list[TensorSpot]] = [[] for _ in model.ops]
        for spot in model.tensors:
            if spot.op is not None:
                self.spots_of[spot.op].append(spot)
        self.flow: Flow | None = None           # show_grads: what went along each arrow
        self.forward_note = False               # view="forward": say which way arrows go
        self.kinds_used: dict[str, None] = {}   # for the legend, in first-use order
        self.orders_used: set[int] = set()
        self.labelled_edges = False

    def keep(self) -> set[int]:
        """Nodes that folding must leave visible."""
        model = self.model
        keep = set(model.roots) | self.marks.ops | set(model.stale)
        for spot in model.tensors:
            if spot.op is not None and (spot.kind in ("output", "tensor") or spot.names):
                keep.add(spot.op)
        return keep

    def weights(self) -> list[int]:
        """How many boxes each node brings (itself, its tensors, saved tensors, Nones)."""
        result = []
        for i, node in enumerate(self.model.ops):
            count = 1 + len(self.spots_of[i])
            if self.show_saved:
                count += sum(1 for _ in node.saved_tensors_items())
            if self.show_none:
                count += sum(1 for child, _ in self.model.children[i] if child is None)
            result.append(count)
        return result

    # -- boxes ---------------------------------------------------------------------------------
    def draw(self, picture: GraphPicture, plan: folding.Plan, legend: bool) -> None:
        model = self.model
        self.picture = picture
        self.plan = plan
        for k, spot in enumerate(model.tensors):
            if spot.op is None or plan.group_of[spot.op] == folding.KEPT:
                node = model.ops[spot.op] if spot.op is not None else None
                lines = boxes.tensor_lines(spot, node, model.output_count, self.show_values,
                                           lang=self.lang)
                self._box(f"t{k}", lines, spot.kind, marked=k in self.marks.tensors)
        for i in range(len(model.ops)):
            if plan.group_of[i] == folding.KEPT:
                self._op(i)
        for g, members in enumerate(plan.groups):
            self._box(f"g{g}", boxes.group_lines(model.ops, members, self.lang), "group")
        self._edges()
        if legend:
            self._legend()

    def _box(self, node_id: str, lines: list[Line], kind: str, look: style.Look | None = None,
             marked: bool = False, extra_class: str = "") -> None:
        look = look or style.LOOKS[kind]
        text, token = label(lines)
        attrs = {"fillcolor": look.fill, "color": look.border, "style": look.style,
                 "shape": look.shape, "class": f"{kind}{extra_class} {token}"}
        if marked:
            attrs.update(color=style.HIGHLIGHT, penwidth="3")
            self.kinds_used.setdefault("highlight")
        width = box_width(lines)  # (Chinese text: Graphviz would make the box too narrow)
        if width:
            attrs["width"] = width
        self.picture.node(node_id, text, **attrs)
        if kind in style.LEGEND:
            self.kinds_used.setdefault(kind)

    def _op(self, i: int) -> None:
        node = self.model.ops[i]
        stale = self.model.stale.get(i)
        order = self.orders[i] if self.orders is not None else None
        shown = {spot.output_nr for spot in self.spots_of[i] if spot.tensor.grad_fn is not None}
        lines = boxes.op_lines(node, show_saved=self.show_saved, stale=stale,
                               shown_outputs=shown, order=order, lang=self.lang)
        kind = boxes.op_kind(node, bool(stale))
        look, extra = None, ""
        if order is not None:
            self.orders_used.add(order)
            extra = f" order{order}"
            if kind == "op":
                look = style.order_look(order)
        self._box(f"n{i}", lines, kind, look, marked=i in self.marks.ops, extra_class=extra)
        if self.show_saved:
            for j, (name, record) in enumerate(node.saved_tensors_items()):
                self._box(f"n{i}_s{j}", boxes.saved_lines(node, name, record, self.known,
                                                          self.show_values, self.lang),
                          boxes.saved_kind(record))
        if self.show_none:
            for pos, (child, _) in enumerate(self.model.children[i]):
                if child is None:
                    self._box(f"n{i}_none{pos}", [Line("None", "M")], "none")

    # -- arrows --------------------------------------------------------------------------------
    def _edges(self) -> None:
        model, group_of = self.model, self.plan.group_of
        folded: dict[tuple[str, str], int] = {}  # arrows into or out of summary boxes, counted
        for i, kids in enumerate(model.children):
            src_group = group_of[i]
            for pos, (child, input_nr) in enumerate(kids):
                if child is None:
                    if self.show_none and src_group == folding.KEPT:
                        self._next_edge(i, f"n{i}_none{pos}", pos, input_nr, None,
                                        len(kids), dashed=True)
                    continue
                dst_group = group_of[child]
                if src_group == folding.KEPT and dst_group == folding.KEPT:
                    self._next_edge(i, f"n{child}", pos, input_nr, child, len(kids))
                elif src_group != dst_group:
                    key = (f"n{i}" if src_group == folding.KEPT else f"g{src_group}",
                           f"n{child}" if dst_group == folding.KEPT else f"g{dst_group}")
                    folded[key] = folded.get(key, 0) + 1
        for (src, dst), count in folded.items():
            attrs = {"style": "dashed"}
            if count > 1:
                attrs["label"] = f"\u00d7{count:,}"
            self.picture.edge(src, dst, **attrs)
        for k, spot in enumerate(model.tensors):
            if spot.op is not None and group_of[spot.op] == folding.KEPT:
                self._tensor_edge(k, spot)
        if self.show_saved:
            for i, node in enumerate(model.ops):
                if group_of[i] != folding.KEPT:
                    continue
                for j, (_, record) in enumerate(node.saved_tensors_items()):
                    self.picture.edge(f"n{i}", f"n{i}_s{j}", style="dashed", arrowhead="odot",
                                      color=style.LOOKS[boxes.saved_kind(record)].border)

    def _next_edge(self, i: int, dst: str, pos: int, input_nr: int, child: int | None,
                   inputs: int, dashed: bool = False) -> None:
        """``next_functions[pos] == (child, input_nr)``: labelled with ``pos`` when the node
        has several inputs, and with ``input k`` when the pair's second element matters."""
        text = []
        if inputs > 1:
            text.append(str(pos))
        if child is not None and (input_nr != 0 or self.model.ops[child]._num_outputs > 1):
            text.append(word(self.lang, "input_k", k=input_nr))
        attrs = {}
        if text:
            attrs["label"] = escape(" \u2192 ".join(text))
            self.labelled_edges = True
        if self.flow is not None and child is not None:
            lines = [Line(" \u2192 ".join(text), "N")] if text else []
            lines += self.grad_lines(i, pos, child, input_nr)
            if lines:
                attrs["label"], attrs["class"] = label(lines)
        if dashed:
            attrs["style"] = "dashed"
        if child is not None and (i, child) in self.marks.edges:
            attrs.update(color=style.HIGHLIGHT, penwidth="2.5")
        self.picture.edge(f"n{i}", dst, **attrs)

    # -- show_grads ----------------------------------------------------------------------------
    def output_name(self) -> str | None:
        """What the gradients are of: the output's name (one output), else None."""
        outputs = [spot for spot in self.model.tensors if spot.kind == "output"]
        if len(outputs) == 1 and outputs[0].names:
            return outputs[0].names[0]
        return None

    def input_name(self, child: int, input_nr: int) -> str | None:
        """The name of the tensor that node ``child``'s output ``input_nr`` is."""
        node = self.model.ops[child]
        if isinstance(node, AccumulateGrad):
            for spot in self.spots_of[child]:
                if spot.names:
                    return spot.names[0]
            return None
        found = self.known.of_output(node, input_nr)
        return found[0] if found else None

    def grad_lines(self, i: int, pos: int, child: int, input_nr: int) -> list[Line]:
        """``∂y/∂a = [3.]`` (what the arrow carries) and ``local: ∂u/∂a = 1.``."""
        flow = self.flow
        assert flow is not None
        if (i, pos) not in flow.sent:
            return []
        self.kinds_used.setdefault("grads")
        out, into = self.output_name(), self.input_name(child, input_nr)
        lang = self.lang
        value = value_text(flow.sent[(i, pos)], lang)
        lines = [Line(f"\u2202{out}/\u2202{into} = {value}" if out and into
                      else word(lang, "grad_is", value=value), "G")]
        local = flow.local.get((i, pos))
        if local is not None:
            made = self.known.of_output(self.model.ops[i], 0)
            text = value_text(local, lang)
            lines.append(Line(word(lang, "local", expr=f"\u2202{made[0]}/\u2202{into} = {text}")
                              if made and into else word(lang, "local_is", value=text), "M"))
        return lines

    def tensor_grad_line(self, k: int, spot: TensorSpot) -> list[Line]:
        """The gradient of a drawn tensor: the seed of an output, what reached a named or
        retained tensor's node, or what backward adds into a leaf's ``.grad``."""
        flow = self.flow
        if flow is None or spot.op is None:
            return []
        if isinstance(self.model.ops[spot.op], AccumulateGrad):
            if k not in flow.leaves:
                return []
            value = flow.leaves[k]
        else:
            received = flow.received.get(spot.op)
            if received is None or spot.output_nr >= len(received):
                return []
            value = received[spot.output_nr]
        self.kinds_used.setdefault("grads")
        out = self.output_name()
        name = spot.names[0] if spot.names else None
        text = value_text(value, self.lang)
        return [Line(f"\u2202{out}/\u2202{name} = {text}" if out and name
                     else word(self.lang, "grad_is", value=text), "G")]

    def _tensor_edge(self, k: int, spot: TensorSpot) -> None:
        """``t.grad_fn`` (tensor -> its node) or ``acc.variable`` (AccumulateGrad -> leaf)."""
        assert spot.op is not None
        node = self.model.ops[spot.op]
        look = style.LOOKS[spot.kind]
        marked = k in self.marks.tensors and spot.op in self.marks.ops
        attrs = {"color": style.HIGHLIGHT if marked else look.border, "fontcolor": look.border}
        if marked:
            attrs["penwidth"] = "2.5"
        extra = self.tensor_grad_line(k, spot)
        if isinstance(node, AccumulateGrad):
            self.picture.edge(f"n{spot.op}", f"t{k}", **self._labelled("variable", extra),
                              **attrs)
            return
        text = "grad_fn"
        if node._num_outputs > 1:  # which output: unbind, custom Functions
            text += f" (output_nr {spot.output_nr})"
        self.picture.edge(f"t{k}", f"n{spot.op}", **self._labelled(text, extra), **attrs)

    @staticmethod
    def _labelled(text: str, extra: list[Line]) -> dict[str, str]:
        if not extra:
            return {"label": text}
        lines, token = label([Line(text, "N")] + extra)
        return {"label": lines, "class": token}

    # -- legend --------------------------------------------------------------------------------
    def _legend(self) -> None:
        words = style.LEGENDS[self.lang]
        rows: list[tuple[str, str, str]] = []  # text, fill, border
        for kind in style.LEGEND:
            if kind == "op" and self.orders is not None:
                continue  # replaced by one row per derivative order
            if kind in self.kinds_used:
                look = style.LOOKS[kind]
                rows.append((words.kinds[kind], look.fill, look.border))
        for order in sorted(self.orders_used):
            look = style.order_look(order)
            rows.append((style.order_meaning(order, self.lang), look.fill, look.border))
        if "highlight" in self.kinds_used:
            rows.append((words.highlighted, "#ffffff", style.HIGHLIGHT))
        if not rows:
            return
        lines = ([Line(words.title, "t")]
                 + [Line(f"{SWATCH} {text}", "n") for text, _, _ in rows])
        tokens = ["swatch_none"] + [swatch_token(fill, border) for _, fill, border in rows]
        if self.labelled_edges:
            lines.append(Line(words.edge_note, "m"))
            tokens.append("swatch_none")
        if self.forward_note:
            lines.append(Line(words.forward_note, "m"))
            tokens.append("swatch_none")
        if "grads" in self.kinds_used:
            for note, code in zip(words.grads_note, style.GRADS_NOTE_STYLES):
                lines.append(Line(note, code))
                tokens.append("swatch_none")
        # (left-justified lines: room after a line with wide characters is blank, see
        # widetext.trailing_room)
        lines = [line._replace(text=line.text + trailing_room(line.text)) for line in lines]
        text, token = label(lines)
        # A first line holding a no-break space keeps the legend off the boxes above it. (Not
        # an empty line: an empty first line in a graph label crashes the wasm Graphviz.)
        text = graphviz.nohtml("\u00a0\\l" + text)
        token = "lines_m" + token[len("lines_"):]
        self.picture.attr("graph", label=text, labelloc="b", labeljust="l",
                          _attributes={"class": " ".join(["legend", token, "swatch_none",
                                                          *tokens])})
