"""Charts: valid, deterministic SVG with readable text, honest alt text and no-data handling."""

from __future__ import annotations

import functools
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable

import matplotlib
import pytest
from matplotlib.typing import RcKeyType

from generator.chart_specs import (
    Chart,
    ChartSpec,
    GapSpec,
    HeatmapSpec,
    ProgressSpec,
    QuestionBarsSpec,
    RadarSpec,
    SeriesSpec,
    spec_key,
)
from generator.charts import (
    render,
)

SVG = "{http://www.w3.org/2000/svg}"
DIMENSIONS = (
    "Customer strategy",
    "Customer expectations",
    "Customer needs and journeys",
    "Service and support capabilities",
    "Top practices",
    "Servant-leadership attitudes",
)
TEAMS = ("E-commerce", "Stores", "Support")
QUESTIONS = (
    "We map the end-to-end journey for our main customer segments",
    "Customer feedback reaches the people who can act on it within a week",
    "We know the top three reasons customers contact support",
    "Self-service answers the most common questions",
    "Hand-offs between channels keep the context of the case",
    "We measure effort, not only satisfaction",
)

RADAR = RadarSpec(
    name="radar",
    title="Maturity by dimension",
    axes=DIMENSIONS,
    series=(
        SeriesSpec("2026-q4", (60.8, None, 48.9, 66.3, 41.7, 58.0), "current"),
        SeriesSpec("2026-q2", (52.1, 50.0, 44.4, 60.2, 38.9, 49.5), "previous"),
    ),
    target=80.0,
)
BARS = QuestionBarsSpec(
    name="bars",
    title="Customer needs and journeys",
    labels=QUESTIONS,
    means=(62.5, 45.0, 70.8, 38.3, 55.0, None),
    mins=(25.0, 0.0, 50.0, 0.0, 25.0, None),
    maxs=(100.0, 100.0, 100.0, 75.0, 75.0, None),
    sds=(18.0, 31.2, 14.1, 22.0, 12.5, None),
    target=80.0,
)
HEATMAP = HeatmapSpec(
    name="heatmap",
    title="Teams by dimension",
    rows=TEAMS,
    columns=DIMENSIONS,
    values=(
        (66.0, 61.5, 55.0, 48.2, 52.3, 60.1),
        (52.4, 47.9, 42.0, 63.8, None, 55.5),
        (58.7, 56.1, 50.3, 70.4, 45.0, 44.2),
    ),
)
GAP = GapSpec(
    name="gap",
    title="Leadership and frontline",
    dimensions=DIMENSIONS,
    leadership=(72.0, 68.5, 60.0, 55.0, None, 75.0),
    frontline=(58.0, 60.1, 52.2, 57.5, 41.0, 50.0),
)
PROGRESS = ProgressSpec(
    name="progress",
    title="Progress between rounds",
    rounds=("2026-q2", "2026-q4"),
    series=(
        SeriesSpec("Overall", (49.2, 55.1), "overall"),
        SeriesSpec("Customer strategy", (52.1, 60.8), "dimension"),
        SeriesSpec("Top practices", (None, 41.7), "dimension"),
    ),
    target=80.0,
)
SPECS: dict[str, ChartSpec] = {
    "radar": RADAR,
    "bars": BARS,
    "heatmap": HEATMAP,
    "gap": GAP,
    "progress": PROGRESS,
}
LABELS: dict[str, tuple[str, ...]] = {
    "radar": DIMENSIONS,
    "bars": QUESTIONS[:5],  # the sixth is cut to fit; the table beside the chart has it
    "heatmap": TEAMS + DIMENSIONS,
    "gap": DIMENSIONS,
    "progress": ("2026-q2", "2026-q4", "Overall", "Customer strategy", "Top practices"),
}


@functools.cache
def drawn(kind: str) -> Chart:
    return render(SPECS[kind])


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{SVG}text")]


def all_text(svg: str) -> str:
    """Every text element joined, wrapped lines put back together."""
    return " ".join(texts(svg)).replace("- ", "-")


