"""L1, Huber and smooth L1 losses (functions and modules) against PyTorch: values for each
reduction and threshold, node names (HuberLossBackward0, SmoothL1LossBackward0, L1 composed of
sub/abs/mean), first and second derivatives, reprs and the broadcast warning; and finite
differences.
"""
import pytest

import autograd_lab as lab

from gradcheck_support import check_gradient, check_second_derivative, rand
from oracle import assert_same_outcome, graph_signature

CASES = [("huber_loss", {}), ("huber_loss", dict(delta=0.5)),
         ("smooth_l1_loss", dict(beta=0.5)), ("smooth_l1_loss", dict(beta=0.0)),
         ("l1_loss", {})]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name, kw", CASES)
def test_values_nodes_and_derivatives(name, kw, reduction):
    def program(torch):
        torch.manual_seed(0)
        x = (torch.randn(2, 3) * 2).requires_grad_()
        t = torch.randn(2, 3)
        y = getattr(torch.nn.functional, name)(x, t, reduction=reduction, **kw)
        signature = graph_signature(y)
        g, = torch.autograd.grad(y.sum(), x, create_graph=True)
        gg, = torch.autograd.grad((g * g * torch.arange(6.0).reshape(2, 3)).sum(), x)
        return y, signature, g, g.grad_fn.name(), gg + 0  # (+ 0: L1's zero second
        # derivative is a lazy zero tensor in PyTorch, which cannot be listed as it is)
    assert_same_outcome(program)


def test_modules_target_gradient_and_broadcast_warning():
    def program(torch):
        torch.manual_seed(1)
        x = torch.randn(4, 2, requires_grad=True)
        t = torch.randn(4, 2, requires_grad=True)
        losses = [torch.nn.HuberLoss(delta=2.0), torch.nn.SmoothL1Loss(beta=0.5),
                  torch.nn.L1Loss(reduction="sum")]
        out = [(repr(m), m(x, t), torch.autograd.grad(m(x, t), (x, t))) for m in losses]
        return out, torch.nn.functional.huber_loss(x, t[0])
    out = assert_same_outcome(program)
    assert len(out.warnings) == 1


def test_known_huber_values_without_torch():
    x = lab.tensor([0.5, 3.0, -2.0])
    loss = lab.nn.functional.huber_loss(x, lab.zeros(3), reduction="none")
    assert loss.tolist() == [0.125, 2.5, 1.5]  # 0.5**2/2, 1*(3-0.5), 1*(2-0.5)


def test_finite_differences():
    t = lab.tensor([[0.1, -0.2, 2.0], [1.0, 0.5, -1.5]], dtype=lab.float64)
    F = lab.nn.functional
    x = rand(2, 3, seed=3)
    for name, f in [("huber", lambda a: F.huber_loss(a, t, delta=0.7)),
                    ("smooth_l1", lambda a: F.smooth_l1_loss(a, t, beta=0.7, reduction="sum"))]:
        check_gradient(name, f, (x,))
        check_second_derivative(name, f, (x,))
