"""``autograd.functional``: whole Jacobians and Hessians, and the products behind them.

Reverse mode only, as in PyTorch's default path: ``jvp`` and ``hvp`` use the double-backward
trick (differentiate a vector-Jacobian product with respect to its vector). Every function here
follows one pattern:

* normalise: a Tensor or a tuple of Tensors becomes a tuple (remembering which it was), and
  each input is replaced by a fresh tensor object that autograd can differentiate against;
* call the user's function under ``enable_grad`` and take one or two backward passes;
* package: detach the results unless ``create_graph=True`` and give back single tensors where
  single tensors were given.

For ``jacobian(f, inputs)``, entry ``[i][j]`` of the result has shape
``out_i.shape + in_j.shape``; the ``[i]`` level is there only when ``f`` returns a tuple, the
``[j]`` level only when ``inputs`` is a tuple.

>>> import autograd_lab as torch
>>> from autograd_lab.autograd.functional import jacobian, hessian
>>> jacobian(lambda x: x ** 2, torch.tensor([1., 2.]))
tensor([[2., 0.],
        [0., 4.]])
>>> hessian(lambda x: (x ** 3).sum(), torch.tensor([1., 2.]))
tensor([[ 6.,  0.],
        [ 0., 12.]])

``vectorize=True`` gives the same values as the default: PyTorch batches the backward passes
with vmap, here they run one after another. ``strategy="forward-mode"`` (which PyTorch allows
only with ``vectorize=True``) gives the same Jacobian too, computed element by element in
reverse mode; PyTorch's errors for the combinations it refuses are kept. PyTorch pushes its
tangents through the user's function on the inputs themselves, not on detached copies, so a
forward-mode Jacobian stays attached to what the tangents met on the way (inputs that require
grad, parameters, the graph a Hessian's inner Jacobian builds) and can be differentiated again;
so it is here (see ``_jacobian_forward_mode``).
"""
from __future__ import annotations

from typing import Any, Callable

from . import grad_mode
from .api import grad as _grad

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]

_OUTPUTS = "outputs of the user-provided function"
_STRICT = "This is not allowed in strict mode."

# strict mode, an output that needs no gradient / an intermediate result that needs none
_NO_GRAD_OUTPUT = ("Output {i} of the user-provided function does not require gradients. The "
                   "outputs must be computed in a differentiable manner from the input when "
                   "running in strict mode.")
_NO_GRAD_JACOBIAN = ("While computing the hessian, found that the jacobian of the user-provided "
                     "function with respect to input {i} is independent of the input. " + _STRICT
                     + " You should ensure that your function is twice differentiable and that "
                     "the jacobian depends on the inputs (this would be violated by a linear "
                     "function for example).")
_NO_GRAD_HESSIAN = ("The hessian of the user-provided function with respect to input {i} is "
                    "independent of the input. " + _STRICT + " You should ensure that your "
                    "function is thrice differentiable and that the hessian depends on the "
                    "inputs.")
_NO_GRAD_GRAD_INPUT = ("The gradient with respect to input {i} is independent of the inputs of "
                       "the user-provided function. " + _STRICT)

# strict mode, the last backward of each product: no gradient reached entry {i}
_UNREACHED = {
    "vjp": "The output of the user-provided function is independent of input {i}. " + _STRICT,
    "jvp": ("The gradient with respect to the input is independent of entry {i} in the "
            "grad_outputs when using the double backward trick to compute forward mode "
            "gradients. " + _STRICT),
    "vhp": "The jacobian of the user-provided function is independent of input {i}. " + _STRICT,
    "hvp": ("The hessian of the user-provided function is independent of entry {i} in the "
            "grad_jacobian. This is not allowed in strict mode as it prevents from using the "
            "double backward trick to replace forward mode AD."),
}
# strict mode with create_graph: a gradient came back without a graph
_FIRST_ORDER_CONSTANT = ("The jacobian of the user-provided function is independent of input "
                         "{i}. This is not allowed in strict mode when create_graph=True.")
_SECOND_ORDER_CONSTANT = ("The hessian of the user-provided function is independent of input "
                          "{i}. This is not allowed in strict mode when create_graph=True.")


def _is_tensor(x: Any) -> bool:
    from ..tensor import Tensor
    return isinstance(x, Tensor)


def _zeros_like(t: Any, requires_grad: bool = False) -> Any:
    return t._zeros_like(requires_grad)


