"""nn.BatchNorm1d and F.batch_norm against PyTorch: outputs in training and evaluation, 2-D and
3-D input, NativeBatchNormBackward0 with its saved values, gradients of input, weight and bias
and second derivatives, running statistics (momentum, cumulative average with momentum=None,
num_batches_tracked), the printed form, state_dict and errors; and finite differences.
"""
import pytest

import autograd_lab as lab

from gradcheck_support import check_gradient, check_second_derivative, rand
from oracle import assert_same_error, assert_same_outcome


def test_training_eval_and_running_statistics():
    def program(torch):
        torch.manual_seed(0)
        bn = torch.nn.BatchNorm1d(3)
        start = (repr(bn), list(bn.state_dict()), bn.running_var.clone())
        x = torch.randn(5, 3, requires_grad=True)
        y = bn(x)
        node = y.grad_fn
        saved = (node.name(), node._saved_eps, node._saved_training, node._saved_result1,
                 node._saved_result2)
        (y[:, 0] ** 3 + y[:, 1] * torch.arange(5.0)).sum().backward()
        grads = (x.grad.clone(), bn.weight.grad, bn.bias.grad)
        stats = (bn.running_mean.clone(), bn.running_var.clone(), bn.num_batches_tracked)
        bn.eval()
        x.grad = None
        y_eval = bn(x)
        (y_eval * torch.arange(15.0).reshape(5, 3)).sum().backward()
        return start, y, saved, grads, stats, y_eval, x.grad, bn.num_batches_tracked
    out = assert_same_outcome(program)
    assert out.value[4][2].item() == 1  # eval did not count a batch


def test_second_derivative_values():
    def program(torch):
        torch.manual_seed(0)
        bn = torch.nn.BatchNorm1d(3)
        x = torch.randn(6, 3, requires_grad=True)
        g, = torch.autograd.grad((bn(x)[:, 0] ** 3).sum(), x, create_graph=True)
        return g.detach(), torch.autograd.grad((g ** 2).sum(), x)[0]
    assert_same_outcome(program, rtol=1e-4, atol=1e-5)


def test_three_dimensional_input_momentum_none_and_options():
    def program(torch):
        torch.manual_seed(0)
        bn = torch.nn.BatchNorm1d(3)
        out3 = bn(torch.randn(4, 3, 6))
        cumulative = torch.nn.BatchNorm1d(2, momentum=None)
        for _ in range(3):
            cumulative(torch.randn(6, 2))
        plain = torch.nn.BatchNorm1d(4, momentum=None, affine=False,
                                     track_running_stats=False, eps=1e-3)
        return (out3, bn.running_mean, bn.running_var, cumulative.running_mean,
                cumulative.running_var, cumulative.num_batches_tracked, repr(plain),
                plain(torch.randn(3, 4)), repr(torch.nn.BatchNorm1d(2, bias=False)),
                list(torch.nn.BatchNorm1d(2, bias=False).state_dict()))
    assert_same_outcome(program)


@pytest.mark.parametrize("program", [
    lambda torch: torch.nn.BatchNorm1d(3)(torch.randn(1, 3)),
    lambda torch: torch.nn.BatchNorm1d(3)(torch.randn(5, 4)),
    lambda torch: torch.nn.BatchNorm1d(3)(torch.randn(3)),
], ids=["one_value_per_channel", "wrong_features", "one_dimensional"])
def test_errors(program):
    assert_same_error(program)


def test_finite_differences():
    w, b = rand(3, seed=1), rand(3, seed=2)
    F = lab.nn.functional
    f = lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True)  # noqa: E731
    check_gradient("batch_norm", f, (rand(5, 3), w, b))
    check_second_derivative("batch_norm", lambda x: f(x, w, b) ** 2, (rand(4, 3, 2),))
    rm, rv = lab.zeros(3, dtype=lab.float64), lab.ones(3, dtype=lab.float64) * 2
    check_gradient("batch_norm (eval)",
                   lambda x, w: F.batch_norm(x, rm, rv, w, None, training=False),
                   (rand(5, 3), w))
