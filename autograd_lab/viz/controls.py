"""The JupyterLab controls of an animation or a stepper: ipywidgets, driven by plain objects.

``PassControls(source)`` shows ``source``'s frames: a ``Play`` (play/pause at the chosen speed),
``Back`` and ``Next`` buttons, an ``IntSlider`` over the frames, a speed menu, the picture and
the panel (``HTML`` widgets). Moving the slider (or playing, which moves it in the browser)
draws that frame. The widgets hold the picture in their own state (``HTML.value``): nothing is
printed into an ``Output`` from a callback, so a saved notebook shows what a fresh run shows.

``source`` needs ``__len__`` (the frames so far), ``frame_svg(k, window=None)``,
``panel_html(k)``, and may have ``large`` (then the picture follows the running node, in a
window) and, for a stepper that makes frames on demand, ``advance()`` (make one more frame;
False when there is none to make), ``total_frames`` and ``done``. Then the slider and Play
reach every frame to come, and moving to frame k makes the calls up to k: Play calls one node
per tick, dragging to the end calls them all.

Every button does something sensible from every state: Play at the end starts again from the
start and plays through (ipywidgets' Play does that); Next at the end and Back at the start
change nothing and say so in a status line; "Call all" on a finished stepper says so. A button
toggles the explanation. The picture is sized by ``fit`` (readable text, no overflow when
avoidable). Tests drive it without a browser::

    controls.slider.value = 2          # what dragging the slider or playing does
    controls.next_button.click()       # one step forward
    controls.picture.value             # the SVG shown
"""
from __future__ import annotations

import html
from typing import Any, Protocol

from . import fit
from .player import CSS, SPEEDS, key_html, strip_prolog
from .wording import say


class FrameSource(Protocol):
    def __len__(self) -> int: ...
    def frame_svg(self, k: int, window: tuple[float, float] | None = None) -> str: ...
    def panel_html(self, k: int) -> str: ...


