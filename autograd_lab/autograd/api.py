"""The engine's two public entry points: ``backward()`` and ``grad()``.

Arguments are checked in PyTorch's order, with its messages: the Python-level checks of
``torch.autograd.backward``/``grad`` first (``_make_grads``), then those of the C++
``run_backward`` (roots, then inputs).
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Sequence, Union

import numpy as np

from . import engine
from .node import AccumulateGrad, Node

if TYPE_CHECKING:
    from ..tensor import Tensor

_TensorOrTensors = Union["Tensor", Sequence["Tensor"]]

CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the "
    "parameter and its gradient which can cause a memory leak. We recommend using "
    "autograd.grad when creating the graph to avoid this. If you have to use this function, "
    "make sure to reset the .grad fields of your parameters to None after use to break the "
    "cycle and avoid the leak.")
# PyTorch gives that warning once per process (TORCH_WARN_ONCE)
_warned_create_graph = False


_tensor = None


def _tensor_module():
    """autograd_lab.tensor, imported on first use (it imports this package); an import
    statement in each function would cost a microsecond per backward call."""
    global _tensor
    if _tensor is None:
        import sys
        _tensor = sys.modules[__name__.rsplit(".", 2)[0] + ".tensor"]
    return _tensor


def _tensor_or_tensors_to_tuple(x: Any, length: int) -> tuple:
    Tensor = _tensor_module().Tensor
    if x is None:
        return (None,) * length
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _as_tuple(x: Any) -> tuple:
    Tensor = _tensor_module().Tensor
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _inputs_tuple(inputs: Any, where: str) -> tuple:
    Tensor = _tensor_module().Tensor
    if isinstance(inputs, Tensor):
        return (inputs,)
    if type(inputs) is dict:
        return tuple(inputs.values())
    if isinstance(inputs, Mapping):
        raise TypeError(f"`inputs` argument to `{where}()` must be a dict, not "
                        f"{type(inputs).__name__}. Other Mapping types are not supported.")
    return tuple(inputs)


def _make_grads(outputs: tuple, grads: tuple, is_grads_batched: bool) -> list:
    """The starting gradient of each output: given, or ones for a scalar output.

    As PyTorch, outputs and gradients are paired with ``zip``: extra gradients are ignored, and
    too few are refused by the count check afterwards.
    """
    tm = _tensor_module()
    Size, Tensor, _make = tm.Size, tm.Tensor, tm._make
    new_grads = []
    for out, grad in zip(outputs, grads):
        if not isinstance(out, Tensor):
            raise AssertionError("Expected output to be a torch.Tensor")
        if isinstance(grad, Tensor):
            first = grad._data if not is_grads_batched else grad._data[0]
            if first.shape != out._data.shape:
                # (PyTorch drops the batch dimension twice in this message: so does this)
                gshape = Size(first.shape if not is_grads_batched else first.shape[1:])
                i, j = _index(grads, grad), _index(outputs, out)
                if is_grads_batched:
                    raise RuntimeError(
                        "If `is_grads_batched=True`, we interpret the first dimension of each "
                        "grad_output as the batch dimension. The sizes of the remaining "
                        "dimensions are expected to match the shape of corresponding output, "
                        f"but a mismatch was detected: grad_output[{i}] has a shape of {gshape} "
                        f"and output[{j}] has a shape of {Size(out._data.shape)}. If you only "
                        "want some tensors in `grad_output` to be considered batched, consider "
                        "using vmap.")
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {gshape} and "
                    f"output[{j}] has a shape of {Size(out._data.shape)}.")
            new_grads.append(grad)
        elif grad is None:
            if out.requires_grad:
                if out._data.size != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                if not out.dtype.is_floating_point:
                    raise RuntimeError("grad can be implicitly created only for real scalar "
                                       f"outputs but got {out.dtype!r}")
                ones = np.empty(out._data.shape, out._data.dtype)  # (~twice as fast as ones_like)
                ones.fill(1)
                new_grads.append(_make(ones, None))
            else:
                new_grads.append(None)
        else:
            raise TypeError(
                f"gradients can be either Tensors or None, but got {type(grad).__name__}")
    return new_grads


def _index(seq: tuple, item: Any) -> int:
    """``seq.index(item)`` as PyTorch's message computes it (tensors compare by identity)."""
    for i, x in enumerate(seq):
        if x is item:
            return i
    return 0


