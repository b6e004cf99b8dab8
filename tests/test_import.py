"""`cxmaturity import`: survey tools' CSV exports become answer sheets, or exact problems.

The files in ``fixtures/surveys/`` imitate each tool's export (see its README); the small
CSVs written here show one behaviour each, with the bank of ``conftest.MINI_BANK``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assessment.importing import SurveyImport, read_mapping, read_survey
from assessment.loading import answer_score, load_assessment, load_bank
from assessment.problems import InputError
from generator.cli import cli

from .conftest import ACME, MINI_BANK, ROOT, WriteProject

SURVEYS = ROOT / "tests" / "fixtures" / "surveys"
# The survey fixtures were made from cx-core 1.0 (their column titles are its question
# texts), so these tests use that bank, as the Acme example keeps it for its first round.
CX_CORE_FILE = ACME / "banks" / "cx-core-1.0.yml"
CX_CORE = load_bank(CX_CORE_FILE)
CX_PROJECT = "client: Test Co\nbank: bank.yml\nrounds: [2026-q4]\n"
CX_FILES: dict[str, str | bytes] = {
    "assessment.yml": CX_PROJECT,
    "bank.yml": CX_CORE_FILE.read_text(encoding="utf-8"),
}
FIXTURE_EMAILS = ("ana.lopez@", "emma.schulz@", "noah.berg@")
FIXTURE_NAMES = ("Emma Schulz", "Noah Berg", "Jürgen Weiß")


def run(*args: str | os.PathLike[str]) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def survey(name: str, **options: object) -> SurveyImport:
    return read_survey(SURVEYS / name, CX_CORE, display=name, **options)  # type: ignore[arg-type]


def by_row(result: SurveyImport) -> dict[int, dict[str, object]]:
    return {s.row: {"team": s.team, "role": s.role, **s.answers} for s in result.sheets}


def problems(csv_text: str | bytes, tmp_path: Path, **options: object) -> list[str]:
    """The problems of a CSV against the mini bank, as printed."""
    from assessment.loading import load_project_bank

    path = tmp_path / "survey.csv"
    if isinstance(csv_text, str):
        path.write_text(csv_text, encoding="utf-8", newline="")
    else:
        path.write_bytes(csv_text)
    bank = load_project_bank(tmp_path / "proj")
    with pytest.raises(InputError) as caught:
        read_survey(path, bank, display="survey.csv", **options)  # type: ignore[arg-type]
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def mini(write_project: WriteProject) -> Path:
    return write_project({})


# What each tool's export becomes -----------------------------------------------------------------


def test_google_forms_export() -> None:
    result = survey("google-forms.csv")
    assert (result.encoding, result.delimiter, result.header_rows) == ("UTF-8", ",", 1)
    rows = by_row(result)
    assert rows[2] == {
        "team": "Support",
        "role": "Agent",
        "strategy.written-plan": 4,
        "strategy.segments": "partly",
        "expectations.reply-time": "four-hours",
        "needs.journey-map": "half",
        "capabilities.channels": ["phone", "email", "chat"],
        "capabilities.help-centre": ["guides", "mobile"],  # a label with commas, ", "-joined
    }
    assert rows[3]["needs.journey-map"] == "n/a"  # "Not applicable"
    assert "expectations.reply-time" not in rows[4]  # blank: unanswered
    assert [s.respondent for s in result.sheets] == [f"respondent-00{n}" for n in (1, 2, 3, 4)]
    assert result.identity_columns == ("Email Address",)
    ignored = {c.header: c.target.reason for c in result.ignored_columns}
    assert ignored == {
        "Timestamp": "the survey tool's own column",
        "Anything else you would like to tell us?": "",
    }


def test_microsoft_forms_export() -> None:
    result = survey("microsoft-forms.csv")
    assert result.encoding == "UTF-8 with BOM"
    rows = by_row(result)
    assert rows[2] == {
        "team": "E-commerce",
        "role": "Specialist",
        "strategy.written-plan": 4,  # Likert statements answered with labels
        "expectations.first-contact": 3,  # header with a typographic apostrophe
        "capabilities.channels": ["phone", "email", "chat"],  # ";"-joined, trailing ";"
        "capabilities.knowledge": 5,
        "leadership.listening": "monthly",
    }
    assert rows[3]["capabilities.channels"] == ["email"]
    assert result.identity_columns == ("Email", "Name")


def test_typeform_export_has_a_column_per_choice() -> None:
    result = survey("typeform.csv")
    rows = by_row(result)
    assert rows[3]["capabilities.channels"] == ["phone", "in-store", "video"]
    assert rows[2]["needs.journey-map"] == "some"
    assert "capabilities.channels" not in rows[4]  # no choice ticked: unanswered
    assert {c.header for c in result.ignored_columns} >= {"#", "Other", "Network ID"}


def test_surveymonkey_export_has_two_header_rows() -> None:
    result = survey("surveymonkey.csv")
    assert result.header_rows == 2
    rows = by_row(result)
    assert sorted(rows) == [3, 4, 5]  # data starts on row 3
    assert rows[3] == {
        "team": "Support",
        "role": "Agent",
        "strategy.written-plan": 4,  # matrix statements in the second header row
        "needs.journey-map": "half",
        "capabilities.channels": ["phone", "email", "in-store"],  # a column per option
        "capabilities.knowledge": 5,
        "practices.greeting": 3,
    }
    assert "strategy.written-plan" not in rows[5]
    assert result.identity_columns == ("Email Address", "First Name", "Last Name")


def test_spreadsheet_in_windows_1252_with_semicolons() -> None:
    result = survey("spreadsheet-windows-1252.csv")
    assert (result.encoding, result.delimiter) == ("Windows-1252", ";")
    rows = by_row(result)
    assert rows[2] == {
        "team": "Kundenservice Süd",
        "role": "Agent",
        "strategy.written-plan": {
            "answer": 4,
            "note": "Plan liegt im Wiki – aber kaum jemand kennt ihn.\nBitte im Team besprechen!",
        },
        "expectations.reply-time": "one-day",
        "capabilities.channels": ["phone", "email", "chat"],
        "leadership.role-model": 4,
    }
    assert rows[3]["strategy.written-plan"] == "n/a"
    assert rows[4]["team"] == "Filiale Köln"


@pytest.mark.parametrize("name", sorted(p.name for p in SURVEYS.glob("*.csv")))
def test_every_fixture_imports_into_a_valid_project(
    name: str, write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(CX_FILES)
    monkeypatch.chdir(tmp_path)
    result = run("import", SURVEYS / name, "proj", "--round", "2026-q4")
    assert result.exit_code == 0, result.output
    written = sorted((tmp_path / "proj" / "answers").rglob("*"))
    assert not [p for p in written if p.name.endswith(".tmp")]
    texts = "".join(p.read_text(encoding="utf-8") for p in written if p.is_file())
    for private in (*FIXTURE_EMAILS, *FIXTURE_NAMES, "@acme.example"):
        assert private not in texts and private not in result.output
    assessment = load_assessment("proj")
    assert len(assessment.round("2026-q4").sheets) == len(survey(name).sheets)


# The command -----------------------------------------------------------------------------------


def test_import_writes_one_sheet_per_respondent(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(CX_FILES)
    monkeypatch.chdir(tmp_path)
    result = run("import", SURVEYS / "google-forms.csv", "proj", "--round", "2026-q4")
    assert result.exit_code == 0, result.output
    sheet = tmp_path / "proj/answers/2026-q4/support/respondent-001.yml"
    assert sheet.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../../schemas/answer-sheet.schema.json\n"
        "# Imported by `cxmaturity import` from google-forms.csv, row 2.\n"
        "respondent: respondent-001\n"
        "team: Support\n"
        "role: Agent\n"
        "answers:\n"
        "  strategy.written-plan: 4\n"
        "  strategy.segments: partly\n"
        "  expectations.reply-time: four-hours\n"
        "  needs.journey-map: half\n"
        "  capabilities.channels: [phone, email, chat]\n"
        "  capabilities.help-centre: [guides, mobile]\n"
    )
    assert (tmp_path / "proj/answers/2026-q4/stores/respondent-004.yml").is_file()
    lines = result.stdout.splitlines()
    assert lines[0].endswith(": 4 responses (UTF-8, comma-separated, 1 header row).")
    assert lines[1] == (
        'Columns matched: 6 for 6 questions; team from "Which team are you in?"; '
        'role from "Your role".'
    )
    assert '  "Anything else you would like to tell us?" (no question is close)' in lines
    assert 'Names and e-mail addresses not written: "Email Address"' in result.stdout
    assert "Wrote 4 answer sheets to proj/answers/2026-q4/ (Stores 2, Support 2)." in lines


def test_keep_identity_names_the_sheets(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(CX_FILES)
    monkeypatch.chdir(tmp_path)
    result = run(
        "import", SURVEYS / "microsoft-forms.csv", "proj", "--round", "2026-q4", "--keep-identity"
    )
    assert result.exit_code == 0, result.output
    sheet = tmp_path / "proj/answers/2026-q4/support/noah-berg.yml"
    assert "respondent: Noah Berg\n" in sheet.read_text(encoding="utf-8")
    assert "not written" not in result.stdout


def test_existing_sheets_are_not_overwritten_without_force(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project({**CX_FILES, "answers/2026-q4/stores/respondent-003.yml": "mine\n"})
    monkeypatch.chdir(tmp_path)
    result = run("import", SURVEYS / "google-forms.csv", "proj", "--round", "2026-q4")
    assert result.exit_code == 2
    assert result.stderr == (
        "proj/answers/2026-q4/stores/respondent-003.yml: already exists; not overwritten "
        "(use --force to replace it)\n1 problem in 1 file\n"
    )
    assert (project / "answers/2026-q4/stores/respondent-003.yml").read_text() == "mine\n"
    assert not (project / "answers/2026-q4/support").exists()  # nothing else written either
    forced = run("import", SURVEYS / "google-forms.csv", "proj", "--round", "2026-q4", "--force")
    assert forced.exit_code == 0, forced.output
    assert "replacing 1." in forced.stdout
    assert "team: Stores" in (project / "answers/2026-q4/stores/respondent-003.yml").read_text()


def test_a_second_file_for_the_same_round_numbers_on(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(CX_FILES)
    monkeypatch.chdir(tmp_path)
    assert run("import", SURVEYS / "google-forms.csv", "proj", "--round", "2026-q4").exit_code == 0
    clash = run("import", SURVEYS / "typeform.csv", "proj", "--round", "2026-q4")
    assert clash.exit_code == 2
    assert clash.stderr.splitlines()[:2] == [
        "proj/answers/2026-q4: to add these responses to the ones already there, "
        "number them on with --first-number 5",
        "proj/answers/2026-q4/stores/respondent-003.yml: already has respondent "
        "'respondent-003', whom row 4 would add again",
    ]
    after = run(
        "import", SURVEYS / "typeform.csv", "proj", "--round", "2026-q4", "--first-number", "5"
    )
    assert after.exit_code == 0, after.output
    assert len(load_assessment("proj").round("2026-q4").sheets) == 7


@pytest.mark.parametrize(
    ("config", "args", "message"),
    [
        (CX_PROJECT, [], "Error: give --round: this project's rounds are 2026-q4"),
        (CX_PROJECT, ["--round", "2027"], "Error: unknown round '2027'; this project's rounds"),
        (
            "client: Test Co\nbank: bank.yml\n",
            ["--round", "2026-q4"],
            "Error: --round 2026-q4: this project has no rounds in assessment.yml; leave it out",
        ),
    ],
    ids=["missing", "unknown", "no-rounds"],
)
def test_round_must_be_one_of_the_projects(
    config: str, args: list[str], message: str, write_project: WriteProject
) -> None:
    project = write_project({**CX_FILES, "assessment.yml": config})
    result = run("import", SURVEYS / "google-forms.csv", project, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert not (project / "answers").exists()


def test_without_rounds_sheets_go_under_answers_by_team(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "s.csv").write_text("Team,alpha.one\nSupport,3\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("import", "s.csv", "proj")
    assert result.exit_code == 0, result.output
    text = (mini / "answers/support/respondent-001.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/answer-sheet.schema.json")


def test_responses_without_answers_are_skipped(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "s.csv").write_text(
        "Timestamp,Team,alpha.one\n2026/11/02,A,3\n2026/11/02,A,\n2026/11/03,B,2\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = run("import", "s.csv", "proj")
    assert result.exit_code == 0, result.output
    assert "Skipped 1 response without answers: row 3." in result.stdout.splitlines()
    assert sorted(p.name for p in (mini / "answers").rglob("*.yml")) == [
        "respondent-001.yml",
        "respondent-003.yml",
    ]


def test_team_from_the_command_line(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "s.csv").write_text("Question one?\n4\n2\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("import", "s.csv", "proj", "--team", "Night shift")
    assert result.exit_code == 0, result.output
    assert "every row's team is Night shift" in result.stdout
    assert sorted(p.name for p in (mini / "answers/night-shift").iterdir()) == [
        "respondent-001.yml",
        "respondent-002.yml",
    ]


# Exact problems, with row and column --------------------------------------------------------------

BAD_CELLS = [
    pytest.param(
        "Team,Question one?\nA,Sometiems\n",
        'survey.csv:row 2, column "Question one?": "Sometiems" is not a label of scale '
        'agreement (did you mean "Sometimes"?)',
        id="label-typo",
    ),
    pytest.param(
        "Team,Question one?\nA,7\n",
        'survey.csv:row 2, column "Question one?": 7 is outside scale agreement (1 to 5)',
        id="outside-scale",
    ),
    pytest.param(
        "Team,Question one?\nA,4 - Always\n",
        'survey.csv:row 2, column "Question one?": "4 - Always": 4 is "Mostly" on scale '
        'agreement, not "Always"',
        id="number-and-wrong-label",
    ),
    pytest.param(
        "Team,Question one?\nA,whenever\n",
        'survey.csv:row 2, column "Question one?": "whenever" is not a label of scale '
        "agreement; answer 1 to 5, Not at all, Rarely, Sometimes, Mostly, Always or n/a",
        id="no-close-label",
    ),
    pytest.param(
        "Team,Question two?\nA,Perhaps\n",
        'survey.csv:row 2, column "Question two?": "Perhaps" is not a label of scale yes-no; '
        "answer No, Partly, Yes or n/a",
        id="choice",
    ),
    pytest.param(
        'Team,Which channels?\nA,"Chat, Emial"\n',
        'survey.csv:row 2, column "Which channels?": "Emial" is not an option of beta.three '
        '(did you mean "E-mail"?)',
        id="multi-typo",
    ),
    pytest.param(
        "Team,Which channels?\nA,Chat;Chat\n",
        "survey.csv:row 2, column \"Which channels?\": 'chat' is selected twice",
        id="multi-twice",
    ),
    pytest.param(
        "Team,Question one?\n,3\n",
        'survey.csv:row 2, column "Team": the team is blank; every answer sheet needs a team',
        id="blank-team",
    ),
    pytest.param(
        "Team,alpha.one,alpha.one note\nA,,Why not?\n",
        'survey.csv:row 2, column "alpha.one note": a note on alpha.one, which is not '
        "answered; answer it (n/a if it does not apply) or clear the note",
        id="note-without-answer",
    ),
    pytest.param(
        "Team,alpha.one\nA,3,extra\n",
        "survey.csv:row 2: has 3 cells but the header has 2; is a quote missing?",
        id="too-many-cells",
    ),
    pytest.param(
        "Team,Chat,E-mail\nA,Chat,maybe\n",
        'survey.csv:row 2, column "E-mail": "maybe" in the column of option "E-mail": '
        "expected it or blank",
        id="option-column",
    ),
]


@pytest.mark.parametrize(("csv_text", "expected"), BAD_CELLS)
def test_bad_cell_is_named_by_row_and_column(
    csv_text: str, expected: str, mini: Path, tmp_path: Path
) -> None:
    assert problems(csv_text, tmp_path) == [expected]


def test_every_problem_of_the_file_is_reported(mini: Path, tmp_path: Path) -> None:
    found = problems("Team;Question one?;Question two?\nA;9;no\nB;2;Nope\n;3;yes\n", tmp_path)
    assert found == [
        'survey.csv:row 2, column "Question one?": 9 is outside scale agreement (1 to 5)',
        'survey.csv:row 3, column "Question two?": "Nope" is not a label of scale yes-no '
        '(did you mean "no"?)',
        'survey.csv:row 4, column "Team": the team is blank; every answer sheet needs a team',
    ]


def test_rows_are_counted_as_a_spreadsheet_shows_them(mini: Path, tmp_path: Path) -> None:
    """A quoted line break keeps a record on one row; SurveyMonkey's second header row counts."""
    multi_line = 'Team,alpha.one,alpha.one note\nA,3,"two\nlines"\nB,8,\n'
    assert problems(multi_line, tmp_path) == [
        'survey.csv:row 3, column "alpha.one": 8 is outside scale agreement (1 to 5)'
    ]
    two_headers = "Respondent ID,Team,Question one?\n,Response,Response\n1,A,3\n2,B,0\n"
    assert problems(two_headers, tmp_path) == [
        'survey.csv:row 4, column "Question one?": 0 is outside scale agreement (1 to 5)'
    ]