# == normalise ==================================================================================
def _tensors(value: Any, what: str, fn: str) -> tuple:
    """``(was_tuple, tuple_of_tensors)``; anything but Tensors is refused with a TypeError."""
    was_tuple = isinstance(value, tuple)
    items = value if was_tuple else (value,)
    for i, item in enumerate(items):
        if not _is_tensor(item):
            cls = type(item)
            shown = cls.__qualname__ if cls.__module__ == "builtins" else \
                f"{cls.__module__}.{cls.__qualname__}"
            where = f"the value at index {i}" if was_tuple else f"the given {what}"
            raise TypeError(f"The {what} given to {fn} must be either a Tensor or a tuple of "
                            f"Tensors but {where} has type <class '{shown}'>.")
    return was_tuple, items


def _fresh(tensors: tuple, create_graph: bool, track: bool) -> tuple:
    """New tensor objects for ``tensors``, so that the user's function cannot reach the
    originals by closure and be differentiated against the wrong objects.

    With ``create_graph`` a tensor that requires grad stays connected (through a view);
    everything else is detached and requires grad exactly when ``track``.
    """
    return tuple(t.view(tuple(t.shape)) if create_graph and t.requires_grad
                 else t.detach().requires_grad_(track) for t in tensors)


def _vector(v: Any, fn: str, like: tuple, like_is_tuple: bool, create_graph: bool) -> tuple:
    """``v`` normalised and checked to match ``like`` one for one, in size."""
    _, v = _tensors(v, "v", fn)
    v = _fresh(v, create_graph, track=False)
    if len(v) != len(like):
        if like_is_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(like)} but got "
                               f"{len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (a, b) in enumerate(zip(v, like)):
        if a.size() != b.size():
            entry = f"Entry {i} in " if like_is_tuple else ""
            raise RuntimeError(f"{entry}v has invalid size: should be {b.size()} but got "
                               f"{a.size()}.")
    return v


def _v_for_inputs(v: Any, fn: str, inputs: tuple, inputs_tuple: bool,
                  create_graph: bool) -> Any:
    if v is None:
        if len(inputs) != 1 or inputs[0].nelement() != 1:
            raise RuntimeError("The vector v can only be None if the input to the user-provided "
                               "function is a single Tensor with a single element.")
        return None
    return _vector(v, fn, inputs, inputs_tuple, create_graph)


def _scalar_output(func: Callable, inputs: tuple, fn: str, strict: bool) -> Any:
    """Call ``func``; it must return one single-element Tensor (vhp, hvp, hessian)."""
    out = func(*inputs)
    as_tuple, outs = _tensors(out, _OUTPUTS, fn)
    _strict_needs_grad(outs, strict, _NO_GRAD_OUTPUT)
    if as_tuple or not _is_tensor(outs[0]):
        raise RuntimeError(f"The function given to {fn} should return a single Tensor")
    if outs[0].nelement() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn} should contain "
                           "a single element")
    return outs[0]


# == backward passes ============================================================================
def _strict_needs_grad(tensors: tuple, strict: bool, message: str) -> None:
    """In strict mode, each tensor must exist (a gradient reached it) and require grad."""
    if not strict:
        return
    for i, t in enumerate(tensors):
        if t is None:
            raise RuntimeError(_UNREACHED["vjp"].format(i=i))
        if not t.requires_grad:
            raise RuntimeError(message.format(i=i))


def _backward(outputs: tuple, inputs: tuple, grad_outputs: Any = None,
              create_graph: bool = False, retain_graph: Any = None) -> tuple:
    """``autograd.grad`` over the outputs that require grad (None for every input if none
    does), unused inputs allowed."""
    grad_outputs = (None,) * len(outputs) if grad_outputs is None else grad_outputs
    live = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not live:
        return (None,) * len(inputs)
    outs, gouts = zip(*live)
    return _grad(outs, inputs, gouts, allow_unused=True, create_graph=create_graph,
                 retain_graph=retain_graph)


def _last_backward(fn: str, outputs: tuple, inputs: tuple, v: Any, like: tuple,
                   create_graph: bool, strict: bool) -> tuple:
    """The product's final backward; inputs no gradient reached get zeros shaped as ``like``.

    Grad mode stays as the caller had it, unless a graph of the result is wanted.
    """
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        grads = _backward(outputs, inputs, v, create_graph=create_graph)
        result = []
        for i, g in enumerate(grads):
            if g is None:
                if strict:
                    raise RuntimeError(_UNREACHED[fn].format(i=i))
                g = _zeros_like(like[i])
            elif strict and create_graph and not g.requires_grad:
                second_order = fn in ("vhp", "hvp")
                raise RuntimeError((_SECOND_ORDER_CONSTANT if second_order
                                    else _FIRST_ORDER_CONSTANT).format(i=i))
            result.append(g)
    return tuple(result)


