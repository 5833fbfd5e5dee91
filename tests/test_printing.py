"""Printed tensors must read exactly as PyTorch prints them: every test compares our text
with ``repr`` of a real torch tensor holding the same values."""
from __future__ import annotations

import math
import time
from types import SimpleNamespace

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from autograd_lab import dtypes  # noqa: E402
from autograd_lab import printing  # noqa: E402

nan, inf = math.nan, math.inf

DTYPE_NAMES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8",
               "bool"]
DEFAULTS = {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80,
            "sci_mode": None}


def ours(t: "torch.Tensor") -> str:
    """Our text for the values and dtype of a torch tensor."""
    data = t.detach().numpy()
    return printing.format_array(data, dtypes.from_numpy_dtype(data.dtype))


class FakeNode:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


def fake_of(t: "torch.Tensor") -> SimpleNamespace:
    """A duck-typed tensor with the attributes printing relies on, copied from ``t``."""
    data = t.detach().numpy().copy()
    node = FakeNode(type(t.grad_fn).__name__) if t.grad_fn is not None else None
    return SimpleNamespace(_data=data, dtype=dtypes.from_numpy_dtype(data.dtype),
                           requires_grad=t.requires_grad, is_leaf=t.is_leaf, grad_fn=node)


@pytest.fixture(autouse=True)
def restore_printoptions():
    yield
    torch.set_printoptions(profile="default")
    printing.set_printoptions(profile="default")


def set_both(**opts) -> None:
    torch.set_printoptions(**opts)
    printing.set_printoptions(**opts)


# --- hand-written cases -----------------------------------------------------------------

