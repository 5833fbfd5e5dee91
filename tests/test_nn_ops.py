"""The neural-network ops against PyTorch: sigmoid, tanh, softmax, log_softmax, logsumexp,
matmul (every dispatch case), mm, mv, bmm, outer, addmm, linear, mse_loss, nll_loss,
cross_entropy.

For each op ``program(torch)`` runs under PyTorch and autograd_lab (see ``oracle``): forward
values, gradients and the graph below the result (node names, ``next_functions`` with their
``None`` entries and input numbers) must agree; then the second derivatives
(``autograd.grad(..., create_graph=True)`` differentiated again) and their graphs; then, without
torch, central finite differences in float64 for the first and second derivatives; finally the
error messages for bad inputs, word for word.
"""
import numpy as np
import pytest

import autograd_lab as lab
import autograd_lab.nn.functional as LF

from oracle import assert_same, assert_same_error, assert_same_outcome, graph_signature


def values(shape, seed=0, low=-2.0, high=2.0):
    """Deterministic float32-representable numbers as nested lists (same in both libraries)."""
    rng = np.random.default_rng(seed)
    return rng.uniform(low, high, size=shape).astype(np.float32).tolist()


def F(torch):
    """``torch.nn.functional`` of whichever library runs the program."""
    return LF if torch is lab else torch.nn.functional


def leaf(torch, shape, seed=0, requires_grad=True, **kw):
    return torch.tensor(values(shape, seed, **kw), requires_grad=requires_grad)


# == ops: (function of (torch, *inputs), input shapes) =============================================
def _ce(**kw):
    return lambda torch, x: F(torch).cross_entropy(x, torch.tensor([0, 2, 3]), **kw)


