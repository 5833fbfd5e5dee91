"""Random small autograd programs, written once as plain data and run under two libraries.

``program_strategy()`` (hypothesis) draws a *program*: a few leaves (shapes, values, dtype,
whether the program sees the leaf itself or a view of it) and a list of *instructions* (tuples
of names and small integers). ``run(torch_like, program)`` runs it against a library and
returns a *trace*: one record per instruction with what can be observed (the tensors made, their
printed repr, values, dtype, flags, grad_fn and the whole graph below it, with the shape of each
AccumulateGrad's leaf; the leaves' ``.grad``; the hooks that ran and what they saw; warnings; the error raised, if
any). ``compare(expected, actual)`` checks that two traces agree.

Instructions refer to tensors by index into a *pool* (leaves first, then every tensor made),
taken modulo its size, so any drawn integer is valid and hypothesis shrinks freely. An
instruction that fails records its error and the program goes on (PyTorch leaves its state
unchanged after a failed op, and so must we).

Two program shapes are drawn (one strategy): mixes of any instructions, and *op chains*: a few
ops on the leaves and on the results so far, then ``autograd.grad`` of a loss
``(t * t).sum() + t.sum()`` of the last result, with or without ``create_graph`` and then a
second ``autograd.grad`` through that gradient (the shape of the first fuzzer,
test_engine_random_programs, folded in here). A leaf's values all come from a fixed set (ties
and zeros, for kinks and subgradients), or are all any float32 in [-2, 2].

What the instructions cover:

* ops: pointwise unary and binary (with broadcasting; remainder ``%`` too, also of a number by
  a tensor, which has no derivative), reductions (norm with p=2 and p=3), shape ops (views and
  slices along the first and the last dimension, expand of size-1 dimensions, squeeze with and
  without a dim, iterating a tensor), matmul (1-D and 2-D operands), mv, cat/stack;
* in-place ops on non-leaves and through their views (CopySlices; version counter, "modified
  by an inplace operation" errors),
  ``detach``/``detach_``, ``retain_grad``, ``requires_grad_``;
* tensor hooks (logging, or replacing the gradient), node pre-hooks and hooks, post-accumulate
  hooks, handle removal;
* ``backward`` and ``autograd.grad`` with random ``retain_graph``, ``create_graph``, ``inputs``,
  ``grad_tensors``/``grad_outputs``, ``allow_unused``, ``materialize_grads``; their results join
  the pool, so later instructions build second derivatives; second calls on a freed graph;
* nodes called by hand (``t.grad_fn(g)``), ``.grad`` reset or zeroed;
* ops under ``no_grad``, custom Functions (saved inputs and outputs, once_differentiable,
  several outputs, mark_dirty, None gradients).

Left out on purpose (known differences, each explained where it is left out): transposes and
permutes (PyTorch's strides make later reshapes record other nodes), in-place ops on views of
outputs of multi-output ops.
"""
from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st

# == the program, as plain data ===================================================================
SHAPES = [(2, 2), (2,), (2, 1), (1, 2), (), (3, 2), (2, 2, 2)]
VALUES = [-2.0, -1.5, -1.0, -0.5, 0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0]

