"""max_pool2d, max_pool1d, adaptive_max_pool2d and the MaxPool2d / MaxPool1d /
AdaptiveMaxPool2d layers, compared with PyTorch: values and indices (with ties and NaN),
node names and saved fields, first and second derivatives, repr, errors; finite differences."""
from __future__ import annotations

import pytest

import autograd_lab as lab
from gradcheck_support import check_gradient, check_second_derivative
from oracle import assert_same_error, assert_same_graph, assert_same_outcome, need_torch

MAX_POOL_CASES = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=(3, 2), stride=(1, 2), padding=(1, 0), dilation=(1, 2)),
    dict(kernel_size=3, stride=2, ceil_mode=True),
    dict(kernel_size=2, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=3, stride=1, dilation=2, padding=1),
    dict(kernel_size=[2], stride=[]),
]


def _tied(torch, *shape):
    """float64 values from {0, 1, 2}: most windows hold their maximum more than once."""
    torch.manual_seed(5)
    return torch.randint(0, 3, shape).to(torch.float64).requires_grad_()


@pytest.mark.parametrize("case", range(len(MAX_POOL_CASES)))
@pytest.mark.parametrize("batched", [True, False])
def test_max_pool2d_ties_indices_saved_and_grads(case, batched):
    kw = MAX_POOL_CASES[case]

    def program(torch):
        x = _tied(torch, *((2,) if batched else ()), 3, 7, 8)
        y, idx = torch.nn.functional.max_pool2d(x, return_indices=True, **kw)
        n = y.grad_fn
        saved = (n._saved_kernel_size, n._saved_stride, n._saved_padding, n._saved_dilation,
                 n._saved_ceil_mode, n._saved_self is x, n._saved_result1.equal(idx))
        weights = torch.arange(y.numel(), dtype=torch.float64).reshape(y.shape)
        (y * weights).sum().backward()  # each position's gradient says which outputs chose it
        return y, idx, saved, x.grad
    assert_same_outcome(program, rtol=1e-12)


def test_max_pool2d_nan_and_infinite_windows():
    def program(torch):
        nan, inf = float("nan"), float("inf")
        x = torch.tensor([[[1., 3, 3, 1, -inf], [3, 0, 3, 3, -inf], [nan, 1, 2, 2, -inf],
                           [1, nan, 2, 2, -inf], [-inf, -inf, -inf, -inf, -inf]]],
                         requires_grad=True)
        out = [torch.nn.functional.max_pool2d(x, k, s, p, return_indices=True)
               for k, s, p in ((2, 1, 0), (3, 1, 1), (2, 2, 1))]
        for y, _ in out:
            y.backward(torch.arange(1.0, 1 + y.numel()).reshape(y.shape))
        return out, x.grad
    assert_same_outcome(program)


def test_max_pool2d_float32_integer_and_no_grad():
    def program(torch):
        torch.manual_seed(6)
        x = torch.randn(2, 4, 9, 9)
        ints = torch.randint(-5, 5, (1, 2, 6, 6))
        return (torch.nn.functional.max_pool2d(x, 3, 2, 1),
                torch.nn.functional.max_pool2d(ints, 2, return_indices=True))
    assert_same_outcome(program)


def test_max_pool2d_graph_and_double_backward():
    torch = need_torch()

    def build(t):
        x = _tied(t, 2, 3, 6, 6)
        y = t.nn.functional.max_pool2d(x, 3, 2, 1)
        v = t.linspace(0.5, 1.5, y.numel(), dtype=t.float64).reshape(y.shape).requires_grad_()
        g, = t.autograd.grad(y, x, v, create_graph=True)
        gv, gx = t.autograd.grad((g * g * t.arange(1.0, 1 + x.numel(), dtype=t.float64)
                                  .reshape(x.shape)).sum(), (v, x), create_graph=True)
        return y, g, gv, gx
    for a, b in zip(build(torch), build(lab)):
        assert_same_graph(a, b)  # MaxPool2DWithIndicesBackwardBackward0, then view/gather/view
        assert a.detach().numpy() == pytest.approx(b.detach().numpy(), rel=1e-12)


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1),
                                dict(kernel_size=2, dilation=2, ceil_mode=True, stride=2)])
@pytest.mark.parametrize("batched", [True, False])
def test_max_pool1d(kw, batched):
    def program(torch):
        x = _tied(torch, *((2,) if batched else ()), 3, 9)
        y, idx = torch.nn.functional.max_pool1d(x, return_indices=True, **kw)
        plain = torch.nn.functional.max_pool1d(x, **kw)
        pool = plain.grad_fn.next_functions[0][0]  # Squeeze -> MaxPool2DWithIndices -> Unsqueeze
        saved = (pool._saved_kernel_size, pool._saved_stride, pool._saved_padding,
                 pool._saved_dilation)
        (y * torch.arange(y.numel(), dtype=torch.float64).reshape(y.shape)).sum().backward()
        return y, idx, plain, saved, x.grad
    assert_same_outcome(program, rtol=1e-12)
    torch = need_torch()
    assert_same_graph(torch.nn.functional.max_pool1d(_tied(torch, 2, 3, 9), 2),
                      lab.nn.functional.max_pool1d(_tied(lab, 2, 3, 9), 2))