# == package ====================================================================================
def _detached(values: tuple, create_graph: bool) -> tuple:
    """Detach (through nested tuples) unless the caller asked for a graph."""
    if create_graph:
        return values
    return tuple(v.detach() if _is_tensor(v) else _detached(v, False) for v in values)


def _unpack(values: tuple, was_tuple: bool) -> Any:
    return values if was_tuple else values[0]


def _pair(outputs: tuple, outputs_tuple: bool, result: tuple, result_tuple: bool,
          create_graph: bool) -> tuple:
    """``(func's output, product)`` as the products return it."""
    return (_unpack(_detached(outputs, create_graph), outputs_tuple),
            _unpack(_detached(result, create_graph), result_tuple))


# == the public functions =======================================================================
def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), v^T J)``: the vector-Jacobian product at ``inputs``."""
    with grad_mode.enable_grad():
        inputs_tuple, inputs = _tensors(inputs, "inputs", "vjp")
        inputs = _fresh(inputs, create_graph, track=True)
        outputs_tuple, outputs = _tensors(func(*inputs), _OUTPUTS, "vjp")
        _strict_needs_grad(outputs, strict, _NO_GRAD_OUTPUT)
        if v is not None:
            v = _vector(v, "vjp", outputs, outputs_tuple, create_graph)
        elif len(outputs) != 1 or outputs[0].nelement() != 1:
            raise RuntimeError("The vector v can only be None if the user-provided function "
                               "returns a single Tensor with a single element.")
    result = _last_backward("vjp", outputs, inputs, v, inputs, create_graph, strict)
    return _pair(outputs, outputs_tuple, result, inputs_tuple, create_graph)


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), J v)``: the Jacobian-vector product.

    ``u -> J^T u`` is linear in ``u``; its own vector-Jacobian product with ``v`` is ``J v``.
    """
    with grad_mode.enable_grad():
        inputs_tuple, inputs = _tensors(inputs, "inputs", "jvp")
        inputs = _fresh(inputs, create_graph, track=True)
        v = _v_for_inputs(v, "jvp", inputs, inputs_tuple, create_graph)
        outputs_tuple, outputs = _tensors(func(*inputs), _OUTPUTS, "jvp")
        _strict_needs_grad(outputs, strict, _NO_GRAD_OUTPUT)
        u = tuple(_zeros_like(o, requires_grad=True) for o in outputs)
        jt_u = _backward(outputs, inputs, u, create_graph=True)
        _strict_needs_grad(jt_u, strict, _NO_GRAD_GRAD_INPUT)
    result = _last_backward("jvp", jt_u, u, v, outputs, create_graph, strict)
    return _pair(outputs, outputs_tuple, result, outputs_tuple, create_graph)


def _second_order(fn: str, func: Callable, inputs: Any, v: Any, create_graph: bool,
                  strict: bool) -> tuple:
    """vhp and hvp: ``(func(inputs), v^T H)`` or ``(func(inputs), H v)``."""
    with grad_mode.enable_grad():
        inputs_tuple, inputs = _tensors(inputs, "inputs", fn)
        inputs = _fresh(inputs, create_graph, track=True)
        v = _v_for_inputs(v, fn, inputs, inputs_tuple, create_graph)
        output = _scalar_output(func, inputs, fn, strict)
        gradient = _backward((output,), inputs, create_graph=True)
        _strict_needs_grad(gradient, strict, _NO_GRAD_JACOBIAN)
        if fn == "hvp":  # H is symmetric, but go through the trick as PyTorch does
            u = tuple(_zeros_like(x, requires_grad=True) for x in inputs)
            h_u = _backward(gradient, inputs, u, create_graph=True)
            _strict_needs_grad(gradient, strict, _NO_GRAD_HESSIAN)
            gradient, inputs_for_last = h_u, u
        else:
            inputs_for_last = inputs
    result = _last_backward(fn, gradient, inputs_for_last, v, inputs, create_graph, strict)
    return _pair((output,), False, result, inputs_tuple, create_graph)


