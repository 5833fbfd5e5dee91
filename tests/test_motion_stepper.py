"""The manual stepper (seed 004): calling each grad_fn by hand through next_functions gives the
gradients a real backward gives (ours and PyTorch's), in grad mode as PyTorch does, and writes
the code of each call with the learner's names; that code runs on its own."""
import pytest

import autograd_lab as al
from autograd_lab.viz import Stepper, step_through

try:
    from .motion_support import PASSES, add_mul, branch, relu_wx_b, running_ids, torch_pass
except ImportError:
    from motion_support import PASSES, add_mul, branch, relu_wx_b, running_ids, torch_pass

SEED_004 = [
    "dv = a.grad_fn(torch.tensor(1.))",
    "v_grad_fn = a.grad_fn.next_functions[0][0]",
    "du, db = v_grad_fn(dv)",
    "b_grad_fn = v_grad_fn.next_functions[1][0]",
    "b_grad_fn(db)",
    "u_grad_fn = v_grad_fn.next_functions[0][0]",
    "dw, _ = u_grad_fn(du)",
    "w_grad_fn = u_grad_fn.next_functions[0][0]",
    "w_grad_fn(dw)",
]


def test_seed_004_by_hand_code_and_values():
    outputs, names = relu_wx_b(al)
    stepper = Stepper(outputs[0], names=names)
    first = stepper.next()
    assert first.printed == ["dv = tensor(1., grad_fn=<ThresholdBackwardBackward0>)"]
    second = stepper.next()
    assert second.result_vars == ("du", "db")
    assert [fn.name() for fn, _ in second.node.next_functions] == [
        "MulBackward0", "torch::autograd::AccumulateGrad"]
    stepper.run()
    assert stepper.code == SEED_004
    assert repr(names["b"].grad) == "tensor(1., grad_fn=<CopyBackwards>)"
    assert repr(names["w"].grad) == "tensor(3., grad_fn=<CopyBackwards>)"
    assert stepper.done and stepper.next() is None


def test_seed_004_by_hand_in_pytorch_gives_the_same_printouts():
    torch = pytest.importorskip("torch")
    outputs, names = relu_wx_b(torch)
    a = outputs[0]
    ours_out, ours_names = relu_wx_b(al)
    stepper = Stepper(ours_out[0], names=ours_names)
    printed = [line for call in stepper.run() for line in call.printed]
    dv = a.grad_fn(torch.tensor(1.))
    v_grad_fn = a.grad_fn.next_functions[0][0]
    du, db = v_grad_fn(dv)
    v_grad_fn.next_functions[1][0](db)
    u_grad_fn = v_grad_fn.next_functions[0][0]
    dw, dx = u_grad_fn(du)
    u_grad_fn.next_functions[0][0](dw)
    assert printed == [f"dv = {dv!r}", f"du = {du!r}", f"db = {db!r}",
                       f"b.grad = {names['b'].grad!r}", f"dw = {dw!r}",
                       f"_ = {dx!r}  (next_functions has None here)",
                       f"w.grad = {names['w'].grad!r}"]


@pytest.mark.parametrize("name", sorted(PASSES))
def test_by_hand_gives_the_gradients_of_a_real_backward_and_of_pytorch(name):
    program, gradient = PASSES[name]
    outputs, names = program(al)
    stepper = Stepper(outputs[0], gradient(al) if gradient else None, names=names)
    stepper.run()
    by_hand = {n: t.grad.tolist() for n, t in names.items() if t.is_leaf and t.requires_grad}
    outputs, names = program(al)
    outputs[0].backward(gradient(al) if gradient else None)
    real = {n: t.grad.tolist() for n, t in names.items() if t.is_leaf and t.requires_grad}
    assert by_hand == real
    assert by_hand == torch_pass(program, gradient)["leaves"]