UNARY = {
    "neg": lambda T, a: -a,
    "exp": lambda T, a: (a * 0.5).exp(),
    "abs": lambda T, a: a.abs(),
    "relu": lambda T, a: a.relu(),
    "sigmoid": lambda T, a: a.sigmoid(),
    "tanh": lambda T, a: a.tanh(),
    "square": lambda T, a: a * a,
    "pow": lambda T, a: a ** 2,
    "pow3": lambda T, a: a.pow(3),
    "recip": lambda T, a: 1 / (a.abs() + 1),
    "log": lambda T, a: (a * a + 1).log(),
    "sqrt": lambda T, a: (a * a + 1).sqrt(),
    "sin": lambda T, a: a.sin(),
    "rpow": lambda T, a: 1.5 ** a,
    "scale": lambda T, a: 2.5 * a - 1,
    "rsub": lambda T, a: 1 - a,
    "clone": lambda T, a: a.clone(),
    "clamp": lambda T, a: a.clamp(-1, 1),
    "softmax": lambda T, a: a.softmax(-1) if a.dim() else a.exp(),
    "masked_fill": lambda T, a: a.masked_fill(a > 0.5, 0.25),
    "float64": lambda T, a: a.double(),
    "mod": lambda T, a: a % 1.5,
    # number % tensor: PyTorch has no derivative (a NotImplemented node, any backward through
    # it fails)
    "rmod": lambda T, a: 2.5 % a,
}
BINARY = {
    "add": lambda T, a, b: a + b,
    "add_alpha": lambda T, a, b: T.add(a, b, alpha=2),
    "sub": lambda T, a, b: a - b,
    "mul": lambda T, a, b: a * b,
    "div": lambda T, a, b: a / (b.abs() + 1),
    "where": lambda T, a, b: T.where(a > b, a, b),
    "maximum": lambda T, a, b: T.maximum(a, b),
    "remainder": lambda T, a, b: a % b,
    "remainder_fn": lambda T, a, b: T.remainder(a, b.abs() + 0.5),
    # op difference: for a float32 base and a float64 exponent, PyTorch's PowBackward1 takes
    # the log of the base cast to float64 (ToCopyBackward0 in a create_graph result), ours of
    # the float32 base: the exponent is cast to the base's dtype here
    "pow": lambda T, a, b: (a.abs() + 0.5) ** b.to(a.dtype),
}
def _norm(a: Any, p: int, dim: Any, keepdim: bool) -> Any:
    """``a.norm(p=p)`` over ``dim`` (over everything for None). Op difference: over a single
    element whose p-th power underflows (a float32 |x| below about 1e-19 for p=2, 1e-13 for
    p=3), PyTorch's norm is |x|, with a gradient of 1 (p=2) or nan (p=3); ours is 0, with a
    gradient of 0. Such a reduction is written as abs().sum() here (the same value)."""
    single = a.numel() == 1 if dim is None else (a.dim() == 0 or a.shape[dim] == 1)
    if single and any(0 < abs(v) < 1e-12 for v in a.detach().reshape(-1).tolist()):
        return a.abs().sum() if dim is None else a.abs().sum(dim, keepdim=keepdim)
    return a.norm(p=p) if dim is None else a.norm(p=p, dim=dim, keepdim=keepdim)


REDUCE = {
    "sum": lambda T, a, d, k: a.sum() if d is None else a.sum(d, keepdim=k),
    "mean": lambda T, a, d, k: a.mean() if d is None else a.mean(d, keepdim=k),
    "prod": lambda T, a, d, k: a.prod() if d is None else a.prod(d, keepdim=k),
    "amax": lambda T, a, d, k: a.amax() if d is None else a.amax(d, keepdim=k),
    "norm": lambda T, a, d, k: _norm(a, 2, d, k),
    "norm3": lambda T, a, d, k: _norm(a, 3, d, k),
    "logsumexp": lambda T, a, d, k: a.logsumexp(0 if d is None else d, keepdim=k),
}
SHAPE_OPS = {
    "view_flat": lambda T, a, p: a.view(-1),
    "view_back": lambda T, a, p: a.view(-1).view(a.shape),
    "reshape": lambda T, a, p: a.reshape(-1, 1),
    "unsqueeze": lambda T, a, p: a.unsqueeze(p % (a.dim() + 1)),
    "squeeze": lambda T, a, p: a.squeeze(),
    "squeeze_dim": lambda T, a, p: a.squeeze(p % max(a.dim(), 1)),
    "expand": lambda T, a, p: a.expand(2, *a.shape),
    # (op difference: a.expand() without sizes is a TypeError in PyTorch ("expand() missing 1
    # required positional arguments"), ours returns the 0-d tensor: sizes given as a tuple)
    "expand_ones": lambda T, a, p: a.expand(tuple(2 if n == 1 else n for n in a.shape)),
    "index": lambda T, a, p: a[p % a.shape[0]] if a.dim() else a * 1,
    "slice": lambda T, a, p: a[1:] if a.dim() else a * 1,
    "slice_mid": lambda T, a, p: a[1:3] if a.dim() else a * 1,
    # (a slice along the last dimension of size 2 keeps one column: contiguous, see "select")
    "slice_col": lambda T, a, p: (a[:, 1:] if p % 2 else a[:, :1]) if a.dim() > 1 else a * 1,
    # op difference: after an in-place change of the base (or of another view), PyTorch
    # refuses to use an output of a multi-output view op (unbind, chunk: "Output 1 of Split is
    # a view and its base or another view of its base has been modified inplace...") and names
    # the view's own op when one is modified; ours does not yet: their outputs are cloned here
    "unbind": lambda T, a, p: a.unbind(0)[p % a.shape[0]].clone() if a.dim() else a * 1,
    "flatten": lambda T, a, p: a.flatten(),
    # iterating a tensor (unbind) and stacking all its rows, in reverse: a fresh tensor
    "iter_stack": lambda T, a, p: T.stack(list(a)[::-1]),
    # (along the first dimension: a select along the last one is not contiguous, and ops on
    # such tensors record other reshape nodes than PyTorch's, see "transposes" above)
    "select": lambda T, a, p: a.select(0, 0) if a.dim() else a * 1,
    "narrow": lambda T, a, p: a.narrow(0, 0, 1) if a.dim() else a * 1,
    "chunk": lambda T, a, p: a.chunk(2)[-1].clone() if a.dim() else a * 1,
    "index_tensor": lambda T, a, p: a[T.tensor([1, 0, 1]) % a.shape[0]] if a.dim() else a * 1,
}
MATMUL = {
    # op difference: matmul with a 3-D operand records other nodes than PyTorch's (which folds
    # the batch dimensions with reshapes: UnsafeView/ReshapeAlias/Clone): up to 2-D here
    "matmul": lambda T, a, b: a @ b if a.dim() <= 2 and b.dim() <= 2 else a * b,
    "mm": lambda T, a, b: T.mm(a, b),
    "mv": lambda T, a, b: T.mv(a, b),
    "dot": lambda T, a, b: T.dot(a, b),
    "outer": lambda T, a, b: T.outer(a, b),
}
JOIN = {
    "cat": lambda T, a, b: T.cat([a, b]),
    "stack": lambda T, a, b: T.stack([a, b]),
}
def _apart(a: Any, b: Any) -> Any:
    """``b``, or a copy of it if it may share memory with ``a``: op difference, an in-place op
    whose operand overlaps the written tensor is refused by PyTorch ("unsupported operation:
    some elements of the input tensor and the written-to tensor refer to a single memory
    location"), not by ours."""
    base_a, base_b = a._base if a._base is not None else a, b._base if b._base is not None else b
    return b.detach().clone() if base_a is base_b else b


