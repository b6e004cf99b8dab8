"""``cxmaturity collect``: returned answer sheets checked as ``validate`` checks them and
filed under ``answers/<round>/<team>/``, all or nothing, never over a file unless asked."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli

from .conftest import WriteProject

PROJECT = "client: C\nbank: bank.yml\nrounds: [r1, r2]\nteams: [Support, Stores]\n"
SCHEMA = "# yaml-language-server: $schema=../../schemas/answer-sheet.schema.json\n"


def sheet(team: str = "Support", respondent: str | None = "Alice", one: object = 4) -> str:
    who = f"respondent: {respondent}\n" if respondent is not None else ""
    return SCHEMA + f"{who}team: {team}\nanswers:\n  alpha.one: {one}\n  alpha.two: partly\n"


@pytest.fixture
def project(write_project: WriteProject, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_project({"assessment.yml": PROJECT})
    monkeypatch.chdir(root.parent)
    return Path(root.name)


def returned(folder: Path, **texts: str) -> list[str]:
    """Write returned sheets (``name=text``) into ``folder``; their paths as given."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.yml").write_text(textwrap.dedent(text), encoding="utf-8")
    return [str(folder / f"{name}.yml") for name in texts]


def collect(*arguments: str | Path) -> Result:
    return CliRunner().invoke(cli, ["collect", *map(str, arguments)])


def filed(project: Path) -> dict[str, str]:
    answers = project / "answers"
    return {
        p.relative_to(answers).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(answers.rglob("*.yml"))
    }


def test_a_valid_sheet_is_filed_under_its_round_and_team(project: Path):
    (alice,) = returned(Path("inbox"), alice=sheet())
    result = collect(alice, project)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Filed inbox/alice.yml as proj/answers/r2/support/alice.yml",
        "Filed 1 answer sheet in round r2 (Support 1).",
        "Next: cxmaturity validate proj",
    ]
    # The schema line now points at proj/schemas from where the sheet is, one folder deeper.
    assert filed(project) == {
        "r2/support/alice.yml": sheet().replace("../../schemas", "../../../schemas")
    }
    assert CliRunner().invoke(cli, ["validate", str(project)]).exit_code == 0


def test_an_invalid_sheet_is_refused_with_its_place_and_nothing_is_filed(project: Path):
    good, bad = returned(
        Path("inbox"), good=sheet(), bad=sheet(team="Stores", respondent="Bob", one=9)
    )
    result = collect(good, bad, project)
    assert result.exit_code == 2
    # The answer is on line 5 (schema, respondent, team, answers:, alpha.one), column 14.
    assert result.output.splitlines() == [
        "inbox/bad.yml:5:14: answers.alpha.one: 9 is outside scale agreement (1 to 5)",
        "1 problem in 1 file",
    ]
    assert filed(project) == {}


def test_a_name_clash_is_refused_without_force_and_replaced_with_it(project: Path):
    (first,) = returned(Path("monday"), alice=sheet(one=4))
    assert collect(first, project).exit_code == 0
    before = filed(project)
    (second,) = returned(Path("tuesday"), alice=sheet(one=2))
    result = collect(second, project)
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        "proj/answers/r2/support/alice.yml: already exists; not overwritten "
        "(use --force to replace it): tuesday/alice.yml would be filed there"
    )
    assert filed(project) == before
    forced = collect(second, project, "--force")
    assert forced.exit_code == 0, forced.output
    assert forced.output.splitlines()[0] == (
        "Filed tuesday/alice.yml as proj/answers/r2/support/alice.yml (replacing it)"
    )
    assert "alpha.one: 2" in filed(project)["r2/support/alice.yml"]


def test_a_sheet_filed_before_is_recognised_and_left_alone(project: Path):
    (alice,) = returned(Path("inbox"), alice=sheet())
    assert collect(alice, project).exit_code == 0
    again = collect(alice, project)
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[:2] == [
        "Already filed: inbox/alice.yml is proj/answers/r2/support/alice.yml",
        "Filed 0 answer sheets in round r2.",
    ]
    assert list(filed(project)) == ["r2/support/alice.yml"]


