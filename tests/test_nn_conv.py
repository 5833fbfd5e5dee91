"""conv2d, avg_pool2d, adaptive_avg_pool2d and the Conv2d / AvgPool2d / AdaptiveAvgPool2d
layers, compared with PyTorch: values, node names and saved fields, first and second
derivatives, layer initialisation and repr, errors; finite-difference checks."""
from __future__ import annotations

import pytest

import autograd_lab as lab
from oracle import assert_same_error, assert_same_graph, assert_same_outcome, need_torch

CONV_CASES = [
    dict(stride=1, padding=0, dilation=1, groups=1),
    dict(stride=2, padding=1, dilation=1, groups=1),
    dict(stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2),
    dict(stride=1, padding="same", dilation=1, groups=1),
    dict(stride=1, padding="valid", dilation=2, groups=4),
]


def _conv_inputs(torch, groups, bias=True, batched=True):
    torch.manual_seed(0)
    x = torch.randn(*((2,) if batched else ()), 4, 7, 6, dtype=torch.float64, requires_grad=True)
    w = torch.randn(4, 4 // groups, 3, 3, dtype=torch.float64, requires_grad=True)
    b = torch.randn(4, dtype=torch.float64, requires_grad=True) if bias else None
    return x, w, b


@pytest.mark.parametrize("case", range(len(CONV_CASES)))
@pytest.mark.parametrize("bias", [True, False])
def test_conv2d_values_graph_and_grads(case, bias):
    kw = CONV_CASES[case]

    def program(torch):
        x, w, b = _conv_inputs(torch, kw["groups"], bias)
        y = torch.nn.functional.conv2d(x, w, b, **kw)
        node = y.grad_fn
        saved = (node._saved_stride, node._saved_padding, node._saved_dilation,
                 node._saved_groups, node._saved_transposed, node._saved_output_padding,
                 node._saved_bias_sym_sizes_opt, node._saved_input is x,
                 node._saved_weight.equal(w))
        (y ** 2).sum().backward()
        return y, saved, x.grad, w.grad, None if b is None else b.grad
    assert_same_outcome(program, rtol=1e-10)


def test_conv2d_graph_and_double_backward():
    torch = need_torch()

    def build(t):
        x, w, b = _conv_inputs(t, 2)
        y = t.nn.functional.conv2d(x, w, b, stride=2, padding=1, groups=2)
        gx, gw, gb = t.autograd.grad(y.pow(2).sum(), (x, w, b), create_graph=True)
        return y, gx, (gx.pow(2).sum() + gw.pow(2).sum() + gb.sum()), (x, w, b)
    ty, tgx, tloss, tin = build(torch)
    ly, lgx, lloss, lin = build(lab)
    assert_same_graph(ty, ly)
    assert_same_graph(tgx, lgx)  # ConvolutionBackwardBackward0 and what it hangs from
    tloss.backward()
    lloss.backward()
    for a, b in zip(tin, lin):
        assert a.grad.detach().numpy() == pytest.approx(b.grad.numpy(), rel=1e-10)


def test_conv2d_unbatched_and_gradcheck():
    def program(torch):
        x, w, b = _conv_inputs(torch, 1, batched=False)
        y = torch.nn.functional.conv2d(x, w, b, padding=1)
        y.sum().backward()
        return y, x.grad, w.grad
    assert_same_outcome(program, rtol=1e-10)
    x, w, b = _conv_inputs(lab, 2)
    x = x.detach()[:1, :, :5, :5].requires_grad_()

    def f(a, c, d):
        return lab.nn.functional.conv2d(a, c, d, stride=2, padding=1, groups=2)
    assert lab.autograd.gradcheck(f, (x, w, b))
    assert lab.autograd.gradgradcheck(f, (x, w, b))


@pytest.mark.parametrize("kw", [dict(kernel_size=4), dict(kernel_size=3, stride=2, padding=1),
                                dict(kernel_size=(3, 2), stride=1, padding=(1, 0),
                                     count_include_pad=False),
                                dict(kernel_size=2, divisor_override=3),
                                dict(kernel_size=3, stride=2, ceil_mode=True),
                                dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
                                dict(kernel_size=(2, 3), stride=(3, 2), padding=1,
                                     ceil_mode=True, count_include_pad=False),
                                dict(kernel_size=4, stride=3, ceil_mode=True, divisor_override=5)])
def test_avg_pool2d(kw):
    def program(torch):
        torch.manual_seed(1)
        x = torch.randn(2, 3, 8, 7, dtype=torch.float64, requires_grad=True)
        y = torch.nn.functional.avg_pool2d(x, **kw)
        n = y.grad_fn
        saved = (n._saved_kernel_size, n._saved_stride, n._saved_padding, n._saved_ceil_mode,
                 n._saved_count_include_pad, n._saved_divisor_override)
        g, = torch.autograd.grad(y.pow(2).sum(), x, create_graph=True)
        g.pow(2).sum().backward()
        return y, saved, g, x.grad
    assert_same_outcome(program, rtol=1e-10)


@pytest.mark.parametrize("size", [1, 2, (3, 5), (None, 2)])
def test_adaptive_avg_pool2d(size):
    def program(torch):
        torch.manual_seed(2)
        x = torch.randn(2, 3, 7, 9, dtype=torch.float64, requires_grad=True)
        y = torch.nn.functional.adaptive_avg_pool2d(x, size)
        g, = torch.autograd.grad(y.pow(2).sum(), x, create_graph=True)
        g.pow(2).sum().backward()
        return y, g, x.grad
    assert_same_outcome(program, rtol=1e-10)


def test_layers_init_repr_and_forward():
    def program(torch):
        nn = torch.nn
        torch.manual_seed(3)
        model = nn.Sequential(nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1), nn.ReLU(),
                              nn.Conv2d(16, 4, 3, dilation=2, groups=4, bias=False),
                              nn.AvgPool2d(2), nn.AdaptiveAvgPool2d((2, 1)))
        out = model(torch.ones(2, 1, 20, 20))
        return (repr(model), [p.detach() for p in model.parameters()], out,
                repr(nn.Conv2d(4, 4, (3, 5), padding="same", groups=2)))
    assert_same_outcome(program, rtol=1e-5)


