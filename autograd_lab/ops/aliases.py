"""What PyTorch's argument parser adds to every function: the NumPy spellings ``axis=`` (for
``dim=``) and ``keepdims=`` (for ``keepdim=``), and ``out=`` on the functions that write into a
given tensor.

``install(namespace, Tensor)`` wraps, once at import, each function of the ops namespace and
each Tensor method with a ``dim`` or ``keepdim`` parameter so that ``x.sum(axis=0,
keepdims=True)`` works, and gives the functions in ``OUT`` an ``out=`` argument with PyTorch's
rules: refused when autograd would have to record (``add(): functions with out=... arguments
don't support automatic differentiation, but one of the arguments requires grad.``), the result
cast to ``out``'s dtype where PyTorch allows it, ``out`` resized (with PyTorch's deprecation
warning unless it was empty), written in place (its version counter bumped) and returned.
The ops modules call one another directly, so the wrappers cost nothing inside the library.
"""
from __future__ import annotations

import functools
import inspect
import types
import warnings
from typing import Any, Callable

import numpy as np

from .. import return_types
from ..autograd import grad_mode
from ..tensor import Tensor, _scalar_type_name

_ALIASES = {"axis": "dim", "keepdims": "keepdim"}

# functions that take ``out=`` (the common ones lessons use)
OUT = frozenset({
    "add", "sub", "mul", "div", "pow", "matmul", "mm", "bmm", "mv", "dot", "outer", "addmm",
    "sum", "mean", "prod", "std", "var", "max", "min", "amax", "amin", "argmax", "argmin",
    "logsumexp", "cumsum", "cumprod", "cat", "stack", "exp", "log", "log2", "log10", "log1p",
    "expm1", "exp2", "sqrt", "rsqrt", "abs", "neg", "sign", "reciprocal", "square", "sin",
    "cos", "tan", "sinh", "cosh", "tanh", "sigmoid", "asin", "acos", "atan", "atan2", "asinh",
    "acosh", "atanh", "erf", "frac", "floor", "ceil", "round", "trunc", "clamp", "clip",
    "maximum", "minimum", "remainder", "where", "eq", "ne", "lt", "le", "gt", "ge",
    "logical_and", "logical_or", "logical_not", "index_select", "gather", "masked_select",
    "sort", "topk", "kthvalue", "take_along_dim", "norm",
})

_OUT_ERROR = ("{}(): functions with out=... arguments don't support automatic differentiation, "
              "but one of the arguments requires grad.")
_RESIZED = ("An output with one or more elements was resized since it had shape {}, which does "
            "not match the required output shape {}. This behavior is deprecated, and in a "
            "future PyTorch release outputs will not be resized unless they have zero elements. "
            "You can explicitly reuse an out tensor t by resizing it, inplace, to zero elements "
            "with t.resize_(0).")


def _renamed(kwargs: dict) -> dict:
    for alias, name in _ALIASES.items():
        if alias in kwargs:
            if name in kwargs:
                raise TypeError(f"got multiple values for argument '{name}' (also given as "
                                f"'{alias}')")
            kwargs[name] = kwargs.pop(alias)
    return kwargs


def with_dim_aliases(fn: Callable) -> Callable:
    """``fn`` accepting ``axis=`` for ``dim=`` and ``keepdims=`` for ``keepdim=``."""
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            kwargs = _renamed(kwargs)
        return fn(*args, **kwargs)
    call._dim_aliases = True  # type: ignore[attr-defined]
    return call


def _requires_grad(value: Any) -> bool:
    if isinstance(value, Tensor):
        return value.requires_grad
    if isinstance(value, (list, tuple)):
        return any(_requires_grad(v) for v in value)
    return False


def _can_cast(src: Any, dst: Any) -> bool:
    # PyTorch's canCast: no floating result into an integral tensor, nothing but bool into bool
    if src.is_floating_point and not dst.is_floating_point:
        return False
    return not (dst.name == "bool" and src.name != "bool")


def write_out(out: Tensor, result: Tensor) -> Tensor:
    """Write ``result`` into ``out`` as PyTorch's out= does and return ``out``."""
    if not isinstance(out, Tensor):
        raise TypeError(f"argument 'out' must be Tensor, not {type(out).__name__}")
    if not _can_cast(result.dtype, out.dtype):
        raise RuntimeError(f"result type {_scalar_type_name(result.dtype)} can't be cast to the "
                           f"desired output type {_scalar_type_name(out.dtype)}")
    shape = result._data.shape
    if out._data.shape != shape:
        if out._data.size:
            warnings.warn(_RESIZED.format(list(out._data.shape), list(shape)), UserWarning,
                          stacklevel=3)
        out._data = np.empty(shape, dtype=out._data.dtype)
    np.copyto(out._data, result._data, casting="unsafe")
    out._vc[0] += 1
    return out


