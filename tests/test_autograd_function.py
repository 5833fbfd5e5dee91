"""Custom ``autograd.Function`` against PyTorch: outputs, ctx methods, gradients returned by
backward, once_differentiable, setup_context style, and the errors of each."""
import pytest

import autograd_lab as lab

from oracle import assert_same_error, assert_same_outcome, graph_signature


def functions(torch):
    """A few Functions, defined against the library given (torch or autograd_lab)."""
    F = torch.autograd.Function
    log = []

    class Several(F):  # a tensor, a number and a tensor out: output_nr counts all three
        @staticmethod
        def forward(ctx, x, k):
            return x, k, x * k

        @staticmethod
        def backward(ctx, a, b, c):
            log.append(("several", a, b, c))
            return a + c, None

    class Dirty(F):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    class NonDiff(F):
        @staticmethod
        def forward(ctx, x):
            m = x * 2
            ctx.mark_non_differentiable(m)
            return m, torch.tensor([1, 0]), x

        @staticmethod
        def backward(ctx, gm, gi, gx):
            log.append(("nondiff", gm, gi, gx))
            return gx

    class NoMaterialize(F):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, a, b):
            log.append(("nomat", a, b))
            return (a if a is not None else 0) + (b * 3 if b is not None else 0)

    class Needs(F):
        @staticmethod
        def forward(ctx, a, k, b):
            log.append(("needs forward", ctx.needs_input_grad))
            return a * b * k

        @staticmethod
        def backward(ctx, g):
            log.append(("needs backward", ctx.needs_input_grad))
            return g, None, g

    class SaveOutput(F):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            y, = ctx.saved_tensors
            log.append(("saved", y.grad_fn is not None, y.requires_grad))
            return g * y

    class Setup(F):
        @staticmethod
        def forward(x, k=2.0):
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            log.append(("setup", len(inputs), inputs[1]))
            ctx.k = inputs[1]

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    class Square(F):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @torch.autograd.function.once_differentiable
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 2 * x * g

    class Identity(F):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    return log, locals()


def test_several_outputs_numbers_and_an_input_returned():
    def program(torch):
        log, f = functions(torch)
        x = torch.tensor([1., 2.], requires_grad=True)
        a, k, c = f["Several"].apply(x, 3)
        info = (a is x, a.grad_fn.name(), a.output_nr, c.output_nr, k, a.is_leaf)
        c.sum().backward()
        return info, log, x.grad
    assert_same_outcome(program)


def test_mark_dirty_rewrites_the_inputs_history():
    def program(torch):
        log, f = functions(torch)
        x = torch.tensor([1., 2.], requires_grad=True)
        a = x * 1
        b = f["Dirty"].apply(a)
        info = (b is a, a.grad_fn.name(), a._version, graph_signature(a))
        b.sum().backward()
        no_grad_input = torch.tensor([1.])
        c = f["Dirty"].apply(no_grad_input)
        return info, x.grad, c is no_grad_input, c.requires_grad
    assert_same_outcome(program)


@pytest.mark.parametrize("case", ["leaf", "not_returned"])
def test_mark_dirty_errors(case):
    def program(torch):
        F = torch.autograd.Function

        class NotReturned(F):
            @staticmethod
            def forward(ctx, x):
                x.mul_(2)
                ctx.mark_dirty(x)
                return x * 1

            @staticmethod
            def backward(ctx, g):
                return g
        log, f = functions(torch)
        if case == "leaf":
            f["Dirty"].apply(torch.tensor([1.], requires_grad=True))
        else:
            NotReturned.apply(torch.tensor([1.], requires_grad=True) * 1)
    assert_same_error(program)


def test_non_differentiable_outputs_get_zero_gradients():
    def program(torch):
        log, f = functions(torch)
        x = torch.tensor([1., 2.], requires_grad=True)
        m, i, xx = f["NonDiff"].apply(x)
        info = (m.requires_grad, i.requires_grad, i.grad_fn, xx.output_nr, xx is x)
        xx.sum().backward()
        return info, log, x.grad
    assert_same_outcome(program)


def test_set_materialize_grads_false_passes_none():
    def program(torch):
        log, f = functions(torch)
        x = torch.tensor([1., 2.], requires_grad=True)
        f["NoMaterialize"].apply(x)[1].sum().backward()
        return log, x.grad
    assert_same_outcome(program)