@pytest.mark.parametrize("size", [1, 2, (3, 5), (None, 2), (4, 3)])
@pytest.mark.parametrize("batched", [True, False])
def test_adaptive_max_pool2d(size, batched):
    def program(torch):
        x = _tied(torch, *((2,) if batched else ()), 3, 7, 9)
        y, idx = torch.nn.functional.adaptive_max_pool2d(x, size, return_indices=True)
        g, = torch.autograd.grad((y * torch.arange(y.numel(), dtype=torch.float64)
                                  .reshape(y.shape)).sum(), x, create_graph=True)
        return y, idx, y.grad_fn._saved_self is x, y.grad_fn._saved_result1.equal(idx), g
    assert_same_outcome(program, rtol=1e-12)


def test_gradcheck_distinct_values():
    # finite differences need a unique maximum per window (ties are not differentiable)
    torch = lab
    torch.manual_seed(7)
    x = torch.randperm(2 * 3 * 7 * 6).reshape(2, 3, 7, 6).to(torch.float64)
    x = (x / 10).requires_grad_()
    F = torch.nn.functional
    for name, f in [("max_pool2d", lambda a: F.max_pool2d(a, 3, 2, 1, ceil_mode=True)),
                    ("max_pool2d dilated", lambda a: F.max_pool2d(a, (2, 3), 1, (1, 0), 2)),
                    ("max_pool1d", lambda a: F.max_pool1d(a.flatten(2), 4, 3, 2)),
                    ("adaptive_max_pool2d", lambda a: F.adaptive_max_pool2d(a, (3, 4)))]:
        check_gradient(name, f, (x,))
        check_second_derivative(name, f, (x,))


def test_with_indices_functions():
    def program(torch):
        F = torch.nn.functional
        x = _tied(torch, 2, 3, 8, 8)
        return (F.max_pool2d_with_indices(x, 3, 2, 1), F.max_pool1d_with_indices(x[0], 2),
                F.adaptive_max_pool2d_with_indices(x, (3, 2)))
    assert_same_outcome(program, rtol=1e-12)


def test_layers_repr_and_forward():
    def program(torch):
        nn = torch.nn
        x = _tied(torch, 2, 3, 8, 8)
        layers = [nn.MaxPool2d(2), nn.MaxPool2d((2, 3), 1, 1, 2, True, True),
                  nn.MaxPool2d(3, stride=2, ceil_mode=True), nn.AdaptiveMaxPool2d((2, None)),
                  nn.AdaptiveMaxPool2d(3, return_indices=True)]
        pooled = [layer(x) for layer in layers]
        line = nn.MaxPool1d(3, stride=2, padding=1)
        return [repr(m) for m in layers + [line]], pooled, line(x.flatten(2))
    assert_same_outcome(program, rtol=1e-12)


MAX_POOL_ERRORS = [
    lambda F, t: F.max_pool2d(t.ones(1, 1, 4, 4), 2, padding=2),
    lambda F, t: F.max_pool2d(t.ones(1, 1, 4, 4), (3, 2), padding=(0, 2)),
    lambda F, t: F.max_pool2d(t.ones(1, 1, 4, 4), 5),
    lambda F, t: F.max_pool2d(t.ones(1, 1, 6, 6), 3, dilation=2, padding=2),
    lambda F, t: F.max_pool2d(t.ones(2, 3, 4), (5, 1)),
    lambda F, t: F.max_pool2d(t.ones(1, 1, 4, 4), 0),
    lambda F, t: F.max_pool2d(t.ones(1, 1, 4, 4), 0, 1),
    lambda F, t: F.max_pool2d(t.ones(1, 1, 4, 4), 2, stride=0),
    lambda F, t: F.max_pool2d(t.ones(1, 1, 4, 4), 2, dilation=0),
    lambda F, t: F.max_pool2d(t.ones(1, 1, 4, 4), 2, padding=-1),
    lambda F, t: F.max_pool2d(t.ones(4, 4), 2),
    lambda F, t: F.max_pool2d(t.ones(1, 1, 0, 4), 2),
    lambda F, t: F.max_pool2d(t.ones(1, 1, 4, 4), (2, 2, 2)),
    lambda F, t: F.max_pool2d(t.ones(1, 1, 4, 4), 2, stride=(1, 1, 1)),
    lambda F, t: F.max_pool2d(t.ones(1, 1, 4, 4), 2, padding=(1, 1, 1)),
    lambda F, t: F.max_pool2d(t.ones(1, 1, 4, 4), 2, dilation=(1, 1, 1)),
    lambda F, t: F.max_pool2d(t.ones(1, 2, 2, dtype=t.bool), 1),
    lambda F, t: F.max_pool1d(t.ones(4), 2),
    lambda F, t: F.max_pool1d(t.ones(1, 1, 4), 5),
    lambda F, t: F.max_pool1d(t.ones(1, 1, 4), 0),
    lambda F, t: F.max_pool1d(t.ones(1, 1, 4), 2, stride=0),
    lambda F, t: F.max_pool1d(t.ones(1, 1, 4), 2, dilation=0),
    lambda F, t: F.max_pool1d(t.ones(1, 1, 4), 2, padding=2),
    lambda F, t: F.max_pool1d(t.ones(1, 1, 4), (2, 2)),
    lambda F, t: F.adaptive_max_pool2d(t.ones(4, 4), 2),
    lambda F, t: F.adaptive_max_pool2d(t.ones(1, 1, 4, 4), (2, 2, 2)),
    lambda F, t: F.adaptive_max_pool2d(t.ones(1, 1, 0, 4), 2),
]


@pytest.mark.parametrize("case", range(len(MAX_POOL_ERRORS)))
def test_errors(case):
    assert_same_error(lambda torch: MAX_POOL_ERRORS[case](torch.nn.functional, torch))
