"""Charts for the report site: small frozen specs in, deterministic SVG plus alt text out.

Every chart is drawn with matplotlib's object API (a :class:`~matplotlib.figure.Figure`,
never ``pyplot``) inside :func:`matplotlib.rc_context`, so rendering touches no global
state and is safe in worker processes. The SVG is byte-identical for the same spec and
matplotlib version: ids come from a fixed hash salt and the metadata carries no date or
creator. Text stays text (``svg.fonttype: none``) so the browser renders it with the
reader's fonts and screen readers and search can read it.

Nothing is shown by colour alone: series also differ by marker and line style, a
disagreement is hatched and marked in its label, a large perception gap is drawn thicker
and in bold, and the palette is Okabe-Ito. Scores are 0..100 or ``None`` (no data), which
is drawn as a gap or a "no data" label and said in the alt text.

A spec holds only tuples, strings, floats and ``None``, so it is hashable and
:func:`spec_key` can key a cache of rendered charts.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from typing import Any, cast

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import BoundaryNorm, Colormap, LinearSegmentedColormap, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.projections.polar import PolarAxes
from matplotlib.transforms import blended_transform_factory
from matplotlib.typing import RcKeyType

from assessment.scoring import DISAGREEMENT_SD

from .chart_specs import (
    Chart,
    ChartSpec,
    GapSpec,
    HeatmapSpec,
    ProgressSpec,
    QuestionBarsSpec,
    RadarSpec,
    Score,
    SeriesSpec,
    format_score,
)

# Okabe-Ito, ordered so the first few series are the most distinct; yellow last because
# it is faint on white (its markers get a dark edge).
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
SKY = "#56B4E9"
VERMILLION = "#D55E00"
YELLOW = "#F0E442"
BLACK = "#000000"
SERIES_COLOURS = (BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY, BLACK, YELLOW)
SERIES_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")
SERIES_LINESTYLES = ("-", "--", "-.", ":")
TEXT = "#222222"
MUTED = "#666666"
GRID = "#d9d9d9"
NO_DATA_FILL = "#f2f2f2"
# The target is the same dark dashed line without markers on every chart.
TARGET_STYLE: dict[str, Any] = {"color": TEXT, "linestyle": (0, (6, 3)), "linewidth": 1.6}

# A chart's natural size is its drawing plus its labels (the saved box is cropped to them):
# about 5.5-6 inches across. It is shown scaled to the column, down to ~340 px on a phone,
# so the narrower it is the larger its 11-12 pt text reads there.
FIG_WIDTH = 6.4  # inches of canvas to lay out on
LABEL_WIDTH = 16  # characters per line of a wrapped dimension or team title
QUESTION_WIDTH = 24  # characters per line of a wrapped question title
LEGEND_WIDTH = 24  # characters per line of a legend entry
DISAGREE_MARK = "↔"

_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)

_STYLE: dict[RcKeyType, Any] = {
    "svg.hashsalt": "cxmaturity",
    "svg.fonttype": "none",
    "svg.id": None,
    "font.family": "sans-serif",
    # Layout is measured with DejaVu Sans, bundled with matplotlib, so it is the same on
    # every machine; the rest of the stack is what the browser falls back to.
    "font.sans-serif": ["DejaVu Sans", "Helvetica Neue", "Helvetica", "Arial", "Liberation Sans"],
    "font.size": 12,
    "axes.titlesize": 14,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 12,
    "legend.fontsize": 11,
    "text.color": TEXT,
    "text.parse_math": False,  # a "$" in a team name is text, not mathtext
    "text.usetex": False,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": "#888888",
    "axes.facecolor": "white",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": True,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "savefig.transparent": False,
    "legend.frameon": False,
    "hatch.linewidth": 1.5,
    "path.simplify": False,
}
# Drop the date (changes every run) and the creator (names the matplotlib version).
_METADATA_REMOVED: dict[str, Any] = {"Date": None, "Creator": None, "Format": None, "Type": None}


def render(spec: ChartSpec) -> Chart:
    """Draw the chart ``spec`` describes."""
    if isinstance(spec, RadarSpec):
        return radar_chart(spec)
    if isinstance(spec, QuestionBarsSpec):
        return question_bars_chart(spec)
    if isinstance(spec, HeatmapSpec):
        return heatmap_chart(spec)
    if isinstance(spec, GapSpec):
        return gap_chart(spec)
    if isinstance(spec, ProgressSpec):
        return progress_chart(spec)
    raise TypeError(f"not a chart spec: {type(spec).__name__}")


# --- radar -------------------------------------------------------------------------------


def radar_chart(spec: RadarSpec) -> Chart:
    """Dimensions on spokes, rings at 20/40/60/80, the target as a dashed ring."""
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(FIG_WIDTH, 4.8))
        size = 2.9  # inches across the plot circle; the labels go around it
        ax = cast(
            PolarAxes,
            fig.add_axes(
                (
                    (FIG_WIDTH - size) / 2 / FIG_WIDTH,
                    (4.8 - size) / 2 / 4.8,
                    size / FIG_WIDTH,
                    size / 4.8,
                ),
                projection="polar",
            ),
        )
        count = len(spec.axes)
        angles = [2 * math.pi * i / count for i in range(count)]
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        ax.set_ylim(0, 100)
        ax.set_xticks(angles)
        ax.set_xticklabels([])
        rings = (20, 40, 60, 80)
        ax.set_yticks(rings)
        ax.set_yticklabels([])
        # Ring numbers drawn as texts above the data, on a white patch, so a line crossing
        # them cannot make them unreadable (the axis draws its own labels under the lines).
        for ring in rings:
            ax.text(
                math.pi / count,
                ring,
                str(ring),
                ha="center",
                va="center",
                fontsize=11,
                color=MUTED,
                zorder=6,
                bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none"},
            )
        ax.grid(True, color=GRID, linewidth=0.8)
        ax.spines["polar"].set_color("#bbbbbb")

        closed = [*angles, angles[0]]
        handles: list[Artist] = []
        team_index = 0
        for series in spec.series:
            values = [_nan(v) for v in (*series.values, series.values[0])]
            if series.role == "current":
                (line,) = ax.plot(
                    closed,
                    values,
                    color=BLUE,
                    linewidth=2.5,
                    marker="o",
                    markersize=7,
                    label=_wrap(series.label, LEGEND_WIDTH, 2),
                    zorder=4,
                )
                if all(v is not None for v in series.values):
                    ax.fill(closed, values, color=BLUE, alpha=0.15, zorder=3)
            elif series.role == "previous":
                (line,) = ax.plot(
                    closed,
                    values,
                    color=ORANGE,
                    linewidth=2.2,
                    linestyle=":",
                    marker="s",
                    markersize=6,
                    label=_wrap(series.label, LEGEND_WIDTH, 2),
                    zorder=3,
                )
            else:
                colour, marker, linestyle = _series_look(team_index)
                team_index += 1
                (line,) = ax.plot(
                    closed,
                    values,
                    color=colour,
                    linewidth=2,
                    linestyle=linestyle,
                    marker=marker,
                    markersize=7,
                    markeredgecolor=_edge(colour),
                    label=_wrap(series.label, LEGEND_WIDTH, 2),
                    zorder=4,
                )
            handles.append(line)
        if spec.target is not None:
            circle = np.linspace(0, 2 * math.pi, 181)
            (target_line,) = ax.plot(
                circle,
                np.full_like(circle, spec.target),
                label=f"target {_format_target(spec.target)}",
                zorder=2,
                **TARGET_STYLE,
            )
            handles.append(target_line)

        for index, (angle, title) in enumerate(zip(angles, spec.axes, strict=True)):
            missing = [s.label for s in spec.series if s.values[index] is None]
            right, up = math.sin(angle), math.cos(angle)
            ha = "left" if right > 0.1 else "right" if right < -0.1 else "center"
            va = "bottom" if up > 0.1 else "top" if up < -0.1 else "center"
            # Labels above and below the circle have room to be wider than those beside it.
            width = LABEL_WIDTH + 8 if ha == "center" else LABEL_WIDTH
            text = _wrap(title, width, max_lines=3)
            if missing:
                everyone = len(missing) == len(spec.series)
                note = "no data" if everyone else "no data: " + ", ".join(missing)
                text += "\n(" + _wrap(note, width + 2, max_lines=2) + ")"
            ax.text(angle, 108, text, ha=ha, va=va, multialignment=ha, fontsize=12, clip_on=False)

        _add_title_and_legend(fig, spec.title, handles, columns=3)
        return Chart(spec.name, _svg(fig, spec.title), _radar_alt(spec))


def _radar_alt(spec: RadarSpec) -> str:
    parts = [f"Radar chart of {_count(len(spec.axes), 'dimension')}, scores out of 100"]
    if spec.target is not None:
        parts[0] += f", against a target of {_format_target(spec.target)}"
    parts[0] += "."
    for series in spec.series:
        scores = ", ".join(
            f"{axis} {format_score(value)}"
            for axis, value in zip(spec.axes, series.values, strict=True)
        )
        parts.append(f"{series.label} ({_role_name(series)}): {scores}.")
    return " ".join(parts)


def _role_name(series: SeriesSpec) -> str:
    return {
        "current": "this round",
        "previous": "previous round",
        "team": "team",
        "overall": "overall",
        "dimension": "dimension",
    }[series.role]


# --- question bars -----------------------------------------------------------------------


def question_bars_chart(spec: QuestionBarsSpec) -> Chart:
    """A bar per question with its spread below it; disagreements hatched and marked."""
    count = len(spec.labels)
    disagree = [spec.disagrees(i) for i in range(count)]
    labels = [
        _wrap((f"{DISAGREE_MARK} " if flagged else "") + label, QUESTION_WIDTH, 4)
        for label, flagged in zip(spec.labels, disagree, strict=True)
    ]
    # Every row as tall as the longest label needs (0.19 in a line), so none overlap.
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    row = max(0.62, 0.19 * lines + 0.1)
    height = max(2.4, row * count + 0.9)
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(FIG_WIDTH, height))
        ax = fig.add_axes((2.4 / FIG_WIDTH, 0.45 / height, 3.3 / FIG_WIDTH, row * count / height))
        positions = np.arange(count)
        means = [_nan(v) for v in spec.means]
        # Sizes in inches turned into row units, so bars look the same whatever the rows.
        bar_height = 0.31 / row
        spread_offset = 0.25 / row  # the spread line runs under its bar
        band_height = 0.09 / row
        bars = ax.barh(
            positions,
            [0 if math.isnan(m) else m for m in means],
            height=bar_height,
            color=BLUE,
            edgecolor="white",
            linewidth=0,
            zorder=2,
        )
        for bar, flagged in zip(bars, disagree, strict=True):
            if flagged:
                bar.set_hatch("///")
                bar.set_linewidth(0.01)  # the hatch is drawn in the edge colour
        spread_y = positions + spread_offset
        for i in range(count):
            mean, low, high, sd = spec.means[i], spec.mins[i], spec.maxs[i], spec.sds[i]
            if mean is not None and sd is not None and sd > 0:
                start, end = max(0.0, mean - sd), min(100.0, mean + sd)
                ax.add_patch(
                    Rectangle(
                        (start, spread_y[i] - band_height / 2),
                        end - start,
                        band_height,
                        facecolor=TEXT,
                        alpha=0.28,
                        linewidth=0,
                        zorder=2,
                    )
                )
            if low is not None and high is not None:
                ax.plot(
                    (low, high),
                    (spread_y[i], spread_y[i]),
                    color=TEXT,
                    linewidth=1.2,
                    solid_capstyle="butt",
                    zorder=3,
                )
                ax.plot(
                    (low, high),
                    (spread_y[i], spread_y[i]),
                    linestyle="none",
                    marker="|",
                    markersize=8,
                    markeredgewidth=1.4,
                    color=TEXT,
                    zorder=3,
                )
            if mean is None:
                ax.text(
                    1.5,
                    positions[i],
                    "no data",
                    va="center",
                    color=MUTED,
                    style="italic",
                    fontsize=11,
                )
            else:
                ax.text(
                    mean + 1.5,
                    positions[i],
                    format_score(mean),
                    va="center",
                    fontsize=11,
                    fontweight="bold",
                    zorder=5,
                    clip_on=False,
                    bbox={
                        "boxstyle": "square,pad=0.1",
                        "facecolor": "white",
                        "edgecolor": "none",
                        "alpha": 0.85,
                    },
                )

        target = _format_target(spec.target)
        ax.axvline(spec.target, zorder=4, **TARGET_STYLE)
        ax.text(
            spec.target,
            1.0,
            f"target {target}",
            transform=blended_transform_factory(ax.transData, ax.transAxes),
            ha="center",
            va="bottom",
            fontsize=11,
        )

        ax.set_xlim(0, 100)
        ax.set_ylim(count - 0.5 + 0.15, -0.55)
        ax.set_xticks(range(0, 101, 20))
        ax.set_yticks(positions + spread_offset / 2)  # the label faces bar and spread
        ax.set_yticklabels(labels, fontsize=11)
        ax.tick_params(axis="y", length=0, pad=6)
        ax.grid(True, axis="x", zorder=0)
        ax.set_axisbelow(True)
        ax.spines["left"].set_visible(False)

        handles: list[Artist] = [
            Patch(facecolor=BLUE, label="mean"),
            Patch(facecolor=TEXT, alpha=0.28, label="± 1 sd"),
            Line2D(
                [],
                [],
                color=TEXT,
                linewidth=1.2,
                marker="|",
                markersize=8,
                markeredgewidth=1.4,
                label="min to max",
            ),
            Line2D([], [], label=f"target {target}", **TARGET_STYLE),
        ]
        if any(disagree):
            handles.append(
                Patch(
                    facecolor=BLUE,
                    edgecolor="white",
                    hatch="///",
                    linewidth=0.01,
                    label=f"{DISAGREE_MARK} disagreement (sd ≥ {DISAGREEMENT_SD:g})",
                )
            )
        _add_title_and_legend(fig, spec.title, handles, columns=3)
        return Chart(spec.name, _svg(fig, spec.title), _bars_alt(spec))


def _bars_alt(spec: QuestionBarsSpec) -> str:
    parts = [
        f"Bar chart of {_count(len(spec.labels), 'question')}: mean score out of 100 with the "
        f"lowest and highest answer and the standard deviation, against a target of "
        f"{_format_target(spec.target)}."
    ]
    for i, label in enumerate(spec.labels):
        mean, low, high, sd = spec.means[i], spec.mins[i], spec.maxs[i], spec.sds[i]
        if mean is None:
            parts.append(f"{label}: no data.")
            continue
        details = []
        if low is not None and high is not None:
            details.append(f"range {format_score(low)} to {format_score(high)}")
        if sd is not None:
            details.append(f"sd {format_score(sd)}")
        text = f"{label}: {format_score(mean)}"
        if details:
            text += f" ({', '.join(details)})"
        if spec.disagrees(i):
            text += ", the team disagrees"
        parts.append(text + ".")
    return " ".join(parts)


# --- heatmap -----------------------------------------------------------------------------


def heatmap_chart(spec: HeatmapSpec) -> Chart:
    """Teams by dimensions, the score in each cell, "—" where there is no data."""
    rows, columns = len(spec.rows), len(spec.columns)
    cell_height = 0.55
    height = cell_height * rows + 0.4
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(FIG_WIDTH, height))
        left = 1.55 / FIG_WIDTH
        ax = fig.add_axes((left, 0.2 / height, 4.3 / FIG_WIDTH, cell_height * rows / height))
        grid = np.array([[_nan(v) for v in row] for row in spec.values], dtype=float).reshape(
            rows, columns
        )
        cmap = _blues().with_extremes(bad=NO_DATA_FILL)
        norm = BoundaryNorm(np.linspace(0, 100, 11), cmap.N)
        mesh = ax.pcolormesh(
            np.ma.masked_invalid(grid), cmap=cmap, norm=norm, edgecolors="white", linewidth=2
        )
        for r in range(rows):
            for c in range(columns):
                value = spec.values[r][c]
                if value is None:
                    ax.add_patch(
                        Rectangle(
                            (c + 0.04, r + 0.06),
                            0.92,
                            0.88,
                            fill=False,
                            hatch="//",
                            edgecolor="#c8c8c8",
                            linewidth=0,
                        )
                    )
                    ax.text(
                        c + 0.5,
                        r + 0.5,
                        "—",
                        ha="center",
                        va="center",
                        color=TEXT,
                        fontsize=12,
                        bbox={
                            "boxstyle": "square,pad=0.15",
                            "facecolor": NO_DATA_FILL,
                            "edgecolor": "none",
                        },
                    )
                    continue
                ax.text(
                    c + 0.5,
                    r + 0.5,
                    format_score(value),
                    ha="center",
                    va="center",
                    color=_text_on(cmap(norm(value))),
                    fontsize=12,
                )
        ax.set_xlim(0, columns)
        ax.set_ylim(rows, 0)
        ax.set_xticks(np.arange(columns) + 0.5)
        # Slanted below the grid: the first label runs under the team names, where there is
        # room; centred on its tick so a two-line label stays clear of its neighbours.
        ax.set_xticklabels(
            [_wrap(c, LABEL_WIDTH + 4, 2) for c in spec.columns],
            rotation=40,
            ha="right",
            va="center",
            rotation_mode="anchor",
            fontsize=11,
        )
        ax.set_yticks(np.arange(rows) + 0.5)
        ax.set_yticklabels([_wrap(r, LABEL_WIDTH, 2) for r in spec.rows], fontsize=12)
        ax.tick_params(length=0, pad=4)
        ax.tick_params(axis="x", pad=10)
        for spine in ax.spines.values():
            spine.set_visible(False)

        below = fig.get_tightbbox().y0  # inches, under the slanted labels
        bar_ax = fig.add_axes((left + 0.1, (below - 0.3) / height, 0.55, 0.16 / height))
        colorbar = fig.colorbar(mesh, cax=bar_ax, orientation="horizontal")
        colorbar.set_ticks(range(0, 101, 20))
        colorbar.ax.tick_params(labelsize=11)
        colorbar.outline.set_visible(False)
        bar_ax.set_xlabel("score (0 to 100)", fontsize=11, labelpad=2)

        handles: list[Artist] = []
        if any(v is None for row in spec.values for v in row):
            handles.append(
                Patch(
                    facecolor=NO_DATA_FILL,
                    edgecolor="#c8c8c8",
                    hatch="//",
                    linewidth=0,
                    label="— no data",
                )
            )
        _add_title_and_legend(fig, spec.title, handles, columns=1)
        return Chart(spec.name, _svg(fig, spec.title), _heatmap_alt(spec))


def _heatmap_alt(spec: HeatmapSpec) -> str:
    parts = [
        f"Heatmap of scores out of 100 for {_count(len(spec.rows), 'team')} across "
        f"{_count(len(spec.columns), 'dimension')}, darker is higher."
    ]
    for row, values in zip(spec.rows, spec.values, strict=True):
        scores = ", ".join(
            f"{column} {format_score(value)}"
            for column, value in zip(spec.columns, values, strict=True)
        )
        parts.append(f"{row}: {scores}.")
    return " ".join(parts)


# --- perception gap ----------------------------------------------------------------------


def gap_chart(spec: GapSpec) -> Chart:
    """A dumbbell per dimension: frontline circle, leadership diamond, the gap at the right."""
    count = len(spec.dimensions)
    labels = [_wrap(d, LABEL_WIDTH + 2, 3) for d in spec.dimensions]
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    row = max(0.5, 0.2 * lines + 0.12)
    height = max(2.4, row * count + 0.9)
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(FIG_WIDTH, height))
        ax = fig.add_axes((2.0 / FIG_WIDTH, 0.45 / height, 3.3 / FIG_WIDTH, row * count / height))
        to_right = blended_transform_factory(ax.transAxes, ax.transData)
        for i in range(count):
            lead, front = spec.leadership[i], spec.frontline[i]
            gap = _gap(lead, front)
            wide = gap is not None and gap >= spec.threshold
            if lead is not None and front is not None:
                ax.plot(
                    (lead, front),
                    (i, i),
                    color=TEXT if wide else "#9a9a9a",
                    linewidth=4.5 if wide else 2,
                    solid_capstyle="butt",
                    zorder=2,
                )
            if front is not None:
                ax.plot(
                    front,
                    i,
                    marker="o",
                    markersize=11,
                    color=ORANGE,
                    markeredgecolor=TEXT,
                    markeredgewidth=0.8,
                    linestyle="none",
                    zorder=3,
                )
            if lead is not None:
                ax.plot(
                    lead,
                    i,
                    marker="D",
                    markersize=9,
                    color=BLUE,
                    markeredgecolor="white",
                    markeredgewidth=0.8,
                    linestyle="none",
                    zorder=4,
                )
            ax.text(
                1.15,
                i,
                "no data" if gap is None else format_score(gap),
                transform=to_right,
                ha="right",
                va="center",
                fontsize=11 if gap is None else 12,
                fontweight="bold" if wide else "normal",
                style="italic" if gap is None else "normal",
                color=MUTED if gap is None else TEXT,
            )
        ax.text(
            1.15,
            -0.75,
            "gap",
            transform=to_right,
            ha="right",
            va="bottom",
            fontsize=11,
            color=MUTED,
        )
        ax.set_xlim(0, 100)
        ax.set_ylim(count - 0.5, -0.75)
        ax.set_xticks(range(0, 101, 20))
        ax.set_yticks(range(count))
        ax.set_yticklabels(labels, fontsize=12)
        ax.tick_params(axis="y", length=0, pad=8)
        ax.grid(True, axis="x", zorder=0)
        ax.set_axisbelow(True)
        ax.spines["left"].set_visible(False)

        threshold = _format_target(spec.threshold)
        handles: list[Artist] = [
            Line2D(
                [],
                [],
                marker="D",
                markersize=9,
                color=BLUE,
                markeredgecolor="white",
                linestyle="none",
                label="leadership",
            ),
            Line2D(
                [],
                [],
                marker="o",
                markersize=11,
                color=ORANGE,
                markeredgecolor=TEXT,
                markeredgewidth=0.8,
                linestyle="none",
                label="frontline",
            ),
            Line2D([], [], color=TEXT, linewidth=4.5, label=f"gap ≥ {threshold} (bold)"),
        ]
        _add_title_and_legend(fig, spec.title, handles, columns=3, numpoints=1)
        return Chart(spec.name, _svg(fig, spec.title), _gap_alt(spec))


def _gap(lead: Score, front: Score) -> float | None:
    return None if lead is None or front is None else abs(lead - front)


def _gap_alt(spec: GapSpec) -> str:
    threshold = _format_target(spec.threshold)
    parts = [
        f"Perception gap between leadership and frontline for "
        f"{_count(len(spec.dimensions), 'dimension')}, scores out of 100; a gap of "
        f"{threshold} or more is a finding."
    ]
    for dimension, lead, front in zip(
        spec.dimensions, spec.leadership, spec.frontline, strict=True
    ):
        text = f"{dimension}: leadership {format_score(lead)}, frontline {format_score(front)}"
        gap = _gap(lead, front)
        if gap is not None:
            text += f", gap {format_score(gap)}"
            if lead is not None and front is not None and lead != front:
                text += " (leadership higher)" if lead > front else " (frontline higher)"
            if gap >= spec.threshold:
                text += f", at or above {threshold}"
        parts.append(text + ".")
    return " ".join(parts)


# --- progress ----------------------------------------------------------------------------


def progress_chart(spec: ProgressSpec) -> Chart:
    """Scores per round: overall thick and labelled, each dimension its own line style."""
    count = len(spec.rounds)
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(FIG_WIDTH, 4.0))
        plot_width = 4.3
        ax = fig.add_axes((0.7 / FIG_WIDTH, 0.4 / 4.0, plot_width / FIG_WIDTH, 3.3 / 4.0))
        positions = np.arange(count)
        handles: list[Artist] = []
        dimension_index = 0
        overall: list[SeriesSpec] = []
        for series in spec.series:
            values = [_nan(v) for v in series.values]
            if series.role == "overall":
                overall.append(series)
                (line,) = ax.plot(
                    positions,
                    values,
                    color=BLACK,
                    linewidth=3.5,
                    marker="o",
                    markersize=9,
                    label=_wrap(series.label, LEGEND_WIDTH, 2),
                    zorder=5,
                )
            else:
                colour, marker, linestyle = _series_look(dimension_index, skip_black=True)
                dimension_index += 1
                (line,) = ax.plot(
                    positions,
                    values,
                    color=colour,
                    linewidth=1.8,
                    linestyle=linestyle,
                    marker=marker,
                    markersize=8,
                    markeredgecolor=_edge(colour),
                    label=_wrap(series.label, LEGEND_WIDTH, 2),
                    zorder=4,
                )
            handles.append(line)
        # Overall values are printed: beside the first and last points, where no line runs,
        # and above or below the others, whichever hides fewer points of other series.
        for series in overall:
            for x, value in enumerate(series.values):
                if value is None:
                    continue
                others = [other.values[x] for other in spec.series if other is not series]
                if x == 0 or x == count - 1:
                    side = -1 if x == 0 else 1
                    offset, ha, va = (10.0 * side, 0.0), "right" if side < 0 else "left", "center"
                elif _label_above(value, [v for v in others if v is not None]):
                    offset, ha, va = (0.0, 9.0), "center", "bottom"
                else:
                    offset, ha, va = (0.0, -9.0), "center", "top"
                ax.annotate(
                    format_score(value),
                    (x, value),
                    xytext=offset,
                    textcoords="offset points",
                    ha=ha,
                    va=va,
                    fontsize=12,
                    fontweight="bold",
                    zorder=6,
                    bbox={
                        "boxstyle": "square,pad=0.1",
                        "facecolor": "white",
                        "edgecolor": "none",
                        "alpha": 0.85,
                    },
                )
        target = _format_target(spec.target)
        # Labelled where it ends rather than in the legend: one less thing to look up.
        ax.axhline(spec.target, zorder=3, **TARGET_STYLE)
        ax.text(
            1.0,
            spec.target,
            f" target {target}",
            transform=blended_transform_factory(ax.transAxes, ax.transData),
            ha="left",
            va="center",
            fontsize=11,
        )
        # Room for a value label (~0.6 in) beside the first and last rounds.
        margin = 1.0 if count == 1 else 0.62 * (count - 1) / (plot_width - 2 * 0.62)
        ax.set_xlim(-margin, count - 1 + margin)
        ax.set_ylim(0, 100)
        ax.set_yticks(range(0, 101, 20))
        ax.set_xticks(positions)
        # Round ids side by side while they fit (~0.1 in a character), slanted once they do not.
        spacing = plot_width / ((count - 1) + 2 * margin)
        if spacing < 0.1 * max(len(round_id) for round_id in spec.rounds) + 0.15:
            ax.set_xticklabels(spec.rounds, fontsize=12, rotation=35, ha="right")
        else:
            ax.set_xticklabels(spec.rounds, fontsize=12)
        ax.grid(True, axis="y", zorder=0)
        ax.set_axisbelow(True)
        ax.set_ylabel("score")
        _add_title_and_legend(fig, spec.title, handles, columns=2)
        return Chart(spec.name, _svg(fig, spec.title), _progress_alt(spec))


def _progress_alt(spec: ProgressSpec) -> str:
    rounds = _join_words(list(spec.rounds))
    parts = [
        f"Line chart of scores out of 100 over {_count(len(spec.rounds), 'round')} "
        f"({rounds}), against a target of "
        f"{_format_target(spec.target)}."
    ]
    for series in spec.series:
        scores = ", ".join(
            f"{round_id} {format_score(value)}"
            for round_id, value in zip(spec.rounds, series.values, strict=True)
        )
        parts.append(f"{series.label}: {scores}.")
    return " ".join(parts)


# --- shared drawing ----------------------------------------------------------------------


def _label_above(value: float, others: Sequence[float]) -> bool:
    """Whether a point's value label goes above it: yes unless that covers more of the other
    series' points at the same round than going below would (a label spans ~3-12 units)."""
    covered_above = sum(1 for other in others if 1 < other - value < 13)
    covered_below = sum(1 for other in others if 1 < value - other < 13)
    if value > 88:  # no room above the top of the axis
        return False
    return covered_above <= covered_below