def _edge(t: "Tensor") -> tuple[Node | None, int]:
    """Where a tensor's gradient enters the graph: its grad_fn, or a leaf's AccumulateGrad."""
    if t.grad_fn is not None:
        return t.grad_fn, t._output_nr
    return t._grad_accumulator(), 0


def _roots(outputs: tuple, grads: list) -> list:
    """The root edges, checked as PyTorch's run_backward does."""
    Tensor = _tensor_module().Tensor
    if len(outputs) != len(grads):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    roots = []
    for i, t in enumerate(outputs):
        if not isinstance(t, Tensor):
            raise RuntimeError(f"element {i} of tensors tuple is neither a Tensor nor a "
                               "GradientEdge")
        if not t.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                               "have a grad_fn")
        roots.append(_edge(t))
    return roots


def _input_edges(inputs: tuple, accumulate: bool) -> list:
    Tensor = _tensor_module().Tensor
    edges = []
    for t in inputs:
        if not isinstance(t, Tensor):
            raise RuntimeError("all inputs have to be Tensors or GradientEdges, but got "
                               f"{type(t).__name__}")
        if accumulate:
            # backward(inputs=...) accumulates a non-leaf's gradient through retain_grad
            t.retain_grad()
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        edges.append(_edge(t))
    return edges


def _run(outputs: tuple, grads: list, retain_graph: bool, create_graph: bool, inputs: tuple,
         allow_unused: bool, accumulate: bool) -> tuple:
    """PyTorch's ``_engine_run_backward``: run the engine, return the inputs' gradients."""
    roots = _roots(outputs, grads)
    task = engine.GraphTask(bool(retain_graph), bool(create_graph))
    task.accumulate = accumulate
    edges = _input_edges(inputs, accumulate) if inputs else []
    root_nodes = [n for n, _ in roots]
    if edges:
        targets = {node for node, _ in edges}
        task.needed = engine.nodes_to_run(root_nodes, targets)
        if accumulate:  # backward(inputs=...): the inputs' own nodes run
            task.needed |= targets
        else:
            for i, edge in enumerate(edges):
                task.captures.setdefault(edge, []).append(i)
    if accumulate and create_graph:
        _warn_create_graph_once()
    result = engine.execute(roots, grads, task, 0 if accumulate else len(edges))
    if accumulate:
        return ()
    if not allow_unused and any(g is None for g in result):
        i = next(i for i, g in enumerate(result) if g is None)
        raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have "
                           "been used in the graph. Set allow_unused=True if this is the "
                           "desired behavior.")
    return tuple(result)


def backward(tensors: _TensorOrTensors, grad_tensors: "_TensorOrTensors | None" = None,
             retain_graph: bool | None = None, create_graph: bool = False,
             grad_variables: Any = None, inputs: Any = None) -> None:
    """Sum the gradients of ``tensors`` w.r.t. graph leaves into the leaves' ``.grad``.

    ``grad_tensors`` weights each output (needed for non-scalar outputs); ``retain_graph``
    (default: ``create_graph``) keeps saved tensors for another backward; ``create_graph``
    records the backward pass itself so it can be differentiated; ``inputs`` limits which
    tensors accumulate (a non-leaf given there is made to ``retain_grad()``).

    >>> import autograd_lab as torch
    >>> x = torch.tensor([2.], requires_grad=True)
    >>> torch.autograd.backward(x * x); x.grad
    tensor([4.])
    """
    if grad_variables is not None:
        warnings.warn("`grad_variables` is deprecated. Use `grad_tensors` instead.",
                      FutureWarning, stacklevel=2)
        if grad_tensors is None:
            grad_tensors = grad_variables
        else:
            raise RuntimeError("`grad_tensors` and `grad_variables` (deprecated) arguments both "
                               "passed to `backward()`. Please only use `grad_tensors`.")
    inputs_tuple = () if inputs is None else _inputs_tuple(inputs, "backward")
    if inputs is not None and len(inputs_tuple) == 0:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    outputs = _as_tuple(tensors)
    grads = _make_grads(outputs, _tensor_or_tensors_to_tuple(grad_tensors, len(outputs)), False)
    if retain_graph is None:
        retain_graph = create_graph
    _run(outputs, grads, retain_graph, create_graph, inputs_tuple, True, True)