INPLACE = {  # applied to a non-leaf (a clone if the chosen tensor is a leaf)
    "add_": lambda T, a, b: a.add_(_apart(a, b)),
    "add_alpha_": lambda T, a, b: a.add_(_apart(a, b), alpha=2),
    "mul_": lambda T, a, b: a.mul_(2),
    "mul_t": lambda T, a, b: a.mul_(_apart(a, b)),
    "relu_": lambda T, a, b: a.relu_(),
    "exp_": lambda T, a, b: a.exp_(),
    # (op difference: zero_ of an expanded tensor is allowed by PyTorch, refused by ours as
    # "more than one element of the written-to tensor refers to a single memory location")
    "zero_": lambda T, a, b: a.zero_() if a.grad_fn is None or a.grad_fn.name() not in (
        "ExpandBackward0",) else a.mul_(0),
    "sigmoid_": lambda T, a, b: a.sigmoid_(),
}
# in-place ops through views of a non-leaf that is not itself a view (CopySlices). (In-place
# ops on outputs of unbind/chunk: see the comment at "unbind" in SHAPE_OPS.)
VIEW_INPLACE = {
    "view_add_": lambda T, a: a.view(-1).add_(1),
    "slice_copy_": lambda T, a: a[:1].copy_(a[:1] * 3) if a.dim() else a.add_(1),
    "setitem": lambda T, a: a.__setitem__(0, 5.0) if a.dim() else a.fill_(5.0),
    "index_mul_": lambda T, a: a[0].mul_(T.tensor(2.0)) if a.dim() else a.mul_(T.tensor(2.0)),
    "view_mul_": lambda T, a: a.view(-1).mul_(T.tensor(-1.5)),
    "slice_mul_": lambda T, a: a[:1].mul_(T.tensor(3.0)) if a.dim() else a.mul_(T.tensor(3.0)),
}

HOOKS = ["log", "double", "plus_one", "identity", "remove_after"]


def custom_functions(T: Any) -> dict:
    """A few custom autograd Functions, written against the library ``T``."""
    F = T.autograd.Function

    class Square(F):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 2 * x * g

    class Once(F):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.exp()

        @staticmethod
        @T.autograd.function.once_differentiable
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * x.exp()

    class TwoOut(F):  # two outputs, a number argument, an output saved
        @staticmethod
        def forward(ctx, x, k):
            y = x * k
            ctx.save_for_backward(y)
            ctx.k = k
            return y, x + 1

        @staticmethod
        def backward(ctx, gy, gz):
            y, = ctx.saved_tensors
            return gy * ctx.k + gz, None

    class ScaleDirty(F):  # modifies its (non-leaf) input in place
        @staticmethod
        def forward(ctx, x):
            x.mul_(3)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 3

    class NoneGrad(F):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g, None

    return {"square": lambda a, b: Square.apply(a), "once": lambda a, b: Once.apply(a),
            "two_out": lambda a, b: TwoOut.apply(a, 2.0)[0],
            "two_out_second": lambda a, b: TwoOut.apply(a, 2.0)[1],
            "dirty": lambda a, b: ScaleDirty.apply(a * 1),
            "none_grad": lambda a, b: NoneGrad.apply(a, b)}


