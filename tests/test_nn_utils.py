"""``nn.utils`` against PyTorch: ``clip_grad_norm_`` (total norm returned, gradients scaled in
place, every norm type, skipped parameters, a single tensor, empty inputs, the non-finite error
and the empty-generator warning), ``get_total_norm`` / ``clip_grads_with_norm_``,
``clip_grad_value_``, ``parameters_to_vector`` / ``vector_to_parameters`` (values, graph,
shared memory, errors), version counters, and a short training loop with clipping.

Tolerance: in float32 the total norm is a reduction whose summation order differs from
PyTorch's (its fused per-tensor norms), so values may differ in the last float32 bit; they are
compared with rtol 1e-6 (about 8 float32 ulps) and atol 1e-12, float64 ones as tightly.
"""
import math

import numpy as np
import pytest

import autograd_lab as lab

from oracle import assert_same_error, assert_same_outcome, graph_signature

RTOL, ATOL = 1e-6, 1e-12
INF = math.inf
NORM_TYPES = [2.0, 2, 1, INF, "inf", 3, 0.5, 0, -INF, -1]


def _params(torch, dtype):
    """Three parameters with seeded gradients and one without a gradient."""
    torch.manual_seed(0)
    shapes = [(2, 3), (3,), (1,), (2, 2)]
    params = [torch.randn(*s, dtype=dtype).requires_grad_() for s in shapes]
    for p, scale in zip(params, (1.0, 4.0, None, 0.5)):
        if scale is not None:
            p.grad = torch.randn(*p.shape, dtype=dtype) * scale
    return params


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
@pytest.mark.parametrize("norm_type", NORM_TYPES, ids=str)
def test_clip_grad_norm_(norm_type, max_norm, dtype):
    def program(torch):
        params = _params(torch, getattr(torch, dtype))
        grads = [p.grad for p in params]
        versions = [g._version if g is not None else None for g in grads]
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
        return (total, total.requires_grad, total.grad_fn, [p.grad for p in params],
                [p.grad is g for p, g in zip(params, grads)],  # scaled in place
                [g._version - v if g is not None else None for g, v in zip(grads, versions)])
    out = assert_same_outcome(program, rtol=RTOL, atol=ATOL)
    total, grads = out.value[0], out.value[3]
    # clipped: the new norm is max_norm (but for ord 0, a count that scaling cannot change)
    if max_norm == 0.5 and total.item() > 0.5 and norm_type != 0:
        new = lab.nn.utils.get_total_norm([g for g in grads if g is not None], norm_type)
        assert new.item() == pytest.approx(0.5, rel=1e-5)


def test_total_norm_is_the_norm_of_the_norms():
    def program(torch):
        params = _params(torch, torch.float64)
        grads = [p.grad for p in params if p.grad is not None]
        U = torch.nn.utils
        out = [U.get_total_norm(grads, 3), U.get_total_norm(grads[0]), U.get_total_norm([]),
               U.get_total_norm(grads, INF, foreach=True)]
        by_hand = torch.linalg.vector_norm(
            torch.stack([torch.linalg.vector_norm(g, 3) for g in grads]), 3)
        U.clip_grads_with_norm_(params, 1.0, torch.tensor(26.0, dtype=torch.float64))
        U.clip_grads_with_norm_(params[0], 2.0, torch.tensor(1.0), foreach=False)
        return out, by_hand, [p.grad for p in params]
    out = assert_same_outcome(program, rtol=RTOL, atol=ATOL)
    assert out.value[0][0].item() == pytest.approx(out.value[1].item(), rel=1e-14)


def test_single_tensor_empty_inputs_and_missing_grads():
    def program(torch):
        U = torch.nn.utils
        a = torch.tensor([3.0, 4.0], requires_grad=True)
        a.grad = torch.tensor([3.0, 4.0])
        no_grad = torch.zeros(2, requires_grad=True)
        return (U.clip_grad_norm_(a, 1.0), a.grad, U.clip_grad_norm_([], 1.0),
                U.clip_grad_norm_([no_grad], 1.0), no_grad.grad,
                U.clip_grad_norm_((p for p in []), 1.0),  # warns: nothing to clip
                U.clip_grad_norm_((p for p in [a]), 0.5), a.grad)
    out = assert_same_outcome(program, rtol=RTOL, atol=ATOL)
    assert out.warnings == [("UserWarning", "`parameters` is an empty generator, no gradient "
                                            "clipping will occur.")]
    assert out.value[0].item() == 5.0 and out.value[2].item() == 0.0


