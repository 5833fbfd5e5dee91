"""Autograd attributes of a tensor against PyTorch: ``.data``, ``detach_()``,
``requires_grad_()``, ``retain_grad()``/``retains_grad``, ``is_leaf``, and a leaf's grad
accumulator after its flags change."""
import pytest

import autograd_lab as lab

from oracle import assert_same_error, assert_same_outcome


def test_data_shares_memory_but_not_the_version_counter():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * x  # saves x
        d = x.data
        d.add_(1)  # not seen by autograd: no error at backward
        y.sum().backward()
        return d.requires_grad, d.is_leaf, d._version, x._version, x, x.grad
    assert_same_outcome(program)


def test_data_assignment_keeps_the_history():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 2
        y.data = torch.tensor([5., 5., 5.])
        x.data = torch.tensor([7., 8.], dtype=torch.float64)
        return y, y.shape, y.grad_fn.name(), y._version, x, x.dtype
    assert_same_outcome(program)


@pytest.mark.parametrize("value", ["int_tensor", "number"])
def test_data_assignment_errors(value):
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        x.data = torch.tensor([1, 2]) if value == "int_tensor" else 3
    assert_same_error(program)


def test_detach_in_place():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 2
        y.retain_grad()
        same = y.detach_() is y
        leaf = torch.tensor([1.], requires_grad=True)
        leaf.detach_()
        return same, y.requires_grad, y.is_leaf, y.grad_fn, y.retains_grad, leaf.requires_grad
    assert_same_outcome(program)


@pytest.mark.parametrize("view", ["of_non_leaf", "of_detached"])
def test_detach_in_place_refuses_views(view):
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        v = (x * 2)[0] if view == "of_non_leaf" else x.detach()[0]
        v.detach_()
    assert_same_error(program)


def test_requires_grad_flags():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 2
        same = y.requires_grad_(True) is y
        a = torch.tensor([1., 2.])
        a.requires_grad_()
        b = torch.tensor([1., 2.]).requires_grad_(False)
        return same, a.requires_grad, a.is_leaf, b.requires_grad, y.is_leaf, x.is_leaf
    assert_same_outcome(program)


@pytest.mark.parametrize("case", ["non_leaf_off", "int_method", "int_attribute",
                                  "retain_without_grad"])
def test_requires_grad_errors(case):
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        if case == "non_leaf_off":
            (x * 2).requires_grad_(False)
        elif case == "int_method":
            torch.tensor([1, 2]).requires_grad_()
        elif case == "int_attribute":
            torch.tensor([1, 2]).requires_grad = True
        else:
            torch.tensor([1., 2.]).retain_grad()
    assert_same_error(program)


def test_retain_grad():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 2
        y.retain_grad()
        y.retain_grad()  # twice: still one capture
        x.retain_grad()  # a leaf: nothing to do
        z = (y * y).sum()
        z.backward(retain_graph=True)
        first = y.grad.clone()
        z.backward()  # accumulates
        return first, y.grad, y.retains_grad, x.retains_grad, z.retains_grad, z.grad
    assert_same_outcome(program)


def test_retain_grad_follows_an_in_place_op():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 2
        y.retain_grad()
        y.add_(1)
        (y * y).sum().backward()
        return y.grad, y.retains_grad, x.grad
    assert_same_outcome(program)


def test_retain_grad_with_create_graph_records_the_copy():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * x
        y.retain_grad()
        y.sum().backward(create_graph=True)
        first = y.grad.grad_fn.name() if y.grad.grad_fn is not None else None
        return y.grad, first
    assert_same_outcome(program, check_warnings=False)


def test_leaf_whose_requires_grad_was_turned_off_gets_no_grad():
    def program(torch):
        a = torch.tensor([1., 2.], requires_grad=True)
        b = a * 2
        a.requires_grad_(False)
        b.sum().backward()
        return a.grad
    assert_same_outcome(program)


def test_leaf_moved_into_the_graph_interior():
    def program(torch):
        w = torch.tensor([1., 1.], requires_grad=True)
        a = torch.tensor([1., 2.], requires_grad=True)
        b = a * 2
        a.requires_grad_(False)
        a.add_(w)  # a now has a history: its old AccumulateGrad must not write into it
        b.sum().backward()
    assert_same_error(program)


def test_known_data_and_detach_differ_in_version_counting():
    x = lab.tensor([1., 2.], requires_grad=True)
    x.data.add_(1)
    assert x._version == 0
    x.detach().add_(1)
    assert x._version == 1
    assert x.tolist() == [3., 4.]


def test_a_node_checks_all_its_saved_tensors_before_running():
    # PowBackward1 saved its result; it is modified in place; the exponent needs no gradient,
    # so the result is not used, but PyTorch's node unpacks (and checks) it anyway
    def program(torch):
        a = torch.tensor([2.], requires_grad=True)
        y = a ** torch.tensor([1.5])
        y.sigmoid_()
        y.sum().backward()
    assert_same_error(program)


def test_a_freed_node_refuses_to_run_even_without_gradient():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        a, b = (x * x).unbind()
        (a + b).backward()
        a.grad_fn(torch.ones(()), None)  # UnbindBackward0 saved nothing, MulBackward0 did
        b.backward()
    assert_same_error(program)


def test_saved_non_leaf_detached_in_place_is_refused():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        h = x * 2
        y = h * h  # saves h, a non-leaf
        h.detach_()
        y.sum().backward()
    assert_same_error(program)


@pytest.mark.parametrize("case", ["plain", "requires_grad", "volatile", "volatile_and_grad",
                                  "non_leaf", "empty", "not_a_tensor", "int_with_grad"])
def test_legacy_variable(case):
    def program(torch):
        Variable = torch.autograd.Variable
        t = torch.tensor([1., 2.])
        x = torch.tensor([1., 2.], requires_grad=True)
        v = {"plain": lambda: Variable(t), "requires_grad": lambda: Variable(t, True),
             "volatile": lambda: Variable(t, volatile=True),
             "volatile_and_grad": lambda: Variable(t, requires_grad=True, volatile=True),
             "non_leaf": lambda: Variable(x * 2), "empty": lambda: Variable(),
             "not_a_tensor": lambda: Variable([1., 2.]),
             "int_with_grad": lambda: Variable(torch.tensor([1]), requires_grad=True)}[case]()
        v.add_(1) if not v.requires_grad and v.numel() else None
        return v, t, v is t, isinstance(v, Variable), v.is_leaf
    assert_same_outcome(program)


def test_modified_message_names_copy_slices_with_its_namespace():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        h = x * 1
        h[0] = 5.0  # h's history now ends in CopySlices
        y = h * h  # saves h
        h.add_(1)
        y.sum().backward()
    assert_same_error(program)


def test_saved_inputs_are_checked_before_saved_outputs():
    def program(torch):
        x = torch.tensor([[1., 3.], [2., 0.5]], requires_grad=True)
        r = x * 1
        m = r.amax(0, keepdim=True)  # AmaxBackward0 saves its input r and its result m
        y = m * 2
        m.mul_(3)
        r.mul_(2)
        y.sum().backward()
    assert_same_error(program)
