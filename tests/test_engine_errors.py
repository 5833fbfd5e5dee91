"""Bad input gets PyTorch's error: the same exception type and the same message.

Each program is run under torch and autograd_lab (``oracle.assert_same_error``). The second
half checks that a failed operation or a failed backward leaves the same state behind as in
PyTorch: a refused in-place op changes neither the data, nor the version counter, nor the
history; a backward that fails midway keeps what PyTorch keeps (leaves accumulated before the
failing node keep their new gradient; nothing else changes).
"""
import pytest

import autograd_lab as lab

from oracle import assert_same_error, assert_same_outcome, clean


def _x(torch, *shape):
    return torch.ones(*shape, requires_grad=True)


ERRORS = {
    # backward / grad
    "backward_non_scalar": lambda T: (_x(T, 3) * 2).backward(),
    "backward_no_grad": lambda T: T.ones(2).sum().backward(),
    "backward_no_grad_second": lambda T: T.autograd.backward([_x(T, 1).sum(), T.ones(1).sum()]),
    "backward_gradient_shape": lambda T: (_x(T, 3) * 2).backward(T.ones(2)),
    "backward_gradient_shape_scalar": lambda T: (_x(T, 3) * 2).sum().backward(T.ones(1)),
    "backward_gradient_not_tensor": lambda T: T.autograd.backward([(_x(T, 1) * 2).sum()], [2.0]),
    "backward_too_few_gradients": lambda T: T.autograd.backward(
        [_x(T, 1).sum(), _x(T, 1).sum()], grad_tensors=[T.ones(())]),
    "backward_inputs_empty": lambda T: (_x(T, 1) * 2).sum().backward(inputs=[]),
    "backward_inputs_no_grad": lambda T: (_x(T, 1) * 2).sum().backward(inputs=[T.ones(1)]),
    "backward_int_output": lambda T: T.autograd.grad(_x(T, 2).sum().long(), _x(T, 2)),
    "grad_not_used": lambda T: T.autograd.grad((_x(T, 1) * 2).sum(), [_x(T, 1)]),
    "grad_input_no_grad": lambda T: T.autograd.grad((_x(T, 1) * 2).sum(), [T.ones(1)]),
    "grad_inputs_empty": lambda T: T.autograd.grad((_x(T, 1) * 2).sum(), []),
    "grad_non_scalar": lambda T: T.autograd.grad(_x(T, 2) * 2, _x(T, 2)),
    "grad_materialize_and_not_allow_unused": lambda T: T.autograd.grad(
        _x(T, 1).sum(), _x(T, 1), allow_unused=False, materialize_grads=True),
    "retain_grad_no_grad": lambda T: T.ones(1).retain_grad(),
    "register_hook_no_grad": lambda T: T.ones(1).register_hook(lambda g: g),
    # requires_grad
    "int_requires_grad_": lambda T: T.tensor([1, 2]).requires_grad_(),
    "int_requires_grad_attribute": lambda T: setattr(T.tensor([1, 2]), "requires_grad", True),
    "int_requires_grad_factory": lambda T: T.tensor([1, 2], requires_grad=True),
    "int_ones_requires_grad": lambda T: T.ones(2, dtype=T.int64, requires_grad=True),
    "bool_requires_grad_": lambda T: T.tensor([True]).requires_grad_(),
    "non_leaf_requires_grad_false": lambda T: (_x(T, 1) * 2).requires_grad_(False),
    # shapes and dtypes of ops
    "dot_2d": lambda T: T.dot(T.ones(2, 2), T.ones(2, 2)),
    "dot_lengths": lambda T: T.dot(T.ones(2), T.ones(3)),
    "dot_dtypes": lambda T: T.dot(T.ones(2), T.ones(2, dtype=T.float64)),
    "add_shapes": lambda T: T.ones(2, 3) + T.ones(3, 2),
    "mul_shapes": lambda T: _x(T, 3) * T.ones(2),
    "cat_sizes": lambda T: T.cat([T.ones(2, 3), T.ones(2, 4)], dim=0),
    "cat_dims": lambda T: T.cat([T.ones(2, 3), T.ones(3)]),
    "cat_0d": lambda T: T.cat([T.ones(()), T.ones(())]),
    "cat_empty": lambda T: T.cat([]),
    "cat_dim_range": lambda T: T.cat([T.ones(2), T.ones(2)], dim=1),
    "stack_shapes": lambda T: T.stack([T.ones(2), T.ones(3)]),
    "view_incompatible": lambda T: T.ones(2, 3).view(4),
    "view_non_contiguous": lambda T: T.ones(2, 3).t().view(6),
    "view_two_minus_one": lambda T: T.ones(2, 3).view(-1, -1),
    "reshape_incompatible": lambda T: T.ones(2, 3).reshape(5, -1),
    "mean_int": lambda T: T.tensor([1, 2]).mean(),
    "mean_bool": lambda T: T.tensor([True]).mean(),
    "norm_int": lambda T: T.tensor([1, 2]).norm(),
    "mm_shapes": lambda T: T.mm(T.ones(2, 3), T.ones(2, 3)),
    "mm_1d": lambda T: T.mm(T.ones(3), T.ones(3, 2)),
    "mv_shapes": lambda T: T.mv(T.ones(2, 3), T.ones(2)),
    # mv reads the matrix's first size before it checks the ranks: a 0-d matrix fails there
    "mv_0d_matrix": lambda T: T.mv(T.ones(()), T.ones(2)),
    "mv_0d_both": lambda T: T.mv(T.ones(()), T.ones(())),
    "mv_0d_matrix_2d_vec": lambda T: T.ones(()).mv(T.ones(2, 2)),
    "mv_0d_matrix_requires_grad": lambda T: T.mv(T.ones((), requires_grad=True), T.ones(2)),
    "mv_0d_matrix_dtypes": lambda T: T.mv(T.ones(()), T.ones(2, dtype=T.float64)),
    "mv_0d_vector": lambda T: T.mv(T.ones(2, 2), T.ones(())),
    "mv_1d_matrix_0d_vector": lambda T: T.mv(T.ones(1), T.ones(())),
    "mv_dtypes": lambda T: T.mv(_x(T, 2, 2), T.ones(2, dtype=T.float64)),
    "matmul_0d": lambda T: T.matmul(T.ones(()), T.ones(2)),
    "matmul_shapes": lambda T: T.ones(2, 3) @ T.ones(2),
    "select_out_of_range": lambda T: T.ones(2, 3)[2],
    "select_dim_out_of_range": lambda T: T.ones(2, 3).select(2, 0),
    "index_0d": lambda T: T.ones(())[0],
    "too_many_indices": lambda T: T.ones(2)[0, 0],
    "unsqueeze_range": lambda T: T.ones(2).unsqueeze(3),
    "squeeze_range": lambda T: T.ones(2).squeeze(2),
    "transpose_range": lambda T: T.ones(2, 3).transpose(0, 2),
    "t_3d": lambda T: T.ones(2, 2, 2).t(),
    "expand_smaller": lambda T: T.ones(2, 3).expand(3),
    "expand_mismatch": lambda T: T.ones(2, 3).expand(2, 4),
    "sum_dim_range": lambda T: T.ones(2).sum(1),
    "pow_int_negative": lambda T: T.tensor([2]) ** -1,
    "sub_bool": lambda T: T.tensor([True]) - T.tensor([False]),
    "neg_bool": lambda T: -T.tensor([True]),
    "relu_bool": lambda T: T.tensor([True]).relu(),
    # conversions
    "item_many": lambda T: T.ones(2).item(),
    "bool_ambiguous": lambda T: bool(T.ones(2)),
    "len_0d": lambda T: len(T.ones(())),
    "iter_0d": lambda T: list(T.ones(())),
    "numpy_requires_grad": lambda T: _x(T, 2).numpy(),
    "index_float": lambda T: T.ones(3)[T.tensor(1.5)],
    # in place
    "inplace_leaf": lambda T: _x(T, 2).add_(1),
    "inplace_int_float": lambda T: T.tensor([1, 2]).add_(1.5),
    "inplace_broadcast_shape": lambda T: T.ones(2).add_(T.ones(3, 2)),
    "inplace_mul_broadcast": lambda T: (_x(T, 2) * 1).mul_(T.ones(2, 2)),
    "grad_assign_shape": lambda T: setattr(_x(T, 2), "grad", T.ones(3)),
    "grad_assign_dtype": lambda T: setattr(_x(T, 2), "grad", T.ones(2, dtype=T.float64)),
    "grad_assign_type": lambda T: setattr(_x(T, 2), "grad", [1., 1.]),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error_matches_torch(name):
    assert_same_error(ERRORS[name])


def test_known_error_messages():
    """A few messages pinned without the oracle."""
    cases = [
        (lambda: (lab.ones(3, requires_grad=True) * 2).backward(), RuntimeError,
         "grad can be implicitly created only for scalar outputs"),
        (lambda: lab.ones(2).sum().backward(), RuntimeError,
         "element 0 of tensors does not require grad and does not have a grad_fn"),
        (lambda: (lab.ones(3, requires_grad=True) * 2).backward(lab.ones(2)), RuntimeError,
         "Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a "
         "shape of torch.Size([3])."),
        (lambda: lab.dot(lab.ones(2, 2), lab.ones(2, 2)), RuntimeError,
         "1D tensors expected, but got 2D and 2D tensors"),
        (lambda: lab.ones(2, 3) + lab.ones(3, 2), RuntimeError,
         "The size of tensor a (3) must match the size of tensor b (2) at non-singleton "
         "dimension 1"),
        (lambda: lab.cat([lab.ones(2, 3), lab.ones(2, 4)]), RuntimeError,
         "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 "
         "for tensor number 1 in the list."),
        (lambda: lab.ones(2, 3).view(4), RuntimeError,
         "shape '[4]' is invalid for input of size 6"),
        (lambda: lab.tensor([1, 2]).mean(), RuntimeError,
         "mean(): could not infer output dtype. Input dtype must be either a floating point or "
         "complex dtype. Got: Long"),
        (lambda: lab.tensor([1, 2]).requires_grad_(), RuntimeError,
         "only Tensors of floating point dtype can require gradients"),
    ]
    for fn, kind, message in cases:
        with pytest.raises(kind) as info:
            fn()
        assert str(info.value) == message


# == nothing half-changed ===========================================================================
def test_failed_inplace_op_changes_nothing():
    def program(torch):
        states = []
        x = torch.tensor([1., 2.], requires_grad=True)
        a = x * 2
        i = torch.tensor([1, 2])
        for attempt in (lambda: a.add_(torch.ones(3)),            # broadcast shape
                        lambda: a.mul_(torch.ones(2, 2)),         # result bigger than a
                        lambda: i.add_(1.5),                      # float into an int tensor
                        lambda: i.mul_(torch.tensor([0.5, 2.])),
                        lambda: x.add_(1),                        # leaf that requires grad
                        lambda: x[0].mul_(2)):                    # view of such a leaf
            try:
                attempt()
                states.append("no error")
            except RuntimeError as e:
                states.append(clean(e))
            states.append((a.detach().clone(), a._version, a.grad_fn, a.grad_fn.next_functions,
                           i.clone(), i._version, x.detach().clone(), x._version, x.grad_fn))
        a.sum().backward()
        return states, x.grad
    assert_same_outcome(program)


def test_known_failed_inplace_op_changes_nothing():
    x = lab.tensor([1., 2.], requires_grad=True)
    a = x * 2
    node = a.grad_fn
    with pytest.raises(RuntimeError):
        a.add_(lab.ones(3))
    assert a.tolist() == [2., 4.] and a._version == 0 and a.grad_fn is node
    i = lab.tensor([1, 2])
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                           "output type Long"):
        i.add_(1.5)
    assert i.tolist() == [1, 2] and i._version == 0


