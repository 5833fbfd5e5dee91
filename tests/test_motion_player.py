"""The HTML player: every frame inline (frame 0 as SVG, the others as the groups that change),
a small script with no URL, the same bytes in every run, and a notebook representation that
falls back to it without a kernel."""
import re

import autograd_lab as al
from autograd_lab.viz import animate_backward
from autograd_lab.viz.player import external_references

try:
    from .motion_support import (add_mul, player_data, player_frame_groups, relu_wx_b,
                                 running_ids)
except ImportError:
    from motion_support import (add_mul, player_data, player_frame_groups, relu_wx_b,
                                running_ids)


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
