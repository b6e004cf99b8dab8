"""``export --format jira|github|xlsx``: the plan for issue trackers and the whole results as
a workbook holding exactly the numbers of ``score --format json``."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from assessment.loading import load_assessment
from assessment.planning import plan as make_plan
from assessment.scoring import score_assessment
from assessment.trackers import JIRA_COLUMNS, jira_date
from generator.cli import cli

from .conftest import ACME, WriteProject

# The mini bank (tests/conftest.py), three people of one team answering alike:
# alpha.one 2 on 1-5 = 25, alpha.two "no" = 0, beta.three [chat] = 1 of 1 + 3 = 25.
# Priorities (gap to 80 x question weight x dimension weight x impact / effort):
#   alpha.one.1  55 x 2 x 1 x 3 / 1 = 330  -> rank 1
#   beta.three.1 55 x 1 x 2 x 3 / 3 = 110  -> rank 2
#   alpha.two.1  80 x 1 x 1 x 2 / 2 =  80  -> rank 3
SHEET = (
    "respondent: {who}\nteam: {team}\nanswers:\n  alpha.one: 2\n  alpha.two: no\n"
    "  beta.three: [chat]\n"
)
ACTIONS = """\
alpha.one.1:
  owner: "@dana-k"
  due: 2026-03-31
  status: doing
  note: =1+1 looks like a formula
  link: https://tracker.example.com/CX-1
alpha.two.1:
  owner: -Sam
  due: 2026-04-15
beta.three.1:
  status: done
  done: 2026-02-01