def test_mixed_dtypes_and_graph_carrying_grads():
    def program(torch):
        a = torch.tensor([3.0, 4.0], requires_grad=True)
        b = torch.tensor([[12.0]], dtype=torch.float64, requires_grad=True)
        a.grad = torch.tensor([3.0, 4.0])
        b.grad = torch.tensor([[12.0]], dtype=torch.float64)
        total = torch.nn.utils.clip_grad_norm_([b, a], 1.0)
        # a gradient that is itself a graph (create_graph=True) is scaled without a new node
        w = torch.tensor([1.0, -2.0], requires_grad=True)
        (w ** 3).sum().backward(create_graph=True)
        before = w.grad.grad_fn
        t2 = torch.nn.utils.clip_grad_norm_([w], 1.0)
        # a norm near 0: the 1e-6 added to it halves the factor here (0.05, not 0.1)
        tiny = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
        tiny.grad = torch.tensor([1e-6], dtype=torch.float64)
        t3 = torch.nn.utils.clip_grad_norm_(tiny, 1e-7)
        return total, a.grad, b.grad, t2, w.grad, w.grad.grad_fn is before, t3, tiny.grad
    out = assert_same_outcome(program, rtol=RTOL, atol=ATOL)
    assert out.value[-1].item() == pytest.approx(5e-8, rel=1e-9)


@pytest.mark.parametrize("norm_type", [2.0, "inf", 1])
def test_nonfinite_total_norm(norm_type):
    def raising(torch):
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        a.grad = torch.tensor([float("nan"), 1.0])
        b = torch.tensor([1.0], requires_grad=True)
        b.grad = torch.tensor([float("inf")])
        torch.nn.utils.clip_grad_norm_([a, b], 1.0, norm_type, error_if_nonfinite=True)
    error = assert_same_error(raising)
    assert error[1].startswith(f"The total norm of order {float(norm_type)} for gradients")

    def scaling(torch):  # without the error, gradients are scaled by the non-finite norm
        b = torch.tensor([1.0, 2.0], requires_grad=True)
        b.grad = torch.tensor([float("inf"), 1.0])
        return torch.nn.utils.clip_grad_norm_([b], 1.0, norm_type), b.grad
    assert_same_outcome(scaling)


def test_bad_arguments_and_the_deprecated_name():
    def bad_norm_type(torch):
        a = torch.ones(2, requires_grad=True)
        a.grad = torch.ones(2)
        torch.nn.utils.clip_grad_norm_([a], 1.0, norm_type="fro")
    assert_same_error(bad_norm_type)
    assert_same_error(lambda torch: torch.nn.utils.clip_grad_norm_([], "x"))
    assert_same_error(lambda torch: torch.nn.utils.clip_grad_value_([], "x"))

    def deprecated(torch):
        a = torch.tensor([3.0, 4.0], requires_grad=True)
        a.grad = torch.tensor([3.0, 4.0])
        return torch.nn.utils.clip_grad_norm(a, 2.5), a.grad
    out = assert_same_outcome(deprecated)
    assert [w[0] for w in out.warnings] == ["FutureWarning"]


@pytest.mark.parametrize("foreach", [None, False, True])
def test_clip_grad_value_(foreach):
    def program(torch):
        params = _params(torch, torch.float32)
        grads = [p.grad for p in params]
        versions = [g._version if g is not None else None for g in grads]
        result = torch.nn.utils.clip_grad_value_(params, 0.75, foreach=foreach)
        single = torch.tensor([5.0], requires_grad=True)
        single.grad = torch.tensor([-5.0])
        torch.nn.utils.clip_grad_value_(single, 2)
        return (result, [p.grad for p in params], [p.grad is g for p, g in zip(params, grads)],
                [g._version - v if g is not None else None for g, v in zip(grads, versions)],
                single.grad)
    out = assert_same_outcome(program)
    for g in out.value[1]:
        if g is not None:
            assert float(g.abs().max()) <= 0.75


