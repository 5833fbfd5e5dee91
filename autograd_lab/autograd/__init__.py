"""``autograd_lab.autograd``: mirrors ``torch.autograd``.

``backward`` and ``grad`` drive the engine; ``Function`` defines custom ops; grad-mode switches
turn recording off and on; ``Variable``/``variable`` are the legacy names.
"""
from .api import backward, grad
from .function import Function, FunctionCtx, InplaceFunction, once_differentiable
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad,
                        set_grad_enabled)
from .node import AccumulateGrad, Node, SavedTensor
from .variable import Variable, variable
from . import graph

__all__ = ["backward", "grad", "Function", "FunctionCtx", "InplaceFunction",
           "once_differentiable", "enable_grad", "inference_mode", "is_grad_enabled", "no_grad",
           "set_grad_enabled", "Variable", "variable", "graph", "Node", "AccumulateGrad",
           "SavedTensor"]
