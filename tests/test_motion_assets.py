"""The README's animations (assets/motion) are up to date, and the self-playing SVG is sound:
well-formed, one caption per frame, each look of a box shown only in its own frames."""
import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import autograd_lab as al
from autograd_lab.viz import animate_backward

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "assets" / "make_motion_pictures.py"


def test_assets_are_up_to_date(tmp_path):
    spec = importlib.util.spec_from_file_location("make_motion_pictures", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path in module.write(tmp_path):
        committed = ROOT / "assets" / "motion" / path.name
        assert committed.exists(), f"run {SCRIPT.relative_to(ROOT)}"
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed.relative_to(ROOT)} is out of date: run "
            f"{SCRIPT.relative_to(ROOT)}")


def test_the_animated_svg_plays_each_frame_in_turn():
    x = al.tensor([2.], requires_grad=True)
    w = al.tensor([1.], requires_grad=True)
    y = al.mul(al.add(x, w), al.add(w, 1))
    anim = animate_backward(y)
    svg = anim.animated_svg(seconds=2)
    root = ET.fromstring(svg)          # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    animations = root.iter(f"{ns}animate")
    n = len(anim)
    for a in animations:
        assert a.get("dur") == f"{2 * n}s" and len(a.get("values").split(";")) == n
    ids = [g.get("id") for g in root.iter(f"{ns}g") if g.get("id")]
    assert len(ids) == len(set(ids))   # versions of one box get their own ids
    # per frame, exactly one version of the running node's box is visible: the running one
    for k in range(1, n):
        box = anim.highlighted(k)
        visible = [g for g in root.iter(f"{ns}g") if (g.get("id") or "").startswith(box + "_v")
                   and _visible_in(root, g, k)]
        assert len(visible) == 1 and "running" in visible[0].get("class")
    captions = re.findall(r'font-size="14" font-weight="bold" fill="#111827">([^<]*)</text>',
                          svg)
    assert captions == [anim.explainer.caption(k)[0] for k in range(n)]


def _visible_in(root, group, k):
    """Whether ``group`` (a version of a box) is shown in frame ``k``: its wrapper's animation
    says visible there."""
    for wrapper in root.iter("{http://www.w3.org/2000/svg}g"):
        if group in list(wrapper):
            animate = wrapper.find("{http://www.w3.org/2000/svg}animate")
            return animate.get("values").split(";")[k] == "visible"
    return False