@pytest.mark.parametrize("name", sorted(PASSES))
def test_calls_follow_the_engines_order(name):
    program, gradient = PASSES[name]
    outputs, names = program(al)
    stepper = Stepper(outputs[0], gradient(al) if gradient else None, names=names)
    calls = stepper.run()
    outputs, names = program(al)
    anim = al.animate_backward(outputs[0], gradient(al) if gradient else None, names=names)
    assert [c.node.name() for c in calls] == [s.node_name for s in anim.trace.steps]


def test_the_transcript_runs_on_its_own():
    """Run the code the stepper wrote on a fresh copy of the graph: same .grad values."""
    outputs, names = add_mul(al)
    stepper = Stepper(outputs[0], names=names)
    stepper.run()
    fresh_outputs, fresh = add_mul(al)
    namespace = {"torch": al, **fresh}
    exec(stepper.transcript(), namespace)
    for n, t in names.items():
        if t.is_leaf and t.requires_grad:
            assert fresh[n].grad.tolist() == t.grad.tolist() == {"x": [2.0], "w": [5.0]}[n]


def test_gradients_from_two_paths_are_added_up_in_code():
    outputs, names = branch(al)
    stepper = Stepper(outputs[0], names=names)
    stepper.run()
    assert stepper.code == [
        "db_1, db_2 = c.grad_fn(torch.tensor([1.]))",
        "b_grad_fn = c.grad_fn.next_functions[0][0]",
        "db = db_1 + db_2",
        "da_1, da_2 = b_grad_fn(db)",
        "a_grad_fn = b_grad_fn.next_functions[0][0]",
        "da = da_1 + da_2",
        "a_grad_fn(da)",
    ]
    assert names["a"].grad.tolist() == [4.0]


def test_state_shows_what_is_ready_and_what_waits():
    outputs, names = add_mul(al)
    stepper = Stepper(outputs[0], names=names)
    assert stepper.state.ready == ["y.grad_fn"] and stepper.state.step == 0
    stepper.next()
    state = stepper.state
    assert state.ready == ["b_grad_fn", "a_grad_fn"]   # b was created last: it goes first
    stepper.next()
    state = stepper.state
    assert state.waiting == {"w_grad_fn": (1, 2)}
    assert state.leaf_grads == {"x": None, "w": None}
    stepper.run()
    assert stepper.state.done and stepper.state.leaf_grads["w"].tolist() == [5.0]


def test_unnamed_tensors_get_stable_made_up_names():
    x = al.tensor([2.], requires_grad=True)
    stepper = Stepper((x * x * 3).sum(), names=dict(x=x))
    stepper.run()
    assert stepper.code[0] == "dsum1 = output.grad_fn(torch.tensor(1.))" or \
        stepper.code[0].startswith("dmul")
    assert x.grad.tolist() == [12.0]


def test_step_through_pictures_follow_the_calls():
    outputs, names = relu_wx_b(al)
    steps = step_through(outputs[0], names=names)
    assert len(steps) == 1 and running_ids(steps.frame_svg(0)) == []
    steps.run()
    assert len(steps) == steps.stepper.total + 1
    for k in range(1, len(steps)):
        assert running_ids(steps.frame_svg(k)) == [steps.highlighted(k)]
    assert "called by hand" in steps.frame_svg(1)
    assert steps.frames.layouts == 1        # the layout kept room for every step
    assert "w_grad_fn(dw)" in steps.panel_html(len(steps) - 1)
    assert repr(steps) == "<StepThrough of a: 5 of 5 nodes called>"


def test_a_leaf_or_a_tensor_without_graph_is_refused():
    x = al.tensor([1.], requires_grad=True)
    with pytest.raises(ValueError, match="no grad_fn"):
        Stepper(x)
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        Stepper(al.tensor([1., 2.], requires_grad=True) * 2)


def test_calls_print_as_their_code_without_addresses():
    outputs, names = relu_wx_b(al)
    stepper = Stepper(outputs[0], names=names)
    calls = stepper.run()
    assert repr(calls[1]) == "<Call 2: v_grad_fn = a.grad_fn.next_functions[0][0]; " \
                             "du, db = v_grad_fn(dv)>"
    assert "0x" not in repr(calls) + repr(stepper.state)


