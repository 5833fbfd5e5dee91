"""How the recurrent layers unroll: one time step of each cell, a layer over a sequence (padded
or packed, forward or reversed), a stack of layers with dropout between them, and the float32
LSTM as PyTorch's fused oneDNN kernel records it.

Each function records exactly the ops PyTorch's CPU implementation records, in its order, so the
graphs have PyTorch's node names and edges. ``p`` is one layer and direction's parameters,
``(w_ih, w_hh, b_ih, b_hh, w_hr)``, None where absent.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from .. import factories
from ..ops import linalg as _linalg, pointwise as _pw, rnn as _rnn_ops, shape as _shape
from ..tensor import Tensor
from . import functional as F

Hidden = Any  # a hidden state: a tensor, or (h, c) for an LSTM


# -- one time step ----------------------------------------------------------------------------
def simple_step(act: Callable[[Tensor], Tensor]) -> Callable[..., Tensor]:
    """An Elman RNN step with the nonlinearity ``act``, from the input's precomputed
    ``x W_ih^T + b_ih``."""
    def step(x_w: Tensor, h: Tensor, p: Sequence[Any]) -> Tensor:
        return act(_pw.add(_linalg.linear(h, p[1], p[3]), x_w))
    return step


def gru_step(x_w: Tensor, h: Tensor, p: Sequence[Any]) -> Tensor:
    """A GRU step from the input's precomputed gate pre-activations ``x_w``."""
    i_r, i_z, i_n = _rnn_ops.unsafe_chunk(x_w, 3, 1)
    h_r, h_z, h_n = _rnn_ops.unsafe_chunk(_linalg.linear(h, p[1], p[3]), 3, 1)
    reset = _pw.add(h_r, i_r).sigmoid()
    update = _pw.add(h_z, i_z).sigmoid()
    new = _pw.add(i_n, _pw.mul(h_n, reset)).tanh()
    return _pw.add(_pw.mul(_pw.sub(h, new), update), new)


def lstm_step(x_w: Tensor, hc: tuple[Tensor, Tensor], p: Sequence[Any]
              ) -> tuple[Tensor, Tensor]:
    """An LSTM step from the input's precomputed gate pre-activations ``x_w``."""
    h, c = hc
    gates = _pw.add(_linalg.linear(h, p[1], p[3]), x_w)
    i, f, g, o = _rnn_ops.unsafe_chunk(gates, 4, 1)
    i, f, g, o = i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()
    c_new = _pw.add(_pw.mul(f, c), _pw.mul(i, g))
    h_new = _pw.mul(o, c_new.tanh())
    if p[4] is not None:  # projection (proj_size > 0)
        h_new = _linalg.linear(h_new, p[4])
    return h_new, c_new


STEPS: dict[str, Callable[..., Any]] = {
    "RNN_TANH": simple_step(lambda t: t.tanh()), "RNN_RELU": simple_step(lambda t: t.relu()),
    "GRU": gru_step, "LSTM": lstm_step}


# -- a layer, a stack of layers ---------------------------------------------------------------
def padded_layer(mode: str, x: Tensor, hidden: Hidden, p: Sequence[Any], reverse: bool
                 ) -> tuple[Tensor, Hidden]:
    """One direction of one layer over time-major ``x``: (stacked outputs, final hidden)."""
    step = STEPS[mode]
    steps = list(_shape.unbind(_linalg.linear(x, p[0], p[2]), 0))
    if reverse:
        steps.reverse()
    outputs = []
    for x_w in steps:
        hidden = step(x_w, hidden, p)
        outputs.append(hidden[0] if mode == "LSTM" else hidden)
    if reverse:
        outputs.reverse()
    return _shape.stack(outputs, 0), hidden


def unrolled(mode: str, x: Tensor, hx: Hidden, params: list[Sequence[Any]],
             num_layers: int, dropout: float, train: bool, bidirectional: bool
             ) -> tuple[Tensor, Hidden]:
    """A stack of layers over time-major ``x`` (T, B, features): (output, final states)."""
    directions = 2 if bidirectional else 1
    if mode == "LSTM":
        hiddens: list[Any] = list(zip(_shape.unbind(hx[0], 0), _shape.unbind(hx[1], 0)))
    else:
        hiddens = list(_shape.unbind(hx, 0))
    finals = []
    layer_input = x
    for layer in range(num_layers):
        outs = []
        for d in range(directions):
            k = layer * directions + d
            out, final = padded_layer(mode, layer_input, hiddens[k], params[k], reverse=d == 1)
            outs.append(out)
            finals.append(final)
        layer_input = outs[0] if directions == 1 else _shape.cat(outs, outs[0].dim() - 1)
        if dropout != 0 and train and layer < num_layers - 1:
            layer_input = F.dropout(layer_input, dropout, True)
    if mode == "LSTM":
        return layer_input, (_shape.stack([f[0] for f in finals], 0),
                             _shape.stack([f[1] for f in finals], 0))
    return layer_input, _shape.stack(finals, 0)


def hidden_slice(hidden: Hidden, start: int, end: int) -> Hidden:
    """Rows ``start:end`` of a hidden state (of both, h and c, for an LSTM)."""
    if isinstance(hidden, tuple):
        return tuple(h.narrow(0, start, end - start) for h in hidden)
    return hidden.narrow(0, start, end - start)


