"""A self-contained HTML player for the frames of a backward pass: no kernel, no network.

``player_html(frames, panels)`` writes one ``<div>`` holding frame 0's SVG and its panel, the
other frames as data, a little CSS and a little script (no CDN, no external URL). The data is
frame 0 plus, for each later frame, only the boxes and arrows that changed (``Frames.changes``):
a 300-step pass stays small. The script swaps those groups in place, so stepping is instant.

Controls: play/pause, step back/forward, first/last, a slider, a speed menu, a button that
hides or shows the explanation; the arrow keys and the space bar work once the player has focus.
Play at the last frame starts again from the first. The icons are SVG paths (no symbol font
needed); the words are English or Chinese (``lang``). Without JavaScript (an untrusted notebook), frame
0 still shows, as a still picture.

Everything in it is deterministic (its id is a hash of its content), so a notebook that stores
it as an output compares equal after a fresh run.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
from typing import Sequence

from . import fit, style
from .frames import Frames
from .wording import say

CSS = """
.agm-player{font:13px/1.45 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2937;
 border:1px solid #e2e8f0;border-radius:10px;padding:8px 10px;background:#fff;max-width:100%;
 box-sizing:border-box;outline:none}
.agm-player:focus-visible{box-shadow:0 0 0 2px #fda4af}
.agm-bar{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin-bottom:6px}
.agm-bar button{font:inherit;border:1px solid #cbd5e1;background:#f8fafc;border-radius:6px;
 padding:3px 9px;cursor:pointer;color:#1f2937;display:inline-flex;align-items:center;gap:5px}
.agm-bar button:hover{background:#f1f5f9;border-color:#94a3b8}
.agm-bar button:disabled{opacity:.45;cursor:default}
.agm-bar button svg{width:10px;height:10px;fill:currentColor;flex:none}
.agm-bar button.agm-play{background:#e11d48;border-color:#be123c;color:#fff;min-width:84px;
 justify-content:center}
.agm-bar button.agm-toggle[aria-pressed=false]{color:#64748b}
.agm-bar input[type=range]{flex:1 1 140px;min-width:100px;accent-color:#e11d48}
.agm-bar select{font:inherit;border:1px solid #cbd5e1;border-radius:6px;padding:2px 4px}
.agm-count{font-variant-numeric:tabular-nums;color:#475569;min-width:92px}
.agm-main{display:flex;gap:12px;align-items:flex-start}
.agm-main.agm-below{flex-direction:column;align-items:stretch}
.agm-picture{overflow:auto;max-width:100%;box-sizing:border-box}
.agm-side .agm-picture{flex:0 1 auto;max-height:610px}
.agm-below .agm-picture{max-height:480px}
.agm-picture svg{display:block;margin:0 auto}
.agm-panel{background:#f8fafc;border:1px solid #e2e8f0;box-sizing:border-box;
 border-radius:8px;padding:8px 12px;overflow:auto;
 font:13px/1.45 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2937}
.agm-side .agm-panel{flex:1 1 300px;min-width:260px;max-height:610px}
.agm-below .agm-panel{max-height:250px}
.agm-panel.agm-hidden{display:none}
.agm-panel .agm-title{font-weight:600;font-size:14px;margin-bottom:6px;color:#111827}
.agm-panel h4{margin:8px 0 2px;font-size:11px;text-transform:uppercase;letter-spacing:.05em;
 color:#64748b}
.agm-panel p{margin:4px 0}
.agm-panel ul{margin:4px 0;padding-left:18px}
.agm-panel code{font:12px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
 background:#eef2f7;border-radius:4px;padding:0 3px}
.agm-panel pre{font:12px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
 background:#eef2f7;border-radius:6px;padding:6px 8px;margin:4px 0;overflow:auto;
 white-space:pre-wrap;word-break:break-word}
.agm-panel .agm-rule{color:#334155;background:#fff;border-left:3px solid #e11d48;
 padding:4px 8px;border-radius:0 6px 6px 0}
.agm-panel ul.agm-out{list-style:none;padding:0;font-size:12.5px}
.agm-panel ul.agm-out li{border-top:1px solid #e2e8f0;padding:3px 2px}
.agm-panel .agm-code pre{background:#0f172a;color:#e2e8f0}
.agm-panel .agm-code .agm-new{color:#fda4af;font-weight:600}
.agm-key{display:flex;flex-wrap:wrap;gap:4px 12px;margin-top:6px;color:#475569;font-size:12px}
.agm-key span:before{content:'';display:inline-block;width:14px;height:10px;margin-right:4px;
 vertical-align:-1px;border-radius:3px;border:2px solid var(--c);background:var(--f,#fff)}
.agm-key span.agm-hint:before{display:none}
.agm-status{color:#0f766e;font-weight:600}
"""

# Icons drawn as SVG paths: every browser renders them, with or without a symbol font.
ICONS = {
    "play": "M2 1l7 4-7 4z",
    "pause": "M2 1h2.2v8H2zM5.8 1H8v8H5.8z",
    "prev": "M8 1L2 5l6 4z",
    "next": "M2 1l6 4-6 4z",
    "first": "M1 1h1.6v8H1zM9 1L3 5l6 4z",
    "last": "M1 1l6 4-6 4zM7.4 1H9v8H7.4z",
}


def icon(name: str) -> str:
    """A small inline SVG icon (see ``ICONS``)."""
    return (f'<svg viewBox="0 0 10 10" aria-hidden="true"><path d="{ICONS[name]}"/></svg>')


def key_html(lang: str = "en", legend: bool = True) -> str:
    """The colour key under the picture: what the frames' colours mean, and the box kinds."""
    def item(colour: str, fill: str, key: str) -> str:
        return f'<span style="--c:{colour};--f:{fill}">{html.escape(say(lang, key))}</span>'
    items = [item("#e11d48", "#fff1f2", "key_running"), item("#d97706", "#fff", "key_ready"),
             item("#0f766e", "#fff", "key_ran")]
    if legend:
        for kind, key in (("output", "key_output"), ("leaf", "key_leaf"),
                          ("tensor", "key_tensor"), ("op", "key_op"),
                          ("accumulate", "key_accumulate")):
            look = style.LOOKS[kind]
            items.append(item(look.border, look.fill, key))
        items.append(f'<span class="agm-hint">{html.escape(say(lang, "key_hover"))}</span>')
    return '<div class="agm-key">' + "".join(items) + "</div>"


KEY = key_html()

SCRIPT = r"""
(function () {
  var root = document.currentScript && document.currentScript.parentElement;
  if (!root || !root.classList.contains('agm-player')) {
    root = document.getElementById(%(id)s);
  }
  if (!root || root.dataset.ready) { return; }
  root.dataset.ready = '1';
  var data = JSON.parse(root.querySelector('script.agm-data').textContent);
  var frames = data.frames, panels = data.panels, first = data.first, n = panels.length;
  var words = data.words;
  var picture = root.querySelector('.agm-picture'), panel = root.querySelector('.agm-panel');
  var slider = root.querySelector('input.agm-slider'), count = root.querySelector('.agm-count');
  var playButton = root.querySelector('button.agm-play');
  var toggle = root.querySelector('button.agm-toggle');
  var speed = root.querySelector('select.agm-speed');
  var shown = {}, k = 0, timer = null, id;
  for (id in first) { shown[id] = first[id]; }
  function groupsAt(j) {
    var m = {}, i, p;
    for (i = 1; i <= j; i++) { p = frames[i]; for (id in p) { m[id] = p[id]; } }
    return m;
  }
  function swap(gid, text) {
    var el = picture.querySelector('g[id="' + gid + '"]');
    if (!el) { return; }
    var holder = document.createElementNS(el.namespaceURI, 'svg');
    holder.innerHTML = text;
    el.replaceWith(holder.firstElementChild);
  }
  function show(j) {
    k = Math.max(0, Math.min(n - 1, j));
    var m = groupsAt(k), want;
    for (id in first) {
      want = (id in m) ? m[id] : first[id];
      if (shown[id] !== want) { swap(id, want); shown[id] = want; }
    }
    panel.innerHTML = panels[k];
    follow();
    slider.value = k;
    root.dataset.frame = k;
    count.textContent = k === 0 ? words.start.replace('{n}', n - 1)
      : words.step.replace('{k}', k).replace('{n}', n - 1);
  }
  function follow() {  // keep the running node in sight when the picture scrolls
    var g = picture.querySelector('g.node.running') || picture.querySelector('g.node.ready');
    if (!g || picture.scrollHeight <= picture.clientHeight &&
        picture.scrollWidth <= picture.clientWidth) { return; }
    var r = g.getBoundingClientRect(), c = picture.getBoundingClientRect();
    picture.scrollTop += (r.top + r.height / 2) - (c.top + c.height / 2);
    picture.scrollLeft += (r.left + r.width / 2) - (c.left + c.width / 2);
  }
  function label(name) {
    playButton.innerHTML = data.icons[name] + ' ' + words[name];
    root.dataset.playing = name === 'pause' ? '1' : '';
  }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    label('play');
  }
  function play() {
    if (timer) { stop(); return; }
    if (k >= n - 1) { show(0); }  // at the end, Play starts again from the start
    label('pause');
    timer = setInterval(function () {
      show(k + 1);
      if (k >= n - 1) { stop(); }  // at once: a click on Play now starts again
    }, +speed.value);
  }
  root.addEventListener('click', function (e) {
    var button = e.target.closest('button'), act = button && button.dataset.act;
    if (!act) { return; }
    if (act === 'play') { play(); return; }
    if (act === 'toggle') {
      var open = panel.classList.toggle('agm-hidden') === false;
      toggle.setAttribute('aria-pressed', open ? 'true' : 'false');
      return;
    }
    stop();
    show({first: 0, prev: k - 1, next: k + 1, last: n - 1}[act]);
  });
  slider.addEventListener('input', function () { stop(); show(+slider.value); });
  speed.addEventListener('change', function () { if (timer) { stop(); play(); } });
  root.addEventListener('keydown', function (e) {
    if (e.target.tagName === 'SELECT' || e.target.tagName === 'INPUT') { return; }
    if (e.key === 'ArrowRight') { stop(); show(k + 1); e.preventDefault(); }
    else if (e.key === 'ArrowLeft') { stop(); show(k - 1); e.preventDefault(); }
    else if (e.key === ' ') { play(); e.preventDefault(); }
  });
  show(0);
})();
"""


def strip_prolog(svg: str) -> str:
    """The ``<svg>`` element alone, for an HTML page: no XML declaration, DOCTYPE or comment
    before it, and no ``xmlns`` attributes (HTML puts inline SVG in its namespace anyway), so
    that the page holds no URL at all."""
    start = svg.find("<svg")
    if start < 0:
        return svg
    head_end = svg.index(">", start)
    head = _XMLNS.sub("", svg[start:head_end])
    return head + svg[head_end:]


_XMLNS = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')


def _json(data: object) -> str:
    # ``</`` is escaped so that no string can close the <script> element early
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")


def player_html(frames: Frames, panels: Sequence[str], title: str = "",
                interval: int = 1000, lang: str = "en", legend: bool = True) -> str:
    """The player's HTML (a fragment for a notebook or a page); see the module docstring."""
    if len(panels) != len(frames):
        raise ValueError(f"{len(frames)} frames but {len(panels)} panels")
    first = frames.groups(0)
    later = [frames.changes(k) for k in range(1, len(frames))]
    changing = {key for change in later for key in change}
    words = {"start": say(lang, "count_start", n="{n}"),
             "step": say(lang, "count_step", k="{k}", n="{n}"),
             "play": say(lang, "play"), "pause": say(lang, "pause")}
    data = {"first": {key: first[key] for key in sorted(changing)},
            "frames": [{}] + later, "panels": list(panels), "words": words,
            "icons": {"play": icon("play"), "pause": icon("pause")}}
    blob = _json(data)
    player_id = "agm-" + hashlib.sha1(blob.encode("utf-8")).hexdigest()[:12]
    speeds = "".join(f'<option value="{ms}"{" selected" if ms == interval else ""}>{name}'
                     "</option>" for name, ms in SPEEDS)
    last = len(frames) - 1
    off = " disabled" if last == 0 else ""  # one frame: nothing to play
    heading = f'<div class="agm-heading">{html.escape(title)}</div>' if title else ""
    svg = strip_prolog(frames.svg(0))
    mode = fit.layout(svg)

    def button(act: str, name: str, text: str, tip: str, extra: str = "") -> str:
        return (f'<button data-act="{act}"{extra} title="{html.escape(tip)}"{off}>'
                f"{icon(name)}{' ' + html.escape(text) if text else ''}</button>")
    return (
        f'<div class="agm-player" id="{player_id}" tabindex="0" data-frames="{len(frames)}" '
        f'data-frame="0" lang="{"zh-Hans" if lang == "zh" else "en"}">'
        f"<style>{CSS}</style>{heading}"
        '<div class="agm-bar">'
        + button("first", "first", "", say(lang, "first"))
        + button("prev", "prev", say(lang, "back"), say(lang, "back") + " (\u2190)")
        + button("play", "play", say(lang, "play"), say(lang, "play") + " / "
                 + say(lang, "pause") + " (space)", ' class="agm-play"')
        + button("next", "next", say(lang, "next"), say(lang, "next") + " (\u2192)")
        + button("last", "last", "", say(lang, "last"))
        + f'<input class="agm-slider" type="range" min="0" max="{last}" value="0" '
        f'aria-label="{html.escape(say(lang, "step"))}"{off}>'
        f'<span class="agm-count">{html.escape(say(lang, "count_start", n=last))}</span>'
        f'<select class="agm-speed" aria-label="{html.escape(say(lang, "speed"))}"{off}>'
        f"{speeds}</select>"
        f'<button class="agm-toggle" data-act="toggle" aria-pressed="true">'
        f'{html.escape(say(lang, "explanation"))}</button>'
        "</div>"
        f'<div class="agm-main agm-{mode}">'
        f'<div class="agm-picture{" agm-large" if frames.large else ""}">'
        f"{fit.fitted(svg, mode)}</div>"
        f'<div class="agm-panel">{panels[0]}</div>'
        f"</div>{key_html(lang, legend)}"
        f'<script type="application/json" class="agm-data">{blob}</script>'
        f"<script>{SCRIPT % {'id': json.dumps(player_id)}}</script>"
        "</div>")


SPEEDS = (("0.5\u00d7", 2000), ("1\u00d7", 1000), ("2\u00d7", 500), ("4\u00d7", 250))


def page(fragment: str, title: str = "autograd_lab: backward pass", lang: str = "en") -> str:
    """A whole HTML page around a player (what ``save_html`` writes)."""
    code = "zh-Hans" if lang == "zh" else "en"
    return (f"<!DOCTYPE html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title>"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "</head><body style=\"margin:16px;background:#f1f5f9\">"
            f"{fragment}</body></html>\n")


_URL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def external_references(text: str) -> list[str]:
    """Any ``src=``/``href=`` in ``text`` that points at the network (none, in a player)."""
    return [m.group(0) for m in _URL.finditer(text)]
