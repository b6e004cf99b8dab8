"""The ``cxmaturity`` command as people use it, through click's test runner."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from assessment import __version__
from assessment.document import CSV_COLUMNS, FORMAT, FORMAT_VERSION
from assessment.loading import bundled_banks, load_assessment, load_bank
from assessment.scoring import score_assessment
from generator.cli import SCHEMA_MARK, cli

from .conftest import ROOT, WriteProject

COMMANDS = cli.list_commands(click.Context(cli))
SCHEMA_FILES = [
    "actions.schema.json",
    "answer-sheet.schema.json",
    "assessment.schema.json",
    "bank.schema.json",
]
CX_CORE_PROJECT = "client: Test Co\nbank: cx-core\n"


def run(*args: str | os.PathLike[str]) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_user_error(result: Result) -> None:
    """Exit status 2, a message for people, never a traceback."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def score_json(*args: str | os.PathLike[str]) -> dict:
    result = run("score", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# Help and version ------------------------------------------------------------------------------


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"cxmaturity, version {__version__}"


def test_the_expected_commands_exist():
    assert {"init", "template", "validate", "score", "schema"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str):
    result = run(command, "--help")
    assert result.exit_code == 0
    usage = result.stdout.splitlines()[0]
    assert usage.startswith("Usage: ") and f" {command} " in usage
    assert "Example" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_named_in_the_readme(command: str):
    """The README is where people learn the commands: each one is shown as it is typed."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"cxmaturity {command}\b", readme), f"README.md never shows `{command}`"


# validate ---------------------------------------------------------------------------------------


def test_validate_acme_summarises_the_project(acme: Path):
    result = run("validate", acme)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{acme}: valid"
    assert "  client     Acme Outdoor Co." in lines
    assert "  round      2026-q2: 16 answer sheets" in lines
    assert "  round      2026-q4 (current): 18 answer sheets" in lines
    assert "  teams      E-commerce 6, Stores 6, Support 6" in lines
    assert result.stderr == ""


def test_validate_reports_a_typo_with_its_place(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write_project({"answers/support/al.yml": "team: Support\nanswers:\n  alpha.onee: 3\n"})
    monkeypatch.chdir(tmp_path)
    result = run("validate", "proj")
    assert_user_error(result)
    assert result.stderr.splitlines() == [
        "proj/answers/support/al.yml:3:3: answers.alpha.onee: unknown question 'alpha.onee' "
        "(did you mean 'alpha.one'?)",
        "1 problem in 1 file",
    ]
    assert result.stdout == ""


def test_validate_counts_problems_and_files(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write_project(
        {
            "answers/a.yml": "team: X\nanswers:\n  alpha.one: 9\n  alpha.two: maybe\n",
            "answers/b.yml": "taem: X\n",
        }
    )
    monkeypatch.chdir(tmp_path)
    result = run("validate", "proj")
    assert_user_error(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 5
    assert [line.split(":")[0] for line in lines[:4]] == ["proj/answers/a.yml"] * 2 + [
        "proj/answers/b.yml"
    ] * 2
    assert lines[-1] == "4 problems in 2 files"


def test_validate_a_folder_that_is_not_a_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert_user_error(result)
    assert result.stderr.splitlines() == [
        "assessment.yml: file not found: is this a cxmaturity project? "
        "(`cxmaturity init` makes one)",
    ]


# score ------------------------------------------------------------------------------------------


def test_score_table_shows_the_overall_result(acme: Path):
    results = score_assessment(load_assessment(acme))
    overall = results.current.all
    result = run("score", acme)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ("Acme Outdoor Co. · round 2026-q4 · 18 respondents · compared with 2026-q2")
    assert lines[2].startswith(
        f"Overall {overall.score:.1f} / 100, level {overall.level}, target 80, "
    )
    assert "Customer strategy" in result.stdout
    assert "First tune-ups:" in result.stdout


def test_score_json_document(acme: Path):
    document = score_json(acme)
    expected = score_assessment(load_assessment(acme))
    assert document["format"] == FORMAT == "cxmaturity-results"
    assert document["format_version"] == FORMAT_VERSION == 1
    assert document["client"] == "Acme Outdoor Co."
    assert document["round"]["id"] == "2026-q4"
    assert document["previous_round"]["id"] == "2026-q2"
    assert document["overall"]["score"] == expected.current.all.score
    assert document["overall"]["delta"] == expected.current.all.delta


def test_score_json_plan_is_ranked_by_priority(acme: Path):
    plan = score_json(acme)["plan"]
    assert plan
    assert [item["rank"] for item in plan] == list(range(1, len(plan) + 1))
    priorities = [item["priority"] for item in plan]
    assert priorities == sorted(priorities, reverse=True)


def test_score_csv(acme: Path):
    result = run("score", acme, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    (overall,) = [r for r in records if r["group_kind"] == "all" and not r["dimension"]]
    expected = score_assessment(load_assessment(acme)).current.all.score
    assert float(overall["score"]) == pytest.approx(expected)


def test_score_by_team(acme: Path):
    result = run("score", acme, "--by", "team")
    assert result.exit_code == 0, result.output
    teams = {t.name: t for t in score_assessment(load_assessment(acme)).current.teams}
    for name in ("E-commerce", "Stores", "Support"):
        (row,) = [line for line in result.stdout.splitlines() if line.startswith(name + " ")]
        cells = row.split()
        assert cells[1:3] == [str(teams[name].respondents), f"{teams[name].score:.1f}"]
    assert "hidden" not in result.stdout


def test_score_by_role_hides_small_groups(acme: Path):
    result = run("score", acme, "--by", "role")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # 2026-q4 has 2 directors (hidden) and 3 team leads (shown: min_group_size is 3)
    assert any(re.fullmatch(r"Director\s+2\s+hidden", line) for line in lines)
    (lead,) = [line for line in lines if line.startswith("Team lead ")]
    assert re.match(r"Team lead\s+3\s+\d+\.\d", lead)
    (agent,) = [line for line in lines if line.startswith("Agent ")]
    assert "hidden" not in agent
    assert re.search(r"\d+\.\d", agent)
    assert "hidden: fewer than 3 respondents" in result.stdout


def test_score_json_hides_the_scores_of_small_roles(acme: Path):
    roles = {entry["name"]: entry for entry in score_json(acme)["roles"]}
    assert roles["Director"] == {"name": "Director", "respondents": 2, "shown": False}
    assert roles["Team lead"]["shown"] is True and roles["Team lead"]["respondents"] == 3
    assert roles["Agent"]["shown"] is True
    assert isinstance(roles["Agent"]["score"], float)


def test_score_csv_leaves_out_small_roles(acme: Path):
    result = run("score", acme, "--format", "csv", "--by", "role")
    assert result.exit_code == 0, result.output
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["group"] for r in records} == {"Agent", "Specialist", "Team lead"}
    assert {r["group_kind"] for r in records} == {"role"}


def test_score_an_earlier_round_has_no_change(acme: Path):
    document = score_json(acme, "--round", "2026-q2")
    expected = score_assessment(load_assessment(acme), "2026-q2").current.all
    assert document["round"]["id"] == "2026-q2"
    assert document["previous_round"] is None
    assert document["overall"]["score"] == expected.score
    assert document["overall"]["delta"] is None
    assert all(d["delta"] is None for d in document["overall"]["dimensions"])
    table = run("score", acme, "--round", "2026-q2")
    assert table.exit_code == 0
    assert "compared with" not in table.stdout
    assert " since " not in table.stdout


def test_score_unknown_round(acme: Path):
    result = run("score", acme, "--round", "2026-q3")
    assert_user_error(result)
    assert "unknown round '2026-q3'; rounds are: 2026-q2, 2026-q4" in result.stderr
    assert result.stdout == ""


# init -------------------------------------------------------------------------------------------


def test_init_creates_a_ready_project(tmp_path: Path):
    target = tmp_path / "new"
    result = run("init", target, "--client", "Acme")
    assert result.exit_code == 0, result.output
    assert (target / "assessment.yml").is_file()
    assert (target / "README.md").is_file()
    assert (target / "answers").is_dir()
    assert (target / "answer-sheet-template.yml").is_file()
    assert sorted(p.name for p in (target / "schemas").glob("*.json")) == SCHEMA_FILES
    for path in (target / "schemas").glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["$comment"] == SCHEMA_MARK


def test_init_project_validates_clean(tmp_path: Path):
    client = 'Acme: "Outdoor" & Co #1'
    target = tmp_path / "new"
    assert run("init", target, "--client", client).exit_code == 0
    result = run("validate", target)
    assert result.exit_code == 0, result.output
    assert f"  client     {client}" in result.stdout.splitlines()
    assert "0 answer sheets" in result.stdout
    assert load_assessment(target).settings.client == client


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    existing = tmp_path / "assessment.yml"
    existing.write_text("client: Mine\n", encoding="utf-8")
    result = run("init", tmp_path)
    assert_user_error(result)
    assert "folder is not empty" in result.stderr
    assert existing.read_text(encoding="utf-8") == "client: Mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["assessment.yml"]


def test_init_unknown_bank(tmp_path: Path):
    result = run("init", tmp_path / "new", "--bank", "cx-cor")
    assert_user_error(result)
    assert f"unknown bank 'cx-cor'; bundled banks: {', '.join(bundled_banks())}" in result.stderr
    assert not (tmp_path / "new").exists()


# template ---------------------------------------------------------------------------------------


def test_template_lists_every_question_with_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)  # no project here: the bundled cx-core bank
    result = run("template")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schemas/answer-sheet.schema.json"
    bank = load_bank(bundled_banks()["cx-core"])
    assert len(bank.questions) > 0
    for key, question in bank.questions.items():
        index = lines.index(f"  {key}:")
        comments = []
        for line in reversed(lines[:index]):
            if not line.startswith("  #"):
                break
            comments.insert(0, line.removeprefix("  #").strip())
        assert " ".join(question.text.split()) in " ".join(comments), key


def test_filled_in_template_validates(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    project = write_project({"assessment.yml": CX_CORE_PROJECT})
    template = run("template", project, "--team", "Support")
    assert template.exit_code == 0, template.output
    filled = template.stdout
    for key, answer in [
        ("strategy.customer-plan", "shared"),
        ("strategy.segments", "described"),
        ("needs.signals", "[surveys, contact-reasons]"),
        ("needs.journey-map", "n/a"),
        ("needs.partners", "dont-know"),
    ]:
        assert f"\n  {key}:\n" in filled
        filled = filled.replace(f"\n  {key}:\n", f"\n  {key}: {answer}\n")
    sheet = project / "answers" / "support" / "alice.yml"
    sheet.parent.mkdir(parents=True)
    sheet.write_text(filled, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("validate", "proj")
    assert result.exit_code == 0, result.output
    assert "  round      current (current): 1 answer sheets" in result.stdout.splitlines()
    assessment = load_assessment(project)
    (alice,) = assessment.round().sheets
    assert alice.team == "Support"
    assert {k: a.score for k, a in alice.answers.items()} == {
        "strategy.customer-plan": 75.0,  # "Shared, with named owners" scores 0.75
        "strategy.segments": 50.0,  # "Described, but rarely used to decide" scores 0.5
        # signals weigh 1+1+1+2+2+1+1+2 = 11; surveys (1) + contact reasons (2) = 3 of 11
        "needs.signals": pytest.approx(300 / 11),
        "needs.journey-map": None,
        "needs.partners": None,
    }
    assert alice.answers["needs.partners"].kind == "dont-know"
    assert alice.answers["needs.journey-map"].kind == "na"


def test_template_out_points_at_the_project_schema(write_project: WriteProject):
    project = write_project({"assessment.yml": CX_CORE_PROJECT})
    out = project / "answers" / "support" / "alice.yml"
    result = run("template", project, "--out", out)
    assert result.exit_code == 0, result.output
    first = out.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    schema = (out.parent / first.removeprefix(prefix)).resolve()
    assert schema == (project / "schemas" / "answer-sheet.schema.json").resolve()


def test_template_out_never_overwrites(write_project: WriteProject):
    project = write_project({"assessment.yml": CX_CORE_PROJECT})
    out = project / "mine.yml"
    out.write_text("keep me\n", encoding="utf-8")
    result = run("template", project, "--out", out)
    assert_user_error(result)
    assert "already exists; not overwritten" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"


# schema -----------------------------------------------------------------------------------------


def test_schema_writes_the_four_schemas(write_project: WriteProject):
    project = write_project({})
    result = run("schema", project)
    assert result.exit_code == 0, result.output
    folder = project / "schemas"
    assert sorted(p.name for p in folder.iterdir()) == SCHEMA_FILES
    documents = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.iterdir()}
    assert all(d["$comment"] == SCHEMA_MARK for d in documents.values())
    answers = documents["answer-sheet.schema.json"]["properties"]["answers"]["properties"]
    assert sorted(answers) == ["alpha.one", "alpha.two", "beta.three"]
    items = documents["actions.schema.json"]["properties"]
    assert sorted(items) == [
        "alpha.one.1",
        "alpha.one.align",
        "alpha.two.1",
        "alpha.two.align",
        "beta.three.1",
        "beta.three.align",
    ]
    # Running again replaces its own files.
    assert run("schema", project).exit_code == 0


def test_schema_never_overwrites_a_foreign_file(write_project: WriteProject):
    project = write_project({"schemas/bank.schema.json": '{"mine": true}\n'})
    result = run("schema", project)
    assert_user_error(result)
    assert "exists and was not written by cxmaturity; nothing written" in result.stderr
    foreign = project / "schemas" / "bank.schema.json"
    assert foreign.read_text(encoding="utf-8") == '{"mine": true}\n'


def test_schema_refusal_writes_nothing(write_project: WriteProject):
    project = write_project({"schemas/bank.schema.json": '{"mine": true}\n'})
    result = run("schema", project)
    assert result.exit_code == 2
    assert sorted(p.name for p in (project / "schemas").iterdir()) == ["bank.schema.json"]