@pytest.mark.parametrize("kind", SPECS)
def test_chart_is_svg_with_its_title_and_labels_as_text(kind: str) -> None:
    chart = drawn(kind)
    assert chart.name == kind
    root = ET.fromstring(chart.svg)
    assert root.tag == f"{SVG}svg"
    shown = all_text(chart.svg)
    assert SPECS[kind].title in shown
    for label in LABELS[kind]:
        assert label in shown, label


@pytest.mark.parametrize("kind", SPECS)
def test_text_is_readable_on_a_phone_and_falls_back_to_system_fonts(kind: str) -> None:
    svg = drawn(kind).svg
    sizes = [float(size) for size in re.findall(r"font-size: ([\d.]+)px", svg)]
    assert sizes
    assert min(sizes) >= 11
    assert "sans-serif" in svg
    assert "@font-face" not in svg


@pytest.mark.parametrize("kind", SPECS)
def test_svg_carries_no_date_or_tool_version(kind: str) -> None:
    svg = drawn(kind).svg
    assert "<dc:date" not in svg
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", svg)
    assert "Matplotlib v" not in svg
    assert matplotlib.__version__ not in svg


@pytest.mark.parametrize("kind", ["radar", "bars"])
def test_the_same_spec_renders_to_the_same_bytes(kind: str) -> None:
    again = render(SPECS[kind])  # a fresh drawing, not the cached one
    assert again.svg.encode() == drawn(kind).svg.encode()
    assert again.alt == drawn(kind).alt


def test_spec_key_is_the_same_for_equal_specs_and_differs_otherwise() -> None:
    again = GapSpec(
        name="gap",
        title="Leadership and frontline",
        dimensions=DIMENSIONS,
        leadership=(72, 68.5, 60, 55, None, 75),  # ints equal to the floats
        frontline=GAP.frontline,
    )
    assert again == GAP
    assert spec_key(again) == spec_key(GAP)
    assert re.fullmatch(r"[0-9a-f]{64}", spec_key(GAP))
    moved = GapSpec(GAP.name, GAP.title, DIMENSIONS, GAP.leadership, GAP.frontline, 25.0)
    keys = {spec_key(spec) for spec in (*SPECS.values(), moved)}
    assert len(keys) == len(SPECS) + 1


def test_radar_alt_text_gives_every_number_and_says_no_data() -> None:
    alt = drawn("radar").alt
    assert "six dimensions" in alt
    assert "target of 80" in alt
    assert "Customer strategy 60.8" in alt
    assert "Customer expectations no data" in alt
    assert "2026-q2" in alt
    assert "Customer expectations 50.0" in alt
    assert "no data: 2026-q4" in all_text(drawn("radar").svg)


def test_alt_texts_state_the_numbers_as_shown() -> None:
    assert "Customer feedback reaches the people who can act on it within a week: 45.0" in (
        drawn("bars").alt
    )
    assert "Stores: Customer strategy 52.4" in drawn("heatmap").alt
    assert "Top practices no data" in drawn("heatmap").alt
    assert "Servant-leadership attitudes: leadership 75.0, frontline 50.0, gap 25.0" in (
        drawn("gap").alt
    )
    assert "Overall: 2026-q2 49.2, 2026-q4 55.1" in drawn("progress").alt
    for kind in ("bars", "heatmap", "gap", "progress"):
        assert "no data" in drawn(kind).alt, kind


def test_bars_mark_a_disagreement_by_hatching_and_a_symbol() -> None:
    svg = drawn("bars").svg
    assert "<pattern" in svg  # the hatch
    marked = [text for text in texts(svg) if text.startswith("↔")]
    # the first line of the one question with sd >= 25, and the legend explaining the mark
    assert marked == ["↔ Customer feedback", "↔ disagreement (sd ≥ 25)"]
    assert "disagree" in drawn("bars").alt

    calm = QuestionBarsSpec(
        "calm", "Calm", ("One", "Two"), (50.0, 60.0), (40.0, 50.0), (60.0, 70.0), (5.0, 5.0), 80
    )
    calm_svg = render(calm).svg
    assert "<pattern" not in calm_svg
    assert "↔" not in calm_svg


