"""The plain-words derivative rules the animation shows for each node."""
import autograd_lab as lab
from autograd_lab.autograd.node import Node
from autograd_lab.viz import explain


def _node_classes() -> set[str]:
    import autograd_lab.ops  # noqa: F401  (every op module, so every node class exists)
    seen, stack = set(), [Node]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub.__name__ not in seen:
                seen.add(sub.__name__)
                stack.append(sub)
    return seen


def test_every_rule_names_a_node_the_engine_records():
    stale = set(explain.RULES) - _node_classes()
    assert stale == set(), f"rules for nodes no op records: {sorted(stale)}"


def test_fill_with_a_number_and_with_a_tensor():
    x = lab.ones(3, requires_grad=True)
    v = lab.tensor(2., requires_grad=True)
    y = x * 1
    y.fill_(5.)
    assert y.grad_fn.name() == "FillBackward2"
    assert explain.rule(y.grad_fn, {"z": "y", "a": "x"}) == "y was filled with a number: x gets 0."
    y.fill_(v)
    assert y.grad_fn.name() == "FillBackward3"
    assert explain.rule(y.grad_fn, {"z": "y", "a": "x", "b": "v"}) == (
        "y was filled with the value of v: x gets 0, v the sum of the gradient.")
