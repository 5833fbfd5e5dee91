"""Hooks against PyTorch: tensor hooks, node hooks and pre-hooks, post-accumulate-grad hooks,
removable handles, and the order in which a backward pass fires them.

Each ``program(torch)`` returns a log of the hook calls (name, what the hook received) next to
the gradients, so the comparison checks *which* hooks ran, *in which order*, with *which*
values, and what their return values did. ``test_known_*`` tests check the same facts without
the oracle.
"""
import pytest

import autograd_lab as lab

from oracle import assert_same_error, assert_same_outcome, run


def _show(x):
    """A hook argument as comparable plain data (tensors by value, None kept)."""
    if x is None:
        return None
    if isinstance(x, (tuple, list)):
        return tuple(_show(v) for v in x)
    return x.tolist()


def recorder(log, name, result=None):
    """A hook that appends ``(name, its arguments)`` to ``log`` and returns ``result(*args)``."""
    def hook(*args):
        log.append((name,) + tuple(_show(a) for a in args))
        return None if result is None else result(*args)
    hook.__name__ = name
    return hook


# == tensor hooks ================================================================================
def test_tensor_hooks_run_in_registration_order_and_chain_replacements():
    def program(torch):
        log = []
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 3
        y.register_hook(recorder(log, "double", lambda g: g * 2))
        y.register_hook(recorder(log, "sees_doubled"))
        y.register_hook(recorder(log, "plus_one", lambda g: g + 1))
        x.register_hook(recorder(log, "leaf", lambda g: g * 10))
        (y * y).sum().backward()
        return log, x.grad
    assert_same_outcome(program)


def test_known_tensor_hook_replaces_gradient():
    x = lab.tensor([1., 2.], requires_grad=True)
    y = x * 3
    y.register_hook(lambda g: g * 2)
    y.sum().backward()
    assert x.grad.tolist() == [6., 6.]  # 1 (sum) * 2 (hook) * 3 (mul)


def test_hooks_on_outputs_of_one_node_run_per_tensor_in_first_registration_order():
    # PyTorch keeps one hook dict per tensor; dicts run in the order of their first hook
    def program(torch):
        log = []
        a, b, c = torch.tensor([1., 2., 3.], requires_grad=True).unbind()
        c.register_hook(recorder(log, "c1"))
        a.register_hook(recorder(log, "a1"))
        c.register_hook(recorder(log, "c2"))
        b.register_hook(recorder(log, "b1"))
        (a * b * c).backward()
        return log
    assert_same_outcome(program)


def test_tensor_hook_receives_none_for_an_output_that_got_no_gradient():
    def program(torch):
        log = []
        a, b = torch.tensor([1., 2.], requires_grad=True).unbind()
        a.register_hook(recorder(log, "a"))
        a.retain_grad()
        b.register_hook(recorder(log, "b"))
        (b * 2).backward()
        return log, a.grad
    assert_same_outcome(program)