def test_sheets_without_a_respondent_are_numbered_across_the_round(project: Path):
    texts = {
        "a": sheet(respondent=None, one=1),
        "b": sheet(team="stores", respondent=None, one=2),
        "c": sheet(respondent=None, one=3),
    }
    paths = returned(Path("inbox"), **texts)
    result = collect(*paths, project)
    assert result.exit_code == 0, result.output
    # The team as the project spells it names the folder; the numbers are the round's.
    assert list(filed(project)) == [
        "r2/stores/respondent-002.yml",
        "r2/support/respondent-001.yml",
        "r2/support/respondent-003.yml",
    ]
    assert (
        result.output.splitlines()[3] == "Filed 3 answer sheets in round r2 (Stores 1, Support 2)."
    )
    (more,) = returned(Path("later"), d=sheet(respondent=None, one=5))
    assert collect(more, project).exit_code == 0
    assert "r2/support/respondent-004.yml" in filed(project)
    # The same file again is not filed twice under a new number.
    assert collect(more, project).output.startswith("Already filed: later/d.yml is ")
    assert len(filed(project)) == 4


def test_a_respondent_who_answered_in_another_file_is_refused_even_with_force(project: Path):
    (alice,) = returned(Path("inbox"), alice=sheet())
    assert collect(alice, project).exit_code == 0
    (moved,) = returned(Path("moved"), alice=sheet(team="Stores"))
    result = collect(moved, project, "--force")
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        "moved/alice.yml:2:13: respondent: respondent 'Alice' already answered this round "
        "in proj/answers/r2/support/alice.yml"
    )


def test_unknown_teams_and_two_sheets_for_one_file_are_refused(project: Path):
    paths = returned(
        Path("inbox"),
        a=sheet(team="Suport"),
        b=sheet(team="Stores", respondent="Bob"),
        c=sheet(team="stores", respondent="bob"),
    )
    result = collect(*paths, project)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "inbox/a.yml:3:7: team: unknown team 'Suport' (did you mean 'Support'?); "
        "teams are Support, Stores",
        "inbox/c.yml: would be filed as proj/answers/r2/stores/bob.yml, as inbox/b.yml is",
        "2 problems in 2 files",
    ]
    assert filed(project) == {}


def test_the_round_is_the_last_unless_given(project: Path):
    (alice,) = returned(Path("inbox"), alice=sheet())
    assert collect(alice, project, "--round", "r1").exit_code == 0
    assert list(filed(project)) == ["r1/support/alice.yml"]
    unknown = collect(alice, project, "--round", "r3")
    assert unknown.exit_code == 2
    assert "unknown round 'r3'; this project's rounds are r1, r2" in unknown.output


def test_without_rounds_sheets_go_under_answers_and_the_team(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
):
    root = write_project({})
    monkeypatch.chdir(root)
    (alice,) = returned(Path("inbox"), alice=sheet())
    result = collect(alice)  # the project is the current folder
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Filed inbox/alice.yml as answers/support/alice.yml"
    assert filed(Path(".")) == {"support/alice.yml": sheet()}  # the schema line was right
    refused = collect(alice, "--round", "r1")
    assert refused.exit_code == 2
    assert "--round r1: this project has no rounds in assessment.yml" in refused.output


def test_a_linked_team_folder_is_not_written_to(project: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "answers" / "r2").mkdir(parents=True)
    os.symlink(elsewhere, project / "answers" / "r2" / "support")
    (alice,) = returned(Path("inbox"), alice=sheet())
    result = collect(alice, project)
    assert result.exit_code == 2
    assert "proj/answers/r2/support: is a link to a folder" in result.output
    assert list(elsewhere.iterdir()) == []


def test_folders_are_refused_among_the_files(project: Path):
    (alice,) = returned(Path("inbox"), alice=sheet())
    result = collect("inbox", alice, project)
    assert result.exit_code == 2
    assert "inbox: is a folder; give answer files, and the project folder last" in result.output
