"""Benchmarks: autograd_lab against PyTorch and hand-written NumPy, side by side in one run.

    .venv/bin/python bench/run.py            # full run: a few minutes; table, JSON and plot
    .venv/bin/python bench/run.py --quick    # smoke test (CI): small sizes, no verdicts

The full run also times the backward pass in motion (one step of animate_backward and of
step_through on a ~300-node graph, reusing bench/bench_motion.py) and `pytest --nbval notebooks`
(every chapter re-run; left out of --quick, where CI runs nbval in its test command anyway).

Prints a table (workload, autograd_lab, PyTorch, NumPy, ratio, target, met?), writes it to
bench/results.json and plots time against graph size to assets/bench_scaling.png. Times are
medians of several rounds, measured in one process, the libraries taking turns round by round.
PyTorch is optional: without it, its columns are empty and ratios against it are not judged.
"""
from __future__ import annotations

import os
import sys

# The same number of threads for every library (--threads N, default 1: the quietest figures
# on a shared machine): PyTorch is set below, NumPy's BLAS (OpenBLAS, used by autograd_lab and
# by the hand-written NumPy baseline) here, before NumPy is first imported.
THREADS = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv[:-1] else "1"
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = THREADS

import argparse
import gc
import json
import statistics
import subprocess
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

try:
    import torch
    torch.set_num_threads(int(THREADS))
except ImportError:  # the oracle is optional
    torch = None
# PyTorch's import leaves ~145,000 objects to Python's cyclic garbage collector. PyTorch's own
# graphs live in C++, out of the collector's sight, but autograd_lab's are Python objects: each
# full collection while a big graph grows would walk PyTorch's objects too, a cost no learner
# pays (a process runs autograd_lab *instead of* PyTorch). So they are moved out of its sight
# here (gc.freeze), before autograd_lab is imported: autograd_lab's own import, the workloads
# and everything else stay in sight, as in a learner's process.
gc.freeze()

import autograd_lab  # noqa: E402
import bench_motion  # noqa: E402
import workloads  # noqa: E402


def median_time(step: Callable[[], Any], repeat: int, number: int = 1) -> float:
    """Median seconds per call of ``step`` over ``repeat`` rounds (after one warm-up call)."""
    return side_by_side({"step": step}, repeat, number)["step"]


def side_by_side(steps: dict[str, Callable[[], Any]], repeat: int,
                 number: int = 1) -> dict[str, float]:
    """Median seconds per call of each step, the steps taking turns round by round.

    Taking turns (rather than timing one library's rounds, then the other's) means that a
    machine slowing down or speeding up midway (a shared, 2-core machine does) shifts every
    library's times alike, and ratios stay fair.
    """
    for step in steps.values():
        step()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeat):
        for name, step in steps.items():
            gc.collect()
            start = time.perf_counter()
            for _ in range(number):
                step()
            times[name].append((time.perf_counter() - start) / number)
    return {name: statistics.median(t) for name, t in times.items()}


def lib_times(make: Callable, size: int, repeat: int, number: int,
              numpy_step: Callable[[], Any] | None = None) -> dict[str, float | None]:
    """autograd_lab's, PyTorch's (None without it) and, if given, NumPy's time for a workload,
    measured side by side."""
    steps = {"autograd_lab": make(autograd_lab, size)}
    if torch is not None:
        steps["torch"] = make(torch, size)
    if numpy_step is not None:
        steps["numpy"] = numpy_step
    out: dict[str, float | None] = {"torch": None, "numpy": None}
    out.update(side_by_side(steps, repeat, number))
    return out


def traced_peak(step: Callable[[], Any]) -> int:
    """Peak bytes allocated (NumPy reports its buffers to tracemalloc) during one call."""
    step()
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    step()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def memory_growth(step: Callable[[], Any], steps: int) -> int:
    """Bytes still held after ``steps`` more calls, compared with after the first one."""
    step()
    gc.collect()
    tracemalloc.start()
    step()
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(steps):
        step()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before


