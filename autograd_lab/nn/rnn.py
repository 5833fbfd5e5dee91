"""Recurrent layers: RNN, GRU, LSTM over a whole sequence, and their one-step cells.

They compute and record what PyTorch records on the CPU. RNN and GRU (and LSTM in float64, or
with ``proj_size``) are *composite*: each time step is a handful of ordinary ops (addmm, add,
tanh, sigmoid, mul, unsafe_split), so the graph unrolls over time and the output is a
``stack`` of the steps. A float32 LSTM is one ``MkldnnRnnLayerBackward0`` node per layer and
direction, as PyTorch's fused oneDNN kernel records it. Packed sequences (``nn.utils.rnn``) are
unrolled step by step over their shrinking batch. How each layer unrolls is in ``rnn_unroll``.
Parameters are named, shaped, ordered and initialised as PyTorch's (every one from
U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), in registration order), so after
``manual_seed(k)`` the numbers are PyTorch's.

>>> import autograd_lab as torch
>>> torch.nn.LSTM(3, 4, num_layers=2, batch_first=True)
LSTM(3, 4, num_layers=2, batch_first=True)
"""
from __future__ import annotations

import math
import numbers
import warnings
from typing import Any, Sequence

from .. import dtypes, factories
from ..ops import linalg as _linalg, pointwise as _pw, rnn as _rnn_ops
from ..tensor import Tensor
from . import init, rnn_unroll as _unroll
from .module import Module
from .parameter import Parameter

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}

_PROJECTION_WARNED = [False]


def _warn_projection_once() -> None:
    """PyTorch's warning (once per process, as its C++ TORCH_WARN_ONCE) for a float32 LSTM
    with projections, which its oneDNN kernel cannot run."""
    if not _PROJECTION_WARNED[0]:
        _PROJECTION_WARNED[0] = True
        warnings.warn("LSTM with projections is not supported with oneDNN. Using default "
                      "implementation.", UserWarning, stacklevel=4)


