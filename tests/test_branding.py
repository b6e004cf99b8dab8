"""A client's own ``#rrggbb`` colours stay readable: the theme gets the nearest shade that
reaches WCAG's 4.5:1 wherever text depends on them, and the colour check is exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.loading import load_assessment
from generator.colours import SLATE_BACKGROUND, WHITE, contrast, mixed, readable_on
from generator.site import generate, prepare

from .conftest import Problems, WriteProject

SHADES = [
    # colour, on white, on the dark scheme's #1e2129 (hand-checked ratios in the comments)
    # #66cc99 is 1.97:1 on white; mixed with 36% black, #418362, 4.52:1 (35%: 4.41:1).
    # On #1e2129 it reads as it is: 8.17:1.
    pytest.param("#66cc99", "#418362", "#66cc99", id="light-green"),
    # #1a7f5a reads on white (4.97:1), not on #1e2129 (3.24:1): with white mixed in, #439678.
    pytest.param("#1a7f5a", "#1a7f5a", "#439678", id="dark-green"),
    # #1a237e: 13.24:1 on white, 1.22:1 on #1e2129 -> #7f84b7, 4.51:1.
    pytest.param("#1A237E", "#1a237e", "#7f84b7", id="navy-upper-case"),
    # #ffeb3b (yellow): 1.22:1 on white -> #82781e, 4.51:1; 13.18:1 on #1e2129.
    pytest.param("#ffeb3b", "#82781e", "#ffeb3b", id="yellow"),
]


@pytest.mark.parametrize(("colour", "on_white", "on_slate"), SHADES)
def test_the_nearest_readable_shade(colour: str, on_white: str, on_slate: str):
    assert readable_on(colour, WHITE) == on_white
    assert readable_on(colour, SLATE_BACKGROUND) == on_slate
    assert contrast(on_white, WHITE) >= 4.5 and contrast(on_slate, SLATE_BACKGROUND) >= 4.5


def test_one_step_less_would_not_read():
    """The shade is the nearest: 1% less black and #66cc99 falls short on white."""
    assert round(contrast(mixed("#66cc99", "#000000", 0.35), WHITE), 2) == 4.41
    assert round(contrast("#418362", WHITE), 2) == 4.52


@pytest.mark.parametrize(("colour", "on_white", "on_slate"), SHADES)
def test_the_theme_gets_the_readable_shades(
    write_project: WriteProject, colour: str, on_white: str, on_slate: str
):
    project = write_project(
        {
            "assessment.yml": f'client: X\nbank: bank.yml\nbranding: {{primary: "{colour}"}}\n',
            "answers/a.yml": "team: X\nanswers:\n  alpha.one: 4\n",
        }
    )
    assessment, results, plan = prepare(project)
    css = generate(assessment, results, plan, {})["docs/assets/branding.css"].decode()
    lower = colour.lower()
    assert css == (
        f'[data-md-color-primary="custom"] {{ --md-primary-fg-color: {lower}; '
        f"--md-primary-fg-color--light: {lower}; --md-primary-fg-color--dark: {on_white}; }}\n"
        '[data-md-color-scheme="slate"][data-md-color-primary="custom"] '
        f"{{ --md-typeset-a-color: {on_slate}; }}\n"
    )


def test_a_colour_with_a_line_break_is_refused(problems_of: Problems):
    assert problems_of(
        {"assessment.yml": 'client: Test Co\nbank: bank.yml\nbranding: {primary: "#1a7f5a\\n"}\n'}
    ) == [
        "proj/assessment.yml:3:21: branding.primary: unknown colour '#1a7f5a\\x0a'; "
        "use a Material colour name (indigo, teal, ...) or #rrggbb"
    ]


def test_a_plain_hex_colour_is_accepted(write_project: WriteProject):
    project = write_project(
        {"assessment.yml": 'client: X\nbank: bank.yml\nbranding: {primary: "#1a7f5a"}\n'}
    )
    assert load_assessment(Path(project)).settings.primary == "#1a7f5a"
