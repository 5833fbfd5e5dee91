"""autograd_lab: a small autograd engine on NumPy that behaves and prints like PyTorch's.

Lessons written for PyTorch run unchanged after ``import autograd_lab as torch``; the graph
behind any result can be drawn with ``render_graph(y)``.
"""
from . import dtypes as _dtypes
from .dtypes import (bool_ as bool, double, dtype, float, float16, float32, float64,  # noqa: A004
                     get_default_dtype, half, int, int8, int16, int32, int64, long,
                     set_default_dtype, short, uint8)
from .tensor import Size, Tensor
Tensor.__module__ = Size.__module__ = __name__  # named as PyTorch names them: torch.Tensor
from .factories import (arange, as_tensor, device, empty, empty_like, eye, from_numpy, full,
                        full_like, linspace, ones, ones_like, rand, randint, randn, randperm,
                        tensor, zeros, zeros_like)
from .ops import (abs, add, cat, clone, div, dot, eq, exp, ge, gt, le, log, logical_and,
                  logical_not, logical_or, lt, matmul, mean, mm, mul, mv, ne, neg, norm, pow,
                  reciprocal, relu, reshape, select, sign, squeeze, stack, sub, sum, t,
                  transpose, unbind, unsqueeze, where)
from .ops import flatten, permute
from .ops import addmm, bmm, log_softmax, logsumexp, outer, sigmoid, softmax, tanh
from .ops import (allclose, amax, amin, argmax, argmin, all, any, ceil, chunk, clamp,
                  clamp_max, clamp_min, clip, cos, equal, floor, gather, index_add, index_select,
                  isclose, masked_fill, masked_scatter, masked_select, max, maximum, min,
                  minimum, narrow, prod, round, rsub, scatter, scatter_add, sin, split, sqrt,
                  square, std, take_along_dim, trunc, var)
from .ops import expm1, log1p
from .ops import cumprod, cumsum, flip
from .ops import remainder
from .ops import (acos, acosh, asin, asinh, atan, atan2, atanh, cosh, erf, exp2, frac, log2,
                  log10, rsqrt, sinh, tan)
from .ops import index_copy, index_fill
from .ops import repeat_interleave
from .ops import layer_norm, tril, triu
from .ops import celu, celu_, hardshrink, prelu, selu, selu_, threshold, threshold_
from .devices import device, get_default_device, set_default_device
from .legacy_types import (BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor,
                           HalfTensor, IntTensor, LongTensor, ShortTensor)
from .ops import argsort, kthvalue, msort, sort, topk
from . import backends, cuda
from . import accelerator
from . import return_types
from .autograd.grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad,
                                 set_grad_enabled)
from .autograd.grad_mode import is_inference, is_inference_mode_enabled
from .autograd.anomaly_mode import (is_anomaly_check_nan_enabled, is_anomaly_enabled,
                                    set_anomaly_enabled)
from .random import Generator, default_generator, initial_seed, manual_seed, seed
from .random import get_rng_state, set_rng_state
from .ops import bernoulli, multinomial, normal
from .ops import histogram
from .factories import rand_like, randint_like, randn_like
from .printing import set_printoptions, get_printoptions
from . import autograd, nn, random
from . import optim
from . import utils
from . import linalg
from .language import get_language, set_language

__version__ = "0.1.0"


def is_tensor(obj: object) -> "bool":  # type: ignore[valid-type]
    """True if ``obj`` is a tensor."""
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> "int":  # type: ignore[valid-type]
    return input.numel()


def multiply(input, other):
    return mul(input, other)


def subtract(input, other, *, alpha=1):
    return sub(input, other, alpha=alpha)


def divide(input, other):
    return div(input, other)


def negative(input):
    return neg(input)


__all__ = [
    # types
    "Tensor", "Size", "dtype", "bool", "float", "float16", "float32", "float64", "double", "half",
    "int", "int8", "int16", "int32", "int64", "long", "short", "uint8", "get_default_dtype",
    "set_default_dtype", "device",
    # making tensors
    "tensor", "as_tensor", "from_numpy", "ones", "zeros", "empty", "full", "ones_like",
    "zeros_like", "empty_like", "full_like", "arange", "linspace", "eye", "rand", "randn",
    "randint", "randperm", "is_tensor", "numel",
    # ops
    "abs", "add", "cat", "clone", "div", "dot", "eq", "exp", "ge", "gt", "le", "log",
    "logical_and", "logical_not", "logical_or", "lt", "matmul", "mean", "mm", "mul", "mv", "ne",
    "neg", "norm", "pow", "reciprocal", "relu", "reshape", "select", "sign", "squeeze", "stack",
    "sub", "sum", "t", "transpose", "unbind", "unsqueeze", "where", "flatten", "permute",
    "multiply", "subtract", "divide", "negative",
    "addmm", "bmm", "outer", "sigmoid", "tanh", "softmax", "log_softmax", "logsumexp",
    "sqrt", "sin", "cos", "square", "floor", "ceil", "round", "trunc", "clamp", "clip",
    "clamp_min", "clamp_max", "maximum", "minimum", "rsub", "prod", "max", "min", "amax", "amin",
    "argmax", "argmin", "var", "std", "all", "any", "split", "chunk", "narrow", "index_select",
    "index_add", "gather", "scatter", "scatter_add", "take_along_dim", "masked_fill",
    "cumsum", "cumprod", "flip", "remainder", "log1p", "expm1",
    "masked_select", "masked_scatter", "isclose", "allclose", "equal", "return_types",
    "log10", "log2", "sinh", "cosh", "tan", "asin", "acos", "atan", "atan2", "asinh", "acosh",
    "atanh", "exp2", "rsqrt", "erf", "frac", "cuda", "backends", "index_copy", "index_fill", "set_default_device",
    "get_default_device",
    "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
    "CharTensor", "ByteTensor", "BoolTensor",
    "sort", "argsort", "msort", "topk", "kthvalue", "repeat_interleave",
    "tril", "triu", "layer_norm",
    # autograd
    "autograd", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
    "inference_mode", "is_inference", "is_inference_mode_enabled", "is_anomaly_enabled",
    "is_anomaly_check_nan_enabled", "set_anomaly_enabled",
    # random numbers, printing, modules
    "random", "Generator", "default_generator", "manual_seed", "seed", "initial_seed",
    "get_rng_state", "set_rng_state", "set_printoptions", "get_printoptions", "nn", "optim",
    "bernoulli", "multinomial", "normal", "utils", "histogram", "rand_like", "randn_like",
    "randint_like",
    # pictures (imported on first use: see __getattr__)
    "render_graph", "GraphPicture", "animate_backward", "step_through",
    "set_language", "get_language",
]

# Names served by autograd_lab.viz. They are imported on first access so that
# ``import autograd_lab`` does not pay for importing graphviz.
_LAZY_VIZ = frozenset({"render_graph", "GraphPicture", "animate_backward", "step_through"})


def __getattr__(name: str):
    if name in _LAZY_VIZ:
        from . import viz
        return getattr(viz, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# axis=/keepdims= (PyTorch's aliases of dim=/keepdim=) on every function and Tensor method, and
# out= on the common functions: installed last, on the names this package exports
from .ops.aliases import install as _install_aliases  # noqa: E402
_install_aliases(globals(), Tensor)
__all__ += ["accelerator"]
__all__ += ["linalg"]
__all__ += ["selu", "selu_", "celu", "celu_", "threshold", "threshold_", "prelu", "hardshrink"]