def test_parameters_to_vector_and_back():
    def program(torch):
        torch.manual_seed(3)
        m = torch.nn.Linear(3, 2)
        vec = torch.nn.utils.parameters_to_vector(m.parameters())
        signature = graph_signature(vec)
        (vec * torch.arange(8.0)).sum().backward()
        new = torch.arange(8.0) / 10
        weight = m.weight
        version = weight._version
        result = torch.nn.utils.vector_to_parameters(new, m.parameters())
        new[0] = 100.0  # the parameters share memory with the vector
        return (vec, signature, m.weight.grad, m.bias.grad, result, m.weight, m.bias,
                m.weight is weight, weight._version - version, weight.is_leaf)
    out = assert_same_outcome(program)
    assert out.value[5][0, 0].item() == 100.0


PARAMETER_VECTOR_ERRORS = {
    "no parameters": lambda T: T.nn.utils.parameters_to_vector([]),
    "not contiguous": lambda T: T.nn.utils.parameters_to_vector([T.ones(2, 3).t()]),
    "vec not a tensor": lambda T: T.nn.utils.vector_to_parameters(
        [1.0], [T.ones(2, requires_grad=True)]),
    "vec too short": lambda T: T.nn.utils.vector_to_parameters(
        T.ones(2), [T.ones(2, requires_grad=True), T.ones(1, 1, requires_grad=True)]),
    "vec too short for a matrix": lambda T: T.nn.utils.vector_to_parameters(
        T.ones(1), [T.ones(2, 3)]),
    "integer vec": lambda T: T.nn.utils.vector_to_parameters(
        T.tensor([1, 2]), [T.ones(2, requires_grad=True)]),
}


@pytest.mark.parametrize("name", PARAMETER_VECTOR_ERRORS)
def test_parameter_vector_errors(name):
    assert_same_error(PARAMETER_VECTOR_ERRORS[name])


def test_training_loop_with_clipping():
    def program(torch):
        torch.manual_seed(0)
        m = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
        opt = torch.optim.SGD(m.parameters(), lr=0.5)
        x, t = torch.randn(8, 3), torch.randn(8, 1)
        norms = []
        for _ in range(3):
            opt.zero_grad()
            ((m(x) - t) ** 2).mean().backward()
            norms.append(torch.nn.utils.clip_grad_norm_(m.parameters(), 0.5))
            opt.step()
        return norms, torch.nn.utils.parameters_to_vector(m.parameters())
    out = assert_same_outcome(program, rtol=RTOL, atol=1e-7)
    assert out.value[0][0].item() > 0.5  # the clipping did happen


def test_import_forms():
    import autograd_lab.nn.utils
    from autograd_lab.nn.utils import clip_grad_norm_, parameters_to_vector
    assert autograd_lab.nn.utils.clip_grad_norm_ is clip_grad_norm_ is lab.nn.utils.clip_grad_norm_
    assert lab.nn.utils.parameters_to_vector is parameters_to_vector
    assert set(lab.nn.utils.__all__) >= {"clip_grad_norm_", "clip_grad_value_",
                                         "get_total_norm", "clip_grads_with_norm_",
                                         "parameters_to_vector", "vector_to_parameters"}


def test_known_values_without_torch():
    a = lab.tensor([3.0, 4.0], requires_grad=True)
    b = lab.tensor([[12.0]], requires_grad=True)
    a.grad, b.grad = lab.tensor([3.0, 4.0]), lab.tensor([[12.0]])
    total = lab.nn.utils.clip_grad_norm_([a, b], 1.0)
    assert total.item() == 13.0  # sqrt(5**2 + 12**2)
    coef = 1.0 / (13.0 + 1e-6)
    np.testing.assert_allclose(a.grad.tolist(), [3 * coef, 4 * coef], rtol=1e-6)
    np.testing.assert_allclose(b.grad.tolist(), [[12 * coef]], rtol=1e-6)
    lab.nn.utils.clip_grad_value_([a, b], 0.25)
    np.testing.assert_allclose(a.grad.tolist(), [3 * coef, 0.25], rtol=1e-6)
    assert b.grad.tolist() == [[0.25]]
    with pytest.raises(RuntimeError, match="non-finite"):
        a.grad = lab.tensor([float("nan"), 0.0])
        lab.nn.utils.clip_grad_norm_(a, 1.0, error_if_nonfinite=True)
    assert np.isnan(a.grad[0].item())  # refused before anything was scaled
    assert a.grad[1].item() == 0.0