def test_bars_label_the_target_and_the_means() -> None:
    shown = texts(drawn("bars").svg)
    assert "target 80" in shown
    assert {"62.5", "45.0", "70.8", "no data"} <= set(shown)


def test_heatmap_prints_every_cell_with_readable_contrast() -> None:
    spec = HeatmapSpec("contrast", "Contrast", ("Team",), ("High", "Low", "None"), ((95, 5, None),))
    cells = {
        element.text: element.get("style", "")
        for element in ET.fromstring(render(spec).svg).iter(f"{SVG}text")
    }
    assert "fill: #ffffff" in cells["95.0"]  # white on the dark end
    assert "fill: #222222" in cells["5.0"]  # dark on the light end
    assert "—" in cells


def test_a_big_perception_gap_is_bold() -> None:
    styles = {
        element.text: element.get("style", "")
        for element in ET.fromstring(drawn("gap").svg).iter(f"{SVG}text")
    }
    assert "font-weight: 700" in styles["25.0"]
    assert "font-weight" not in styles["14.0"]
    assert "at or above 20" in drawn("gap").alt


def test_charts_with_nothing_but_gaps_still_render() -> None:
    empty = (None,) * 6
    specs: list[ChartSpec] = [
        RadarSpec("r", "R", DIMENSIONS, (SeriesSpec("now", empty, "current"),), None),
        ProgressSpec(
            "p", "P", ("2026-q4",), (SeriesSpec("Overall", (None,), "overall"),), target=80
        ),
    ]
    for spec in specs:
        chart = render(spec)
        ET.fromstring(chart.svg)
        assert "no data" in chart.alt


def test_text_from_answer_sheets_is_escaped_and_not_mathtext() -> None:
    spec = HeatmapSpec("odd", "R&D <b>", ("R&D <b>", "$5 club"), ("A",), ((50.0,), (60.0,)))
    shown = texts(render(spec).svg)
    assert "R&D <b>" in shown
    assert "$5 club" in shown


def test_rendering_leaves_global_matplotlib_settings_alone() -> None:
    # Settings the charts change while drawing (not "backend": reading it loads pyplot).
    keys: tuple[RcKeyType, ...] = (
        "svg.hashsalt",
        "svg.fonttype",
        "font.family",
        "font.size",
        "text.parse_math",
    )
    before = {key: matplotlib.rcParams[key] for key in keys}
    render(HeatmapSpec("h", "H", ("A",), ("B",), ((1.0,),)))
    assert {key: matplotlib.rcParams[key] for key in keys} == before


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: GapSpec("gap", "G", ("A", "B"), (1.0,), (1.0, 2.0)), "leadership has 1 values"),
        (lambda: SeriesSpec("now", (101.0,), "current"), "outside 0..100"),
        (lambda: HeatmapSpec("../x", "H", ("A",), ("B",), ((1.0,),)), "safe file-name"),
        (
            lambda: RadarSpec(
                "r", "R", ("A", "B", "C"), (SeriesSpec("o", (1, 2, 3), "overall"),), 80
            ),
            "not for a radar",
        ),
    ],
)
def test_bad_specs_are_refused_with_a_message(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        make()
    assert message in str(raised.value)


def test_render_refuses_what_is_not_a_spec() -> None:
    with pytest.raises(TypeError):
        render("radar")  # type: ignore[arg-type]


def test_rendering_never_loads_pyplot() -> None:
    """pyplot keeps global figures; worker processes rendering charts must not pick it up."""
    if "matplotlib.pyplot" in sys.modules:
        pytest.skip("another test loaded pyplot already")
    render(HeatmapSpec("h", "H", ("A",), ("B",), ((1.0,),)))
    assert "matplotlib.pyplot" not in sys.modules
