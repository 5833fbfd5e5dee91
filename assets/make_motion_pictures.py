"""Write the backward-pass animations of the README to assets/motion/.

    .venv/bin/python assets/make_motion_pictures.py

* ``seed000_backward.svg``: ``y.backward()`` for y = (x + w) * (w + 1) (seed 000) as one SVG that
  plays itself (SMIL, no script: GitHub shows it in the README);
* ``seed000_backward.html``: the same pass in the HTML player (play/pause, step, slider, and the
  panel that explains each step), self-contained;
* ``seed004_by_hand.html``: seed 004's a = relu(w * x + b), each grad_fn called by hand with
  ``step_through``, with the code of each call.

The output is deterministic: running the script again changes no byte (tests check it).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import autograd_lab as torch  # noqa: E402

OUT = ROOT / "assets" / "motion"


def seed000_backward():
    """000 In [7]: y = (x + w) * (w + 1), with a.retain_grad(), then y.backward()."""
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(x, w)
    a.retain_grad()
    b = torch.add(w, 1)
    y = torch.mul(a, b)
    return torch.animate_backward(y)


def seed004_by_hand():
    """004 In [5]-[10]: a = relu(w * x + b), every node called by hand."""
    b = torch.tensor(1.0, requires_grad=True)
    w = torch.tensor(2.0, requires_grad=True)
    x = torch.tensor(3.0)
    u = w * x
    v = u + b
    a = torch.relu(v)
    steps = torch.step_through(a)
    steps.run()
    return steps


def write(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    anim = seed000_backward()
    paths = [Path(anim.save_svg(out / "seed000_backward.svg")),
             Path(anim.save_html(out / "seed000_backward.html")),
             Path(seed004_by_hand().save_html(out / "seed004_by_hand.html"))]
    return paths


if __name__ == "__main__":
    for path in write():
        print(path.relative_to(ROOT))
