"""torch.accelerator on a CPU-only build, compared with PyTorch: nothing available, the
tutorials' device line gives "cpu", and asking for the accelerator's device fails."""
from __future__ import annotations

import pytest

from oracle import assert_same_error, assert_same_outcome


def test_no_accelerator():
    def program(torch):
        a = torch.accelerator
        device = a.current_accelerator().type if a.is_available() else "cpu"
        return (a.is_available(), a.current_accelerator(), a.device_count(), device,
                a.current_accelerator(check_available=True))
    out = assert_same_outcome(program)
    assert out.value[3] == "cpu"


@pytest.mark.parametrize("call", ["current_device_index", "synchronize"])
def test_device_access_fails(call):
    def program(torch):
        fn = getattr(torch.accelerator, call)
        return fn()
    assert_same_error(program)