OPS = {
    "sigmoid": (lambda torch, x: torch.sigmoid(x), [(2, 3)]),
    "sigmoid_method": (lambda torch, x: x.sigmoid(), [(4,)]),
    "tanh": (lambda torch, x: torch.tanh(x), [(2, 3)]),
    "softmax_dim1": (lambda torch, x: torch.softmax(x, 1), [(2, 3)]),
    "softmax_dim0_method": (lambda torch, x: x.softmax(0), [(2, 3)]),
    "softmax_3d_neg": (lambda torch, x: torch.softmax(x, -2), [(2, 3, 2)]),
    "softmax_dtype": (lambda torch, x: torch.softmax(x, 1, dtype=torch.float64), [(2, 3)]),
    "log_softmax": (lambda torch, x: torch.log_softmax(x, 1), [(2, 3)]),
    "log_softmax_method": (lambda torch, x: x.log_softmax(-1), [(3, 4)]),
    "logsumexp": (lambda torch, x: torch.logsumexp(x, 1), [(2, 3)]),
    "logsumexp_keepdim": (lambda torch, x: torch.logsumexp(x, 0, keepdim=True), [(2, 3)]),
    "logsumexp_dims": (lambda torch, x: x.logsumexp((2, 0)), [(2, 3, 2)]),
    "dot": (lambda torch, a, b: a @ b, [(3,), (3,)]),
    "mv": (lambda torch, a, b: a @ b, [(2, 3), (3,)]),
    "vec_mat": (lambda torch, a, b: a @ b, [(3,), (3, 4)]),
    "mm": (lambda torch, a, b: a @ b, [(2, 3), (3, 4)]),
    "bmm_3d_3d": (lambda torch, a, b: a @ b, [(5, 2, 3), (5, 3, 4)]),
    "fold_3d_2d": (lambda torch, a, b: a @ b, [(5, 2, 3), (3, 4)]),
    "fold_2d_3d": (lambda torch, a, b: a @ b, [(2, 3), (5, 3, 4)]),
    "fold_3d_1d": (lambda torch, a, b: a @ b, [(5, 2, 3), (3,)]),
    "fold_1d_3d": (lambda torch, a, b: a @ b, [(3,), (5, 3, 4)]),
    "broadcast_4d_3d": (lambda torch, a, b: a @ b, [(2, 5, 2, 3), (5, 3, 4)]),
    "broadcast_batch_of_one": (lambda torch, a, b: a @ b, [(2, 1, 2, 3), (5, 3, 4)]),
    "squeezed_batch_of_one": (lambda torch, a, b: a @ b, [(5, 2, 3), (1, 3, 4)]),
    "batched_matrix_vector": (lambda torch, a, b: a @ b, [(4, 1, 2, 3), (3,)]),
    "matmul_fn": (lambda torch, a, b: torch.matmul(a, b), [(2, 2, 3), (2, 3, 2)]),
    "torch_mm": (lambda torch, a, b: torch.mm(a, b), [(2, 3), (3, 2)]),
    "torch_mv": (lambda torch, a, b: a.mv(b), [(2, 3), (3,)]),
    "torch_bmm": (lambda torch, a, b: torch.bmm(a, b), [(2, 3, 4), (2, 4, 5)]),
    "outer": (lambda torch, a, b: torch.outer(a, b), [(3,), (4,)]),
    "addmm": (lambda torch, c, a, b: torch.addmm(c, a, b), [(4,), (2, 3), (3, 4)]),
    "addmm_scaled": (lambda torch, c, a, b: c.addmm(a, b, beta=0.5, alpha=2.0),
                     [(2, 4), (2, 3), (3, 4)]),
    "linear_2d": (lambda torch, x, w, b: F(torch).linear(x, w, b), [(4, 3), (2, 3), (2,)]),
    "linear_1d": (lambda torch, x, w, b: F(torch).linear(x, w, b), [(3,), (2, 3), (2,)]),
    "linear_3d": (lambda torch, x, w, b: F(torch).linear(x, w, b), [(5, 4, 3), (2, 3), (2,)]),
    "linear_no_bias": (lambda torch, x, w: F(torch).linear(x, w), [(4, 3), (2, 3)]),
    "linear_transposed_input": (lambda torch, x, w, b: F(torch).linear(x.transpose(0, 1), w, b),
                                [(4, 3, 2), (5, 2), (5,)]),
    "mse_mean": (lambda torch, x, t: F(torch).mse_loss(x, t), [(3, 4), (3, 4)]),
    "mse_sum": (lambda torch, x, t: F(torch).mse_loss(x, t, reduction="sum"), [(3, 4), (3, 4)]),
    "mse_none": (lambda torch, x, t: F(torch).mse_loss(x, t, reduction="none"), [(3, 4), (3, 4)]),
    "mse_module": (lambda torch, x, t: torch.nn.MSELoss()(x, t), [(5,), (5,)]),
    "nll": (lambda torch, x: F(torch).nll_loss(x, torch.tensor([0, 2, 3])), [(3, 4)]),
    "nll_weighted_sum": (lambda torch, x: F(torch).nll_loss(
        x, torch.tensor([0, 2, 3]), weight=torch.tensor([1., 2., 3., 4.]), reduction="sum"),
        [(3, 4)]),
    "nll_ignore_none": (lambda torch, x: F(torch).nll_loss(
        x, torch.tensor([0, 2, 1]), ignore_index=2, reduction="none"), [(3, 4)]),
    "cross_entropy": (_ce(), [(3, 4)]),
    "cross_entropy_sum": (_ce(reduction="sum"), [(3, 4)]),
    "cross_entropy_none": (_ce(reduction="none"), [(3, 4)]),
    "cross_entropy_weight_ignore": (
        lambda torch, x: F(torch).cross_entropy(x, torch.tensor([0, -100, 3]),
                                                weight=torch.tensor([1., 2., 3., 4.])),
        [(3, 4)]),
    "cross_entropy_label_smoothing": (_ce(label_smoothing=0.2, reduction="none"), [(3, 4)]),
    "cross_entropy_label_smoothing_mean": (_ce(label_smoothing=0.1), [(3, 4)]),
    "cross_entropy_probabilities": (lambda torch, x: F(torch).cross_entropy(
        x, torch.softmax(torch.tensor(values((3, 4), seed=7)), 1)), [(3, 4)]),
    "cross_entropy_probabilities_weighted_smoothed": (lambda torch, x: F(torch).cross_entropy(
        x, torch.softmax(torch.tensor(values((3, 4), seed=7)), 1), reduction="sum",
        weight=torch.tensor([1., 2., 3., 4.]), label_smoothing=0.2), [(3, 4)]),
    "cross_entropy_unbatched": (lambda torch, x: F(torch).cross_entropy(x, torch.tensor(1)),
                                [(4,)]),
    "cross_entropy_3d": (lambda torch, x: F(torch).cross_entropy(
        x, torch.tensor([[0, 1], [3, 2]])), [(2, 4, 2)]),
    "cross_entropy_4d_none": (lambda torch, x: F(torch).cross_entropy(
        x, torch.tensor([[[0, 1], [3, 2]]]), reduction="none"), [(1, 4, 2, 2)]),
    "cross_entropy_module": (lambda torch, x: torch.nn.CrossEntropyLoss()(
        x, torch.tensor([1, 0, 2])), [(3, 4)]),
    "nll_of_log_softmax_module": (lambda torch, x: torch.nn.NLLLoss()(
        torch.nn.LogSoftmax(dim=1)(x), torch.tensor([1, 0, 2])), [(3, 4)]),
}

