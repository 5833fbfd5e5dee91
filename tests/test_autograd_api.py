"""``backward()`` and ``autograd.grad()`` against PyTorch: options, results and errors."""
import pytest

import autograd_lab as lab

from oracle import assert_same_error, assert_same_outcome


def _setup(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    w = torch.tensor([3., -1.], requires_grad=True)
    return x, w, (x * x * w).sum()


# == backward(inputs=...) =======================================================================
def test_backward_inputs_accumulates_only_into_the_given_tensors():
    def program(torch):
        x, w, y = _setup(torch)
        y.backward(inputs=[w], retain_graph=True)
        first = (x.grad, w.grad)
        torch.autograd.backward(y, inputs=x, retain_graph=True)
        second = (x.grad, w.grad)
        y.backward(inputs={"a": x, "b": w})  # a dict: its values
        return first, second, x.grad, w.grad
    assert_same_outcome(program)


def test_backward_inputs_non_leaf_is_retained_and_accumulates():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        h = x * 3
        y = (h * h).sum()
        y.backward(inputs=[h], retain_graph=True)
        y.backward(inputs=[h])
        return h.grad, h.retains_grad, x.grad
    assert_same_outcome(program)


def test_backward_input_not_in_graph_gets_nothing():
    def program(torch):
        x, w, y = _setup(torch)
        other = torch.tensor([1.], requires_grad=True)
        y.backward(inputs=[other, x])
        return other.grad, x.grad, w.grad
    assert_same_outcome(program)


@pytest.mark.parametrize("case", ["empty", "no_grad_input", "int_input", "mapping"])
def test_backward_inputs_errors(case):
    def program(torch):
        x, w, y = _setup(torch)
        if case == "empty":
            y.backward(inputs=[])
        elif case == "no_grad_input":
            y.backward(inputs=[torch.ones(2)])
        elif case == "int_input":
            y.backward(inputs=[3])
        else:
            import collections
            y.backward(inputs=collections.OrderedDict(a=x))
    assert_same_error(program)


# == grad_tensors, several roots, errors ========================================================
def test_backward_with_grad_tensors_and_several_roots():
    def program(torch):
        x, w, y = _setup(torch)
        v = x * w
        torch.autograd.backward([v, y], [torch.tensor([1., 10.]), None])
        return x.grad, w.grad
    assert_same_outcome(program)


def test_grad_tensors_of_another_dtype_are_cast():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        (x * 2).backward(torch.tensor([1., 1.], dtype=torch.float64))
        return x.grad
    assert_same_outcome(program)


@pytest.mark.parametrize("case", [
    "non_scalar", "int_output", "wrong_shape", "not_tensor_grad", "too_few_grads",
    "no_grad_root", "root_not_tensor", "second_backward", "grad_variables_twice",
])
def test_backward_errors(case):
    def program(torch):
        x, w, y = _setup(torch)
        v = x * w
        if case == "non_scalar":
            v.backward()
        elif case == "int_output":
            torch.autograd.backward(torch.tensor(3), None)
        elif case == "wrong_shape":
            v.backward(torch.ones(3))
        elif case == "not_tensor_grad":
            v.backward(3)
        elif case == "too_few_grads":
            torch.autograd.backward([y, y], [None])
        elif case == "no_grad_root":
            torch.autograd.backward([y, torch.ones(2)])
        elif case == "root_not_tensor":
            torch.autograd.backward([y, 3.0])
        elif case == "second_backward":
            y.backward()
            y.backward()
        else:
            torch.autograd.backward(y, grad_tensors=torch.ones(()), grad_variables=torch.ones(()))
    assert_same_error(program)


def test_backward_grad_variables_is_deprecated_but_works():
    def program(torch):
        x, w, y = _setup(torch)
        torch.autograd.backward(y, grad_variables=torch.tensor(2.))
        return x.grad
    assert_same_outcome(program)


def test_retain_graph_defaults_to_create_graph_and_create_graph_warns():
    def program(torch):
        x, w, y = _setup(torch)
        y.backward(create_graph=True)
        y.backward()  # the graph was kept
        return x.grad, x.grad.grad_fn is not None
    assert_same_outcome(program, check_warnings=False)  # the warning is given once per process


# == autograd.grad =============================================================================
def test_grad_returns_tuple_and_leaves_grad_alone():
    def program(torch):
        x, w, y = _setup(torch)
        g = torch.autograd.grad(y, [x, w], retain_graph=True)
        g_single = torch.autograd.grad(y, x)
        return g, g_single, x.grad
    assert_same_outcome(program)


def test_grad_dict_inputs_give_a_dict():
    def program(torch):
        x, w, y = _setup(torch)
        other = torch.tensor([1.], requires_grad=True)
        return torch.autograd.grad(y, {"w": w, "other": other, "x": x}, allow_unused=True)
    assert_same_outcome(program)


def test_grad_allow_unused_and_materialize_grads():
    def program(torch):
        x, w, y = _setup(torch)
        other = torch.tensor([1., 5.], requires_grad=True)
        unused = torch.autograd.grad(y, [other, x], allow_unused=True, retain_graph=True)
        zeros = torch.autograd.grad(y, [other, x], materialize_grads=True, retain_graph=True)
        graph = torch.autograd.grad(y, [other, x], materialize_grads=True, create_graph=True)
        return unused, zeros, graph
    assert_same_outcome(program)


@pytest.mark.parametrize("case", [
    "unused", "unused_second", "materialize_with_allow_unused_false", "empty_inputs",
    "no_grad_input", "non_scalar", "wrong_grad_output_shape", "grad_outputs_count",
    "input_not_tensor", "mapping_inputs",
])
def test_grad_errors(case):
    def program(torch):
        x, w, y = _setup(torch)
        other = torch.tensor([1.], requires_grad=True)
        if case == "unused":
            torch.autograd.grad(y, [other, x])
        elif case == "unused_second":
            torch.autograd.grad(y, [x, other])
        elif case == "materialize_with_allow_unused_false":
            torch.autograd.grad(y, x, materialize_grads=True, allow_unused=False)
        elif case == "empty_inputs":
            torch.autograd.grad(y, [])
        elif case == "no_grad_input":
            torch.autograd.grad(y, torch.ones(2))
        elif case == "non_scalar":
            torch.autograd.grad(x * w, x)
        elif case == "wrong_grad_output_shape":
            torch.autograd.grad(x * w, x, torch.ones(3))
        elif case == "grad_outputs_count":
            torch.autograd.grad([y, y], x, [torch.ones(())])
        elif case == "input_not_tensor":
            torch.autograd.grad(y, [x, 3])
        else:
            import collections
            torch.autograd.grad(y, collections.OrderedDict(x=x))
    assert_same_error(program)


def test_grad_only_inputs_false_warns():
    def program(torch):
        x, w, y = _setup(torch)
        return torch.autograd.grad(y, x, only_inputs=False)
    assert_same_outcome(program)


def test_grad_of_a_non_leaf_and_of_the_output_itself():
    def program(torch):
        x, w, y = _setup(torch)
        h = x * w
        z = (h * h).sum()
        return torch.autograd.grad(z, [h, z, x])
    assert_same_outcome(program)


def test_grad_with_grad_outputs_and_create_graph():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x ** 3
        v = torch.tensor([1., 0.5], requires_grad=True)
        g, = torch.autograd.grad(y, x, grad_outputs=v, create_graph=True)
        gg = torch.autograd.grad(g.sum(), [x, v])
        return g, gg
    assert_same_outcome(program)


def test_grad_is_grads_batched_gives_the_rows_of_the_jacobian():
    def program(torch):
        x = torch.tensor([1., 2., 3.], requires_grad=True)
        y = x ** 2
        rows, = torch.autograd.grad(y, x, torch.eye(3), is_grads_batched=True, retain_graph=True)
        two, = torch.autograd.grad(y, x, torch.tensor([[1., 1., 1.], [0., 2., 0.]]),
                                   is_grads_batched=True)
        return rows, two
    assert_same_outcome(program)


def test_grad_is_grads_batched_shape_error():
    assert_same_error(lambda torch: torch.autograd.grad(
        torch.tensor([1., 2.], requires_grad=True) * 2, [], is_grads_batched=True))

    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        torch.autograd.grad(x * 2, x, torch.ones(3, 3), is_grads_batched=True)
    assert_same_error(program)


def test_known_grad_values():
    x = lab.tensor([1., 2.], requires_grad=True)
    g, = lab.autograd.grad((x ** 3).sum(), x)
    assert g.tolist() == [3., 12.]
    assert x.grad is None
    rows, = lab.autograd.grad(x * 3, x, lab.eye(2), is_grads_batched=True)
    assert rows.tolist() == [[3., 0.], [0., 3.]]
