"""The results as one plain, stable document (``score --format json``) and as CSV rows.

The document's shape is versioned by ``FORMAT_VERSION``; fields are only ever added.
Floats are not rounded. A group smaller than ``min_group_size`` lists its name and size
but none of its scores (privacy).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from . import __version__
from .model import Assessment, Bank, Question
from .planning import PlanItem, TuneUpPlan
from .scoring import (
    DISAGREEMENT_MIN_N,
    DISAGREEMENT_SD,
    PERCEPTION_GAP,
    DimensionResult,
    GroupResult,
    QuestionResult,
    Results,
)

FORMAT = "cxmaturity-results"
FORMAT_VERSION = 1

CSV_COLUMNS = (
    "round",
    "group_kind",
    "group",
    "dimension",
    "question",
    "score",
    "level",
    "n",
    "na",
    "unanswered",
    "sd",
    "min",
    "max",
    "coverage",
    "to_target",
    "delta",
    "disagreement",
    "low_confidence",
)


def _figures(group: GroupResult | DimensionResult) -> dict[str, Any]:
    return {
        "score": group.score,
        "level": group.level,
        "coverage": group.coverage,
        "to_target": group.to_target,
        "delta": group.delta,
        "progress": group.progress,
        "asked": group.asked,
        "answered": group.answered,
        "na": group.na,
        "unanswered": group.unanswered,
        "low_confidence": group.low_confidence,
    }


def _question(result: QuestionResult, question: Question, detail: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"key": result.key}
    if detail:
        entry |= {
            "id": question.id,
            "text": question.text,
            "weight": question.weight,
            "scale": question.scale.name,
        }
    entry |= {
        "score": result.score,
        "n": result.n,
        "na": result.na,
        "unanswered": result.unanswered,
        "sd": result.sd,
        "min": result.min,
        "max": result.max,
        "disagreement": result.disagreement,
        "low_confidence": result.low_confidence,
        "delta": result.delta,
    }
    return entry


def _group(group: GroupResult, bank: Bank, detail: bool = False) -> dict[str, Any]:
    entry: dict[str, Any] = {"respondents": group.respondents}
    if group.kind != "all":
        entry = {"name": group.name, "respondents": group.respondents, "shown": group.shown}
        if not group.shown:
            return entry
    entry |= _figures(group)
    dimensions = []
    for dimension, result in zip(bank.dimensions, group.dimensions, strict=True):
        item: dict[str, Any] = {"id": dimension.id}
        if detail:
            item |= {"title": dimension.title, "weight": dimension.weight}
        item |= _figures(result) | {"respondents": result.respondents}
        item["questions"] = [
            _question(q_result, question, detail)
            for q_result, question in zip(result.questions, dimension.questions, strict=True)
        ]
        dimensions.append(item)
    entry["dimensions"] = dimensions
    return entry


def _item(item: PlanItem) -> dict[str, Any]:
    return asdict(item)


def results_document(assessment: Assessment, results: Results, plan: TuneUpPlan) -> dict[str, Any]:
    """Everything ``score`` knows, as JSON-ready data, in a documented shape."""
    settings = assessment.settings
    current = assessment.round(results.current.id)
    bank = assessment.bank_of(current)
    previous = assessment.round(results.previous.id) if results.previous else None
    perception = results.current.perception
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": f"cxmaturity {__version__}",
        "client": settings.client,
        "bank": {"id": bank.id, "title": bank.title, "version": bank.version},
        "target": settings.target,
        "min_group_size": settings.min_group_size,
        "thresholds": {
            "disagreement_sd": DISAGREEMENT_SD,
            "disagreement_min_n": DISAGREEMENT_MIN_N,
            "perception_gap": PERCEPTION_GAP,
        },
        "levels": [{"name": lv.name, "min": lv.min} for lv in bank.levels],
        "round": _round_info(current.id, current.date, current.title),
        "previous_round": (
            _round_info(previous.id, previous.date, previous.title) if previous else None
        ),
        "rounds": [
            {
                "id": r.id,
                "respondents": r.respondents,
                "score": r.all.score,
                "level": r.all.level,
                "coverage": r.all.coverage,
                "dimensions": {d.id: d.score for d in r.all.dimensions},
            }
            for r in results.rounds
        ],
        "overall": _group(results.current.all, bank, detail=True),
        "teams": [_group(g, bank) for g in results.current.teams],
        "roles": [_group(g, bank) for g in results.current.roles],
        "perception_gap": None
        if perception is None
        else {
            "leadership": {"respondents": perception.leadership.respondents},
            "frontline": {"respondents": perception.frontline.respondents},
            "shown": perception.leadership.shown and perception.frontline.shown,
            "gap": perception.gap,
            "dimensions": [asdict(d) for d in perception.dimensions],
        },
        "plan": [_item(i) for i in plan.items],
        "team_plans": {team: [_item(i) for i in items] for team, items in plan.teams.items()},
    }


def _round_info(round_id: str, date: Any, title: str | None) -> dict[str, Any]:
    return {"id": round_id, "date": date.isoformat() if date else None, "title": title}


def _row(base: dict[str, Any], dimension: str, question: str, **figures: Any) -> dict[str, Any]:
    return (
        dict.fromkeys(CSV_COLUMNS, "")
        | base
        | {"dimension": dimension, "question": question}
        | {k: v for k, v in figures.items() if v is not None}
    )


def results_rows(results: Results, by: str | None = None) -> list[dict[str, Any]]:
    """One CSV row per group and question, dimension (question empty) and overall."""
    rows: list[dict[str, Any]] = []
    for group in results.current.groups(by):
        if not group.shown:
            continue
        base = {"round": results.current.id, "group_kind": group.kind, "group": group.name}
        rows.append(
            _row(
                base,
                "",
                "",
                score=group.score,
                level=group.level,
                coverage=group.coverage,
                to_target=group.to_target,
                delta=group.delta,
                low_confidence=group.low_confidence,
            )
        )
        for dimension in group.dimensions:
            rows.append(
                _row(
                    base,
                    dimension.id,
                    "",
                    score=dimension.score,
                    level=dimension.level,
                    coverage=dimension.coverage,
                    to_target=dimension.to_target,
                    delta=dimension.delta,
                    low_confidence=dimension.low_confidence,
                    na=dimension.na,
                    unanswered=dimension.unanswered,
                    n=dimension.answered,
                )
            )
            rows.extend(
                _row(
                    base,
                    dimension.id,
                    q.key,
                    score=q.score,
                    n=q.n,
                    na=q.na,
                    unanswered=q.unanswered,
                    sd=q.sd,
                    min=q.min,
                    max=q.max,
                    delta=q.delta,
                    disagreement=q.disagreement,
                    low_confidence=q.low_confidence,
                )
                for q in dimension.questions
            )
    return rows