@pytest.mark.parametrize("case", ["channels", "dims", "pool_pad", "groups_split_weight",
                                  "groups_channels"])
def test_errors(case):
    def program(torch):
        F = torch.nn.functional
        if case == "channels":
            F.conv2d(torch.ones(1, 3, 4, 4), torch.ones(2, 2, 3, 3))
        if case == "dims":
            F.conv2d(torch.ones(3, 4), torch.ones(2, 2, 3, 3))
        if case == "pool_pad":
            F.avg_pool2d(torch.ones(1, 1, 4, 4), 2, padding=2)
        if case == "groups_split_weight":  # (checked before the input's channels)
            F.conv2d(torch.ones(1, 2, 5, 5), torch.ones(3, 1, 3, 3), groups=2)
        if case == "groups_channels":
            F.conv2d(torch.ones(1, 3, 5, 5), torch.ones(4, 1, 3, 3), groups=2)
    assert_same_error(program)


@pytest.mark.parametrize("groups", [1, 2])
def test_conv2d_float32_stays_float32(groups):
    # LeNet-sized float32 images: values and gradients within float32 rounding of PyTorch's,
    # and every result float32 (no float64 on the way)
    def program(torch):
        torch.manual_seed(4)
        x = torch.randn(8, 6, 14, 14, requires_grad=True)
        w = torch.randn(16, 6 // groups, 5, 5, requires_grad=True)
        b = torch.randn(16, requires_grad=True)
        y = torch.nn.functional.conv2d(x, w, b, stride=(1, 2), padding=2, groups=groups)
        y.backward(torch.linspace(-1, 1, y.numel()).reshape(y.shape))
        return y, x.grad, w.grad, b.grad, [t.dtype for t in (y, x.grad, w.grad, b.grad)]
    assert_same_outcome(program, rtol=1e-4, atol=1e-4)
