"""``gradcheck`` / ``gradgradcheck``: test a backward against finite differences.

Same public API, defaults, results and messages as ``torch.autograd.gradcheck`` in its exact
("slow"), backward-mode form. A check runs in four steps:

1. the inputs are validated (float64 is advised, no stride-0 dimensions);
2. the numerical Jacobian is measured by central differences, one input element at a time;
3. for every differentiable output, the analytical Jacobian is built twice, one row per output
   element with ``autograd.grad``, and compared with the numerical one;
4. the backward is probed with all-zero incoming gradients (it must return zeros) and with
   undefined ones (it must cope).

>>> import autograd_lab as torch
>>> x = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
>>> torch.autograd.gradcheck(lambda t: (t ** 3).sum(), (x,))
True

Not built (they raise NotImplementedError): ``fast_mode=True``, ``check_forward_ad=True``,
``check_batched_grad=True`` and, for gradgradcheck, ``check_fwd_over_rev=True``.
"""
from __future__ import annotations

import itertools
import warnings
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from .explanation import Explanation, both
from .node import Node

if TYPE_CHECKING:
    from ..tensor import Tensor

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised when gradcheck or gradgradcheck finds a wrong gradient."""


# Appended to the "not reentrant" error (text as PyTorch shows it).
_NONDETERMINISM_NOTE = """

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

_UNDEFINED_GRAD_HINT = 'Please look at "Notes about undefined output gradients" in ' \
                       '"tools/autograd/derivatives.yaml"'


def _Tensor() -> type[Tensor]:
    from ..tensor import Tensor
    return Tensor


def _wrap(array: np.ndarray) -> Any:
    from ..tensor import _make
    return _make(array, None)


def _tuple(x: Any) -> tuple:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _needing_grad(outputs: Any) -> tuple:
    return tuple(o for o in _tuple(outputs) if o.requires_grad)


def _grad_leaves(obj: Any) -> list:
    """Tensors requiring grad in ``obj``, looking inside nested lists and tuples."""
    if isinstance(obj, _Tensor()):
        return [obj] if obj.requires_grad else []
    if isinstance(obj, (list, tuple)):
        return [t for item in obj for t in _grad_leaves(item)]
    return []


# == step 1: the inputs =========================================================================
def _validate_inputs(inputs: tuple) -> None:
    found = False
    for position, x in enumerate(inputs):
        if not (isinstance(x, _Tensor()) and x.requires_grad):
            continue
        found = True
        if x._data.dtype != np.float64:
            warnings.warn(
                f"Input #{position} requires gradient and is not a double precision floating "
                "point or complex. This check will likely fail if all the inputs are not of "
                "double precision floating point or complex. ", stacklevel=4)
        # A broadcast (stride-0) dimension makes one memory cell several elements: nudging it
        # would move them all at once and the differences would be wrong.
        if any(step == 0 and size > 1 for step, size in zip(x._data.strides, x._data.shape)):
            raise RuntimeError(
                f"The {position}th input has a dimension with stride 0. gradcheck only supports "
                "inputs that are non-overlapping to be able to compute the numerical "
                "gradients correctly. You should call .contiguous on the input before "
                "passing it to gradcheck.")
    if not found:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of them have requires_grad=True.")


# == step 2: the numerical Jacobian =============================================================
def _same_kind(low: Any, high: Any, eps: float, where: tuple) -> None:
    for what, a, b in (("shape", low.shape, high.shape), ("dtype", low.dtype, high.dtype)):
        if a != b:
            raise AssertionError(
                f"Expected `func` to return outputs with the same {what} when inputs are "
                f"perturbed on index {where} by {eps}, but got: {what}s {a} and {b}.")


def _nudged_outputs(func: Callable, inputs: tuple, cells: np.ndarray, where: tuple,
                    value: Any) -> tuple:
    cells[where] = value
    # copies: an output may share memory with the input being nudged
    return tuple(o.detach().clone() for o in _tuple(func(*inputs)))


def _numerical_jacobians(func: Callable, inputs: tuple, outputs: tuple, eps: float) -> list:
    """``result[k][m]``: d(float output m) / d(k-th top-level input requiring grad), shaped
    (input numel, output numel), by central differences ``(f(x+eps) - f(x-eps)) / 2eps``.

    The input's storage is written in place (not through autograd, so no version bump) and
    restored after each element.
    """
    float_outputs = [o for o in outputs if isinstance(o, _Tensor()) and o.is_floating_point()]
    result = []
    for x in inputs:
        if not (isinstance(x, _Tensor()) and x.requires_grad):
            continue
        cells = x._data
        jacobians = [np.zeros((cells.size, o._data.size), o._data.dtype) for o in float_outputs]
        for row, where in enumerate(itertools.product(*map(range, cells.shape))):
            saved = cells[where].copy()
            low = _nudged_outputs(func, inputs, cells, where, saved - eps)
            high = _nudged_outputs(func, inputs, cells, where, saved + eps)
            cells[where] = saved
            for a, b in zip(low, high):
                _same_kind(a, b, eps, where)
            # as in PyTorch, the k-th float output's Jacobian takes the k-th output's column
            for jacobian, a, b in zip(jacobians, low, high):
                jacobian[row] = ((b._data - a._data) / (2 * eps)).reshape(-1)
        result.append(jacobians)
    return result


