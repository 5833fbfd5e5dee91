"""Pictures of autograd graphs: ``render_graph(y)``.

Importing this package imports ``graphviz`` (the Python package); the WebAssembly Graphviz
that renders the pictures starts at the first render (or at ``warm_up()``).

Modules, one concept each: ``graph`` (render_graph: from a graph to DOT), ``walk`` (the
iterative walk into a model), ``names`` (variable names from the caller), ``highlight``
(marked paths), ``orders`` (derivative order of higher-order graphs), ``collapse`` (folding
large graphs), ``boxes`` (what each box says), ``labels`` (escaping and label text),
``style`` (colours and legend), ``textstyle`` (styling label lines in the SVG), ``picture``
(the Digraph subclass), ``render`` (the wasm and system backends).
"""
from .graph import render_graph
from .picture import GraphPicture
from .render import FormatNotAvailable, GraphvizNotFound, RenderError, warm_up

__all__ = ["render_graph", "GraphPicture", "warm_up", "RenderError", "GraphvizNotFound",
           "FormatNotAvailable"]
