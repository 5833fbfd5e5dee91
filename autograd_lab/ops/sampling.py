"""Random sampling ops: ``bernoulli``, ``multinomial``, ``normal`` and the in-place random
fills ``bernoulli_``, ``exponential_``, ``random_``.

The numbers come from ``autograd_lab.random`` (bit-identical to PyTorch's CPU generator). A
sample does not change smoothly with its parameters, so every node here sends back zeros, as
PyTorch's do; they exist so that the graph shows where randomness entered.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from .. import dtypes, random
from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import as_tensor_operand, check_inplace, inplace_records, needs, record
from .inplace import _overwrite
from .pointwise import add, mul, zeros_like

_RANDOM = both("A random sample does not change smoothly with what it was drawn from, so the "
               "gradient sent back is 0.",
               "随机样本不会随它的参数平滑变化，所以传回的梯度是 0。")
_FILLED = both("{z} was overwritten with random numbers in place: its old values, {0}, get "
               "gradient 0.",
               "{z} 被原地改写为随机数：它原来的值 {0} 得到的梯度是 0。")


class _ZeroGradients(Node):
    """Base of the sampling nodes: every input that needs one gets a zero gradient."""
    __slots__ = ()

    def apply(self, grad):
        out: list[Any] = []
        for i, edge in enumerate(self._next_nodes):
            if edge is None:
                out.append(None)
            else:
                shape, dtype = self._input_meta[i]
                out.append(_make(np.zeros(shape, dtype.np), None) if needs(self, i) else None)
        return tuple(out)


class BernoulliBackward0(_ZeroGradients):
    """``torch.bernoulli(p)``: 0/1 samples with probabilities p; p gets a zero gradient."""
    __slots__ = ()
    explanation = Explanation("{z} = bernoulli({0})", ("0",), _RANDOM)


class BernoulliBackward1(_ZeroGradients):
    """``self.bernoulli_(p)`` with a tensor p: self and p both get zero gradients."""
    __slots__ = ()
    explanation = Explanation("{z}.bernoulli_({1})", ("0", "0"), _FILLED, inputs=("self", "p"))


class BernoulliBackward2(_ZeroGradients):
    """``self.bernoulli_(p)`` with a number p: self's old values get a zero gradient."""
    __slots__ = ()
    explanation = Explanation("{z}.bernoulli_(p)", ("0",), _FILLED)


class ExponentialBackward0(_ZeroGradients):
    """``self.exponential_(lambd)``: self's old values get a zero gradient."""
    __slots__ = ()
    explanation = Explanation("{z}.exponential_(lambd)", ("0",), _FILLED)


class RandomBackward0(_ZeroGradients):
    """``self.random_(from, to)``: self's old values get a zero gradient."""
    __slots__ = ()
    explanation = Explanation("{z}.random_(from, to)", ("0",), _FILLED)


class RandomBackward1(_ZeroGradients):
    """``self.random_(to)``: self's old values get a zero gradient."""
    __slots__ = ()
    explanation = Explanation("{z}.random_(to)", ("0",), _FILLED)


class RandomBackward2(_ZeroGradients):
    """``self.random_()``: self's old values get a zero gradient."""
    __slots__ = ()
    explanation = Explanation("{z}.random_()", ("0",), _FILLED)


class NormalBackward1(_ZeroGradients):
    """``torch.normal(mean_tensor, std)``: the mean gets a zero gradient."""
    __slots__ = ()
    explanation = Explanation("{z} = normal({0}, std)", ("0",), _RANDOM)


class NormalBackward2(_ZeroGradients):
    """``torch.normal(mean, std_tensor)``: the std gets a zero gradient."""
    __slots__ = ()
    explanation = Explanation("{z} = normal(mean, {0})", ("0",), _RANDOM)


class NormalBackward3(_ZeroGradients):
    """``torch.normal(mean_tensor, std_tensor)``: both get zero gradients."""
    __slots__ = ()
    explanation = Explanation("{z} = normal({0}, {1})", ("0", "0"), _RANDOM)


def _float_np(t: Tensor, distribution: str) -> np.dtype:
    if not t.dtype.is_floating_point:
        raise RuntimeError(f"{distribution} distribution is a continuous probability "
                           f"distribution. dtype must be a floating point but you specified "
                           f"{_SCALAR_NAMES.get(t.dtype.name, t.dtype.name)}")
    return t._data.dtype


_SCALAR_NAMES = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
                 "uint8": "Byte", "bool": "Bool"}


def bernoulli(input: Tensor, p: Optional[float] = None, *,
              generator: Optional[random.Generator] = None) -> Tensor:
    """0/1 samples, 1 with probability ``input`` (or with the number ``p``), of input's type."""
    if p is not None:
        out = random.bernoulli(float(p), input._data.shape, input._data.dtype,
                               generator=generator)
        return _make(out, None)
    probs = input._data
    if probs.dtype.kind != "f":
        raise NotImplementedError(f'"bernoulli_tensor_cpu_p_" not implemented for '
                                  f"'{_SCALAR_NAMES.get(probs.dtype.name, probs.dtype.name)}'")
    if probs.size and not ((probs >= 0) & (probs <= 1)).all():
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could "
                           "this error message be improved?  If so, please report an "
                           "enhancement request to PyTorch.)")
    out = random.bernoulli(probs, probs.shape, probs.dtype, generator=generator)
    return record(out, BernoulliBackward0, (input,))


