"""Which charts the report shows, as specs built from the results (pure, nothing drawn)."""

from __future__ import annotations

from assessment.model import Assessment
from assessment.scoring import Results

from .chart_specs import (
    GapSpec,
    HeatmapSpec,
    ProgressSpec,
    QuestionBarsSpec,
    RadarSpec,
    SeriesSpec,
)

ChartSpec = RadarSpec | QuestionBarsSpec | HeatmapSpec | GapSpec | ProgressSpec
MAX_TEAMS_ON_RADAR = 8
MIN_RADAR_AXES = 3


def short_label(text: str, limit: int = 60) -> str:
    """A question's text cut at a word boundary to fit beside a bar."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def round_name(assessment: Assessment, round_id: str) -> str:
    """A round as pages and charts name it: its title, or "Round <id>"."""
    return assessment.round(round_id).title or f"Round {round_id}"


def chart_specs(assessment: Assessment, results: Results) -> list[ChartSpec]:
    """Every chart of the report: radars, question bars, heatmap, gap and progress."""
    bank = assessment.bank
    titles = tuple(d.title for d in bank.dimensions)
    now = results.current
    target = results.target
    series = [
        SeriesSpec(
            round_name(assessment, now.id), tuple(d.score for d in now.all.dimensions), "current"
        )
    ]
    if results.previous is not None:
        series.append(
            SeriesSpec(
                round_name(assessment, results.previous.id),
                tuple(d.score for d in results.previous.all.dimensions),
                "previous",
            )
        )
    radar = len(titles) >= MIN_RADAR_AXES  # fewer spokes make no shape: tables only
    specs: list[ChartSpec] = []
    if radar:
        specs.append(RadarSpec("radar", "Maturity by dimension", titles, tuple(series), target))
    for dimension, result in zip(bank.dimensions, now.all.dimensions, strict=True):
        questions = result.questions
        specs.append(
            QuestionBarsSpec(
                f"dimension-{dimension.id}",
                dimension.title,
                tuple(short_label(q.text) for q in dimension.questions),
                tuple(q.score for q in questions),
                tuple(q.min for q in questions),
                tuple(q.max for q in questions),
                tuple(q.sd for q in questions),
                target,
                tuple(q.disagreement for q in questions),
            )
        )
    teams = [t for t in now.teams if t.shown]
    if teams and radar:
        specs.append(
            RadarSpec(
                "radar-teams",
                "Teams by dimension",
                titles,
                tuple(
                    SeriesSpec(t.name, tuple(d.score for d in t.dimensions), "team")
                    for t in teams[:MAX_TEAMS_ON_RADAR]
                ),
                target,
            )
        )
    if teams:
        specs.append(
            HeatmapSpec(
                "heatmap-teams",
                "Teams × dimensions",
                tuple(t.name for t in teams),
                titles,
                tuple(tuple(d.score for d in t.dimensions) for t in teams),
            )
        )
    gap = now.perception
    if gap is not None and gap.gap is not None:
        specs.append(
            GapSpec(
                "gap",
                "Leadership and front line",
                titles,
                tuple(d.leadership for d in gap.dimensions),
                tuple(d.frontline for d in gap.dimensions),
            )
        )
    if len(results.rounds) > 1:
        rounds = tuple(round_name(assessment, r.id) for r in results.rounds)
        lines = [SeriesSpec("Overall", tuple(r.all.score for r in results.rounds), "overall")]
        for index, title in enumerate(titles):
            lines.append(
                SeriesSpec(
                    title,
                    tuple(r.all.dimensions[index].score for r in results.rounds),
                    "dimension",
                )
            )
        specs.append(
            ProgressSpec("progress", "Progress between rounds", rounds, tuple(lines), target)
        )
    return specs