def test_failed_op_out_of_place_records_nothing_visible():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        try:
            x * torch.ones(3)
        except RuntimeError:
            pass
        y = x * 3
        y.sum().backward()
        return x.grad, y.grad_fn.next_functions, x._version
    assert_same_outcome(program)


def test_backward_failing_midway():
    """PyTorch runs nodes newest first, and a leaf's AccumulateGrad as soon as it is ready: a
    leaf whose gradient was complete before the failing node keeps it; the rest are untouched.
    The freed part of the graph then refuses a retry with the second-backward error."""
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        b = x.exp()
        b.add_(1)          # ExpBackward0's saved result is now stale
        w = torch.tensor([3., 4.], requires_grad=True)
        a = w * 3          # newer than the exp: its branch runs first
        loss = (b + a * a).sum()
        out = []
        for _ in range(2):
            try:
                loss.backward()
                out.append("no error")
            except RuntimeError as e:
                out.append(clean(e))
            out += [w.grad, x.grad]
        return out
    result = assert_same_outcome(program)
    messages = result.value[0::3]
    assert "modified by an inplace operation" in messages[0]
    assert result.value[1].tolist() == [54., 72.] and result.value[2] is None


def test_backward_failing_midway_with_retain_graph():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        h = x * x
        y = h.exp()
        z = (y * 2 + h).sum()
        with torch.no_grad():
            h.mul_(2)      # MulBackward0 (of x * x) and ExpBackward0 saved h's old version
        out = []
        for _ in range(2):
            try:
                z.backward(retain_graph=True)
                out.append("no error")
            except RuntimeError as e:
                out.append(clean(e))
            out.append(x.grad)
        return out
    assert_same_outcome(program)


