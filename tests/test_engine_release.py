"""Freeing deep graphs: a 100,000-op chain is built, differentiated and freed under a small
stack, and the next op runs.

CPython bounds the nesting of deallocations itself, so here the tests run twice: as installed
on this interpreter, and with ``autograd/release.py``'s ``Node.__del__`` switched on as it is
in the browser (Pyodide, where freeing a chain of ~2,400 ops without it overflows the stack:
tests/site checks that case in a real browser). With the release switched on, every node of a
chain but the first must be freed by the loop of the one release its head started, never by a
deallocation nested in another: that is what keeps the stack flat, and a release that holds
any reference too long (a local, the dying node's own slots) fails it.
"""
from __future__ import annotations

import gc
import math
import threading
import weakref

import pytest

import autograd_lab as lab
from autograd_lab.autograd import release
from autograd_lab.autograd.node import Node

N = 100_000
SMALL_STACK = 256 * 1024  # bytes: a 100,000-deep C recursion would need hundreds of MiB


@pytest.fixture(params=["as installed", "browser release"])
def release_mode(request):
    on = request.param == "browser release"
    release.install(Node, on=on)
    try:
        yield on
    finally:
        release.install(Node)
    assert release._pending == []


def in_small_stack(fn):
    """Run ``fn()`` in a thread with a ``SMALL_STACK`` stack; return its result or raise its
    exception."""
    out: dict = {}

    def run():
        try:
            out["value"] = fn()
        except BaseException as exc:  # handed to the caller
            out["error"] = exc

    old = threading.stack_size(SMALL_STACK)
    try:
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old)
    if "error" in out:
        raise out["error"]
    return out["value"]


class FreedProbe:
    """Watches nodes die: how many, and how many died outside a release's loop."""

    def __init__(self) -> None:
        self.freed = 0
        self.outside_loop = 0
        self.refs: list = []

    def watch(self, node: Node) -> None:
        self.refs.append(weakref.ref(node, self._died))

    def _died(self, _ref) -> None:
        self.freed += 1
        if not release._pending:
            self.outside_loop += 1


def watched_chain(x, w, n, probe):
    """x -> ((x * w) + 0.5) * w ...: n ops; each MulBackward0 saves both factors, so before a
    backward the chain also runs through saved tensors, not only through next_functions."""
    y = x
    for i in range(n):
        y = y * w if i % 2 else y + 0.5
        probe.watch(y.grad_fn)
    return y


def expected_grads(n, x0, w0):
    # y_{k+1} = y_k + 0.5 (k even), y_k * w (k odd): dy/dx = w ** (n // 2); dy/dw by the
    # same recurrence in floats
    y, dy_dw = x0, 0.0
    for i in range(n):
        if i % 2:
            dy_dw = dy_dw * w0 + y
            y = y * w0
        else:
            y = y + 0.5
    return w0 ** (n // 2), dy_dw


def test_100k_chain_forward_backward_free_under_a_small_stack(release_mode):
    x0, w0 = 0.25, 1.00001

    def work():
        x = lab.tensor(x0, dtype=lab.float64, requires_grad=True)
        w = lab.tensor(w0, dtype=lab.float64, requires_grad=True)
        probe = FreedProbe()
        y = watched_chain(x, w, N, probe)
        text = repr(y)
        y.backward()
        del y
        gc.collect()
        after = (lab.tensor([1.0, 2.0], requires_grad=True) * 3).sum()
        after.backward()
        return x.grad.item(), w.grad.item(), text, probe, after.item()

    gx, gw, text, probe, after = in_small_stack(work)
    want_x, want_w = expected_grads(N, x0, w0)
    assert gx == pytest.approx(want_x, rel=1e-12)
    assert gw == pytest.approx(want_w, rel=1e-9)
    assert text.endswith("dtype=torch.float64, grad_fn=<MulBackward0>)")
    assert probe.freed == N                      # the whole graph was freed by the del
    assert all(ref() is None for ref in probe.refs[::997])
    if release_mode:
        assert probe.outside_loop == 1           # only the head: all others in its loop
    assert after == 9.0


def test_100k_chain_never_differentiated_is_freed_through_its_saved_tensors(release_mode):
    # no backward: every MulBackward0 still holds the previous y, whose grad_fn is the
    # previous node, so the chain runs through the saved tensors too
    def work():
        x = lab.tensor(1.0, dtype=lab.float64, requires_grad=True)
        w = lab.tensor(1.0, dtype=lab.float64, requires_grad=True)
        probe = FreedProbe()
        y = watched_chain(x, w, N, probe)
        del y
        return probe, (x * w).item()

    probe, after = in_small_stack(work)
    assert probe.freed == N
    if release_mode:
        assert probe.outside_loop == 1
    assert after == 1.0


class Shift(lab.autograd.Function):
    """x + 1, keeping x in its ctx: a custom node's chain runs through its ``__dict__``."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        ctx.kept = x
        return x + 1

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (x * 0 + 2)


def test_chain_of_custom_functions_is_freed_by_one_release(release_mode):
    n = 5_000

    def work():
        x = lab.tensor(0.0, dtype=lab.float64, requires_grad=True)
        probe = FreedProbe()
        y = x
        for _ in range(n):
            y = Shift.apply(y)
            probe.watch(y.grad_fn)
        value = y.item()
        del y   # never differentiated: ctx.kept and the saved x lead to the previous node
        return value, probe

    value, probe = in_small_stack(work)
    assert value == float(n)
    assert probe.freed == n
    if release_mode:
        assert probe.outside_loop == 1


def test_release_changes_no_result(release_mode):
    """The same graph gives the same gradients, hooks and second-backward error whether nodes
    release their graph themselves or not."""
    x = lab.tensor([1.0, -2.0, 3.0], dtype=lab.float64, requires_grad=True)
    seen = []
    y = (x * x).sin().sum()
    y.grad_fn.register_hook(lambda gin, gout: seen.append(gout[0].item()))
    y.backward(retain_graph=True)
    first = x.grad.tolist()
    y.backward()
    with pytest.raises(RuntimeError, match="^Trying to backward through the graph a second"):
        y.backward()
    assert first == pytest.approx([2 * v * math.cos(v * v) for v in (1.0, -2.0, 3.0)])
    assert x.grad.tolist() == pytest.approx([2 * g for g in first])
    assert seen == [1.0, 1.0, 1.0]  # the sum's hook ran before sin refused, as in PyTorch
