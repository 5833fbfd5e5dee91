"""Convolution and average pooling over 2-d images: conv2d, avg_pool2d, adaptive_avg_pool2d.

Images are ``(N, C, H, W)`` (or ``(C, H, W)`` unbatched). The kernels are NumPy: a convolution
looks at each output position's window of the (zero-padded) input through a strided view of
shape ``(N, C, OH, OW, KH, KW)``, lays the windows out as one matrix and multiplies it by the
flattened weight (one matrix product per group); its input gradient is the transposed product,
each kernel tap's share then added back into the padded input, one strided slice per tap.

Nodes, as PyTorch names them: ``ConvolutionBackward0`` (saves input and weight) and, for a
double backward, ``ConvolutionBackwardBackward0``; ``AvgPool2DBackward0`` /
``AvgPool2DBackwardBackward0``; ``AdaptiveAvgPool2DBackward0`` /
``AdaptiveAvgPool2DBackwardBackward0``. ``adaptive_avg_pool2d`` to size 1 is a mean over the
last two dimensions (``MeanBackward1``), as in PyTorch.
"""
from __future__ import annotations


from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..autograd import grad_mode
from ..autograd.explanation import Explanation, both
from ..autograd.node import Node
from ..tensor import Tensor, _make
from ._core import needs, node_for, record

__all__ = ["conv2d", "avg_pool2d", "adaptive_avg_pool2d"]



def _pair(value: Any, name: str) -> tuple[int, int]:
    if isinstance(value, (list, tuple)):
        if len(value) == 1:
            return (int(value[0]), int(value[0]))
        if len(value) != 2:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of 2 "
                               f"values to match the convolution dimensions, but got "
                               f"{name}={list(value)}")
        return (int(value[0]), int(value[1]))
    return (int(value), int(value))


def _as_batch(t: Tensor, what: str) -> tuple[np.ndarray, bool]:
    """The image array as (N, C, H, W), and whether it came without a batch dimension."""
    data = t._data
    if data.ndim == 3:
        return data[None], True
    if data.ndim == 4:
        return data, False
    raise RuntimeError(f"Expected 3D (unbatched) or 4D (batched) input to {what}, but got input "
                       f"of size: {list(data.shape)}")


def _windows(xp: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple,
             out: tuple) -> np.ndarray:
    """The padded input seen as (N, C, OH, OW, KH, KW) windows (a view, no copy)."""
    n, c = xp.shape[:2]
    sn, sc, sh, sw = xp.strides
    return as_strided(xp, (n, c, out[0], out[1], kernel[0], kernel[1]),
                      (sn, sc, sh * stride[0], sw * stride[1], sh * dilation[0], sw * dilation[1]),
                      writeable=False)


def _pad(x: np.ndarray, padding: tuple) -> np.ndarray:
    if padding == (0, 0):
        return x
    return np.pad(x, ((0, 0), (0, 0), (padding[0], padding[0]), (padding[1], padding[1])))


