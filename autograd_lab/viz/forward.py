"""``render_graph(y, view="forward")``: the computation as data flow, inputs to output.

The backward graph's arrows point from the output down to the leaves (``next_functions``), the
way gradients go; a learner new to it reads them as "y feeds a". This view draws the same graph
the way the code ran: tensors (boxes) flow into operations (ellipses) that make new tensors,
arrows from the inputs to the output. Each operation is named after what it did (``mul``) and
the ``grad_fn`` it recorded (``MulBackward0``), which is the bridge to the backward view.

Everything comes from the same ``GraphModel`` as the backward view: a backward node is one
operation; its ``next_functions[i]`` is its input ``i`` (a leaf, another operation's output, or
``None``: an input that needs no gradient, shown as a constant, with its value when the node
saved it as ``self``/``other``); an operation's output is a box (named when a variable names
it, otherwise "tensor" with the shape its consumer recorded). With ``show_grads`` each arrow also
carries, backwards, the gradient of the tensor it comes from.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..autograd.node import AccumulateGrad, Node
from . import boxes, style
from .gradflow import Flow, value_text
from .highlight import Marks
from .labels import Line
from .names import Names
from .picture_words import shape_words, word
from .picture import GraphPicture
from .walk import GraphModel, TensorSpot, is_custom, op_name

if TYPE_CHECKING:
    from .graph import _Drawing

# next_functions positions of a binary op and the names its saved inputs have
_SAVED_INPUT = ("self", "other")


def forward_name(node: Node) -> str:
    """``MulBackward0`` -> ``mul``, ``NativeLayerNormBackward0`` -> ``native_layer_norm``; a
    custom Function's node -> ``Square.apply``."""
    name = op_name(node)
    if is_custom(node):
        return re.sub(r"Backward\d*$", "", name) + ".apply"
    base = re.sub(r"Backwards?\d*$", "", name) or name
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", base).lower()


def draw_forward(model: GraphModel, known: Names, flow: Flow | None, *, show_values: bool,
                 direction: str, legend: bool, backend: str, graph_attr: dict,
                 node_attr: dict, edge_attr: dict, max_nodes: int,
                 lang: str = "en") -> GraphPicture:
    """The forward picture of ``model``; see the module docstring."""
    from .graph import _Drawing
    if len(model.ops) > max_nodes:
        raise ValueError(f"view='forward' draws every operation (it does not fold), and this "
                         f"graph has {len(model.ops):,} nodes, more than max_nodes={max_nodes}: "
                         "draw the backward view, which folds large graphs, or raise max_nodes")
    picture = GraphPicture(name="autograd_graph", backend=backend, graph_attr=graph_attr,
                           node_attr=node_attr, edge_attr=edge_attr)
    drawing = _Drawing(model, known, Marks(), show_saved=False, show_none=False,
                       show_values=show_values, higher_order=False, lang=lang)
    drawing.flow = flow
    drawing.picture = picture
    _Forward(drawing, model, known, flow, show_values).draw()
    if legend:
        drawing.forward_note = True
        drawing._legend()
    return picture


