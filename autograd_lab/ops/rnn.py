"""The pieces PyTorch's recurrent layers record on the CPU that no other op family has.

* ``unsafe_chunk`` (UnsafeSplitBackward0): the gate pre-activations of a GRU or LSTM step cut
  into equal pieces, as PyTorch's composite cells do.
* ``transpose_result_`` (TransposeBackward1): the in-place ``transpose_(0, 1)`` PyTorch applies
  to a ``batch_first`` RNN or GRU output.
* ``mkldnn_rnn_layer`` (MkldnnRnnLayerBackward0): one LSTM layer in one direction as a single
  node, which is what a float32 ``nn.LSTM`` records on the CPU (oneDNN's fused kernel). Its
  backward runs back through time with recorded ops, so a double backward works (its nodes are
  those ops, not PyTorch's).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.explanation import Explanation, both
from ..autograd.node import Node, SavedTensor
from ..tensor import Tensor, _make
from ._core import needs, node_for, record
from .split import SplitBackward0, _split, chunk

LSTM_MODE = 2  # PyTorch's number for an LSTM in mkldnn_rnn_layer's ``mode``


class UnsafeSplitBackward0(SplitBackward0):
    """outs = self.unsafe_split(split_size, dim)  ->  d/dself = the output grads concatenated
    (zeros for outputs that got none)"""
    __slots__ = ()
    explanation = Explanation(
        "{z} = {0}.unsafe_split({split_size}, {dim})", (),
        both("The pieces' gradients are put back together along dim {dim} (zeros for a piece "
             "that got none). A recurrent cell cuts its gate pre-activations this way.",
             "各段的梯度沿维度 {dim} 拼接回去（没收到梯度的段用 0）。循环单元用这种方式切分各门的"
             "预激活值。"))


def unsafe_chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``chunks`` equal pieces along ``dim`` (UnsafeSplitBackward0): as ``chunk``, the way
    PyTorch's recurrent cells cut their gates."""
    if input._data.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    dim = input._wrap_dim(dim)
    size = input._data.shape[dim]
    split_size = max((size + chunks - 1) // chunks, 1)
    n = max((size + split_size - 1) // split_size, 1)
    sizes = [split_size] * (n - 1) + [size - split_size * (n - 1)]
    node = node_for(UnsafeSplitBackward0, (input,), dim=dim, self_sym_sizes=input._data.shape,
                    split_size=split_size, _num_outputs=n, _sizes=sizes)
    return _split(input, sizes, dim, node)


class TransposeBackward1(Node):
    """out = self.transpose_(dim0, dim1)  ->  d/dself = grad transposed back"""
    __slots__ = ("dim0", "dim1")
    _saved_fields = ("dim0", "dim1")

    @property
    def _s_dim0(self) -> int:
        return self.dim0

    @property
    def _s_dim1(self) -> int:
        return self.dim1

    explanation = Explanation(
        "{z} = {0}.transpose_({dim0}, {dim1})", (both("g transposed back", "g 转置回去"),),
        both("An in-place transpose (a batch_first recurrent layer's output is turned this "
             "way): the gradient is turned back.",
             "原地转置（batch_first 的循环层输出就是这样转过来的）：梯度转置回去。"))

    def apply(self, grad: Tensor) -> tuple[Tensor]:
        return (grad.transpose(self.dim0, self.dim1),)


def transpose_result_(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """``input`` with dims swapped, recorded as PyTorch records ``transpose_`` on an op's fresh
    output (TransposeBackward1). Only for results nobody else holds yet."""
    data = np.swapaxes(input._data, dim0, dim1)
    return record(data, TransposeBackward1, (input,), dim0=dim0, dim1=dim1)


# -- one LSTM layer, one direction, as one node ---------------------------------------------------
def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a))


def _lstm_numpy(x: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray, bias: np.ndarray | None,
                h: np.ndarray, c: np.ndarray, reverse: bool
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(outputs (T, B, H), h_T, c_T) of an LSTM over time-major ``x`` (T, B, I)."""
    steps = range(x.shape[0] - 1, -1, -1) if reverse else range(x.shape[0])
    pre = x @ w_ih.T
    if bias is not None:
        pre = pre + bias
    outputs = np.empty((x.shape[0],) + h.shape, x.dtype)
    hidden = h.shape[-1]
    for t in steps:
        gates = pre[t] + h @ w_hh.T
        i = _sigmoid(gates[:, :hidden])
        f = _sigmoid(gates[:, hidden:2 * hidden])
        g = np.tanh(gates[:, 2 * hidden:3 * hidden])
        o = _sigmoid(gates[:, 3 * hidden:])
        c = f * c + i * g
        h = o * np.tanh(c)
        outputs[t] = h
    return outputs, h, c


class MkldnnRnnLayerBackward0(Node):
    """(output, hy, cy) = one LSTM layer over the sequence (oneDNN's fused kernel)  ->
    backpropagation through time: each step's gate gradients give the input's, the weights'
    (summed over steps) and the previous step's hidden and cell gradients"""
    _saved_fields = ("batch_first", "batch_sizes", "bidirectional", "cx_", "has_biases",
                     "hidden_size", "hx_", "input", "mode", "num_layers", "result0", "result1",
                     "result2", "result3", "reverse", "train", "weight0", "weight1", "weight2",
                     "weight3")
    _num_outputs = 3
    explanation = Explanation(
        "({z}, hy, cy) = LSTM layer over {0} with W_ih = {1}, W_hh = {2}, biases b_ih, b_hh "
        "and initial states h0, c0",
        (both("at each step, that step's gate gradients · W_ih", "每个时间步：该步的门梯度 · W_ih"),
         both("Σ over steps of (gate gradients)ᵀ · x_t", "对时间步求和 (门梯度)ᵀ · x_t"),
         both("Σ over steps of (gate gradients)ᵀ · h_(t-1)", "对时间步求和 (门梯度)ᵀ · h_(t-1)"),
         both("Σ over steps and batch of the gate gradients", "对时间步和批次求和门梯度"),
         both("Σ over steps and batch of the gate gradients", "对时间步和批次求和门梯度"),
         both("the first step's gate gradients · W_hh", "第一步的门梯度 · W_hh"),
         both("the cell gradient carried back to the first step", "传回第一步的细胞状态梯度")),
        both("A whole LSTM layer is one node: its backward walks the sequence from the last "
             "step to the first (backpropagation through time), recomputing the gates.",
             "整个 LSTM 层是一个节点：它的反向从最后一步走到第一步（随时间反向传播），并重新计算各门。"))

    def apply(self, g_out: Tensor | None, g_hy: Tensor | None, g_cy: Tensor | None
              ) -> tuple[Tensor | None, ...]:
        from . import linalg, pointwise, reduction, shape
        x = self._saved("input")
        w_ih, w_hh = self._saved("weight0"), self._saved("weight1")
        has_biases = self._saved("has_biases")
        b_ih = self._saved("weight2") if has_biases else None
        b_hh = self._saved("weight3") if has_biases else None
        h, c = self._saved("hx_"), self._saved("cx_")
        steps = x._data.shape[0]
        order = list(range(steps - 1, -1, -1)) if self._saved("reverse") else list(range(steps))
        xs = shape.unbind(x, 0)
        # the forward again, as recorded ops of the saved inputs (so a double backward sees how
        # the gates depend on them)
        w_ih_t, w_hh_t = shape.t(w_ih), shape.t(w_hh)
        cache = []
        for t in order:
            gates = pointwise.add(linalg.mm(xs[t], w_ih_t), linalg.mm(h, w_hh_t))
            if b_ih is not None and b_hh is not None:
                gates = pointwise.add(gates, pointwise.add(b_ih, b_hh))
            i, f, g, o = chunk(gates, 4, 1)
            i, f, g, o = i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()
            c_new = pointwise.add(pointwise.mul(f, c), pointwise.mul(i, g))
            tc = c_new.tanh()
            cache.append((t, h, c, i, f, g, o, tc))
            h, c = pointwise.mul(o, tc), c_new
        zeros = np.zeros(h._data.shape, h._data.dtype)
        dh = g_hy if g_hy is not None else _make(zeros, None)
        dc = g_cy if g_cy is not None else _make(zeros.copy(), None)
        dxs: list[Any] = [None] * steps
        d_wih = d_whh = d_b = None
        for t, h_prev, c_prev, i, f, g, o, tc in reversed(cache):
            if g_out is not None:
                dh = pointwise.add(dh, shape.select(g_out, 0, t))
            d_o = pointwise.mul(dh, tc)
            one_minus_tc2 = pointwise.rsub(pointwise.mul(tc, tc), 1)
            dc = pointwise.add(dc, pointwise.mul(pointwise.mul(dh, o), one_minus_tc2))
            d_i, d_g, d_f = pointwise.mul(dc, g), pointwise.mul(dc, i), pointwise.mul(dc, c_prev)
            dc = pointwise.mul(dc, f)
            d_gates = shape.cat([
                pointwise.mul(d_i, pointwise.mul(i, pointwise.rsub(i, 1))),
                pointwise.mul(d_f, pointwise.mul(f, pointwise.rsub(f, 1))),
                pointwise.mul(d_g, pointwise.rsub(pointwise.mul(g, g), 1)),
                pointwise.mul(d_o, pointwise.mul(o, pointwise.rsub(o, 1)))], 1)
            d_gates_t = shape.t(d_gates)
            dxs[t] = linalg.mm(d_gates, w_ih)
            step_wih = linalg.mm(d_gates_t, xs[t])
            step_whh = linalg.mm(d_gates_t, h_prev)
            step_b = reduction.sum(d_gates, 0)
            d_wih = step_wih if d_wih is None else pointwise.add(d_wih, step_wih)
            d_whh = step_whh if d_whh is None else pointwise.add(d_whh, step_whh)
            d_b = step_b if d_b is None else pointwise.add(d_b, step_b)
            dh = linalg.mm(d_gates, w_hh)
        # (joined with cat, as PyTorch's double-backward graph has it at the top)
        joined = shape.cat([shape.unsqueeze(d, 0) for d in dxs], 0) if steps else None
        grads: list[Tensor | None] = [joined,
                                      d_wih, d_whh, d_b, d_b, dh, dc]
        return tuple(g if needs(self, k) else None for k, g in enumerate(grads))


def mkldnn_rnn_layer(input: Tensor, weight0: Tensor, weight1: Tensor, weight2: Tensor,
                     weight3: Tensor, hx_: Tensor, cx_: Tensor, reverse: bool,
                     batch_sizes: Any, mode: int, hidden_size: int, num_layers: int,
                     has_biases: bool, bidirectional: bool, batch_first: bool, train: bool
                     ) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """One LSTM layer in one direction over time-major ``input`` (T, B, I) from (hx_, cx_),
    (B, H) each: (output (T, B, H), hy, cy, workspace), recorded as one node. ``weight2`` and
    ``weight3`` (the biases) are ignored unless ``has_biases``."""
    if mode != LSTM_MODE:
        raise NotImplementedError("autograd_lab's mkldnn_rnn_layer computes LSTM layers only")
    bias = weight2._data + weight3._data if has_biases else None
    out, hy, cy = _lstm_numpy(input._data, weight0._data, weight1._data, bias, hx_._data,
                              cx_._data, reverse)
    dt = input._data.dtype
    out, hy, cy = out.astype(dt), hy.astype(dt), cy.astype(dt)
    workspace = _make(np.zeros(0, dt), None)
    inputs = (input, weight0, weight1, weight2, weight3, hx_, cx_)
    node = node_for(MkldnnRnnLayerBackward0, inputs, batch_first=batch_first,
                    batch_sizes=tuple(batch_sizes), bidirectional=bidirectional, cx_=cx_,
                    has_biases=has_biases, hidden_size=hidden_size, hx_=hx_, input=input,
                    mode=mode, num_layers=num_layers, result3=workspace, reverse=reverse,
                    train=train, weight0=weight0, weight1=weight1, weight2=weight2,
                    weight3=weight3)
    if node is None:
        return _make(out, None), _make(hy, None), _make(cy, None), workspace
    results = (_make(out, node, 0), _make(hy, node, 1), _make(cy, node, 2))
    # the outputs are saved as outputs (unpacked, they carry this node as their grad_fn)
    for k, r in enumerate(results):
        setattr(node, f"_s_result{k}", SavedTensor(r, True))
    return results + (workspace,)


__all__ = ["unsafe_chunk", "mkldnn_rnn_layer"]


# -- packing padded sequences -------------------------------------------------------------------
def _packed_rows(lengths: list[int], steps: int, batch: int) -> np.ndarray:
    """For each (t, b) of the padded (T, B) grid, its row in the packed data, or -1 (padding).
    Packed data lists, step after step, the batch entries still running at that step."""
    rows = np.full((steps, batch), -1, dtype=np.int64)
    offset = 0
    for t in range(steps):
        running = sum(1 for n in lengths if n > t)
        rows[t, :running] = np.arange(offset, offset + running)
        offset += running
    return rows


class PackPaddedSequenceBackward0(Node):
    """data = the entries of a padded (T, B, *) input that are not padding, step by step  ->
    d/dinput = grad put back in place, zeros where the padding was"""
    _saved_fields = ("batch_first", "input_sym_sizes", "result1")
    explanation = Explanation(
        "{z} = pack_padded_sequence({0}) (batch_sizes {result1})",
        (both("g put back in the padded layout, 0 at the padding",
              "g 放回带填充的布局，填充处为 0"),),
        both("Packing keeps only the real elements of each sequence: their gradients go back "
             "to where they came from; the padding gets none.",
             "打包只保留每个序列的真实元素：它们的梯度回到原处，填充位置得不到梯度。"))

    def apply(self, grad: Tensor) -> tuple[Tensor]:
        from . import shape
        from .gather import index_select
        sizes = self._saved("input_sym_sizes")
        batch_first = self._saved("batch_first")
        batch_sizes = [int(n) for n in self._saved("result1")._data]
        steps, batch = (sizes[1], sizes[0]) if batch_first else (sizes[0], sizes[1])
        lengths = [sum(1 for n in batch_sizes if n > b) for b in range(batch)]
        rows = _packed_rows(lengths, steps, batch)
        rows[rows < 0] = grad._data.shape[0]  # the padding reads an extra row of zeros
        zero_row = _make(np.zeros((1,) + grad._data.shape[1:], grad._data.dtype), None)
        padded = index_select(shape.cat([grad, zero_row], 0), 0,
                                       _make(rows.reshape(-1), None))
        padded = shape.reshape(padded, (steps, batch) + tuple(grad._data.shape[1:]))
        return (shape.transpose(padded, 0, 1) if batch_first else padded,)


def pack_padded_sequence_data(input: Tensor, lengths: Tensor, batch_first: bool
                              ) -> tuple[Tensor, Tensor]:
    """(data, batch_sizes) of a padded (T, B, *) input (B, T, * with ``batch_first``) whose
    sequences have the given decreasing ``lengths``: PyTorch's ``_pack_padded_sequence``."""
    if lengths._data.ndim != 1:
        raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got "
                           f"{lengths._data.ndim}D cpu Long tensor")
    x = np.swapaxes(input._data, 0, 1) if batch_first else input._data
    if x.size == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    steps, batch = x.shape[0], x.shape[1]
    lens = [int(n) for n in lengths._data]
    if len(lens) != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got "
                           f"{len(lens)} (batch_size={batch})")
    if lens[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an "
                           "element in 'lengths' that is <= 0")
    if any(lens[i + 1] > lens[i] for i in range(batch - 1)):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when "
                           "`enforce_sorted` is True. You can pass `enforce_sorted=False` to "
                           "pack_padded_sequence and/or pack_sequence to sidestep this "
                           "requirement if you do not need ONNX exportability.")
    if lens[0] > steps:
        raise RuntimeError(f"a length ({lens[0]}) is longer than the padded sequences "
                           f"({steps} steps)")
    batch_sizes = np.array([sum(1 for n in lens if n > t) for t in range(lens[0])], np.int64)
    data = np.concatenate([x[t, :n] for t, n in enumerate(batch_sizes)], axis=0)
    sizes_t = _make(batch_sizes, None)
    out = record(np.ascontiguousarray(data), PackPaddedSequenceBackward0, (input,),
                 batch_first=batch_first, input_sym_sizes=tuple(input._data.shape),
                 result1=sizes_t)
    return out, sizes_t

