"""``gradcheck`` / ``gradgradcheck``: compare backward's gradients with finite differences.

A port of PyTorch's slow (exact) backward-mode check, ``torch.autograd.gradcheck``: same
signature, defaults, order of checks, messages and return values.

For each input that requires grad and each of its elements, the element is moved by ``-eps``
and ``+eps`` (in place, without touching the version counter, as PyTorch does through
``.data``) and the central difference ``(f(x + eps) - f(x - eps)) / (2 eps)`` gives one row of
the numerical Jacobian. The analytical Jacobian is built one row of the output at a time with
``autograd.grad``. They must agree within ``atol + rtol * |numerical|``; then the backward must
be linear in the incoming gradient (zeros in, zeros out) and accept undefined gradients.

>>> import autograd_lab as torch
>>> x = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
>>> torch.autograd.gradcheck(lambda t: (t ** 3).sum(), (x,))
True

A wrong derivative fails with PyTorch's message::

    GradcheckError: Jacobian mismatch for output 0 with respect to input 0,
    numerical:tensor(...)
    analytical:tensor(...)

Not built (they raise NotImplementedError): ``fast_mode=True``, ``check_forward_ad=True``,
``check_batched_grad=True``, ``check_batched_forward_grad=True`` and, for gradgradcheck,
``check_fwd_over_rev=True``.
"""
from __future__ import annotations

import itertools
import warnings
from typing import Any, Callable

import numpy as np

from .node import Node

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Error raised by :func:`gradcheck` and :func:`gradgradcheck`."""


FAILED_NONDET_MSG = """