CUSTOM = ["square", "once", "two_out", "two_out_second", "dirty", "none_grad"]

small = st.integers(0, 15)


def _leaf() -> st.SearchStrategy:
    return st.tuples(st.sampled_from(range(len(SHAPES))),
                     st.one_of(st.lists(st.sampled_from(VALUES), min_size=8, max_size=8),
                               st.lists(st.floats(-2, 2, allow_nan=False, width=32),
                                        min_size=8, max_size=8)),
                     st.sampled_from(["float32", "float32", "float64"]),
                     st.sampled_from([True, True, True, False]),  # requires_grad
                     # the pool gets the leaf, flat, and then a view of it in the shape drawn
                     st.sampled_from([False, False, False, True]))


def _op_instruction() -> st.SearchStrategy:
    """An instruction that makes a tensor by an op (no hooks, no backward, no detach)."""
    return st.one_of(
        st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), small),
        st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)), small, small),
        st.tuples(st.just("reduce"), st.sampled_from(sorted(REDUCE)), small,
                  st.sampled_from([None, 0, -1]), st.booleans()),
        st.tuples(st.just("shape"), st.sampled_from(sorted(SHAPE_OPS)), small, small),
        st.tuples(st.just("matmul"), st.sampled_from(sorted(MATMUL)), small, small),
        st.tuples(st.just("join"), st.sampled_from(sorted(JOIN)), small, small),
        st.tuples(st.just("inplace"), st.sampled_from(sorted(INPLACE)), small, small),
        st.tuples(st.just("view_inplace"), st.sampled_from(sorted(VIEW_INPLACE)), small),
    )


def _instruction() -> st.SearchStrategy:
    backward = st.tuples(st.just("backward"), small,
                         st.sampled_from(["sum", "grad_tensor", "plain", "all", "all",
                                          "loss"]),
                         st.sampled_from([None, True, False]),  # retain_graph
                         st.booleans(),  # create_graph
                         st.lists(small, max_size=2))  # inputs (empty: None)
    grad = st.tuples(st.just("grad"), st.lists(small, min_size=1, max_size=2),
                     st.lists(small, min_size=1, max_size=2),
                     st.sampled_from(["sum", "grad_tensor", "all", "loss"]),
                     st.sampled_from([None, True]),  # retain_graph
                     st.booleans(),  # create_graph
                     st.sampled_from(["no", "allow_unused", "materialize"]))
    return st.one_of(
        _op_instruction(),
        st.tuples(st.just("detach"), small, st.booleans()),
        st.tuples(st.just("retain_grad"), small),
        st.tuples(st.just("requires_grad_"), small, st.booleans()),
        st.tuples(st.just("hook"), small, st.sampled_from(HOOKS)),
        st.tuples(st.just("node_hook"), small, st.sampled_from(["pre", "post", "pre_scale",
                                                                "post_none"])),
        st.tuples(st.just("post_acc_hook"), small),
        backward, backward, grad, grad,
        st.tuples(st.just("call_node"), small),
        st.tuples(st.just("no_grad"), st.sampled_from(sorted(UNARY)), small),
        st.tuples(st.just("custom"), st.sampled_from(sorted(CUSTOM)), small, small),
        st.tuples(st.just("reset_grad"), small, st.sampled_from(["none", "zero_"])),
    )


def _chain(ops: list, second_order: bool) -> list:
    """An op chain's instructions: the ops, ``autograd.grad`` of the loss of the last result
    (pick_root(0): the most recent tensor that requires grad) w.r.t. the first two tensors that
    require grad (the leaves, or their views), and, with ``second_order``, the gradient of the
    most recent gradient w.r.t. the same tensors (a second derivative)."""
    first = ("grad", [0], [0, 1], "loss", None, second_order, "allow_unused")
    second = ("grad", [0], [0, 1], "sum", None, False, "allow_unused")
    return list(ops) + [first] + ([second] if second_order else [])


