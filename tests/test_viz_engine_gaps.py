"""Differences from PyTorch found while building the graph pictures (engine side, not viz),
since fixed in the engine: each test states PyTorch's behaviour and keeps it that way.
"""
import pytest

import autograd_lab as torch


def seq(node):
    """The sequence number, whether the engine has PyTorch's method or an attribute."""
    nr = node._sequence_nr
    return nr() if callable(nr) else nr


def mul_graph(T):
    x = T.tensor([3.], requires_grad=True)
    g = x * 2
    return x, g, g * x


def test_dir_of_a_node_lists_its_saved_attributes():
    _, _, z = mul_graph(torch)
    assert sorted(a for a in dir(z.grad_fn) if "_saved_" in a) == [
        "_raw_saved_other", "_raw_saved_self", "_saved_other", "_saved_self"]


def test_sequence_nr_is_a_method_as_in_pytorch():
    _, _, z = mul_graph(torch)
    acc = z.grad_fn.next_functions[1][0]
    assert callable(z.grad_fn._sequence_nr)
    assert acc._sequence_nr() == 2 ** 64 - 1


def test_mul_derivative_records_nodes_in_pytorchs_order():
    x, g, z = mul_graph(torch)
    gz, = torch.autograd.grad(z, x, create_graph=True)
    made, stack = [], [gz.grad_fn]
    while stack:                                     # the nodes this backward pass recorded
        node = stack.pop()
        if node is None or any(node is m for m in made):
            continue
        if seq(node) > seq(z.grad_fn) and node.name() != \
                "torch::autograd::AccumulateGrad":
            made.append(node)
        stack.extend(fn for fn, _ in node.next_functions)
    made.sort(key=seq)
    assert [(node.name(), [fn.name().rsplit("::", 1)[-1] if fn is not None else None
                           for fn, _ in node.next_functions]) for node in made] == [
        ("MulBackward0", [None, "MulBackward0"]),     # grad * self: for `other` (x), first
        ("MulBackward0", [None, "AccumulateGrad"]),   # grad * other: for `self` (g)
        ("MulBackward0", ["MulBackward0", None]),     # through g = x * 2
        ("AddBackward0", ["MulBackward0", "MulBackward0"])]
