"""``nn.utils.rnn``: sequences of different lengths in one batch, as ``torch.nn.utils.rnn``.

A *padded* batch is a (T, B, *) tensor (B, T, * with ``batch_first``) whose shorter sequences
end in padding. A ``PackedSequence`` keeps only the real elements, step after step:
``data`` holds, for step 0, the entries of every sequence, then for step 1 those of the
sequences still running, and so on; ``batch_sizes[t]`` says how many. The recurrent layers
accept it and skip the padding. Packing records ``PackPaddedSequenceBackward0``; unpacking
(``pad_packed_sequence``) and ``pad_sequence`` copy into a padded tensor (CopySlices), as in
PyTorch.
"""
from __future__ import annotations

from typing import Any, NamedTuple, Sequence

from ... import factories
from ...ops import rnn as _rnn_ops
from ...tensor import Tensor


class _PackedSequenceFields(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


class PackedSequence(_PackedSequenceFields):
    """The real elements of a batch of sequences (``data``), with how many sequences are still
    running at each step (``batch_sizes``) and, when the batch was sorted by length to pack it,
    the permutation and its inverse. Made by ``pack_padded_sequence`` or ``pack_sequence``."""

    def __new__(cls, data: Tensor, batch_sizes: Tensor | None = None,
                sorted_indices: Tensor | None = None,
                unsorted_indices: Tensor | None = None) -> "PackedSequence":
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:  # PackedSequence((data, batch_sizes)) as PyTorch accepts
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def _with_data(self, data: Tensor) -> "PackedSequence":
        if data is self.data:
            return self
        return type(self)(data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def to(self, *args: Any, **kwargs: Any) -> "PackedSequence":
        """The same sequences with ``data`` converted (``data.to(...)``)."""
        return self._with_data(self.data.to(*args, **kwargs))

    def cpu(self) -> "PackedSequence":
        """Itself (everything is on the CPU)."""
        return self

    def double(self) -> "PackedSequence":
        """``data`` in float64."""
        return self._with_data(self.data.double())

    def float(self) -> "PackedSequence":
        """``data`` in float32."""
        return self._with_data(self.data.float())

    @property
    def is_cuda(self) -> bool:
        """Always False."""
        return False

    def is_pinned(self) -> bool:
        """Always False."""
        return False


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The permutation that undoes ``permutation`` (None for None)."""
    if permutation is None:
        return None
    output = factories.empty_like(permutation)
    output.scatter_(0, permutation, factories.arange(0, permutation.numel()))
    return output


def pack_padded_sequence(input: Tensor, lengths: Any, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch whose sequences have the given ``lengths`` (decreasing, unless
    ``enforce_sorted=False``: then the batch is sorted by length first, and the permutation
    kept in the result)."""
    if not isinstance(lengths, Tensor):
        lengths = factories.as_tensor(lengths, dtype=_int64())
    else:
        lengths = lengths.to(dtype=_int64())
    sorted_indices = None
    if not enforce_sorted:
        lengths, sorted_indices = lengths.sort(descending=True)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    data, batch_sizes = _rnn_ops.pack_padded_sequence_data(input, lengths, batch_first)
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False,
                        padding_value: float = 0.0, total_length: int | None = None
                        ) -> tuple[Tensor, Tensor]:
    """The padded batch (T, B, *) and the lengths of a ``PackedSequence`` (the inverse of
    ``pack_padded_sequence``); ``total_length`` pads to that many steps."""
    batch_sizes = [int(n) for n in sequence.batch_sizes._data]
    max_seq_length = len(batch_sizes)
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError("Expected total_length to be at least the length of the longest "
                             f"sequence in input, but got total_length={total_length} and max "
                             f"sequence length being {max_seq_length}")
        max_seq_length = total_length
    data = sequence.data
    max_batch = batch_sizes[0]
    trailing = tuple(data.shape[1:])
    output = factories.full((max_seq_length, max_batch) + trailing, padding_value,
                            dtype=data.dtype)
    lengths = [0] * max_batch
    offset, prev_batch, prev_i = 0, max_batch, 0
    # runs of equal batch size are copied in one go, as PyTorch does
    for i in range(len(batch_sizes) + 1):
        batch = batch_sizes[i] if i != len(batch_sizes) else 0
        if batch != prev_batch:
            count = prev_batch * (i - prev_i)
            piece = data.narrow(0, offset, count).view((i - prev_i, prev_batch) + trailing)
            output.narrow(0, prev_i, i - prev_i).narrow(1, 0, prev_batch).copy_(piece)
            offset += count
            prev_i = i
        for j in range(batch, prev_batch):
            lengths[j] = i
        prev_batch = batch
    if batch_first:
        output = output.transpose(0, 1)
    lengths_t = factories.tensor(lengths, dtype=_int64())
    if sequence.unsorted_indices is not None:
        batch_dim = 0 if batch_first else 1
        return (output.index_select(batch_dim, sequence.unsorted_indices),
                lengths_t[sequence.unsorted_indices])
    return output, lengths_t


def pad_sequence(sequences: Any, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack sequences of different lengths (L_i, *) into one padded (T, B, *) tensor."""
    if isinstance(sequences, Tensor):
        sequences = sequences.unbind(0)
    sequences = list(sequences)
    if padding_side not in ("left", "right"):
        raise ValueError(f"Expected padding_side to be one of left or right, but got "
                         f"{padding_side}.")
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    trailing = tuple(sequences[0].shape[1:])
    max_len = max(s.shape[0] for s in sequences)
    dims = (len(sequences), max_len) if batch_first else (max_len, len(sequences))
    out = factories.full(dims + trailing, padding_value, dtype=sequences[0].dtype)
    for i, seq in enumerate(sequences):
        length = seq.shape[0]
        start = max_len - length if padding_side == "left" else 0
        if batch_first:
            out.select(0, i).narrow(0, start, length).copy_(seq)
        else:
            out.narrow(0, start, length).select(1, i).copy_(seq)
    return out


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences (L_i, *) of decreasing lengths (any order with
    ``enforce_sorted=False``)."""
    lengths = factories.as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths,
                                enforce_sorted=enforce_sorted)


def _int64() -> Any:
    from ... import dtypes
    return dtypes.int64


__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence",
           "pad_packed_sequence", "pad_sequence", "pack_sequence"]
