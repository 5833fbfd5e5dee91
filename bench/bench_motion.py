"""How long the backward animation and the stepper take, per step, from a seed to ~600 nodes.

    .venv/bin/python bench/bench_motion.py        # prints a table; exits 1 if over budget

The budget from the issue: after warm-up, each step's update takes under 100 ms. An update is
what the widget does when the slider moves (or Play moves it): draw frame k's SVG and its panel
into the widgets. For the stepper it is one click of Next: call the node for real, then draw.
Also measured, for information: building the animation (the real backward pass, its replay and
the one Graphviz layout), the HTML player's size, and the time to write it.

A step can also pay for one of CPython's full garbage collections (~100 ms with a few hundred
thousand live objects): the warm-up ends with one, and "max" shows whether another landed in
a step. On a busy machine, run it twice.
"""
from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import autograd_lab as torch  # noqa: E402
from autograd_lab.viz import animate_backward, step_through, warm_up  # noqa: E402

BUDGET_MS = 100.0


def seed_000():
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(x, w)
    a.retain_grad()
    b = torch.add(w, 1)
    return torch.mul(a, b)


def seed_004():
    b = torch.tensor(1.0, requires_grad=True)
    w = torch.tensor(2.0, requires_grad=True)
    x = torch.tensor(3.0)
    return torch.relu(w * x + b)


def mlp_like(steps: int):
    """``h = relu(h * w + b)`` with shared w and b, and a running total: ~5 nodes per step."""
    w = torch.tensor([0.5, -0.25], requires_grad=True)
    b = torch.tensor([0.1, 0.2], requires_grad=True)
    h = torch.ones(2, requires_grad=True)
    total = h.sum()
    for _ in range(steps):
        h = torch.relu(h * w + b)
        total = total + h.sum()
    return total


CASES: list[tuple[str, Callable]] = [
    ("seed 000: (x + w) * (w + 1)", seed_000),
    ("seed 004: relu(w * x + b)", seed_004),
    ("mlp-like, 60 layers", lambda: mlp_like(60)),
    ("mlp-like, 120 layers", lambda: mlp_like(120)),
]


def timed(fn: Callable) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def bench_animation(make: Callable) -> dict:
    y = make()
    start = time.perf_counter()
    anim = animate_backward(y)
    build = (time.perf_counter() - start) * 1000
    nodes = len(anim.frames.graph.model.ops)
    controls = anim.widget
    gc.collect()  # part of the warm-up: a later full collection would land in some step
    order = list(range(1, len(anim))) + list(range(len(anim) - 2, -1, -1))  # forward, back
    controls.show(0)
    per_step = []
    for k in order:
        per_step.append(timed(lambda: controls.show(k)))
    html_ms = timed(anim.html)
    return {"nodes": nodes, "frames": len(anim), "build": build,
            "median": statistics.median(per_step), "p99": _p99(per_step), "max": max(per_step),
            "html_kb": len(anim.html()) / 1024, "html": html_ms}


def _p99(values: list[float]) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * 0.99))]


def bench_stepper(make: Callable) -> dict:
    y = make()
    steps = step_through(y)
    controls = steps.widget
    gc.collect()
    clicks = []
    while not steps.stepper.done:
        clicks.append(timed(controls.forward))
    return {"clicks": len(clicks), "median": statistics.median(clicks), "p99": _p99(clicks),
            "max": max(clicks), "layouts": steps.frames.layouts}


def warm_up_paths() -> float:
    """Start the WebAssembly Graphviz, then one throwaway run of each path, so imports and
    caches are warm. Returns the seconds ``warm_up()`` took (its first render)."""
    warm = warm_up()
    bench_animation(seed_000)
    bench_stepper(seed_004)
    return warm


def main() -> int:
    warm = warm_up_paths()
    print(f"warm-up (WebAssembly Graphviz, first render): {warm * 1000:.0f} ms\n")
    print("animate_backward: one update = slider moves, frame SVG + panel drawn into the widget")
    head = (f"{'graph':<30} {'nodes':>5} {'frames':>6} {'build ms':>9} {'step med':>9} "
            f"{'step p99':>9} {'step max':>9} {'html KB':>8} {'html ms':>8}")
    print(head)
    print("-" * len(head))
    worst = 0.0
    for name, make in CASES:
        r = bench_animation(make)
        worst = max(worst, r["max"])
        print(f"{name:<30} {r['nodes']:>5} {r['frames']:>6} {r['build']:>9.1f} "
              f"{r['median']:>9.2f} {r['p99']:>9.2f} {r['max']:>9.2f} {r['html_kb']:>8.0f} "
              f"{r['html']:>8.0f}")
    print("\nstep_through: one click of Next = the node called for real, then drawn")
    head = (f"{'graph':<30} {'clicks':>6} {'click med':>10} {'click p99':>10} "
            f"{'click max':>10} {'layouts':>8}")
    print(head)
    print("-" * len(head))
    for name, make in CASES[:3]:
        r = bench_stepper(make)
        worst = max(worst, r["max"])
        print(f"{name:<30} {r['clicks']:>6} {r['median']:>10.2f} {r['p99']:>10.2f} "
              f"{r['max']:>10.2f} {r['layouts']:>8}")
    ok = worst < BUDGET_MS
    print(f"\nslowest update: {worst:.1f} ms (budget {BUDGET_MS:.0f} ms): "
          f"{'ok' if ok else 'OVER BUDGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