def vhp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), v^T H)`` for a scalar function."""
    return _second_order("vhp", func, inputs, v, create_graph, strict)


def hvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), H v)`` for a scalar function (by the double-backward trick)."""
    return _second_order("hvp", func, inputs, v, create_graph, strict)


def _check_strategy(strategy: str, hint: bool) -> None:
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".'
                             + (' Hint: If your function has more outputs than inputs, '
                                '"forward-mode" tends to be more performant. Otherwise, prefer '
                                'to use "reverse-mode".' if hint else ""))


def jacobian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode") -> Any:
    """The Jacobian of ``func`` at ``inputs``, one ``autograd.grad`` per output element.

    ``create_graph=True`` keeps the result differentiable; ``strict=True`` refuses an output
    that does not depend on an input (instead of giving zeros).
    """
    from ..tensor import Tensor
    _check_strategy(strategy, hint=True)
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                'torch.autograd.functional.jacobian: `create_graph=True` and '
                '`strategy="forward-mode"` are not supported together (yet). Please either set '
                '`create_graph=False` or `strategy="reverse-mode"`.')
        return _jacobian_forward_mode(func, inputs, strict, vectorize, func_builds_graph=False)
    with grad_mode.enable_grad():
        inputs_tuple, inputs = _tensors(inputs, "inputs", "jacobian")
        inputs = _fresh(inputs, create_graph, track=True)
        outputs_tuple, outputs = _tensors(func(*inputs), _OUTPUTS, "jacobian")
        _strict_needs_grad(outputs, strict, _NO_GRAD_OUTPUT)
        if vectorize:
            if strict:
                raise RuntimeError(
                    "torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are "
                    "not supported together. Please either set `strict=False` or "
                    "`vectorize=False`.")
        blocks = tuple(_jacobian_of_output(i, out, inputs, create_graph, strict, Tensor._stack)
                       for i, out in enumerate(outputs))
        blocks = _detached(blocks, create_graph)
        return _unpack(tuple(_unpack(row, inputs_tuple) for row in blocks), outputs_tuple)


def _jacobian_forward_mode(func: Callable, inputs: Any, strict: bool, vectorize: bool,
                           func_builds_graph: bool) -> Any:
    """``jacobian(..., strategy="forward-mode", vectorize=True)`` as PyTorch gives it.

    PyTorch runs ``func`` on the inputs themselves (made dual), under the caller's grad mode,
    and its result is a view of the tangents it batched: the input index first, split per
    input, permuted last and reshaped (``ReshapeAliasBackward0`` where the reshape can alias).
    A tangent requires grad when computing it touched something that does, so the Jacobian can
    be differentiated again. Here each output element takes a reverse pass with
    ``create_graph=True`` on views of the inputs that require grad (stand-in leaves for the
    others), then the same split, permute and reshape. What depends only on the stand-ins is
    detached (PyTorch's tangents never met them), unless ``func`` builds a graph of its own
    around its arguments, as a Hessian's inner Jacobian does on inputs it makes require grad.
    """
    from ..tensor import Tensor
    if strict:
        raise RuntimeError(
            'torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` '
            'are not supported together (yet). Please either set `strict=False` or '
            '`strategy="reverse-mode"`.')
    inputs_tuple, inputs = _tensors(inputs, "inputs", "jacobian")
    if not vectorize:
        # (PyTorch's message, its missing space included)
        raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse "
                                  "Hessian isonly implemented for `vectorize=True`.")
    recording = grad_mode.is_grad_enabled()
    with grad_mode.enable_grad():
        stand_ins = [t.detach().requires_grad_(True) for t in inputs]
        xs = tuple(t.view(tuple(t.shape)) if recording and t.requires_grad else s
                   for t, s in zip(inputs, stand_ins))
        # (PyTorch names neither the outputs nor the function here: "given to None")
        outputs_tuple, outputs = _tensors(func(*xs), "outputs", "None")
        sizes = [x.nelement() for x in xs]
        rows = []
        for out in outputs:
            n = out.nelement()
            # block k, column j: d out.flat[j] / d xs[k] (flattened)
            blocks: list[list] = [[] for _ in xs]
            for j in range(n):
                grads = _backward((out.reshape(-1)[j],), xs, retain_graph=True,
                                  create_graph=True)
                for block, g, x in zip(blocks, grads, xs):
                    block.append((_zeros_like(x) if g is None else g).reshape(-1))
            tangents = _one_above_another(
                [Tensor._stack(b, -1) if n else out.new_zeros((x.nelement(), 0))
                 for b, x in zip(blocks, xs)], out)
            tangents = tangents.view((sum(sizes),) + tuple(out.shape))
            rows.append([piece.permute(*range(1, piece.dim()), 0).reshape(
                tuple(out.shape) + tuple(x.shape))
                for piece, x in zip(tangents.split(sizes, 0), xs)])
    if not recording or not (func_builds_graph or _reaches_beyond(rows, stand_ins)):
        rows = [[block.detach() for block in row] for row in rows]
    # PyTorch's forward-mode path gives lists where the reverse-mode one gives tuples
    result: Any = rows if inputs_tuple else tuple(row[0] for row in rows)
    return result if outputs_tuple else result[0]