def program_strategy(max_instructions: int = 10) -> st.SearchStrategy:
    """The one strategy for random programs: ``(leaves, instructions)``; one program in five
    or so is an op chain (see the module docstring)."""
    leaves = st.lists(_leaf(), min_size=1, max_size=3)
    # four distinct (equal) strategies: one_of drops a branch it already has
    mixed = [st.lists(_instruction(), min_size=2, max_size=max_instructions) for _ in range(4)]
    chain = st.builds(_chain, st.lists(_op_instruction(), min_size=1, max_size=6),
                      st.booleans())
    return st.tuples(leaves, st.one_of(*mixed, chain))


# == running a program ============================================================================
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_MODULE = re.compile(r"\bautograd_lab\.")
_TRIGGERED = re.compile(r" \(Triggered internally at [^)]*\)$")
# given once per process by both libraries: whichever ran a create_graph backward first
_ONCE = "Using backward() with create_graph=True will create a reference cycle"


def clean(text: Any) -> str:
    text = _MODULE.sub("torch.", _ADDRESS.sub("0xADDR", str(text)))
    return _TRIGGERED.sub("", text)


def _graph(t: Any) -> tuple:
    """The graph below ``t`` as comparable tuples (node numbers in discovery order)."""
    node = t.grad_fn
    if node is None:
        return ()
    numbers = {id(node): 0}
    keep, queue, out = [node], [node], []
    while queue:
        n = queue.pop(0)
        edges = []
        for fn, nr in n.next_functions:
            if fn is None:
                edges.append((None, nr))
                continue
            if id(fn) not in numbers:
                numbers[id(fn)] = len(numbers)
                keep.append(fn)
                queue.append(fn)
            edges.append((numbers[id(fn)], nr))
        variable = getattr(n, "variable", None)  # AccumulateGrad: its leaf's shape
        out.append((type(n).__name__, n.name(), tuple(edges),
                    None if variable is None else tuple(variable.shape)))
        if len(out) > 200:
            break
    return tuple(out)


@dataclass
class TensorView:
    """What is observed of one tensor."""
    repr: str
    meta: tuple  # dtype, shape, requires_grad, is_leaf, grad_fn name, version
    values: np.ndarray
    graph: tuple


def observe(t: Any, graph: bool = True, version: bool = False) -> Any:
    """A tensor (or a tuple of them) as comparable data. The version counter is compared only
    for what in-place instructions return (``version=True``): the version of a tensor that a
    derivative formula made depends on how the formula made it (PyTorch builds
    IndexBackward0's result with an in-place index_put_: version 1), and so does a leaf's first
    .grad (version 1 when AccumulateGrad copied the incoming gradient, 0 when it could take it
    over, which depends on C++ reference counts); ours are 0. Ops that return their input
    (flatten of a 1-D tensor) pass such versions on."""
    if t is None:
        return None
    if isinstance(t, (tuple, list)):
        return tuple(observe(x, graph, version) for x in t)
    if not hasattr(t, "grad_fn"):
        return ("value", t)
    values = np.array(t.detach().tolist(), dtype=float)
    meta = (str(t.dtype), tuple(t.shape), t.requires_grad, t.is_leaf,
            None if t.grad_fn is None else type(t.grad_fn).__name__,
            t._version if version else None)
    return TensorView(clean(repr(t)), meta, values, _graph(t) if graph else ())


@dataclass
class Step:
    instruction: tuple
    made: Any = None  # observation of the result (or None)
    error: tuple | None = None
    warnings: list = field(default_factory=list)
    hooks: list = field(default_factory=list)
    grads: Any = None  # the leaves' .grad after a backward-like instruction


