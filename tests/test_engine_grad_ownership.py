"""A leaf's first ``.grad`` may be the very gradient the engine computed (no copy), as in
PyTorch, but only when nothing else can reach that gradient or its memory.

Each program changes a gradient in place after backward and reports what every other holder
sees; under PyTorch and autograd_lab the answers must agree (no aliasing either way). The last
test checks that the engine does take a gradient over when it alone holds it (the MLP step's
weight gradients are not copied).
"""
import numpy as np

import autograd_lab as lab

from oracle import assert_same_outcome


def test_a_gradient_a_hook_kept_is_not_the_leafs_grad():
    def program(torch):
        kept = []
        a = torch.tensor([1., 2.], requires_grad=True)
        a.register_hook(lambda g: kept.append(g))
        (a * 3).sum().backward()
        a.grad.add_(1)
        return kept[0], a.grad
    assert_same_outcome(program)


def test_the_callers_gradient_is_not_the_leafs_grad():
    def program(torch):
        b = torch.tensor([1., 2.], requires_grad=True)
        g = torch.tensor([5., 6.])
        b.backward(g)
        b.grad.mul_(10)
        return g, b.grad
    assert_same_outcome(program)


def test_one_gradient_sent_to_two_leaves_gives_two_grads():
    def program(torch):
        d = torch.tensor([1., 2.], requires_grad=True)
        e = torch.tensor([3., 4.], requires_grad=True)
        (d + e).sum().backward()  # AddBackward0 hands the same tensor to both leaves
        d.grad.add_(100)
        return d.grad, e.grad
    assert_same_outcome(program)


def test_a_retained_gradient_is_not_the_leafs_grad():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 1
        y.retain_grad()
        z = y * 2
        z.sum().backward()
        x.grad.add_(7)
        return y.grad, x.grad
    assert_same_outcome(program)


def test_a_gradient_of_shared_memory_is_copied():
    def program(torch):
        base = torch.tensor([1., 2., 3.], requires_grad=True)
        w = torch.tensor([1., 2.], requires_grad=True)
        out = (base[:2] * w).sum()
        out.backward()
        base.grad.add_(1)
        return base.grad, w.grad
    assert_same_outcome(program)


def test_the_engine_takes_over_a_gradient_only_it_holds(monkeypatch):
    from autograd_lab.autograd import engine
    decisions = []
    real = engine._only_engine_holds

    def spy(inputs):
        decisions.append(real(inputs))
        return decisions[-1]
    monkeypatch.setattr(engine, "_only_engine_holds", spy)
    x = lab.from_numpy(np.arange(12, dtype=np.float32).reshape(4, 3))
    w = lab.ones(3, 2, requires_grad=True)
    (x @ w).sum().backward()
    assert decisions == [True]  # mm's gradient for w: new memory nobody else has
    expected = np.repeat(np.arange(12, dtype=np.float32).reshape(4, 3).sum(0)[:, None], 2, 1)
    np.testing.assert_array_equal(w.grad.numpy(), expected)