CASES = {
    "ones": lambda: torch.tensor([1., 1.]),
    "lesson_floats": lambda: torch.tensor([0.2658, 1.0191, 0.0557]),
    "padded_ints_as_floats": lambda: torch.tensor([0., 4., 8., 12.]),
    "bools": lambda: torch.tensor([True, True]),
    "bools_mixed": lambda: torch.tensor([[True, False], [False, True]]),
    "ones_3x4": lambda: torch.ones(3, 4),
    "zeros_3x4": lambda: torch.zeros(3, 4),
    "zeros_3x4_double": lambda: torch.zeros(3, 4, dtype=torch.float64),
    "scalar": lambda: torch.tensor(28.),
    "scalar_frac": lambda: torch.tensor(3.14159),
    "scalar_int": lambda: torch.tensor(7),
    "scalar_bool": lambda: torch.tensor(False),
    "scalar_nan": lambda: torch.tensor(nan),
    "scalar_neg_zero": lambda: torch.tensor(-0.),
    "scalar_huge": lambda: torch.tensor(1e20),
    "scalar_tiny": lambda: torch.tensor(1e-20, dtype=torch.float64),
    "empty": lambda: torch.tensor([]),
    "empty_0x3": lambda: torch.zeros(0, 3),
    "empty_int": lambda: torch.zeros(0, dtype=torch.int64),
    "empty_bool_3d": lambda: torch.zeros(2, 0, 1, dtype=torch.bool),
    "empty_double": lambda: torch.zeros(0, dtype=torch.float64),
    "sci_big": lambda: torch.tensor([1e10, 1.]),
    "sci_ratio": lambda: torch.tensor([0.001, 1.5]),
    "no_sci_ratio_1000": lambda: torch.tensor([0.001, 1.0]),
    "sci_tiny": lambda: torch.tensor([1e-5, 2e-5]),
    "boundary_1e8": lambda: torch.tensor([1e8, 1.5e8], dtype=torch.float64),
    "boundary_1e-4": lambda: torch.tensor([1e-4, 2e-4], dtype=torch.float64),
    "nan_inf": lambda: torch.tensor([nan, inf, -inf, 1.5]),
    "nan_inf_only": lambda: torch.tensor([nan, inf, -inf, 0.]),
    "nan_sci": lambda: torch.tensor([nan, 1e10, -0., 0.]),
    "neg_zero": lambda: torch.tensor([-0., 0., 1.]),
    "neg_zero_frac": lambda: torch.tensor([-0., 0.5]),
    "rounds_up": lambda: torch.tensor([9.99996, 0.5], dtype=torch.float64),
    "negatives": lambda: torch.tensor([-1.5, 2.25, -300.125]),
    "float16": lambda: torch.tensor([0.1, 65504., -2.], dtype=torch.float16),
    "int8_extremes": lambda: torch.tensor([-128, 0, 127], dtype=torch.int8),
    "int64_extremes": lambda: torch.tensor([-2**63, 2**63 - 1]),
    "uint8": lambda: torch.arange(250, 256, dtype=torch.uint8),
    "int32_grid": lambda: torch.arange(24, dtype=torch.int32).reshape(2, 3, 4),
    "wraps_1d": lambda: torch.linspace(-3, 3, 40),
    "wraps_double": lambda: torch.arange(8, dtype=torch.float64) * 1.123456 + 0.5,
    "wide_2d": lambda: torch.arange(60.).reshape(3, 20) * 1e5,
    "four_d": lambda: torch.arange(48.).reshape(2, 2, 3, 4) / 7,
    "size_one_dims": lambda: torch.ones(1, 1, 3, 1),
    "summarized_1d": lambda: torch.arange(2000),
    "summarized_2d": lambda: torch.arange(1e6).reshape(1000, 1000) / 3,
    "summarized_4d": lambda: torch.linspace(-1, 1, 4096).reshape(8, 8, 8, 8),
    "summarized_one_long_dim": lambda: torch.arange(2002.).reshape(2, 1001),
    "summarized_values_outside_edges": lambda: torch.cat(
        [torch.ones(3), torch.full((1000,), 1e-9), torch.ones(3)]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_known_cases(name):
    t = CASES[name]()
    assert ours(t) == repr(t)


def test_lesson_strings_verbatim():
    # The exact strings the lessons show, so a change in torch would be noticed here too.
    assert ours(torch.tensor([1., 1.])) == "tensor([1., 1.])"
    assert ours(torch.tensor([0., 4., 8., 12.])) == "tensor([ 0.,  4.,  8., 12.])"
    assert ours(torch.tensor([True, True])) == "tensor([True, True])"
    assert ours(torch.tensor([0.2658, 1.0191, 0.0557])) == "tensor([0.2658, 1.0191, 0.0557])"
    assert ours(torch.tensor([])) == "tensor([])"
    assert ours(torch.zeros(0, 3)) == "tensor([], size=(0, 3))"
    assert ours(torch.tensor([1e10, 1.])) == "tensor([1.0000e+10, 1.0000e+00])"


def test_format_array_infers_dtype_and_appends_suffixes():
    data = np.array([1.5, 2.0], dtype=np.float64)
    assert printing.format_array(data) == repr(torch.from_numpy(data))
    got = printing.format_array(data, dtypes.float64, ["requires_grad=True"])
    assert got == repr(torch.from_numpy(data).requires_grad_())


# --- grad suffixes --------------------------------------------------------------------

GRAD_CASES = {
    "mul_scalar": lambda: torch.tensor(4., requires_grad=True) * 7,
    "leaf": lambda: torch.tensor([2.], requires_grad=True),
    "leaf_double": lambda: torch.tensor([2.], dtype=torch.float64, requires_grad=True),
    "add": lambda: torch.ones(2, 2, requires_grad=True) + 1,
    "sum_double": lambda: torch.arange(10., dtype=torch.float64, requires_grad=True).sum(),
    "wrap_grad_fn": lambda: torch.arange(10., dtype=torch.float64, requires_grad=True) * 1.5,
    "wrap_exactly": lambda: torch.linspace(0, 1, 9, requires_grad=True) * 1,
    "empty_leaf": lambda: torch.zeros(0, 3, requires_grad=True),
    "empty_nonleaf": lambda: torch.zeros(0, dtype=torch.float64, requires_grad=True) * 2,
    "summarized": lambda: torch.linspace(-1, 1, 2000, requires_grad=True).exp(),
    "no_grad": lambda: torch.tensor([1., 2.]),
}


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_grad_suffixes(name):
    t = GRAD_CASES[name]()
    assert printing.tensor_repr(fake_of(t)) == repr(t)


def test_grad_suffix_examples_verbatim():
    t = torch.tensor(4., requires_grad=True) * 7
    assert printing.tensor_repr(fake_of(t)) == "tensor(28., grad_fn=<MulBackward0>)"
    t = torch.tensor([2.], requires_grad=True)
    assert printing.tensor_repr(fake_of(t)) == "tensor([2.], requires_grad=True)"
    # The suffix moves to its own line when it would pass the line width.
    t = GRAD_CASES["wrap_grad_fn"]()
    assert printing.tensor_repr(fake_of(t)).endswith(
        "\n        12.0000, 13.5000], dtype=torch.float64, grad_fn=<MulBackward0>)")
    assert "\n       dtype=torch.float64" in repr(torch.arange(8, dtype=torch.float64) * 1.5)


# --- print options ----------------------------------------------------------------------

OPTION_CASES = [
    ({"precision": 2}, lambda: torch.tensor([1.12345, 2.5])),
    ({"precision": 0}, lambda: torch.tensor([1.5, 2.25, -0.4])),
    ({"precision": 8}, lambda: torch.tensor([1 / 3, 2 / 3], dtype=torch.float64)),
    ({"threshold": 5}, lambda: torch.arange(10)),
    ({"threshold": 5, "edgeitems": 1}, lambda: torch.arange(24.).reshape(2, 3, 4)),
    ({"threshold": 5, "edgeitems": 0}, lambda: torch.arange(10.) * 1.5),
    ({"threshold": 5, "edgeitems": 0}, lambda: torch.arange(12.).reshape(3, 4)),
    ({"edgeitems": 0}, lambda: torch.arange(4.)),
    ({"edgeitems": 0}, lambda: torch.tensor(3.)),
    ({"edgeitems": 0}, lambda: torch.zeros(0, 2)),
    ({"threshold": 0}, lambda: torch.tensor(3.)),
    ({"linewidth": 20}, lambda: torch.arange(10.) / 3),
    ({"linewidth": 5}, lambda: torch.arange(6.).reshape(2, 3)),
    ({"linewidth": 200}, lambda: torch.arange(40.) / 3),
    ({"sci_mode": True}, lambda: torch.tensor([1., 2.5])),
    ({"sci_mode": True}, lambda: torch.tensor([0., 0.])),
    ({"sci_mode": False}, lambda: torch.tensor([1e-8, 1e12])),
    ({"sci_mode": False}, lambda: torch.tensor([1e20, 3.])),
    ({"profile": "short"}, lambda: torch.arange(2000.).reshape(40, 50) / 7),
    ({"profile": "full"}, lambda: torch.arange(1600.).reshape(40, 40)),
    ({"profile": "full", "precision": 2}, lambda: torch.arange(1100) * 3),
]


@pytest.mark.parametrize("opts,make", OPTION_CASES, ids=[str(o) for o, _ in OPTION_CASES])
def test_printoptions_cases(opts, make):
    set_both(**opts)
    t = make()
    assert ours(t) == repr(t)


def test_get_and_set_printoptions_like_torch():
    assert printing.get_printoptions() == DEFAULTS == torch._tensor_str.get_printoptions()
    calls = [{"precision": 6, "sci_mode": True}, {"linewidth": 100},  # sci_mode resets
             {"profile": "full"}, {"profile": "short", "edgeitems": 5},
             {"threshold": 10, "profile": "default"}]
    for opts in calls:
        set_both(**opts)
        assert printing.get_printoptions() == torch._tensor_str.get_printoptions()
    returned = printing.get_printoptions()
    returned["precision"] = 99  # a copy, not the live options
    assert printing.get_printoptions()["precision"] != 99


def test_printoptions_context_restores():
    with printing.printoptions(precision=1, threshold=3):
        assert printing.format_array(np.array([1.25, 2.0, 3.0, 4.0], np.float32),
                                     dtypes.float32) == "tensor([1.2, 2.0, 3.0, 4.0])"
    assert printing.get_printoptions() == DEFAULTS


def test_default_dtype_float64_changes_dtype_suffix():
    old_ours, old_torch = dtypes.get_default_dtype(), torch.get_default_dtype()
    dtypes.set_default_dtype(dtypes.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for t in (torch.tensor([1.5, 2.]), torch.tensor([1.5], dtype=torch.float32),
                  torch.zeros(0, dtype=torch.float32), torch.zeros(0, 2), torch.tensor([1, 2])):
            assert ours(t) == repr(t)
    finally:
        dtypes.set_default_dtype(old_ours)
        torch.set_default_dtype(old_torch)


def test_big_tensor_prints_fast():
    t = torch.randn(1000, 1000)
    data = t.numpy()
    start = time.perf_counter()
    text = printing.format_array(data, dtypes.float32)
    assert time.perf_counter() - start < 0.2
    assert text == repr(t)


# --- hypothesis: random shapes, dtypes, magnitudes and options --------------------------

MAX_DIM = {0: 1, 1: 60, 2: 30, 3: 12, 4: 7}
KINDS = ["normal", "tiny", "huge", "mixed", "integral", "near_rounding", "specials"]
EDGE_VALUES = [0.99995, 9.99996, 0.000099999, 1e-4, 1e8, 100000001.0, 999.99996, 0.5,
               1e3, 123456.789, -0.0, 2.0 ** -24, 65504.0]


@st.composite
def arrays(draw, float_only: bool = False) -> np.ndarray:
    name = draw(st.sampled_from(DTYPE_NAMES[:3] if float_only else DTYPE_NAMES))
    np_dtype = np.dtype(name)
    ndim = draw(st.integers(0, 4))
    shape = tuple(draw(st.lists(st.integers(0, MAX_DIM[ndim]), min_size=ndim,
                                max_size=ndim)))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    kind = draw(st.sampled_from(KINDS))
    sign = rng.choice([-1.0, 1.0], size=shape) if draw(st.booleans()) else 1.0

    if np_dtype.kind == "b":
        return np.asarray(rng.random(shape) < draw(st.sampled_from([0.0, 0.5, 1.0])))
    if np_dtype.kind in "iu":
        info = np.iinfo(np_dtype)
        low, high = ((info.min, info.max) if kind in ("huge", "mixed")
                     else (max(info.min, -20), min(info.max, 20)))
        return np.asarray(rng.integers(low, high, size=shape, dtype=np_dtype, endpoint=True))

    if kind == "normal":
        values = rng.standard_normal(shape)
    elif kind == "integral":
        values = np.round(rng.standard_normal(shape) * 10 ** rng.uniform(0, 4))
    elif kind == "near_rounding":
        values = rng.choice(EDGE_VALUES, size=shape)
    else:
        lo, hi = {"tiny": (-12, -4), "huge": (5, 15), "mixed": (-8, 10),
                  "specials": (-2, 2)}[kind]
        values = 10.0 ** rng.uniform(lo, hi, size=shape)
    values = np.asarray(values * sign, dtype=np.float64)
    if kind == "specials" or draw(st.integers(0, 4)) == 0:
        specials = rng.choice([nan, inf, -inf, 0.0, -0.0], size=shape)
        values = np.where(rng.random(shape) < 0.3, specials, values)
    with np.errstate(over="ignore"):
        return values.astype(np_dtype)


print_options = st.fixed_dictionaries({
    "precision": st.sampled_from([4, 4, 2, 0, 7]),
    "threshold": st.sampled_from([1000, 1000, 5, 30, inf]),
    "edgeitems": st.sampled_from([3, 3, 1, 2, 0]),
    "linewidth": st.sampled_from([80, 80, 40, 120, 12]),
    "sci_mode": st.sampled_from([None, None, True, False]),
})

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(FAST, max_examples=150)
@given(data=arrays())
def test_random_arrays_default_options(data):
    t = torch.from_numpy(data)
    assert printing.format_array(data, dtypes.from_numpy_dtype(data.dtype)) == repr(t)


@settings(FAST, max_examples=100)
@given(data=arrays(), opts=print_options)
def test_random_arrays_with_printoptions(data, opts):
    try:
        set_both(**opts)
        t = torch.from_numpy(data)
        assert printing.format_array(data, dtypes.from_numpy_dtype(data.dtype)) == repr(t)
    finally:
        set_both(profile="default")


OPS = [None, lambda x: x * 2, lambda x: x + 1, lambda x: x.sum(), lambda x: x.exp(),
       lambda x: x.mean()]


@settings(FAST, max_examples=50)
@given(data=arrays(float_only=True), requires_grad=st.booleans(),
       op=st.sampled_from(OPS), linewidth=st.sampled_from([80, 80, 50]))
def test_random_grad_suffixes(data, requires_grad, op, linewidth):
    try:
        set_both(linewidth=linewidth)
        t = torch.from_numpy(data).requires_grad_(requires_grad)
        if op is not None and requires_grad:
            t = op(t)
        assert printing.tensor_repr(fake_of(t)) == repr(t)
    finally:
        set_both(profile="default")