# -- the modules ------------------------------------------------------------------------------
class RNNBase(Module):
    """What RNN, GRU and LSTM share: parameters per layer and direction, checks, the repr."""

    __constants__ = ["mode", "input_size", "hidden_size", "num_layers", "bias", "batch_first",
                     "dropout", "bidirectional", "proj_size"]

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        if (not isinstance(dropout, numbers.Number) or isinstance(dropout, bool)
                or not 0 <= dropout <= 1):
            raise ValueError("dropout should be a number in range [0, 1] representing the "
                             "probability of an element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                          "non-zero dropout expects num_layers greater than 1, but got "
                          f"dropout={dropout} and num_layers={num_layers}", stacklevel=2)
        for name, value in (("bias", bias), ("batch_first", batch_first)):
            if not isinstance(value, bool):
                raise TypeError(f"{name} should be of type bool, got: {type(value).__name__}")
        if not isinstance(input_size, int):
            raise TypeError(f"input_size should be of type int, got: "
                            f"{type(input_size).__name__}")
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: "
                            f"{type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable "
                             "projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size = _GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        real_hidden = proj_size if proj_size > 0 else hidden_size
        self._flat_weights_names: list[str] = []
        self._all_weights: list[list[str]] = []
        for layer in range(num_layers):
            for direction in range(directions):
                layer_input = input_size if layer == 0 else real_hidden * directions
                suffix = f"_l{layer}" + ("_reverse" if direction == 1 else "")
                shapes: dict[str, tuple[int, ...]] = {
                    "weight_ih": (gate_size, layer_input), "weight_hh": (gate_size, real_hidden)}
                if bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                if proj_size > 0:
                    shapes["weight_hr"] = (proj_size, hidden_size)
                names = []
                for base, shape in shapes.items():
                    setattr(self, base + suffix, Parameter(factories.empty(shape, dtype=dtype)))
                    names.append(base + suffix)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def _flat_weights(self) -> list[Tensor]:
        return [getattr(self, name) for name in self._flat_weights_names]

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters, one list per layer and direction."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self) -> None:
        """Nothing to do on the CPU (PyTorch compacts the weights for cuDNN here)."""

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _layer_params(self) -> list[Sequence[Any]]:
        """(w_ih, w_hh, b_ih, b_hh, w_hr) per layer and direction, None where absent."""
        out: list[Sequence[Any]] = []
        for names in self._all_weights:
            by_base = {n.split("_l")[0]: getattr(self, n) for n in names}
            out.append(tuple(by_base.get(b) for b in
                             ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr")))
        return out

    def check_input(self, input: Tensor, batch_sizes: Any) -> None:
        weight_dtype = self._flat_weights[0].dtype
        if input.dtype != weight_dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype "
                             f"({weight_dtype}). Convert input: input.to({weight_dtype}), or "
                             f"convert model: model.to({input.dtype})")
        expected = 2 if batch_sizes is not None else 3
        if input.dim() != expected:
            raise RuntimeError(f"input must have {expected} dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {input.size(-1)}")

    def get_expected_hidden_size(self, input: Tensor, batch_sizes: Any
                                 ) -> tuple[int, int, int]:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        directions = 2 if self.bidirectional else 1
        size = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * directions, mini_batch, size)

    def check_hidden_size(self, hx: Tensor, expected_hidden_size: tuple[int, int, int],
                          msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.shape) != tuple(expected_hidden_size):
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.shape)))

    def check_forward_args(self, input: Tensor, hidden: Any, batch_sizes: Any) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    def _zeros(self, batch: int, size: int, like: Tensor) -> Tensor:
        directions = 2 if self.bidirectional else 1
        return factories.zeros(self.num_layers * directions, batch, size, dtype=like.dtype)

    def permute_hidden(self, hx: Any, permutation: Tensor | None) -> Any:
        """The hidden state's batch entries reordered (packed sequences sorted by length)."""
        if permutation is None:
            return hx
        if isinstance(hx, tuple):
            return tuple(h.index_select(1, permutation) for h in hx)
        return hx.index_select(1, permutation)

    def _packed_forward(self, packed: Any, hx: Any) -> tuple[Any, Any]:
        from .utils.rnn import PackedSequence
        data, batch_sizes, sorted_indices, unsorted_indices = packed
        sizes = [int(n) for n in batch_sizes._data]
        if hx is None:
            real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
            h0 = self._zeros(sizes[0], real_hidden, data)
            hx = (h0, self._zeros(sizes[0], self.hidden_size, data)) \
                if self.mode == "LSTM" else h0
            if self.mode == "LSTM":
                self.check_forward_args(data, hx, batch_sizes)
        else:
            if self.mode == "LSTM":
                self.check_forward_args(data, hx, batch_sizes)
            hx = self.permute_hidden(hx, sorted_indices)
        if self.mode != "LSTM":
            self.check_forward_args(data, hx, batch_sizes)
        if (self.mode == "LSTM" and data.dtype is dtypes.float32 and self.proj_size == 0
                and all(n == sizes[0] for n in sizes)):
            # sequences all of one length: PyTorch runs its fused kernel on the data as a
            # (steps, batch, features) view
            grid = data.view(len(sizes), sizes[0], data.shape[-1])
            output, hidden = _unroll.fused_lstm(
                grid, hx, self._layer_params(), self.num_layers, self.dropout, self.training,
                self.bidirectional, False, self.bias)
            output = output.view(data.shape[0], output.shape[-1])
        else:
            output, hidden = _unroll.packed(
                self.mode, data, sizes, hx, self._layer_params(), self.num_layers, self.dropout,
                self.training, self.bidirectional)
        return (PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices),
                self.permute_hidden(hidden, unsorted_indices))

    def _single_state_forward(self, input: Tensor, hx: Tensor | None, dims_message: str
                              ) -> tuple[Tensor, Tensor]:
        """RNN's and GRU's forward (one hidden state tensor)."""
        from .utils.rnn import PackedSequence
        if isinstance(input, PackedSequence):
            return self._packed_forward(input, hx)
        if input.dim() not in (2, 3):
            raise ValueError(dims_message.format(input.dim()))
        is_batched = input.dim() == 3
        batch_dim = 0 if self.batch_first else 1
        if not is_batched:
            input = input.unsqueeze(batch_dim)
            if hx is not None:
                if hx.dim() != 2:
                    raise RuntimeError(f"For unbatched 2-D input, hx should also be 2-D but "
                                       f"got {hx.dim()}-D tensor")
                hx = hx.unsqueeze(1)
        elif hx is not None and hx.dim() != 3:
            raise RuntimeError(f"For batched 3-D input, hx should also be 3-D but got "
                               f"{hx.dim()}-D tensor")
        batch = input.size(0) if self.batch_first else input.size(1)
        if hx is None:
            hx = self._zeros(batch, self.hidden_size, input)
        self.check_forward_args(input, hx, None)
        x = input.transpose(0, 1) if self.batch_first else input
        output, hidden = _unroll.unrolled(self.mode, x, hx, self._layer_params(),
                                          self.num_layers, self.dropout, self.training,
                                          self.bidirectional)
        if self.batch_first:
            output = _rnn_ops.transpose_result_(output, 0, 1)
        if not is_batched:
            output = output.squeeze(batch_dim)
            hidden = hidden.squeeze(1)
        return output, hidden


