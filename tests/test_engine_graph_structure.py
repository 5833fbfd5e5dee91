"""Graph structure against PyTorch: node names, ``next_functions`` and node identity.

Each program returns one or more tensors (or nodes); the graph below each is walked breadth
first from its ``grad_fn`` (``oracle.graph_signature``, iterative) under both libraries and the
two walks must be equal: same node classes and ``name()``, same ``(node, input_nr)`` edges with
``None`` where PyTorch has ``None``, and the same sharing (a node reached along two paths is one
object in both). A few torch-free tests pin known structures.
"""
import pytest

import autograd_lab as lab

from oracle import assert_same_graph, graph_signature, need_torch


def _roots(value):
    return value if isinstance(value, (tuple, list)) else (value,)


def check(program):
    torch = need_torch()
    expected, actual = _roots(program(torch)), _roots(program(lab))
    assert len(actual) == len(expected)
    for e, a in zip(expected, actual):
        assert_same_graph(e, a)


# -- the seeds' graphs and other small programs ---------------------------------------------------
def seed000_add_mul(torch):
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(x, w)
    b = torch.add(w, 1)
    return torch.mul(a, b)


def seed000_cat(torch):
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(x, w)
    b = torch.add(w, 1)
    return torch.cat([torch.mul(a, b), torch.add(a, b)], dim=0)


def seed001_sum_of_sum(torch):
    a = torch.ones((3, 4), requires_grad=True)
    b = torch.zeros(3, 4)
    return (a + b).sum()


def seed001_w_x_b(torch):
    x = torch.ones(1)
    w = torch.ones(1, requires_grad=True)
    b = torch.ones(1, requires_grad=True)
    return w * x + b


def seed001_builtin_sum(torch):
    x = torch.ones((3), requires_grad=True)
    w = torch.tensor([0.5, -1., 2.], requires_grad=True)
    return sum(w * x)


def seed002_dot(torch):
    x = torch.arange(4.0).requires_grad_(True)
    return 2 * torch.dot(x, x)


def seed002_detach(torch):
    x = torch.arange(4.0, requires_grad=True)
    u = (x * x).detach()
    u.requires_grad_()
    return (u * x).sum()


def seed002_control_flow(torch):
    a = torch.tensor(0.7, requires_grad=True)
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    return b if b.sum() > 0 else 100 * b


def seed002_scalar_sum(torch):
    a1 = torch.tensor([1.], requires_grad=True)
    return a1 * a1, a1.sum()


def seed004_relu(torch):
    b = torch.tensor(1.0, requires_grad=True)
    w = torch.tensor(2.0, requires_grad=True)
    x = torch.tensor(3.0)
    return torch.relu(w * x + b)


def seed004_custom_function(torch):
    class SquareAddFunction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return x ** 2 + y ** 2

        @staticmethod
        def backward(ctx, grad_output):
            x, y = ctx.saved_tensors
            return 2 * x * grad_output, 2 * y * grad_output
    x = torch.tensor(1.0, requires_grad=True)
    return SquareAddFunction.apply(x, torch.tensor(2.0)), SquareAddFunction.apply(x * 2, x)


def shared_node_diamond(torch):
    a = torch.tensor([1., 2.], requires_grad=True)
    b = a + a
    c = b * b
    return c + b


def same_leaf_many_times(torch):
    x = torch.tensor(1.5, requires_grad=True)
    return x * x * x + x


def two_outputs_one_graph(torch):
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    h = x.exp()
    return h.sum(), (h * 2).mean()


def unbind_outputs(torch):
    x = torch.arange(6.).reshape(2, 3).requires_grad_()
    a, b = x.unbind()
    return a * b, b.sum(), list(x)[1] + a


def indexing_chain(torch):
    x = torch.arange(12.).reshape(3, 4).requires_grad_()
    return x[1:, None, ::2][0, ..., 1] + x[-1, 2]


def views_chain(torch):
    x = torch.arange(6.).requires_grad_()
    y = x.view(2, 3).t().unsqueeze(0).expand(2, 3, 2).reshape(12)
    return y.flatten().squeeze(), x.reshape(3, 2).transpose(0, 1).permute(1, 0).squeeze(1)