def _add_title_and_legend(
    fig: Figure, title: str, handles: Sequence[Artist], *, columns: int, numpoints: int = 2
) -> None:
    """Put the title above and the legend below everything drawn so far, so neither can
    overlap the plot or its labels, whatever their length."""
    box = fig.get_tightbbox()  # inches; includes labels placed outside the axes
    width, height = fig.get_size_inches()
    gap = 0.12
    if handles:
        fig.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=((box.x0 + box.x1) / 2 / width, (box.y0 - gap) / height),
            ncol=min(columns, len(handles)),
            numpoints=numpoints,
            handlelength=2.6,
            columnspacing=1.4,
            borderaxespad=0,
            borderpad=0,
        )
    fig.text(
        box.x0 / width,
        (box.y1 + gap + 0.04) / height,
        _wrap(title, 44, 2),
        ha="left",
        va="bottom",
        fontsize=14,
        fontweight="bold",
    )


def _svg(fig: Figure, title: str) -> str:
    FigureCanvasSVG(fig)
    buffer = io.StringIO()
    fig.savefig(
        buffer,
        format="svg",
        bbox_inches="tight",
        pad_inches=0.12,
        metadata={**_METADATA_REMOVED, "Title": title},
    )
    return buffer.getvalue()


def _series_look(index: int, *, skip_black: bool = False) -> tuple[str, str, Any]:
    colours = [c for c in SERIES_COLOURS if not (skip_black and c == BLACK)]
    return (
        colours[index % len(colours)],
        SERIES_MARKERS[index % len(SERIES_MARKERS)],
        SERIES_LINESTYLES[index % len(SERIES_LINESTYLES)],
    )


