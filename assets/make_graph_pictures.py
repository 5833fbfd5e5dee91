"""Write the pictures of the seed lessons' graphs to assets/graphs/*.svg.

    .venv/bin/python assets/make_graph_pictures.py

Each function below is the code of a seed notebook cell (shared/seeds), run under autograd_lab,
followed by the render_graph call that shows its graph. The output is deterministic (node ids
from the walk, in-process Graphviz): running the script again changes no byte.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import autograd_lab as torch  # noqa: E402
from autograd_lab.viz import GraphPicture, render_graph  # noqa: E402

OUT = ROOT / "assets" / "graphs"


def seed000_add_mul() -> GraphPicture:
    """000 In [7]: y = (x + w) * (w + 1), before backward."""
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(x, w)
    a.retain_grad()
    b = torch.add(w, 1)
    y = torch.mul(a, b)
    return render_graph(y)


def seed000_add_mul_after_backward() -> GraphPicture:
    """000 In [7]: the same graph after y.backward(): grads filled in, saved tensors freed."""
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(x, w)
    a.retain_grad()
    b = torch.add(w, 1)
    y = torch.mul(a, b)
    y.backward()
    return render_graph(y, show_saved=True, show_none=True)


def seed000_chain_rule_forward() -> GraphPicture:
    """000 In [7]: the same computation as data flow, inputs to output, each arrow carrying
    its gradient back (the chain rule: 2 + 3 = 5 reach w)."""
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(x, w)
    b = torch.add(w, 1)
    y = torch.mul(a, b)
    return render_graph(y, view="forward", show_grads=True)


def seed000_chain_rule_backward() -> GraphPicture:
    """000 In [7]: the backward graph with the gradient on each arrow and each node's local
    derivative, drawn before y.backward() (nothing is accumulated)."""
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(x, w)
    b = torch.add(w, 1)
    y = torch.mul(a, b)
    return render_graph(y, show_grads=True)


def seed000_cat() -> GraphPicture:
    """000 In [16]: loss = cat([y0, y1]): two results joined, one backward."""
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(x, w)
    b = torch.add(w, 1)
    y0 = torch.mul(a, b)
    y1 = torch.add(a, b)
    loss = torch.cat([y0, y1], dim=0)
    return render_graph(loss)


def seed000_grad_create_graph() -> GraphPicture:
    """000 In [17]: grad_1 = autograd.grad(y, x, create_graph=True): the graph of dy/dx."""
    x = torch.tensor([3.], requires_grad=True)
    y = torch.pow(x, 2)
    grad_1 = torch.autograd.grad(y, x, create_graph=True)
    return render_graph(y, grad_1[0], higher_order=True, show_saved=True)


def seed001_linear() -> GraphPicture:
    """001 In [11]-[22]: z = w * x + b; x needs no gradient, so next_functions holds None."""
    x = torch.ones(1)
    w = torch.ones(1, requires_grad=True)
    b = torch.ones(1, requires_grad=True)
    y = w * x
    z = y + b
    return render_graph(z, show_none=True)


def seed002_dot() -> GraphPicture:
    """002 In [4]-[5]: y = 2 * dot(x, x), after y.backward()."""
    x = torch.arange(4.0)
    x.requires_grad_(True)
    y = 2 * torch.dot(x, x)
    y.backward()
    return render_graph(y, show_saved=True)


def seed003_retain_graph() -> GraphPicture:
    """003 In [3]: y.backward(retain_graph=True) keeps the saved tensors for a second pass."""
    w = torch.tensor([1.], requires_grad=True)
    x = torch.tensor([2.], requires_grad=True)
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)
    y.backward(retain_graph=True)
    return render_graph(y, show_saved=True)


def seed004_relu() -> GraphPicture:
    """004 In [5]-[10]: a = relu(w * x + b), the path that a.grad_fn.next_functions walks to w."""
    b = torch.tensor(1.0, requires_grad=True)
    w = torch.tensor(2.0, requires_grad=True)
    x = torch.tensor(3.0)
    u = w * x
    v = u + b
    a = torch.relu(v)
    return render_graph(a, show_saved=True, show_none=True, highlight=[a, w])


def seed004_square_function() -> GraphPicture:
    """004 In [15]-[23]: a custom Function; its node is SquareFunctionBackward."""
    class SquareFunction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return input ** 2

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors
            grad_input = 2 * input * grad_output
            return grad_input

    x = torch.tensor(1.0, requires_grad=True)
    y = SquareFunction.apply(x)
    return render_graph(y, show_saved=True)


PICTURES = [seed000_add_mul, seed000_add_mul_after_backward, seed000_chain_rule_forward,
            seed000_chain_rule_backward, seed000_cat,
            seed000_grad_create_graph, seed001_linear, seed002_dot, seed003_retain_graph,
            seed004_relu, seed004_square_function]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for make in PICTURES:
        path = OUT / f"{make.__name__}.svg"
        path.write_text(make().svg(), encoding="utf-8")
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