class _Forward:
    """Writes the forward view's boxes and arrows through a ``_Drawing`` (its boxes, labels,
    gradient lines and legend are the backward view's)."""

    def __init__(self, drawing: "_Drawing", model: GraphModel, known: Names,
                 flow: Flow | None, show_values: bool) -> None:
        self.d = drawing
        self.model = model
        self.known = known
        self.flow = flow
        self.show_values = show_values
        self.lang = drawing.lang
        # (node, output_nr) -> the tensor drawn for it (outputs, named, retained; leaves at
        # their AccumulateGrad)
        self.spot_at: dict[tuple[int, int], int] = {}
        for k, spot in enumerate(model.tensors):
            if spot.op is not None:
                self.spot_at.setdefault((spot.op, spot.output_nr), k)

    def draw(self) -> None:
        k: int | None
        model = self.model
        used: dict[tuple[int, int], tuple[int, int]] = {}  # an op's output -> a consumer
        for i, kids in enumerate(model.children):
            for pos, (child, nr) in enumerate(kids):
                if child is not None:
                    used.setdefault((child, nr), (i, pos))
        for k, spot in enumerate(model.tensors):
            if spot.op is None:  # an output that is a leaf or needs no grad: a lone box
                self._tensor_box(f"t{k}", spot)
        for i, node in enumerate(model.ops):
            if isinstance(node, AccumulateGrad):
                k = self.spot_at.get((i, 0))
                if k is not None:
                    self._tensor_box(f"t{k}", model.tensors[k])
                continue
            self.d._box(f"o{i}", [Line(forward_name(node), "T"),
                                  Line(f"grad_fn: {op_name(node)}", "M")], "forward_op")
            for nr in range(node._num_outputs):
                k = self.spot_at.get((i, nr))
                if k is not None:
                    self._tensor_box(f"t{k}", model.tensors[k])
                elif (i, nr) in used:
                    self._plain_box(i, nr, used[(i, nr)])
                else:
                    continue
                self._edge(f"o{i}", self._value_id(i, nr), self._made_lines(i, nr))
            for pos, (child, nr) in enumerate(model.children[i]):
                text = [Line(str(pos), "N")] if len(model.children[i]) > 1 else []
                if child is None:
                    source = f"c{i}_{pos}"
                    self._constant_box(source, node, pos)
                    self._edge(source, f"o{i}", text, dashed=True)
                    continue
                self._edge(self._value_id(child, nr), f"o{i}",
                           text + self._sent_lines(i, pos, child, nr))

    # -- boxes ---------------------------------------------------------------------------------
    def _value_id(self, i: int, nr: int) -> str:
        k = self.spot_at.get((i, nr))
        return f"t{k}" if k is not None else f"v{i}_{nr}"

    def _tensor_box(self, box_id: str, spot: TensorSpot) -> None:
        node = self.model.ops[spot.op] if spot.op is not None else None
        lines = boxes.tensor_lines(spot, node, self.model.output_count, self.show_values,
                                   lang=self.lang)
        if isinstance(node, AccumulateGrad) and self.flow is not None:
            # what backward adds into .grad: the sum of the gradients on its arrows
            k = int(box_id[1:])
            lines += [Line(line.text + word(self.lang, "into_grad"), line.style)
                      for line in self.d.tensor_grad_line(k, spot)]
        self.d._box(box_id, lines, spot.kind)

    def _plain_box(self, i: int, nr: int, consumer: tuple[int, int]) -> None:
        """An output no variable names: its shape, as the node that uses it recorded it."""
        parent, pos = consumer
        lines = [Line(word(self.lang, "tensor"), "T")]
        meta = self.model.ops[parent]._input_meta
        if pos < len(meta) and meta[pos] is not None:
            shape, dtype = meta[pos][0], meta[pos][1]
            text = shape_words(tuple(shape), self.lang)
            if getattr(dtype, "name", "float32") != "float32":
                text += f", {dtype!r}"
            lines.append(Line(text, "M"))
        self.d._box(f"v{i}_{nr}", lines, "forward_tensor")

    def _constant_box(self, box_id: str, node: Node, pos: int) -> None:
        """An input that needs no gradient; its value when the node saved it."""
        t = None
        if pos < len(_SAVED_INPUT):
            for name, record in node.saved_tensors_items():
                if name == _SAVED_INPUT[pos] and not record.freed:
                    t = record.peek()
        if t is None:
            self.d._box(box_id, [Line(word(self.lang, "constant"), "T"),
                                 Line(word(self.lang, "no_gradient"), "I")], "constant")
            return
        spot = TensorSpot(t, "constant", list(self.known.of_tensor(t)), None)
        self.d._box(box_id, boxes.tensor_lines(spot, None, 1, self.show_values, lang=self.lang),
                    "constant")

    # -- arrows --------------------------------------------------------------------------------
    def _made_lines(self, i: int, nr: int) -> list[Line]:
        """op -> its output: with show_grads, the gradient that reached that output."""
        flow = self.flow
        if flow is None:
            return []
        received = flow.received.get(i)
        if received is None or nr >= len(received):
            return []
        k = self.spot_at.get((i, nr))
        name = None
        if k is not None and self.model.tensors[k].names:
            name = self.model.tensors[k].names[0]
        else:
            found = self.known.of_output(self.model.ops[i], nr)
            name = found[0] if found else None
        out = self.d.output_name()
        self.d.kinds_used.setdefault("grads")
        text = value_text(received[nr], self.lang)
        return [Line(f"\u2202{out}/\u2202{name} = {text}" if out and name else
                     word(self.lang, "grad_is", value=text), "G")]

    def _sent_lines(self, i: int, pos: int, child: int, nr: int) -> list[Line]:
        if self.flow is None:
            return []
        return self.d.grad_lines(i, pos, child, nr)

    def _edge(self, tail: str, head: str, lines: list[Line], dashed: bool = False) -> None:
        from .labels import label
        attrs: dict[str, Any] = {}
        if lines:
            attrs["label"], attrs["class"] = label(lines)
        if dashed:
            attrs["style"] = "dashed"
        self.d.picture.edge(tail, head, **attrs)
