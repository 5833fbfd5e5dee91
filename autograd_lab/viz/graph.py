"""``render_graph(y)``: the autograd graph behind ``y`` as a Graphviz picture.

Reading order: ``render_graph`` gathers names (``names``), walks the graph (``walk``), picks
derivative orders (``orders``) and folds (``collapse``), then ``_Drawing`` writes one DOT
statement per box and arrow. Boxes are described in ``style`` and their text in ``labels``.
"""
from __future__ import annotations

import gc
import sys
from collections import Counter, deque
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import graphviz

from ..autograd.node import AccumulateGrad, Node
from . import collapse as folding
from . import style
from .labels import Line, escape, flag_lines, grad_lines, label, shape_text, value_lines
from .names import Names, collect
from .orders import derivative_orders
from .picture import GraphPicture
from .textstyle import SWATCH, swatch_token
from .walk import GraphModel, TensorSpot, flatten_outputs, is_custom, op_name, walk

if TYPE_CHECKING:
    from ..tensor import Tensor

DIRECTIONS = ("TB", "LR", "BT", "RL")
MAX_GROUP_LINES = 5  # op names listed in a summary box
_BASE_SLOTS = frozenset(Node.__slots__) | {"variable"}


def render_graph(*outputs: "Tensor | Node | Sequence[Tensor]",
                 params: Mapping[str, "Tensor"] | None = None,
                 names: bool | Mapping[str, Any] = True,
                 show_saved: bool = False, show_none: bool = False, show_values: bool = True,
                 direction: str = "TB", highlight: Iterable[Any] | Any = None,
                 higher_order: bool = False, max_nodes: int = 120,
                 collapse: bool | None = None, legend: bool = True,
                 backend: str = "wasm") -> GraphPicture:
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
    ============  =====================================================================

    Args:
        outputs: tensors (or backward nodes) to draw from; several, or lists of them.
        params: names for tensors, as torchviz's ``make_dot(y, params=dict(...))``.
        names: take names from the caller's variables (True), not at all (False), or from
            this mapping of name to tensor.
        show_saved: draw each node's saved tensors as their own boxes (never merged with the
            inputs they came from) and list its saved non-tensor values (``exponent = 2``).
        show_none: draw the ``(None, 0)`` entries of ``next_functions``.
        show_values: print the values (and ``.grad``) of tensors with at most 16 elements.
        direction: ``"TB"`` (output at the top) or ``"LR"``, ``"BT"``, ``"RL"``.
        highlight: tensors or nodes to mark; everything on a path between two of them is
            marked too, so ``highlight=[y, x]`` shows the gradient's way from y to x.
        higher_order: colour nodes by the backward pass that made them; pass the outputs in
            order, forward result first: ``render_graph(y, grad_1[0], higher_order=True)``
            (the rule and its limits: ``autograd_lab.viz.orders``).
        max_nodes: beyond this many boxes, long stretches and wide fans are folded into
            summary boxes (``autograd_lab.viz.collapse``).
        collapse: None folds only beyond ``max_nodes``; True always folds to fit; False never.
        legend: draw the colour legend.
        backend: ``"wasm"`` renders in this process (no system package, identical bytes
            everywhere); ``"dot"`` uses the system Graphviz executable.

    Returns:
        a ``GraphPicture`` (a ``graphviz.Digraph``): ``.source`` is the DOT text, ``.svg()``,
        ``.pipe(format="svg")`` and ``.render(...)`` work without a system Graphviz.
    """
    # A large graph means millions of live objects; the cyclic GC would walk them all again
    # and again while the picture's lists and dicts are built. Nothing here makes cycles.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _render_graph(outputs, sys._getframe(1) if names is True else None,
                             params=params, names=names, show_saved=show_saved,
                             show_none=show_none, show_values=show_values, direction=direction,
                             highlight=highlight, higher_order=higher_order,
                             max_nodes=max_nodes, collapse=collapse, legend=legend,
                             backend=backend)
    finally:
        if gc_was_enabled:
            gc.enable()


def _render_graph(outputs: tuple, frame: Any, *, params: Any, names: Any, show_saved: bool,
                  show_none: bool, show_values: bool, direction: str, highlight: Any,
                  higher_order: bool, max_nodes: int, collapse: bool | None, legend: bool,
                  backend: str) -> GraphPicture:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    if isinstance(names, Mapping):
        frame_names: Mapping[str, Any] | None = names
    elif frame is not None:
        frame_names = dict(frame.f_locals)
        del frame
    else:
        frame_names = None
    flat = flatten_outputs(outputs)
    if not flat:
        raise ValueError("render_graph() needs at least one tensor to draw")
    known = collect(params, frame_names)
    model = walk(flat, known)
    drawing = _Drawing(model, known, show_saved=show_saved, show_none=show_none,
                       show_values=show_values, higher_order=higher_order)
    drawing.mark(_as_list(highlight))
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
            "fontsize": "12", "fontcolor": style.TEXT, "margin": "0.16,0.07",
            "height": "0.36", "penwidth": "1.4"}


def _edge_attr() -> dict[str, str]:
    return {"fontname": style.FONT, "fontsize": "10", "color": style.EDGE,
            "fontcolor": style.EDGE_TEXT, "arrowsize": "0.7", "penwidth": "1.2"}


class _Drawing:
    """The boxes and arrows of one picture, written into a ``GraphPicture``."""

    def __init__(self, model: GraphModel, known: Names, *, show_saved: bool,
                 show_none: bool, show_values: bool, higher_order: bool) -> None:
        self.model = model
        self.known = known
        self.show_saved = show_saved
        self.show_none = show_none
        self.show_values = show_values
        self.orders = derivative_orders(model.ops, model.roots) if higher_order else None
        self.spots_of: list[list[TensorSpot]] = [[] for _ in model.ops]
        for spot in model.tensors:
            if spot.op is not None:
                self.spots_of[spot.op].append(spot)
        self.marked_ops: set[int] = set()
        self.marked_edges: set[tuple[int, int]] = set()
        self.marked_tensors: set[int] = set()  # indices into model.tensors
        self.kinds_used: dict[str, None] = {}
        self.orders_used: set[int] = set()
        self.labelled_edges = False

    # -- what to mark and keep -----------------------------------------------------------------
    def mark(self, items: list) -> None:
        """Highlight ``items`` and every node and arrow on a path between two of them."""
        from ..tensor import Tensor
        model = self.model
        chosen: set[int] = set()
        for item in items:
            if isinstance(item, Tensor):
                for k, spot in enumerate(model.tensors):
                    if spot.tensor is item or (item.grad_fn is not None and spot.op is not None
                                               and model.ops[spot.op] is item.grad_fn
                                               and spot.output_nr == item._output_nr):
                        self.marked_tensors.add(k)
                node = item.grad_fn
                if node is None:
                    node = next((n for n in model.ops if isinstance(n, AccumulateGrad)
                                 and n.variable is item), None)
                if node is not None and node in model.index:
                    chosen.add(model.index[node])
            elif isinstance(item, Node):
                if item in model.index:
                    chosen.add(model.index[item])
            else:
                raise TypeError(f"highlight takes tensors or backward nodes, got "
                                f"{type(item).__name__}")
        if not chosen:
            return
        below = _reach(chosen, model.children)
        above = _reach(chosen, [[(p, 0) for p in ps] for ps in model.parents()])
        self.marked_ops = below & above
        for u in below:
            for child, _ in model.children[u]:
                if child is not None and child in above:
                    self.marked_edges.add((u, child))

    def keep(self) -> set[int]:
        """Nodes that folding must leave visible."""
        model = self.model
        keep = set(model.roots) | self.marked_ops | set(model.stale)
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

    # -- writing the DOT -------------------------------------------------------------------------
    def draw(self, picture: GraphPicture, plan: folding.Plan, legend: bool) -> None:
        model = self.model
        self.picture = picture
        self.plan = plan
        for k, spot in enumerate(model.tensors):
            if spot.op is None or plan.group_of[spot.op] == folding.KEPT:
                self._tensor(k, spot)
        for i in range(len(model.ops)):
            if plan.group_of[i] == folding.KEPT:
                self._op(i)
        for g, members in enumerate(plan.groups):
            self._group(g, members)
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
        self.picture.node(node_id, text, **attrs)
        if kind in style.LEGEND:
            self.kinds_used.setdefault(kind)

    def _tensor(self, k: int, spot: TensorSpot) -> None:
        t = spot.tensor
        model = self.model
        title = ", ".join(spot.names)
        if not title:
            if spot.kind == "output":
                title = "output" if model.output_count == 1 else f"output {spot.output_index}"
            elif spot.kind == "tensor" and t._retains_grad:
                title = "retained tensor"
            else:
                title = {"leaf": "leaf tensor", "constant": "tensor"}.get(spot.kind, "tensor")
        lines = [Line(title, "T"), Line(shape_text(t), "M")]
        if self.show_values:
            lines += value_lines(t)
        lines += flag_lines(t)
        lines += grad_lines(t, self.show_values)
        hooks = _tensor_hooks(t, model.ops[spot.op] if spot.op is not None else None,
                              spot.output_nr)
        if hooks:
            lines.append(Line(_plural(hooks, "tensor hook"), "H"))
        if spot.op is None and t.grad_fn is None and not t.requires_grad:
            lines.append(Line("no graph: requires_grad=False", "I"))
        self._box(f"t{k}", lines, spot.kind, marked=k in self.marked_tensors)

    def _op(self, i: int) -> None:
        node = self.model.ops[i]
        lines = [Line(op_name(node), "T")]
        custom = is_custom(node)
        if custom:
            lines.append(Line("custom Function", "I"))
        if self.show_saved and not custom:
            lines += [Line(f"{name} = {value}", "M") for name, value in _saved_values(node)]
        saved = list(node.saved_tensors_items())
        if saved and all(s.freed for _, s in saved):
            lines.append(Line("saved tensors freed", "I"))
        stale = self.model.stale.get(i)
        if stale:
            lines.append(Line(f"saved {', '.join(stale)} modified in place:", "W"))
            lines.append(Line("backward fails here", "W"))
        hooks = _node_hooks(node, self._shown_outputs(i))
        if hooks:
            lines.append(Line(hooks, "H"))
        order = self.orders[i] if self.orders is not None else 0
        if self.orders is not None:
            self.orders_used.add(order)
            if order:
                lines.append(Line(f"derivative order {order}", "M"))
        if isinstance(node, AccumulateGrad):
            kind = "accumulate"
        elif custom:
            kind = "custom"
        elif stale:
            kind = "stale_op"
        else:
            kind = "op"
        look = None
        if kind == "op" and self.orders is not None:
            look = style.order_look(order)
        self._box(f"n{i}", lines, kind, look, marked=i in self.marked_ops,
                  extra_class=f" order{order}" if self.orders is not None else "")
        if self.show_saved:
            for j, (name, record) in enumerate(saved):
                self._saved(i, j, name, record)
        if self.show_none:
            for pos, (child, _) in enumerate(self.model.children[i]):
                if child is None:
                    self._box(f"n{i}_none{pos}", [Line("None", "M")], "none")

    def _shown_outputs(self, i: int) -> set[int]:
        return {spot.output_nr for spot in self.spots_of[i] if spot.tensor.grad_fn is not None}

    def _saved(self, i: int, j: int, name: str, record: Any) -> None:
        node = self.model.ops[i]
        # PyTorch's names (self, other, result...); a custom Function's are saved_tensors[i]
        lines = [Line(name if name.startswith("saved") else f"saved {name}", "T")]
        t = record.peek()
        if record.freed:
            kind = "saved_freed"
            lines.append(Line("freed by backward", "I"))
            lines.append(Line("(retain_graph=False)", "I"))
        else:
            stale = record.current_version != record.saved_version
            kind = "saved_stale" if stale else "saved"
            is_output = getattr(record, "_is_output", False)
            if is_output:
                who = self.known.of_output(node, getattr(record, "_output_nr", 0))
                lines.append(Line("= " + ", ".join(who) if who else "= this node's output", "N"))
            elif t is not None:
                who = self.known.of_tensor(t)
                if who:
                    lines.append(Line("= " + ", ".join(who), "N"))
            if t is not None:
                lines.append(Line(shape_text(t), "M"))
                if self.show_values:
                    lines += value_lines(t)
            if stale:
                lines.append(Line(f"saved at version {record.saved_version}, now "
                                  f"{record.current_version}", "W"))
            else:
                lines.append(Line(f"version {record.saved_version}", "M"))
        self._box(f"n{i}_s{j}", lines, kind)

    def _group(self, g: int, members: list[int]) -> None:
        ops = self.model.ops
        counts: Counter[str] = Counter()
        for cls, count in Counter(type(ops[i]) for i in members).items():
            counts[op_name(next(ops[i] for i in members if type(ops[i]) is cls))] += count
        lines = [Line(f"{len(members):,} nodes folded", "T")]
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        lines += [Line(f"{name} \u00d7{count:,}", "N") for name, count in
                  ranked[:MAX_GROUP_LINES]]
        if len(ranked) > MAX_GROUP_LINES:
            rest = sum(count for _, count in ranked[MAX_GROUP_LINES:])
            lines.append(Line(f"+ {len(ranked) - MAX_GROUP_LINES} more kinds ({rest:,} nodes)",
                              "M"))
        leaves = counts.get("AccumulateGrad", 0)
        if leaves:
            lines.append(Line(f"({leaves:,} leaf tensors not shown)", "I"))
        self._box(f"g{g}", lines, "group")

    def _edges(self) -> None:
        model, plan = self.model, self.plan
        group_of = plan.group_of
        folded: dict[tuple[str, str], int] = {}
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
            if spot.op is None or group_of[spot.op] != folding.KEPT:
                continue
            look = style.LOOKS[spot.kind]
            marked = k in self.marked_tensors and spot.op in self.marked_ops
            attrs = {"color": style.HIGHLIGHT if marked else look.border,
                     "fontcolor": look.border}
            if marked:
                attrs["penwidth"] = "2.5"
            if isinstance(model.ops[spot.op], AccumulateGrad):
                self.picture.edge(f"n{spot.op}", f"t{k}", label="variable", **attrs)
            else:
                text = "grad_fn"
                if model.ops[spot.op]._num_outputs > 1:  # which output: unbind, custom Functions
                    text += f" (output_nr {spot.output_nr})"
                self.picture.edge(f"t{k}", f"n{spot.op}", label=text, **attrs)
        if self.show_saved:
            for i, node in enumerate(model.ops):
                if group_of[i] != folding.KEPT:
                    continue
                for j, (_, record) in enumerate(node.saved_tensors_items()):
                    kind = ("saved_freed" if record.freed else "saved_stale"
                            if record.current_version != record.saved_version else "saved")
                    self.picture.edge(f"n{i}", f"n{i}_s{j}", style="dashed",
                                      color=style.LOOKS[kind].border, arrowhead="odot")

    def _next_edge(self, i: int, dst: str, pos: int, input_nr: int, child: int | None,
                   inputs: int, dashed: bool = False) -> None:
        text = []
        if inputs > 1:
            text.append(str(pos))
        if child is not None and (input_nr != 0 or self.model.ops[child]._num_outputs > 1):
            text.append(f"input {input_nr}")
        attrs = {}
        if text:
            attrs["label"] = escape(" \u2192 ".join(text) if len(text) == 2 else text[0])
            self.labelled_edges = True
        if dashed:
            attrs["style"] = "dashed"
        if child is not None and (i, child) in self.marked_edges:
            attrs.update(color=style.HIGHLIGHT, penwidth="2.5")
        self.picture.edge(f"n{i}", dst, **attrs)

    def _legend(self) -> None:
        rows: list[tuple[str, str, str]] = []  # text, fill, border
        for kind in style.LEGEND:
            if kind == "op" and self.orders is not None:
                continue
            if kind in self.kinds_used:
                look = style.LOOKS[kind]
                rows.append((style.LEGEND[kind], look.fill, look.border))
        if self.orders is not None:
            for order in sorted(self.orders_used):
                look = style.order_look(order)
                rows.append((style.order_meaning(order), look.fill, look.border))
        if "highlight" in self.kinds_used:
            rows.append(("highlighted", "#ffffff", style.HIGHLIGHT))
        lines = [Line("Legend", "t")]
        tokens = ["swatch_none"]
        lines += [Line(f"{SWATCH} {text}", "n") for text, _, _ in rows]
        tokens += [swatch_token(fill, border) for _, fill, border in rows]
        if self.labelled_edges:
            lines.append(Line(style.EDGE_NOTE, "m"))
            tokens.append("swatch_none")
        if len(lines) == 1:
            return
        text, token = label(lines)
        # A first line holding a no-break space keeps the legend off the boxes above it. (Not
        # an empty line: an empty first line in a graph label crashes the wasm Graphviz.)
        text = graphviz.nohtml("\u00a0\\l" + text)
        token = "lines_m" + token[len("lines_"):]
        self.picture.attr("graph", label=text, labelloc="b", labeljust="l",
                          _attributes={"class": " ".join(["legend", token, "swatch_none",
                                                          *tokens])})


def _reach(start: set[int], adjacency: Sequence[Sequence[tuple[int | None, int]]]) -> set[int]:
    seen = set(start)
    queue = deque(start)
    while queue:
        node = queue.popleft()
        for nxt, _ in adjacency[node]:
            if nxt is not None and nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _saved_values(node: Node) -> list[tuple[str, str]]:
    """The non-tensor values a node keeps for its backward (``alpha``, ``dim``, ...)."""
    values = []
    for cls in type(node).__mro__:
        for slot in getattr(cls, "__slots__", ()):
            if slot in _BASE_SLOTS or slot.startswith("_"):
                continue
            value = getattr(node, slot, None)
            if value is not None:
                values.append((slot, _short_repr(value)))
    return values


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "\u2026"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _tensor_hooks(t: "Tensor", node: Node | None, output_nr: int) -> int:
    if t.grad_fn is None:
        return len(t._hooks or {})
    hooks = (node._tensor_pre_hooks or {}).get(output_nr) if node is not None else None
    return len(hooks or {})


def _node_hooks(node: Node, shown: set[int]) -> str:
    """``hooks: 1 pre-hook, 2 hooks`` (tensor hooks of outputs drawn elsewhere excluded)."""
    parts = []
    if node._pre_hooks:
        parts.append(_plural(len(node._pre_hooks), "pre-hook"))
    if node._hooks:
        parts.append(_plural(len(node._hooks), "hook"))
    tensor_hooks = sum(len(hooks) for nr, hooks in (node._tensor_pre_hooks or {}).items()
                       if nr not in shown)
    if tensor_hooks:
        parts.append(_plural(tensor_hooks, "tensor hook"))
    return "hooks: " + ", ".join(parts) if parts else ""