def test_needs_input_grad_and_apply_under_no_grad():
    def program(torch):
        log, f = functions(torch)
        x = torch.tensor([1., 2.], requires_grad=True)
        y = f["Needs"].apply(x, 2.0, torch.ones(2))
        y.sum().backward()
        with torch.no_grad():
            z = f["Needs"].apply(x, 2.0, torch.ones(2))
        w = f["Identity"].apply(torch.ones(2))
        with torch.no_grad():
            v = f["Identity"].apply(x)
        return log, x.grad, z.requires_grad, z.grad_fn, w.requires_grad, v.requires_grad, v is x
    assert_same_outcome(program)


def test_saving_an_output_and_differentiating_twice():
    def program(torch):
        log, f = functions(torch)
        x = torch.tensor([1., 2.], requires_grad=True)
        y = f["SaveOutput"].apply(x)
        g, = torch.autograd.grad(y.sum(), x, create_graph=True)
        gg, = torch.autograd.grad(g.sum(), x)
        return log, g, gg
    assert_same_outcome(program)


def test_setup_context_style_with_keyword_and_default_arguments():
    def program(torch):
        log, f = functions(torch)
        x = torch.tensor([1., 2.], requires_grad=True)
        f["Setup"].apply(x).sum().backward()
        y = f["Setup"].apply(x, k=3.0)
        return log, x.grad, y
    assert_same_outcome(program)


def test_once_differentiable_first_order_and_the_delayed_error():
    def program(torch):
        log, f = functions(torch)
        x = torch.tensor([1., 2.], requires_grad=True)
        g1, = torch.autograd.grad(f["Square"].apply(x).sum(), x, create_graph=True)
        y = f["Square"].apply(x) * x  # the gradient reaching SquareBackward now has a graph
        g, = torch.autograd.grad(y.sum(), x, create_graph=True)
        error_node = g.grad_fn.next_functions[1][0]
        info = (g1.requires_grad, g.grad_fn.name(), type(error_node).__name__,
                error_node.name(), graph_signature(g))
        try:
            g.sum().backward()
        except RuntimeError as e:
            return info, str(e)
    assert_same_outcome(program)


@pytest.mark.parametrize("case", ["too_few", "too_many", "extra_nones", "not_tensor",
                                  "grad_for_number", "bad_shape", "save_number"])
def test_backward_results_are_checked(case):
    def program(torch):
        F = torch.autograd.Function

        class Op(F):
            @staticmethod
            def forward(ctx, x, k):
                if case == "save_number":
                    ctx.save_for_backward(x, 3)
                return x * k

            @staticmethod
            def backward(ctx, g):
                return {"too_few": (g,), "too_many": (g, None, g), "extra_nones": (g, None, None),
                        "not_tensor": (3, None), "grad_for_number": (g, g),
                        "bad_shape": (g[:1], None), "save_number": (g, None)}[case]
        x = torch.tensor([1., 2.], requires_grad=True)
        Op.apply(x, 2.0).sum().backward()
        return x.grad
    assert_same_outcome(program)


