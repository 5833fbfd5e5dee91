"""``autograd_lab.autograd``: mirrors ``torch.autograd``.

``backward`` and ``grad`` drive the engine; ``Function`` defines custom ops; grad-mode switches
turn recording off and on; ``gradcheck``/``gradgradcheck`` compare gradients with finite
differences; ``functional.jacobian``/``hessian`` build whole derivative matrices;
``detect_anomaly`` finds the forward line behind a failing backward; ``Variable``/``variable``
are the legacy names.
"""
from .api import backward, grad
from .function import Function, FunctionCtx, InplaceFunction, NestedIOFunction, once_differentiable
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled,
                        is_inference_mode_enabled, no_grad, set_grad_enabled,
                        set_multithreading_enabled)
from .anomaly_mode import detect_anomaly, set_detect_anomaly
from .node import AccumulateGrad, Node, SavedTensor
from .variable import Variable, variable
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from . import anomaly_mode, function, functional, grad_mode, graph

__all__ = ["backward", "grad", "Function", "FunctionCtx", "InplaceFunction", "NestedIOFunction",
           "once_differentiable", "enable_grad", "inference_mode", "is_grad_enabled",
           "is_inference_mode_enabled", "no_grad", "set_grad_enabled",
           "set_multithreading_enabled", "detect_anomaly", "set_detect_anomaly", "Variable",
           "variable", "gradcheck", "gradgradcheck", "GradcheckError", "functional", "graph",
           "Node", "AccumulateGrad", "SavedTensor"]