def _warn_create_graph_once() -> None:
    global _warned_create_graph
    if not _warned_create_graph:
        _warned_create_graph = True
        warnings.warn(CREATE_GRAPH_WARNING, UserWarning, stacklevel=4)


def grad(outputs: _TensorOrTensors, inputs: Any,
         grad_outputs: "_TensorOrTensors | None" = None, retain_graph: bool | None = None,
         create_graph: bool = False, only_inputs: bool = True, allow_unused: bool | None = None,
         is_grads_batched: bool = False, materialize_grads: bool = False) -> Any:
    """Return the gradients of ``outputs`` w.r.t. ``inputs`` (nothing goes into ``.grad``).

    With ``create_graph=True`` the returned gradients have a graph of their own, so they can be
    differentiated again (second derivatives). ``allow_unused=True`` gives None for an input
    the outputs do not depend on (zeros with ``materialize_grads=True``). ``inputs`` may be a
    dict: the result is then a dict with the same keys.

    >>> import autograd_lab as torch
    >>> x = torch.tensor([3.], requires_grad=True)
    >>> torch.autograd.grad(x ** 2, x)
    (tensor([6.]),)
    """
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when "
                         "materialize_grads=True, but got: allow_unused=False.")
    if allow_unused is None:
        allow_unused = materialize_grads
    outs = _as_tuple(outputs)
    ins = _inputs_tuple(inputs, "grad")
    if not ins:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if not only_inputs:
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to True). "
                      "To accumulate gradient for other parts of the graph, please use "
                      "torch.autograd.backward.", FutureWarning, stacklevel=2)
    grads = _make_grads(outs, _tensor_or_tensors_to_tuple(grad_outputs, len(outs)),
                        is_grads_batched)
    if retain_graph is None:
        retain_graph = create_graph
    if is_grads_batched:
        result = _batched(outs, grads, retain_graph, create_graph, ins, allow_unused)
    else:
        result = _run(outs, grads, retain_graph, create_graph, ins, allow_unused, False)
    if materialize_grads:
        result = tuple(t._zeros_like(create_graph) if g is None else g
                       for t, g in zip(ins, result))
    if type(inputs) is dict:
        return dict(zip(inputs.keys(), result))
    return result


def _batched(outs: tuple, grads: list, retain_graph: bool, create_graph: bool, ins: tuple,
             allow_unused: bool) -> tuple:
    """``is_grads_batched=True``: one vector-Jacobian product per row of the grad_outputs.

    PyTorch runs one backward on batched tensors (vmap); here it is one backward per row, with
    the results stacked. Values and which results are None agree; hooks run once per row.
    """
    from ..tensor import Tensor
    sizes = {g._data.shape[0] for g in grads if g is not None and g._data.ndim}
    if len(sizes) != 1 or any(g is not None and not g._data.ndim for g in grads):
        raise NotImplementedError("is_grads_batched=True needs every grad_output to be a tensor "
                                  "with the same batch size in its first dimension")
    n = sizes.pop()
    rows = []
    for i in range(n):
        row = [None if g is None else g.select(0, i) for g in grads]
        keep = True if i < n - 1 else retain_graph
        rows.append(_run(outs, row, keep, create_graph, ins, allow_unused, False))
    return tuple(None if any(r[j] is None for r in rows) else Tensor._stack([r[j] for r in rows])
                 for j in range(len(ins)))
