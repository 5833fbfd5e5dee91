"""How long render_graph takes, from a tiny graph to 100,000 nodes.

    .venv/bin/python bench/bench_render.py            # prints a table, exits 1 if over budget

The budget from the issue: after warm-up, a 2,000-node graph renders (DOT built, laid out, SVG
written) in under 2 s. By default such a graph is folded (see autograd_lab/viz/collapse.py), so
it is far under; the unfolded layout of all 2,000 boxes is measured too, for information.
Times are the median of several runs, in one warm process (the first render of a process pays
about a second to compile the WebAssembly Graphviz: reported as "warm-up").
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import autograd_lab as torch  # noqa: E402
from autograd_lab.viz import render_graph, warm_up  # noqa: E402

BUDGET_2000 = 2.0  # seconds


def seed_graph():
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(x, w)
    b = torch.add(w, 1)
    return torch.mul(a, b)


def chain(n: int):
    d = torch.ones(3, requires_grad=True)
    for _ in range(n):
        d = d * 1.0001
    return d


def mlp_like(steps: int):
    """``h = relu(h * w + b)`` with one shared w and b: 4 nodes per step plus sums."""
    w = torch.tensor([0.5, 0.5], requires_grad=True)
    b = torch.tensor([0.1, 0.1], requires_grad=True)
    h = torch.ones(2, requires_grad=True)
    total = h.sum()
    for _ in range(steps):
        h = torch.relu(h * w + b)
        total = total + h.sum()
    return total


def fan(n: int):
    w = torch.tensor(2., requires_grad=True)
    xs = [torch.tensor(float(i), requires_grad=True) for i in range(n)]
    return torch.stack([x * w for x in xs])


def count_nodes(y) -> int:
    seen, stack = set(), [y.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        stack.extend(fn for fn, _ in node.next_functions)
    return len(seen)


def timed(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    print(f"warm-up (compile the WebAssembly Graphviz, once per process): {warm_up():.2f} s")
    cases = [
        ("seed graph y=(x+w)*(w+1)", seed_graph(), {}, 20),
        ("chain, 2,000 nodes", chain(2000), {}, 5),
        ("relu(h*w+b) loop, ~2,000 nodes", mlp_like(400), {}, 5),
        ("fan stack([x_i*w]), ~2,000 nodes", fan(1000), {}, 5),
        ("chain, 2,000 nodes, collapse=False", chain(2000), {"collapse": False}, 1),
        ("chain, 100,000 nodes", chain(100_000), {}, 1),
    ]
    print(f"{'graph':40} {'nodes':>8} {'build DOT':>10} {'DOT->SVG':>10} {'total':>9}")
    over = False
    for title, y, kwargs, runs in cases:
        nodes = count_nodes(y)
        build = timed(lambda: render_graph(y, **kwargs), runs)
        picture = render_graph(y, **kwargs)
        layout = timed(lambda: picture.copy().pipe(format="svg"), runs)  # copy: no cached SVG
        total = build + layout
        print(f"{title:40} {nodes:8,} {build * 1000:8.1f}ms {layout * 1000:8.1f}ms "
              f"{total:8.3f}s")
        if 1500 <= nodes <= 2500 and "collapse" not in kwargs and total > BUDGET_2000:
            over = True
    print("budget: a 2,000-node graph in under 2 s after warm-up:",
          "MISSED" if over else "met")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
