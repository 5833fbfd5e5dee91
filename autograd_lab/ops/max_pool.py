"""Max pooling: max_pool2d, max_pool1d, adaptive_max_pool2d.

Each output is the largest value of its window, and the op keeps *where* it was: the flat
position ``row * W + col`` in the (unpadded) input plane, PyTorch's "indices". The gradient goes
to that one position only (positions chosen by several overlapping windows get each share).
Scan order decides ties as in PyTorch's CPU kernel: the first maximum of a window, row by row;
a NaN counts as the largest value, and a later NaN in the window replaces an earlier one.

Nodes, as PyTorch names them: ``MaxPool2DWithIndicesBackward0`` (saves ``self`` and the indices
as ``result1``) and ``AdaptiveMaxPool2DBackward0``; their gradients record
``MaxPool2DWithIndicesBackwardBackward0`` / ``AdaptiveMaxPool2DBackwardBackward0`` (saving the
indices), whose own backward gathers the incoming gradient at the indices with recorded ops
(view, gather, view), so derivatives of every order work. ``max_pool1d`` is ``max_pool2d`` on
the input with a height-1 dimension put in and taken out again (Unsqueeze / Squeeze nodes), as
in PyTorch.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import needs, record
from .conv import _pool_out

__all__ = ["max_pool2d", "max_pool1d", "adaptive_max_pool2d"]


# -- arguments ----------------------------------------------------------------------------------
def _two(value: Any, name: str) -> tuple[int, int]:
    """An int or a 1- or 2-tuple as a pair."""
    if isinstance(value, (list, tuple)):
        if len(value) in (1, 2):
            return (int(value[0]), int(value[-1]))
    elif value is not None:
        return (int(value), int(value))
    how = ("must be either a single int, or a tuple of two ints" if name == "dilation" else
           "must either be a single int, or a tuple of two ints")
    raise RuntimeError(f"max_pool2d: {name} {how}")


def _stride(value: Any, kernel: tuple[int, int]) -> tuple[int, int]:
    """The stride as a pair; the kernel size when omitted (None or empty)."""
    if value is None or (isinstance(value, (list, tuple)) and len(value) == 0):
        return kernel
    if isinstance(value, (list, tuple)) and len(value) not in (1, 2):
        raise RuntimeError("max_pool2d: stride must either be omitted, a single int, or a tuple "
                           "of two ints")
    return _two(value, "stride")


def _check_padding(k: int, s: int, p: int, d: int) -> None:
    if s == 0:
        raise RuntimeError("stride should not be zero")
    if p < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {p}")
    if p > ((k - 1) * d + 1) // 2:
        raise RuntimeError("pad should be at most half of effective kernel size, but got "
                           f"pad={p}, kernel_size={k} and dilation={d}")


def _size_str(shape: tuple) -> str:
    return "x".join(str(s) for s in shape)


# -- the kernels (arrays in, arrays out) ----------------------------------------------------------
def _lowest(dtype: np.dtype) -> Any:
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _max_windows(x: np.ndarray, kernel: tuple, stride: tuple, padding: tuple, dilation: tuple,
                 out: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling of (N, C, H, W) ``x``: the maxima and their flat indices, (N, C, OH, OW)."""
    n, c, h, w = x.shape
    extra = [max((out[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1
                 - (x.shape[2 + i] + padding[i]), 0) for i in range(2)]
    xp = x
    if padding != (0, 0) or extra != [0, 0]:
        xp = np.pad(x, ((0, 0), (0, 0), (padding[0], extra[0]), (padding[1], extra[1])),
                    constant_values=_lowest(x.dtype))
    sn, sc, sh, sw = xp.strides
    win = as_strided(xp, (n, c, out[0], out[1], kernel[0], kernel[1]),
                     (sn, sc, sh * stride[0], sw * stride[1], sh * dilation[0], sw * dilation[1]),
                     writeable=False).reshape(n, c, out[0], out[1], kernel[0] * kernel[1])
    arg = win.argmax(axis=-1)
    if x.dtype.kind == "f":
        nan = np.isnan(win)
        if nan.any():  # the last NaN of a window wins, as in PyTorch's scan
            last = win.shape[-1] - 1 - nan[..., ::-1].argmax(axis=-1)
            arg = np.where(nan.any(axis=-1), last, arg)
    values = np.take_along_axis(win, arg[..., None], axis=-1)[..., 0]
    rows = (np.arange(out[0]) * stride[0] - padding[0])[:, None] + (arg // kernel[1]) * dilation[0]
    cols = (np.arange(out[1]) * stride[1] - padding[1])[None, :] + (arg % kernel[1]) * dilation[1]
    # clipping at 0 only changes a window whose maximum is the lowest value (all -inf, say):
    # argmax then chose its first position, maybe padding; PyTorch's kernel names the first
    # real position of that window
    index = np.maximum(rows, 0) * w + np.maximum(cols, 0)
    return np.ascontiguousarray(values), index.astype(np.int64)


def _scatter_to_input(g: np.ndarray, index: np.ndarray, shape: tuple) -> np.ndarray:
    """Each gradient added at its flat index of the input plane (shares added up)."""
    planes = int(np.prod(shape[:-2], dtype=np.int64))
    plane = shape[-2] * shape[-1]
    gx = np.zeros(planes * plane, dtype=g.dtype)
    flat = index.reshape(planes, -1) + (np.arange(planes, dtype=np.int64) * plane)[:, None]
    np.add.at(gx, flat.ravel(), g.reshape(-1))
    return gx.reshape(shape)


# -- nodes ----------------------------------------------------------------------------------------
_MAX_EXPLAINED = both("Each output is one input value (its window's maximum): its gradient goes "
                      "back to that position only.",
                      "每个输出就是一个输入值（窗口中的最大值）：梯度只回到那个位置。")


class MaxPool2DWithIndicesBackward0(Node):
    """out = max_pool2d(self)  ->  g goes to each window's maximum (result1 says where)"""
    _saved_fields = ("ceil_mode", "dilation", "kernel_size", "padding", "result1", "self",
                     "stride")
    explanation = Explanation(
        "{z} = max_pool2d({0}, {kernel_size})",
        (both("g at the position of each window's maximum, 0 elsewhere",
              "g 放在每个窗口最大值的位置，其余为 0"),), _MAX_EXPLAINED)

    def apply(self, grad):
        return (_max_pool_backward(grad, self._saved("self"), self._saved("result1"),
                                   MaxPool2DWithIndicesBackwardBackward0),)


class AdaptiveMaxPool2DBackward0(Node):
    """out = adaptive_max_pool2d(self)  ->  g goes to each window's maximum"""
    _saved_fields = ("result1", "self")
    explanation = Explanation(
        "{z} = adaptive_max_pool2d({0})",
        (both("g at the position of each window's maximum, 0 elsewhere",
              "g 放在每个窗口最大值的位置，其余为 0"),), _MAX_EXPLAINED)

    def apply(self, grad):
        return (_max_pool_backward(grad, self._saved("self"), self._saved("result1"),
                                   AdaptiveMaxPool2DBackwardBackward0),)


def _max_pool_backward(grad: Tensor, x: Tensor, indices: Tensor, node_cls: type) -> Tensor:
    gx = _scatter_to_input(grad._data, indices._data, x._data.shape)
    return record(gx, node_cls, (grad, x), indices=indices, _x_shape=x._data.shape)


class MaxPool2DWithIndicesBackwardBackward0(Node):
    """gI = max_pool2d_backward(grad_output)  ->  grad_output gets gg read at the indices (the
    input gets zeros: the gradient does not depend on its values, only on where the maxima
    were)"""
    _saved_fields = ("indices",)
    explanation = Explanation(
        "", (),
        both("The gradient of a max pool puts grad_output at the maxima: differentiating it "
             "reads the incoming gradient back at those positions.",
             "最大池化的梯度把 grad_output 放到最大值处：再求导就是在这些位置读回传入的梯度。"))

    __slots__ = ("_x_shape",)

    def apply(self, gg):
        gout = _gather_at(gg, self._saved("indices")) if needs(self, 0) else None
        gx = _make(np.zeros(self._x_shape, dtype=gg._data.dtype), None) if needs(self, 1) else None
        return gout, gx


class AdaptiveMaxPool2DBackwardBackward0(MaxPool2DWithIndicesBackwardBackward0):
    """gI = adaptive_max_pool2d_backward(grad_output)  ->  grad_output gets gg read at the
    indices; the input gets zeros"""
    __slots__ = ()
    explanation = Explanation(
        "", (),
        both("The gradient of an adaptive max pool puts grad_output at the maxima: "
             "differentiating it reads the incoming gradient back at those positions.",
             "自适应最大池化的梯度把 grad_output 放到最大值处：再求导就是在这些位置读回传入的梯度。"))


def _gather_at(gg: Tensor, indices: Tensor) -> Tensor:
    """gg (..., H, W) read at flat plane indices (..., OH, OW), with recorded ops."""
    from .gather import gather
    from .shape import view
    lead = tuple(gg._data.shape[:-2])
    flat = view(gg, lead + (-1,))
    idx = _make(indices._data.reshape(lead + (-1,)), None)
    return view(gather(flat, -1, idx), tuple(indices._data.shape))


# -- the ops --------------------------------------------------------------------------------------
def _image(input: Tensor, what: str) -> tuple[np.ndarray, bool]:
    """The input as (N, C, H, W), and whether it came unbatched, refusing what PyTorch refuses."""
    data = input._data
    if data.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    if data.dtype == np.bool_:
        raise NotImplementedError(f"\"{what}\" not implemented for 'Bool'")
    return (data[None], True) if data.ndim == 3 else (data, False)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """The largest value of each ``kernel_size`` window, windows ``stride`` apart (default: the
    kernel size), over the input padded with ``padding`` (padding never wins). With
    ``return_indices`` also the flat position of each maximum in its input plane."""
    kernel = _two(kernel_size, "kernel_size")
    strides = _stride(stride, kernel)
    pad = _two(padding, "padding")
    dil = _two(dilation, "dilation")
    x, unbatched = _image(input, "max_pool2d")
    for i in range(2):
        _check_padding(kernel[i], strides[i], pad[i], dil[i])
    if kernel[0] <= 0 or kernel[1] <= 0:
        raise RuntimeError("kernel size should be greater than zero, but got "
                           f"kH: {kernel[0]} kW: {kernel[1]}")
    if strides[0] < 0 or strides[1] < 0:
        raise RuntimeError("stride should be greater than zero, but got "
                           f"dH: {strides[0]} dW: {strides[1]}")
    if dil[0] <= 0 or dil[1] <= 0:
        raise RuntimeError("dilation should be greater than zero, but got "
                           f"dilationH: {dil[0]} dilationW: {dil[1]}")
    if 0 in x.shape[1:]:
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch "
                           f"size for input, but got:{list(input._data.shape)}")
    if pad[1] > kernel[1] // 2 or pad[0] > kernel[0] // 2:
        raise RuntimeError("pad should be smaller than or equal to half of kernel size, but got "
                           f"padW = {pad[1]}, padH = {pad[0]}, kW = {kernel[1]}, kH = {kernel[0]}")
    out = tuple(_pool_out(x.shape[2 + i], kernel[i], strides[i], pad[i], dil[i], ceil_mode)
                for i in range(2))
    if out[0] < 1 or out[1] < 1:
        raise RuntimeError(f"Given input size: ({_size_str(x.shape[1:])}). Calculated output "
                           f"size: ({_size_str(x.shape[1:2] + out)}). Output size is too small")
    values, index = _max_windows(x, kernel, strides, pad, dil, out)
    if unbatched:
        values, index = values[0], index[0]
    indices = _make(index, None)
    result = record(values, MaxPool2DWithIndicesBackward0, (input,), self=input,
                    kernel_size=_as_given(kernel_size), stride=_as_given(stride),
                    padding=_as_given(padding), dilation=_as_given(dilation),
                    ceil_mode=bool(ceil_mode), result1=indices)
    return (result, indices) if return_indices else result


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Max pooling of (N, C, L) or (C, L) input along its last dimension."""
    if input._data.ndim not in (2, 3):
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 "
                           f"dim batch size for input, but got:{list(input._data.shape)}")
    k = _one(kernel_size, "kernel_size")
    s = k if stride is None or (isinstance(stride, (list, tuple)) and not stride) else _one(
        stride, "stride")
    p, d = _one(padding, "padding"), _one(dilation, "dilation")
    for value, name in ((k, "kernel_size"), (s, "stride"), (d, "dilation")):
        if value <= 0:
            raise RuntimeError(f"max_pool1d() {name} must be greater than zero, but got {value}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError("max_pool1d() padding should be at most half of kernel size, but "
                           f"got padding={p} and kernel_size={k}")
    if _pool_out(input._data.shape[-1], k, s, p, d, ceil_mode) < 1:
        raise RuntimeError("max_pool1d() Invalid computed output size: "
                           f"{_pool_out(input._data.shape[-1], k, s, p, d, ceil_mode)}")
    from .shape import squeeze, unsqueeze
    pooled = max_pool2d(unsqueeze(input, -2), (1, k), (1, s), (0, p), (1, d), ceil_mode, True)
    out, indices = squeeze(pooled[0], -2), squeeze(pooled[1], -2)
    return (out, indices) if return_indices else out


def _as_given(value: Any) -> tuple[int, ...]:
    """A size argument as PyTorch saves it: a list as given, a single int as a pair."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(int(v) for v in value)
    return (int(value), int(value))


def _one(value: Any, name: str) -> int:
    if isinstance(value, (list, tuple)):
        if len(value) != 1:
            raise RuntimeError(f"max_pool1d() {name} must be an int, list of ints or tuple of "
                               f"ints of size 1 but got size {len(value)}")
        return int(value[0])
    return int(value)


def _bins(size: int, out: int) -> list[tuple[int, int]]:
    """PyTorch's adaptive windows: [floor(i*size/out), ceil((i+1)*size/out))."""
    return [((i * size) // out, -(-((i + 1) * size) // out)) for i in range(out)]


def adaptive_max_pool2d(input: Tensor, output_size: Any,
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Max pooling to a given output size (PyTorch's windows, which may overlap); ``None`` in
    ``output_size`` keeps that dimension's input size."""
    data = input._data
    if data.ndim not in (3, 4):
        raise RuntimeError(f"adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: "
                           f"{list(data.shape)}")
    if isinstance(output_size, (list, tuple)):
        if len(output_size) != 2:
            raise RuntimeError("adaptive_max_pool2d(): internal error: output_size.size() "
                               "must be 2")
        size = tuple(data.shape[-2 + i] if s is None else int(s)
                     for i, s in enumerate(output_size))
    else:
        size = (int(output_size), int(output_size))
    for dim in range(1 if data.ndim == 4 else 0, data.ndim):
        if data.shape[dim] == 0:
            raise RuntimeError("adaptive_max_pool2d(): Expected input to have non-zero size for "
                               f"non-batch dimensions, but input has sizes {list(data.shape)} "
                               f"with dimension {dim} being empty")
    x, unbatched = _image(input, "adaptive_max_pool2d")
    n, c, h, w = x.shape
    values = np.empty((n, c) + size, dtype=x.dtype)
    index = np.empty((n, c) + size, dtype=np.int64)
    for i, (r0, r1) in enumerate(_bins(h, size[0])):
        for j, (c0, c1) in enumerate(_bins(w, size[1])):
            v, at = _max_windows(np.ascontiguousarray(x[:, :, r0:r1, c0:c1]),
                                 (r1 - r0, c1 - c0), (1, 1), (0, 0), (1, 1), (1, 1))
            values[:, :, i, j] = v[:, :, 0, 0]
            at = at[:, :, 0, 0]
            index[:, :, i, j] = (r0 + at // (c1 - c0)) * w + c0 + at % (c1 - c0)
    if unbatched:
        values, index = values[0], index[0]
    indices = _make(index, None)
    result = record(values, AdaptiveMaxPool2DBackward0, (input,), self=input, result1=indices)
    return (result, indices) if return_indices else result
