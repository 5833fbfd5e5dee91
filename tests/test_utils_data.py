"""``autograd_lab.utils.data`` gives PyTorch's batches, in PyTorch's order, and leaves the
generators where PyTorch leaves them.

Each program runs under torch and under autograd_lab from the same seed; what it returns is
printed the same way for both (containers by type, tensors by repr), its warnings and errors
are compared, and one more random number from the default generator must agree too.
"""
from __future__ import annotations

import warnings
from collections import namedtuple

import numpy as np
import pytest

import autograd_lab

torch = pytest.importorskip("torch")

NT = namedtuple("NT", "a b")


def _show(x) -> str:
    if isinstance(x, (list, tuple)):
        return type(x).__name__ + "[" + ", ".join(_show(i) for i in x) + "]"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in x.items()) + "}"
    return repr(x).replace("autograd_lab.", "torch.")


def _outcome(lib, program):
    lib.manual_seed(5)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            shown = _show(program(lib))
        except Exception as exc:
            shown = f"{type(exc).__name__}: {exc}"
    return shown, [str(w.message) for w in caught], lib.rand(1).item()


def _ds(t):
    return t.utils.data.TensorDataset(t.arange(10.0).view(10, 1), t.arange(10))


def _two_epochs_on_a_generator(t):
    g = t.Generator().manual_seed(3)
    loader = t.utils.data.DataLoader(_ds(t), batch_size=5, shuffle=True, generator=g,
                                     drop_last=True)
    return [list(loader), list(loader), t.rand(2, generator=g)]


PROGRAMS = {
    "sequential": lambda t: list(t.utils.data.DataLoader(_ds(t), batch_size=4)),
    "shuffle": lambda t: list(t.utils.data.DataLoader(_ds(t), batch_size=4, shuffle=True)),
    "shuffle_two_loaders": lambda t: [list(t.utils.data.DataLoader(_ds(t), batch_size=3,
                                                                   shuffle=True))
                                      for _ in range(2)],
    "shuffle_generator": lambda t: list(t.utils.data.DataLoader(
        _ds(t), batch_size=4, shuffle=True, generator=t.Generator().manual_seed(1))),
    "two_epochs_on_a_generator": _two_epochs_on_a_generator,
    "drop_last": lambda t: list(t.utils.data.DataLoader(_ds(t), batch_size=4, shuffle=True,
                                                        drop_last=True)),
    "first_batch_only": lambda t: next(iter(t.utils.data.DataLoader(_ds(t), batch_size=4,
                                                                    shuffle=True))),
    "len": lambda t: [len(t.utils.data.DataLoader(_ds(t), batch_size=4)),
                      len(t.utils.data.DataLoader(_ds(t), batch_size=4, drop_last=True))],
    "collate_numbers_and_strings": lambda t: list(t.utils.data.DataLoader(
        [(1, 2.5, "a"), (3, 4.5, "b"), (5, 6.5, "c")], batch_size=2)),
    "collate_dicts": lambda t: list(t.utils.data.DataLoader(
        [{"x": t.ones(2), "y": 1}, {"x": t.zeros(2), "y": 0}], batch_size=2)),
    "collate_numpy": lambda t: list(t.utils.data.DataLoader(
        [np.ones(2, dtype=np.float32), np.zeros(2, dtype=np.float32)], batch_size=2)),
    "collate_namedtuple": lambda t: list(t.utils.data.DataLoader([NT(1, 2.0), NT(3, 4.0)],
                                                                 batch_size=2)),
    "no_batching_converts": lambda t: list(t.utils.data.DataLoader([np.ones(2), np.zeros(2)],
                                                                   batch_size=None)),
    "stacked_batch_keeps_grad": lambda t: next(iter(t.utils.data.DataLoader(
        t.utils.data.TensorDataset(t.ones(4, 2, requires_grad=True)), batch_size=2))),
    "random_split_lengths": lambda t: [list(s) for s in t.utils.data.random_split(
        range(10), [3, 7], generator=t.Generator().manual_seed(42))],
    "random_split_fractions": lambda t: [list(s) for s in t.utils.data.random_split(
        range(30), [0.3, 0.3, 0.4], generator=t.Generator().manual_seed(42))],
    "random_split_default_generator": lambda t: [s.indices for s in t.utils.data.random_split(
        range(11), [0.5, 0.5])],
    "random_split_empty_part_warns": lambda t: [s.indices for s in t.utils.data.random_split(
        range(2), [0.1, 0.9])],
    "subset": lambda t: t.utils.data.Subset(_ds(t), [1, 3])[1],
    "subset_shuffled": lambda t: list(t.utils.data.DataLoader(
        t.utils.data.Subset(_ds(t), [1, 3, 5]), batch_size=2, shuffle=True)),
    "concat": lambda t: [(_ds(t) + _ds(t))[13], len(_ds(t) + _ds(t))],
    "weighted_sampler": lambda t: list(t.utils.data.WeightedRandomSampler(
        [0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5)),
    "weighted_sampler_no_replacement": lambda t: list(t.utils.data.WeightedRandomSampler(
        [0.9, 0.4, 0.05, 0.2, 0.3, 0.1], 5, replacement=False)),
    "subset_random_sampler": lambda t: list(t.utils.data.SubsetRandomSampler([5, 6, 7, 8])),
    "random_sampler_replacement": lambda t: list(t.utils.data.RandomSampler(
        range(10), replacement=True, num_samples=40)),
    # errors
    "random_split_bad_sum": lambda t: t.utils.data.random_split(range(10), [3, 4]),
    "tensor_dataset_size_mismatch": lambda t: t.utils.data.TensorDataset(t.ones(3), t.ones(4)),
    "batch_size_zero": lambda t: t.utils.data.DataLoader(_ds(t), batch_size=0),
    "shuffle_with_sampler": lambda t: t.utils.data.DataLoader(_ds(t), shuffle=True,
                                                              sampler=[1, 2]),
    "collate_unknown_type": lambda t: list(t.utils.data.DataLoader([object(), object()],
                                                                   batch_size=2)),
    "collate_ragged": lambda t: list(t.utils.data.DataLoader([[1, 2], [3]], batch_size=2)),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_batches_order_and_generator_use(name):
    expected = _outcome(torch, PROGRAMS[name])
    got = _outcome(autograd_lab, PROGRAMS[name])
    assert got == expected


def test_import_forms():
    from autograd_lab.utils import data
    from autograd_lab.utils.data import DataLoader, TensorDataset
    import autograd_lab as t
    assert data.DataLoader is DataLoader is t.utils.data.DataLoader
    assert data.TensorDataset is TensorDataset


def test_every_sample_seen_once_per_shuffled_epoch():
    t = autograd_lab
    t.manual_seed(0)
    loader = t.utils.data.DataLoader(t.utils.data.TensorDataset(t.arange(103)), batch_size=10,
                                     shuffle=True)
    seen = [int(v) for (batch,) in loader for v in batch]
    assert sorted(seen) == list(range(103)) and seen != list(range(103))
    assert [len(b) for (b,) in loader] == [10] * 10 + [3]
