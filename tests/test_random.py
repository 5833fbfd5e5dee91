"""autograd_lab.random must give the very same bits as PyTorch's CPU generator.

Every test runs the same calls on torch (the oracle) and on our module and compares raw bits
(float32 exactly, signed zeros included), and usually also the full generator state, which
covers the engine position and the cached Box-Muller sample.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from hypothesis import given, settings, strategies as st  # noqa: E402

import autograd_lab  # noqa: E402
from autograd_lab import random as R  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SIZES = [0, 1, 2, 3, 15, 16, 17, 31, 100, 1000, 12345]
SHAPES = [(), (4, 5), (2, 3, 4), (3, 1, 16), (0, 5), (7, 9, 2), (64, 33)]
FLOATS = [(np.float32, torch.float32), (np.float64, torch.float64)]
TORCH_DTYPE = {np.float32: torch.float32, np.float64: torch.float64,
               np.int64: torch.int64, np.int32: torch.int32}


def assert_same(ours: np.ndarray, theirs: "torch.Tensor | np.ndarray") -> None:
    theirs = theirs.numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype
    if ours.dtype.kind == "f":  # compare bit patterns: exact, and -0.0 != +0.0
        uint = np.uint32 if ours.dtype == np.float32 else np.uint64
        assert np.array_equal(ours.view(uint), theirs.view(uint)), \
            f"{int((ours.view(uint) != theirs.view(uint)).sum())} of {ours.size} values differ"
    else:
        assert np.array_equal(ours, theirs)


def assert_same_state(ours: R.Generator, theirs: "torch.Generator") -> None:
    assert ours.get_state().numpy().tobytes() == theirs.get_state().numpy().tobytes()


def pair(seed: int) -> tuple[R.Generator, "torch.Generator"]:
    return R.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)


# --- one operation, run on both sides --------------------------------------------------------
def run(op: tuple, g: R.Generator, tg: "torch.Generator") -> None:
    kind, *args = op
    if kind == "rand":
        shape, dt = args
        assert_same(R.uniform(shape, dt, generator=g),
                    torch.rand(shape, dtype=TORCH_DTYPE[dt], generator=tg))
    elif kind == "randn":
        shape, dt = args
        assert_same(R.normal(shape, dt, generator=g),
                    torch.randn(shape, dtype=TORCH_DTYPE[dt], generator=tg))
    elif kind == "uniform_":
        shape, dt, lo, hi = args
        assert_same(R.uniform(shape, dt, lo, hi, generator=g),
                    torch.empty(shape, dtype=TORCH_DTYPE[dt]).uniform_(lo, hi, generator=tg))
    elif kind == "normal_":
        shape, dt, mean, std = args
        assert_same(R.normal(shape, dt, mean, std, generator=g),
                    torch.empty(shape, dtype=TORCH_DTYPE[dt]).normal_(mean, std, generator=tg))
    elif kind == "randint":
        low, high, shape, dt = args
        assert_same(R.randint(low, high, shape, dt, generator=g),
                    torch.randint(low, high, shape, dtype=TORCH_DTYPE[dt], generator=tg))
    elif kind == "randperm":
        n, dt = args
        assert_same(R.randperm(n, dt, generator=g),
                    torch.randperm(n, dtype=TORCH_DTYPE[dt], generator=tg))
    elif kind == "bernoulli_":
        shape, p = args
        assert_same(R.bernoulli(p, shape, np.float32, generator=g),
                    torch.empty(shape).bernoulli_(p, generator=tg))
    else:
        raise AssertionError(kind)


# ============================== seeding ========================================================

def test_fresh_generator_starts_from_torchs_default_seed():
    g, tg = R.Generator(), torch.Generator()
    assert g.initial_seed() == tg.initial_seed() == R.DEFAULT_SEED == 67280421310721
    assert_same_state(g, tg)
    run(("randn", (20,), np.float32), g, tg)
    assert_same_state(g, tg)


@pytest.mark.parametrize("seed", [0, 1, 42, 2**31, 2**32 - 1, 2**32, 2**32 + 5, 2**63,
                                  2**64 - 1, -1, -(2**63), 67280421310721])
def test_seeds_including_wraparound(seed):
    # only the low 32 bits feed mt19937, negative seeds wrap modulo 2**64
    g, tg = pair(seed)
    assert g.initial_seed() == tg.initial_seed()
    assert_same_state(g, tg)
    run(("rand", (5,), np.float32), g, tg)
    run(("randn", (3,), np.float64), g, tg)
    assert_same_state(g, tg)


@pytest.mark.parametrize("bad", [2**64, -(2**63) - 1])
def test_out_of_range_seed_raises_like_torch(bad):
    with pytest.raises(ValueError):
        torch.Generator().manual_seed(bad)
    with pytest.raises(ValueError):
        R.Generator().manual_seed(bad)


def test_generator_manual_seed_rejects_float_but_module_accepts_it():
    with pytest.raises(RuntimeError):
        torch.Generator().manual_seed(3.0)
    with pytest.raises(RuntimeError):
        R.Generator().manual_seed(3.0)
    assert R.manual_seed(3.0).initial_seed() == torch.manual_seed(3.0).initial_seed() == 3
    assert R.manual_seed(True).initial_seed() == torch.manual_seed(True).initial_seed() == 1


def test_module_functions_drive_the_default_generator():
    assert R.manual_seed(7) is R.default_generator
    torch.manual_seed(7)
    assert R.initial_seed() == torch.initial_seed() == 7
    assert_same(R.normal((5,), np.float32), torch.randn(5))
    assert R.get_rng_state().numpy().tobytes() == torch.get_rng_state().numpy().tobytes()
    s = R.seed()
    assert R.initial_seed() == s and 0 <= s < 2**64
    torch.manual_seed(s)
    assert_same(R.uniform((4,), np.float64), torch.rand(4, dtype=torch.float64))


def test_seed_is_nondeterministic_and_clears_the_cache():
    g = R.Generator()
    R.normal((1,), np.float64, generator=g)
    assert g.normal_cache is not None
    seeds = {g.seed() for _ in range(4)}
    assert len(seeds) == 4
    assert g.normal_cache is None


def _fresh_process(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT,
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(out.stdout)


def test_fresh_process_default_generator_is_seeded_randomly_like_torch():
    # torch 2.13 seeds its default CPU generator from /dev/urandom in every process; only a new
    # torch.Generator() starts from 67280421310721. We do the same, so an unseeded script gives
    # different numbers on every run under both libraries.
    torch_code = """
        import json, torch
        print(json.dumps({"seed": torch.initial_seed(), "x": torch.randn(20).tolist(),
                          "fresh": torch.Generator().initial_seed()}))
    """
    ours_code = """
        import json, numpy as np
        from autograd_lab import random as R
        print(json.dumps({"seed": R.initial_seed(), "x": R.normal((20,), np.float32).tolist(),
                          "fresh": R.Generator().initial_seed()}))
    """
    t1, t2 = _fresh_process(torch_code), _fresh_process(torch_code)
    o1, o2 = _fresh_process(ours_code), _fresh_process(ours_code)
    assert t1["seed"] != t2["seed"] and o1["seed"] != o2["seed"]
    assert t1["fresh"] == o1["fresh"] == 67280421310721
    # whatever seed a fresh process picked, its first numbers are those of that seed
    for run_ in (t1, o1):
        torch.manual_seed(run_["seed"])
        R.manual_seed(run_["seed"])
        expected = torch.randn(20)
        assert np.array_equal(np.float32(run_["x"]), expected.numpy())
        assert_same(R.normal((20,), np.float32), expected)


# ============================== single calls: sizes, shapes, dtypes =============================

@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["rand", "randn"])
def test_rand_randn_sizes(kind, dt, n):
    g, tg = pair(1234 + n)
    run((kind, (n,), dt), g, tg)
    assert_same_state(g, tg)
    run((kind, (n,), dt), g, tg)  # and again from the carried-over state
    assert_same_state(g, tg)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", [np.float32, np.float64])
@pytest.mark.parametrize("lo,hi", [(-0.3, 1.7), (-1 / 3, 1 / 7), (2.5, 1000.1), (-5.0, -5.0)])
def test_uniform_bounds(lo, hi, dt, n):
    g, tg = pair(99)
    run(("uniform_", (n,), dt, lo, hi), g, tg)
    assert_same_state(g, tg)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", [np.float32, np.float64])
@pytest.mark.parametrize("mean,std", [(0.5, 2.5), (-2.1, 0.37), (1 / 3, 2 / 3), (3.0, 0.0)])
def test_normal_mean_std(mean, std, dt, n):
    g, tg = pair(5)
    run(("normal_", (n,), dt, mean, std), g, tg)
    run(("normal_", (n,), dt, mean, std), g, tg)
    assert_same_state(g, tg)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_multidimensional_shapes(shape, dt):
    g, tg = pair(2024)
    for op in [("rand", shape, dt), ("randn", shape, dt), ("normal_", shape, dt, 0.1, 0.02),
               ("uniform_", shape, dt, -0.25, 0.25), ("randint", 0, 7, shape, np.int64)]:
        run(op, g, tg)
    assert_same_state(g, tg)


def test_weight_init_sized_tensors():
    g, tg = pair(0)
    run(("randn", (784, 512), np.float32), g, tg)
    run(("uniform_", (512, 784), np.float32, -0.0357, 0.0357), g, tg)
    run(("randn", (300, 70), np.float64), g, tg)
    assert_same_state(g, tg)


@pytest.mark.parametrize("low,high", [(0, 10), (-3, 4), (0, 2**28 - 1), (0, 2**28), (-5, 2**31),
                                      (0, 2**40), (-(2**62), 2**62), (10**6, 10**6 + 1)])
@pytest.mark.parametrize("n", [0, 1, 17, 1000])
def test_randint_ranges(low, high, n):
    # a range of 2**28 or more switches torch to 64-bit draws
    g, tg = pair(31)
    run(("randint", low, high, (n,), np.int64), g, tg)
    assert_same_state(g, tg)


@pytest.mark.parametrize("dt", [np.int64, np.int32, np.float32, np.float64])
def test_randint_dtypes(dt):
    g, tg = pair(8)
    run(("randint", -50, 50, (3, 40), dt), g, tg)
    run(("randint", 0, 2**24, (100,), dt), g, tg)
    assert_same_state(g, tg)


@pytest.mark.parametrize("n", SIZES + [60000])
def test_randperm(n):
    g, tg = pair(n + 3)
    run(("randperm", n, np.int64), g, tg)
    run(("randperm", n, np.int32), g, tg)
    assert_same_state(g, tg)


@pytest.mark.parametrize("dt,tdt", [(np.int64, torch.int64), (np.int32, torch.int32),
                                    (np.float32, torch.float32), (np.float64, torch.float64),
                                    (np.uint8, torch.uint8), (np.bool_, torch.bool)])
def test_random_without_bounds(dt, tdt):
    g, tg = pair(17)
    assert_same(R.random((50,), dt, generator=g), torch.empty(50, dtype=tdt).random_(generator=tg))
    assert_same_state(g, tg)


def test_random_sampler_like_dataloader_shuffle():
    # torch's RandomSampler seeds a private generator from an int64 random_() of the default one
    torch.manual_seed(11)
    R.manual_seed(11)
    expected = list(torch.utils.data.RandomSampler(range(1000)))
    g = R.Generator().manual_seed(int(R.random((), np.int64)))
    assert R.randperm(1000, generator=g).tolist() == expected
    assert R.get_rng_state().numpy().tobytes() == torch.get_rng_state().numpy().tobytes()


@pytest.mark.parametrize("n", [1, 5, 16, 100, 1000])
@pytest.mark.parametrize("p", [0.0, 0.3, 0.5, 0.9, 1.0])
def test_bernoulli_scalar_p_and_dropout(p, n):
    g, tg = pair(n)
    run(("bernoulli_", (n,), p), g, tg)
    assert_same_state(g, tg)
    torch.manual_seed(n)
    R.manual_seed(n)
    dropped = torch.nn.functional.dropout(torch.ones(n), 1 - p if p < 1 else 0.0, training=True)
    keep = R.bernoulli(p if p < 1 else 1.0, (n,), np.float32)
    assert np.array_equal(dropped.numpy() != 0, keep != 0)


@pytest.mark.parametrize("dt,tdt", FLOATS)
def test_bernoulli_tensor_p(dt, tdt):
    g, tg = pair(21)
    probs = R.uniform((6, 7), dt, generator=g)
    tprobs = torch.rand(6, 7, dtype=tdt, generator=tg)
    assert_same(probs, tprobs)
    assert_same(R.bernoulli(probs, (6, 7), dt, generator=g), torch.bernoulli(tprobs, generator=tg))
    assert_same_state(g, tg)


def test_normal_on_noncontiguous_tensor_takes_the_elementwise_path():
    # torch fills a non-contiguous tensor element by element (the small-size recipe), in
    # memory order; contiguous=False asks for exactly that
    g, tg = pair(3)
    base = torch.empty(8, 4, dtype=torch.float32)
    base.t().normal_(generator=tg)
    assert_same(R.normal((32,), np.float32, generator=g, contiguous=False), base.reshape(-1))
    assert_same_state(g, tg)


# ============================== sequences: state carry-over ====================================

def test_mixed_sequence_on_the_default_generator():
    # odd-sized small normals leave a cached sample that the next small normal must use, large
    # normals and other draws must leave it alone, and dtype does not matter for the cache
    ops = [("randn", (3,), np.float32), ("rand", (5,), np.float32),
           ("randn", (1,), np.float64), ("randn", (17,), np.float32),
           ("randn", (2,), np.float32), ("randint", 0, 9, (4,), np.int64),
           ("randn", (5,), np.float64), ("randperm", 10, np.int64),
           ("normal_", (1,), np.float32, 2.0, 3.0), ("uniform_", (31,), np.float64, -1.0, 1.0),
           ("randn", (16,), np.float64), ("normal_", (15,), np.float64, -1.0, 0.5),
           ("bernoulli_", (9,), 0.25), ("randn", (1000,), np.float32),
           ("randn", (3, 5), np.float32), ("rand", (2, 2), np.float64)]
    torch.manual_seed(2718)
    R.manual_seed(2718)
    for op in ops:
        run(op, R.default_generator, torch.default_generator)
        assert R.get_rng_state().numpy().tobytes() == torch.get_rng_state().numpy().tobytes(), op


OP = st.one_of(
    st.tuples(st.sampled_from(["rand", "randn"]), st.sampled_from(SIZES[:-1]).map(lambda n: (n,)),
              st.sampled_from([np.float32, np.float64])),
    st.tuples(st.just("uniform_"), st.sampled_from([(4,), (20,), (3, 7)]),
              st.sampled_from([np.float32, np.float64]),
              st.floats(-10, 0, width=32), st.floats(0, 10, width=32)),
    st.tuples(st.just("normal_"), st.sampled_from([(1,), (3,), (16,), (33,), (2, 9)]),
              st.sampled_from([np.float32, np.float64]),
              st.floats(-5, 5, width=32), st.floats(0, 5, width=32)),
    st.tuples(st.just("randint"), st.integers(-100, 0), st.integers(1, 2**40),
              st.sampled_from([(1,), (5,), (2, 3)]), st.just(np.int64)),
    st.tuples(st.just("randperm"), st.integers(0, 50), st.just(np.int64)),
    st.tuples(st.just("bernoulli_"), st.sampled_from([(1,), (10,)]), st.floats(0, 1)),
)


@settings(deadline=None, max_examples=60)
@given(seed=st.integers(0, 2**64 - 1), ops=st.lists(OP, min_size=1, max_size=8))
def test_random_sequences(seed, ops):
    g, tg = pair(seed)
    for op in ops:
        run(op, g, tg)
    assert_same_state(g, tg)


@settings(deadline=None, max_examples=25)
@given(seed=st.integers(-(2**63), 2**64 - 1),
       shape=st.lists(st.integers(0, 9), min_size=0, max_size=3).map(tuple),
       dt=st.sampled_from([np.float32, np.float64]))
def test_random_shapes(seed, shape, dt):
    g, tg = pair(seed)
    run(("randn", shape, dt), g, tg)
    run(("rand", shape, dt), g, tg)
    run(("randn", shape, dt), g, tg)
    assert_same_state(g, tg)


# ============================== state save / restore ===========================================

def test_state_bytes_match_torch_and_round_trip_both_ways():
    g, tg = pair(77)
    run(("randn", (3,), np.float32), g, tg)  # leaves a cached sample in the state
    assert g.normal_cache is not None
    assert_same_state(g, tg)
    saved = g.get_state()
    assert saved.dtype == autograd_lab.uint8 and tuple(saved.shape) == (5056,)

    later = R.normal((7,), np.float64, generator=g)
    g.set_state(saved)
    assert_same(R.normal((7,), np.float64, generator=g), later)

    # our state into torch, and torch's into ours
    tg2 = torch.Generator().set_state(torch.from_numpy(saved.numpy().copy()))
    assert_same(later, torch.randn(7, dtype=torch.float64, generator=tg2))
    g2 = R.Generator().set_state(autograd_lab.tensor(tg.get_state().numpy()))
    assert_same(R.uniform((700,), np.float32, generator=g2), torch.rand(700, generator=tg))
    assert_same_state(g2, tg)


def test_state_after_a_full_twist_and_fresh_seed():
    g, tg = pair(5)
    assert_same_state(g, tg)  # fresh: left=1, next=0
    run(("rand", (624,), np.float32), g, tg)
    assert_same_state(g, tg)  # exhausted block: left=1, next=624
    run(("rand", (1,), np.float32), g, tg)
    assert_same_state(g, tg)


def test_set_state_rejects_bad_states():
    with pytest.raises(RuntimeError):
        R.Generator().set_state(autograd_lab.zeros(10, dtype=autograd_lab.uint8))
    bad = R.Generator().get_state()
    bad[8:12] = 0  # left = 0 is invalid
    with pytest.raises(RuntimeError):
        R.Generator().set_state(bad)


def test_fork_rng_restores_the_default_state():
    R.manual_seed(1)
    before = R.get_rng_state()
    with R.fork_rng():
        R.normal((100,), np.float32)
    assert R.get_rng_state().numpy().tobytes() == before.numpy().tobytes()


# ============================== speed and known differences ===================================

@pytest.mark.parametrize("fn", [
    lambda: R.normal((784, 512), np.float32),
    lambda: R.uniform((784, 512), np.float32, -0.05, 0.05),
])
def test_weight_init_is_fast(fn):
    best = min(_timed(fn) for _ in range(3))
    assert best < 0.1


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@pytest.mark.xfail(strict=True, reason="known difference: with ATEN_CPU_CAPABILITY=default (or on "
                   "a CPU without AVX2), torch uses the C library and no FMA for float32 randn "
                   "of >= 16 elements and for uniform_ bounds; we replay the AVX2 kernels")
def test_known_difference_on_cpus_without_avx2():
    code = """
        import json, torch
        torch.manual_seed(1)
        print(json.dumps({"cap": torch.backends.cpu.get_cpu_capability(),
                          "x": torch.randn(64).tolist()}))
    """
    env = {**os.environ, "ATEN_CPU_CAPABILITY": "default"}
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, check=True, env=env)
    res = json.loads(out.stdout)
    assert res["cap"] == "DEFAULT"
    R.manual_seed(1)
    assert np.array_equal(np.float32(res["x"]), R.normal((64,), np.float32))


@pytest.mark.parametrize("dt", [np.float32, np.float64])
@pytest.mark.parametrize("ulps", [1, 4])
def test_uniform_never_returns_high(dt, ulps):
    # with a range of a few ulps, x*(high-low)+low often rounds up to high; torch returns low then
    lo = dt(1.0)
    uint = np.uint32 if dt == np.float32 else np.uint64
    hi = (lo.view(uint) + uint(ulps)).view(dt)
    g, tg = pair(0)
    run(("uniform_", (200,), dt, float(lo), float(hi)), g, tg)
    run(("uniform_", (5,), dt, -0.0, 0.0), g, tg)
    run(("uniform_", (5,), dt, 0.0, -0.0), g, tg)
