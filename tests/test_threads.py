"""Autograd state belongs to a thread, as in PyTorch: grad mode, inference mode, the derivative
order of the nodes being made and saved-tensor hooks. A backward pass (which turns recording off
while it runs) or a ``no_grad`` block in one thread must leave another thread's forward pass
recording, and concurrent backward passes into one leaf must lose no gradient.

Interleavings are forced with events where the point is a particular order, and with a tiny
switch interval where the point is that no order breaks it. Each scenario is also run under
PyTorch, when it is importable, to show the expected values are PyTorch's.
"""
from __future__ import annotations

import sys
import threading
from typing import Any, Callable

import pytest

import autograd_lab as lab
from oracle import TORCH

torch = TORCH


def _in_thread(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a new thread and give back what it returned (or raise what it raised)."""
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as e:  # handed to the caller
            box["error"] = e

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


@pytest.fixture
def busy_switching():
    """Switch threads as often as the interpreter can, so races show up."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def _libraries() -> list:
    return [lab] + ([torch] if torch is not None else [])


def _tutorial_threads(lib: Any) -> list[float]:
    """The "multithreading" example of PyTorch's autograd mechanics notes."""
    results: list[float] = []

    def train_fn() -> None:
        x = lib.ones(5, 5, requires_grad=True)
        y = (x + 3) * (x + 4) * 0.5
        y.sum().backward()
        results.append(x.grad.sum().item())

    threads = [threading.Thread(target=train_fn) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("lib", _libraries(), ids=lambda m: m.__name__)
def test_ten_threads_each_get_their_gradient(lib, busy_switching):
    # d/dx of (x+3)(x+4)/2 is x + 3.5 = 4.5 at x = 1, over 25 elements. Before grad mode was
    # per thread, one thread's backward turned recording off for the others: half the threads
    # raised "element 0 of tensors does not require grad" on every one of these rounds.
    for _ in range(20):
        assert _tutorial_threads(lib) == [112.5] * 10


def _no_grad_in_one_thread(lib: Any) -> tuple:
    x = lib.ones(2, requires_grad=True)
    with lib.no_grad():
        seen_in_worker = _in_thread(lambda: ((x * 2).requires_grad, lib.is_grad_enabled()))
        seen_here = ((x * 2).requires_grad, lib.is_grad_enabled())

    def worker_turns_recording_off() -> bool:
        lib.set_grad_enabled(False)
        return (x * 2).requires_grad
    seen_in_second_worker = _in_thread(worker_turns_recording_off)
    return seen_in_worker, seen_here, seen_in_second_worker, (x * 2).requires_grad


@pytest.mark.parametrize("lib", _libraries(), ids=lambda m: m.__name__)
def test_grad_mode_is_per_thread(lib):
    # a new thread records even while its parent is in no_grad, and a thread that turns
    # recording off for good leaves the others recording
    assert _no_grad_in_one_thread(lib) == ((True, True), (False, False), False, True)


def _forward_during_a_backward(lib: Any) -> tuple:
    """Thread A pauses inside its backward (create_graph=True, in a tensor hook) while this
    thread runs a forward pass."""
    inside, finish = threading.Event(), threading.Event()
    seen_by_hook: list = []
    grads: list = []
    a = lib.ones(3, requires_grad=True)

    def backward_in_a() -> None:
        b = a * a
        b.register_hook(lambda g: seen_by_hook.append(lib.is_grad_enabled()))

        def wait(g: Any) -> None:
            inside.set()
            finish.wait(10)
        b.register_hook(wait)
        grads.extend(lib.autograd.grad(b.sum(), a, create_graph=True))

    thread = threading.Thread(target=backward_in_a)
    thread.start()
    assert inside.wait(10)
    w = lib.ones(2, requires_grad=True)
    z = w * 3
    recorded_here = (z.requires_grad, type(z.grad_fn).__name__, lib.is_grad_enabled())
    finish.set()
    thread.join()
    return recorded_here, seen_by_hook, grads[0].tolist(), z, w


@pytest.mark.parametrize("lib", _libraries(), ids=lambda m: m.__name__)
def test_forward_in_one_thread_during_a_backward_in_another(lib):
    recorded_here, seen_by_hook, a_grad, z, w = _forward_during_a_backward(lib)
    assert recorded_here == (True, "MulBackward0", True)
    assert seen_by_hook == [True]  # create_graph=True: A's backward records, in A
    assert a_grad == [2.0, 2.0, 2.0]
    if lib is lab:
        # the node made here is a forward node, not part of A's second derivative
        assert z.grad_fn._order == 0
    z.sum().backward()
    assert w.grad.tolist() == [3.0, 3.0]


def _inference_in_one_thread(lib: Any) -> tuple:
    x = lib.ones(2, requires_grad=True)
    with lib.inference_mode():
        seen_in_worker = _in_thread(lambda: (lib.is_inference_mode_enabled(),
                                             lib.ones(1).is_inference(),
                                             (x * 2).requires_grad))
        seen_here = (lib.is_inference_mode_enabled(), lib.ones(1).is_inference())
    return seen_in_worker, seen_here


@pytest.mark.parametrize("lib", _libraries(), ids=lambda m: m.__name__)
def test_inference_mode_is_per_thread(lib):
    assert _inference_in_one_thread(lib) == ((False, False, True), (True, True))


def _saved_hooks_in_one_thread(lib: Any) -> tuple:
    graph = lib.autograd.graph
    packed: list[str] = []
    x = lib.ones(2, requires_grad=True)

    def worker() -> tuple:
        y = x * x  # saves x twice, with no hooks of this thread's
        with graph.disable_saved_tensors_hooks("not in this thread"):
            refused_here = True
        y.sum().backward()
        return refused_here, x.grad.tolist()

    def pack(t: Any) -> Any:
        packed.append(threading.current_thread().name)
        return t

    with graph.saved_tensors_hooks(pack, lambda t: t):
        seen_in_worker = _in_thread(worker)
        y = x.exp()  # saves its result: packed here, once
    return seen_in_worker, packed, threading.current_thread().name


@pytest.mark.parametrize("lib", _libraries(), ids=lambda m: m.__name__)
def test_saved_tensor_hooks_are_per_thread(lib):
    seen_in_worker, packed, me = _saved_hooks_in_one_thread(lib)
    # the worker saved without the hooks, and could refuse hooks while this thread had some
    assert seen_in_worker == (True, [2.0, 2.0])
    assert packed == [me]


def test_saved_hooks_are_dropped_by_the_thread_that_set_them():
    # two threads nest their contexts in an interleaved order; each exit drops its own pair
    from autograd_lab.autograd import node
    graph = lab.autograd.graph
    entered, leave = threading.Event(), threading.Event()
    in_worker: list = []

    def worker() -> None:
        with graph.saved_tensors_hooks(lambda t: ("worker", t), lambda p: p[1]):
            entered.set()
            leave.wait(10)
            x = lab.ones(1, requires_grad=True)
            in_worker.append((x * x).grad_fn._raw_saved_self.is_packed)

    x = lab.ones(1, requires_grad=True)
    with graph.saved_tensors_hooks(lambda t: ("main", t), lambda p: p[1]):
        thread = threading.Thread(target=worker)
        thread.start()
        assert entered.wait(10)
    # this thread's context has ended while the worker's is still active
    assert not (x * x).grad_fn._raw_saved_self.is_packed
    assert len(node.default_hooks) == 1
    leave.set()
    thread.join()
    assert in_worker == [True]
    assert node.default_hooks == []


def _hogwild(lib: Any, threads: int, steps: int) -> list[float]:
    w = lib.zeros(3, requires_grad=True)

    def train() -> None:
        for _ in range(steps):
            (w * 2).sum().backward()

    workers = [threading.Thread(target=train) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return w.grad.tolist()


@pytest.mark.parametrize("lib", _libraries(), ids=lambda m: m.__name__)
def test_concurrent_backward_into_one_leaf_loses_no_gradient(lib, busy_switching):
    # a leaf's first gradient is stored, later ones added: two threads that both found no
    # gradient yet would each store theirs, and one would be lost without the lock
    for _ in range(30):
        assert _hogwild(lib, threads=4, steps=1) == [8.0] * 3
    assert _hogwild(lib, threads=4, steps=50) == [400.0] * 3


def _anomaly_parent_across_threads(lib: Any) -> tuple:
    """With anomaly mode on, thread A pauses inside a create_graph backward while this thread
    makes a node: only A's nodes may name A's running node as their parent."""
    inside, finish = threading.Event(), threading.Event()
    made_in_a: list = []
    a = lib.ones(3, requires_grad=True)

    def backward_in_a() -> None:
        b = a.exp()

        def hook(g: Any) -> None:
            made_in_a.append(g * 2)  # recorded during A's backward
            inside.set()
            finish.wait(10)
        b.register_hook(hook)
        lib.autograd.grad((b * b).sum(), a, create_graph=True)

    lib.autograd.set_detect_anomaly(True)
    try:
        thread = threading.Thread(target=backward_in_a)
        thread.start()
        assert inside.wait(10)
        here = lib.ones(2, requires_grad=True) * 3
        finish.set()
        thread.join()
    finally:
        lib.autograd.set_detect_anomaly(False)
    return "parent_" in here.grad_fn.metadata, "parent_" in made_in_a[0].grad_fn.metadata


@pytest.mark.parametrize("lib", _libraries(), ids=lambda m: m.__name__)
def test_anomaly_parents_are_per_thread(lib):
    assert _anomaly_parent_across_threads(lib) == (False, True)
