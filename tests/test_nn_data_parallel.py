"""nn.DataParallel on a CPU-only build, compared with PyTorch's: no devices, the module's
forward and gradients, parameter names, repr."""
from __future__ import annotations

from oracle import assert_same_outcome


def test_data_parallel_wraps_and_calls_its_module():
    def program(torch):
        torch.manual_seed(0)
        net = torch.nn.DataParallel(torch.nn.Linear(3, 2))
        out = net(torch.ones(4, 3))
        out.sum().backward()
        return (repr(net), net.device_ids, out, [n for n, _ in net.named_parameters()],
                net.module.weight.grad)
    assert_same_outcome(program)