def _one_above_another(blocks: list, like: Any) -> Any:
    """The 2-d ``blocks`` joined along dim 0 (as one tensor they share a graph: PyTorch splits
    its Jacobian out of one batch of tangents), added into zeros through the tensor's own
    ``index_add`` (the engine's layer has no ``cat``)."""
    import numpy as np

    from ..tensor import _make
    if len(blocks) == 1:
        return blocks[0]
    total = like.new_zeros((sum(b.shape[0] for b in blocks), blocks[0].shape[1]))
    start = 0
    for b in blocks:
        rows = _make(np.arange(start, start + b.shape[0]), None)
        total = total.index_add(0, rows, b)
        start += b.shape[0]
    return total


def _reaches_beyond(rows: list, stand_ins: list) -> bool:
    """Whether the graph behind the blocks reaches a leaf that is not one of ``stand_ins``."""
    own = {id(s) for s in stand_ins}
    todo = [b.grad_fn for row in rows for b in row if b.grad_fn is not None]
    seen = {id(n) for n in todo}
    while todo:
        node = todo.pop()
        variable = getattr(node, "variable", None)
        if variable is not None and id(variable) not in own:
            return True
        for fn, _ in node.next_functions:
            if fn is not None and id(fn) not in seen:
                seen.add(id(fn))
                todo.append(fn)
    return False


def _jacobian_of_output(i: int, out: Any, inputs: tuple, create_graph: bool, strict: bool,
                        stack: Callable) -> tuple:
    """d out / d input for each input, one backward per element of ``out``."""
    rows: list = [[] for _ in inputs]  # rows[k][j]: d out.flat[j] / d inputs[k]
    for j in range(out.nelement()):
        grads = _backward((out.reshape(-1)[j],), inputs, retain_graph=True,
                          create_graph=create_graph)
        for k, (g, x) in enumerate(zip(grads, inputs)):
            if g is None:
                if strict:
                    raise RuntimeError(f"Output {i} of the user-provided function is independent "
                                       f"of input {k}. {_STRICT}")
                g = _zeros_like(x)
            elif strict and create_graph and not g.requires_grad:
                # PyTorch names the output's index here
                raise RuntimeError(_FIRST_ORDER_CONSTANT.format(i=i))
            rows[k].append(g)
    return tuple(stack(r, 0).view(tuple(out.size()) + tuple(x.size()))
                 for r, x in zip(rows, inputs))


def hessian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """The Hessian of a scalar function: the ``jacobian`` of its gradient.

    For a tuple of inputs the result is a tuple of tuples: entry ``[i][j]`` has shape
    ``in_i.shape + in_j.shape``.
    """
    inputs_tuple, inputs = _tensors(inputs, "inputs", "hessian")
    _check_strategy(outer_jacobian_strategy, hint=False)

    def scalar(*xs: Any) -> Any:
        return _scalar_output(func, xs, "hessian", strict).squeeze()

    def gradient(*xs: Any) -> tuple:
        g = jacobian(scalar, xs, create_graph=True)  # xs is a tuple: g is one too
        _strict_needs_grad(g, strict, _NO_GRAD_JACOBIAN)
        return g

    if outer_jacobian_strategy == "forward-mode" and not create_graph:
        # PyTorch makes the dual inputs require grad for the inner Jacobian: whatever the
        # inputs, the Hessian comes back attached to the graph that inner Jacobian built
        h = _jacobian_forward_mode(gradient, inputs, strict, vectorize, func_builds_graph=True)
    else:
        h = jacobian(gradient, inputs, create_graph=create_graph, strict=strict,
                     vectorize=vectorize, strategy=outer_jacobian_strategy)
    return h if inputs_tuple else h[0][0]