def test_a_custom_function_node_is_stepped_through_its_backward():
    """PyTorch's custom-Function nodes are not callable; by hand one calls backward(ctx=node)."""
    torch = pytest.importorskip("torch")

    def program(T):
        class SquareAdd(T.autograd.Function):
            @staticmethod
            def forward(ctx, x, y):
                ctx.save_for_backward(x, y)
                return x ** 2 + y ** 2

            @staticmethod
            def backward(ctx, grad_output):
                x, y = ctx.saved_tensors
                return 2 * x * grad_output, 2 * y * grad_output

        x = T.tensor(3.0, requires_grad=True)
        y = T.tensor(2.0, requires_grad=True)
        return SquareAdd, x, y, SquareAdd.apply(x, y)

    SquareAdd, x, y, z = program(al)
    with pytest.raises(TypeError, match="not callable"):
        z.grad_fn(al.tensor(1.0))
    stepper = Stepper(z, names=dict(x=x, y=y, z=z))
    stepper.run()
    assert stepper.code[0] == "dx, dy = SquareAdd.backward(z.grad_fn, torch.tensor(1.))"
    t_cls, tx, ty, tz = program(torch)
    dx, dy = t_cls.backward(tz.grad_fn, torch.tensor(1.))       # the same line in PyTorch
    assert (x.grad.tolist(), y.grad.tolist()) == (dx.tolist(), dy.tolist()) == (6.0, 4.0)
    namespace = {"torch": al, "SquareAdd": SquareAdd}
    _, x2, y2, z2 = program(al)
    namespace.update(x=x2, y=y2, z=z2, SquareAdd=type(z2.grad_fn)._forward_cls)
    exec(stepper.transcript(), namespace)
    assert (x2.grad.tolist(), y2.grad.tolist()) == (6.0, 4.0)


def test_a_freed_graph_fails_by_hand_where_pytorch_fails():
    outputs, names = relu_wx_b(al)
    a = outputs[0]
    a.backward()                                # frees the saved tensors
    steps = step_through(a, names=names)        # the layout still works
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        steps.run()                             # ReluBackward0 needs its saved result


def test_a_failed_call_changes_nothing_and_fails_again():
    outputs, names = relu_wx_b(al)
    stepper = Stepper(outputs[0], names=names)
    stepper.next()
    outputs[0].backward()        # frees what u = w * x saved
    stepper.next()               # v = u + b saves nothing: fine
    stepper.next()               # b's AccumulateGrad
    for _ in range(2):           # u = w * x: fails, and leaves the stepper as it was
        with pytest.raises(RuntimeError, match="second time"):
            stepper.next()
        assert not stepper.done and stepper.state.ready == ["u_grad_fn"]
        assert len(stepper.calls) == 3 and "du" in stepper.grads


def test_a_rehearsal_makes_every_call_and_writes_no_grad():
    outputs, names = relu_wx_b(al)
    steps = step_through(outputs[0], names=names)
    html = steps.html()          # what a notebook stores: the whole pass, before any click
    assert 'data-frames="6"' in html and "w.grad = tensor(3., grad_fn=&lt;CopyBackwards&gt;)" in html
    assert names["w"].grad is None and names["b"].grad is None and not steps.stepper.calls
    rehearsal = steps.rehearsal()
    real = Stepper(outputs[0], names=names, alias="al")
    real.run()
    assert rehearsal.stepper.code == real.code
    assert real.code[1:] == SEED_004[1:]
    assert [c.printed for c in rehearsal.stepper.calls] == [c.printed for c in real.calls]
    # a leaf with a .grad already: the rehearsal adds to a copy of it
    outputs, names = relu_wx_b(al)
    names["w"].grad = al.tensor(10.)
    steps = step_through(outputs[0], names=names)
    last = steps.rehearsal().stepper.calls[-1]
    assert last.printed[-1].startswith("w.grad = tensor(13.")
    assert names["w"].grad.tolist() == 10.0
