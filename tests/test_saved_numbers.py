"""A Python number an op saves (``x * 1.5`` saves 1.5 as ``_saved_other``).

autograd_lab keeps one saved record per number for every node that saves it (a chain of
``y * 0.999`` holds one, not one per node). These tests check that the sharing is invisible:
each node still behaves as if it held its own copy, as in PyTorch.
"""
from __future__ import annotations

import numpy as np

import autograd_lab as lab
from oracle import assert_same_outcome


def test_changing_one_nodes_saved_number_in_place_reaches_that_node_only():
    def program(torch):
        x = torch.tensor([1.], requires_grad=True)
        y = x * 1.5
        n = y.grad_fn._saved_other
        n.add_(1)
        z = x * 1.5  # the same number again: saved as 1.5, not as the changed 2.5
        saved_z = z.grad_fn._saved_other.clone()
        z.backward()
        grad = x.grad.clone()
        try:
            y.backward()  # y's own saved number was changed: PyTorch's in-place error
            error = None
        except RuntimeError as e:
            error = str(e)
        return n, saved_z, grad, error
    assert_same_outcome(program)


def test_freeing_one_nodes_saved_number_leaves_the_others():
    def program(torch):
        x = torch.tensor([2.], requires_grad=True)
        y = x * 0.25
        w = x * 0.25
        y.backward()  # frees y's saved 0.25, not w's
        try:
            y.grad_fn._saved_other
            freed = None
        except RuntimeError as e:
            freed = str(e)
        kept = w.grad_fn._saved_other
        w.backward()
        return freed, kept, x.grad
    assert_same_outcome(program)


def test_a_chain_saves_one_shared_record_and_differentiates_right():
    x = lab.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(50):
        y = y * 1.01
    nodes = []
    node = y.grad_fn
    while node is not None and node.name() == "MulBackward0":
        nodes.append(node)
        node = node.next_functions[0][0]
    assert len(nodes) == 50
    assert len({id(n._s_other) for n in nodes}) == 1  # one record, not 50
    y.backward(retain_graph=True)
    np.testing.assert_allclose(x.grad.numpy(), [1.01 ** 50], rtol=1e-6)
    # reading one node's number gives that node a record of its own; the rest still share
    assert float(nodes[3]._saved_other) == 1.01
    assert len({id(n._s_other) for n in nodes}) == 2
    x.grad = None
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.01 ** 50], rtol=1e-6)