def test_gradient_of_another_dtype_is_cast():
    def program(torch):
        class Op(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g.double() * 2
        x = torch.tensor([1., 2.], requires_grad=True)
        Op.apply(x).sum().backward()
        return x.grad
    assert_same_outcome(program)


def test_node_of_a_function_prints_and_is_a_ctx():
    def program(torch):
        log, f = functions(torch)
        x = torch.tensor([1., 2.], requires_grad=True)
        y = f["Square"].apply(x)
        node = y.grad_fn
        return (repr(node).split(" object")[0], node.name(), type(node).__name__,
                graph_signature(y), node.needs_input_grad, len(node.saved_tensors))
    assert_same_outcome(program)


def test_instantiating_a_function_warns_and_calling_it_fails():
    def program(torch):
        log, f = functions(torch)
        op = f["Identity"]()
        return type(op).__name__
    assert_same_outcome(program)
    assert_same_error(lambda torch: functions(torch)[1]["Identity"]()(torch.ones(1)))


def test_known_custom_function():
    class Cube(lab.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 3 * x ** 2 * g
    x = lab.tensor([2.], requires_grad=True)
    y = Cube.apply(x)
    assert y.grad_fn.name() == "CubeBackward"
    y.backward()
    assert x.grad.tolist() == [12.]


@pytest.mark.parametrize("case", ["custom_node", "too_few", "too_many"])
def test_calling_nodes_by_hand_checks_like_pytorch(case):
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        if case == "custom_node":  # PyTorch's custom-Function nodes are not callable
            log, f = functions(torch)
            return f["Square"].apply(x).grad_fn(torch.ones(2))
        a, b = x.unbind()
        if case == "too_few":
            return a.grad_fn(torch.ones(()))
        return a.grad_fn(torch.ones(()), None, None)
    assert_same_error(program)


def test_mark_dirty_bumps_the_version_even_when_nothing_is_recorded():
    def program(torch):
        class Mark(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.mark_dirty(x)  # (no real change: only the declaration)
                return x

            @staticmethod
            def backward(ctx, g):
                return g
        a = torch.tensor([1., 2.])
        Mark.apply(a)
        b = torch.tensor([1., 2.], requires_grad=True) * 1
        with torch.no_grad():
            Mark.apply(b)
        c = torch.tensor([1., 2.], requires_grad=True) * 1
        Mark.apply(c)
        return a._version, b._version, c._version
    assert_same_outcome(program)


def test_saved_non_leaf_detached_in_place_is_fine_for_a_custom_function():
    def program(torch):
        class Keep(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * 2

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return g * x
        w = torch.tensor([1., 2.], requires_grad=True)
        h = w * 3
        y = Keep.apply(h)
        h.detach_()
        y.sum().backward()
        return w.grad
    assert_same_outcome(program)


# == outputs that are views: an input returned as-is, or a view made in forward ===============
def view_functions(torch):
    F = torch.autograd.Function

    class Same(F):  # returns its input: PyTorch returns a view of it
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    class Flat(F):  # returns a view of its input made in forward
        @staticmethod
        def forward(ctx, x):
            return x.view(-1)

        @staticmethod
        def backward(ctx, g):
            return g.view(2, 2)

    class SameAndDouble(F):  # two differentiable outputs, one of them a view
        @staticmethod
        def forward(ctx, x):
            return x, x * 2

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 + 2 * g2

    class SameAndFrozen(F):  # one differentiable output only
        @staticmethod
        def forward(ctx, x):
            doubled = x * 2
            ctx.mark_non_differentiable(doubled)
            return x, doubled

        @staticmethod
        def backward(ctx, g1, g2):
            return g1

    class Doubled(F):  # changes its input in place: its output is no new view
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return 2 * g

    return locals()


def _square(torch):
    return torch.arange(4.).view(2, 2).requires_grad_() * 1


INPLACE_ON_VIEW_OUTPUT = {
    "input_returned": lambda torch: view_functions(torch)["Same"].apply(_square(torch)).add_(1),
    "leaf_returned": lambda torch: view_functions(torch)["Same"].apply(
        torch.ones(2, requires_grad=True)).add_(1),
    "view_made_in_forward": lambda torch: view_functions(torch)["Flat"].apply(
        _square(torch)).add_(1),
    "view_of_the_output": lambda torch: view_functions(torch)["Same"].apply(
        _square(torch))[0].mul_(2),
    "one_of_two_outputs": lambda torch: view_functions(torch)["SameAndDouble"].apply(
        _square(torch))[0].add_(1),
    "beside_a_non_differentiable_output": lambda torch: view_functions(torch)[
        "SameAndFrozen"].apply(_square(torch))[0].add_(1),
    "no_gradient_flows_through_it": lambda torch: view_functions(torch)["Same"].apply(
        torch.ones(2)).add_(torch.ones(2, requires_grad=True)),
}


@pytest.mark.parametrize("name", INPLACE_ON_VIEW_OUTPUT)
def test_inplace_change_to_a_view_output_is_refused(name):
    assert_same_error(INPLACE_ON_VIEW_OUTPUT[name])


def test_view_outputs_and_the_inplace_changes_allowed():
    def program(torch):
        f = view_functions(torch)
        leaf = torch.tensor([[0., 1.], [2., 3.]], requires_grad=True)
        x = leaf * 1
        same, flat = f["Same"].apply(x), f["Flat"].apply(x)
        pair = f["SameAndDouble"].apply(x)
        dirty = f["Doubled"].apply(x * 1)
        untracked = f["Same"].apply(torch.ones(2))
        facts = [(t._base is not None, t.grad_fn.name() if t.grad_fn is not None else None,
                  t.requires_grad, t._version) for t in (same, flat, *pair, dirty, untracked)]
        pair[1].add_(1)  # not a view
        dirty.add_(1)  # the input itself, its history rewritten
        untracked.add_(1)  # nothing recorded
        with torch.no_grad():
            f["Same"].apply(torch.ones(2, requires_grad=True)).add_(1)
        (same * torch.arange(4.).view(2, 2)).sum().backward(retain_graph=True)
        first = leaf.grad.clone()
        (flat * torch.arange(4.)).sum().backward()
        return facts, pair[1], dirty, untracked, first, leaf.grad, x._version
    assert assert_same_outcome(program).error is None