def test_long_headers_are_cut(mini: Path, tmp_path: Path) -> None:
    header = "Question one? Answer from 1 (not at all) to 5 (always), please"
    assert problems(f"Team,{header!r}\nA,6\n".replace("'", '"'), tmp_path) == [
        'survey.csv:row 2, column "Question one? Answer from 1 (not at all…": '
        "6 is outside scale agreement (1 to 5)"
    ]


@pytest.mark.parametrize(
    ("csv_text", "expected"),
    [
        pytest.param(
            "Question one?\n3\n",
            'survey.csv: no team column (such as "Team" or "Which team are you in?"); add one, '
            "give --team, or name the column in a mapping file (columns: {Header: team})",
            id="no-team",
        ),
        pytest.param(
            "Team,alpha.one,Question one?\nA,3,3\n",
            'survey.csv:row 1, column "Question one?": answers alpha.one, as column "alpha.one" '
            "does; keep one, or name the one to use in a mapping file",
            id="twice",
        ),
        pytest.param(
            "Team,Comments\nA,3\n",
            "survey.csv: no column matches a question of the bank; head each question's column "
            'with its text (such as "Question one?") or its key (alpha.one), or name the '
            "columns in a mapping file",
            id="no-question",
        ),
        pytest.param(
            b"Team,alpha.one\r\nA,\x81\r\n",
            "survey.csv: not text in UTF-8 or Windows-1252; save it from your spreadsheet as "
            "CSV UTF-8",
            id="encoding",
        ),
        pytest.param(
            "Team,alpha.one\n",
            "survey.csv: has no responses, only a header",
            id="no-rows",
        ),
    ],
)
def test_problems_of_the_whole_file(
    csv_text: str | bytes, expected: str, mini: Path, tmp_path: Path
) -> None:
    assert problems(csv_text, tmp_path) == [expected]


