"""The bank in other tools' formats (``cxmaturity export``), so teams answer where they work.

Two formats:

- a survey-ready CSV: one column per question, headed by its key, its text and its allowed
  answers, to fill in a spreadsheet or to build a form from; ``cxmaturity import`` reads it
  back;
- an AWS Well-Architected custom lens (JSON, schema version 2021-11-01): dimensions become
  pillars, answers become choices whose improvement plans are the question's tune-ups.

Both are pure functions returning text or data; nothing here writes a file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .cells import csv_text
from .model import Bank, Option, Question, TuneUp

CSV_PERSON_COLUMNS = ("respondent", "team", "role")
LENS_SCHEMA_VERSION = "2021-11-01"
# Limits of the custom-lens format (AWS Well-Architected Tool user guide, "Lens format
# specification"); a bank that does not fit is refused rather than cut.
LENS_MAX_PILLARS = 10
LENS_MAX_QUESTIONS = 20
LENS_MAX_CHOICES = 15
LENS_NAME = 128
LENS_DESCRIPTION = 2048
LENS_TITLE = 128
LENS_CHOICE_TEXT = 1024
LENS_ID = 128
LENS_CHOICE_ID = 64
RISK_BY_IMPACT = {"high": "HIGH_RISK", "medium": "MEDIUM_RISK", "low": "MEDIUM_RISK"}
RISK_ORDER = ("NO_RISK", "MEDIUM_RISK", "HIGH_RISK")


class ExportError(ValueError):
    """The bank cannot be written in the asked format (the message says why)."""


def allowed_answers(question: Question) -> str:
    """A question's allowed answers as a survey states them: labels people can type."""
    scale = question.scale
    unscored = " · n/a · don't know" if question.dont_know else " · n/a"
    if scale.kind == "points":
        return " · ".join(f"{o.id} {o.label}" for o in scale.options) + unscored
    labels = " · ".join(o.label for o in scale.options)
    if scale.kind == "choices":
        return labels + unscored
    unscored = "or n/a, or don't know" if question.dont_know else "or n/a"
    return f'select all that apply, separated by ";": {labels} ({unscored})'


def csv_header(question: Question) -> str:
    """The column header of a question: key first, so the import matches it exactly."""
    return f"{question.key}: {' '.join(question.text.split())} [{allowed_answers(question)}]"


def survey_csv(bank: Bank) -> str:
    """The bank as a CSV with a header row only: who answered, then one column per question."""
    header = [*CSV_PERSON_COLUMNS, *(csv_header(q) for q in bank.questions.values())]
    return csv_text([header], line_end="\r\n")


# The AWS Well-Architected custom lens ---------------------------------------------------------