def with_out(fn: Callable, name: str, dim_aliases: bool = False) -> Callable:
    """``fn`` accepting ``out=`` (a tensor, or a tuple for functions returning two), and with
    ``dim_aliases`` also ``axis=``/``keepdims=`` (one wrapper instead of two)."""
    if not dim_aliases:
        direct = _with_out_direct(fn, name)
        if direct is not None:
            return direct

    @functools.wraps(fn)
    def call(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        if out is None:
            if dim_aliases and kwargs:
                kwargs = _renamed(kwargs)
            return fn(*args, **kwargs)
        if dim_aliases and kwargs:
            kwargs = _renamed(kwargs)
        return _into_out(fn, name, args, kwargs, out)
    return call


def _into_out(fn: Callable, name: str, args: tuple, kwargs: dict, out: Any) -> Any:
    """``fn(*args, **kwargs)`` written into ``out`` by PyTorch's rules (see module docstring)."""
    if grad_mode.is_grad_enabled() and (_requires_grad(args) or _requires_grad(
            list(kwargs.values())) or _requires_grad(out)):
        raise RuntimeError(_OUT_ERROR.format(name))
    result = fn(*args, **kwargs)
    if isinstance(result, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(result):
            raise TypeError(f"{name}(): argument 'out' must be tuple of {len(result)} "
                            "Tensors")
        written = [write_out(o, r) for o, r in zip(out, result)]
        return _out_type(type(result))(written)
    return write_out(out, result)


_KINDS = inspect.Parameter


def _with_out_direct(fn: Callable, name: str) -> Callable | None:
    """The ``out=`` wrapper of a function with plain parameters, written with those parameters
    (``def add(input, other, *, alpha=1, out=None)``) so that a call without ``out`` passes
    its arguments straight on, without packing them into ``*args``/``**kwargs`` (on every
    ``torch.add``/``torch.mul``... a learner writes). None for a signature it cannot copy."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    if any(p.kind in (_KINDS.VAR_POSITIONAL, _KINDS.VAR_KEYWORD) or p.name == "out"
           or not p.name.isidentifier() or p.name.startswith("_") for p in params):
        return None
    namespace: dict[str, Any] = {"_fn": fn, "_into_out": _into_out, "_name": name}
    heads, positional, keywords = [], [], []
    for i, p in enumerate(params):
        text = p.name
        if p.default is not _KINDS.empty:
            namespace[f"_default{i}"] = p.default
            text += f"=_default{i}"
        if p.kind is _KINDS.KEYWORD_ONLY:
            keywords.append((p.name, text))
        else:
            heads.append(text)
            positional.append(p.name)
            if p.kind is _KINDS.POSITIONAL_ONLY and (i + 1 == len(params) or params[
                    i + 1].kind is not _KINDS.POSITIONAL_ONLY):
                heads.append("/")
    signature = ", ".join(heads + ["*"] + [text for _, text in keywords] + ["out=None"])
    forward = ", ".join(positional + [f"{k}={k}" for k, _ in keywords])
    packed_args = "".join(f"{a}, " for a in positional)
    packed_kwargs = ", ".join(f"{k!r}: {k}" for k, _ in keywords)
    source = (f"def {fn.__name__}({signature}):\n"
              f"    if out is None:\n"
              f"        return _fn({forward})\n"
              f"    return _into_out(_fn, _name, ({packed_args}), {{{packed_kwargs}}}, out)\n")
    exec(source, namespace)
    return functools.wraps(fn)(namespace[fn.__name__])


@functools.lru_cache(maxsize=None)
def _out_type(result_type: type) -> type:
    # ``torch.max(x, 0, out=(v, i))`` returns ``torch.return_types.max_out``
    name = result_type.__name__ + "_out"
    existing = getattr(return_types, name, None)
    if existing is not None:
        return existing
    made = return_types._make(name, result_type._names)  # type: ignore[attr-defined]
    setattr(return_types, name, made)
    return made


def _has_dim_parameter(fn: Callable) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return "dim" in params or "keepdim" in params


def install(namespace: dict, tensor_cls: type) -> None:
    """Wrap the ops namespace's functions and ``tensor_cls``'s methods (see module docstring)."""
    for name, fn in list(namespace.items()):
        if not isinstance(fn, types.FunctionType) or name.startswith("_"):
            continue
        if getattr(fn, "_dim_aliases", False):
            continue
        if name in OUT:
            wrapped = with_out(fn, name, _has_dim_parameter(fn))
            wrapped._dim_aliases = True  # type: ignore[attr-defined]
        elif _has_dim_parameter(fn):
            wrapped = with_dim_aliases(fn)
        else:
            wrapped = fn
        namespace[name] = wrapped
    for name, fn in list(vars(tensor_cls).items()):
        if isinstance(fn, types.FunctionType) and not name.startswith("_") and \
                not getattr(fn, "_dim_aliases", False) and _has_dim_parameter(fn):
            setattr(tensor_cls, name, with_dim_aliases(fn))


__all__: list[str] = []