# Known difference outside these ops, in the graph of the second derivative w.r.t. the seed
# gradient ``v`` only (values agree): PyTorch's MulBackward0 computes other's gradient before
# self's (its generated backwards go in alphabetical order of the inputs' names), which orders
# the two terms of the sum for ``outer``; pointwise's MulBackward0 computes self's first.
V_GRAPH_DIFFERS = {"outer"}


def _inputs(torch, shapes, float64=False):
    dtype = torch.float64 if float64 else torch.float32
    return [torch.tensor(values(s, seed=i + 1), dtype=dtype, requires_grad=True)
            for i, s in enumerate(shapes)]


@pytest.mark.parametrize("name", OPS)
def test_forward_gradients_and_graph(name):
    f, shapes = OPS[name]

    def program(torch):
        xs = _inputs(torch, shapes)
        y = f(torch, *xs)
        graph = graph_signature(y)
        seed = torch.tensor(values(tuple(y.shape), seed=9), dtype=y.dtype)
        y.backward(seed)
        return y, graph, [x.grad for x in xs]
    assert assert_same_outcome(program, rtol=1e-5, atol=1e-5).error is None


@pytest.mark.parametrize("name", OPS)
def test_second_derivatives(name):
    f, shapes = OPS[name]

    def program(torch):
        xs = _inputs(torch, shapes)
        y = f(torch, *xs)
        v = torch.tensor(values(tuple(y.shape), seed=9), dtype=y.dtype, requires_grad=True)
        firsts = torch.autograd.grad(y, xs, v, create_graph=True, allow_unused=True)
        total = sum((g * torch.tensor(values(tuple(g.shape), seed=11 + i), dtype=g.dtype)).sum()
                    for i, g in enumerate(firsts) if g is not None and g.requires_grad)
        if not isinstance(total, torch.Tensor):  # the op is linear in each input
            return firsts, None
        seconds = torch.autograd.grad(total, xs + [v], allow_unused=True, create_graph=True)
        graphs = [graph_signature(g) if g is not None else None
                  for g in (list(firsts) + list(seconds))]
        if name in V_GRAPH_DIFFERS:
            graphs[-1] = None
        return firsts, seconds, graphs
    assert assert_same_outcome(program, rtol=1e-4, atol=1e-5).error is None


# == central finite differences in float64 (no torch needed) ========================================
EPS = 1e-6