def _plain(markdown: str) -> str:
    """Markdown as the plain text the Well-Architected Tool shows."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*_`#>]+", "", text)
    return " ".join(text.split())


def _fit(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def _lens_id(text: str, taken: set[str], limit: int = LENS_ID) -> str:
    """An id the lens format accepts (3+ letters, digits or "_"), unique among ``taken``."""
    base = re.sub(r"[^A-Za-z0-9_]", "_", text)[:limit].ljust(3, "_")
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"_{number}"
        candidate = base[: limit - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


def _plan_text(tune_ups: Sequence[TuneUp], fallback: str) -> str:
    if not tune_ups:
        return fallback
    parts = [f"{t.title}: {_plain(t.body)}" if t.body else t.title for t in tune_ups]
    return _fit(" ".join(p if p.endswith(".") else p + "." for p in parts), LENS_CHOICE_TEXT)


def _single_choice_risk(question: Question, option: Option) -> str:
    """The risk of answering ``option``: none when no tune-up applies at its score, high when
    a high-impact one does, medium otherwise."""
    score = option.score * 100
    applying = [t for t in question.tune_ups if score < t.below]
    if not applying:
        return "NO_RISK"
    return max((RISK_BY_IMPACT[t.impact] for t in applying), key=RISK_ORDER.index)


def _lens_question(question: Question, question_id: str, taken: set[str]) -> dict[str, Any]:
    scale = question.scale
    choices: list[dict[str, Any]] = []
    risks: dict[str, list[str]] = {"NO_RISK": [], "MEDIUM_RISK": []}
    for option in scale.options:
        choice_id = _lens_id(f"{question_id}_{option.id}", taken, LENS_CHOICE_ID)
        title = f"{option.id} – {option.label}" if scale.kind == "points" else option.label
        choice: dict[str, Any] = {"id": choice_id, "title": _fit(title, LENS_TITLE)}
        if scale.kind == "multi":
            applying = list(question.tune_ups)
            fallback = f"Make this true: {option.label}."
            risks["MEDIUM_RISK"].append(choice_id)
        else:
            applying = [t for t in question.tune_ups if option.score * 100 < t.below]
            fallback = "No tune-up applies at this answer: keep doing what works."
            risk = _single_choice_risk(question, option)
            if risk in risks:
                risks[risk].append(choice_id)
        choice["improvementPlan"] = {"displayText": _plan_text(applying, fallback)}
        choices.append(choice)
    if scale.kind == "multi":
        # Every option chosen scores 100: no tune-up can apply; some chosen is a medium risk.
        risks["NO_RISK"] = [c["id"] for c in choices]
        rules = [
            {"condition": " && ".join(risks["NO_RISK"]), "risk": "NO_RISK"},
            {"condition": " || ".join(risks["MEDIUM_RISK"]), "risk": "MEDIUM_RISK"},
        ]
    else:
        rules = [
            {"condition": " || ".join(ids), "risk": risk} for risk, ids in risks.items() if ids
        ]
    rules.append({"condition": "default", "risk": "HIGH_RISK"})
    entry: dict[str, Any] = {"id": question_id, "title": _fit(question.text, LENS_TITLE)}
    description = _plain(question.help)
    if len(question.text) > LENS_TITLE:
        description = f"{question.text} {description}".strip()
    if description:
        entry["description"] = _fit(description, LENS_DESCRIPTION)
    entry["choices"] = choices
    entry["riskRules"] = rules
    return entry


def custom_lens(bank: Bank) -> dict[str, Any]:
    """The bank as an AWS Well-Architected custom lens: pillars are dimensions, choices are
    the answers, improvement plans the tune-ups. Raises :class:`ExportError` when the bank
    has more pillars, questions or choices than the format allows."""
    too_many = []
    if len(bank.dimensions) > LENS_MAX_PILLARS:
        too_many.append(f"{len(bank.dimensions)} dimensions (at most {LENS_MAX_PILLARS})")
    for dimension in bank.dimensions:
        if len(dimension.questions) > LENS_MAX_QUESTIONS:
            too_many.append(
                f"{len(dimension.questions)} questions in {dimension.id} "
                f"(at most {LENS_MAX_QUESTIONS})"
            )
        for question in dimension.questions:
            if len(question.scale.options) > LENS_MAX_CHOICES:
                too_many.append(
                    f"{len(question.scale.options)} answers to {question.key} "
                    f"(at most {LENS_MAX_CHOICES})"
                )
    if too_many:
        raise ExportError("the lens format does not fit this bank: " + "; ".join(too_many))
    taken: set[str] = set()
    pillars = []
    for dimension in bank.dimensions:
        pillar_id = _lens_id(dimension.id, taken)
        questions = [
            _lens_question(q, _lens_id(f"{dimension.id}_{q.id}", taken), taken)
            for q in dimension.questions
        ]
        pillars.append(
            {"id": pillar_id, "name": _fit(dimension.title, LENS_NAME), "questions": questions}
        )
    description = _plain(bank.description) or f"{bank.title} ({bank.id} {bank.version})"
    return {
        "schemaVersion": LENS_SCHEMA_VERSION,
        "name": _fit(bank.title, LENS_NAME),
        "description": _fit(description, LENS_DESCRIPTION),
        "pillars": pillars,
    }