def test_leaf_hook_sees_none_when_a_custom_backward_returns_none():
    def program(torch):
        log = []

        class Drop(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                log.append(("backward", g.tolist()))
                return None
        w = torch.tensor([1., 2.], requires_grad=True)
        w.register_hook(recorder(log, "w"))
        Drop.apply(w).sum().backward()
        return log, w.grad
    assert_same_outcome(program)


def test_retain_grad_keeps_the_gradient_after_tensor_hooks():
    # PyTorch 2.x: retains_grad hooks always run last, whatever the registration order
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 2
        y.retain_grad()
        y.register_hook(lambda g: g * 100)
        z = x * 2
        z.register_hook(lambda g: g * 100)
        z.retain_grad()
        (y * y + z).sum().backward()
        return y.grad, z.grad, x.grad
    assert_same_outcome(program)


def test_known_retain_grad_sees_hooked_gradient():
    x = lab.tensor([1., 2.], requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: g * 100)
    y.sum().backward()
    assert y.grad.tolist() == [100., 100.]
    assert x.grad.tolist() == [200., 200.]


def test_hooks_survive_an_in_place_op_on_the_old_value():
    # hooks registered before an in-place op stay with the old value; later ones go to the new
    def program(torch):
        log = []
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 2
        y.register_hook(recorder(log, "before"))
        y.retain_grad()
        y.mul_(3)
        y.register_hook(recorder(log, "after"))
        (y * y).sum().backward()
        return log, y.grad, x.grad
    assert_same_outcome(program)


@pytest.mark.parametrize("case", ["dtype", "size", "not_tensor", "list_for_node_hook",
                                  "count_for_node_hook", "replace_none", "prehook_count"])
def test_bad_hook_results_are_refused_with_pytorchs_messages(case):
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 2

        def to_double(g):
            return g.double()

        def shrink(g):
            return g[:1]
        if case == "dtype":
            y.register_hook(to_double)
        elif case == "size":
            y.register_hook(shrink)
        elif case == "not_tensor":
            y.register_hook(lambda g: 3)
        elif case == "list_for_node_hook":
            y.grad_fn.register_hook(lambda gi, go: [gi[0]])
        elif case == "count_for_node_hook":
            y.grad_fn.register_hook(lambda gi, go: (gi[0],) * 3)
        elif case == "replace_none":  # MulBackward0's second input (the 2) has no gradient
            y.grad_fn.register_hook(lambda gi, go: (gi[0], gi[0]))
        elif case == "prehook_count":
            y.grad_fn.register_prehook(lambda go: (go[0], go[0]))
        y.sum().backward()
        return x.grad
    assert_same_error(program)


def test_hook_cannot_be_registered_without_requires_grad():
    assert_same_error(lambda torch: torch.tensor([1.]).register_hook(lambda g: g))


def test_hook_returning_its_argument_is_not_a_replacement():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        x.register_hook(lambda g: g)
        (x * 2).sum().backward()
        return x.grad
    assert_same_outcome(program)


# == node hooks ==================================================================================
def test_node_prehook_and_hook_see_and_replace_gradients():
    def program(torch):
        log = []
        x = torch.tensor([1., 2.], requires_grad=True)
        w = torch.tensor([3., 4.], requires_grad=True)
        y = x * w
        y.grad_fn.register_prehook(recorder(log, "pre", lambda go: (go[0] * 2,)))
        y.grad_fn.register_prehook(recorder(log, "pre2"))
        y.grad_fn.register_hook(recorder(log, "post", lambda gi, go: (gi[0] + 1, None)))
        y.grad_fn.register_hook(recorder(log, "post2"))
        y.register_hook(recorder(log, "tensor"))  # runs before the node's pre-hooks
        y.sum().backward()
        return log, x.grad, w.grad
    assert_same_outcome(program)


def test_hooks_on_accumulate_grad_node():
    def program(torch):
        log = []
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 2
        acc = y.grad_fn.next_functions[0][0]
        acc.register_prehook(recorder(log, "acc_pre"))
        acc.register_hook(recorder(log, "acc_post"))
        x.register_hook(recorder(log, "x"))
        y.sum().backward()
        return log, x.grad, acc.name()
    assert_same_outcome(program)


def test_node_hooks_run_again_on_a_second_backward():
    def program(torch):
        log = []
        x = torch.tensor([2.], requires_grad=True)
        y = x * x
        y.grad_fn.register_hook(recorder(log, "post"))
        y.backward(retain_graph=True)
        y.backward()
        return log, x.grad
    assert_same_outcome(program)


# == removable handles ===========================================================================
def test_handles_remove_hooks_and_work_as_context_managers():
    def program(torch):
        log = []
        x = torch.tensor([1., 2.], requires_grad=True)
        h1 = x.register_hook(recorder(log, "removed"))
        x.register_hook(recorder(log, "kept"))
        h1.remove()
        h1.remove()  # twice is fine
        y = x * 2
        with y.grad_fn.register_hook(recorder(log, "scoped")):
            y.sum().backward(retain_graph=True)
        y.sum().backward()
        with x.register_hook(recorder(log, "scoped_tensor")) as handle:
            (x * 3).sum().backward()
        (x * 3).sum().backward()
        return log, x.grad, type(handle).__name__, handle.id > h1.id
    assert_same_outcome(program)


def test_hook_removing_itself_during_backward():
    def program(torch):
        log = []
        x = torch.tensor([1.], requires_grad=True)
        handles = []

        def once(g):
            log.append("once")
            handles[0].remove()
        handles.append(x.register_hook(once))
        x.register_hook(recorder(log, "second"))
        (x * 2).backward()
        (x * 2).backward()
        return log
    assert_same_outcome(program)


# == post-accumulate-grad hooks ==================================================================
def test_post_accumulate_grad_hook_runs_after_grad_is_updated():
    def program(torch):
        log = []
        x = torch.tensor([1., 2.], requires_grad=True)
        x.register_hook(recorder(log, "pre", lambda g: g * 2))

        def post(t):
            log.append(("post", t.grad.tolist(), t is x))
            with torch.no_grad():
                t.sub_(0.5 * t.grad)  # an SGD step inside backward
        h = x.register_post_accumulate_grad_hook(post)
        (x * x).sum().backward()
        (x * 1).sum().backward()
        h.remove()
        (x * 1).sum().backward()
        return log, x, x.grad
    assert_same_outcome(program)


@pytest.mark.parametrize("case", ["non_leaf", "no_grad", "returns_value", "returns_tensor"])
def test_post_accumulate_grad_hook_errors(case):
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        if case == "non_leaf":
            (x * 2).register_post_accumulate_grad_hook(lambda t: None)
        elif case == "no_grad":
            torch.tensor([1.]).register_post_accumulate_grad_hook(lambda t: None)
        elif case == "returns_value":
            x.register_post_accumulate_grad_hook(lambda t: 5)
        else:
            x.register_post_accumulate_grad_hook(lambda t: t * 1)
        (x * 2).sum().backward()
    assert_same_error(program)


def test_known_post_accumulate_grad_hook():
    x = lab.tensor([1., 2.], requires_grad=True)
    seen = []
    x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.tolist()))
    (x * 3).sum().backward()
    assert seen == [[3., 3.]]