def _fill(self: Tensor, values: np.ndarray, node_cls: type, others: tuple = ()) -> Tensor:
    records = inplace_records(self, *others)
    check_inplace(self, records)
    node = node_cls((self,) + others) if records else None
    return _overwrite(self, values.astype(self._data.dtype, copy=False), node, records)


def bernoulli_(self: Tensor, p: Any = 0.5, *,
               generator: Optional[random.Generator] = None) -> Tensor:
    """Fill ``self`` in place with 0/1 samples, 1 with probability ``p`` (a number or tensor)."""
    shape = self._data.shape
    np_dtype = self._data.dtype
    if isinstance(p, Tensor):
        values = random.bernoulli(p._data, shape, np_dtype, generator=generator)
        return _fill(self, values, BernoulliBackward1, (p,))
    values = random.bernoulli(float(p), shape, np_dtype, generator=generator)
    return _fill(self, values, BernoulliBackward2)


def exponential_(self: Tensor, lambd: float = 1.0, *,
                 generator: Optional[random.Generator] = None) -> Tensor:
    """Fill ``self`` in place with exponential samples of rate ``lambd``."""
    values = random.exponential(self._data.shape, _float_np(self, "Exponential"), lambd,
                                generator=generator)
    return _fill(self, values, ExponentialBackward0)


def random_(self: Tensor, from_: Optional[int] = None, to: Optional[int] = None, *,
            generator: Optional[random.Generator] = None, **kw: Any) -> Tensor:
    """Fill ``self`` in place with random integers: ``random_(to)`` in [0, to),
    ``random_(from, to)`` in [from, to), ``random_()`` over the type's whole range."""
    if "from" in kw:
        from_ = kw.pop("from")
    to = kw.pop("to", to)
    shape, np_dtype = self._data.shape, self._data.dtype
    if from_ is None and to is None:
        return _fill(self, random.random(shape, np_dtype, generator=generator), RandomBackward2)
    if to is None:
        assert from_ is not None
        values = random.randint(0, from_, shape, generator=generator)
        return _fill(self, values, RandomBackward1)
    values = random.randint(from_ if from_ is not None else 0, to, shape, generator=generator)
    return _fill(self, values, RandomBackward0)


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator: Optional[random.Generator] = None) -> Tensor:
    """Indices sampled from each row of ``input`` (non-negative weights), as int64."""
    return _make(random.multinomial(input._data, num_samples, replacement, generator), None)


_NORMAL_OVERLOADS = (
    "normal() received an invalid combination of arguments - got (float, float), but expected "
    "one of:\n"
    " * (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, float std, tuple of ints size, *, torch.Generator generator = None, "
    "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device "
    "device = None, bool pin_memory = False, bool requires_grad = False)\n")


def _normal_size(size: Any) -> tuple[int, ...]:
    if isinstance(size, (int, np.integer)):
        return (int(size),)
    return tuple(int(s) for s in size)


def normal(mean: Any, std: Any = 1.0, size: Optional[Sequence[int]] = None, *,
           generator: Optional[random.Generator] = None,
           dtype: Optional[dtypes.dtype] = None, requires_grad: bool = False,
           **kw: Any) -> Tensor:
    """Normal samples: ``normal(mean_tensor, std_tensor)``, ``normal(mean_tensor, 1.0)``,
    ``normal(0.0, std_tensor)``, or ``normal(mean, std, size)`` with numbers."""
    mean_t, std_t = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not mean_t and not std_t:
        if size is None:
            raise TypeError(_NORMAL_OVERLOADS)
        np_dtype = (dtype or dtypes.get_default_dtype()).np
        out = random.normal(_normal_size(size), np_dtype, float(mean), float(std),
                            generator=generator)
        result = _make(out, None)
        if requires_grad:
            result.requires_grad_(True)
        return result
    if std_t and std._data.size and not (std._data >= 0).all():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if not std_t and not float(std) >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    like = mean if mean_t else std
    if mean_t and std_t:
        shape = np.broadcast_shapes(mean._data.shape, std._data.shape)
    else:
        shape = like._data.shape
    np_dtype = like._data.dtype
    if mean_t and not std_t:
        # torch draws N(0, std) and then adds the mean, rounding twice
        z = random.normal(shape, np_dtype, 0.0, float(std), generator=generator)
        values = z + mean._data
        return record(values.astype(np_dtype, copy=False), NormalBackward1, (mean,))
    z = random.normal(shape, np_dtype, generator=generator)
    values = z * std._data
    values = values + (mean._data if mean_t else np_dtype.type(mean))
    values = values.astype(np_dtype, copy=False)
    if mean_t:
        return record(values, NormalBackward3, (mean, std))
    return record(values, NormalBackward2, (std,))


__all__ = ["bernoulli", "bernoulli_", "exponential_", "random_", "multinomial", "normal"]