def _numeric_jacobian(fn, xs, i):
    flat = xs[i]._data.reshape(-1)
    cols = []
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + EPS
        plus = np.asarray(fn(*xs).tolist(), dtype=np.float64).ravel()
        flat[k] = old - EPS
        minus = np.asarray(fn(*xs).tolist(), dtype=np.float64).ravel()
        flat[k] = old
        cols.append((plus - minus) / (2 * EPS))
    return np.stack(cols, axis=1)


def _analytic_jacobian(fn, xs, i):
    out = fn(*xs)
    rows = []
    for k in range(out.numel()):
        onehot = np.zeros(out.numel())
        onehot[k] = 1.0
        g, = lab.autograd.grad(out, [xs[i]], lab.tensor(onehot.reshape(tuple(out.shape))),
                               retain_graph=True, allow_unused=True)
        rows.append(np.zeros(xs[i].numel()) if g is None
                    else np.asarray(g.tolist(), dtype=np.float64).ravel())
    return np.stack(rows, axis=0)


def _check_jacobians(name, fn, xs):
    for i in range(len(xs)):
        a, n = _analytic_jacobian(fn, xs, i), _numeric_jacobian(fn, xs, i)
        np.testing.assert_allclose(a, n, rtol=1e-5, atol=1e-6,
                                   err_msg=f"{name}: d/d(input {i}) differs from finite "
                                           "differences")


@pytest.mark.parametrize("name", OPS)
def test_finite_differences_first_and_second(name):
    f, shapes = OPS[name]
    xs = _inputs(lab, shapes, float64=True)
    fn = lambda *a: f(lab, *a)  # noqa: E731
    _check_jacobians(name, fn, xs)
    out = fn(*xs)
    weight = lab.tensor(values(tuple(out.shape), seed=5), dtype=lab.float64)

    def first_derivative(*a):
        grads = lab.autograd.grad((fn(*a) * weight).sum(), list(a), create_graph=True,
                                  allow_unused=True)
        parts = [g.reshape(-1) for g in grads if g is not None]
        return lab.cat(parts) if parts else lab.zeros(1, dtype=lab.float64)
    _check_jacobians(name + " (second derivative)", first_derivative, xs)


# == known values and saved tensors ==============================================================
def test_known_values_without_torch():
    x = lab.tensor([[0.0, 1.0, 2.0]])
    np.testing.assert_allclose(lab.sigmoid(x).tolist(), [[0.5, 0.7310586, 0.8807971]],
                               rtol=1e-6)
    e = np.exp([0.0, 1.0, 2.0])
    np.testing.assert_allclose(lab.softmax(x, 1).tolist(), [list(e / e.sum())], rtol=1e-6)
    np.testing.assert_allclose(lab.logsumexp(x, 1).tolist(), [np.log(e.sum())], rtol=1e-6)
    big = lab.tensor([1000.0, 1000.0])
    assert lab.logsumexp(big, 0).item() == pytest.approx(1000 + np.log(2))
    assert lab.log_softmax(big, 0).tolist() == pytest.approx([-np.log(2)] * 2)
    assert lab.sigmoid(lab.tensor([-1000.0, 1000.0])).tolist() == [0.0, 1.0]
    loss = LF.cross_entropy(lab.tensor([[2.0, 0.5, -1.0]]), lab.tensor([0]))
    assert loss.item() == pytest.approx(-np.log(np.exp(2) / np.exp([2, 0.5, -1]).sum()),
                                        rel=1e-6)