def hidden_concat(hiddens: list[Hidden]) -> Hidden:
    """Hidden states joined along the batch (h with h, c with c for an LSTM)."""
    if isinstance(hiddens[0], tuple):
        return tuple(_shape.cat([h[k] for h in hiddens], 0) for k in range(len(hiddens[0])))
    return _shape.cat(hiddens, 0)


def packed_layer(mode: str, data: Tensor, batch_sizes: list[int], hidden: Hidden,
                 p: Sequence[Any]) -> tuple[Tensor, Hidden]:
    """One layer forward over packed ``data``: as the batch shrinks, the finished sequences'
    hidden states are set aside; the final hidden state joins them back (longest first)."""
    step = STEPS[mode]
    data_w = _linalg.linear(data, p[0], p[2])
    outputs, finished = [], []
    offset, last = 0, batch_sizes[0]
    for batch in batch_sizes:
        x_w = data_w.narrow(0, offset, batch)
        offset += batch
        if batch < last:
            finished.append(hidden_slice(hidden, batch, last))
            hidden = hidden_slice(hidden, 0, batch)
        last = batch
        hidden = step(x_w, hidden, p)
        outputs.append(hidden[0] if mode == "LSTM" else hidden)
    finished.append(hidden)
    finished.reverse()
    return _shape.cat(outputs, 0), hidden_concat(finished)


def reversed_packed_layer(mode: str, data: Tensor, batch_sizes: list[int], initial: Hidden,
                          p: Sequence[Any]) -> tuple[Tensor, Hidden]:
    """One layer backward in time over packed ``data``: it starts with the sequences that run
    longest and takes in the others' initial states as it reaches their last steps."""
    step = STEPS[mode]
    data_w = _linalg.linear(data, p[0], p[2])
    last = batch_sizes[-1]
    hidden = hidden_slice(initial, 0, last)
    offset = data.shape[0]
    outputs = []
    for batch in reversed(batch_sizes):
        if batch > last:
            hidden = hidden_concat([hidden, hidden_slice(initial, last, batch)])
        x_w = data_w.narrow(0, offset - batch, batch)
        offset -= batch
        last = batch
        hidden = step(x_w, hidden, p)
        outputs.append(hidden[0] if mode == "LSTM" else hidden)
    outputs.reverse()
    return _shape.cat(outputs, 0), hidden


def packed(mode: str, data: Tensor, batch_sizes: list[int], hx: Hidden,
           params: list[Sequence[Any]], num_layers: int, dropout: float, train: bool,
           bidirectional: bool) -> tuple[Tensor, Hidden]:
    """A stack of layers over packed data (always composite, as PyTorch on the CPU)."""
    directions = 2 if bidirectional else 1
    if mode == "LSTM":
        hiddens: list[Any] = list(zip(_shape.unbind(hx[0], 0), _shape.unbind(hx[1], 0)))
    else:
        hiddens = list(_shape.unbind(hx, 0))
    finals = []
    layer_input = data
    for layer in range(num_layers):
        k = layer * directions
        out, final = packed_layer(mode, layer_input, batch_sizes, hiddens[k], params[k])
        finals.append(final)
        if bidirectional:
            rev, rev_final = reversed_packed_layer(mode, layer_input, batch_sizes,
                                                    hiddens[k + 1], params[k + 1])
            finals.append(rev_final)
            out = _shape.cat([out, rev], -1)
        layer_input = out
        if dropout != 0 and train and layer < num_layers - 1:
            layer_input = F.dropout(layer_input, dropout, True)
    if mode == "LSTM":
        return layer_input, (_shape.stack([f[0] for f in finals], 0),
                             _shape.stack([f[1] for f in finals], 0))
    return layer_input, _shape.stack(finals, 0)


def fused_lstm(x: Tensor, hx: tuple[Tensor, Tensor], params: list[Sequence[Any]],
               num_layers: int, dropout: float, train: bool, bidirectional: bool,
               batch_first: bool, has_biases: bool) -> tuple[Tensor, Hidden]:
    """A float32 LSTM as PyTorch's oneDNN path records it: one node per layer and direction."""
    directions = 2 if bidirectional else 1
    hidden_size = hx[1]._data.shape[-1]
    hs, cs = [], []
    layer_input = x
    for layer in range(num_layers):
        outs = []
        for d in range(directions):
            k = layer * directions + d
            p = params[k]
            # without biases PyTorch passes zeros shaped like the two weights in their place
            b_ih = p[2] if has_biases else factories.zeros(*p[0].shape, dtype=x.dtype)
            b_hh = p[3] if has_biases else factories.zeros(*p[1].shape, dtype=x.dtype)
            out, hy, cy, _ = _rnn_ops.mkldnn_rnn_layer(
                layer_input, p[0], p[1], b_ih, b_hh, _shape.select(hx[0], 0, k),
                _shape.select(hx[1], 0, k), d == 1, (), _rnn_ops.LSTM_MODE, hidden_size,
                num_layers, has_biases, bidirectional, batch_first, train)
            outs.append(out)
            hs.append(hy)
            cs.append(cy)
        layer_input = outs[0] if directions == 1 else _shape.cat(outs, outs[0].dim() - 1)
        if dropout != 0 and train and layer < num_layers - 1:
            layer_input = F.dropout(layer_input, dropout, True)
    return layer_input, (_shape.stack(hs, 0), _shape.stack(cs, 0))
