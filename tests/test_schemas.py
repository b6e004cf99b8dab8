"""The JSON Schemas editors use agree with what the tool accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from assessment.loading import build_sheet, bundled_banks, load_bank
from assessment.model import Bank
from assessment.schemas import bank_schema, project_schema, sheet_schema
from assessment.sheets import answer_sheet_template
from assessment.source import parse_text

from .conftest import ACME

ACME_SHEETS = sorted(ACME.glob("answers/**/*.yml"))
OLD_ROUND = "2026-q2"
"""Acme's first round, answered on version 1.0 of cx-core (kept in the example)."""


@pytest.fixture(scope="module")
def bank() -> Bank:
    """cx-core 1.0 as kept in the example: a format 1 bank with points, choices and multi."""
    return load_bank(ACME / "banks" / "cx-core-1.0.yml")


@pytest.fixture(scope="module")
def core() -> Bank:
    """The bundled cx-core: format 2, each question with its own anchored choices."""
    return load_bank(bundled_banks()["cx-core"])


@pytest.fixture(scope="module")
def sheet_validator(bank: Bank) -> Draft202012Validator:
    return validator(sheet_schema(bank))


@pytest.fixture(scope="module")
def core_validator(core: Bank) -> Draft202012Validator:
    return validator(sheet_schema(core))


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def as_editor_sees(path: Path) -> Any:
    """The file as JSON data: dates stay the text they are written as, as in an editor."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def tool_problems(bank: Bank, data: dict[str, Any]) -> list[str]:
    """What ``cxmaturity validate`` says about the same sheet."""
    document, problems = parse_text(yaml.safe_dump(data), "sheet.yml")
    assert document is not None, problems
    _, problems = build_sheet(document, bank)
    return [str(p) for p in problems]


def errors(checker: Draft202012Validator, data: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in checker.iter_errors(data)]


@pytest.mark.parametrize("schema", [bank_schema, project_schema], ids=["bank", "project"])
def test_schemas_declare_draft_2020_12(schema):
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_bundled_bank_matches_the_bank_schema():
    checker = validator(bank_schema())
    for path in bundled_banks().values():
        assert errors(checker, as_editor_sees(path)) == [], path


def test_acme_has_sheets():
    assert len(ACME_SHEETS) == 16 + 18


@pytest.mark.parametrize("path", ACME_SHEETS, ids=lambda p: "/".join(p.parts[-3:]))
def test_acme_sheets_match_the_sheet_schema(
    sheet_validator: Draft202012Validator, core_validator: Draft202012Validator, path: Path
):
    """Each sheet matches the schema of the bank its round was answered on."""
    checker = sheet_validator if path.parts[-3] == OLD_ROUND else core_validator
    assert errors(checker, as_editor_sees(path)) == []


def test_acme_assessment_matches_the_project_schema():
    checker = validator(project_schema())
    assert errors(checker, as_editor_sees(ACME / "assessment.yml")) == []


@pytest.mark.parametrize(
    ("answers", "path"),
    [
        ({"strategy.writen-plan": 3}, ["answers"]),
        ({"strategy.written-plan": 7}, ["answers", "strategy.written-plan"]),
        ({"strategy.written-plan": "Mostly"}, ["answers", "strategy.written-plan"]),
        ({"strategy.segments": "maybe"}, ["answers", "strategy.segments"]),
        ({"capabilities.channels": ["chat", "fax"]}, ["answers", "capabilities.channels"]),
        (
            {"strategy.written-plan": {"answer": 3, "ntoe": "x"}},
            ["answers", "strategy.written-plan"],
        ),
    ],
    ids=["unknown-key", "outside-scale", "label", "unknown-choice", "unknown-option", "note-typo"],
)
def test_sheet_schema_refuses_what_the_tool_refuses(
    bank: Bank, sheet_validator: Draft202012Validator, answers: dict[str, Any], path: list[str]
):
    sheet = {"team": "Support", "answers": answers}
    found = list(sheet_validator.iter_errors(sheet))
    assert [list(e.absolute_path) for e in found] == [path]
    assert len(tool_problems(bank, sheet)) == 1


@pytest.mark.parametrize(
    "answers",
    [
        {"strategy.written-plan": 4},
        {"strategy.written-plan": "n/a"},
        {"strategy.written-plan": {"answer": 2, "note": "Only acquisition."}},
        {"strategy.written-plan": None},
        {"strategy.segments": "partly"},
        {"capabilities.channels": ["chat", "email"]},
    ],
    ids=["number", "n/a", "with-note", "blank", "choice", "multi"],
)
def test_sheet_schema_accepts_what_the_tool_accepts(
    bank: Bank, sheet_validator: Draft202012Validator, answers: dict[str, Any]
):
    sheet = {"team": "Support", "answers": answers}
    assert errors(sheet_validator, sheet) == []
    assert tool_problems(bank, sheet) == []


def test_sheet_schema_describes_each_question_with_its_text(bank: Bank):
    question = bank.questions["strategy.written-plan"]
    schema = sheet_schema(bank)
    description = schema["properties"]["answers"]["properties"][question.key]["description"]
    assert question.text in description
    assert description.startswith(question.text)


@pytest.mark.parametrize(
    ("answers", "refused"),
    [
        ({"strategy.customer-plan": "shared"}, False),
        ({"strategy.customer-plan": "dont-know"}, False),
        ({"strategy.customer-plan": "n/a"}, False),
        ({"needs.signals": ["surveys", "returns"]}, False),
        ({"strategy.customer-plan": 3}, True),
        ({"strategy.customer-plan": "Shared, with named owners"}, True),
        ({"strategy.plan-in-my-work": "dont-know"}, True),
    ],
    ids=["anchored", "dont-know", "n/a", "multi", "number", "label", "no-dont-know"],
)
def test_sheet_schema_of_a_format_2_bank_agrees_with_the_tool(
    core: Bank, core_validator: Draft202012Validator, answers: dict[str, Any], refused: bool
):
    sheet = {"team": "Support", "answers": answers}
    assert bool(errors(core_validator, sheet)) == refused
    assert len(tool_problems(core, sheet)) == int(refused)


def test_template_with_a_team_matches_the_sheet_schema(
    bank: Bank, sheet_validator: Draft202012Validator
):
    data = yaml.safe_load(answer_sheet_template(bank, None, "Support"))
    assert errors(sheet_validator, data) == []


def test_template_of_a_format_2_bank_matches_its_sheet_schema(
    core: Bank, core_validator: Draft202012Validator
):
    data = yaml.safe_load(answer_sheet_template(core, None, "Support"))
    assert errors(core_validator, data) == []
