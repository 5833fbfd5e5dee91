"""The JupyterLab controls of an animation or a stepper: ipywidgets, driven by plain objects.

``PassControls(source)`` shows ``source``'s frames: a ``Play`` (play/pause at the chosen speed),
``Back`` and ``Next`` buttons, an ``IntSlider`` over the frames, a speed menu, the picture and
the panel (``HTML`` widgets). Moving the slider (or playing, which moves it in the browser)
draws that frame. The widgets hold the picture in their own state (``HTML.value``): nothing is
printed into an ``Output`` from a callback, so a saved notebook shows what a fresh run shows.

``source`` needs ``__len__`` (the frames so far), ``frame_svg(k, window=None)``,
``panel_html(k)``, and may have ``large`` (then the picture follows the running node, in a
window) and, for a stepper that makes frames on demand, ``advance()`` (make one more frame;
False when there is none to make). Tests drive it without a browser::

    controls.slider.value = 2          # what dragging the slider or playing does
    controls.next_button.click()       # one step forward
    controls.picture.value             # the SVG shown
"""
from __future__ import annotations

from typing import Any, Protocol

from .player import CSS, KEY, SPEEDS, strip_prolog


class FrameSource(Protocol):
    def __len__(self) -> int: ...
    def frame_svg(self, k: int, window: tuple[float, float] | None = None) -> str: ...
    def panel_html(self, k: int) -> str: ...


class PassControls:
    """The widgets; ``.box`` is what a notebook shows. See the module docstring."""

    def __init__(self, source: FrameSource, interval: int = 1000, next_label: str = "Next \u25b6",
                 extra: list[Any] | None = None) -> None:
        import ipywidgets as W
        self.source = source
        last = len(source) - 1
        self.play = W.Play(value=0, min=0, max=last, step=1, interval=interval,
                           description="play", show_repeat=False,
                           tooltip="play / pause the backward pass")
        self.slider = W.IntSlider(value=0, min=0, max=last, step=1, description="step",
                                  continuous_update=True,
                                  layout=W.Layout(flex="1 1 220px", min_width="160px"))
        # in the browser: playing moves the slider, which tells Python to draw the frame
        W.jslink((self.play, "value"), (self.slider, "value"))
        self.back_button = W.Button(description="\u25c0 Back", tooltip="one step back",
                                    layout=W.Layout(width="auto"))
        self.next_button = W.Button(description=next_label, tooltip="one step forward",
                                    button_style="danger", layout=W.Layout(width="auto"))
        # a large graph is shown around the running node; untick to see all of it
        self.follow = W.Checkbox(value=bool(getattr(source, "large", False)),
                                 description="follow the running node", indent=False,
                                 layout=W.Layout(width="auto"))
        self.follow.observe(lambda _: self._draw(self.slider.value), names="value")
        self.speed = W.Dropdown(options=[(name, ms) for name, ms in SPEEDS],
                                value=interval if interval in dict(SPEEDS).values() else 1000,
                                description="speed", layout=W.Layout(width="150px"))
        W.dlink((self.speed, "value"), (self.play, "interval"))
        self.picture = W.HTML(layout=W.Layout(flex="1 1 380px", min_width="260px",
                                              overflow="auto"))
        self.panel = W.HTML(layout=W.Layout(flex="0 1 380px", min_width="260px"))
        self.back_button.on_click(lambda _: self.show(self.slider.value - 1))
        self.next_button.on_click(lambda _: self.forward())
        self.slider.observe(lambda change: self._draw(change["new"]), names="value")
        bar = W.HBox([self.play, self.back_button, self.next_button, self.slider, self.speed,
                      *(extra or []), *([self.follow] if self.follow.value else [])],
                     layout=W.Layout(flex_flow="row wrap", align_items="center"))
        main = W.HBox([self.picture, self.panel],
                      layout=W.Layout(flex_flow="row wrap", align_items="flex-start"))
        self.key = W.HTML(f"<style>{CSS}</style>{KEY}")
        self.box = W.VBox([bar, main, self.key])
        self._draw(0)

    @property
    def frame(self) -> int:
        """The frame shown."""
        return self.slider.value

    def show(self, k: int) -> None:
        """Show frame ``k`` (clipped to the frames there are)."""
        self.slider.value = max(0, min(len(self.source) - 1, k))

    def forward(self) -> None:
        """One step forward; at the last frame, ask the source to make another."""
        if self.slider.value >= len(self.source) - 1:
            advance = getattr(self.source, "advance", None)
            if advance is None or not advance():
                return
            self.refresh()
        self.show(self.slider.value + 1)

    def refresh(self) -> None:
        """Take in frames the source made since (the slider and Play reach them)."""
        last = len(self.source) - 1
        self.play.max = last
        self.slider.max = last

    def _draw(self, k: int) -> None:
        from .frames import WINDOW
        svg = self.source.frame_svg(k, WINDOW) if self.follow.value else self.source.frame_svg(k)
        self.picture.value = f'<div class="agm-picture">{strip_prolog(svg)}</div>'
        self.panel.value = f'<div class="agm-panel">{self.source.panel_html(k)}</div>'