class RNN(RNNBase):
    """An Elman RNN: ``h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh)`` (or relu), over
    a sequence, for each layer (and direction). Returns ``(output, h_n)``.

    >>> import autograd_lab as torch
    >>> torch.nn.RNN(3, 4, num_layers=2, batch_first=True)
    RNN(3, 4, num_layers=2, batch_first=True)
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' "
                             "or 'relu'.")
        super().__init__(mode, *args, **kwargs)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:
        return self._single_state_forward(
            input, hx, "RNN: Expected input to be 2D or 3D, got {}D tensor instead")


class GRU(RNNBase):
    """A gated recurrent unit layer (reset, update and new gates), over a sequence, for each
    layer (and direction). Returns ``(output, h_n)``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:
        return self._single_state_forward(
            input, hx, "GRU: Expected input to be 2D or 3D, got {}D instead")


class LSTM(RNNBase):
    """A long short-term memory layer (input, forget, cell and output gates; a hidden and a
    cell state), over a sequence, for each layer (and direction). Returns
    ``(output, (h_n, c_n))``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(self, input: Tensor, batch_sizes: Any) -> tuple[int, int, int]:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        directions = 2 if self.bidirectional else 1
        return (self.num_layers * directions, mini_batch, self.hidden_size)

    def check_forward_args(self, input: Tensor, hidden: Any, batch_sizes: Any) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden[0], self.get_expected_hidden_size(input, batch_sizes),
                               "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hidden[1], self.get_expected_cell_size(input, batch_sizes),
                               "Expected hidden[1] size {}, got {}")

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None
                ) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        from .utils.rnn import PackedSequence
        if isinstance(input, PackedSequence):
            return self._packed_forward(input, hx)
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        if input.dim() not in (2, 3):
            raise ValueError(f"LSTM: Expected input to be 2D or 3D, got {input.dim()}D instead")
        is_batched = input.dim() == 3
        batch_dim = 0 if self.batch_first else 1
        if not is_batched:
            input = input.unsqueeze(batch_dim)
        batch = input.size(0) if self.batch_first else input.size(1)
        if hx is None:
            hx = (self._zeros(batch, real_hidden, input),
                  self._zeros(batch, self.hidden_size, input))
        else:
            h0, c0 = hx
            if is_batched:
                if h0.dim() != 3 or c0.dim() != 3:
                    raise RuntimeError(f"For batched 3-D input, hx and cx should also be 3-D "
                                       f"but got ({h0.dim()}-D, {c0.dim()}-D) tensors")
            else:
                if h0.dim() != 2 or c0.dim() != 2:
                    raise RuntimeError(f"For unbatched 2-D input, hx and cx should also be 2-D "
                                       f"but got ({h0.dim()}-D, {c0.dim()}-D) tensors")
                hx = (h0.unsqueeze(1), c0.unsqueeze(1))
        self.check_forward_args(input, hx, None)
        fused = input.dtype is dtypes.float32 and self.proj_size == 0
        if input.dtype is dtypes.float32 and self.proj_size > 0:
            _warn_projection_once()
        if fused:
            x = input.transpose(0, 1).contiguous() if self.batch_first else input
            output, hidden = _unroll.fused_lstm(
                x, hx, self._layer_params(), self.num_layers, self.dropout, self.training,
                self.bidirectional, self.batch_first, self.bias)
            if self.batch_first:
                output = output.transpose(0, 1)
        else:
            x = input.transpose(0, 1) if self.batch_first else input
            output, hidden = _unroll.unrolled("LSTM", x, hx, self._layer_params(),
                                              self.num_layers, self.dropout, self.training,
                                              self.bidirectional)
            if self.batch_first:  # (an out-of-place transpose here, unlike RNN and GRU)
                output = output.transpose(0, 1)
        if not is_batched:
            output = output.squeeze(batch_dim)
            hidden = (hidden[0].squeeze(1), hidden[1].squeeze(1))
        return output, hidden


# -- cells ------------------------------------------------------------------------------------
class RNNCellBase(Module):
    """What the one-step cells share: weight_ih, weight_hh (and biases), the checks, the repr."""

    __constants__ = ["input_size", "hidden_size", "bias"]

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(factories.empty((num_chunks * hidden_size, input_size),
                                                   dtype=dtype))
        self.weight_hh = Parameter(factories.empty((num_chunks * hidden_size, hidden_size),
                                                   dtype=dtype))
        if bias:
            self.bias_ih = Parameter(factories.empty(num_chunks * hidden_size, dtype=dtype))
            self.bias_hh = Parameter(factories.empty(num_chunks * hidden_size, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        nonlinearity = getattr(self, "nonlinearity", "tanh")
        if nonlinearity != "tanh":
            s += f", nonlinearity={nonlinearity}"
        return s

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _params(self) -> tuple[Any, ...]:
        return (self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh, None)

    def _check(self, input: Tensor, hiddens: Sequence[Tensor]) -> None:
        """PyTorch's cell checks: the input's width, then each hidden's batch and width."""
        if input.size(1) != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.size(1)} "
                               f"expected {self.input_size}")
        for k, h in enumerate(hiddens):
            if input.size(0) != h.size(0):
                raise RuntimeError(f"Input batch size {input.size(0)} doesn't match hidden{k} "
                                   f"batch size {h.size(0)}")
            if h.size(1) != self.hidden_size:
                raise RuntimeError(f"hidden{k} has inconsistent hidden_size: got {h.size(1)}, "
                                   f"expected {self.hidden_size}")

    def _prepare(self, name: str, input: Tensor, hx: Tensor | None
                 ) -> tuple[Tensor, Tensor, bool]:
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D "
                             "instead")
        if hx is not None and hx.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected hidden to be 1D or 2D, got {hx.dim()}D instead")
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        if hx is None:
            hx = factories.zeros(input.size(0), self.hidden_size, dtype=input.dtype)
        elif not is_batched:
            hx = hx.unsqueeze(0)
        self._check(input, [hx])
        return input, hx, is_batched