class _Runner:
    def __init__(self, T: Any, leaves: list) -> None:
        self.T = T
        self.pool: list = []
        self.leaves: list = []
        self.hook_log: list = []
        self.handles: list = []
        self.custom = custom_functions(T)
        for shape_id, values, dtype, requires_grad, *as_view in leaves:
            shape = SHAPES[shape_id]
            n = math.prod(shape)
            data = T.tensor(values[:n], dtype=getattr(T, dtype))
            if as_view and as_view[0]:
                # a flat leaf seen through a view (ViewBackward0 when it requires grad), as
                # the first fuzzer's x = tensor(..., requires_grad=True).view(2, 2)
                leaf = data.detach().requires_grad_(requires_grad)
                self.pool.extend([leaf, leaf.view(shape)])
            else:
                leaf = data.reshape(shape).detach().requires_grad_(requires_grad)
                self.pool.append(leaf)
            self.leaves.append(leaf)

    def pick(self, i: int) -> Any:
        return self.pool[i % len(self.pool)]

    def pick_where(self, i: int, ok: Any) -> Any:
        """A tensor for which ``ok(t)`` holds (any tensor for i >= 14, or if none does: so that
        errors are tested too, but rarely)."""
        candidates = [t for t in self.pool if ok(t)]
        if i >= 14 or not candidates:
            return self.pick(i)
        return candidates[i % len(candidates)]

    def pick_grad(self, i: int) -> Any:
        return self.pick_where(i, lambda t: t.requires_grad)

    def pick_root(self, i: int) -> Any:
        """A tensor that requires grad, counted from the most recent (roots of backward calls:
        recent tensors depend on more of the program)."""
        candidates = [t for t in self.pool if t.requires_grad]
        if i >= 14 or not candidates:
            return self.pick(i)
        return candidates[-1 - i % len(candidates)]

    def pick_partner(self, a: Any, j: int, ok: Any) -> Any:
        return self.pick_where(j, lambda t: ok(a, t))

    def scalar(self, t: Any, how: str) -> tuple:
        """``(root, gradient)`` for a backward from ``t`` (or, for "all", from the sum of every
        tensor that requires grad: a pass that reaches every hook)."""
        if how == "all":
            # (u * 1).sum(): a 0-d leaf's u.sum() passes on the incoming gradient itself, which
            # PyTorch's AccumulateGrad may then keep as .grad, shared by two leaves (a known
            # difference: see tests/test_autograd_tensor.py)
            total = None
            for u in self.pool:
                if u.requires_grad:
                    total = (u * 1).sum() if total is None else total + (u * 1).sum()
            return (t.sum() if total is None else total), None
        if how == "sum":
            return t.sum(), None
        if how == "loss":  # the first fuzzer's loss: t used twice, so gradients depend on it
            return (t * t).sum() + t.sum(), None
        if how == "grad_tensor":
            g = self.T.ones_like(t) * 0.5 if t.dtype.is_floating_point else None
            return t, g
        return t, None

    def log_hook(self, tag: str, kind: str) -> Any:
        T = self.T

        def show(x: Any) -> Any:
            if x is None:
                return None
            if isinstance(x, tuple):
                return tuple(show(v) for v in x)
            return (str(x.dtype), tuple(x.shape), np.array(x.detach().tolist(), dtype=float))

        def hook(*args: Any) -> Any:
            self.hook_log.append((tag, kind, tuple(show(a) for a in args)))
            if kind == "double":
                return args[0] * 2
            if kind == "plus_one":
                return args[0] + 1
            if kind == "identity":
                return args[0]
            if kind == "pre_scale":
                return tuple(None if g is None else g * 3 for g in args[0])
            if kind == "post_none":
                return tuple(None for _ in args[0])
            if kind == "remove_after":
                self.handles[-1].remove() if self.handles else None
            return None
        hook.__name__ = f"{tag}_{kind}"
        del T
        return hook

    def grads(self) -> tuple:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return tuple(observe(leaf.grad) for leaf in self.leaves)

    def execute(self, ins: tuple) -> tuple:
        """Run one instruction: ``(made, grads)``."""
        T = self.T
        kind = ins[0]
        if kind == "unary":
            return self.add(UNARY[ins[1]](T, self.pick(ins[2]))), None
        if kind == "binary":
            a = self.pick(ins[2])
            b = self.pick_partner(a, ins[3], _broadcastable)
            return self.add(BINARY[ins[1]](T, a, b)), None
        if kind == "reduce":
            a = self.pick(ins[2])
            dim = ins[3] if a.dim() else None
            return self.add(REDUCE[ins[1]](T, a, dim, ins[4])), None
        if kind == "shape":
            return self.add(SHAPE_OPS[ins[1]](T, self.pick(ins[2]), ins[3])), None
        if kind in ("matmul", "join"):
            a = self.pick(ins[2])
            b = self.pick_partner(a, ins[3], _FITS[ins[1]])
            table = MATMUL if kind == "matmul" else JOIN
            return self.add(table[ins[1]](T, a, b)), None
        if kind == "inplace":
            a = self.pick(ins[2])
            custom = a.grad_fn is not None and type(a.grad_fn).__module__.endswith(
                "autograd.function")
            if a.is_leaf or (custom and a.retains_grad):
                # in-place on a leaf is tested elsewhere; on an output of a custom Function
                # that retains grad, PyTorch 2.13 fails an internal assert ("out != nullptr
                # INTERNAL ASSERT FAILED ... variable.cpp"): its own bug, not copied
                a = a * 1
                self.add(a)
            return observe(INPLACE[ins[1]](T, a, self.pick(ins[3])), version=True), None
        if kind == "view_inplace":
            a = self.pick(ins[2])
            if a.is_leaf or a._base is not None:
                # op difference: for a view of an output of chunk/unbind, PyTorch's error names
                # the view's own op ("Output 0 of Select is a view ..."), ours the multi-output
                # op (Split): views of views are made from a fresh non-leaf here
                a = a * 1
                self.add(a)
            VIEW_INPLACE[ins[1]](T, a)
            return observe(a, version=True), None
        if kind == "detach":
            a = self.pick(ins[1])
            if ins[2]:
                if a._base is not None:
                    a = a * 1
                    self.add(a)
                return observe(a.detach_()), None
            return self.add(a.detach()), None
        if kind == "retain_grad":
            self.pick_grad(ins[1]).retain_grad()
            return None, None
        if kind == "requires_grad_":
            a = self.pick(ins[1])
            if ins[2]:
                # on a fresh leaf: a view made earlier of a tensor that is later made to require
                # grad requires grad in PyTorch (its base does); views do not follow yet
                a = a.detach().clone()
                self.pool.append(a)
            a.requires_grad_(ins[2])
            return observe(a, graph=False), None
        if kind == "hook":
            a = self.pick_grad(ins[1])
            self.handles.append(a.register_hook(self.log_hook(f"t{ins[1] % len(self.pool)}",
                                                              ins[2])))
            return None, None
        if kind == "node_hook":
            node = self.pick_grad(ins[1]).grad_fn
            if node is None:
                return None, None
            tag = f"n{ins[1] % len(self.pool)}"
            reg = node.register_prehook if ins[2].startswith("pre") else node.register_hook
            self.handles.append(reg(self.log_hook(tag, ins[2])))
            return None, None
        if kind == "post_acc_hook":
            a = self.pick_where(ins[1], lambda t: t.requires_grad and t.is_leaf)
            tag = f"acc{ins[1] % len(self.pool)}"
            self.handles.append(a.register_post_accumulate_grad_hook(
                lambda t: self.hook_log.append((tag, observe(t.grad, graph=False)))))
            return None, None
        if kind == "backward":
            _, i, how, retain, create, inputs = ins
            root, g = self.scalar(self.pick_root(i), how)
            kwargs = {"retain_graph": retain, "create_graph": create}
            if inputs:
                kwargs["inputs"] = [self.pick_grad(j) for j in inputs]
            if g is not None or how in ("plain", "all"):
                root.backward(g, **kwargs)
            else:
                root.backward(**kwargs)
            return None, self.grads()
        if kind == "grad":
            _, outs, ins_, how, retain, create, unused = ins
            roots, gouts = zip(*(self.scalar(self.pick_root(i), how) for i in outs))
            inputs = [self.pick_grad(j) for j in ins_]
            kwargs = {"retain_graph": retain, "create_graph": create}
            if unused == "allow_unused":
                kwargs["allow_unused"] = True
            elif unused == "materialize":
                kwargs["materialize_grads"] = True
            grad_outputs = None if how != "grad_tensor" else list(gouts)
            result = T.autograd.grad(list(roots), inputs, grad_outputs, **kwargs)
            for r in result:
                if r is not None:
                    self.pool.append(r)
            return (type(result).__name__, observe(result)), self.grads()
        if kind == "call_node":
            a = self.pick_grad(ins[1])
            node = a.grad_fn
            if node is None:
                return None, None
            result = node(T.ones_like(a))
            results = result if isinstance(result, tuple) else (result,)
            for r in results:
                if r is not None:
                    self.pool.append(r)
            return observe(results), None
        if kind == "no_grad":
            with T.no_grad():
                return self.add(UNARY[ins[1]](T, self.pick(ins[2]))), None
        if kind == "custom":
            return self.add(self.custom[ins[1]](self.pick(ins[2]), self.pick(ins[3]))), None
        if kind == "reset_grad":
            a = self.pick(ins[1])
            if ins[2] == "none":
                a.grad = None
            elif a.is_leaf and a.grad is not None:
                a.grad.zero_()
            return None, self.grads()
        raise ValueError(f"unknown instruction {kind}")

    def add(self, t: Any) -> Any:
        self.pool.append(t)
        return observe(t)