NOTE: If your op relies on non-deterministic operations i.e., it is listed here:
https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html
this failure might be expected.

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `nondet_tol=<tol>` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_nondet_tol=<tol>`.
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_nondet_tol=<tol>`
"""


def _is_tensor(x: Any) -> bool:
    from ..tensor import Tensor
    return isinstance(x, Tensor)


def _as_tuple(x: Any) -> tuple:
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _differentiable_outputs(x: Any) -> tuple:
    return tuple(o for o in _as_tuple(x) if o.requires_grad)


def _iter_tensors(x: Any, only_requiring_grad: bool = False):
    if _is_tensor(x):
        if x.requires_grad or not only_requiring_grad:
            yield x
    elif isinstance(x, (list, tuple)):
        for elem in x:
            yield from _iter_tensors(elem, only_requiring_grad)


def _is_float_tensor(x: Any) -> bool:
    return _is_tensor(x) and x.is_floating_point()


def _tensor(array: np.ndarray) -> Any:
    from ..tensor import _make
    return _make(array, None)


def _check_inputs(tupled_inputs: tuple) -> bool:
    any_input_requiring_grad = False
    for idx, inp in enumerate(tupled_inputs):
        if _is_tensor(inp) and inp.requires_grad:
            if inp._data.dtype != np.float64:
                warnings.warn(
                    f"Input #{idx} requires gradient and is not a double precision floating "
                    "point or complex. This check will likely fail if all the inputs are not of "
                    "double precision floating point or complex. ", stacklevel=4)
            data = inp._data
            if not all(st > 0 or sz <= 1 for st, sz in zip(data.strides, data.shape)):
                raise RuntimeError(
                    f"The {idx}th input has a dimension with stride 0. gradcheck only supports "
                    "inputs that are non-overlapping to be able to compute the numerical "
                    "gradients correctly. You should call .contiguous on the input before "
                    "passing it to gradcheck.")
            any_input_requiring_grad = True
    if not any_input_requiring_grad:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of them have requires_grad=True.")
    return True


# -- the numerical Jacobian ---------------------------------------------------------------------
def _check_outputs_same_dtype_and_shape(a: Any, b: Any, eps: float, idx: Any = None) -> None:
    on_index = f"on index {idx} " if idx is not None else ""
    if a.shape != b.shape:
        raise AssertionError(
            "Expected `func` to return outputs with the same shape when inputs are perturbed "
            f"{on_index}by {eps}, but got: shapes {a.shape} and {b.shape}.")
    if a.dtype != b.dtype:
        raise AssertionError(
            "Expected `func` to return outputs with the same dtype when inputs are perturbed "
            f"{on_index}by {eps}, but got: dtypes {a.dtype} and {b.dtype}.")


def _numerical_jacobian_wrt_input(fn: Callable, inputs: tuple, outputs: tuple, inp: Any,
                                  eps: float) -> tuple:
    """One (numel_input, numel_output) array per float output, for input ``inp``."""
    data = inp._data
    float_outputs = [o for o in outputs if _is_float_tensor(o)]
    jacobians = [np.zeros((data.size, o._data.size), dtype=o._data.dtype)
                 for o in float_outputs]

    def run() -> tuple:
        return tuple(a.clone() for a in _as_tuple(fn(*inputs)))

    for d_idx, x_idx in enumerate(itertools.product(*[range(m) for m in data.shape])):
        orig = data[x_idx].copy()
        data[x_idx] = orig - eps
        outa = run()
        data[x_idx] = orig + eps
        outb = run()
        data[x_idx] = orig
        column = []
        for a, b in zip(outa, outb):
            _check_outputs_same_dtype_and_shape(a, b, eps=eps, idx=x_idx)
            column.append(((b._data - a._data) / (2 * eps)).reshape(-1))
        for i, jacobian in enumerate(jacobians):
            jacobian[d_idx] = column[i]
    return tuple(jacobians)


def _get_numerical_jacobian(fn: Callable, inputs: tuple, outputs: tuple, eps: float) -> list:
    return [_numerical_jacobian_wrt_input(fn, inputs, outputs, inp, eps)
            for inp in inputs if _is_tensor(inp) and inp.requires_grad]


def _check_no_differentiable_outputs(func: Callable, inputs: tuple, func_out: tuple,
                                     eps: float) -> bool:
    for jacobians in _get_numerical_jacobian(func, inputs, func_out, eps):
        for jacobian in jacobians:
            if np.count_nonzero(jacobian) > 0:
                raise GradcheckError("Numerical gradient for function expected to be zero")
    return True


# -- the analytical Jacobian --------------------------------------------------------------------
def _analytical_rows(output: Any, diff_inputs: list) -> list:
    """For each input, the gradients of each element of ``output`` (one autograd.grad each)."""
    from .api import grad
    flat = np.zeros(output._data.size, dtype=output._data.dtype)
    rows: list = [[] for _ in diff_inputs]
    for j in range(flat.size):
        flat[:] = 0
        flat[j] = 1
        grad_out = _tensor(flat.reshape(output._data.shape).copy())
        grads = grad(output, diff_inputs, grad_out, retain_graph=True, allow_unused=True)
        for i, d_x in enumerate(grads):
            rows[i].append(None if d_x is None else d_x._data.copy())
    return rows


def _stack(rows: list, diff_inputs: list, numel_output: int) -> tuple:
    jacobians = []
    sizes_ok = types_ok = True
    for inp, row in zip(diff_inputs, rows):
        jacobian = np.zeros((inp._data.size, numel_output), dtype=inp._data.dtype)
        for j, g in enumerate(row):
            if g is not None and g.shape != inp._data.shape:
                sizes_ok = False
            elif g is not None and g.dtype != inp._data.dtype:
                types_ok = False
            if g is not None:
                jacobian[:, j] = g.reshape(-1)
        jacobians.append(jacobian)
    return jacobians, sizes_ok, types_ok


def _check_analytical_jacobian_attributes(inputs: tuple, output: Any, nondet_tol: float,
                                          check_grad_dtypes: bool) -> list:
    diff_inputs = [t for t in _iter_tensors(inputs, True) if t.is_floating_point()]
    numel = output._data.size
    # PyTorch's own variable names are swapped here (it reads sizes as types): kept, as its
    # messages then follow
    jacobians1, types_ok, sizes_ok = _stack(_analytical_rows(output, diff_inputs), diff_inputs,
                                            numel)
    jacobians2, _, _ = _stack(_analytical_rows(output, diff_inputs), diff_inputs, numel)
    reentrant = all(j1.size == 0 or np.abs(j1 - j2).max() <= nondet_tol
                    for j1, j2 in zip(jacobians1, jacobians2))
    if not types_ok and check_grad_dtypes:
        raise GradcheckError("Gradient has dtype mismatch")
    if not sizes_ok:
        raise GradcheckError("Analytical gradient has incorrect size")
    if not reentrant:
        raise GradcheckError(
            "Backward is not reentrant, i.e., running backward with same input and grad_output "
            "multiple times gives different values, although analytical gradient matches "
            f"numerical gradient.The tolerance for nondeterminism was {nondet_tol}."
            + FAILED_NONDET_MSG)
    return jacobians1


def _allclose(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    dtype = np.promote_types(a.dtype, b.dtype)
    a, b = a.astype(dtype), b.astype(dtype)
    return bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


def _notallclose_msg(analytical: np.ndarray, numerical: np.ndarray, output_idx: int,
                     input_idx: int) -> str:
    return (f"Jacobian mismatch for output {output_idx:d} with respect to input "
            f"{input_idx:d},\nnumerical:{_tensor(numerical)!r}\n"
            f"analytical:{_tensor(analytical)!r}\n")


def _slow_gradcheck(func: Callable, func_out: Any, tupled_inputs: tuple, outputs: tuple,
                    eps: float, rtol: float, atol: float, check_grad_dtypes: bool,
                    nondet_tol: float) -> bool:
    func_out = _as_tuple(func_out)
    if not outputs:
        return _check_no_differentiable_outputs(func, tupled_inputs, func_out, eps)
    per_input = _get_numerical_jacobian(func, tupled_inputs, func_out, eps)
    numerical = list(zip(*per_input))
    numerical = [nj for o, nj in zip(func_out, numerical) if o.requires_grad]
    for i, o in enumerate(outputs):
        analytical = _check_analytical_jacobian_attributes(tupled_inputs, o, nondet_tol,
                                                           check_grad_dtypes)
        for j, (a, n) in enumerate(zip(analytical, numerical[i])):
            if not _allclose(a, n, rtol, atol):
                raise GradcheckError(_notallclose_msg(a, n, i, j))
    return True


# -- the checks after the Jacobians -------------------------------------------------------------
def _test_backward_mul_by_grad_output(outputs: tuple, inputs: tuple) -> bool:
    from ..factories import zeros_like
    from .api import grad
    diff_inputs = list(_iter_tensors(inputs, True))
    if not diff_inputs:
        raise GradcheckError("no Tensors requiring grad found in input")
    grads_input = grad(outputs, diff_inputs, [zeros_like(o) for o in outputs], allow_unused=True)
    for gi, di in zip(grads_input, diff_inputs):
        if gi is None:
            continue
        if not (gi._data == 0).all():
            raise GradcheckError("backward not multiplied by grad_output")
        if gi.dtype is not di.dtype:
            raise GradcheckError("grad is incorrect type")
        if gi._data.shape != di._data.shape:
            raise GradcheckError("grad is incorrect size")
    return True


class UndefinedGradBackward(Node):
    """Passes on an undefined (None) gradient, whatever it receives (PyTorch's UndefinedGrad)."""

    __slots__ = ()

    def apply(self, grad: Any) -> tuple:
        return (None,)


def _undefined_grad(t: Any) -> Any:
    from ..tensor import _make
    from . import grad_mode
    if not (grad_mode.state.enabled and t.requires_grad):
        return t
    return _make(t._data, UndefinedGradBackward((t,)))


def _test_undefined_backward_mode(func: Callable, outputs: tuple, inputs: tuple) -> bool:
    from ..factories import zeros_like
    from .api import grad
    diff_inputs = list(_iter_tensors(inputs, True))
    if not diff_inputs:
        raise GradcheckError("no Tensors requiring grad found in input")

    def warn_bc_breaking() -> None:
        warnings.warn(
            "Backwards compatibility: New undefined gradient support checking feature is "
            "enabled by default, but it may break existing callers of this function. If this is "
            'true for you, you can call this function with "check_undefined_grad=False" to '
            "disable the feature", stacklevel=2)

    def check_undefined_grad_support(output_to_check: list) -> bool:
        grads_output = [zeros_like(o) for o in output_to_check]
        try:
            grads_input = grad(output_to_check, diff_inputs, grads_output, allow_unused=True)
        except RuntimeError as e:
            warn_bc_breaking()
            raise GradcheckError(
                "Expected backward function to handle undefined output grads. Please look at "
                '"Notes about undefined output gradients" in "tools/autograd/derivatives.yaml"'
            ) from e
        for gi in grads_input:
            if gi is not None and not (gi._data == 0).all():
                warn_bc_breaking()
                raise GradcheckError(
                    "Expected all input grads to be undefined or zero when all output grads are "
                    'undefined or zero. Please look at "Notes about undefined output gradients" '
                    'in "tools/autograd/derivatives.yaml"')
        return True

    outputs_to_check = [[_undefined_grad(o) for o in _differentiable_outputs(func(*inputs))
                         if _is_tensor(o)]]
    if len(outputs_to_check[0]) > 1:
        for undef_grad_idx in range(len(outputs)):
            output_to_check = _differentiable_outputs(func(*inputs))
            outputs_to_check.append([_undefined_grad(o) if idx == undef_grad_idx else o
                                     for idx, o in enumerate(output_to_check)])
    return all(check_undefined_grad_support(output) for output in outputs_to_check)


# -- the public functions -----------------------------------------------------------------------
def gradcheck(func: Callable[..., Any], inputs: Any, *, eps: float = 1e-06,
              atol: float = 1e-05, rtol: float = 0.001, raise_exception: bool = True,
              nondet_tol: float = 0.0, check_undefined_grad: bool = True,
              check_grad_dtypes: bool = False, check_batched_grad: bool = False,
              check_batched_forward_grad: bool = False, check_forward_ad: bool = False,
              check_backward_ad: bool = True, fast_mode: bool = False,
              masked: bool | None = None) -> bool:
    """Check the gradients of ``func`` at ``inputs`` against central finite differences.

    Returns True, or raises ``GradcheckError`` (returns False if ``raise_exception=False``).
    Use float64 inputs: the default tolerances are meant for double precision.
    """
    if not (check_forward_ad or check_backward_ad):
        raise AssertionError("Expected at least one of check_forward_ad or check_backward_ad to "
                             "be True")
    if check_batched_grad and not check_backward_ad:
        raise AssertionError("Setting check_batched_grad=True requires check_backward_ad to be "
                             "True")
    if check_batched_forward_grad and not check_forward_ad:
        raise AssertionError("Setting check_batched_forward_grad=True requires check_forward_ad "
                             "to be True")
    for flag, name in ((fast_mode, "fast_mode"), (check_forward_ad, "check_forward_ad"),
                       (check_batched_grad, "check_batched_grad")):
        if flag:
            raise NotImplementedError(f"gradcheck({name}=True) is not supported by autograd_lab "
                                      "(no forward-mode AD or vmap); use the default slow, "
                                      "backward-mode check")
    try:
        return _gradcheck_helper(func, inputs, eps, atol, rtol, nondet_tol,
                                 check_undefined_grad, check_grad_dtypes)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def _gradcheck_helper(func: Callable, inputs: Any, eps: float, atol: float, rtol: float,
                      nondet_tol: float, check_undefined_grad: bool,
                      check_grad_dtypes: bool) -> bool:
    tupled_inputs = _as_tuple(inputs)
    _check_inputs(tupled_inputs)
    func_out = func(*tupled_inputs)
    outputs = _differentiable_outputs(func_out)
    _slow_gradcheck(func, func_out, tupled_inputs, outputs, eps, rtol, atol, check_grad_dtypes,
                    nondet_tol)
    _test_backward_mul_by_grad_output(outputs, tupled_inputs)
    if check_undefined_grad:
        _test_undefined_backward_mode(func, outputs, tupled_inputs)
    return True


def gradgradcheck(func: Callable[..., Any], inputs: Any, grad_outputs: Any = None, *,
                  eps: float = 1e-06, atol: float = 1e-05, rtol: float = 0.001,
                  gen_non_contig_grad_outputs: bool = False, raise_exception: bool = True,
                  nondet_tol: float = 0.0, check_undefined_grad: bool = True,
                  check_grad_dtypes: bool = False, check_batched_grad: bool = False,
                  check_fwd_over_rev: bool = False, check_rev_over_rev: bool = True,
                  fast_mode: bool = False, masked: bool = False) -> bool:
    """Check second derivatives: gradcheck of the function ``(inputs, grad_outputs) ->
    autograd.grad(func(inputs), inputs, grad_outputs, create_graph=True)``.

    Without ``grad_outputs``, random ones are drawn in [-1, 1) from the global generator, as
    PyTorch's ``torch.testing.make_tensor`` does (same numbers after the same ``manual_seed``).
    """
    from ..factories import empty
    from .api import grad
    if not (check_fwd_over_rev or check_rev_over_rev):
        raise AssertionError("Expected at least one of check_fwd_over_rev or check_rev_over_rev "
                             "to be True")
    if check_undefined_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_undefined_grad=True requires check_rev_over_rev to "
                             "be True")
    if check_batched_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_batched_grad=True requires check_rev_over_rev to be "
                             "True")
    if gen_non_contig_grad_outputs:
        raise NotImplementedError("gradgradcheck(gen_non_contig_grad_outputs=True) is not "
                                  "supported by autograd_lab")
    tupled_inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outputs = _differentiable_outputs(func(*tupled_inputs))
        tupled_grad_outputs = tuple(
            empty(tuple(x.shape), dtype=x.dtype).uniform_(-1, 1).requires_grad_()
            for x in outputs)
    else:
        tupled_grad_outputs = _as_tuple(grad_outputs)
    num_outputs = len(tupled_grad_outputs)
    diff_input_args_indices = {i for i, x in enumerate(tupled_inputs)
                               if _is_tensor(x) and x.requires_grad}
    diff_grad_output_indices = {i for i, x in enumerate(tupled_grad_outputs) if x.requires_grad}

    def new_func(*args: Any) -> tuple:
        input_args = tuple(x.requires_grad_() if i in diff_input_args_indices else x
                           for i, x in enumerate(args[:-num_outputs]))
        outputs = _differentiable_outputs(func(*input_args))
        grad_outputs = tuple(x.requires_grad_() if i in diff_grad_output_indices else x
                             for i, x in enumerate(args[-num_outputs:]))
        diff_input_args = tuple(x for i, x in enumerate(input_args)
                                if i in diff_input_args_indices)
        grad_inputs = grad(outputs, diff_input_args, grad_outputs, create_graph=True,
                           allow_unused=True)
        return tuple(g for g in grad_inputs if g is not None)

    return gradcheck(new_func, tupled_inputs + tupled_grad_outputs, eps=eps, atol=atol,
                     rtol=rtol, raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad,
                     check_grad_dtypes=check_grad_dtypes, check_batched_grad=check_batched_grad,
                     fast_mode=fast_mode, check_forward_ad=check_fwd_over_rev,
                     check_backward_ad=check_rev_over_rev, masked=masked)
