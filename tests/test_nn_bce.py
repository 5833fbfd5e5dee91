"""Binary cross entropy (F.binary_cross_entropy / nn.BCELoss, of probabilities, and
F.binary_cross_entropy_with_logits / nn.BCEWithLogitsLoss) against PyTorch: values for each
reduction, weight and pos_weight, node names and saved values, first and second derivatives
for input and target, the -100 clamp, reprs and errors; and finite differences.
"""
import pytest

import autograd_lab as lab

from gradcheck_support import check_gradient, check_second_derivative, rand
from oracle import assert_same_error, assert_same_outcome, graph_signature


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_with_logits_values_grads_and_second_derivatives(reduction):
    def program(torch):
        torch.manual_seed(0)
        x = torch.randn(2, 3, requires_grad=True)
        t = torch.rand(2, 3)
        y = torch.nn.functional.binary_cross_entropy_with_logits(x, t, reduction=reduction)
        saved = (y.grad_fn.name(), y.grad_fn._saved_reduction, graph_signature(y))
        g, = torch.autograd.grad(y.sum(), x, create_graph=True)
        gg, = torch.autograd.grad((g * g).sum(), x)
        return y, saved, g, gg
    assert_same_outcome(program)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_probabilities_values_grads_and_second_derivatives(reduction):
    def program(torch):
        torch.manual_seed(0)
        x = torch.randn(2, 3, requires_grad=True)
        p = torch.sigmoid(x)
        t = torch.rand(2, 3)
        y = torch.nn.functional.binary_cross_entropy(p, t, reduction=reduction)
        g, = torch.autograd.grad(y.sum(), p, create_graph=True)
        gg, = torch.autograd.grad((g * g).sum(), x)
        return y, y.grad_fn.name(), g, graph_signature(g), gg
    assert_same_outcome(program)


def test_weights_pos_weight_and_target_gradients():
    def program(torch):
        torch.manual_seed(1)
        x = torch.randn(4, 3, requires_grad=True)
        t = torch.rand(4, 3, requires_grad=True)
        w, pw = torch.tensor([1.0, 2.0, 3.0]), torch.tensor([0.5, 2.0, 4.0])
        a = torch.nn.BCEWithLogitsLoss(weight=w, pos_weight=pw)(x, t)
        b = torch.nn.BCELoss(weight=w, reduction="sum")(torch.sigmoid(x), t)
        ga = torch.autograd.grad(a, (x, t))
        gb = torch.autograd.grad(b, (x, t))
        return a, b, ga, gb, repr(torch.nn.BCEWithLogitsLoss(pos_weight=pw))
    assert_same_outcome(program)


def test_certain_wrong_answers_cost_100_and_large_logits_stay_finite():
    def program(torch):
        F = torch.nn.functional
        return (F.binary_cross_entropy(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.0])),
                F.binary_cross_entropy_with_logits(torch.tensor([100.0, -100.0, 100.0]),
                                                   torch.tensor([1.0, 0.0, 0.0])))
    out = assert_same_outcome(program)
    assert out.value[0].item() == 100.0
    assert out.value[1].item() == pytest.approx(100 / 3, rel=1e-5)


@pytest.mark.parametrize("program", [
    lambda torch: torch.nn.functional.binary_cross_entropy(torch.full((2, 3), 0.5),
                                                           torch.ones(3)),
    lambda torch: torch.nn.functional.binary_cross_entropy_with_logits(torch.zeros(2, 3),
                                                                       torch.ones(3)),
    lambda torch: torch.nn.functional.binary_cross_entropy(torch.full((2,), 1.5),
                                                           torch.ones(2)),
    lambda torch: torch.nn.functional.binary_cross_entropy(torch.full((2,), 0.5),
                                                           torch.ones(2, dtype=torch.long)),
    lambda torch: torch.nn.BCELoss(reduction="avg")(torch.full((2,), 0.5), torch.ones(2)),
], ids=["size", "logits_size", "not_probability", "long_target", "bad_reduction"])
def test_errors(program):
    assert_same_error(program)


def test_finite_differences():
    t = lab.tensor([[0.2, 0.9, 0.0], [1.0, 0.5, 0.3]], dtype=lab.float64)
    pw = lab.tensor([0.5, 2.0, 4.0], dtype=lab.float64)
    F = lab.nn.functional
    check_gradient("bce_with_logits",
                   lambda x, tt: F.binary_cross_entropy_with_logits(x, tt, pos_weight=pw),
                   (rand(2, 3), lab.tensor(t.tolist(), dtype=lab.float64, requires_grad=True)))
    check_second_derivative("bce_with_logits",
                            lambda x: F.binary_cross_entropy_with_logits(x, t), (rand(2, 3),))
    probs = rand(2, 3, low=0.1, high=0.9)
    check_gradient("bce", lambda p: F.binary_cross_entropy(p, t, reduction="sum"), (probs,))
    check_second_derivative("bce", lambda p: F.binary_cross_entropy(p, t), (probs,))