def test_saved_tensors_and_attributes():
    def program(torch):
        x = torch.tensor(values((2, 3)), requires_grad=True)
        s = torch.softmax(x, 1)
        lse = torch.logsumexp(x, (0, 1))
        sig = torch.sigmoid(x)
        w = torch.tensor(values((4, 3), seed=2), requires_grad=True)
        b = torch.tensor(values((4,), seed=3), requires_grad=True)
        lin = F(torch).linear(x, w, b)
        ce = F(torch).cross_entropy(x, torch.tensor([0, 2]))
        mse = F(torch).mse_loss(x, torch.zeros(2, 3), reduction="sum")
        n = lin.grad_fn
        return (s.grad_fn._saved_dim, s.grad_fn._saved_result, lse.grad_fn._saved_dim,
                lse.grad_fn._saved_keepdim, lse.grad_fn._saved_self, lse.grad_fn._saved_result,
                sig.grad_fn._saved_result, n._saved_alpha, n._saved_beta, n._saved_mat1,
                n._saved_mat2, n._saved_mat1_sym_sizes, n._saved_mat2_sym_strides,
                ce.grad_fn._saved_reduction, ce.grad_fn._saved_ignore_index,
                ce.grad_fn._saved_total_weight, ce.grad_fn._saved_weight,
                ce.grad_fn._saved_target, mse.grad_fn._saved_reduction)
    assert_same_outcome(program)


def test_sigmoid_second_backward_needs_retain_graph():
    def program(torch):
        x = torch.tensor([0.5, -1.0], requires_grad=True)
        y = torch.sigmoid(x).sum()
        y.backward()
        y.backward()
    assert_same_error(program)


def test_implicit_softmax_dim_warns():
    def program(torch):
        x = torch.tensor(values((2, 3)))
        return (F(torch).softmax(x), F(torch).log_softmax(x), torch.nn.Softmax()(x),
                F(torch).softmax(torch.tensor(values((2, 3, 2)))))
    out = assert_same_outcome(program)
    assert len(out.warnings) == 4


def test_mse_loss_broadcast_warning_word_for_word():
    def program(torch):
        x = torch.tensor(values((3,)), requires_grad=True)
        loss = F(torch).mse_loss(x, torch.tensor(values((3, 1), seed=1)))
        loss.backward()
        return loss, graph_signature(loss), x.grad
    out = assert_same_outcome(program)
    assert out.warnings == [(
        "UserWarning", "Using a target size (torch.Size([3, 1])) that is different to the "
        "input size (torch.Size([3])). This will likely lead to incorrect results due to "
        "broadcasting. Please ensure they have the same size.")]


def test_legacy_reduction_arguments_warn():
    def program(torch):
        x = torch.tensor(values((3, 4)), requires_grad=True)
        t = torch.tensor([0, 1, 2])
        return (F(torch).cross_entropy(x, t, size_average=False),
                F(torch).nll_loss(x, t, reduce=False),
                F(torch).mse_loss(x, x.detach() * 2, size_average=True, reduce=True),
                torch.nn.MSELoss(size_average=False)(x, x.detach() * 2))
    out = assert_same_outcome(program)
    assert len(out.warnings) == 4