class PassControls:
    """The widgets; ``.box`` is what a notebook shows. See the module docstring."""

    def __init__(self, source: FrameSource, interval: int = 1000, next_label: str | None = None,
                 extra: list[Any] | None = None, lang: str = "en", legend: bool = True) -> None:
        import ipywidgets as W
        self.source = source
        self.lang = lang
        # a stepper makes its frames on demand: the slider and Play reach every frame to come
        self.on_demand = hasattr(source, "advance")
        last = self._last()
        self.play = W.Play(value=0, min=0, max=last, step=1, interval=interval,
                           description=say(lang, "play"), show_repeat=False,
                           tooltip=say(lang, "play") + " / " + say(lang, "pause"))
        self.slider = W.IntSlider(value=0, min=0, max=last, step=1,
                                  description=say(lang, "step"), continuous_update=True,
                                  layout=W.Layout(flex="1 1 200px", min_width="160px"))
        # in the browser: playing moves the slider, which tells Python to draw the frame
        W.jslink((self.play, "value"), (self.slider, "value"))
        # icons from the widgets' own icon font (shipped with them), words in ``lang``
        self.back_button = W.Button(description=say(lang, "back"), icon="step-backward",
                                    tooltip=say(lang, "back"), layout=W.Layout(width="auto"))
        self.next_button = W.Button(description=next_label or say(lang, "next"),
                                    icon="step-forward", tooltip=say(lang, "next"),
                                    button_style="danger", layout=W.Layout(width="auto"))
        # a large graph is shown around the running node; untick to see all of it
        self.follow = W.Checkbox(value=bool(getattr(source, "large", False)),
                                 description=say(lang, "follow"), indent=False,
                                 layout=W.Layout(width="auto"))
        self.follow.observe(lambda _: self._draw(self.slider.value), names="value")
        self.speed = W.Dropdown(options=[(name, ms) for name, ms in SPEEDS],
                                value=interval if interval in dict(SPEEDS).values() else 1000,
                                description=say(lang, "speed"),
                                layout=W.Layout(width="150px"))
        W.dlink((self.speed, "value"), (self.play, "interval"))
        self.explain = W.ToggleButton(value=True, description=say(lang, "explanation"),
                                      tooltip=say(lang, "explanation"),
                                      layout=W.Layout(width="auto"))
        self.explain.observe(lambda change: self._show_panel(change["new"]), names="value")
        # what a click did when it changed nothing (Next at the end, Back at the start)
        self.status = W.HTML("", layout=W.Layout(width="auto"))
        self.picture = W.HTML(layout=W.Layout(max_width="100%", overflow="auto"))
        self.panel = W.HTML(layout=W.Layout(min_width="0"))
        self.back_button.on_click(lambda _: self.back())
        self.next_button.on_click(lambda _: self.forward())
        self.slider.observe(lambda change: self._draw(change["new"]), names="value")
        bar = W.HBox([self.play, self.back_button, self.next_button, self.slider, self.speed,
                      *(extra or []), self.explain,
                      *([self.follow] if self.follow.value else []), self.status],
                     layout=W.Layout(flex_flow="row wrap", align_items="center"))
        # a large picture is shown in a window made for the layout under the explanation
        self.mode = "below"
        if not self.follow.value:
            self.mode = fit.layout(self._svg(0))
        if self.mode == "side":
            self.picture.layout.flex = "0 1 auto"
            self.panel.layout.flex = "1 1 300px"
            main = W.HBox([self.picture, self.panel],
                          layout=W.Layout(align_items="flex-start", width="100%"))
        else:
            main = W.VBox([self.picture, self.panel], layout=W.Layout(width="100%"))
        self.key = W.HTML(f"<style>{CSS}</style>{key_html(lang, legend)}")
        self.box = W.VBox([bar, main, self.key])
        self._draw(0)

    @property
    def frame(self) -> int:
        """The frame shown."""
        return self.slider.value

    def _last(self) -> int:
        total = getattr(self.source, "total_frames", None) if self.on_demand else None
        return (total if total is not None else len(self.source)) - 1

    def show(self, k: int) -> None:
        """Show frame ``k`` (clipped to the frames there are, or can be made)."""
        self.slider.value = max(0, min(self.slider.max, k))

    def back(self) -> None:
        """One step back; at the start, say so."""
        if self.slider.value == 0:
            self._say("at_start")
            return
        self.show(self.slider.value - 1)

    def forward(self) -> None:
        """One step forward (a stepper makes its next call); at the end, say so."""
        if self.slider.value >= self.slider.max or (
                self.on_demand and self.slider.value >= len(self.source) - 1
                and getattr(self.source, "done", False)):
            self._say("all_called" if self.on_demand else "at_end")
            return
        self.show(self.slider.value + 1)

    def to_end(self) -> None:
        """Show the last frame (a stepper makes every call left); if already there, say so."""
        if self.on_demand and getattr(self.source, "done", False) and \
                self.slider.value == len(self.source) - 1:
            self._say("all_called")
            return
        self.show(self.slider.max)

    def refresh(self) -> None:
        """Take in frames the source made since (the slider and Play reach them)."""
        last = max(self._last(), len(self.source) - 1)
        self.play.max = last
        self.slider.max = last

    def _say(self, key: str) -> None:
        self.status.value = f'<span class="agm-status">{say(self.lang, key)}</span>'

    def _show_panel(self, shown: bool) -> None:
        self.panel.layout.display = None if shown else "none"

    def _svg(self, k: int) -> str:
        if self.follow.value:
            return strip_prolog(self.source.frame_svg(k, fit.window(self.mode)))
        return strip_prolog(self.source.frame_svg(k))

    def _draw(self, k: int) -> None:
        self.status.value = ""
        if k >= len(self.source):  # a stepper: make the calls up to frame k
            error = None
            try:
                while len(self.source) <= k and self.source.advance():  # type: ignore
                    pass
            except Exception as exc:  # noqa: BLE001 (shown to the learner, as a click's error)
                error = exc
            if len(self.source) <= k:  # nothing more to make: stay at the last frame
                self.play.playing = False
                self.slider.value = len(self.source) - 1
                if error is not None:
                    message = say(self.lang, "failed", error=html.escape(str(error)))
                    self.status.value = ('<span class="agm-status" style="color:#b91c1c">'
                                         f"{message}</span>")
                else:
                    self._say("all_called")
                return
        if k >= self.slider.max and self.play.playing:
            # stop at the last frame now (the browser's Play would wait one more tick, and a
            # click on Play then would pause it instead of starting again)
            self.play.playing = False
        svg = fit.fitted(self._svg(k), self.mode)
        # the layout's class around each part, so that the player's CSS sizes them alike
        self.picture.value = (f'<div class="agm-{self.mode}"><div class="agm-picture">{svg}'
                              "</div></div>")
        self.panel.value = (f'<div class="agm-{self.mode}"><div class="agm-panel">'
                            f"{self.source.panel_html(k)}</div></div>")
