"""JSON Schemas that let editors with a YAML language server complete and check files.

The answer-sheet schema is made from the bank itself: every question is a property with
its text as the description and its allowed answers as the only values, so an editor
offers ``strategy.written-plan`` and its labels as people type.
"""

from __future__ import annotations

from typing import Any

from .formats import BankSpec, ProjectSpec
from .model import Bank, Question

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
NA_VALUES = ["n/a", "na", "N/A", "NA"]
DONT_KNOW_VALUES = ["dont-know", "don't know", "?"]


def bank_schema() -> dict[str, Any]:
    """Schema for question bank files."""
    return {"$schema": SCHEMA_DIALECT, **BankSpec.model_json_schema()}


def project_schema() -> dict[str, Any]:
    """Schema for ``assessment.yml``."""
    return {"$schema": SCHEMA_DIALECT, **ProjectSpec.model_json_schema()}


def _answer_schema(question: Question) -> dict[str, Any]:
    scale = question.scale
    na: dict[str, Any] = {"enum": NA_VALUES, "description": "Not applicable"}
    if question.dont_know:
        na = {"enum": NA_VALUES + DONT_KNOW_VALUES, "description": "Not applicable, or don't know"}
    if scale.kind == "points":
        values = [
            {"const": int(o.id), "description": o.label, "title": o.label} for o in scale.options
        ]
        value: dict[str, Any] = {"oneOf": [*values, na]}
    elif scale.kind == "choices":
        value = {"oneOf": [*({"const": o.id, "description": o.label} for o in scale.options), na]}
    else:
        value = {
            "oneOf": [
                {
                    "type": "array",
                    "uniqueItems": True,
                    "items": {"enum": [o.id for o in scale.options]},
                    "description": "Options that apply: "
                    + ", ".join(f"{o.id} ({o.label})" for o in scale.options),
                },
                na,
            ]
        }
    with_note = {
        "type": "object",
        "additionalProperties": False,
        "required": ["answer"],
        "properties": {"answer": value, "note": {"type": "string"}},
    }
    answers = "; ".join(f"{o.id} = {o.label}" for o in scale.options)
    others = "n/a or dont-know" if question.dont_know else "n/a"
    return {
        "description": f"{question.text}\n\n{answers}; or {others}",
        "anyOf": [value, with_note, {"type": "null"}],
    }


def sheet_schema(bank: Bank) -> dict[str, Any]:
    """Schema for answer sheets to ``bank``'s questions."""
    return {
        "$schema": SCHEMA_DIALECT,
        "title": f"cxmaturity answer sheet: {bank.title}",
        "type": "object",
        "additionalProperties": False,
        "required": ["team", "answers"],
        "properties": {
            "respondent": {
                "type": ["string", "null"],
                "description": "Who answered; never shown unless the report says so.",
            },
            "team": {"type": "string", "minLength": 1, "description": "Your team's name."},
            "role": {
                "type": ["string", "null"],
                "description": "Your role, such as Team lead or Agent.",
            },
            "answers": {
                "type": "object",
                "additionalProperties": False,
                "properties": {q.key: _answer_schema(q) for q in bank.questions.values()},
            },
        },
    }