def _pool_out(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """A pooling output size; with ``ceil_mode`` a last partial window counts, unless it would
    start in the right padding (as PyTorch)."""
    out = (size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _out_size(size: int, k: int, s: int, p: int, d: int) -> int:
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


# -- the three convolution kernels (arrays in, arrays out) -----------------------------------------
# Each is one matrix product per group ("im2col"): the input's windows are laid out as a matrix
# with a row per (channel, kernel row, kernel column) and a column per (image, output row, output
# column), so that the weight, flattened to (out channels, C*KH*KW), multiplies it at once. The
# product keeps the inputs' dtype (float32 stays float32).
def _columns(x: np.ndarray, kernel: tuple, stride: tuple, padding: tuple, dilation: tuple,
             out: tuple, groups: int) -> np.ndarray:
    """The windows of the padded input as (groups, Cg*KH*KW, N*OH*OW) (a copy)."""
    n, c = x.shape[:2]
    win = _windows(_pad(x, padding), kernel, stride, dilation, out)  # (N, C, OH, OW, KH, KW)
    return win.transpose(1, 4, 5, 0, 2, 3).reshape(
        groups, (c // groups) * kernel[0] * kernel[1], n * out[0] * out[1])


def _conv(x: np.ndarray, w: np.ndarray, stride: tuple, padding: tuple, dilation: tuple,
          groups: int) -> np.ndarray:
    kh, kw = w.shape[2:]
    out = (_out_size(x.shape[2], kh, stride[0], padding[0], dilation[0]),
           _out_size(x.shape[3], kw, stride[1], padding[1], dilation[1]))
    cols = _columns(x, (kh, kw), stride, padding, dilation, out, groups)
    y = np.matmul(w.reshape(groups, w.shape[0] // groups, -1), cols)  # (G, Og, N*OH*OW)
    y = y.reshape(w.shape[0], x.shape[0], out[0], out[1])
    return np.ascontiguousarray(y.transpose(1, 0, 2, 3))


def _grad_rows(g: np.ndarray, groups: int) -> np.ndarray:
    """The output gradient (N, O, OH, OW) as (groups, Og, N*OH*OW)."""
    n, o, oh, ow = g.shape
    return g.transpose(1, 0, 2, 3).reshape(groups, o // groups, n * oh * ow)


def _conv_input_grad(g: np.ndarray, w: np.ndarray, x_shape: tuple, stride: tuple,
                     padding: tuple, dilation: tuple, groups: int) -> np.ndarray:
    n, c, h, wd = x_shape
    kh, kw = w.shape[2:]
    oh, ow = g.shape[2:]
    wg = w.reshape(groups, w.shape[0] // groups, -1)
    # (G, Cg*KH*KW, N*OH*OW): each output position's gradient spread over its window's taps
    taps = np.matmul(wg.transpose(0, 2, 1), _grad_rows(g, groups)).reshape(
        c, kh, kw, n, oh, ow)
    gxp = np.zeros((c, n, h + 2 * padding[0], wd + 2 * padding[1]), dtype=taps.dtype)
    for i in range(kh):
        r = i * dilation[0]
        for j in range(kw):
            q = j * dilation[1]
            gxp[:, :, r:r + stride[0] * (oh - 1) + 1:stride[0],
                q:q + stride[1] * (ow - 1) + 1:stride[1]] += taps[:, i, j]
    return gxp[:, :, padding[0]:padding[0] + h, padding[1]:padding[1] + wd].transpose(1, 0, 2, 3)


def _conv_weight_grad(g: np.ndarray, x: np.ndarray, w_shape: tuple, stride: tuple,
                      padding: tuple, dilation: tuple, groups: int) -> np.ndarray:
    cols = _columns(x, w_shape[2:], stride, padding, dilation, g.shape[2:], groups)
    gw = np.matmul(_grad_rows(g, groups), cols.transpose(0, 2, 1))  # (G, Og, Cg*KH*KW)
    return gw.reshape(w_shape)


class ConvolutionBackward0(Node):
    """out = conv2d(input, weight, bias)  ->  input gets the transposed convolution of g with
    the weight, weight gets the correlation of the input with g, bias gets g summed."""
    _saved_fields = ("bias_sym_sizes_opt", "dilation", "groups", "input", "output_padding",
                     "padding", "stride", "transposed", "weight")
    __slots__ = ("_padding",)
    explanation = Explanation(
        "{z} = conv2d({0}, {1}) + {2}",
        (both("g convolved back through the weight (a transposed convolution)",
              "g 经权重反向卷积（转置卷积）"),
         both("the input's windows weighted by g, summed over the batch and positions",
              "输入的各个窗口按 g 加权，对批次和位置求和"),
         both("g summed over the batch and positions", "g 对批次和位置求和")),
        both("Each output value is a weighted sum of one window of the input: its gradient "
             "goes back to every input value and weight that window used.",
             "每个输出值是输入中一个窗口的加权和：它的梯度回到这个窗口用到的每个输入值和权重。"))

    def apply(self, grad):
        x = self._saved("input")
        w = self._saved("weight")
        gx, gw, gb = _convolution_backward(grad, x, w, self._s_stride, self._padding,
                                           self._s_dilation, self._s_groups,
                                           (needs(self, 0), needs(self, 1),
                                            len(self._next_nodes) > 2 and needs(self, 2)))
        return (gx, gw, gb) if len(self._next_nodes) > 2 else (gx, gw)


def _convolution_backward(grad: Tensor, x: Tensor, w: Tensor, stride: tuple, padding: tuple,
                          dilation: tuple, groups: int, mask: tuple) -> tuple:
    """The three gradients of a convolution as tensors (None where not wanted); recorded as a
    ``ConvolutionBackwardBackward0`` when grad mode is on (a create_graph backward)."""
    g, xa = grad._data, x._data
    gx = gw = gb = None
    if mask[0]:
        gx = _conv_input_grad(g, w._data, xa.shape, stride, padding, dilation, groups)
    if mask[1]:
        gw = _conv_weight_grad(g, xa, w._data.shape, stride, padding, dilation, groups)
    if mask[2]:
        gb = g.sum(axis=(0, 2, 3))
    node = node_for(ConvolutionBackwardBackward0, (grad, x, w), grad_output=grad, input=x,
                    weight=w, stride=stride, padding=padding, dilation=dilation, groups=groups)
    return tuple(None if a is None else _make(np.ascontiguousarray(a), node, nr)
                 for nr, a in enumerate((gx, gw, gb)))


class ConvolutionBackwardBackward0(Node):
    """(gI, gW, gB) = the gradients of a convolution  ->  the grad_output gets the convolution
    of ggI with the weight plus that of the input with ggW plus ggB; the input gets ggW
    convolved back with grad_output; the weight gets ggI correlated with grad_output."""
    _saved_fields = ("dilation", "grad_output", "groups", "input", "padding", "stride",
                     "weight")
    _num_outputs = 3
    explanation = Explanation(
        "", (),
        both("The gradients of a convolution are themselves convolutions of grad_output, the "
             "input and the weight: this node differentiates them once more.",
             "卷积的梯度本身也是 grad_output、输入与权重的卷积：这个节点再对它们求一次导。"))

    def apply(self, ggx, ggw, ggb):
        if grad_mode.is_grad_enabled():
            raise NotImplementedError("autograd_lab computes a convolution's first and second "
                                      "derivatives; a third is not implemented")
        g = self._saved("grad_output")._data
        x = self._saved("input")._data
        w = self._saved("weight")._data
        stride, padding, dilation, groups = (self._s_stride, self._s_padding, self._s_dilation,
                                             self._s_groups)
        ggx_a = None if ggx is None else ggx._data
        out_g = out_x = out_w = None
        if needs(self, 0):
            out_g = np.zeros(g.shape, dtype=g.dtype)
            if ggx_a is not None:
                out_g += _conv(ggx_a, w, stride, padding, dilation, groups)
            if ggw is not None:
                out_g += _conv(x, ggw._data, stride, padding, dilation, groups)
            if ggb is not None:
                out_g += ggb._data.reshape(1, -1, 1, 1)
        if needs(self, 1) and ggw is not None:
            out_x = _conv_input_grad(g, ggw._data, x.shape, stride, padding, dilation, groups)
        if needs(self, 2) and ggx_a is not None:
            out_w = _conv_weight_grad(g, ggx_a, w.shape, stride, padding, dilation, groups)
        return tuple(None if a is None else _make(np.ascontiguousarray(a), None)
                     for a in (out_g, out_x, out_w))


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-d convolution (cross-correlation, as in PyTorch) of ``input`` (N, C, H, W) with
    ``weight`` (O, C/groups, KH, KW), plus ``bias`` (O,). An unbatched (C, H, W) input is
    given a batch dimension and has it taken away again (recorded, as in PyTorch)."""
    x, unbatched = _as_batch(input, "conv2d")
    if unbatched:
        from .shape import squeeze, unsqueeze
        return squeeze(conv2d(unsqueeze(input, 0), weight, bias, stride, padding, dilation,
                              groups), 0)
    w = weight._data
    stride, dilation = _pair(stride, "stride"), _pair(dilation, "dilation")
    if w.ndim != 4:
        raise RuntimeError("weight should have at least three dimensions")
    saved_padding = (0,) if padding == "valid" else None  # (PyTorch keeps 'valid' as [0])
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0, 0)
        elif padding == "same":
            if stride != (1, 1):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            total = [d * (k - 1) for d, k in zip(dilation, w.shape[2:])]
            if any(t % 2 for t in total):
                raise NotImplementedError("padding='same' with an even kernel span (uneven "
                                          "padding) is not implemented")
            padding = (total[0] // 2, total[1] // 2)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    padding = _pair(padding, "padding")
    if w.shape[0] % groups:  # (PyTorch's message has the doubled brackets)
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at "
                           f"dimension 0, but got weight of size [{list(w.shape)}] instead")
    if x.shape[1] != w.shape[1] * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {list(w.shape)}, expected input"
            f"{list(input._data.shape)} to have {w.shape[1] * groups} channels, but got "
            f"{x.shape[1]} channels instead")
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"Input type ({_type_name(input)}) and weight type "
                           f"({_type_name(weight)}) should be the same")
    out = _conv(x, w, stride, padding, dilation, groups)
    if bias is not None:
        out += bias._data.reshape(1, -1, 1, 1)
    inputs = (input, weight) if bias is None else (input, weight, bias)
    return record(out, ConvolutionBackward0, inputs, input=input, weight=weight, _padding=padding,
                  stride=stride, padding=saved_padding or padding, dilation=dilation,
                  transposed=False, output_padding=saved_padding or (0, 0), groups=groups,
                  bias_sym_sizes_opt=(0,) if bias is None else tuple(bias._data.shape))


def _type_name(t: Tensor) -> str:
    from ..tensor import _legacy_type_name
    return _legacy_type_name(t._data.dtype)


# -- average pooling ---------------------------------------------------------------------------------
def _avg_pool(x: np.ndarray, kernel: tuple, stride: tuple, padding: tuple, out: tuple,
              count_include_pad: bool, divisor_override: int | None) -> np.ndarray:
    extra = _ceil_extra(x.shape, kernel, stride, padding, out)
    xp = _pad(x, padding)
    if extra != (0, 0):  # ceil_mode: the last windows reach past the padding (zeros there)
        xp = np.pad(xp, ((0, 0), (0, 0), (0, extra[0]), (0, extra[1])))
    cols = _windows(xp, kernel, stride, (1, 1), out)
    total = cols.sum(axis=(4, 5), dtype=x.dtype)
    return total / _divisor(x.shape, kernel, stride, padding, out, count_include_pad,
                            divisor_override, x.dtype)


def _ceil_extra(shape: tuple, kernel: tuple, stride: tuple, padding: tuple,
                out: tuple) -> tuple[int, ...]:
    """How far (rows, columns) the last window reaches past the padded input (ceil_mode)."""
    return tuple(max((out[i] - 1) * stride[i] + kernel[i] - (shape[2 + i] + 2 * padding[i]), 0)
                 for i in range(2))


def _divisor(shape: tuple, kernel: tuple, stride: tuple, padding: tuple, out: tuple,
             count_include_pad: bool, divisor_override: int | None, dtype: Any) -> Any:
    if divisor_override:
        return dtype.type(divisor_override)
    sides = []
    for d in range(2):
        size, k, s, p = shape[2 + d], kernel[d], stride[d], padding[d]
        starts = [i * s - p for i in range(out[d])]
        if count_include_pad:  # the window within the padded input (ceil_mode may cut it)
            sides.append([min(a + k, size + p) - a for a in starts])
        else:  # only the real positions count
            sides.append([min(a + k, size) - max(a, 0) for a in starts])
    if all(n == kernel[0] for n in sides[0]) and all(n == kernel[1] for n in sides[1]):
        return dtype.type(kernel[0] * kernel[1])
    return np.outer(sides[0], sides[1]).astype(dtype)


def _avg_pool_grad(g: np.ndarray, x_shape: tuple, kernel: tuple, stride: tuple, padding: tuple,
                   count_include_pad: bool, divisor_override: int | None) -> np.ndarray:
    n, c, h, w = x_shape
    oh, ow = g.shape[2:]
    share = g / _divisor(x_shape, kernel, stride, padding, (oh, ow), count_include_pad,
                         divisor_override, g.dtype)
    extra = _ceil_extra(x_shape, kernel, stride, padding, (oh, ow))
    gxp = np.zeros((n, c, h + 2 * padding[0] + extra[0], w + 2 * padding[1] + extra[1]),
                   dtype=g.dtype)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            gxp[:, :, i:i + stride[0] * (oh - 1) + 1:stride[0],
                j:j + stride[1] * (ow - 1) + 1:stride[1]] += share
    return gxp[:, :, padding[0]:padding[0] + h, padding[1]:padding[1] + w]


class AvgPool2DBackward0(Node):
    """out = avg_pool2d(self)  ->  each window's g shared equally among its positions"""
    _saved_fields = ("ceil_mode", "count_include_pad", "divisor_override", "kernel_size",
                     "padding", "self", "stride")
    __slots__ = ("_unbatched", "_kernel", "_stride")
    explanation = Explanation(
        "{z} = avg_pool2d({0}, {kernel_size})",
        (both("g / (window size), shared by every position of its window",
              "g / 窗口大小，平分给窗口中的每个位置"),))

    def apply(self, grad):
        x = self._saved("self")
        return (_avg_pool2d_backward(grad, x, self._kernel, self._stride, self._s_padding,
                                     self._s_count_include_pad, self._s_divisor_override,
                                     self._unbatched, self._s_ceil_mode),)


def _avg_pool2d_backward(grad: Tensor, x: Tensor, kernel: tuple, stride: tuple, padding: tuple,
                         count_include_pad: bool, divisor_override: int | None,
                         unbatched: bool, ceil_mode: bool) -> Tensor:
    g = grad._data[None] if unbatched else grad._data
    shape = (1,) + x._data.shape if unbatched else x._data.shape
    out = _avg_pool_grad(g, shape, kernel, stride, padding, count_include_pad, divisor_override)
    out = np.ascontiguousarray(out[0] if unbatched else out)
    return record(out, AvgPool2DBackwardBackward0, (grad, x), _kernel=kernel, _stride=stride,
                  _padding=padding, _count_include_pad=count_include_pad,
                  _divisor_override=divisor_override, _ceil_mode=ceil_mode)


class AvgPool2DBackwardBackward0(Node):
    """gI = avg_pool2d_backward(grad_output)  ->  grad_output gets avg_pool2d of gg (the input
    gets nothing: the gradient does not depend on its values)"""
    __slots__ = ("_kernel", "_stride", "_padding", "_count_include_pad", "_divisor_override",
                 "_ceil_mode")
    explanation = Explanation(
        "", (),
        both("Average pooling is linear: its gradient is pooled once more, and the input's "
             "values play no part.",
             "平均池化是线性的：梯度再做一次池化，输入的数值不起作用。"))

    def apply(self, gg):
        return (avg_pool2d(gg, self._kernel, self._stride, self._padding, self._ceil_mode,
                           self._count_include_pad, self._divisor_override)
                if needs(self, 0) else None, None)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """The mean of each ``kernel_size`` window, windows ``stride`` apart (default: the kernel
    size), over the zero-padded input; ``ceil_mode`` keeps a last partial window."""
    x, unbatched = _as_batch(input, "avg_pool2d")
    kernel = _pair(kernel_size, "kernel_size")
    strides = kernel if stride is None or stride == [] or stride == () else _pair(stride, "stride")
    pad = _pair(padding, "padding")
    if pad[0] * 2 > kernel[0] or pad[1] * 2 > kernel[1]:
        raise RuntimeError("pad should be at most half of effective kernel size, but got "
                           f"pad={pad[0] if pad[0] == pad[1] else pad}, "
                           f"kernel_size={kernel[0] if kernel[0] == kernel[1] else kernel} and "
                           "dilation=1")
    size = tuple(_pool_out(x.shape[2 + i], kernel[i], strides[i], pad[i], 1, ceil_mode)
                 for i in range(2))
    out = _avg_pool(x, kernel, strides, pad, size, count_include_pad, divisor_override)
    out = np.ascontiguousarray(out[0] if unbatched else out)
    saved_stride = () if stride is None else (tuple(stride) if isinstance(stride, (list, tuple))
                                              else (int(stride),) * 2)
    return record(out, AvgPool2DBackward0, (input,), self=input, kernel_size=kernel,
                  stride=saved_stride, padding=pad, ceil_mode=ceil_mode,
                  count_include_pad=count_include_pad, divisor_override=divisor_override,
                  _unbatched=unbatched, _kernel=kernel, _stride=strides)


# -- adaptive average pooling ---------------------------------------------------------------------
def _bins(size: int, out: int) -> list[tuple[int, int]]:
    """PyTorch's adaptive windows: [floor(i*size/out), ceil((i+1)*size/out))."""
    return [((i * size) // out, -(-((i + 1) * size) // out)) for i in range(out)]


def _adaptive(x: np.ndarray, out: tuple) -> np.ndarray:
    rows, cols = _bins(x.shape[2], out[0]), _bins(x.shape[3], out[1])
    y = np.empty(x.shape[:2] + out, dtype=x.dtype)
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate(cols):
            y[:, :, i, j] = x[:, :, r0:r1, c0:c1].mean(axis=(2, 3), dtype=x.dtype)
    return y


def _adaptive_grad(g: np.ndarray, x_shape: tuple) -> np.ndarray:
    out = g.shape[2:]
    rows, cols = _bins(x_shape[2], out[0]), _bins(x_shape[3], out[1])
    gx = np.zeros(x_shape, dtype=g.dtype)
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate(cols):
            gx[:, :, r0:r1, c0:c1] += (g[:, :, i, j] / g.dtype.type((r1 - r0) * (c1 - c0))
                                       )[:, :, None, None]
    return gx


class AdaptiveAvgPool2DBackward0(Node):
    """out = adaptive_avg_pool2d(self, size)  ->  each cell's g shared equally by its window"""
    _saved_fields = ("self",)
    __slots__ = ("_unbatched",)
    explanation = Explanation(
        "{z} = adaptive_avg_pool2d({0})",
        (both("g / (window size), shared by every position of its window",
              "g / 窗口大小，平分给窗口中的每个位置"),))

    def apply(self, grad):
        x = self._saved("self")
        g = grad._data[None] if self._unbatched else grad._data
        shape = (1,) + x._data.shape if self._unbatched else x._data.shape
        out = _adaptive_grad(g, shape)
        out = np.ascontiguousarray(out[0] if self._unbatched else out)
        return (record(out, AdaptiveAvgPool2DBackwardBackward0, (grad, x),
                       _size=tuple(grad._data.shape[-2:])),)


class AdaptiveAvgPool2DBackwardBackward0(Node):
    """gI = adaptive_avg_pool2d_backward(grad_output)  ->  grad_output gets the adaptive pool
    of gg; the input gets nothing"""
    __slots__ = ("_size",)
    explanation = Explanation(
        "", (),
        both("Adaptive average pooling is linear: its gradient is pooled once more.",
             "自适应平均池化是线性的：梯度再做一次池化。"))

    def apply(self, gg):
        return (adaptive_avg_pool2d(gg, self._size) if needs(self, 0) else None, None)


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to a given output size (each cell a mean over PyTorch's window)."""
    x, unbatched = _as_batch(input, "adaptive_avg_pool2d")
    if isinstance(output_size, (list, tuple)):
        size = tuple(x.shape[2 + i] if s is None else int(s) for i, s in enumerate(output_size))
    else:
        size = (int(output_size), int(output_size))
    if size == (1, 1):  # PyTorch takes the mean over the last two dimensions here
        from .reduction import mean
        return mean(input, (-1, -2), keepdim=True)
    out = _adaptive(x, size)
    out = np.ascontiguousarray(out[0] if unbatched else out)
    return record(out, AdaptiveAvgPool2DBackward0, (input,), self=input, _unbatched=unbatched)



