"""Deep graphs: the engine walks graphs with explicit stacks, never with recursion.

Each test runs under a recursion limit only a little above the test's own stack depth, so
any recursive walk (building, backward, grad, freeing, printing, deleting the graph) fails with
RecursionError instead of passing on a generous default limit.
"""
import contextlib
import gc
import inspect
import math
import sys

import pytest

import autograd_lab as lab

N = 100_000
HEADROOM = 120  # frames allowed above the caller: plenty for the engine, far below any chain


@contextlib.contextmanager
def shallow_stack():
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + HEADROOM)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def chain(x, n):
    """x -> (((x + 0.5) * 1.0001) + 0.5) * 1.0001 ...: n ops alternating add and mul."""
    y = x
    for i in range(n):
        y = y * 1.0001 if i % 2 else y + 0.5
    return y


def chain_derivative(n):
    return 1.0001 ** (n // 2)


def test_100k_chain_backward_grad_repr_and_free():
    x = lab.tensor(1.0, dtype=lab.float64, requires_grad=True)
    with shallow_stack():
        y = chain(x, N)
        text = repr(y)
        g, = lab.autograd.grad(y, x, retain_graph=True)
        y.backward()
        first = x.grad.item()
        # y * 1.0001 saves the wrapped number (as PyTorch): the graph was freed
        with pytest.raises(RuntimeError, match="^Trying to backward through the graph a second"):
            y.backward()
        assert x.grad.item() == first
        del y
        gc.collect()
    assert text.startswith("tensor(") and text.endswith("grad_fn=<MulBackward0>)")
    assert g.item() == first == pytest.approx(chain_derivative(N), rel=1e-12)


def test_deep_additions_save_nothing_and_run_twice():
    x = lab.tensor([1.0, 2.0], requires_grad=True)
    with shallow_stack():
        y = x
        for _ in range(N // 5):
            y = y + 0.5
        s = y.sum()
        s.backward()
        s.backward()  # AddBackward0 and SumBackward0 keep no tensor: allowed, as in PyTorch
    assert x.grad.tolist() == [2.0, 2.0]


def test_deep_chain_with_saved_tensors_is_freed_and_refuses_a_second_backward():
    x = lab.tensor([0.5, -0.25], dtype=lab.float64, requires_grad=True)
    w = lab.tensor([1.0, 1.0], dtype=lab.float64, requires_grad=True)
    with shallow_stack():
        y = x
        for _ in range(N // 5):
            y = y * w  # MulBackward0 saves both factors at every step
        loss = y.sum()
        loss.backward()
        first = (x.grad.tolist(), w.grad.tolist())
        with pytest.raises(RuntimeError, match="^Trying to backward through the graph a second"):
            loss.backward()
        assert (x.grad.tolist(), w.grad.tolist()) == first, "a refused backward changes nothing"
        del y, loss
        gc.collect()
    assert first == ([1.0, 1.0], [0.5 * N // 5, -0.25 * N // 5])


def test_deep_fan_in_on_one_leaf():
    """The same leaf used 20,000 times: its AccumulateGrad sums every contribution."""
    x = lab.tensor(2.0, dtype=lab.float64, requires_grad=True)
    n = N // 5
    with shallow_stack():
        y = x * 0
        for _ in range(n):
            y = y + x
        y.backward()
    assert x.grad.item() == float(n)


def test_deep_chain_with_retain_grad_hooks_and_inputs():
    x = lab.tensor(1.0, dtype=lab.float64, requires_grad=True)
    n = N // 10
    with shallow_stack():
        h = chain(x, n)
        h.retain_grad()
        seen = []
        h.register_hook(lambda g: seen.append(g.item()))
        y = chain(h, n)
        y.backward(inputs=[x, h])
    assert h.grad.item() == pytest.approx(chain_derivative(n), rel=1e-12)
    assert seen == [h.grad.item()]
    assert x.grad.item() == pytest.approx(chain_derivative(n) ** 2, rel=1e-12)


def test_10k_chain_create_graph_second_derivative():
    """f(x) = x * (1 + c x)**n built one op at a time; f'' by differentiating f'."""
    n, c, v = 10_000, 1e-4, 0.5
    x = lab.tensor(v, dtype=lab.float64, requires_grad=True)
    with shallow_stack():
        a = 1 + c * x
        y = x
        for _ in range(n):
            y = y * a
        g, = lab.autograd.grad(y, x, create_graph=True)
        h, = lab.autograd.grad(g, x)
    a_v = 1 + c * v
    expected_g = a_v ** n + v * n * c * a_v ** (n - 1)
    expected_h = 2 * n * c * a_v ** (n - 1) + v * n * (n - 1) * c * c * a_v ** (n - 2)
    assert g.item() == pytest.approx(expected_g, rel=1e-11)
    assert h.item() == pytest.approx(expected_h, rel=1e-11)
    assert math.isclose(expected_g, 1.6487 + 0.5 * 1.6487, rel_tol=1e-3)


def test_deep_unrolled_sum_builtin():
    """Python's builtin sum over a 20,000-element tensor: 20,000 AddBackward0 on one Unbind."""
    x = lab.arange(20_000., dtype=lab.float64).requires_grad_()
    with shallow_stack():
        s = sum(x * 2)
        s.backward()
    assert s.item() == 2 * sum(range(20_000))
    assert x.grad.tolist() == [2.0] * 20_000
