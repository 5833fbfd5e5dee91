"""All operations, by family. Each module keeps an op's forward next to its backward node."""
from .pointwise import (abs, add, add_, clone, copy_, div, div_, div_scalar, eq, exp, fill_, ge,
                        gt, le, log, logical_and, logical_not, logical_or, lt, masked_fill,
                        masked_fill_, mul, mul_, mul_scalar, ne, neg, pow, pow_, reciprocal,
                        relu, relu_, rsub, sgn, sign, sub, sub_, sub_scalar, threshold_backward,
                        to, type_, where, zero_, zeros_like)
from .reduction import mean, norm, sum
from .linalg import addmm, bmm, dot, linear, matmul, mm, mv, outer
from .activation import log_softmax, logsumexp, sigmoid, softmax, tanh
from .shape import (alias, cat, expand, flatten, permute, reshape, select, slice_op, squeeze,
                    squeeze_, stack, t, transpose, unbind, unsqueeze, view)
from .indexing import delitem, getitem, index_put, index_put_, setitem
from ..factories import new_full, new_tensor, normal_, uniform_
from .pointwise import add_scalar
from .unary import (abs_, ceil, ceil_, cos, cos_, exp_, floor, floor_, log_, neg_, reciprocal_,
                    round, round_, sgn_, sigmoid_, sign_, sin, sin_, sqrt, sqrt_, square,
                    square_, tanh_, trunc, trunc_)
from .clamp import (clamp, clamp_, clamp_max, clamp_max_, clamp_min, clamp_min_, clip, clip_,
                    maximum, minimum)
from .reduction import all, any, prod
from .extrema import amax, amin, argmax, argmin, max, min
from .statistics import std, var
from .shape import expand_as, reshape_as, view_as
from .split import chunk, narrow, repeat, split, split_with_sizes
from .gather import (gather, index_add, index_add_, index_select, masked_scatter,
                     masked_scatter_, masked_select, scatter, scatter_, scatter_add,
                     scatter_add_, take_along_dim)
from .compare import allclose, equal, isclose
from .scan import cumprod, cumsum, flip
from . import remainder as remainder_ops  # (the module, before the name means the function)
from .remainder import remainder, remainder_
