"""F.layer_norm and nn.LayerNorm against PyTorch: outputs over one and several normalized
dims, with and without weight and bias, float64; NativeLayerNormBackward0 with its saved
values (input, normalized_shape, weight, bias, result1 = mean, result2 = rstd) and its edges;
gradients of input, weight and bias and second derivatives; the module's printed form,
parameters, state_dict, train/eval sameness; errors word for word; and finite differences.
"""
import pytest

import autograd_lab as lab

from gradcheck_support import check_gradient, check_second_derivative, rand
from oracle import assert_same_error, assert_same_outcome


def same(program, **tolerances):
    """assert_same_outcome for a program that must run without error."""
    out = assert_same_outcome(program, **tolerances)
    assert out.error is None, out.error
    return out


def test_values_saved_fields_and_gradients():
    def program(torch):
        F = torch.nn.functional
        torch.manual_seed(0)
        x = (torch.randn(2, 3, 4) * 3 + 1).requires_grad_()
        w = torch.randn(4, requires_grad=True)
        b = torch.randn(4, requires_grad=True)
        y = F.layer_norm(x, (4,), w, b)
        node = y.grad_fn
        saved = (sorted(a for a in dir(node) if a.startswith("_saved_")),
                 node._saved_normalized_shape, node._saved_input is x,
                 node._saved_weight is w, node._saved_bias is b, node._saved_result1,
                 node._saved_result2, [n for n, _ in node.next_functions])
        (y ** 3 * torch.arange(24.0).reshape(2, 3, 4)).sum().backward()
        return y, saved, x.grad, w.grad, b.grad
    same(program, rtol=1e-4, atol=1e-5)


def test_several_dims_and_missing_weight_or_bias():
    def program(torch):
        F = torch.nn.functional
        torch.manual_seed(0)
        x = torch.randn(2, 3, 4, requires_grad=True)
        w = torch.randn(3, 4, requires_grad=True)
        b = torch.randn(4, requires_grad=True)
        both_dims = F.layer_norm(x, [3, 4], w)
        plain = F.layer_norm(x, torch.Size([4]))
        bias_only = F.layer_norm(x, (4,), None, b, eps=0.1)
        all_dims = F.layer_norm(x, (2, 3, 4))
        edges = [[(n is None, nr) for n, nr in y.grad_fn.next_functions]
                 for y in (both_dims, plain, bias_only, all_dims)]
        saved = (both_dims.grad_fn._saved_bias, plain.grad_fn._saved_weight,
                 both_dims.grad_fn._saved_result1.shape, all_dims.grad_fn._saved_result2.shape,
                 both_dims.grad_fn._saved_normalized_shape)
        (both_dims.sum() + (plain * bias_only).sum() + all_dims[0, 0, 0]).backward()
        constant = F.layer_norm(torch.randn(2, 4), (4,), w[0], b)
        no_grad_input = F.layer_norm(torch.randn(3, 4), (4,))
        top_level = torch.layer_norm(x, [4], None, b, 1e-3, False)
        return (top_level, both_dims, plain, bias_only, all_dims, edges, saved, x.grad, w.grad, b.grad,
                [(n is None) for n, _ in constant.grad_fn.next_functions], no_grad_input)
    same(program, rtol=1e-4, atol=1e-5)


def test_float64():
    def program(torch):
        F = torch.nn.functional
        x = torch.arange(8.0, dtype=torch.float64).reshape(2, 4).requires_grad_()
        w = torch.tensor([1.0, 2.0, 0.5, -1.0], dtype=torch.float64, requires_grad=True)
        y = F.layer_norm(x, (4,), w, None, 1e-3)
        rstd = y.grad_fn._saved_result2
        y.pow(2).sum().backward()
        return y, x.grad, w.grad, rstd
    same(program, rtol=1e-12, atol=1e-12)


def test_second_derivatives():
    def program(torch):
        F = torch.nn.functional
        torch.manual_seed(0)
        x = torch.randn(3, 5, requires_grad=True)
        w = torch.randn(5, requires_grad=True)
        b = torch.randn(5, requires_grad=True)
        gx, gw, gb = torch.autograd.grad((F.layer_norm(x, (5,), w, b) ** 3).sum(), (x, w, b),
                                         create_graph=True)
        second = torch.autograd.grad((gx ** 2).sum() + (gw * gb).sum(), (x, w, b))
        return gx.detach(), gw.detach(), gb.detach(), second
    same(program, rtol=1e-4, atol=1e-4)


