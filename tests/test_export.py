"""`cxmaturity export`: the bank as a survey CSV that comes back through `import` with the
same scores, and as an AWS Well-Architected custom lens that fits the documented format."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from assessment.exporting import custom_lens, survey_csv
from assessment.loading import bundled_banks, load_assessment, load_bank, load_project_bank
from assessment.model import Answer, Question
from assessment.scoring import GroupResult, score_assessment
from generator.cli import cli

from .conftest import ACME, MINI_BANK, ROOT, WriteProject

LENS_SCHEMA = json.loads(
    (ROOT / "tests/fixtures/surveys/wa-custom-lens.schema.json").read_text(encoding="utf-8")
)
CX_CORE = load_bank(bundled_banks()["cx-core"])
CX_CORE_1 = load_bank(ACME / "banks" / "cx-core-1.0.yml")
"""Version 1.0, kept in the example for its first round: its questions use shared scales."""


def run(*args: str | os.PathLike[str]) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("command", ["import", "export"])
def test_help_has_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f" {command} " in result.stdout.splitlines()[0]
    assert "Example" in result.stdout


# The survey CSV -----------------------------------------------------------------------------------


def test_csv_has_a_column_per_question_with_its_allowed_answers(
    write_project: WriteProject,
) -> None:
    result = run("export", write_project({}))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8") == (
        "respondent,team,role,"
        "alpha.one: Question one? [1 Not at all · 2 Rarely · 3 Sometimes · 4 Mostly · "
        "5 Always · n/a · don't know],"
        "alpha.two: Question two? [No · Partly · Yes · n/a · don't know],"
        '"beta.three: Which channels? [select all that apply, separated by "";"": '
        "Chat · E-mail (or n/a, or don't know)]\"\r\n"
    )


def test_csv_offers_dont_know_only_where_the_bank_takes_it(
    write_project: WriteProject,
) -> None:
    bank = MINI_BANK.replace(
        "        scale: yes-no\n", "        scale: yes-no\n        dont_know: false\n"
    )
    result = run("export", write_project({"bank.yml": bank}))
    assert "alpha.two: Question two? [No · Partly · Yes · n/a]," in result.stdout


def test_csv_out_file_is_for_excel_and_never_overwritten(
    write_project: WriteProject, tmp_path: Path
) -> None:
    project = write_project({})
    out = tmp_path / "survey.csv"
    first = run("export", project, "--out", out)
    assert first.exit_code == 0, first.output
    assert first.stderr == f"Wrote the survey CSV of mini (3 questions) to {out}\n"
    assert out.read_bytes().startswith(b"\xef\xbb\xbfrespondent,team,role,")
    out.write_text("filled in\n", encoding="utf-8")
    again = run("export", project, "--out", out)
    assert again.exit_code == 2
    assert again.stderr == (
        f"Error: {out}: already exists; not overwritten (use --force to replace it)\n"
    )
    assert out.read_text(encoding="utf-8") == "filled in\n"
    assert run("export", project, "--out", out, "--force").exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfrespondent")


def _as_typed(question: Question, answer: Answer, style: int) -> str:
    """An answer as a person types it into the exported sheet: labels, numbers, either join."""
    scale = question.scale
    if answer.kind == "dont-know":
        return "don't know" if style % 2 else "dont-know"
    if answer.score is None:
        return "n/a"
    if scale.kind == "points":
        option = scale.option(str(answer.value))
        assert option is not None
        return str(answer.value) if style % 2 else option.label
    labels = {o.id: o.label for o in scale.options}
    if scale.kind == "choices":
        assert isinstance(answer.value, str)
        return labels[answer.value] if style % 2 else answer.value
    assert isinstance(answer.value, list)
    return ("; " if style % 2 else ", ").join(labels[v] for v in answer.value)


def _figures(group: GroupResult) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = [("all", group.score, group.answered, group.na, group.dont_know)]
    for dimension in group.dimensions:
        rows.append(
            (dimension.id, dimension.score, dimension.answered, dimension.na, dimension.dont_know)
        )
        rows += [
            (q.key, q.score, q.n, q.na, q.dont_know, q.unanswered) for q in dimension.questions
        ]
    return rows


@pytest.mark.parametrize(
    ("round_id", "bank_line"),
    [
        pytest.param("2026-q2", "bank: banks/cx-core-1.0.yml", id="1.0"),
        pytest.param("2026-q4", "bank: cx-core", id="2.0"),  # with 54 "don't know" answers
    ],
)
def test_round_trip_export_fill_import_gives_the_same_scores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, round_id: str, bank_line: str
) -> None:
    """Each Acme round's answers typed into the exported CSV of the bank they were answered
    on score as their YAML sheets do."""
    project = tmp_path / "acme"
    shutil.copytree(ACME, project, ignore=shutil.ignore_patterns("site", "answers"))
    (project / "assessment.yml").write_text(
        f"client: Acme Outdoor Co.\n{bank_line}\nrounds: [{round_id}]\n", encoding="utf-8"
    )
    original = load_assessment(ACME)
    bank = original.bank_of(original.round(round_id))
    monkeypatch.chdir(tmp_path)
    assert run("export", "acme", "--out", "survey.csv").exit_code == 0
    with open("survey.csv", encoding="utf-8-sig", newline="") as exported:
        header = next(csv.reader(exported))
    keys = [column.split(":")[0] for column in header[3:]]
    assert keys == list(bank.questions)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for style, sheet in enumerate(original.round(round_id).sheets):
        cells = [
            _as_typed(bank.questions[key], sheet.answers[key], style)
            if key in sheet.answers
            else ""
            for key in keys
        ]
        writer.writerow([sheet.respondent, sheet.team, sheet.role or "", *cells])
    Path("filled.csv").write_text(buffer.getvalue(), encoding="utf-8-sig")

    result = run("import", "filled.csv", "acme", "--round", round_id)
    assert result.exit_code == 0, result.output
    imported = load_assessment("acme")
    before = score_assessment(original, round_id).current
    after = score_assessment(imported, round_id).current
    assert after.respondents == before.respondents == len(original.round(round_id).sheets)
    # The same answers through CSV and YAML: fsum makes the scores equal to the bit.
    assert _figures(after.all) == _figures(before.all)
    for team_before, team_after in zip(before.teams, after.teams, strict=True):
        assert team_after.name == team_before.name
        assert _figures(team_after) == _figures(team_before)
    assert [r.name for r in after.roles] == [r.name for r in before.roles]


# The AWS Well-Architected custom lens -----------------------------------------------------------


def test_lens_validates_against_the_documented_format(tmp_path: Path) -> None:
    out = tmp_path / "lens.json"
    result = run("export", ACME, "--format", "lens", "--out", out)
    assert result.exit_code == 0, result.output
    lens = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(LENS_SCHEMA)
    errors = [e.message for e in jsonschema.Draft202012Validator(LENS_SCHEMA).iter_errors(lens)]
    assert errors == []
    assert len(out.read_bytes()) < 500 * 1024  # the Tool refuses lenses over 500 KB


def test_lens_pillars_are_dimensions_and_choices_the_answers() -> None:
    lens = custom_lens(CX_CORE_1)
    assert [p["id"] for p in lens["pillars"]] == [d.id for d in CX_CORE_1.dimensions]
    assert [p["name"] for p in lens["pillars"]] == [d.title for d in CX_CORE_1.dimensions]
    plan = lens["pillars"][0]["questions"][0]
    assert plan["id"] == "strategy_written_plan"
    assert [c["title"] for c in plan["choices"]] == [
        "1 – Not at all",
        "2 – Rarely",
        "3 – Sometimes",
        "4 – Mostly",
        "5 – Always",
    ]
    signals = lens["pillars"][2]["questions"][2]
    assert signals["id"] == "needs_signals"
    assert signals["choices"][0] == {
        "id": "needs_signals_surveys",
        "title": "Surveys after a purchase or a contact",
        "improvementPlan": signals["choices"][0]["improvementPlan"],
    }
    assert signals["choices"][0]["improvementPlan"]["displayText"].startswith(
        "Start a monthly customer-signals review: "
    )


def test_lens_improvement_plans_are_the_tune_ups_that_apply() -> None:
    plan = custom_lens(CX_CORE_1)["pillars"][0]["questions"][0]
    texts = [c["improvementPlan"]["displayText"] for c in plan["choices"]]
    # written-plan has tune-ups below 40 ("Write a one-page…") and below 75 ("Tie every…").
    assert texts[0].startswith("Write a one-page customer strategy: Spend half a day")
    assert "Tie every team's goals to the customer plan: " in texts[0]
    assert texts[2].startswith("Tie every team's goals to the customer plan: ")
    assert "one-page" not in texts[2]
    assert texts[3] == texts[4] == "No tune-up applies at this answer: keep doing what works."
    assert plan["riskRules"] == [
        {"condition": "strategy_written_plan_4 || strategy_written_plan_5", "risk": "NO_RISK"},
        {"condition": "default", "risk": "HIGH_RISK"},
    ]


def test_lens_choices_of_an_anchored_question_are_its_own() -> None:
    plan = custom_lens(CX_CORE)["pillars"][0]["questions"][0]
    assert plan["id"] == "strategy_customer_plan"
    assert [c["title"] for c in plan["choices"]] == [
        "None I know of",
        "In leaders' heads",
        "Written, not shared",
        "Shared, with named owners",
        "Reviewed every quarter against figures",
    ]
    texts = [c["improvementPlan"]["displayText"] for c in plan["choices"]]
    # Choices score 0, 25, 50, 75, 100; the tune-ups apply below 50 ("Agree a one-page…")
    # and below 90 ("Review the customer plan…").
    assert texts[0] == texts[1]
    assert texts[0].startswith("Agree a one-page customer plan: ")
    assert "Review the customer plan every quarter against figures: " in texts[0]
    assert texts[2] == texts[3]
    assert texts[2].startswith("Review the customer plan every quarter against figures: ")
    assert "one-page" not in texts[2]
    assert texts[4] == "No tune-up applies at this answer: keep doing what works."
    assert plan["riskRules"] == [
        {"condition": "strategy_customer_plan_reviewed", "risk": "NO_RISK"},
        {
            "condition": "strategy_customer_plan_written || strategy_customer_plan_shared",
            "risk": "MEDIUM_RISK",
        },
        {"condition": "default", "risk": "HIGH_RISK"},
    ]


def test_lens_risk_rules_name_only_their_own_choices() -> None:
    for pillar in custom_lens(CX_CORE)["pillars"]:
        for question in pillar["questions"]:
            ids = {c["id"] for c in question["choices"]}
            for rule in question["riskRules"]:
                named = set(re.findall(r"[A-Za-z0-9_]+", rule["condition"])) - {"default"}
                assert named <= ids, (question["id"], rule)


def test_a_bank_too_big_for_the_lens_format_is_refused(write_project: WriteProject) -> None:
    dimension = MINI_BANK.split("dimensions:\n", 1)[1].split("  - id: beta", 1)[0]
    many = "".join(dimension.replace("id: alpha", f"id: d{n}") for n in range(11))
    project = write_project(
        {"bank.yml": MINI_BANK.split("dimensions:\n")[0] + "dimensions:\n" + many}
    )
    assert len(load_project_bank(project).dimensions) == 11
    result = run("export", project, "--format", "lens")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: the lens format does not fit this bank: 11 dimensions (at most 10)\n"
    )


def test_csv_export_is_the_library_text() -> None:
    assert run("export", ACME).stdout_bytes.decode("utf-8") == survey_csv(CX_CORE)
