"""Sampling ops (multinomial, normal, bernoulli, exponential_, random_) and dropout / one_hot
give PyTorch's very numbers, node names and errors after the same seed.

Each program runs once under torch and once under autograd_lab from the same seed; values
are compared bit for bit, then both libraries draw one more number to show that they consumed
the generator identically.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd_lab
from autograd_lab import random as R

torch = pytest.importorskip("torch")
import torch.nn.functional as TF  # noqa: E402

import autograd_lab.nn.functional as AF  # noqa: E402

LIBS = ((torch, TF), (autograd_lab, AF))


def _shown(lib, F, program):
    lib.manual_seed(7)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = program(lib, F)
    except Exception as exc:  # the message is part of what must match
        return ("error", type(exc).__name__, str(exc))
    fn = getattr(value, "grad_fn", None)
    bits = value.detach().numpy().tobytes() if hasattr(value, "detach") else repr(value)
    return (repr(value), type(fn).__name__ if fn is not None else None, bits,
            [str(w.message) for w in caught], lib.rand(1).item())


def assert_same(program) -> None:
    expected, got = (_shown(lib, F, program) for lib, F in LIBS)
    assert got == expected


CASES = {
    "multinomial_makemore": lambda t, F: t.multinomial(
        t.rand(27), num_samples=1, replacement=True,
        generator=t.Generator().manual_seed(2147483647)),
    "multinomial_rows_with_replacement": lambda t, F: t.multinomial(t.rand(3, 27) ** 2, 20, True),
    "multinomial_without_replacement": lambda t, F: t.multinomial(t.rand(4, 10), 6),
    "multinomial_method_float64": lambda t, F: t.rand(5, dtype=t.float64).multinomial(3),
    "multinomial_counts_zero_weights": lambda t, F: t.multinomial(
        t.tensor([0.0, 3.0, 0.0, 1.0]), 50, replacement=True),
    "normal_tensor_tensor": lambda t, F: t.normal(t.arange(20.0), t.arange(1.0, 21.0)),
    "normal_broadcast": lambda t, F: t.normal(t.ones(4, 1), t.arange(1.0, 4.0)),
    "normal_tensor_float": lambda t, F: t.normal(t.arange(20.0), 2.5),
    "normal_small_tensor_float": lambda t, F: t.normal(t.arange(5.0), 2.5),
    "normal_float_tensor": lambda t, F: t.normal(2.0, t.arange(20.0)),
    "normal_size": lambda t, F: t.normal(2, 3, size=(1, 4)),
    "normal_size_generator": lambda t, F: t.normal(
        0.0, 1.0, (40,), generator=t.Generator().manual_seed(3)),
    "normal_node_1": lambda t, F: t.normal(t.zeros(3, requires_grad=True), 1.0),
    "normal_node_2": lambda t, F: t.normal(0.0, t.ones(3, requires_grad=True)),
    "normal_node_3": lambda t, F: t.normal(t.zeros(3, requires_grad=True), t.ones(3)),
    "normal_float64": lambda t, F: t.normal(t.arange(6.0).double(), t.ones(6).double() * 3),
    "bernoulli_tensor": lambda t, F: t.bernoulli(t.rand(30, 4, requires_grad=True)),
    "bernoulli_p": lambda t, F: t.bernoulli(t.rand(3, 4), 0.3),
    "bernoulli_inplace_number": lambda t, F: t.ones(3, requires_grad=True).clone().bernoulli_(0.5),
    "bernoulli_inplace_tensor": lambda t, F: t.ones(9, requires_grad=True).clone().bernoulli_(
        t.rand(9)),
    "exponential": lambda t, F: t.empty(20).exponential_(3),
    "exponential_node": lambda t, F: t.ones(3, requires_grad=True).clone().exponential_(),
    "random_to": lambda t, F: t.empty(20, dtype=t.long).random_(10),
    "random_from_to_node": lambda t, F: t.ones(3, requires_grad=True).clone().random_(2, 5),
    "random_all_node": lambda t, F: t.ones(3, requires_grad=True).clone().random_(),
    "dropout_train": lambda t, F: F.dropout(t.ones(4, 8, requires_grad=True), 0.3),
    "dropout_float64": lambda t, F: F.dropout(t.arange(40.0).double(), 0.9),
    "dropout_p1": lambda t, F: F.dropout(t.ones(5, requires_grad=True), 1.0),
    "dropout_inplace": lambda t, F: F.dropout(t.ones(4, 8, requires_grad=True) * 2, 0.5,
                                              inplace=True),
    "dropout_module": lambda t, F: t.nn.Dropout(0.2)(t.randn(3, 7)),
    "dropout_module_eval": lambda t, F: t.nn.Dropout(0.2).eval()(t.ones(3)),
    "dropout_repr": lambda t, F: t.nn.Dropout(0.2, inplace=True),
    "randint_keywords": lambda t, F: t.randint(high=5, size=(3,)),
    "randint_low_high_keywords": lambda t, F: t.randint(low=2, high=5, size=(3,)),
    "rand_like": lambda t, F: t.rand_like(t.ones(2, 3)),
    "rand_like_float64": lambda t, F: t.rand_like(t.ones(2, 3), dtype=t.float64),
    "randn_like_blocks": lambda t, F: t.randn_like(t.ones(20, 3, dtype=t.float64)),
    "randn_like_requires_grad": lambda t, F: t.randn_like(t.ones(2, 3), requires_grad=True),
    "randint_like_float": lambda t, F: t.randint_like(t.ones(2, 3), 10),
    "randint_like_low_high": lambda t, F: t.randint_like(t.ones(2, 3, dtype=t.long), 3, 10),
    "dropout1d": lambda t, F: F.dropout1d(t.ones(2, 3, 4, requires_grad=True), 0.3),
    "dropout1d_unbatched": lambda t, F: F.dropout1d(t.ones(3, 4, requires_grad=True), 0.3),
    "dropout1d_unbatched_p0": lambda t, F: F.dropout1d(t.ones(3, 4, requires_grad=True), 0.0),
    "dropout2d": lambda t, F: F.dropout2d(t.ones(2, 3, 4, 5, requires_grad=True), 0.3),
    "dropout2d_3d_input_warns": lambda t, F: F.dropout2d(t.ones(2, 3, 4), 0.3),
    "dropout2d_2d_input_warns": lambda t, F: F.dropout2d(t.ones(2, 3), 0.3),
    "dropout2d_inplace": lambda t, F: F.dropout2d(t.ones(2, 3, 4, 5, requires_grad=True) * 1,
                                                  0.5, inplace=True),
    "dropout3d_unbatched": lambda t, F: F.dropout3d(t.ones(3, 2, 2, 2, requires_grad=True), 1.0),
    "dropout2d_module": lambda t, F: t.nn.Dropout2d(0.25)(t.ones(4, 6, 2, 2)),
    "dropout1d_module_repr": lambda t, F: t.nn.Dropout1d(0.25),
    "one_hot": lambda t, F: F.one_hot(t.tensor([[0, 2], [1, 1]]), 3),
    "one_hot_inferred": lambda t, F: F.one_hot(t.tensor([0, 4, 1])),
    "one_hot_empty": lambda t, F: F.one_hot(t.tensor([], dtype=t.long), 3),
}

ERRORS = {
    "multinomial_int": lambda t, F: t.multinomial(t.tensor([1, 2]), 1),
    "multinomial_3d": lambda t, F: t.multinomial(t.ones(2, 2, 2), 1),
    "multinomial_zero_samples": lambda t, F: t.multinomial(t.ones(3), 0),
    "multinomial_too_many": lambda t, F: t.multinomial(t.ones(3), 4),
    "multinomial_negative": lambda t, F: t.multinomial(t.tensor([1.0, -1.0]), 1),
    "multinomial_zero_sum": lambda t, F: t.multinomial(t.tensor([0.0, 0.0]), 2, True),
    "multinomial_negative_rep": lambda t, F: t.multinomial(t.tensor([1.0, -1.0]), 2, True),
    "multinomial_inf_rep": lambda t, F: t.multinomial(t.tensor([1.0, float("inf")]), 2, True),
    "normal_negative_std": lambda t, F: t.normal(t.zeros(3), -1.0),
    "normal_negative_std_tensor": lambda t, F: t.normal(t.zeros(3), -t.ones(3)),
    "normal_no_size": lambda t, F: t.normal(0.0, 1.0),
    "bernoulli_out_of_range": lambda t, F: t.bernoulli(t.ones(3) * 2),
    "bernoulli_long": lambda t, F: t.bernoulli(t.ones(3, dtype=t.long)),
    "exponential_long": lambda t, F: t.empty(3, dtype=t.long).exponential_(),
    "exponential_bad_rate": lambda t, F: t.empty(3).exponential_(-1),
    "dropout_p": lambda t, F: F.dropout(t.ones(3), 1.5),
    "dropout_module_p": lambda t, F: t.nn.Dropout(-0.1),
    "dropout1d_1d_input": lambda t, F: F.dropout1d(t.ones(3), 0.5),
    "one_hot_float": lambda t, F: F.one_hot(t.tensor([0.0, 1.0])),
    "one_hot_too_big": lambda t, F: F.one_hot(t.tensor([0, 3]), 2),
    "one_hot_negative": lambda t, F: F.one_hot(t.tensor([-1, 1]), 3),
    "one_hot_empty_infer": lambda t, F: F.one_hot(t.tensor([], dtype=t.long)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_values_nodes_and_generator_use(name):
    assert_same(CASES[name])


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_same_error(name):
    expected, got = (_shown(lib, F, ERRORS[name]) for lib, F in LIBS)
    assert expected[0] == "error"
    assert got == expected


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("shape", [(27,), (5, 27), (2, 1000)])
@pytest.mark.parametrize("dt, tdt", [(np.float32, torch.float32), (np.float64, torch.float64)])
@pytest.mark.parametrize("n, replacement", [(1, True), (1, False), (3, False), (7, True)])
def test_multinomial_bits_and_state(seed, shape, dt, tdt, n, replacement):
    g, tg = R.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
    probs = R.uniform(shape, dt, generator=g)
    assert np.array_equal(probs, torch.rand(shape, dtype=tdt, generator=tg).numpy())
    probs = probs * probs * probs  # uneven weights, the same array for both
    tprobs = torch.from_numpy(probs.copy())
    ours = R.multinomial(probs, n, replacement, generator=g)
    theirs = torch.multinomial(tprobs, n, replacement, generator=tg)
    assert np.array_equal(ours, theirs.numpy())
    assert g.get_state().numpy().tobytes() == tg.get_state().numpy().tobytes()


@pytest.mark.parametrize("n", [1, 5, 16, 100])
@pytest.mark.parametrize("dt, tdt", [(np.float32, torch.float32), (np.float64, torch.float64)])
def test_exponential_bits_and_state(n, dt, tdt):
    g, tg = R.Generator().manual_seed(n), torch.Generator().manual_seed(n)
    ours = R.exponential((n,), dt, 0.5, generator=g)
    theirs = torch.empty(n, dtype=tdt).exponential_(0.5, generator=tg)
    assert ours.tobytes() == theirs.numpy().tobytes()
    assert g.get_state().numpy().tobytes() == tg.get_state().numpy().tobytes()


def test_sampling_nodes_send_zero_gradients():
    def program(t):
        x = t.ones(4, requires_grad=True)
        s = t.ones(4, requires_grad=True)
        (t.normal(x * 2, s).sum() + (x * 1).bernoulli_(0.5).sum()).backward()
        return x.grad.tolist(), s.grad.tolist()
    assert program(autograd_lab) == program(torch) == ([0.0] * 4, [0.0] * 4)


def test_dropout_scales_kept_elements_and_counts_match_p():
    autograd_lab.manual_seed(0)
    y = AF.dropout(autograd_lab.ones(10000), 0.25)
    kept = y._data[y._data != 0]
    assert np.all(kept == np.float32(1) / np.float32(0.75))
    assert abs(kept.size / 10000 - 0.75) < 0.02


STATE_PROGRAMS = {
    "state_is_a_byte_tensor": lambda t, F: (t.get_rng_state().dtype, t.get_rng_state().shape,
                                            t.Generator().manual_seed(3).get_state()[:8]),
    "save_and_restore": lambda t, F: (lambda s: (t.rand(3), t.set_rng_state(s), t.rand(3)))(
        t.get_rng_state()),
    "set_state_numpy_refused": lambda t, F: t.Generator().set_state(np.zeros(5056, np.uint8)),
    "set_state_list_refused": lambda t, F: t.Generator().set_state([1, 2]),
    "set_state_float_refused": lambda t, F: t.set_rng_state(t.zeros(3)),
    "generator_device": lambda t, F: (t.Generator().device, str(t.Generator("cpu").device)),
    "set_state_wrong_size": lambda t, F: t.Generator().set_state(t.zeros(10, dtype=t.uint8)),
}


@pytest.mark.parametrize("name", sorted(STATE_PROGRAMS))
def test_rng_state_api(name):
    assert_same(STATE_PROGRAMS[name])


@pytest.mark.xfail(strict=True, reason="an unbatched in-place dropout1d/dropout3d gets PyTorch's "
                   "values, but PyTorch's graph also records its in-place unsqueeze_/squeeze_ "
                   "(SqueezeBackward4 on top); autograd_lab has no unsqueeze_ and shows the "
                   "MulBackward0")
def test_unbatched_inplace_channel_dropout_graph():
    assert_same(lambda t, F: F.dropout1d(t.ones(3, 4, requires_grad=True) * 1, 0.3, inplace=True))
