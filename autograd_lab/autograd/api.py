"""The engine's two public entry points: ``backward()`` and ``grad()``."""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Sequence, Union

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


def _as_tuple(x: "_TensorOrTensors | None") -> tuple:
    from ..tensor import Tensor
    if x is None:
        return ()
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _root_grads(outputs: tuple, grad_outputs: tuple) -> list:
    """The starting gradient of each output: given, or ones for a scalar output.

    As PyTorch, outputs and gradients are paired with ``zip``: extra gradients are ignored, and
    too few are refused by the count check afterwards.
    """
    from ..tensor import Size, Tensor, _make
    grads = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if isinstance(g, Tensor):
            if g._data.shape != out._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {Size(g._data.shape)} "
                    f"and output[{i}] has a shape of {Size(out._data.shape)}.")
            grads.append(g)
        elif g is None:
            if out.requires_grad:
                if out._data.size != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                if not out.dtype.is_floating_point:
                    raise RuntimeError("grad can be implicitly created only for real scalar "
                                       f"outputs but got {out.dtype!r}")
                grads.append(_make(np.ones_like(out._data), None))
            else:
                grads.append(None)
        else:
            raise TypeError(
                f"gradients can be either Tensors or None, but got {type(g).__name__}")
    if len(grads) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    return grads


def _edge(t: "Tensor") -> tuple[Node | None, int]:
    """Where a tensor's gradient enters the graph: its grad_fn, or a leaf's AccumulateGrad."""
    if t.grad_fn is not None:
        return t.grad_fn, t._output_nr
    return t._grad_accumulator(), 0


def backward(tensors: _TensorOrTensors, grad_tensors: "_TensorOrTensors | None" = None,
             retain_graph: bool | None = None, create_graph: bool = False,
             grad_variables: None = None, inputs: "_TensorOrTensors | None" = None) -> None:
    """Sum the gradients of ``tensors`` w.r.t. graph leaves into the leaves' ``.grad``.

    ``grad_tensors`` weights each output (needed for non-scalar outputs); ``retain_graph``
    (default: ``create_graph``) keeps saved tensors for another backward; ``create_graph``
    records the backward pass itself so it can be differentiated; ``inputs`` limits which
    tensors accumulate.

    >>> import autograd_lab as torch
    >>> x = torch.tensor([2.], requires_grad=True)
    >>> torch.autograd.backward(x * x); x.grad
    tensor([4.])
    """
    if grad_variables is not None:
        grad_tensors = grad_variables
    outputs = _as_tuple(tensors)
    if inputs is not None and len(_as_tuple(inputs)) == 0:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    if grad_tensors is None:
        grad_outputs: tuple = (None,) * len(outputs)
    else:
        grad_outputs = _as_tuple(grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    grads = _root_grads(outputs, grad_outputs)
    roots = _roots(outputs)
    task = engine.GraphTask(bool(retain_graph), bool(create_graph))
    input_list = _as_tuple(inputs)
    if input_list:
        _limit_to_inputs(task, roots, input_list)
    if create_graph:
        _warn_create_graph_once()
    engine.execute(roots, grads, task)


def _warn_create_graph_once() -> None:
    global _warned_create_graph
    if not _warned_create_graph:
        _warned_create_graph = True
        warnings.warn(CREATE_GRAPH_WARNING, UserWarning, stacklevel=4)


def _roots(outputs: tuple) -> list:
    roots = []
    for i, t in enumerate(outputs):
        if not t.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                               "have a grad_fn")
        roots.append(_edge(t))
    return roots


def _limit_to_inputs(task: engine.GraphTask, roots: list, inputs: tuple) -> None:
    """backward(inputs=...): run only what leads to those inputs.

    As in PyTorch, a non-leaf input is made to ``retain_grad()``: that is how its gradient is
    accumulated into its ``.grad`` (then and in later backward calls).
    """
    targets = set()
    for t in inputs:
        t.retain_grad()
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        targets.add(_edge(t)[0])
    root_nodes = [n for n, _ in roots]
    # leaves' AccumulateGrad nodes must run (that is the accumulation); others only receive
    task.needed = engine.nodes_to_run(root_nodes, targets) | {
        n for n in targets if isinstance(n, AccumulateGrad)}


def grad(outputs: _TensorOrTensors, inputs: _TensorOrTensors,
         grad_outputs: "_TensorOrTensors | None" = None, retain_graph: bool | None = None,
         create_graph: bool = False, only_inputs: bool = True, allow_unused: bool | None = None,
         is_grads_batched: bool = False, materialize_grads: bool = False) -> tuple:
    """Return the gradients of ``outputs`` w.r.t. ``inputs`` (nothing goes into ``.grad``).

    With ``create_graph=True`` the returned gradients have a graph of their own, so they can be
    differentiated again (second derivatives).

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
    ins = _as_tuple(inputs)
    if not ins:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if grad_outputs is None:
        grad_outs: tuple = (None,) * len(outs)
    else:
        grad_outs = _as_tuple(grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    grads = _root_grads(outs, grad_outs)
    roots = _roots(outs)
    task = engine.GraphTask(bool(retain_graph), bool(create_graph))
    task.accumulate = False
    targets = set()
    for i, t in enumerate(ins):
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        node, slot = _edge(t)
        task.captures.setdefault((node, slot), []).append(i)
        targets.add(node)
    task.needed = engine.nodes_to_run([n for n, _ in roots], targets)
    result = engine.execute(roots, grads, task, len(ins))
    for i, g in enumerate(result):
        if g is None and not allow_unused:
            raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have "
                               "been used in the graph. Set allow_unused=True if this is the "
                               "desired behavior.")
    if materialize_grads:
        from ..factories import zeros_like
        result = [zeros_like(t, requires_grad=create_graph) if g is None else g
                  for t, g in zip(ins, result)]
    return tuple(result)
