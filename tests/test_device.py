"""The CPU-only device idioms lessons use: ``torch.cuda.is_available()``, ``torch.device``,
``.to(device)``, ``device=`` on factories, ``.cuda()`` failing as PyTorch's CPU build does."""
import pickle

import pytest

import autograd_lab as lab
from oracle import assert_same_error, assert_same_outcome


def test_device_idiom_picks_the_cpu_and_prints_as_torch():
    def program(torch):
        device = "cuda" if torch.cuda.is_available() else "cpu"
        d = torch.device(device)
        x = torch.ones(2, device=device)
        y = torch.tensor([1.0, 2.0], device=d).to(device)
        return (torch.cuda.is_available(), torch.cuda.device_count(), repr(d), str(d),
                repr(x.device), str(y.device), x.device == d, x.device.type, x.device.index,
                torch.backends.mps.is_available(), x.is_cuda, x.get_device())
    out = assert_same_outcome(program)
    assert out.value[:4] == (False, 0, "device(type='cpu')", "cpu")


@pytest.mark.parametrize("spec", ["cuda", "cuda:1", "cpu:0", "mps", "meta"])
def test_device_names_print_as_torch(spec):
    assert_same_outcome(lambda torch: (repr(torch.device(spec)), str(torch.device(spec)),
                                       torch.device(spec).type, torch.device(spec).index))


def test_device_with_index_and_equality_as_torch():
    assert_same_outcome(lambda torch: (
        repr(torch.device("cuda", 1)), torch.device("cpu") == torch.device("cpu"),
        torch.device("cpu") == "cpu", torch.device("cpu") == torch.device("cpu", 0),
        len({torch.device("cpu"), torch.device("cpu")}), repr(torch.device(torch.device("cpu")))))


@pytest.mark.parametrize("spec", ["gpu", "CPU", "cuda:x", " cpu"])
def test_bad_device_strings_fail_as_torch(spec):
    assert_same_error(lambda torch: torch.device(spec))


@pytest.mark.parametrize("make", [
    lambda torch: torch.ones(2).to("cuda"),
    lambda torch: torch.ones(2).cuda(),
    lambda torch: torch.ones(2, device="cuda"),
    lambda torch: torch.zeros(2, 3, device=torch.device("cuda")),
    lambda torch: torch.tensor([1.0], device="cuda:0"),
    lambda torch: torch.arange(3, device="cuda"),
    lambda torch: torch.randn(2, device="cuda"),
    lambda torch: torch.ones(2).to(device="cuda", dtype=torch.float64),
    lambda torch: torch.nn.Linear(2, 1).to("cuda"),
    lambda torch: torch.nn.Linear(2, 1).cuda(),
    lambda torch: torch.cuda.current_device(),
], ids=["to", "cuda", "ones", "zeros", "tensor", "arange", "randn", "to-kw", "module-to",
        "module-cuda", "current_device"])
def test_putting_anything_on_cuda_fails_as_torch(make):
    assert assert_same_error(make) == ("AssertionError", "Torch not compiled with CUDA enabled")


@pytest.mark.parametrize("make", [
    lambda torch: torch.ones(1).cuda(0),
    lambda torch: torch.ones(1).cuda(1),
    lambda torch: torch.ones(1).cuda("cuda:1"),
    lambda torch: torch.ones(1).cuda(torch.device("cuda")),
    lambda torch: torch.nn.Linear(1, 1).cuda(0),
    lambda torch: torch.ones(1).to(0),
    lambda torch: torch.ones(1, device=0),
], ids=["cuda0", "cuda1", "cuda-str", "cuda-device", "module-cuda0", "to-int", "factory-int"])
def test_gpu_by_number_or_name_fails_as_torch(make):
    assert_same_error(make)


def test_to_cpu_is_the_same_tensor_and_keeps_history():
    def program(torch):
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (w * 2).to("cpu")
        z = w.to(torch.device("cpu"), torch.float64)
        m = torch.nn.Linear(2, 1)
        return (y.to("cpu") is y, y.cpu() is y, y, z, m.to("cpu") is m,
                m.to(torch.device("cpu")) is m, torch.cuda.manual_seed(0))
    assert_same_outcome(program)


def test_device_is_immutable_and_pickles():
    d = lab.device("cuda", 1)
    with pytest.raises(AttributeError):
        d.type = "cpu"
    assert pickle.loads(pickle.dumps(d)) == d


def test_accelerator_idiom_picks_the_cpu_as_torch():
    def program(torch):
        device = (torch.accelerator.current_accelerator().type
                  if torch.accelerator.is_available() else "cpu")
        return (device, torch.accelerator.is_available(), torch.accelerator.device_count(),
                torch.accelerator.current_accelerator())
    assert assert_same_outcome(program).value[0] == "cpu"
    assert_same_error(lambda torch: torch.accelerator.current_device_index())


def test_default_device_as_torch():
    def program(torch):
        first = torch.get_default_device()
        torch.set_default_device("cpu")
        x = torch.ones(2)
        torch.set_default_device(None)
        return repr(first), str(first), x, repr(torch.get_default_device())
    assert_same_outcome(program)


def test_a_gpu_default_device_fails_when_a_tensor_is_made_as_torch():
    def program(torch):
        torch.set_default_device("cuda")
        try:
            return torch.zeros(2)
        finally:  # None, not "cpu": naming any device leaves PyTorch's device mode on
            torch.set_default_device(None)
    assert assert_same_error(program) == ("AssertionError", "Torch not compiled with CUDA enabled")