"""
GITHUB_ISSUE = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "body", "labels", "assignees"],
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 256},
        "body": {"type": "string", "minLength": 1},
        "labels": {"type": "array", "items": {"type": "string", "pattern": "^[^,\\s]+$"}},
        "assignees": {
            "type": "array",
            "items": {
                "type": "string",
                "pattern": "^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*$",
            },
        },
    },
}


@pytest.fixture
def project(write_project: WriteProject) -> Path:
    return write_project(
        {
            "assessment.yml": "client: Test Co\nbank: bank.yml\ntarget: 80\ndate: 2026-02-15\n",
            "actions.yml": ACTIONS,
            "answers/a.yml": SHEET.format(who="a", team="Support"),
            "answers/b.yml": SHEET.format(who="b", team="Support"),
            "answers/c.yml": SHEET.format(who="c", team="'=HYPERLINK(\"http://x\")'"),
        }
    )


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(cli, [str(a) for a in args])


def _gain(project: Path, item_id: str) -> str:
    assessment = load_assessment(project)
    plan = make_plan(score_assessment(assessment), assessment.bank)
    return f"{next(i for i in plan.items if i.id == item_id).gain:+.1f}"


# Jira ---------------------------------------------------------------------------------------


def test_jira_csv_round_trips_with_the_documented_header(project: Path):
    result = run("export", project, "--format", "jira")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[0] == [
        "Summary",
        "Description",
        "Assignee",
        "Due date",
        "Priority",
        "Labels",
        "Labels",
    ]
    assert tuple(rows[0]) == JIRA_COLUMNS
    # beta.three.1 is done: only the two items still to do, in plan order.
    assert [r[0] for r in rows[1:]] == ["Fix one", "Fix two"]
    one = rows[1]
    # Every text cell goes through the formula guard: "@" starts a formula in a spreadsheet.
    assert one[2:] == ["'@dana-k", "31/Mar/26 12:00 AM", "High", "alpha", "now"]
    assert one[1] == (
        "Question: Question one? (alpha.one)\n"
        "Score: 25.0 of 100 (this applies below 60); target 80\n"
        f"Expected gain: {_gain(project, 'alpha.one.1')} points of the overall score\n"
        "Plan: Now, rank 1; effort low, impact high (a quick win)\n"
        "\n"
        "Note: =1+1 looks like a formula\n"
        "Link: https://tracker.example.com/CX-1\n"
        "\n"
        "From the cxmaturity plan of Test Co: alpha.one.1"
    )
    # An owner starting with "-" would be a formula in a spreadsheet: it gets a quote.
    assert rows[2][2:4] == ["'-Sam", "15/Apr/26 12:00 AM"]


def test_jira_dates_use_the_importers_default_format():
    import datetime as dt

    assert jira_date(dt.date(2026, 1, 5)) == "05/Jan/26 12:00 AM"
    assert jira_date(dt.date(2030, 12, 31)) == "31/Dec/30 12:00 AM"


def test_without_actions_every_plan_item_is_exported(project: Path):
    (project / "actions.yml").unlink()
    rows = list(csv.reader(io.StringIO(run("export", project, "--format", "jira").stdout)))
    assert [(r[0], r[2], r[3], r[4]) for r in rows[1:]] == [
        ("Fix one", "", "", "High"),
        ("Add channels", "", "", "High"),
        ("Fix two", "", "", "High"),
    ]


# GitHub -------------------------------------------------------------------------------------


def test_github_lines_validate_and_name_the_assignee(project: Path):
    result = run("export", project, "--format", "github")
    assert result.exit_code == 0, result.output
    issues = [json.loads(line) for line in result.stdout.splitlines()]
    validator = Draft202012Validator(GITHUB_ISSUE)
    Draft202012Validator.check_schema(GITHUB_ISSUE)
    for issue in issues:
        assert list(validator.iter_errors(issue)) == []
    assert [(i["title"], i["labels"], i["assignees"]) for i in issues] == [
        ("Fix one", ["alpha", "now"], ["dana-k"]),
        ("Fix two", ["alpha", "now"], []),
    ]
    assert issues[0]["body"] == (
        "**Question:** Question one? (alpha.one)  \n"
        "**Score:** 25.0 of 100 (this applies below 60); target 80  \n"
        f"**Expected gain:** {_gain(project, 'alpha.one.1')} points of the overall score  \n"
        "**Plan:** Now, rank 1; effort low, impact high (a quick win)  \n\n"
        "**Due:** 2026-03-31  \n**Link:** https://tracker.example.com/CX-1\n\n"
        "> =1+1 looks like a formula\n\n"
        "<sub>From the cxmaturity plan of Test Co: alpha.one.1</sub>\n"
    )
    # An owner that is not a @login is named in the body instead.
    assert "**Owner:** -Sam  \n**Due:** 2026-04-15" in issues[1]["body"]


def test_the_schema_refuses_what_gh_would_refuse():
    validator = Draft202012Validator(GITHUB_ISSUE)
    assert not validator.is_valid({"title": "x", "body": "y", "labels": ["a b"], "assignees": []})
    assert not validator.is_valid({"title": "", "body": "y", "labels": [], "assignees": []})
    assert not validator.is_valid({"title": "x", "body": "y", "labels": [], "assignees": ["@a"]})


def test_export_writes_a_file_and_never_overwrites(project: Path, tmp_path: Path):
    out = tmp_path / "plan.csv"
    assert run("export", project, "--format", "jira", "--out", out).exit_code == 0
    first = out.read_bytes()
    assert first.startswith(b"Summary,Description,")  # no byte-order mark: Jira reads it as is
    again = run("export", project, "--format", "jira", "--out", out)
    assert again.exit_code == 2
    assert "already exists; not overwritten (use --force to replace it)" in again.stderr


# The workbook -------------------------------------------------------------------------------


def _sheet(book: Any, title: str) -> list[dict[str, Any]]:
    rows = list(book[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _same(cell: Any, number: Any) -> bool:
    """Equal to the bit: same type and same repr (repr round-trips a float exactly)."""
    return type(cell) is type(number) and repr(cell) == repr(number)


def _assert_same(rows: list[dict[str, Any]], entries: list[dict[str, Any]], columns: dict) -> int:
    checked = 0
    for row, entry in zip(rows, entries, strict=True):
        for header, key in columns.items():
            number = entry.get(key)
            if number is None:
                assert row[header] is None, (header, row[header])
                continue
            assert _same(row[header], number), (header, row[header], number)
            checked += 1
    return checked


def test_the_workbook_holds_the_numbers_of_score_json(tmp_path: Path):
    out = tmp_path / "acme.xlsx"
    assert run("export", ACME, "--format", "xlsx", "--out", out).exit_code == 0
    document = json.loads(run("score", ACME, "--format", "json").stdout)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Overall", "Dimensions", "Questions", "Teams", "Roles", "Plan"]
    figures = {"Score": "score", "Coverage": "coverage", "Change": "delta"}
    checked = 0
    dimensions = document["overall"]["dimensions"]
    checked += _assert_same(_sheet(book, "Dimensions"), dimensions, figures | {"Weight": "weight"})
    questions = [q for d in dimensions for q in d["questions"]]
    checked += _assert_same(
        _sheet(book, "Questions"),
        questions,
        {
            "Score": "score",
            "n": "n",
            "Spread (sd)": "sd",
            "Lowest": "min",
            "Highest": "max",
            "Change": "delta",
            "Weight": "weight",
        },
    )
    for title, kind in (("Teams", "teams"), ("Roles", "roles")):
        checked += _assert_same(
            _sheet(book, title), document[kind], {"Respondents": "respondents", "Score": "score"}
        )
    checked += _assert_same(
        _sheet(book, "Plan"),
        document["plan"],
        {
            "Rank": "rank",
            "Score": "score",
            "Gap": "gap",
            "Priority": "priority",
            "Expected gain": "gain",
        },
    )
    overall = _sheet(book, "Overall")
    assert [r["Round"] for r in overall] == [r["id"] for r in document["rounds"]]
    checked += _assert_same(
        overall[-1:], [document["overall"]], figures | {"To target": "to_target"}
    )
    # Every question and dimension score of the example is there, not a sample of them.
    assert checked > 5 * len(questions)
    # Numbers are numbers, with a format to read them by.
    questions_sheet = book["Questions"]
    assert questions_sheet["E2"].data_type == "n" and questions_sheet["E2"].number_format == "0.0"
    assert questions_sheet.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(questions_sheet.max_column)
    assert questions_sheet.auto_filter.ref == f"A1:{last}{len(questions) + 1}"


def test_the_workbook_is_reproducible_and_its_text_is_never_a_formula(
    project: Path, tmp_path: Path
):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert run("export", project, "--format", "xlsx", "--out", first).exit_code == 0
    time.sleep(2.1)  # zip entries record the time in 2-second steps
    assert run("export", project, "--format", "xlsx", "--out", second).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    book = openpyxl.load_workbook(first)
    assert book.properties.created == book.properties.modified
    assert str(book.properties.created) == "2026-02-15 00:00:00"
    plan = book["Plan"]
    headers = [c.value for c in plan[1]]
    note = plan.cell(row=2, column=headers.index("Note") + 1)
    assert (note.value, note.data_type, note.quotePrefix) == (
        "=1+1 looks like a formula",
        "s",
        True,
    )
    due = plan.cell(row=2, column=headers.index("Due") + 1)
    assert (str(due.value), due.number_format) == ("2026-03-31 00:00:00", "yyyy-mm-dd")
    teams = book["Teams"]
    names = [teams.cell(row=r, column=1) for r in range(2, teams.max_row + 1)]
    formula = next(c for c in names if str(c.value).startswith("="))
    assert (formula.data_type, formula.quotePrefix) == ("s", True)
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")


def test_xlsx_needs_an_out_file(project: Path):
    result = run("export", project, "--format", "xlsx")
    assert result.exit_code == 2
    assert result.stderr == "Error: --format xlsx writes a workbook: give --out FILE.xlsx\n"