# == errors, word for word ===========================================================================
ERRORS = {
    "linear_input_size": lambda torch: torch.nn.Linear(2, 5)(torch.randn(4, 3)),
    "linear_1d_input_size": lambda torch: torch.nn.Linear(2, 5)(torch.randn(3)),
    "linear_3d_input_size": lambda torch: torch.nn.Linear(2, 5)(torch.randn(6, 4, 3)),
    "linear_dtype": lambda torch: torch.nn.Linear(2, 5)(torch.randn(4, 2).double()),
    "linear_0d": lambda torch: torch.nn.Linear(2, 5)(torch.tensor(1.)),
    "linear_bias_shape": lambda torch: F(torch).linear(torch.randn(4, 2), torch.randn(5, 2),
                                                       torch.randn(4)),
    "linear_weight_1d": lambda torch: F(torch).linear(torch.ones(2, 2), torch.ones(3),
                                                      torch.ones(3)),
    "mm_shapes": lambda torch: torch.randn(3, 4) @ torch.randn(3, 4),
    "mm_dtype": lambda torch: torch.mm(torch.ones(2, 2).long(), torch.ones(2, 2)),
    "mm_not_matrix": lambda torch: torch.mm(torch.ones(2), torch.ones(2, 2)),
    "mv_size": lambda torch: torch.mv(torch.ones(2, 3), torch.ones(2)),
    "mv_dtype": lambda torch: torch.mv(torch.ones(2, 2).double(), torch.ones(2)),
    "dot_size": lambda torch: torch.randn(3) @ torch.randn(4),
    "matmul_0d": lambda torch: torch.matmul(torch.tensor(1.), torch.ones(2)),
    "matmul_batch_broadcast": lambda torch: torch.randn(2, 3, 4) @ torch.randn(3, 4, 5),
    "matmul_fold_size": lambda torch: torch.randn(2, 3, 4) @ torch.randn(5),
    "matmul_bmm_dtype": lambda torch: torch.ones(2, 2, 2) @ torch.ones(2, 2, 2).double(),
    "matmul_fold_dtype": lambda torch: torch.ones(2, 2, 2) @ torch.ones(2, 2).double(),
    "bmm_batch": lambda torch: torch.bmm(torch.randn(2, 3, 4), torch.randn(3, 4, 5)),
    "bmm_inner": lambda torch: torch.bmm(torch.randn(2, 3, 4), torch.randn(2, 5, 5)),
    "bmm_2d": lambda torch: torch.bmm(torch.randn(3, 4), torch.randn(2, 4, 5)),
    "bmm_dtype": lambda torch: torch.bmm(torch.ones(2, 2, 2).double(), torch.ones(2, 2, 2)),
    "outer_2d": lambda torch: torch.outer(torch.randn(3, 4), torch.randn(2)),
    "addmm_bias": lambda torch: torch.addmm(torch.randn(3), torch.randn(2, 4),
                                            torch.randn(4, 5)),
    "addmm_dtype": lambda torch: torch.addmm(torch.ones(2).double(), torch.ones(2, 2),
                                             torch.ones(2, 2)),
    "addmm_mat1_dtype": lambda torch: torch.addmm(torch.ones(2), torch.ones(2, 2).double(),
                                                  torch.ones(2, 2)),
    "addmm_1d": lambda torch: torch.addmm(torch.ones(2), torch.ones(2), torch.ones(2, 2)),
    "cross_entropy_target_out_of_range": lambda torch: F(torch).cross_entropy(
        torch.randn(3, 4), torch.tensor([0, 5, 1])),
    "cross_entropy_negative_target": lambda torch: F(torch).cross_entropy(
        torch.randn(3, 4), torch.tensor([0, -1, 1])),
    "cross_entropy_batch_size": lambda torch: F(torch).cross_entropy(
        torch.randn(3, 4), torch.tensor([0, 1])),
    "cross_entropy_float_target": lambda torch: F(torch).cross_entropy(
        torch.randn(3, 4), torch.tensor([0., 1, 2])),
    "cross_entropy_int_probabilities": lambda torch: F(torch).cross_entropy(
        torch.randn(3, 4), torch.zeros(3, 4, dtype=torch.long)),
    "cross_entropy_bad_smoothing": lambda torch: F(torch).cross_entropy(
        torch.randn(3, 4), torch.tensor([0, 1, 2]), label_smoothing=1.5),
    "cross_entropy_reduction": lambda torch: F(torch).cross_entropy(
        torch.randn(3, 4), torch.tensor([0, 1, 1]), reduction="avg"),
    "nll_target_out_of_range": lambda torch: F(torch).nll_loss(
        torch.randn(3, 4), torch.tensor([0, 4, 1])),
    "nll_int_target": lambda torch: F(torch).nll_loss(
        torch.randn(3, 4), torch.tensor([0, 1, 1]).int()),
    "nll_weight_size": lambda torch: F(torch).nll_loss(
        torch.randn(3, 4), torch.tensor([0, 1, 1]), weight=torch.ones(3)),
    "nll_3d_target_size": lambda torch: F(torch).nll_loss(
        torch.randn(2, 4, 3), torch.zeros(2, 2, dtype=torch.long)),
    "mse_shapes": lambda torch: F(torch).mse_loss(torch.randn(3), torch.randn(4)),
    "mse_reduction": lambda torch: torch.nn.MSELoss(reduction="avg")(torch.randn(3),
                                                                    torch.randn(3)),
    "softmax_dim": lambda torch: torch.randn(3, 4).softmax(2),
    "softmax_long": lambda torch: torch.tensor([1, 2]).softmax(0),
    "softmax_long_not_last": lambda torch: torch.tensor([[1, 2]]).softmax(0),
    "log_softmax_long": lambda torch: torch.tensor([1, 2]).log_softmax(0),
    "logsumexp_dim": lambda torch: torch.logsumexp(torch.randn(2, 3), 2),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error_messages(name):
    assert_same_error(ERRORS[name])


def test_linear_input_size_message():
    with pytest.raises(RuntimeError, match=r"^mat1 and mat2 shapes cannot be multiplied "
                                           r"\(4x3 and 2x5\)$"):
        lab.nn.Linear(2, 5)(lab.randn(4, 3))


def test_cross_entropy_target_out_of_range_message():
    with pytest.raises(IndexError, match=r"^Target 5 is out of bounds\.$"):
        LF.cross_entropy(lab.randn(3, 4), lab.tensor([0, 5, 1]))


def test_ops_record_nothing_under_no_grad():
    def program(torch):
        x = torch.tensor(values((2, 3)), requires_grad=True)
        w = torch.tensor(values((4, 3), seed=1), requires_grad=True)
        with torch.no_grad():
            outs = [torch.sigmoid(x), torch.softmax(x, 1), torch.logsumexp(x, 1),
                    F(torch).linear(x, w), x @ w.t(), F(torch).cross_entropy(
                        x, torch.tensor([0, 1]))]
        return outs
    assert_same_outcome(program)


def test_integer_inputs_promote_like_torch():
    def program(torch):
        i = torch.tensor([[1, 2], [3, 4]])
        return (torch.sigmoid(i), torch.tanh(i), torch.logsumexp(i, 1), i @ i, i.mm(i),
                torch.outer(i[0], i[1].float()))
    assert_same_outcome(program)


MATMUL_SHAPES = [((3,), (3, 4)), ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((5, 2, 3), (3,)),
                 ((3,), (5, 3, 4)), ((2, 5, 2, 3), (5, 3, 4)), ((5, 2, 3), (1, 3, 4)),
                 ((1, 2, 3), (5, 3, 4))]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
@pytest.mark.parametrize("which", ["left", "right"])
def test_matmul_graph_when_one_side_needs_no_grad(shapes, which):
    """Whether the small operand requires grad decides between a folded mm and a bmm."""
    def program(torch):
        a = leaf(torch, shapes[0], seed=1, requires_grad=which == "left")
        b = leaf(torch, shapes[1], seed=2, requires_grad=which == "right")
        y = a @ b
        y.backward(torch.tensor(values(tuple(y.shape), seed=3)))
        return y, graph_signature(y), (a if which == "left" else b).grad
    assert assert_same_outcome(program).error is None


@pytest.mark.parametrize("shape", [(4,), (2, 4), (3, 2, 4)], ids=str)
def test_linear_graph_for_an_input_without_grad(shape):
    """F.linear(x, W, b): AddmmBackward0 -> (AccumulateGrad(b), None, TBackward0 ->
    AccumulateGrad(W)), with ViewBackward0 around it for a 1-D or N-D input."""
    def program(torch):
        x = leaf(torch, shape, seed=1, requires_grad=False)
        torch.manual_seed(0)
        layer = torch.nn.Linear(4, 3)
        y = layer(x)
        return y.grad_fn, graph_signature(y), y.shape
    out = assert_same_outcome(program)
    graph = out.value[1]
    addmm = next(entry for entry in graph if entry[1] == "AddmmBackward0")
    assert addmm[3][1] == (None, 0)
