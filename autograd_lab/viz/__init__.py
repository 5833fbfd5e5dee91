"""Pictures of autograd graphs: ``render_graph(y)``.

Importing this package imports ``graphviz`` (the Python package); the WebAssembly Graphviz
that renders the pictures starts at the first render (or at ``warm_up()``).

Modules, one concept each: ``graph`` (render_graph: from a graph to DOT), ``walk`` (the
iterative walk into a model), ``names`` (variable names from the caller), ``highlight``
(marked paths), ``orders`` (derivative order of higher-order graphs), ``collapse`` (folding
large graphs), ``boxes`` (what each box says), ``labels`` (escaping and label text),
``picture_words`` (the words boxes and arrows say, in English and Chinese), ``widetext`` (room
for Chinese text), ``style`` (colours and legend, in both languages), ``textstyle`` (styling label lines in the SVG), ``picture``
(the Digraph subclass), ``render`` (the wasm and system backends), ``raster`` (PNG from the
SVG, with resvg) and ``svgpdf`` (PDF from the SVG). The chain rule on the picture:
``gradflow`` (the gradient along each arrow, ``show_grads=True``) and ``forward`` (the data-flow
view, ``view="forward"``).

The backward pass in motion: ``animate`` (animate_backward: replays a recorded pass),
``stepview`` and ``stepper`` (step_through: call each grad_fn by hand), ``passstate`` (the
state between two steps, read off the engine's trace), ``scene`` (what each box says at that
moment), ``frames`` and ``svgparts`` (one layout, one SVG per frame), ``explain`` (each step in
words), ``player`` (the HTML/JS player for no kernel), ``controls`` (the ipywidgets).
"""
from .animate import BackwardAnimation, animate_backward
from .graph import render_graph
from .picture import GraphPicture
from .stepper import Stepper
from .stepview import StepThrough, step_through
from .render import FormatNotAvailable, GraphvizNotFound, RenderError, warm_up

__all__ = ["render_graph", "GraphPicture", "warm_up", "RenderError", "GraphvizNotFound",
           "FormatNotAvailable", "animate_backward", "BackwardAnimation", "step_through",
           "StepThrough", "Stepper"]
