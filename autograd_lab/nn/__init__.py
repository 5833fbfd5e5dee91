"""``autograd_lab.nn``: mirrors ``torch.nn`` (Module, Parameter, layers, losses, init)."""
from . import functional, init
from .module import Module
from .parameter import Parameter, UninitializedBuffer, UninitializedParameter
from .linear import Flatten, Identity, Linear
from .activation import LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .activation import (CELU, ELU, GELU, GLU, SELU, Hardshrink, Hardsigmoid, Hardswish,
                         Hardtanh, LeakyReLU, LogSigmoid, Mish, PReLU, ReLU6, SiLU, Softmin,
                         Softplus, Softshrink, Softsign, Tanhshrink, Threshold)
from .container import ModuleDict, ModuleList, Sequential
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss,
                   NLLLoss, SmoothL1Loss)
from .dropout import Dropout, Dropout1d, Dropout2d, Dropout3d
from .sparse import Embedding
from .lazy import LazyLinear
from .batchnorm import BatchNorm1d
from .normalization import LayerNorm
from .conv import Conv2d
from .pooling import (AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool2d, MaxPool1d,
                      MaxPool2d)

__all__ = ["Module", "Parameter", "Linear", "Identity", "Flatten", "ReLU", "Sigmoid", "Tanh",
           "Softmax", "LogSoftmax", "Sequential", "ModuleList", "ModuleDict", "MSELoss",
           "NLLLoss", "CrossEntropyLoss", "functional", "init", "Dropout",
           "Dropout1d", "Dropout2d", "Dropout3d",
           "Embedding", "BCELoss", "BCEWithLogitsLoss",
           "LazyLinear", "L1Loss", "HuberLoss", "SmoothL1Loss",
           "BatchNorm1d", "LayerNorm"]
__all__ += ["Conv2d", "AvgPool2d", "AdaptiveAvgPool2d", "MaxPool2d", "MaxPool1d",
            "AdaptiveMaxPool2d"]
from .parallel import DataParallel  # noqa: E402
__all__ += ["DataParallel"]
from .batchnorm import (BatchNorm2d, BatchNorm3d, LazyBatchNorm1d,  # noqa: E402
                        LazyBatchNorm2d, LazyBatchNorm3d)
from .conv import LazyConv2d  # noqa: E402
__all__ += ["BatchNorm2d", "BatchNorm3d", "LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d",
            "LazyConv2d", "UninitializedParameter", "UninitializedBuffer"]
from . import utils  # noqa: E402
__all__ += ["utils"]
__all__ += ["LeakyReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Softplus",
            "Hardtanh", "ReLU6", "Hardsigmoid", "Hardswish", "LogSigmoid", "Softsign",
            "Tanhshrink", "Threshold", "PReLU", "GLU", "Softmin", "Hardshrink", "Softshrink"]
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase  # noqa: E402
__all__ += ["RNNBase", "RNN", "GRU", "LSTM", "RNNCellBase", "RNNCell", "GRUCell", "LSTMCell"]
