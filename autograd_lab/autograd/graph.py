"""``autograd.graph``: the node type, as ``torch.autograd.graph`` exposes it."""
from .node import Node, RemovableHandle

__all__ = ["Node", "RemovableHandle"]
