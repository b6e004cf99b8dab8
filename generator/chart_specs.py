"""Chart specs: what a chart shows, as small frozen values, with no drawing library.

A spec holds only tuples, strings, floats and ``None``, so it is hashable and
:func:`spec_key` can key a cache of rendered charts. Importing this module does not
import matplotlib: a build whose charts are all cached never pays for it.
:mod:`generator.charts` draws them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from importlib.metadata import version
from typing import Any, Literal, TypeAlias

from assessment.scoring import DISAGREEMENT_SD, PERCEPTION_GAP

# Bump when a change in generator.charts alters the output for the same spec, so cached
# charts are redrawn.
CHART_STYLE_VERSION = "2"

Role = Literal["current", "previous", "team", "overall", "dimension"]
Score: TypeAlias = float | None

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@cache
def _matplotlib_version() -> str:
    return version("matplotlib")


@dataclass(frozen=True)
class Chart:
    """A rendered chart: the SVG text, its alt text, and the file-name stem to save it as."""

    name: str
    svg: str
    alt: str


@dataclass(frozen=True)
class SeriesSpec:
    """One line of scores, one value per axis or round (``None`` where there is no data).

    ``role`` picks the look: ``current`` (solid, filled, circles), ``previous`` (dotted,
    squares), ``team`` (one colour and marker each) on a radar; ``overall`` (thick) and
    ``dimension`` on a progress chart.
    """

    label: str
    values: tuple[Score, ...]
    role: Role

    def __post_init__(self) -> None:
        if self.role not in ("current", "previous", "team", "overall", "dimension"):
            raise ValueError(f"series {self.label!r}: unknown role {self.role!r}")
        _check_scores(f"series {self.label!r}", self.values)


@dataclass(frozen=True)
class RadarSpec:
    """Dimensions around a circle against a target ring: current, previous, or teams."""

    name: str
    title: str
    axes: tuple[str, ...]
    series: tuple[SeriesSpec, ...]
    target: float | None

    def __post_init__(self) -> None:
        _check_name(self.name)
        # Fewer than three axes makes a thin radar, but a bank may have only one or two
        # dimensions and the report must still build.
        if not self.axes:
            raise ValueError(f"{self.name}: a radar needs at least one axis")
        for series in self.series:
            _check_length(self.name, f"series {series.label!r}", series.values, self.axes)
            if series.role not in ("current", "previous", "team"):
                raise ValueError(f"{self.name}: series role {series.role!r} is not for a radar")
        if self.target is not None:
            _check_scores(f"{self.name}: target", (self.target,))


@dataclass(frozen=True)
class QuestionBarsSpec:
    """One horizontal bar per question: mean, min-max whisker, +-sd band, target line.

    A question is marked as a disagreement when its ``sds`` value reaches
    ``DISAGREEMENT_SD``; pass ``disagreements`` to decide it yourself (scoring also asks
    for enough respondents).
    """

    name: str
    title: str
    labels: tuple[str, ...]
    means: tuple[Score, ...]
    mins: tuple[Score, ...]
    maxs: tuple[Score, ...]
    sds: tuple[Score, ...]
    target: float
    disagreements: tuple[bool, ...] | None = None

    def __post_init__(self) -> None:
        _check_name(self.name)
        for field_name in ("means", "mins", "maxs", "sds"):
            values = getattr(self, field_name)
            _check_length(self.name, field_name, values, self.labels)
            _check_scores(f"{self.name}: {field_name}", values)
        if self.disagreements is not None:
            _check_length(self.name, "disagreements", self.disagreements, self.labels)
        _check_scores(f"{self.name}: target", (self.target,))

    def disagrees(self, index: int) -> bool:
        """Whether question ``index`` is drawn as a disagreement."""
        if self.disagreements is not None:
            return self.disagreements[index]
        sd = self.sds[index]
        return sd is not None and sd >= DISAGREEMENT_SD


@dataclass(frozen=True)
class HeatmapSpec:
    """Teams (rows) by dimensions (columns), the score printed in every cell."""

    name: str
    title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[Score, ...], ...]

    def __post_init__(self) -> None:
        _check_name(self.name)
        _check_length(self.name, "values (rows)", self.values, self.rows)
        for row, values in zip(self.rows, self.values, strict=True):
            _check_length(self.name, f"row {row!r}", values, self.columns)
            _check_scores(f"{self.name}: row {row!r}", values)


@dataclass(frozen=True)
class GapSpec:
    """Leadership against frontline per dimension, as a dumbbell; big gaps stand out."""

    name: str
    title: str
    dimensions: tuple[str, ...]
    leadership: tuple[Score, ...]
    frontline: tuple[Score, ...]
    threshold: float = PERCEPTION_GAP

    def __post_init__(self) -> None:
        _check_name(self.name)
        for field_name in ("leadership", "frontline"):
            values = getattr(self, field_name)
            _check_length(self.name, field_name, values, self.dimensions)
            _check_scores(f"{self.name}: {field_name}", values)
        _check_scores(f"{self.name}: threshold", (self.threshold,))


@dataclass(frozen=True)
class ProgressSpec:
    """Scores over rounds: the ``overall`` series thick, ``dimension`` series thin."""

    name: str
    title: str
    rounds: tuple[str, ...]
    series: tuple[SeriesSpec, ...]
    target: float

    def __post_init__(self) -> None:
        _check_name(self.name)
        if not self.rounds:
            raise ValueError(f"{self.name}: a progress chart needs at least one round")
        for series in self.series:
            _check_length(self.name, f"series {series.label!r}", series.values, self.rounds)
            if series.role not in ("overall", "dimension"):
                raise ValueError(
                    f"{self.name}: series role {series.role!r} is not for a progress chart"
                )
        _check_scores(f"{self.name}: target", (self.target,))


ChartSpec: TypeAlias = RadarSpec | QuestionBarsSpec | HeatmapSpec | GapSpec | ProgressSpec


def spec_key(spec: ChartSpec) -> str:
    """A cache key for ``spec``: equal specs, style version and matplotlib give equal keys."""
    document = {
        "spec": _canonical(spec),
        "style": CHART_STYLE_VERSION,
        "matplotlib": _matplotlib_version(),
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def format_score(value: Score) -> str:
    """A score as the charts and their alt text show it: one decimal, or "no data"."""
    return "no data" if value is None else f"{value:.1f}"


# --- checking and canonical form ---------------------------------------------------------


def _check_name(name: str) -> None:
    if not _SAFE_NAME.fullmatch(name):
        raise ValueError(f"chart name {name!r} is not a safe file-name stem")


def _check_length(
    owner: str, what: str, values: Sequence[object], expected: Sequence[object]
) -> None:
    if len(values) != len(expected):
        raise ValueError(f"{owner}: {what} has {len(values)} values, expected {len(expected)}")


def _check_scores(what: str, values: Sequence[Score]) -> None:
    for index, value in enumerate(values):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{what}[{index}]: {value!r} is not a number or None")
        if not 0 <= value <= 100:  # also rejects NaN
            raise ValueError(f"{what}[{index}]: {value!r} is outside 0..100")


def _canonical(value: object) -> Any:
    """Plain JSON for a spec: class names kept, numbers as floats so 60 and 60.0 agree."""
    if is_dataclass(value) and not isinstance(value, type):
        return {
            "__class__": type(value).__name__,
            **{f.name: _canonical(getattr(value, f.name)) for f in fields(value)},
        }
    if isinstance(value, tuple | list):
        return [_canonical(item) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    raise TypeError(f"cannot key a chart spec holding {type(value).__name__}")
