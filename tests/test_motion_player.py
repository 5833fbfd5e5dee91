"""The HTML player: every frame inline (frame 0 as SVG, the others as the groups that change),
a small script with no URL, the same bytes in every run, and a notebook representation that
falls back to it without a kernel."""
import re

import autograd_lab as al
from autograd_lab.viz import animate_backward
from autograd_lab.viz.player import external_references, strip_prolog

try:
    from .motion_support import (add_mul, group_texts, player_data, player_frame_groups,
                                 relu_wx_b, running_ids)
except ImportError:
    from motion_support import (add_mul, group_texts, player_data, player_frame_groups,
                                relu_wx_b, running_ids)


def animation():
    outputs, names = add_mul(al)
    return animate_backward(outputs[0], names=names)


def test_the_player_holds_one_frame_per_step_plus_the_start():
    anim = animation()
    page = anim.html()
    data = player_data(page)
    assert len(data["frames"]) == len(data["panels"]) == len(anim.trace.steps) + 1
    assert f'data-frames="{len(anim)}"' in page
    assert data["frames"][0] == {}   # frame 0 is the inline SVG itself
    assert page.count("<svg style=") == 1   # the picture (the others are the buttons' icons)


def test_each_frame_of_the_player_highlights_the_node_of_its_step():
    anim = animation()
    page = anim.html()
    for k in range(len(anim)):
        groups = player_frame_groups(page, k)
        running = [gid for gid, text in groups.items()
                   if re.match(r'<g id="[^"]+" class="node[^"]* running"', text)]
        assert running == running_ids(anim.frame_svg(k))
        assert running == ([] if k == 0 else [anim.highlighted(k)])
        # the groups the script would swap in are exactly the frame's own groups
        assert all(text in anim.frame_svg(k) for text in groups.values())


def test_the_player_is_self_contained():
    page = animation().html()
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 1
    for network in ("http", "://", "fetch(", "XMLHttpRequest", "import(", "src", "WebSocket"):
        assert network not in scripts[0], network
    assert external_references(page) == []
    assert "http" not in page          # not even an xmlns: inline SVG needs none in HTML
    assert "<link" not in page and "@import" not in page and "url(" not in page


def test_the_player_is_the_same_in_every_run():
    def run():
        outputs, names = relu_wx_b(al)
        return animate_backward(outputs[0], names=names).html()
    first, second = run(), run()
    assert first == second
    assert not re.search(r"0x[0-9a-f]{6,}", first)


def test_save_html_writes_a_whole_page(tmp_path):
    anim = animation()
    path = anim.save_html(tmp_path / "backward.html")
    text = open(path, encoding="utf-8").read()
    assert text.startswith("<!DOCTYPE html>") and anim.html() in text
    assert "<title>autograd_lab: y.backward()</title>" in text


def test_notebook_representation_has_the_player_as_fallback():
    anim = animation()
    bundle = anim._repr_mimebundle_()
    assert bundle["text/html"] == anim.html()
    assert bundle["text/plain"] == "<BackwardAnimation of y.backward(): 5 steps>"
    # the widget view is there too (JupyterLab prefers it when a kernel is connected)
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"]


def test_a_player_without_javascript_still_shows_the_start():
    anim = animation()
    page = anim.html()
    start = page.index('<div class="agm-picture">')
    assert page[start:].startswith('<div class="agm-picture"><svg')
    panel = re.search(r'<div class="agm-panel">(.*?)</div>\s*</div>', page, re.S)
    assert panel and "Start: " in panel.group(1)


def _style_px(svg: str, prop: str) -> float:
    return float(re.search(prop + r":([\d.]+)px", svg).group(1))


def test_pictures_are_sized_to_read_every_text_at_11_px_or_more():
    from autograd_lab.viz import fit

    def wide():  # eight branches side by side
        w = al.tensor([1., 2.], requires_grad=True)
        return animate_backward(sum((w * float(k)).sum() for k in range(1, 9)))
    for anim in (animation(), wide()):
        svg = strip_prolog(anim.frame_svg(0))
        mode = fit.layout(svg)
        shown = fit.fitted(svg, mode)
        w, h = fit.size_pt(svg)
        smallest_scale = _style_px(shown, "min-width") / (w * fit.PX_PER_PT)
        assert fit.smallest_font_pt(svg) * fit.PX_PER_PT * smallest_scale >= 11 - 1e-6
        assert "max-width:100%" in shown      # a wide graph scales down to its container
        # and the height kept for it: no taller than the layout allows, unless text would
        # fall below 11 px
        width = _style_px(shown, "width")
        height = width * h / w
        budget = fit.SIDE_HEIGHT if mode == "side" else fit.BELOW_HEIGHT
        assert height <= budget + 0.5 or abs(smallest_scale - width / (w * fit.PX_PER_PT)) < 1e-3
    assert fit.layout(strip_prolog(animation().frame_svg(0))) == "side"
    assert fit.layout(strip_prolog(wide().frame_svg(0))) == "below"


def test_boxes_are_compact_and_the_rest_is_their_tooltip():
    anim = animation()
    svg = anim.frame_svg(0)
    texts = group_texts(svg, "t0")
    assert texts[0] == "y" and "tensor([6.])" in texts
    assert not any(t.startswith(("requires_grad", "shape", "grad: not kept")) for t in texts)
    title = re.search(r'<g id="t0"[^>]*>\s*<title>([^<]*)</title>', svg).group(1)
    assert title.splitlines() == ["y", "shape [1]", "tensor([6.])",
                                  "requires_grad=True, is_leaf=False"]


def test_buttons_need_no_symbol_font():
    page = animation().html()
    assert "\u23f8" not in page and "\u25b6" not in page.split('<script type="application')[0]
    bar = page.split('class="agm-bar">')[1].split("</div>")[0]
    assert bar.count('<svg viewBox="0 0 10 10"') == 5    # first, back, play, next, last
    # one frame only (a stepper whose first call fails: its graph was freed): the buttons
    # are there but disabled
    from autograd_lab.viz import step_through
    x = al.tensor(2., requires_grad=True)
    y = x * x
    y.backward()
    one = step_through(y).html()
    assert 'data-frames="1"' in one
    bar = one.split('class="agm-bar">')[1].split("</div>")[0]
    assert bar.count(" disabled") == 7          # 5 buttons, the slider, the speed menu
