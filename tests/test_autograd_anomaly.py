"""Anomaly mode against PyTorch: NaN checks, the traceback of the forward call behind a failing
node (and of its parents in a double backward), and the switches."""
import re

import pytest

import autograd_lab as lab

from oracle import assert_same_outcome, run, run_both


NAN = float("nan")


def test_nan_in_backward_raises_and_shows_the_forward_line():
    def program(torch):
        x = torch.tensor([0., 1.], requires_grad=True)
        with torch.autograd.detect_anomaly():
            y = x * 2
            z = y * 3
            z.register_hook(lambda g: g * NAN)  # z's node receives NaN and passes it on
            z.sum().backward()
    out = assert_same_outcome(program)
    assert out.error == ("RuntimeError",
                         "Function 'MulBackward0' returned nan values in its 0th output.")
    messages = [m for _, m in out.warnings]
    assert messages[0].startswith("Anomaly Detection has been enabled.")
    assert messages[1].startswith("Error detected in MulBackward0. Traceback of forward call "
                                  "that caused the error:\n")
    assert messages[1].endswith("    z = y * 3\n")


def test_nan_check_can_be_turned_off():
    def program(torch):
        x = torch.tensor([0., 1.], requires_grad=True)
        with torch.autograd.detect_anomaly(check_nan=False):
            y = x * 2
            y.register_hook(lambda g: g * NAN)
            y.sum().backward()
        return x.grad
    assert_same_outcome(program)


def test_error_in_a_custom_backward_names_its_forward_line():
    def program(torch):
        class Fails(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x.clone()

            @staticmethod
            def backward(ctx, g):
                raise RuntimeError("Some error in backward")
        x = torch.tensor([1., 2.], requires_grad=True)
        torch.autograd.set_detect_anomaly(True)
        try:
            out = torch.exp(x) * 2
            (out + 1).sum().backward()  # fine
            y = x * 3
            y.sum().backward()
            z = (x * 3).exp()
            z.register_hook(lambda g: g * float("nan"))
            try:
                z.sum().backward()
            except RuntimeError as e:
                hooked = str(e)
            return hooked, x.grad
        finally:
            torch.autograd.set_detect_anomaly(False)
    assert_same_outcome(program)


def test_node_made_before_anomaly_mode_has_no_forward_information():
    def program(torch):
        x = torch.tensor([0.], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: g * NAN)
        with torch.autograd.set_detect_anomaly(True):
            y.backward()
    assert_same_outcome(program)


def test_modified_in_place_hint_changes_in_anomaly_mode():
    def program(torch):
        with torch.autograd.set_detect_anomaly(True):
            x = torch.tensor([1., 2.], requires_grad=True)
            y = x * 1
            z = y * y
            y.add_(1)
            z.sum().backward()
    assert_same_outcome(program)


_LIBRARY_FRAME = re.compile(r'  File "[^"]*(/torch/|/autograd_lab/)[^"]*", line \d+, in \w+\n.*\n')


def test_double_backward_failure_shows_the_parent_node():
    # A node made by a create_graph backward was made inside the library's backward call, so
    # its traceback ends in library frames: those differ (torch's are Python files of torch,
    # ours of autograd_lab) and are compared without them.
    def program(torch):
        with torch.autograd.detect_anomaly():
            x = torch.tensor([0., 1.], requires_grad=True)
            y = x * x
            g, = torch.autograd.grad(y.sum(), x, create_graph=True)
            g.register_hook(lambda t: t * NAN)
            g.sum().backward()
    expected, actual = run_both(program)
    assert actual.error == expected.error
    strip = lambda ws: [(c, _LIBRARY_FRAME.sub("", m)) for c, m in ws]  # noqa: E731
    assert strip(actual.warnings) == strip(expected.warnings)
    assert "Previous calculation was induced by MulBackward0" in actual.warnings[-1][1]
    assert actual.warnings[-1][1].endswith("    y = x * x\n")


def test_metadata_keeps_the_traceback_only_in_anomaly_mode():
    def program(torch):
        x = torch.tensor([1.], requires_grad=True)
        plain = x * 2
        with torch.autograd.detect_anomaly():
            traced = x * 3
        return (dict(plain.grad_fn.metadata), sorted(traced.grad_fn.metadata),
                traced.grad_fn.metadata["traceback_"][-1])
    assert_same_outcome(program)


def test_switches():
    def program(torch):
        before = (torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
        with torch.autograd.set_detect_anomaly(True, check_nan=False):
            inside = (torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
        torch.autograd.set_detect_anomaly(True)
        called = torch.is_anomaly_enabled()
        torch.autograd.set_detect_anomaly(False)
        return before, inside, called, torch.is_anomaly_enabled()
    assert_same_outcome(program)


def test_known_anomaly_mode_is_free_when_off():
    from autograd_lab.autograd import node
    assert lab.autograd.Node.__init__ is node._plain_init
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        ctx = lab.autograd.detect_anomaly()
    with ctx:
        assert lab.autograd.Node.__init__ is not node._plain_init
        y = lab.tensor([1.], requires_grad=True) * 2
    assert lab.autograd.Node.__init__ is node._plain_init
    assert y.grad_fn.metadata["traceback_"][-1].endswith("* 2\n")
    out = run(lambda torch: torch.tensor([1.], requires_grad=True) * 2, lab)
    assert out.value.grad_fn.metadata == {}