def matmul_family(torch):
    m = torch.arange(6.).reshape(2, 3).requires_grad_()
    v = torch.tensor([1., 2., 3.], requires_grad=True)
    u = torch.tensor([1., -1.], requires_grad=True)
    return m @ v, u @ m, v @ v, torch.mm(m, m.t()), torch.mv(m, v), m.matmul(m.T)


def reductions(torch):
    x = torch.arange(6.).reshape(2, 3).requires_grad_()
    return (x.sum(), x.sum(0), x.sum(1, keepdim=True), x.mean(), x.mean(dim=1), x.norm(),
            x.norm(p=1), x.norm(dim=0), x.norm(p=3, dim=1, keepdim=True))


def pointwise_mix(torch):
    x = torch.tensor([0.5, 1.5, 2.5], requires_grad=True)
    w = torch.tensor([1., -2., 3.], requires_grad=True)
    return ((x - w) / (x + 1) * (1 - x) - 2 / x + x ** 2 - 2 ** w + x ** w, (-x).abs().exp(),
            x.log().relu(), torch.where(x > 1, x, w), torch.where(w > 0, x, 0.), x.reciprocal(),
            torch.add(x, w, alpha=2), torch.sub(x, w, alpha=3))


def promotion_and_casts(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    d = torch.tensor(2., dtype=torch.float64, requires_grad=True)
    return x * d, x.double() * 2, x.to(torch.float64) + d, x * torch.tensor([1, 2])


def stack_cat(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    c = torch.tensor([3., 4.])
    return torch.stack([x, c, x * 2], dim=1), torch.cat([c, x, c]), torch.cat([x.view(1, 2), c.view(1, 2)], 1)


def integer_index(torch):
    x = torch.arange(5.).requires_grad_()
    return x[torch.tensor([0, 2, 2])] * 2


def inplace_rebase(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    a = x * 2
    a += 1
    a.mul_(x)
    b = torch.zeros(2)
    b += x
    r = x.exp()
    r.relu_()
    return a, b, r


def grad_of_grad(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    y = (x ** 3).sum()
    g, = torch.autograd.grad(y, x, create_graph=True)
    h, = torch.autograd.grad(g.sum(), x, create_graph=True)
    return g, h


def grad_of_grad_products(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    w = torch.tensor([0.5, -1.], requires_grad=True)
    y = (x * x * w).sum() * x.sum() + torch.dot(x, w).exp()
    return torch.autograd.grad(y, (x, w), create_graph=True)


def backward_create_graph(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    w = torch.tensor([3., 4.], requires_grad=True)
    (x * w * x).sum().backward(create_graph=True)
    first = (x.grad, w.grad)
    (x * w).sum().backward(create_graph=True)  # accumulated: AddBackward0 on top
    return first + (x.grad, w.grad)


def retain_grad_create_graph(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    h = x * x
    h.retain_grad()
    (h * 3).sum().backward(create_graph=True)
    return h.grad, x.grad


def nodes_by_hand(torch):
    b = torch.tensor(1.0, requires_grad=True)
    w = torch.tensor(2.0, requires_grad=True)
    x = torch.tensor(3.0)
    u = w * x
    v = u + b
    a = torch.relu(v)
    dv = a.grad_fn(torch.tensor(1.0))
    v_fn = a.grad_fn.next_functions[0][0]
    du, db = v_fn(dv)
    u_fn, b_fn = (f for f, _ in v_fn.next_functions)
    dw, dx = u_fn(du)
    b_fn(db)
    u.grad_fn.next_functions[0][0](dw)
    u.grad_fn.next_functions[0][0](dw)
    return dv, du, db, dw, b.grad, w.grad


def accumulate_grad_by_hand(torch):
    a = torch.tensor(1., requires_grad=True)
    w = torch.tensor(2., requires_grad=True)
    acc = (a * w).grad_fn.next_functions[0][0]
    acc(w * 3)
    first = a.grad
    acc(w * 3)
    return first, a.grad


def module_forward(torch):
    class Affine(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.tensor([2., 3.]))
            self.b = torch.nn.Parameter(torch.tensor(1.))

        def forward(self, x):
            return torch.relu(x @ self.w + self.b)
    m = Affine()
    return m(torch.tensor([1., -1.])), m(torch.tensor([[1., -1.], [0.5, 2.]]))


def no_grad_breaks_edges(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    with torch.no_grad():
        c = x * 2
    y = x * c + c
    return y, x.detach() * x


PROGRAMS = [seed000_add_mul, seed000_cat, seed001_sum_of_sum, seed001_w_x_b, seed001_builtin_sum,
            seed002_dot, seed002_detach, seed002_control_flow, seed002_scalar_sum,
            seed004_relu, seed004_custom_function, shared_node_diamond, same_leaf_many_times,
            two_outputs_one_graph, unbind_outputs, indexing_chain, views_chain, matmul_family,
            reductions, pointwise_mix, promotion_and_casts, stack_cat, integer_index,
            inplace_rebase, grad_of_grad, grad_of_grad_products, backward_create_graph,
            retain_grad_create_graph, nodes_by_hand, accumulate_grad_by_hand, module_forward,
            no_grad_breaks_edges]


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
def test_graph_matches_torch(program):
    check(program)


# -- the graph each op's derivative records under create_graph -----------------------------------
OPS = {
    "add": lambda T, x, w: x + w, "add_alpha": lambda T, x, w: T.add(x, w, alpha=2),
    "sub": lambda T, x, w: x - w, "sub_alpha": lambda T, x, w: T.sub(x, w, alpha=-2),
    "rsub": lambda T, x, w: 1 - x, "mul": lambda T, x, w: x * w,
    "mul_number": lambda T, x, w: x * 3, "div": lambda T, x, w: x / w,
    "div_number": lambda T, x, w: x / 3, "rtruediv": lambda T, x, w: 3 / x,
    "pow2": lambda T, x, w: x ** 2, "pow3": lambda T, x, w: x ** 3,
    "pow_half": lambda T, x, w: x ** 0.5, "pow_zero": lambda T, x, w: x ** 0,
    "pow_tensor": lambda T, x, w: x ** w, "rpow": lambda T, x, w: 2 ** x,
    "neg": lambda T, x, w: -x, "abs": lambda T, x, w: (x - 2).abs(),
    "exp": lambda T, x, w: x.exp(), "log": lambda T, x, w: x.log(),
    "relu": lambda T, x, w: (x - 2).relu(), "reciprocal": lambda T, x, w: x.reciprocal(),
    "where": lambda T, x, w: T.where(x > 1.5, x, w),
    "where_number": lambda T, x, w: T.where(x > 1.5, x, 0.),
    "dot": lambda T, x, w: T.dot(x, w), "sum": lambda T, x, w: x.sum(),
    "sum_dim": lambda T, x, w: x.view(3, 1).sum(0),
    "sum_keepdim": lambda T, x, w: x.view(3, 1).sum(1, keepdim=True),
    "mean": lambda T, x, w: x.mean(), "mean_dim": lambda T, x, w: x.view(1, 3).mean(1),
    "norm": lambda T, x, w: x.norm(), "norm1": lambda T, x, w: x.norm(p=1),
    "norm3": lambda T, x, w: x.norm(p=3), "norm_1_5": lambda T, x, w: x.norm(p=1.5),
    "norm_dim": lambda T, x, w: (x.view(3, 1) * w).norm(dim=0),
    "cat": lambda T, x, w: T.cat([x, w]), "stack": lambda T, x, w: T.stack([x, w], 1),
    "select": lambda T, x, w: x[1], "slice": lambda T, x, w: x[1:],
    "unsqueeze": lambda T, x, w: x.unsqueeze(0), "view": lambda T, x, w: x.view(3, 1),
    "reshape": lambda T, x, w: (x.view(3, 1) * w).t().reshape(9),
    "flatten": lambda T, x, w: (x.view(3, 1) * w).flatten(),
    "expand": lambda T, x, w: x.expand(2, 3), "unbind": lambda T, x, w: x.unbind()[1],
    "clone": lambda T, x, w: x.clone(), "mm": lambda T, x, w: T.mm(x.view(3, 1), w.view(1, 3)),
    "mv": lambda T, x, w: T.mv(x.view(3, 1) * w, w),
    "vec_matmul": lambda T, x, w: T.matmul(x, x.view(3, 1) * w),
    "t": lambda T, x, w: x.view(3, 1).t(), "transpose": lambda T, x, w: x.view(3, 1).transpose(0, 1),
    "permute": lambda T, x, w: x.view(3, 1).permute(1, 0), "squeeze": lambda T, x, w: x.view(3, 1).squeeze(),
    "squeeze_dim": lambda T, x, w: x.view(3, 1).squeeze(1),
    "int_index": lambda T, x, w: x[T.tensor([0, 2, 2])],
    "to_double": lambda T, x, w: x.double(),
}


@pytest.mark.parametrize("op", OPS)
def test_double_backward_graph_matches_torch(op):
    """The graph ``autograd.grad(..., create_graph=True)`` records for each op's derivative.

    The output is squared first so the gradient reaching the op has a graph of its own: every
    tensor in the formula is then part of the recorded graph."""
    def program(T):
        x = T.tensor([1., 2., 3.], requires_grad=True)
        w = T.tensor([0.5, -1., 2.], requires_grad=True)
        y = OPS[op](T, x, w)
        g = T.autograd.grad((y * y).sum(), (x, w), create_graph=True, allow_unused=True)
        return [gi if gi is not None else T.tensor(0.) for gi in g]
    check(program)


@pytest.mark.xfail(strict=True, reason="memory layout (stride) propagation: PyTorch keeps a "
                   "transposed layout through pointwise ops where NumPy's results differ, so a "
                   "reshape in a backward formula records ReshapeAlias/Clone+UnsafeView there "
                   "and View here")
def test_reshape_in_backward_after_transpose():
    def program(T):
        w = T.tensor([1., 2., 3., 4.], requires_grad=True)
        a = w.view(2, 2).abs()
        b = a.T.contiguous() + a.T
        return T.autograd.grad((b * b).sum() + b.sum(), w, create_graph=True)
    check(program)


# -- known structures, without the oracle ---------------------------------------------------------
def test_known_seed_structure():
    z = seed001_w_x_b(lab)
    sig = graph_signature(z)
    assert sig == [
        (0, "AddBackward0", "AddBackward0", ((1, 0), (2, 0)), None),
        (1, "MulBackward0", "MulBackward0", ((3, 0), (None, 0)), None),
        (2, "AccumulateGrad", "torch::autograd::AccumulateGrad", (), (1,)),
        (3, "AccumulateGrad", "torch::autograd::AccumulateGrad", (), (1,)),
    ]


def test_known_shared_node_identity():
    a = lab.tensor([1., 2.], requires_grad=True)
    b = a + a
    c = b * b
    assert c.grad_fn.next_functions[0][0] is c.grad_fn.next_functions[1][0] is b.grad_fn
    assert b.grad_fn.next_functions[0] == b.grad_fn.next_functions[1]
    assert b.grad_fn.next_functions[0][0] is a.grad_fn or a.grad_fn is None
    acc = b.grad_fn.next_functions[0][0]
    assert acc.variable is a and (a * 3).grad_fn.next_functions[0][0] is acc


def test_known_unbind_output_nr():
    x = lab.arange(6.).reshape(2, 3).requires_grad_()
    parts = x.unbind(1)
    assert [p.output_nr for p in parts] == [0, 1, 2]
    assert parts[0].grad_fn is parts[2].grad_fn
    y = parts[2] * parts[0]
    assert y.grad_fn.next_functions == ((parts[0].grad_fn, 2), (parts[0].grad_fn, 0))


def test_known_double_backward_structure():
    x = lab.tensor([3.], requires_grad=True)
    g, = lab.autograd.grad(x ** 2, x, create_graph=True)
    sig = graph_signature(g)
    assert [s[1] for s in sig] == ["MulBackward0", "MulBackward1", "PowBackward0",
                                   "AccumulateGrad"]
    assert sig[0][3] == ((None, 0), (1, 0))


def test_graph_walk_is_iterative():
    x = lab.tensor(1., requires_grad=True)
    y = x
    for _ in range(20000):
        y = y + 1.
    sig = graph_signature(y)
    assert len(sig) == 20001 and sig[-1][1] == "AccumulateGrad"