def _edge(colour: str) -> str:
    """Marker edge: dark around the faint yellow, white elsewhere to separate overlaps."""
    return TEXT if colour == YELLOW else "white"


def _blues() -> Colormap:
    """A light-to-dark blue ramp ending in Okabe-Ito blue's darker shade: one hue, so it
    reads the same with any colour vision and in greyscale print."""
    return LinearSegmentedColormap.from_list(
        "cxmaturity-blues", ["#eef5fb", "#9ecae1", "#4a98c9", BLUE, "#08306b"]
    )


def _text_on(fill: Any) -> str:
    """White or dark text, whichever contrasts more with ``fill`` (WCAG contrast ratio)."""
    shade = _luminance(fill)
    return "white" if 1.05 / (shade + 0.05) > (shade + 0.05) / 0.0655 else TEXT


def _luminance(rgba: Any) -> float:
    red, green, blue, _ = to_rgba(rgba)

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def _wrap(text: str, width: int, max_lines: int) -> str:
    """Wrap at spaces and hyphens, never inside a word; cut with "…" past ``max_lines``."""
    return "\n".join(
        textwrap.wrap(text, width, max_lines=max_lines, placeholder=" …", break_long_words=False)
    )


def _nan(value: Score) -> float:
    return math.nan if value is None else float(value)


def _format_target(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _count(number: int, noun: str) -> str:
    """ "six dimensions", "one team", "14 questions"."""
    words = _NUMBER_WORDS[number] if 0 <= number < len(_NUMBER_WORDS) else str(number)
    return f"{words} {noun}" + ("" if number == 1 else "s")


def _join_words(words: list[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