# == which hooks run in autograd.grad / backward(inputs=) ========================================
def test_grad_captures_a_needed_nodes_gradient_before_its_tensor_hooks():
    # PyTorch's engine captures the gradient of an input whose node must also run (it leads
    # to another input) as it arrives, before that tensor's hooks; one that leads nowhere
    # runs its hooks first.
    def program(torch):
        log = []
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 2
        z = y * 3
        y.register_hook(recorder(log, "y", lambda g: g * 10))
        through = torch.autograd.grad(z.sum(), [y, x], retain_graph=True)
        alone = torch.autograd.grad(z.sum(), [y])
        return log, through, alone
    assert_same_outcome(program)


def test_grad_skips_hooks_of_nodes_that_lead_nowhere():
    def program(torch):
        log = []
        x = torch.tensor([1., 2.], requires_grad=True)
        w = torch.tensor([3., 4.], requires_grad=True)
        a = x * 2
        b = w * 3
        a.register_hook(recorder(log, "a"))
        b.register_hook(recorder(log, "b"))
        b.grad_fn.register_prehook(recorder(log, "b_pre"))
        w.register_hook(recorder(log, "w"))
        g = torch.autograd.grad((a + b).sum(), x)
        return log, g, w.grad
    assert_same_outcome(program)


def test_backward_inputs_runs_a_non_leaf_inputs_node_but_computes_only_needed_gradients():
    def program(torch):
        log = []
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 2
        z = y * 3
        y.grad_fn.register_prehook(recorder(log, "pre"))
        y.grad_fn.register_hook(recorder(log, "post"))
        x.register_hook(recorder(log, "x"))
        z.sum().backward(inputs=[y])
        return log, y.grad, x.grad, y.retains_grad
    assert_same_outcome(program)


def test_grad_does_not_free_a_captured_node_that_does_not_run():
    def program(torch):
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * x  # MulBackward0 saves x
        z = y.sum()
        g = torch.autograd.grad(z, y)  # y's node is only captured: it keeps its saved x
        z2 = y * 1
        z2.sum().backward()
        return g, x.grad
    assert_same_outcome(program)


# == order of hooks across whole graphs ==========================================================
def _hook_everything(torch, log, tensors):
    for name, t in tensors.items():
        t.register_hook(recorder(log, "t:" + name))
        if t.grad_fn is not None:
            t.grad_fn.register_prehook(recorder(log, "pre:" + name))
            t.grad_fn.register_hook(recorder(log, "post:" + name))


GRAPHS = {
    "diamond": lambda torch, a, b: {"c": a * b, "d": (a * b).exp(), "e": a + b},
    "reuse": lambda torch, a, b: {"c": a + a, "d": (a + a) * (a + a), "e": a * 2},
    "several_leaves": lambda torch, a, b: {"c": a * b, "d": b * a, "e": a - b},
    "unbind": lambda torch, a, b: dict(zip("cde", list((a * b).unbind()) + [a])),
}


@pytest.mark.parametrize("graph", sorted(GRAPHS))
@pytest.mark.parametrize("how", ["backward", "grad", "backward_inputs", "two_roots",
                                 "create_graph"])