def test_custom_function_errors():
    def wrong_count(torch):
        class Two(torch.autograd.Function):
            @staticmethod
            def forward(ctx, a, b):
                return a + b

            @staticmethod
            def backward(ctx, g):
                return g, g, g
        x = torch.ones(1, requires_grad=True)
        Two.apply(x, x).sum().backward()
    assert_same_error(wrong_count)

    def wrong_shape(torch):
        class Bad(torch.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 2

            @staticmethod
            def backward(ctx, g):
                return torch.ones(5)
        x = torch.ones(2, requires_grad=True)
        Bad.apply(x).sum().backward()
    assert_same_error(wrong_shape)

    def legacy_call(torch):
        class Old(torch.autograd.Function):
            def forward(self, a):
                return a
        Old()(torch.ones(1))
    assert_same_error(legacy_call)


def test_matmul_family_is_silent_on_nan_and_inf():
    """inf * 0 in a product is nan, and a product may overflow, silently, as in PyTorch (NumPy
    would warn "invalid value encountered in matmul"), in every product and its backward."""
    def program(torch):
        m = torch.tensor([[float("inf"), 1.], [1., float("nan")]], requires_grad=True)
        z = torch.tensor([[0., 1.], [1., 0.]], requires_grad=True)
        big = torch.tensor([[1e38, 1e38]])
        v = torch.tensor([0., 1.])
        outs = [m @ z, m @ v, v @ m, torch.mm(m, z), torch.mv(m, v), torch.dot(m[0], v),
                torch.bmm(m[None], z[None]), torch.addmm(z, m, z), torch.addmm(z, m, z,
                                                                             beta=2, alpha=3),
                m[None] @ z, torch.outer(m[0], v), big @ torch.tensor([[10.], [10.]]),
                torch.addmm(torch.tensor([[1e38]]), big, torch.tensor([[10.], [10.]]))]
        total = sum(o.sum() for o in outs if o.requires_grad)
        return outs, torch.autograd.grad(total, [m, z])
    out = assert_same_outcome(program)
    assert out.warnings == []


def test_float_overflow_is_silent():
    def program(torch):
        big = torch.tensor([1e38, 0.])
        return big * 10, big * float("inf"), big + big, torch.tensor([1e20]) ** 3
    out = assert_same_outcome(program)
    assert out.warnings == []


def test_a_leaf_given_another_shape_keeps_its_gradients_shape_while_its_node_lives():
    """``x.data = ...`` of another shape: the leaf's AccumulateGrad (alive while a graph holds
    it) still expects the old shape, as PyTorch's keeps the metadata it was made with; once
    no graph holds it, a new one takes the new shape."""
    def program(torch):
        x = torch.tensor([1., 2., 3.], requires_grad=True)
        kept = (x * 2).sum()  # holds x's AccumulateGrad
        x.data = torch.zeros(5)
        try:
            (x * 2).sum().backward()
            error = None
        except RuntimeError as e:
            error = str(e)
        del kept
        fresh = torch.tensor([1., 2., 3.], requires_grad=True)
        fresh.data = torch.zeros(5)
        (fresh * 2).sum().backward()
        return error, x.grad, fresh.grad
    assert_same_outcome(program)