# == step 3: the analytical Jacobian and the comparison =========================================
def _backward_rows(output: Any, wrt: list) -> list:
    """``rows[k][j]``: gradient reaching ``wrt[k]`` from a one-hot gradient on element j."""
    from .api import grad
    rows: list = [[] for _ in wrt]
    for j in range(output._data.size):
        one_hot = np.zeros(output._data.size, output._data.dtype)
        one_hot[j] = 1
        grads = grad(output, wrt, _wrap(one_hot.reshape(output._data.shape)),
                     retain_graph=True, allow_unused=True)
        for k, g in enumerate(grads):
            rows[k].append(None if g is None else g._data.copy())
    return rows


def _analytical_jacobians(output: Any, wrt: list, nondet_tol: float,
                          check_grad_dtypes: bool) -> list:
    """Jacobians of ``output`` w.r.t. each of ``wrt``, (input numel, output numel) each.

    Built twice: a backward that gives different answers for the same question is reported.
    """
    builds, bad_shape, bad_dtype = [], False, False
    for _ in range(2):
        mats = []
        for x, rows in zip(wrt, _backward_rows(output, wrt)):
            mat = np.zeros((x._data.size, output._data.size), x._data.dtype)
            for j, g in enumerate(rows):
                if g is None:
                    continue
                if g.shape != x._data.shape:
                    bad_shape = True
                elif g.dtype != x._data.dtype:
                    bad_dtype = True
                mat[:, j] = g.reshape(-1)
            mats.append(mat)
        builds.append(mats)
    first, second = builds
    # PyTorch reports these two crossed over: a gradient of the wrong shape gives the dtype
    # message (only with check_grad_dtypes), one of the wrong dtype the size message.
    if bad_shape and check_grad_dtypes:
        raise GradcheckError("Gradient has dtype mismatch")
    if bad_dtype:
        raise GradcheckError("Analytical gradient has incorrect size")
    if any(a.size and np.abs(a - b).max() > nondet_tol for a, b in zip(first, second)):
        raise GradcheckError(
            "Backward is not reentrant, i.e., running backward with same input and grad_output "
            "multiple times gives different values, although analytical gradient matches "
            f"numerical gradient.The tolerance for nondeterminism was {nondet_tol}."
            + _NONDETERMINISM_NOTE)
    return first


def _compare_jacobians(func: Callable, inputs: tuple, all_outputs: tuple, diff_outputs: tuple,
                       eps: float, rtol: float, atol: float, nondet_tol: float,
                       check_grad_dtypes: bool) -> None:
    numerical = _numerical_jacobians(func, inputs, all_outputs, eps)
    if not diff_outputs:
        # nothing to backward through: then nothing may change either
        if any(np.count_nonzero(j) for per_input in numerical for j in per_input):
            raise GradcheckError("Numerical gradient for function expected to be zero")
        return
    # per output, keeping the outputs that require grad
    by_output = [column for o, column in zip(all_outputs, zip(*numerical)) if o.requires_grad]
    wrt = _grad_leaves(inputs)
    for out_idx, output in enumerate(diff_outputs):
        analytical = _analytical_jacobians(output, wrt, nondet_tol, check_grad_dtypes)
        for in_idx, (a, n) in enumerate(zip(analytical, by_output[out_idx])):
            kind = np.promote_types(a.dtype, n.dtype)
            if not np.allclose(a.astype(kind), n.astype(kind), rtol=rtol, atol=atol):
                raise GradcheckError(
                    f"Jacobian mismatch for output {out_idx} with respect to input {in_idx},\n"
                    f"numerical:{_wrap(n)!r}\nanalytical:{_wrap(a)!r}\n")


# == step 4: zero and undefined incoming gradients ==============================================
def _check_zero_grad_outputs(outputs: tuple, wrt: list) -> None:
    """Backward must be linear in the incoming gradient: zeros in, zeros out."""
    from .api import grad
    grads = grad(outputs, wrt, [o._zeros_like() for o in outputs], allow_unused=True)
    for g, x in zip(grads, wrt):
        if g is None:
            continue
        if (g._data != 0).any():
            raise GradcheckError("backward not multiplied by grad_output")
        if g.dtype is not x.dtype:
            raise GradcheckError("grad is incorrect type")
        if g._data.shape != x._data.shape:
            raise GradcheckError("grad is incorrect size")


class UndefinedGradBackward(Node):
    """Sends an undefined (None) gradient on, whatever it receives."""

    __slots__ = ()
    explanation = Explanation(
        "{z} = {0}", ("None",),
        both("gradcheck's test node: it sends an undefined gradient (None) on, whatever it "
             "gets, to check that a backward copes with one.",
             "gradcheck 的测试节点：无论收到什么，它都向下传一个未定义的梯度（None），"
             "用来检查 backward 能否处理这种情况。"))

    def apply(self, *grads: Any) -> tuple:
        return (None,)


