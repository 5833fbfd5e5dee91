"""Grad-mode switches against PyTorch: context managers, decorators (with and without
parentheses, on generators), plain calls, nesting, inference mode."""
import pytest

import autograd_lab as lab

from oracle import assert_same_error, assert_same_outcome


def test_no_grad_and_enable_grad_as_decorators_without_parentheses():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)

        @torch.no_grad
        def off():
            return (x * 2).requires_grad, torch.is_grad_enabled()

        @torch.enable_grad
        def on():
            return (x * 2).requires_grad, torch.is_grad_enabled()
        with torch.no_grad():
            inside = on()
        return off(), inside, torch.is_grad_enabled()
    assert_same_outcome(program)


def test_decorated_generator_runs_each_step_under_the_mode():
    def program(torch):
        x = torch.tensor([1.], requires_grad=True)

        @torch.no_grad()
        def steps():
            got = yield torch.is_grad_enabled()
            yield ((x * 2).requires_grad, got)
            return "done"
        gen = steps()
        first = next(gen)
        between = torch.is_grad_enabled()
        second = gen.send("sent")
        try:
            next(gen)
        except StopIteration as stop:
            last = stop.value
        return first, between, second, last
    assert_same_outcome(program)


def test_set_grad_enabled_plain_call_context_and_decorator():
    def program(torch):
        x = torch.tensor([1.], requires_grad=True)
        torch.set_grad_enabled(False)
        plain = ((x * 2).requires_grad, torch.is_grad_enabled())
        torch.set_grad_enabled(True)
        with torch.set_grad_enabled(False):
            ctx = (x * 2).requires_grad
        after_ctx = torch.is_grad_enabled()

        @torch.set_grad_enabled(False)
        def decorated():
            return torch.is_grad_enabled()
        after_decorating = torch.is_grad_enabled()
        return plain, ctx, after_ctx, decorated(), after_decorating, repr(
            torch.set_grad_enabled(True))
    assert_same_outcome(program)


def test_set_grad_enabled_needs_a_bool():
    assert_same_error(lambda torch: torch.set_grad_enabled(1))


def test_nesting_and_restoring_after_an_exception():
    def program(torch):
        x = torch.tensor([1.], requires_grad=True)
        with torch.no_grad():
            with torch.enable_grad():
                inner = (x * 2).requires_grad
            outer = (x * 2).requires_grad
        try:
            with torch.no_grad():
                raise ValueError("boom")
        except ValueError:
            pass
        return inner, outer, torch.is_grad_enabled()
    assert_same_outcome(program)


def test_one_no_grad_object_entered_twice():
    # the object keeps a single "previous mode": PyTorch's quirk, reproduced
    def program(torch):
        ng = torch.no_grad()
        with ng:
            with ng:
                pass
            inside = torch.is_grad_enabled()
        after = torch.is_grad_enabled()
        torch.set_grad_enabled(True)
        return inside, after
    assert_same_outcome(program)


def test_inference_mode():
    def program(torch):
        x = torch.tensor([1.], requires_grad=True)
        with torch.inference_mode():
            inside = (torch.is_grad_enabled(), torch.is_inference_mode_enabled(),
                      (x * 2).requires_grad)
            with torch.inference_mode(False):
                nested = (torch.is_grad_enabled(), torch.is_inference_mode_enabled())

        @torch.inference_mode
        def deco():
            return torch.is_grad_enabled()

        @torch.inference_mode(False)
        def deco_off():
            return torch.is_grad_enabled()
        with torch.no_grad():
            off = deco_off()
        return inside, nested, torch.is_inference_mode_enabled(), deco(), off
    assert_same_outcome(program)


def test_decorating_a_class_warns():
    def program(torch):
        class A:
            def __init__(self):
                self.grad = torch.is_grad_enabled()
        return torch.no_grad()(A)().grad
    assert_same_outcome(program)


def test_grad_mode_module_names():
    def program(torch):
        gm = torch.autograd.grad_mode
        return (gm.no_grad is torch.no_grad, gm.enable_grad is torch.enable_grad,
                torch.autograd.no_grad is torch.no_grad, type(torch.no_grad()).__name__)
    assert_same_outcome(program)


def test_known_grad_modes():
    x = lab.tensor([1.], requires_grad=True)
    with lab.no_grad():
        assert not (x * 2).requires_grad
        with lab.enable_grad():
            assert (x * 2).requires_grad
    lab.set_grad_enabled(False)
    assert not lab.is_grad_enabled()
    lab.set_grad_enabled(True)

    @lab.no_grad
    def gen():
        yield lab.is_grad_enabled()
    assert list(gen()) == [False]
    assert lab.is_grad_enabled()
