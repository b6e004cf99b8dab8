"""Colours people can read: WCAG contrast, and the nearest shade of a brand colour that
reaches it.

A client's ``#rrggbb`` brand colour is used as given where it only decorates (borders, the
colour of a band), and as the nearest shade that reads where text depends on it: white
header text on it and links on white (both need the same ratio), links on the dark
scheme's background.
"""

from __future__ import annotations

TEXT_CONTRAST = 4.5
"""WCAG AA for body text."""
WHITE = "#ffffff"
BLACK = "#000000"
SLATE_BACKGROUND = "#1e2129"
"""Material's dark ("slate") page background: hsl(225, 15%, 14%)."""


def luminance(colour: str) -> float:
    """The relative luminance of a ``#rrggbb`` colour (0 black to 1 white), as WCAG defines it."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mixed(colour: str, other: str, share: float) -> str:
    """``colour`` with ``share`` (0 to 1) of ``other`` mixed in, as ``#rrggbb``."""
    channels = (
        round(int(colour[i : i + 2], 16) * (1 - share) + int(other[i : i + 2], 16) * share)
        for i in (1, 3, 5)
    )
    return "#" + "".join(f"{c:02x}" for c in channels)


def readable_on(colour: str, background: str, ratio: float = TEXT_CONTRAST) -> str:
    """The shade of ``colour`` nearest to it that reaches ``ratio`` against ``background``:
    the colour itself when it does, else mixed with black on a light background or with
    white on a dark one, in steps of 1%, as little as it takes."""
    colour = colour.lower()
    towards = BLACK if contrast(background, BLACK) > contrast(background, WHITE) else WHITE
    for step in range(101):
        shade = mixed(colour, towards, step / 100)
        if contrast(shade, background) >= ratio:
            return shade
    return towards  # pragma: no cover - pure black or white always reaches 4.5:1