def _broadcastable(a: Any, b: Any) -> bool:
    for x, y in zip(reversed(a.shape), reversed(b.shape)):
        if x != y and x != 1 and y != 1:
            return False
    return True


_FITS = {
    "matmul": lambda a, b: a.dim() >= 1 and b.dim() >= 1 and (
        a.shape[-1] == b.shape[0] if b.dim() == 1 else a.shape[-1] == b.shape[-2]),
    "mm": lambda a, b: a.dim() == 2 and b.dim() == 2 and a.shape[1] == b.shape[0],
    "mv": lambda a, b: a.dim() == 2 and b.dim() == 1 and a.shape[1] == b.shape[0],
    "dot": lambda a, b: a.dim() == 1 and b.dim() == 1 and a.shape == b.shape,
    "outer": lambda a, b: a.dim() == 1 and b.dim() == 1,
    "cat": lambda a, b: a.dim() >= 1 and a.dim() == b.dim() and a.shape[1:] == b.shape[1:],
    "stack": lambda a, b: a.shape == b.shape,
}


def _observe_or_error(t: Any) -> Any:
    """A view whose base was changed in place may refuse to be looked at: record that."""
    try:
        return observe(t, graph=False)
    except RuntimeError as exc:
        return ("error", clean(exc))


def run(T: Any, program: tuple) -> list:
    """Run ``program`` against the library ``T``: the list of its Steps."""
    leaves, instructions = program
    runner = _Runner(T, leaves)
    trace = []
    # every program ends with a backward pass through everything that requires grad, so the
    # hooks registered anywhere run (or the freed graph is refused)
    for ins in list(instructions) + [("backward", 0, "all", None, False, [])]:
        step = Step(ins)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                step.made, step.grads = runner.execute(ins)
            except Exception as exc:  # compared with the other library's
                step.error = (type(exc).__name__, clean(exc))
        step.warnings = [(w.category.__name__, clean(w.message)) for w in caught
                         if not str(w.message).startswith(_ONCE)]
        step.hooks, runner.hook_log = runner.hook_log, []
        trace.append(step)
    final = Step(("final",))
    final.grads = runner.grads()
    final.made = tuple(_observe_or_error(t) for t in runner.pool)
    trace.append(final)
    return trace