def test_hooks_fire_in_pytorchs_order_across_a_graph(graph, how):
    def program(torch):
        log = []
        a = torch.tensor([1., 2.], requires_grad=True)
        b = torch.tensor([3., -1.], requires_grad=True)
        c_ = torch.tensor([0.5, 0.25], requires_grad=True)
        tensors = GRAPHS[graph](torch, a, b)
        tensors["a"], tensors["b"] = a, b
        _hook_everything(torch, log, tensors)
        c_.register_hook(recorder(log, "t:c_"))
        out = sum((t * (i + 1)).sum() for i, t in enumerate(tensors.values())) + (c_ * a).sum()
        if how == "backward":
            out.backward()
            result = (a.grad, b.grad, c_.grad)
        elif how == "grad":
            result = torch.autograd.grad(out, [b, tensors["c"]])
        elif how == "backward_inputs":
            out.backward(inputs=[b, tensors["d"], c_])
            result = (a.grad, b.grad, c_.grad, tensors["d"].grad)
        elif how == "two_roots":
            torch.autograd.backward([out, tensors["e"].sum(), out * 2])
            result = (a.grad, b.grad, c_.grad)
        else:
            ga, = torch.autograd.grad(out, a, create_graph=True)
            log.append("second")
            (ga * ga).sum().backward()
            result = (ga, a.grad, b.grad, c_.grad)
        return log, result
    assert_same_outcome(program)


def test_leaves_accumulate_in_pytorchs_heap_order():
    # several AccumulateGrad nodes ready at once share one priority; PyTorch's binary heap
    # decides their order, and with it the order of leaf hooks
    def program(torch):
        log = []
        leaves = [torch.tensor([float(i + 1)], requires_grad=True) for i in range(7)]
        for i, leaf in enumerate(leaves):
            leaf.register_hook(recorder(log, f"leaf{i}"))
            leaf.register_post_accumulate_grad_hook(
                lambda t, i=i: log.append(f"acc{i}"))
        prod = leaves[0]
        for leaf in leaves[1:]:
            prod = prod * leaf
        total = prod + torch.stack(leaves).sum() * leaves[3]
        total.backward()
        return log
    assert_same_outcome(program)


@pytest.mark.parametrize("n", [3, 5, 7, 12])
def test_many_leaves_ready_at_once_run_in_heap_order(n):
    def program(torch):
        log = []
        leaves = [torch.tensor([float(i + 1)], requires_grad=True) for i in range(n)]
        for i, leaf in enumerate(leaves):
            leaf.register_hook(lambda g, i=i: log.append(i))
        torch.stack(leaves).sum().backward()
        log.append("|")
        (torch.stack(leaves[:n // 2]).sum() * torch.stack(leaves[n // 2:]).sum()).backward()
        return log
    assert_same_outcome(program)


def test_known_heap_order_is_not_first_in_first_out():
    log = []
    leaves = [lab.tensor([1.], requires_grad=True) for i in range(5)]
    for i, leaf in enumerate(leaves):
        leaf.register_hook(lambda g, i=i: log.append(i))
    lab.stack(leaves).sum().backward()
    assert log == [0, 2, 4, 1, 3]  # what std::priority_queue gives for five equal priorities


def test_known_hook_order_on_a_chain():
    log = []
    x = lab.tensor([1.], requires_grad=True)
    y = x * 2
    z = y * 3
    x.register_hook(lambda g: log.append("x"))
    y.register_hook(lambda g: log.append("y"))
    z.register_hook(lambda g: log.append("z"))
    y.grad_fn.register_prehook(lambda go: log.append("y_pre"))
    y.grad_fn.register_hook(lambda gi, go: log.append("y_post"))
    z.backward()
    assert log == ["z", "y", "y_pre", "y_post", "x"]


def test_outcome_of_a_failing_hook_is_the_hooks_exception():
    def program(torch):
        x = torch.tensor([1.], requires_grad=True)

        def boom(g):
            raise ValueError("bad hook")
        x.register_hook(boom)
        (x * 2).backward()
    out = run(program, lab)
    assert out.error == ("ValueError", "bad hook")
    assert_same_error(program)


@pytest.mark.parametrize("case", ["detached", "requires_grad_off", "none_from_function"])
def test_post_accumulate_grad_hook_runs_even_without_a_gradient(case):
    def program(torch):
        log = []
        x = torch.tensor([1., 2.], requires_grad=True)
        x.register_post_accumulate_grad_hook(lambda t: log.append(("post", _show(t.grad))))
        if case == "none_from_function":
            class Drop(torch.autograd.Function):
                @staticmethod
                def forward(ctx, a):
                    return a * 2

                @staticmethod
                def backward(ctx, g):
                    return None
            Drop.apply(x).sum().backward()
            return log, x.grad
        y = x * 2
        if case == "detached":
            x.detach_()
        else:
            x.requires_grad_(False)
        y.sum().backward()
        return log, x.grad
    assert_same_outcome(program)
