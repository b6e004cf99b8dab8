"""Team and role names as people type them, and what used to be skipped without a word.

Names that differ only in case or spacing are one group; names that merely look alike are
warned about; with ``teams:`` listed, an unknown team is an error. An exact copy of a
sheet, a sheet saved beside assessment.yml and a file under answers/ that is not YAML are
warned about; ``.YML`` sheets are read.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.names import canonical_names
from assessment.scoring import score_assessment
from generator.cli import cli

from .conftest import Load, Problems, WriteProject

_SHEET_NUMBERS = itertools.count(1)


def sheet(team: str, role: str = "Agent", answer: int = 3) -> str:
    """A sheet, team on line 2 and role on line 3; each call writes a different file (its
    first line is a numbered comment), so that no two are copies."""
    number = next(_SHEET_NUMBERS)
    return f"# sheet {number}\nteam: {team}\nrole: {role}\nanswers:\n  alpha.one: {answer}\n"


def test_case_and_spacing_make_one_group_under_its_most_common_spelling(loaded: Load):
    assessment = loaded(
        {
            "answers/a.yml": sheet("Support"),
            "answers/b.yml": sheet('"support "'),
            "answers/c.yml": sheet("Support"),
            "answers/d.yml": sheet("SUPPORT", role="agent"),
        }
    )
    assert sorted(s.team for s in assessment.round().sheets) == ["Support"] * 4
    assert sorted(s.role or "" for s in assessment.round().sheets) == ["Agent"] * 4
    teams = score_assessment(assessment).current.teams
    assert [(t.name, t.respondents, t.shown) for t in teams] == [("Support", 4, True)]
    assert [str(w) for w in assessment.warnings] == [
        "proj/answers/b.yml:2:7: team: warning: 'support ' is counted as team 'Support' "
        "(names that differ only in case or spacing are one group)",
        "proj/answers/d.yml:2:7: team: warning: 'SUPPORT' is counted as team 'Support' "
        "(names that differ only in case or spacing are one group)",
        "proj/answers/d.yml:3:7: role: warning: 'agent' is counted as role 'Agent' "
        "(names that differ only in case or spacing are one group)",
    ]


def test_a_name_close_to_another_is_kept_apart_and_warned_about(loaded: Load):
    stores = {f"answers/s{i}.yml": sheet("Stores") for i in range(3)}
    assessment = loaded({**stores, "answers/x.yml": sheet("Store")})
    assert sorted({s.team for s in assessment.round().sheets}) == ["Store", "Stores"]
    assert [str(w) for w in assessment.warnings] == [
        "proj/answers/x.yml:2:7: team: warning: team 'Store' (1 sheet) looks like 'Stores' "
        "(3 sheets): did you mean 'Stores'?; list the teams in assessment.yml to catch typos"
    ]


TEAMS = "client: Test Co\nbank: bank.yml\nteams: [Support, E-commerce]\n"


def test_listed_teams_give_the_spelling_and_refuse_others(problems_of: Problems):
    problems = problems_of(
        {
            "assessment.yml": TEAMS,
            "answers/a.yml": sheet("support"),
            "answers/b.yml": sheet("Ecommerce"),
        }
    )
    assert problems == [
        "proj/answers/b.yml:2:7: team: unknown team 'Ecommerce' (did you mean 'E-commerce'?); "
        "the teams listed in assessment.yml are: Support, E-commerce"
    ]


def test_listed_spelling_wins_without_a_warning(loaded: Load):
    assessment = loaded({"assessment.yml": TEAMS, "answers/a.yml": sheet("SUPPORT")})
    assert [s.team for s in assessment.round().sheets] == ["Support"]
    assert assessment.warnings == ()


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["b", "B", "B"], {"b": "B", "B": "B"}),
        # A tie goes to the spelling that sorts first, whatever the order of files.
        (["x Y", "X y"], {"x Y": "X y", "X y": "X y"}),
        (["X y", "x Y"], {"x Y": "X y", "X y": "X y"}),
    ],
)
def test_canonical_spelling_never_depends_on_file_order(names: list[str], expected: dict[str, str]):
    assert canonical_names(names) == (expected, [])


def test_an_exact_copy_without_respondent_is_warned_about(loaded: Load):
    copied = sheet("Support")
    named = "respondent: ana\n" + sheet("Support")
    assessment = loaded(
        {
            "answers/a.yml": copied,
            "answers/a copy.yml": copied,
            "answers/ana.yml": named,
            "answers/ana again.yml": named.replace("ana", "bo"),
        }
    )
    assert len(assessment.round().sheets) == 4
    assert [str(w) for w in assessment.warnings] == [
        "proj/answers/a.yml: warning: the same file as proj/answers/a copy.yml, and neither "
        "names its respondent: a copied file counts twice (delete one, or add respondent: to "
        "each)"
    ]


def test_files_that_used_to_be_skipped_silently(loaded: Load):
    assessment = loaded(
        {
            "answers/UPPER.YML": sheet("Support", answer=5),
            "answers/notes.txt": "not a sheet, and plainly so",
            "answers/export.csv": "team,alpha.one\nSupport,3\n",
            "alice.yml": sheet("Support"),
        }
    )
    # .YML is read; the CSV and the sheet beside assessment.yml are not, but said so.
    assert [s.answers["alpha.one"].score for s in assessment.round().sheets] == [100.0]
    assert [str(w) for w in assessment.warnings] == [
        "proj/alice.yml: warning: looks like an answer sheet, but only sheets under answers/ "
        "are read: move it to proj/answers/",
        "proj/answers/export.csv: warning: not read: answer sheets are .yml or .yaml files",
    ]


def test_validate_prints_warnings_and_succeeds(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    write_project({"answers/a.yml": sheet("Support"), "answers/b.yml": sheet("support")})
    result = CliRunner().invoke(cli, ["validate", "proj"])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "proj/answers/b.yml:2:7: team: warning: 'support' is counted as team 'Support' (names "
        "that differ only in case or spacing are one group)"
    ]


def test_warnings_are_not_counted_as_problems(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    write_project(
        {
            "answers/a.yml": sheet("Support"),
            "answers/b.yml": sheet("support"),
            "answers/c.yml": sheet("Support", answer=9),
        }
    )
    result = CliRunner().invoke(cli, ["validate", "proj"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "1 problem in 1 file"
    assert "warning: 'support' is counted as team 'Support'" in result.stderr