def test_module():
    def program(torch):
        torch.manual_seed(0)
        ln = torch.nn.LayerNorm(32)
        x = torch.randn(4, 8, 32)
        y = ln(x)
        ln.eval()
        same_in_eval = torch.equal(ln(x), y)
        (y * torch.arange(32.0)).sum().backward()
        other = torch.nn.LayerNorm((3, 4), eps=1e-3, elementwise_affine=False)
        no_bias = torch.nn.LayerNorm([4], bias=False)
        return (repr(ln), ln.normalized_shape, ln.eps, ln.elementwise_affine,
                [n for n, _ in ln.named_parameters()], list(ln.state_dict()),
                ln.weight, ln.bias, y, same_in_eval, ln.weight.grad, ln.bias.grad,
                repr(other), list(other.state_dict()), other.weight, other(torch.ones(2, 3, 4)),
                repr(no_bias), no_bias.bias, list(no_bias.state_dict()),
                repr(torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.LayerNorm(4))),
                torch.nn.LayerNorm(3, dtype=torch.float64).weight.dtype)
    same(program, rtol=1e-4, atol=1e-5)


def test_module_load_state_dict():
    def program(torch):
        ln = torch.nn.LayerNorm(3)
        ln.load_state_dict({"weight": torch.tensor([1.0, 2.0, 3.0]),
                            "bias": torch.tensor([0.5, 0.0, -0.5])})
        return ln(torch.tensor([[1.0, 2.0, 4.0]]))
    same(program)


@pytest.mark.parametrize("program", [
    lambda torch: torch.nn.LayerNorm(32)(torch.randn(2, 5)),
    lambda torch: torch.nn.functional.layer_norm(torch.randn(2, 3, 4), (3,)),
    lambda torch: torch.nn.functional.layer_norm(torch.randn(2, 3, 4), (2, 3, 4, 5)),
    lambda torch: torch.nn.functional.layer_norm(torch.randn(2, 3, 4), (1, 4)),
    lambda torch: torch.nn.functional.layer_norm(torch.randn(2, 3, 4), ()),
    lambda torch: torch.nn.functional.layer_norm(torch.randn(2, 4), 4),
    lambda torch: torch.nn.functional.layer_norm(torch.randn(2, 4), (4,), torch.ones(3)),
    lambda torch: torch.nn.functional.layer_norm(torch.randn(2, 4), (4,), None, torch.ones(2, 2)),
    lambda torch: torch.nn.functional.layer_norm(torch.randn(2, 4), (5,), torch.ones(3)),
    lambda torch: torch.nn.functional.layer_norm(torch.arange(8).reshape(2, 4), (4,)),
    lambda torch: torch.nn.functional.layer_norm(torch.randn(2, 4, dtype=torch.float64), (4,),
                                                 torch.ones(4)),
    lambda torch: torch.nn.LayerNorm((3, 4))(torch.randn(3, 4, 3)),
], ids=["module_wrong_features", "wrong_last_dim", "longer_than_input", "wrong_leading",
        "empty_shape", "int_shape", "weight_shape", "bias_shape", "weight_checked_first",
        "integer_input", "mixed_dtypes", "module_two_dims"])
def test_errors(program):
    assert_same_error(program)


def test_finite_differences():
    F = lab.nn.functional
    w, b = rand(4, seed=1), rand(4, seed=2)
    check_gradient("layer_norm", lambda x, w, b: F.layer_norm(x, (4,), w, b),
                   (rand(3, 4), w, b))
    check_gradient("layer_norm (2 dims, no affine)", lambda x: F.layer_norm(x, (2, 3)),
                   (rand(2, 2, 3),))
    check_second_derivative("layer_norm", lambda x, w, b: F.layer_norm(x, (4,), w, b) ** 2,
                            (rand(2, 4), w, b))
    check_second_derivative("layer_norm (2 dims)",
                            lambda x: F.layer_norm(x, (2, 3), None, None, 0.1) ** 3,
                            (rand(2, 2, 3),))


def test_saved_tensor_hooks_see_what_pytorch_saves():
    def program(torch):
        packed = []

        def pack(t):
            packed.append(tuple(t.shape))
            return t
        x = torch.randn(2, 3, requires_grad=True)
        w = torch.ones(3, requires_grad=True)
        with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            y = torch.nn.functional.layer_norm(x, (3,), w, torch.zeros(3))
            t = torch.tril(x * 1)
        y.sum().backward()
        return sorted(packed), x.grad, t.grad_fn._saved_diagonal
    same(program)
