"""The engine's trace of a backward pass, and the derivative order it stamps on new nodes."""
import numpy as np
import pytest

import autograd_lab as al
from autograd_lab.autograd.trace import record_backward


def seed_graph(T):
    x = T.tensor([2.], requires_grad=True)
    w = T.tensor([1.], requires_grad=True)
    a = T.add(x, w)
    a.retain_grad()
    b = T.add(w, 1)
    y = T.mul(a, b)
    return x, w, a, b, y


def test_trace_of_the_seed_graph_records_each_step_and_value():
    x, w, a, b, y = seed_graph(al)
    with record_backward() as trace:
        y.backward()
    names = [s.node_name for s in trace.steps]
    assert names[0] == "MulBackward0"
    assert sorted(names) == sorted(["MulBackward0", "AddBackward0", "AddBackward0",
                                    "torch::autograd::AccumulateGrad",
                                    "torch::autograd::AccumulateGrad"])
    mul_step = trace.steps[0]
    assert [g.tolist() for g in mul_step.grads_in] == [[1.0]]
    # dy/da = b = 2, dy/db = a = 3
    assert [g.tolist() for g in mul_step.grads_out] == [[2.0], [3.0]]
    # the retain_grad capture on a happens when a's node runs, with the value dy/da
    retained = [(t, g.tolist()) for s in trace.steps for t, g in s.retained]
    assert len(retained) == 1 and retained[0][0] is a and retained[0][1] == [2.0]
    accs = [s.accumulation for s in trace.steps if s.accumulation is not None]
    assert {id(acc.leaf): (acc.before, acc.after.tolist()) for acc in accs} == {
        id(x): (None, [2.0]), id(w): (None, [5.0])}
    # without retain_graph each node frees what it saved, and the trace says what
    assert mul_step.freed == ("self", "other")
    assert trace.root_grads[0].tolist() == [1.0]


def test_trace_shows_gradients_summed_at_a_branch_before_the_node_runs():
    a = al.tensor([1.], requires_grad=True)
    b = a + a
    c = b + b
    with record_backward() as trace:
        c.backward()
    first, second = trace.steps[0], trace.steps[1]
    assert first.node is c.grad_fn and second.node is b.grad_fn
    # both of c's edges go to b's node: after the first step its buffer holds 1 + 1
    assert [g.tolist() for g in first.buffers_after[b.grad_fn]] == [[2.0]]
    # a's AccumulateGrad still waits for both of b's edges
    assert first.dependencies_after == {b.grad_fn.next_functions[0][0]: 2}
    assert [g.tolist() for g in second.grads_in] == [[2.0]]
    assert trace.steps[-1].accumulation.after.tolist() == [4.0]


def test_trace_order_matches_pytorchs_execution_order():
    torch = pytest.importorskip("torch")

    def program(T):
        x = T.tensor([1., 2.], requires_grad=True)
        w = T.tensor([3., 4.], requires_grad=True)
        h = (x * w).relu()
        k = h * h + w.sum()
        return (k / 2 - x).sum()

    order = []
    out = program(torch)
    seen, stack = set(), [out.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        node.register_prehook(lambda g, n=node: order.append(n.name()))
        stack.extend(fn for fn, _ in node.next_functions)
    out.backward()
    ours = program(al)
    with record_backward() as trace:
        ours.backward()
    assert [s.node_name for s in trace.steps] == order


def test_trace_of_autograd_grad_records_captures_and_no_accumulation():
    x = al.tensor([3.], requires_grad=True)
    y = x ** 2
    with record_backward() as trace:
        g, = al.autograd.grad(y, x)
    assert [s.node_name for s in trace.steps] == ["PowBackward0",
                                                  "torch::autograd::AccumulateGrad"]
    assert trace.steps[1].captured[0][0] == 0
    assert trace.steps[1].captured[0][1].tolist() == [6.0]
    assert trace.steps[1].accumulation is None or trace.steps[1].accumulation.after is None
    assert x.grad is None and g.tolist() == [6.0]


def test_no_recorder_means_no_trace_and_recorders_do_not_leak():
    x = al.tensor([1.], requires_grad=True)
    with record_backward() as trace:
        pass
    (x * 2).backward()
    assert len(trace) == 0 and trace.all == []


def test_derivative_order_of_nodes_recorded_by_backward_passes():
    x = al.tensor([3.], requires_grad=True)
    y = x ** 3
    g1, = al.autograd.grad(y, x, create_graph=True)
    g2, = al.autograd.grad(g1, x, create_graph=True)
    assert y.grad_fn.derivative_order == 0
    assert g1.grad_fn.derivative_order == 1
    assert g2.grad_fn.derivative_order == 2
    assert g2.tolist() == [18.0]  # d2(x^3)/dx2 = 6x
    # a node called by hand records the next derivative too
    by_hand = y.grad_fn(al.tensor([1.], requires_grad=True))
    assert by_hand.grad_fn.derivative_order == 1
    # and forward ops afterwards are order 0 again
    assert (x * 2).grad_fn.derivative_order == 0
    assert np.allclose(g1.detach().numpy(), 27.0)


def test_trace_keeps_the_ready_queue_as_nodes_grad_fns_out_and_retained_grads():
    x, w, a, b, y = seed_graph(al)
    with record_backward() as trace:
        y.backward(create_graph=True)
    first = trace.steps[0]
    assert [n.name() for n in first.ready_nodes_after] == list(first.ready_after)
    assert set(first.ready_nodes_after) == {a.grad_fn, b.grad_fn}
    # create_graph=True: the gradients MulBackward0 returned have a graph of their own
    assert first.grad_fns_out == ("MulBackward0", "MulBackward0")
    step_a = next(s for s in trace.steps if s.node is a.grad_fn)
    assert [g.tolist() for g in step_a.retained_after] == [[2.0]]
    with record_backward() as plain:
        (x * 2).sum().backward()
    assert all(name is None for s in plain.steps for name in s.grad_fns_out)