def _resident_bytes() -> int | None:
    """The process's resident memory now (Linux: /proc/self/statm), or None elsewhere."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def flat_memory(step: Callable[[], Any], steps: int) -> tuple[int, int | None]:
    """Whether memory stays flat over ``steps`` more calls of ``step``: the growth of the bytes
    Python and NumPy hold (tracemalloc, which also counts NumPy's buffers) and of the process's
    resident memory (None where it cannot be read; measured in a separate run of the steps,
    without tracemalloc's own bookkeeping). Both are taken after 100 warm-up calls."""
    for _ in range(100):
        step()
    gc.collect()
    before = _resident_bytes()
    for _ in range(steps):
        step()
    gc.collect()
    after = _resident_bytes()
    rss = None if before is None or after is None else after - before
    return memory_growth(step, steps), rss


def import_time(module: str, repeat: int) -> float:
    """Median wall time of importing ``module`` in a fresh interpreter, minus an empty start.

    autograd_lab's modules are byte-compiled first, as an installed package's are (pip does
    it; an editable install writes them on first import unless PYTHONDONTWRITEBYTECODE is set,
    as it is on some CI machines): the time is that of importing, not of compiling.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "autograd_lab")],
                   check=True, cwd=ROOT)
    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        return time.perf_counter() - start
    empty = statistics.median(run("pass") for _ in range(repeat))
    return statistics.median(run(f"import {module}") for _ in range(repeat)) - empty


def motion_steps(layers: int) -> tuple[dict, dict]:
    """One update of animate_backward's widget and one click of step_through's Next, timed by
    bench_motion on its ``relu(h * w + b)`` loop of ``layers`` layers (~5 nodes each).

    Returns bench_motion's two result dicts (times in ms): the animation's over every frame
    (forward, then back), the stepper's over every click, after warming both paths up.
    """
    bench_motion.warm_up_paths()
    graph = lambda: bench_motion.mlp_like(layers)  # noqa: E731
    return bench_motion.bench_animation(graph), bench_motion.bench_stepper(graph)


NBVAL = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "notebooks",
         "--nbval-sanitize-with", "assets/nbval_sanitize.cfg"]


def nbval_time() -> tuple[float, int]:
    """Wall seconds of ``pytest --nbval notebooks`` (each chapter re-run and compared with its
    stored outputs) in a fresh interpreter at the repository root, and pytest's exit code.
    When it fails, the end of pytest's report goes to stderr."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *NBVAL], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-20:])
        print(f"pytest --nbval exited {done.returncode}:\n{tail}", file=sys.stderr)
    return seconds, done.returncode


class Table:
    def __init__(self, judge: bool) -> None:
        self.rows: list[dict[str, Any]] = []
        self.judge = judge  # False in --quick mode: sizes too small for verdicts

    def add(self, workload: str, ours: float | None, torch_s: float | None,
            numpy_s: float | None, ratio: float | None, target: str, met: bool | None,
            unit: str = "s") -> None:
        if not self.judge:
            met = None
        self.rows.append(dict(workload=workload, autograd_lab=ours, torch=torch_s,
                              numpy=numpy_s, ratio=ratio, target=target, met=met, unit=unit))

    def print(self) -> None:
        head = f"{'workload':46} {'autograd_lab':>13} {'PyTorch':>11} {'NumPy':>11} " \
               f"{'ratio':>7}  {'target':24} met?"
        print(head)
        print("-" * len(head))
        for r in self.rows:
            ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
            met = "" if r["met"] is None else ("yes" if r["met"] else "NO")
            print(f"{r['workload']:46} {_fmt(r['autograd_lab'], r['unit']):>13} "
                  f"{_fmt(r['torch'], r['unit']):>11} {_fmt(r['numpy'], r['unit']):>11} "
                  f"{ratio:>7}  {r['target']:24} {met}")


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "MiB":
        return f"{value / 2**20:.2f} MiB"
    if value < 1e-3:
        return f"{value * 1e6:.1f} us"
    if value < 1:
        return f"{value * 1e3:.2f} ms"
    return f"{value:.2f} s"


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def run(quick: bool) -> Table:
    judge = not quick
    table = Table(judge)
    rep = 3 if quick else 7

    # the seeds' graph, repeated
    t = lib_times(workloads.seed_graph, 1, rep, 200 if quick else 2000)
    r = _ratio(t["autograd_lab"], t["torch"])
    table.add("seed graph y=(x+w)*(w+1), fwd+bwd", t["autograd_lab"], t["torch"], None, r,
              "<= 0.5 x PyTorch", r is not None and r <= 0.5)

    # 1,000 scalar ops
    n = 200 if quick else 1000
    t = lib_times(workloads.scalar_mix, n, rep, 3 if quick else 10)
    r = _ratio(t["autograd_lab"], t["torch"])
    table.add(f"{n} scalar ops (add/mul/pow/relu), fwd+bwd", t["autograd_lab"], t["torch"],
              None, r, "<= 0.7 x PyTorch", r is not None and r <= 0.7)

    # long chains, and how cost grows
    sizes = [2_000, 10_000] if quick else [10_000, 50_000, 100_000, 200_000]
    scaling: dict[str, list] = {"sizes": sizes, "autograd_lab": [], "torch": []}
    for size in sizes:
        t = lib_times(workloads.chain, size, 1 if quick else 5, 1)
        scaling["autograd_lab"].append(t["autograd_lab"])
        scaling["torch"].append(t["torch"])
    big = sizes.index(100_000) if 100_000 in sizes else len(sizes) - 1
    r = _ratio(scaling["autograd_lab"][big], scaling["torch"][big])
    table.add(f"chain of {sizes[big]:,} ops, fwd+bwd", scaling["autograd_lab"][big],
              scaling["torch"][big], None, r, "<= 0.7 x PyTorch",
              r is not None and r <= 0.7)
    if 200_000 in sizes:
        growth = scaling["autograd_lab"][-1] / scaling["autograd_lab"][big]
        theirs = _ratio(scaling["torch"][-1], scaling["torch"][big])
        label = "chain 200,000 / 100,000 (linear?)" + (
            "" if theirs is None else f" PyTorch: {theirs:.2f}")
        table.add(label, None, None, None, growth, "<= 2.2", growth <= 2.2)

    # the MLP step: speed against NumPy and PyTorch, memory against NumPy
    t = lib_times(workloads.mlp_step, 0, 3 if quick else 21, 1 if quick else 5,
                  workloads.mlp_step_numpy())
    numpy_time = t["numpy"]
    r_np = _ratio(t["autograd_lab"], numpy_time)
    table.add("MLP step 256x784-512-10 vs NumPy", t["autograd_lab"], t["torch"], numpy_time,
              r_np, "<= 1.15 x NumPy", r_np <= 1.15)
    r_t = _ratio(t["autograd_lab"], t["torch"])
    table.add("MLP step 256x784-512-10 vs PyTorch", t["autograd_lab"], t["torch"], numpy_time,
              r_t, "<= 1.0 x PyTorch", r_t is not None and r_t <= 1.0)
    ours_peak = traced_peak(workloads.mlp_step(autograd_lab))
    numpy_peak = traced_peak(workloads.mlp_step_numpy())
    r = _ratio(ours_peak, numpy_peak)
    table.add("MLP step peak memory vs NumPy", ours_peak, None, numpy_peak, r,
              "<= 1.3 x NumPy", r <= 1.3, unit="MiB")
    steps = 50 if quick else 1000
    grown = memory_growth(workloads.mlp_step(autograd_lab), steps)
    table.add(f"memory growth over {steps} MLP steps", grown, None, None, None, "< 1 MiB",
              grown < 2**20, unit="MiB")

    # the makemore MLP step (nn-zero-to-hero): what learners run for hours; memory must stay flat
    t = lib_times(workloads.makemore_step, 0, 5 if quick else 21, 20 if quick else 200,
                  workloads.makemore_step_numpy())
    r = _ratio(t["autograd_lab"], t["torch"])
    table.add("makemore MLP step (C[X], tanh 200, CE, SGD)", t["autograd_lab"], t["torch"],
              t["numpy"], r, "<= 1.5 x PyTorch", r is not None and r <= 1.5)
    steps = 200 if quick else 10_000
    grown, rss = flat_memory(workloads.makemore_step(autograd_lab), steps)
    table.add(f"memory growth over {steps:,} makemore steps", grown, None, None, None,
              "< 1 MiB", grown < 2**20, unit="MiB")
    if rss is not None:
        table.add(f"resident memory growth, {steps:,} makemore steps", rss, None, None, None,
                  "< 1 MiB", rss < 2**20, unit="MiB")

    # import time
    ours = import_time("autograd_lab", 3 if quick else 7)
    theirs = import_time("torch", 3 if quick else 5) if torch is not None else None
    r = _ratio(ours, theirs)
    table.add("import autograd_lab", ours, theirs, None, r, "<= 0.3 s and <= 0.25 x",
              ours <= 0.3 and (r is None or r <= 0.25))

    # render_graph of a 2,000-node graph, after the renderer's warm-up
    from autograd_lab.viz import render_graph, warm_up
    warm_up()
    y = workloads_chain_tensor(2000)
    render = median_time(lambda: render_graph(y).pipe(format="svg"), 3)
    table.add("render_graph, 2,000-node graph to SVG", render, None, None, None, "< 2 s",
              render < 2.0)

    # one step of the backward pass in motion (~300 nodes; a small graph in --quick)
    anim, steps = motion_steps(10 if quick else 60)
    nodes = anim["nodes"]
    table.add(f"animate_backward: one step, {nodes}-node graph", anim["median"] / 1e3, None,
              None, None, "< 100 ms", anim["median"] < 100)
    table.add(f"step_through: one Next, {nodes}-node graph", steps["median"] / 1e3, None,
              None, None, "< 100 ms", steps["median"] < 100)

    if not quick:
        seconds, code = nbval_time()
        failed = f" (FAILED, exit {code})" if code else ""
        table.add(f"pytest --nbval notebooks{failed}", seconds, None, None, None, "< 60 s",
                  seconds < 60 and code == 0)
        _write(table, scaling)  # a smoke run must not overwrite the published figures
    return table


def workloads_chain_tensor(n: int) -> Any:
    d = autograd_lab.ones(3, requires_grad=True)
    for i in range(n):
        d = d * 1.0001 if i % 2 else d + 0.5
    return d


def _write(table: Table, scaling: dict) -> None:
    out = ROOT / "bench" / "results.json"
    import platform
    import numpy
    machine = {"threads": int(THREADS), "cpus": os.cpu_count(), "python": platform.python_version(),
               "numpy": numpy.__version__, "torch": None if torch is None else torch.__version__}
    out.write_text(json.dumps({"machine": machine, "rows": table.rows,
                               "chain_scaling": scaling}, indent=2) + "\n")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(matplotlib not installed: no plot; pip install matplotlib)")
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(scaling["sizes"], scaling["autograd_lab"], "o-", label="autograd_lab")
    if all(v is not None for v in scaling["torch"]):
        ax.plot(scaling["sizes"], scaling["torch"], "s-", label="PyTorch 2.13 (CPU)")
    ax.set_xlabel("ops in the chain")
    ax.set_ylabel("forward + backward (s)")
    ax.set_title("Cost against graph size")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(ROOT / "assets" / "bench_scaling.png", dpi=110)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, no verdicts (CI)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for PyTorch and for NumPy's BLAS alike (default 1)")
    parser.add_argument("--markdown", action="store_true",
                        help="print the published bench/results.json as a Markdown table "
                             "(for the README) and measure nothing")
    args = parser.parse_args()
    if args.markdown:
        print(markdown(json.loads((ROOT / "bench" / "results.json").read_text())))
        return 0
    table = run(args.quick)
    table.print()
    return 0


def markdown(results: dict) -> str:
    """The rows of a results.json as a Markdown table."""
    lines = ["| workload | autograd_lab | PyTorch | NumPy | ratio | target | met? |",
             "|---|---|---|---|---|---|---|"]
    for r in results["rows"]:
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
        met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
        cells = [r["workload"], _fmt(r["autograd_lab"], r["unit"]), _fmt(r["torch"], r["unit"]),
                 _fmt(r["numpy"], r["unit"]), ratio, r["target"].replace("<", "&lt;"), met]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