def _undefined(t: Any) -> Any:
    """``t`` behind an UndefinedGradBackward node (``t`` itself when no graph is recorded)."""
    from ..tensor import _make
    from . import grad_mode
    if grad_mode.is_grad_enabled() and t.requires_grad:
        return _make(t._data, UndefinedGradBackward((t,)))
    return t


def _check_undefined_grads(func: Callable, inputs: tuple, n_outputs: int, wrt: list) -> None:
    """Backward must accept undefined gradients: for all outputs at once and, when there are
    several, for each output alone. Every input gradient must then be undefined or zero."""
    from .api import grad
    fresh = [o for o in _needing_grad(func(*inputs)) if isinstance(o, _Tensor())]
    cases = [[_undefined(o) for o in fresh]]
    if len(fresh) > 1:
        for blank in range(n_outputs):
            cases.append([_undefined(o) if k == blank else o
                          for k, o in enumerate(_needing_grad(func(*inputs)))])

    def failure(message: str) -> GradcheckError:
        warnings.warn(
            "Backwards compatibility: New undefined gradient support checking feature is "
            "enabled by default, but it may break existing callers of this function. If this is "
            'true for you, you can call this function with "check_undefined_grad=False" to '
            "disable the feature", stacklevel=3)
        return GradcheckError(message)

    for outputs in cases:
        try:
            grads = grad(outputs, wrt, [o._zeros_like() for o in outputs], allow_unused=True)
        except RuntimeError as e:
            raise failure("Expected backward function to handle undefined output grads. "
                          + _UNDEFINED_GRAD_HINT) from e
        if any(g is not None and (g._data != 0).any() for g in grads):
            raise failure("Expected all input grads to be undefined or zero when all output "
                          "grads are undefined or zero. " + _UNDEFINED_GRAD_HINT)


# == the public functions =======================================================================
def _run_checks(func: Callable, inputs: Any, eps: float, atol: float, rtol: float,
                nondet_tol: float, check_undefined_grad: bool, check_grad_dtypes: bool) -> None:
    inputs = _tuple(inputs)
    _validate_inputs(inputs)
    all_outputs = func(*inputs)
    diff_outputs = _needing_grad(all_outputs)
    _compare_jacobians(func, inputs, _tuple(all_outputs), diff_outputs, eps, rtol, atol,
                       nondet_tol, check_grad_dtypes)
    wrt = _grad_leaves(inputs)
    if not wrt:
        raise GradcheckError("no Tensors requiring grad found in input")
    _check_zero_grad_outputs(diff_outputs, wrt)
    if check_undefined_grad:
        _check_undefined_grads(func, inputs, len(diff_outputs), wrt)


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
    for wanted, name in ((fast_mode, "fast_mode"), (check_forward_ad, "check_forward_ad"),
                         (check_batched_grad, "check_batched_grad")):
        if wanted:
            raise NotImplementedError(f"gradcheck({name}=True) is not supported by autograd_lab "
                                      "(no forward-mode AD or vmap); use the default slow, "
                                      "backward-mode check")
    try:
        _run_checks(func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad,
                    check_grad_dtypes)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def gradgradcheck(func: Callable[..., Any], inputs: Any, grad_outputs: Any = None, *,
                  eps: float = 1e-06, atol: float = 1e-05, rtol: float = 0.001,
                  gen_non_contig_grad_outputs: bool = False, raise_exception: bool = True,
                  nondet_tol: float = 0.0, check_undefined_grad: bool = True,
                  check_grad_dtypes: bool = False, check_batched_grad: bool = False,
                  check_fwd_over_rev: bool = False, check_rev_over_rev: bool = True,
                  fast_mode: bool = False, masked: bool = False) -> bool:
    """Check second derivatives: gradcheck of ``(inputs, grad_outputs) ->
    autograd.grad(func(inputs), inputs, grad_outputs, create_graph=True)``.

    Without ``grad_outputs``, random ones are drawn in [-1, 1) from the global generator, as
    PyTorch's ``torch.testing.make_tensor`` does (same numbers after the same ``manual_seed``).
    """
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
    inputs = _tuple(inputs)
    if grad_outputs is None:
        grad_outputs = tuple(o.new_empty(tuple(o.shape)).uniform_(-1, 1)
                             .requires_grad_() for o in _needing_grad(func(*inputs)))
    grad_outputs = _tuple(grad_outputs)
    n = len(grad_outputs)

    def first_derivative(*args: Any) -> tuple:
        xs, vs = args[:-n], args[-n:]
        wrt = [x for x in xs if isinstance(x, _Tensor()) and x.requires_grad]
        grads = grad(_needing_grad(func(*xs)), wrt, vs, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivative, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad,
                     check_grad_dtypes=check_grad_dtypes, check_batched_grad=check_batched_grad,
                     fast_mode=fast_mode, check_forward_ad=check_fwd_over_rev,
                     check_backward_ad=check_rev_over_rev, masked=masked)
