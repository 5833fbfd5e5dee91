"""Inference tensors: what ``inference_mode`` makes, and PyTorch's rules for them outside it
(not saved for backward, not changed in place, no ``requires_grad=True``, no version counter),
compared with PyTorch."""
from __future__ import annotations

import pytest

import autograd_lab as lab
from oracle import assert_same_error, assert_same_outcome


def test_tensors_made_inside_are_inference_tensors():
    def program(torch):
        x = torch.ones(2, 3, requires_grad=True)
        with torch.inference_mode():
            y = x * x
            z = torch.zeros(2)
            v = y[0]
            w = torch.ones(2, requires_grad=True)
            z.add_(1)  # allowed inside
            inside = torch.is_inference_mode_enabled()
        return (inside, y.requires_grad, y.is_inference(), v.is_inference(), x.is_inference(),
                z, w.requires_grad, w.is_inference(), torch.is_inference(z),
                z.detach().is_inference(), z.data.is_inference(), z.clone().is_inference(),
                (z + 1).is_inference(), y.grad_fn)
    assert_same_outcome(program)


def test_no_grad_tensors_are_not_inference_tensors():
    def program(torch):
        with torch.no_grad():
            a = torch.ones(2)
        with torch.inference_mode():
            with torch.inference_mode(False):
                b = torch.ones(2)
                on = torch.is_grad_enabled()
        return a.is_inference(), b.is_inference(), on
    assert_same_outcome(program)


@pytest.mark.parametrize("case", ["version", "version_inside", "inplace", "inplace_no_grad",
                                  "save", "save_custom", "requires_grad", "requires_grad_"])
def test_inference_tensor_errors(case):
    def program(torch):
        x = torch.ones(2, requires_grad=True)
        with torch.inference_mode():
            z = torch.ones(2)
            if case == "version_inside":
                return z._version
        if case == "version":
            return z._version
        if case == "inplace":
            z.add_(1)
        if case == "inplace_no_grad":
            with torch.no_grad():
                z.mul_(2)
        if case == "save":
            (x * z).sum().backward()
        if case == "save_custom":
            class Keep(torch.autograd.Function):
                @staticmethod
                def forward(ctx, a, b):
                    ctx.save_for_backward(b)
                    return a * b

                @staticmethod
                def backward(ctx, g):
                    return g, None
            Keep.apply(x, z)
        if case == "requires_grad":
            z.requires_grad = True
        if case == "requires_grad_":
            z.requires_grad_()
    assert_same_error(program)


def test_leaf_error_comes_before_the_inference_error():
    def program(torch):
        with torch.inference_mode():
            z = torch.ones(2)
            z.requires_grad_()
        z.add_(1)
    assert_same_error(program)


def test_ops_that_save_nothing_accept_inference_tensors():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        with torch.inference_mode():
            c = torch.tensor([3., 4.])
            lin = torch.nn.Linear(2, 1)
        (x + c).sum().backward()
        out = lin(torch.ones(2))  # the weight is not saved: the input needs no gradient
        return x.grad, out.requires_grad, lin.weight.is_inference()
    assert_same_outcome(program)


def test_decorator_and_wrapped_numbers_made_inside_stay_usable():
    def program(torch):
        @torch.inference_mode()
        def doubler(t):
            return t * 2.5
        x = torch.ones(2, requires_grad=True)
        out = doubler(x)
        y = (x * 2.5).sum()  # the number 2.5 was first wrapped inside inference mode
        y.backward()
        return out.requires_grad, out.is_inference(), x.grad
    assert_same_outcome(program)


def test_state_is_restored_after_an_exception():
    with pytest.raises(ValueError):
        with lab.inference_mode():
            raise ValueError
    assert not lab.is_inference_mode_enabled()
    assert not lab.ones(1).is_inference()