class RNNCell(RNNCellBase):
    """One Elman RNN step: ``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)`` (or relu)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        input, hx, is_batched = self._prepare("RNNCell", input, hx)
        p = self._params()
        pre = _pw.add(_linalg.linear(hx, p[1], p[3]), _linalg.linear(input, p[0], p[2]))
        ret = pre.tanh() if self.nonlinearity == "tanh" else pre.relu()
        return ret if is_batched else ret.squeeze(0)


class GRUCell(RNNCellBase):
    """One GRU step (reset, update and new gates)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, hx, is_batched = self._prepare("GRUCell", input, hx)
        p = self._params()
        ret = _unroll.gru_step(_linalg.linear(input, p[0], p[2]), hx, p)
        return ret if is_batched else ret.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step: returns ``(h', c')``."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None
                ) -> tuple[Tensor, Tensor]:
        if input.dim() not in (1, 2):
            raise ValueError(f"LSTMCell: Expected input to be 1D or 2D, got {input.dim()}D "
                             "instead")
        if hx is not None:
            for idx, value in enumerate(hx):
                if value.dim() not in (1, 2):
                    raise ValueError(f"LSTMCell: Expected hx[{idx}] to be 1D or 2D, got "
                                     f"{value.dim()}D instead")
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        if hx is None:
            zeros = factories.zeros(input.size(0), self.hidden_size, dtype=input.dtype)
            hx = (zeros, zeros)
        elif not is_batched:
            hx = (hx[0].unsqueeze(0), hx[1].unsqueeze(0))
        self._check(input, list(hx))
        p = self._params()
        h, c = _unroll.lstm_step(_linalg.linear(input, p[0], p[2]), (hx[0], hx[1]), p)
        return (h, c) if is_batched else (h.squeeze(0), c.squeeze(0))


__all__ = ["RNNBase", "RNN", "GRU", "LSTM", "RNNCellBase", "RNNCell", "GRUCell", "LSTMCell"]