def test_a_bad_file_writes_nothing(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "s.csv").write_text("Team,alpha.one\nA,3\nB,six\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("import", "s.csv", "proj")
    assert result.exit_code == 2
    assert result.stderr.endswith("1 problem in 1 file\n")
    assert "Traceback" not in result.output
    assert not (mini / "answers").exists()


# Answers in every form a survey tool writes -------------------------------------------------------

ANSWERS = [
    ("alpha.one", "4", 4),
    ("alpha.one", "4.0", 4),
    ("alpha.one", "mostly", 4),
    ("alpha.one", "4 - Mostly", 4),
    ("alpha.one", "Mostly (4)", 4),
    ("alpha.one", "N/A", "n/a"),
    ("alpha.one", "Not applicable", "n/a"),
    ("alpha.two", "Partly", "partly"),
    ("alpha.two", " YES ", "yes"),
    ("alpha.two", "no", "no"),
    ("beta.three", "Chat, E-mail", ["chat", "email"]),
    ("beta.three", "E-mail;Chat;", ["email", "chat"]),
    ("beta.three", "email; chat", ["email", "chat"]),
    ("beta.three", "n/a", "n/a"),
    ("alpha.one", "Don't know", "dont-know"),
    ("alpha.one", "I don’t know", "dont-know"),
    ("alpha.two", "?", "dont-know"),
    ("alpha.two", "dont-know", "dont-know"),
    ("beta.three", "Do not know", "dont-know"),
]


@pytest.mark.parametrize(("key", "cell", "answer"), ANSWERS)
def test_cells_become_the_answers_a_sheet_would_hold(
    key: str, cell: str, answer: object, mini: Path, tmp_path: Path
) -> None:
    """Both paths agree: the CSV answer scores exactly as the same answer in YAML."""
    from assessment.loading import load_project_bank

    bank = load_project_bank(mini)
    (tmp_path / "s.csv").write_text(f'Team,{key}\nA,"{cell}"\n', encoding="utf-8")
    sheet = read_survey(tmp_path / "s.csv", bank).sheets[0]
    assert sheet.answers == {key: answer}
    assert answer_score(bank.questions[key], sheet.answers[key]) == answer_score(
        bank.questions[key], answer
    )


PUNCTUATED_BANK = """\
id: punct
title: Ids that differ only in punctuation
levels: [{name: Low, min: 0}]
dimensions:
  - id: d
    title: D
    questions:
      - id: q
        text: Which?
        select: multi
        choices:
          - {id: b, label: Option b}
          - {id: b-, label: Option b-}
          - {id: na-, label: Option na-}
"""


def test_dont_know_where_the_bank_does_not_take_it(
    write_project: WriteProject, tmp_path: Path
) -> None:
    bank = MINI_BANK.replace(
        "        scale: yes-no\n", "        scale: yes-no\n        dont_know: false\n"
    )
    write_project({"bank.yml": bank})
    assert problems("Team,alpha.two\nA,Don't know\n", tmp_path) == [
        'survey.csv:row 2, column "alpha.two": this question does not take "don\'t know": '
        "the bank expects everyone to be able to answer it"
    ]


@pytest.mark.parametrize(
    ("cell", "answer"),
    [
        ("b;b-", ["b", "b-"]),
        ("b-", ["b-"]),
        ("na-", ["na-"]),  # an id, not "n/a"
        ("NA", "n/a"),
        ("Option b-, Option b", ["b-", "b"]),
    ],
)
def test_ids_that_differ_only_in_punctuation_are_told_apart(
    cell: str, answer: object, write_project: WriteProject, tmp_path: Path
) -> None:
    """The YAML loader compares ids exactly: so does the import, before anything looser."""
    from assessment.loading import load_project_bank

    bank = load_project_bank(write_project({"bank.yml": PUNCTUATED_BANK}))
    (tmp_path / "s.csv").write_text(f'Team,d.q\nA,"{cell}"\n', encoding="utf-8")
    assert read_survey(tmp_path / "s.csv", bank).sheets[0].answers == {"d.q": answer}


def test_notes_with_control_characters_load_back(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = "tab\there, NUL\x00, C1\x85\x9f, separator\u2028, emoji \U0001f600"
    (tmp_path / "s.csv").write_text(
        f'Team,alpha.one,alpha.one note\nA,3,"{note}"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = run("import", "s.csv", "proj")
    assert result.exit_code == 0, result.output
    (sheet,) = load_assessment("proj").round().sheets
    assert sheet.answers["alpha.one"].note == note


# Mapping files ------------------------------------------------------------------------------------

MAPPING = """\
columns:
  "Q7 – journeys": alpha.one
  "Why?": alpha.one.note
  Department: ignore
values:
  alpha.one: {"Not sure": n/a}
  yes-no: {"Kind of": partly}
team: Support
"""


def test_mapping_names_columns_translates_labels_and_sets_the_team(
    mini: Path, tmp_path: Path
) -> None:
    from assessment.loading import load_project_bank

    bank = load_project_bank(mini)
    (tmp_path / "map.yml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "s.csv").write_text(
        "Q7 – journeys,Why?,Department,Question two?\n3,Because.,Sales,Kind of\nNot sure,,,\n",
        encoding="utf-8",
    )
    mapping = read_mapping(tmp_path / "map.yml", bank)
    result = read_survey(tmp_path / "s.csv", bank, mapping)
    assert [dict(s.answers) for s in result.sheets] == [
        {"alpha.one": {"answer": 3, "note": "Because."}, "alpha.two": "partly"},
        {"alpha.one": "n/a"},
    ]
    assert {s.team for s in result.sheets} == {"Support"}


def test_mapping_problems_name_their_line(mini: Path, tmp_path: Path) -> None:
    from assessment.loading import load_project_bank

    bank = load_project_bank(mini)
    (tmp_path / "map.yml").write_text(
        'columns:\n  "Q7": alpha.onne\nvalues:\n  alpha.two: {"Kind of": maybe}\ntem: X\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_mapping(tmp_path / "map.yml", bank, "map.yml")
    assert [str(p) for p in caught.value.problems] == [
        "map.yml:2:9: columns.Q7: unknown question 'alpha.onne' (did you mean 'alpha.one'?)",
        "map.yml:4:26: values.alpha.two.Kind of: 'maybe' is not a choice of scale yes-no; "
        "answer one of: no, partly, yes, n/a",
        "map.yml:5:1: tem: unknown key (did you mean 'team'?)",
    ]


def test_a_mapped_header_missing_from_the_file(mini: Path, tmp_path: Path) -> None:
    from assessment.loading import load_project_bank

    bank = load_project_bank(mini)
    (tmp_path / "map.yml").write_text('columns:\n  "Q7 - journey": alpha.one\n', encoding="utf-8")
    (tmp_path / "s.csv").write_text("Team,Q7 – journeys\nA,3\n", encoding="utf-8")
    mapping = read_mapping(tmp_path / "map.yml", bank, "map.yml")
    with pytest.raises(InputError) as caught:
        read_survey(tmp_path / "s.csv", bank, mapping, display="s.csv")
    assert [str(p) for p in caught.value.problems] == [
        "map.yml:2:3: columns.Q7 - journey: no column of s.csv is headed so "
        '(did you mean "Q7 – journeys"?)'
    ]