# == comparing two traces =========================================================================
_NUMBER = re.compile(r"-?\d+\.?\d*(e[+-]?\d+)?")


def _masked(text: str) -> str:
    return re.sub(r"\s+", "", _NUMBER.sub("#", text))


def _same(e: Any, a: Any, path: str, rtol: float, atol: float) -> None:
    if isinstance(e, TensorView):
        assert isinstance(a, TensorView), f"{path}: expected a tensor, got {a!r}"
        assert a.meta == e.meta, f"{path}: tensor differs\n  torch: {e.meta}\n  lab:   {a.meta}"
        np.testing.assert_allclose(a.values, e.values, rtol=rtol, atol=atol, equal_nan=True,
                                   err_msg=f"{path}: values differ")
        if a.repr != e.repr:
            # printed numbers may round differently at the last digit, and a zero may have
            # another sign (-0. from one BLAS, 0. from another): the values are compared above
            assert _masked(a.repr) == _masked(e.repr), (
                f"{path}: repr differs\n  torch: {e.repr}\n  lab:   {a.repr}")
        assert a.graph == e.graph, (f"{path}: graph differs\n  torch: {e.graph}\n"
                                    f"  lab:   {a.graph}")
    elif isinstance(e, np.ndarray):
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, equal_nan=True, err_msg=path)
    elif isinstance(e, (tuple, list)):
        assert isinstance(a, (tuple, list)) and len(a) == len(e), (
            f"{path}: {a!r} != {e!r}")
        for k, (x, y) in enumerate(zip(e, a)):
            _same(x, y, f"{path}[{k}]", rtol, atol)
    else:
        assert a == e, f"{path}: {a!r} != {e!r}"


def compare(expected: list, actual: list, rtol: float = 1e-4, atol: float = 1e-5) -> None:
    """The traces agree: errors, warnings and hook logs exactly; tensors as TensorView says."""
    for k, (e, a) in enumerate(zip(expected, actual)):
        where = f"step {k} {e.instruction}"
        assert a.error == e.error, (f"{where}: error differs\n  torch: {e.error}\n"
                                    f"  lab:   {a.error}")
        assert a.warnings == e.warnings, (f"{where}: warnings differ\n  torch: {e.warnings}\n"
                                          f"  lab:   {a.warnings}")
        _same(e.hooks, a.hooks, f"{where} hooks", rtol, atol)
        _same(e.made, a.made, f"{where} result", rtol, atol)
        _same(e.grads, a.grads, f"{where} .grad", rtol, atol)
    assert len(actual) == len(expected)
