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
from .indexing import getitem, index_put, index_put_, setitem
from ..factories import normal_, uniform_
