"""Every kind of user error is reported as one exact ``path:line:column: key: message`` line.

Projects are written under ``tmp_path/proj`` and loaded as ``proj`` from ``tmp_path``, so
the printed paths are the short relative ones a user sees after ``cxmaturity validate proj``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assessment.loading import bundled_banks, load_assessment, load_bank
from assessment.problems import InputError
from assessment.scoring import score_assessment

from .conftest import MINI_BANK, WriteProject

SHEET = "answers/a.yml"
ROUNDS = "client: Test Co\nbank: bank.yml\nrounds: [2026-q2, 2026-q4]\n"

Problems = Callable[[dict[str, str | bytes]], list[str]]


def bank_with(old: str, new: str) -> str:
    """MINI_BANK with one piece of text replaced (which must be there)."""
    assert old in MINI_BANK
    return MINI_BANK.replace(old, new, 1)


def sheet(answers: str, head: str = "team: X\n") -> str:
    """An answer sheet: ``head`` (line 1...) then ``answers:`` and the given answer lines."""
    return head + "answers:\n" + answers


# YAML reading -------------------------------------------------------------------------------

READING_ERRORS = [
    pytest.param(
        {SHEET: "team: X: Y\nanswers: {}\n"},
        [
            "proj/answers/a.yml:1:7: YAML syntax error: the value holds ': ', which YAML reads "
            'as a new key; put it in quotes: team: "X: Y"'
        ],
        id="yaml-syntax",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: [1\n  alpha.two: yes\n")},
        ["proj/answers/a.yml:3:14: YAML syntax error: this '[' is never closed; end it with ']'"],
        id="yaml-syntax-unclosed-list",
    ),
    pytest.param(
        {SHEET: sheet("\talpha.one: 1\n")},
        ["proj/answers/a.yml:3:1: tab used for indentation; indent with spaces"],
        id="tab-indentation",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: 1\n  \talpha.two: yes\n")},
        ["proj/answers/a.yml:4:3: tab used for indentation; indent with spaces"],
        id="tab-after-spaces",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: 1\n  alpha.one: 2\n")},
        ["proj/answers/a.yml:4:3: answers.alpha.one: duplicate key (first given on line 3)"],
        id="duplicate-key-sheet",
    ),
    pytest.param(
        {"bank.yml": bank_with("title: Mini bank\n", "title: Mini bank\ntitle: Again\n")},
        ["proj/bank.yml:3:1: title: duplicate key (first given on line 2)"],
        id="duplicate-key-bank",
    ),
    pytest.param(
        {SHEET: b"team: X\nanswers:\n  alpha.one: 1\nrole: caf\xe9\n"},
        ["proj/answers/a.yml:4:10: not valid UTF-8 (byte 0xE9); save the file as UTF-8"],
        id="not-utf8",
    ),
    pytest.param(
        {SHEET: ""},
        ["proj/answers/a.yml:1:1: file is empty"],
        id="empty-file",
    ),
    pytest.param(
        {SHEET: "# only a comment\n"},
        ["proj/answers/a.yml:1:1: file is empty"],
        id="comment-only-file",
    ),
    pytest.param(
        {SHEET: "- team: X\n- answers: {}\n"},
        ["proj/answers/a.yml:1:1: expected a mapping of keys at the top level, found a list"],
        id="top-level-list",
    ),
    pytest.param(
        {"assessment.yml": "- client: Test Co\n"},
        ["proj/assessment.yml:1:1: expected a mapping of keys at the top level, found a list"],
        id="top-level-list-assessment",
    ),
]


@pytest.mark.parametrize(("files", "expected"), READING_ERRORS)
def test_reading_errors(problems_of: Problems, files: dict[str, str | bytes], expected: list[str]):
    assert problems_of(files) == expected


# Keys and types -----------------------------------------------------------------------------

KEY_AND_TYPE_ERRORS = [
    pytest.param(
        {"bank.yml": bank_with("        weight: 2\n", "        wieght: 2\n")},
        [
            "proj/bank.yml:29:9: dimensions[0].questions[0].wieght: unknown key "
            "(did you mean 'weight'?)"
        ],
        id="bank-question-key-typo",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: 1\n", head="taem: X\n")},
        [
            "proj/answers/a.yml:1:1: taem: unknown key (did you mean 'team'?)",
            "proj/answers/a.yml:1:1: team: required key is missing",
        ],
        id="sheet-key-typo",
    ),
    pytest.param(
        {"assessment.yml": "client: Test Co\nbank: bank.yml\ntraget: 80\n"},
        ["proj/assessment.yml:3:1: traget: unknown key (did you mean 'target'?)"],
        id="assessment-key-typo",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: {answer: 3, note: Fine, ntoe: x}\n")},
        ["proj/answers/a.yml:3:38: answers.alpha.one.ntoe: unknown key (did you mean 'note'?)"],
        id="answer-with-note-key-typo",
    ),
    pytest.param(
        {"bank.yml": bank_with("        weight: 2\n", "        weight: heavy\n")},
        ["proj/bank.yml:29:17: dimensions[0].questions[0].weight: expected a number, got 'heavy'"],
        id="text-for-number-bank",
    ),
    pytest.param(
        {"assessment.yml": "client: Test Co\nbank: bank.yml\ntarget: high\n"},
        ["proj/assessment.yml:3:9: target: expected a number, got 'high'"],
        id="text-for-number-assessment",
    ),
    pytest.param(
        {"bank.yml": bank_with("        text: Question one?\n", "        text: 42\n")},
        [
            "proj/bank.yml:28:15: dimensions[0].questions[0].text: expected text, got 42 "
            "(put it in quotes to make it text)"
        ],
        id="number-for-text-bank",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: 1\n", head="team: 42\n")},
        ["proj/answers/a.yml:1:7: team: expected text, got 42 (put it in quotes to make it text)"],
        id="number-for-text-sheet",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: {answer: 3, note: 12}\n")},
        ["proj/answers/a.yml:3:32: answers.alpha.one.note: expected text, got 12"],
        id="number-for-note",
    ),
]


@pytest.mark.parametrize(("files", "expected"), KEY_AND_TYPE_ERRORS)
def test_key_and_type_errors(
    problems_of: Problems, files: dict[str, str | bytes], expected: list[str]
):
    assert problems_of(files) == expected


# Answers against the bank ----------------------------------------------------------------------

ANSWER_ERRORS = [
    pytest.param(
        "  alpha.onee: 1\n",
        "proj/answers/a.yml:3:3: answers.alpha.onee: unknown question 'alpha.onee' "
        "(did you mean 'alpha.one'?)",
        id="unknown-question",
    ),
    pytest.param(
        "  alpha.one: 7\n",
        "proj/answers/a.yml:3:14: answers.alpha.one: 7 is outside scale agreement (1 to 5)",
        id="outside-scale-high",
    ),
    pytest.param(
        "  alpha.one: 0\n",
        "proj/answers/a.yml:3:14: answers.alpha.one: 0 is outside scale agreement (1 to 5)",
        id="outside-scale-low",
    ),
    pytest.param(
        "  alpha.one: 3.5\n",
        "proj/answers/a.yml:3:14: answers.alpha.one: expected a whole number from 1 to 5 "
        "(scale agreement) or n/a, got 3.5",
        id="fraction-on-points",
    ),
    pytest.param(
        "  alpha.one: {answer: 9}\n",
        "proj/answers/a.yml:3:23: answers.alpha.one.answer: 9 is outside scale agreement (1 to 5)",
        id="outside-scale-with-note-form",
    ),
    pytest.param(
        "  alpha.one: Mostly\n",
        "proj/answers/a.yml:3:14: answers.alpha.one: 'Mostly' is a label: write its number, 4",
        id="points-label-instead-of-number",
    ),
    pytest.param(
        "  alpha.two: Partly\n",
        "proj/answers/a.yml:3:14: answers.alpha.two: 'Partly' is a label: write its id, partly",
        id="choice-label-instead-of-id",
    ),
    pytest.param(
        "  alpha.two: parly\n",
        "proj/answers/a.yml:3:14: answers.alpha.two: 'parly' is not a choice of scale yes-no "
        "(did you mean 'partly'?); answer one of: no, partly, yes, n/a",
        id="unknown-choice",
    ),
    pytest.param(
        "  beta.three: [chat, emial]\n",
        "proj/answers/a.yml:3:22: answers.beta.three[1]: 'emial' is not an option of this "
        "question (did you mean 'email'?); options: chat, email",
        id="multi-unknown-option",
    ),
    pytest.param(
        "  beta.three: [chat, chat]\n",
        "proj/answers/a.yml:3:22: answers.beta.three[1]: 'chat' is selected twice",
        id="multi-selected-twice",
    ),
    pytest.param(
        "  beta.three: chat\n",
        "proj/answers/a.yml:3:15: answers.beta.three: expected a list of the options that "
        "apply, such as [chat], or n/a, got 'chat'",
        id="multi-not-a-list",
    ),
]


@pytest.mark.parametrize(("answers", "expected"), ANSWER_ERRORS)
def test_answer_errors(problems_of: Problems, answers: str, expected: str):
    assert problems_of({SHEET: sheet(answers)}) == [expected]


# Bank structure ----------------------------------------------------------------------------------

BANK_ERRORS = [
    pytest.param(
        ("  - id: beta\n", "  - id: alpha\n"),
        "proj/bank.yml:37:9: dimensions[1].id: dimension id 'alpha' is used twice",
        id="duplicate-dimension-id",
    ),
    pytest.param(
        ("      - id: two\n", "      - id: one\n"),
        "proj/bank.yml:32:13: dimensions[0].questions[1].id: question id 'one' is used twice "
        "in dimension 'alpha'",
        id="duplicate-question-id",
    ),
    pytest.param(
        ("{id: partly, label: Partly", "{id: yes, label: Partly"),
        "proj/bank.yml:16:14: scales.yes-no.choices[2].id: choice id 'yes' is used twice",
        id="duplicate-choice-id",
    ),
    pytest.param(
        ("{id: email, label: E-mail", "{id: chat, label: E-mail"),
        "proj/bank.yml:46:18: dimensions[1].questions[0].choices[1].id: choice id 'chat' is "
        "used twice",
        id="duplicate-multi-choice-id",
    ),
    pytest.param(
        ("        scale: yes-no\n", "        scale: yes-noo\n"),
        "proj/bank.yml:34:16: dimensions[0].questions[1].scale: unknown scale 'yes-noo' "
        "(did you mean 'yes-no'?)",
        id="unknown-scale",
    ),
    pytest.param(
        ("default_scale: agreement\n", "default_scale: agreemnt\n"),
        "proj/bank.yml:17:16: default_scale: unknown scale 'agreemnt' (did you mean 'agreement'?)",
        id="unknown-default-scale",
    ),
    pytest.param(
        ("{name: High, min: 70", "{name: High, min: 30"),
        "proj/bank.yml:21:23: levels[2].min: level thresholds must ascend: 30 does not come "
        "after 40",
        id="levels-not-ascending",
    ),
    pytest.param(
        ("{name: Low, min: 0,", "{name: Low, min: 10,"),
        "proj/bank.yml:19:22: levels[0].min: the first level must start at 0, not 10",
        id="first-level-not-0",
    ),
    pytest.param(
        ("    weight: 2\n    questions", "    weight: -1\n    questions"),
        "proj/bank.yml:39:13: dimensions[1].weight: must be at least 0, got -1",
        id="negative-dimension-weight",
    ),
    pytest.param(
        ("        weight: 2\n", "        weight: -2\n"),
        "proj/bank.yml:29:17: dimensions[0].questions[0].weight: must be at least 0, got -2",
        id="negative-question-weight",
    ),
    pytest.param(
        ("{id: chat, label: Chat, weight: 1}", "{id: chat, label: Chat, weight: -1}"),
        "proj/bank.yml:45:45: dimensions[1].questions[0].choices[0].weight: must be at least 0, "
        "got -1",
        id="negative-choice-weight",
    ),
    pytest.param(
        ("effort: low,", "effort: tiny,"),
        "proj/bank.yml:31:49: dimensions[0].questions[0].tune_ups[0].effort: must be one of "
        "'low', 'medium' or 'high', got 'tiny'",
        id="effort-not-a-rating",
    ),
    pytest.param(
        ("  - id: beta\n", "  - id: ../etc\n"),
        "proj/bank.yml:37:9: dimensions[1].id: '../etc' is not a valid id: use lowercase "
        "letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters",
        id="id-path-traversal",
    ),
    pytest.param(
        ("      - id: two\n", "      - id: Has Space\n"),
        "proj/bank.yml:32:13: dimensions[0].questions[1].id: 'Has Space' is not a valid id: use "
        "lowercase letters, digits, '-' and '_', starting with a letter or digit, at most 64 "
        "characters",
        id="id-with-space",
    ),
    pytest.param(
        (
            "        text: Question one?\n",
            "        text: Question one?\n        help: See <b>it</b>\n",
        ),
        "proj/bank.yml:29:19: dimensions[0].questions[0].help: raw HTML is not allowed in bank "
        "text; use Markdown",
        id="raw-html-in-help",
    ),
    pytest.param(
        ("title: Fix one,", "title: Fix one, body: 'Run <script>alert(1)</script>',"),
        "proj/bank.yml:31:52: dimensions[0].questions[0].tune_ups[0].body: raw HTML is not "
        "allowed in bank text; use Markdown",
        id="raw-html-in-tune-up",
    ),
    pytest.param(
        (
            "        text: Question one?\n",
            "        text: Question one?\n        help: '[Click](javascript:alert(1))'\n",
        ),
        "proj/bank.yml:29:24: dimensions[0].questions[0].help: links may go only to http:, "
        "https:, mailto: or a relative address, not javascript:",
        id="javascript-link",
    ),
]


@pytest.mark.parametrize(("change", "expected"), BANK_ERRORS)
def test_bank_errors(problems_of: Problems, change: tuple[str, str], expected: str):
    assert problems_of({"bank.yml": bank_with(*change)}) == [expected]


def test_invalid_scale_name_message_is_complete(problems_of: Problems):
    bank = bank_with("  yes-no:\n", "  Yes No:\n").replace("        scale: yes-no\n", "")
    problems = problems_of({"bank.yml": bank})
    assert problems == [
        (
            "proj/bank.yml:12:3: scales.Yes No: 'Yes No' is not a valid scale name: use lowercase "
            "letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters"
        )
    ]


def test_load_bank_reports_with_the_display_path(tmp_path: Path):
    path = tmp_path / "bank.yml"
    path.write_text(bank_with("        weight: 2\n", "        weight: -2\n"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_bank(path, "banks/mine.yml")
    assert [str(p) for p in caught.value.problems] == [
        "banks/mine.yml:29:17: dimensions[0].questions[0].weight: must be at least 0, got -2"
    ]


# The project: assessment.yml, files, rounds ---------------------------------------------------

PROJECT_ERRORS = [
    pytest.param(
        {"assessment.yml": "client: Test Co\nbank: banks/missing.yml\n"},
        ["proj/assessment.yml:2:7: bank: bank file not found: proj/banks/missing.yml"],
        id="bank-file-missing",
    ),
    pytest.param(
        {"assessment.yml": "client: Test Co\nbank: bank.yml\nbranding: {logo: logo.svg}\n"},
        ["proj/assessment.yml:3:18: branding.logo: logo file not found: proj/logo.svg"],
        id="logo-missing",
    ),
    pytest.param(
        {"assessment.yml": "client: Test Co\nbank: bank.yml\nbranding: {logo: ../x.svg}\n"},
        ["proj/assessment.yml:3:18: branding.logo: the logo must be inside the project"],
        id="logo-outside-project",
    ),
    pytest.param(
        {"assessment.yml": "client: Test Co\nbank: bank.yml\nbranding: {primary: indgo}\n"},
        [
            "proj/assessment.yml:3:21: branding.primary: unknown colour 'indgo' (did you mean "
            "'indigo'?); use a Material colour name (indigo, teal, ...) or #rrggbb"
        ],
        id="unknown-colour",
    ),
    pytest.param(
        {
            "assessment.yml": ROUNDS,
            "answers/2026-q2/support/al.yml": "respondent: al\nteam: Support\n",
            "answers/2026-q2/stores/al.yml": "respondent: al\nteam: Stores\n",
        },
        [
            "proj/answers/2026-q2/support/al.yml:1:13: respondent: respondent 'al' already "
            "answered this round in proj/answers/2026-q2/stores/al.yml"
        ],
        id="duplicate-respondent-in-round",
    ),
    pytest.param(
        {"assessment.yml": ROUNDS, "answers/2026-q3/al.yml": "team: X\n"},
        [
            "proj/answers/2026-q3/al.yml: not in a round folder (did you mean '2026-q4'?): "
            "answer sheets go in answers/<round>/, rounds are 2026-q2, 2026-q4"
        ],
        id="mistyped-round-folder",
    ),
    pytest.param(
        {"assessment.yml": ROUNDS, "answers/al.yml": "team: X\n"},
        [
            "proj/answers/al.yml: not in a round folder: answer sheets go in answers/<round>/, "
            "rounds are 2026-q2, 2026-q4"
        ],
        id="sheet-outside-round-folders",
    ),
]


@pytest.mark.parametrize(("files", "expected"), PROJECT_ERRORS)
def test_project_errors(problems_of: Problems, files: dict[str, str | bytes], expected: list[str]):
    assert problems_of(files) == expected


def test_the_same_respondent_may_answer_each_round(write_project: WriteProject):
    project = write_project(
        {
            "assessment.yml": ROUNDS,
            "answers/2026-q2/al.yml": "team: X\nanswers: {alpha.one: 2}\n",
            "answers/2026-q4/al.yml": "team: X\nanswers: {alpha.one: 4}\n",
        }
    )
    assessment = load_assessment(project)
    assert [len(r.sheets) for r in assessment.rounds] == [1, 1]


def test_unknown_bank_id_lists_the_bundled_banks(problems_of: Problems):
    problems = problems_of({"assessment.yml": "client: Test Co\nbank: cx-cor\n"})
    assert problems == [
        "proj/assessment.yml:2:7: bank: unknown bank 'cx-cor' (did you mean 'cx-core'?); "
        f"bundled banks: {', '.join(bundled_banks())}; or give a path to a bank file"
    ]


def test_missing_assessment_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "proj").mkdir()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        load_assessment("proj")
    assert [str(p) for p in caught.value.problems] == [
        "proj/assessment.yml: file not found: is this a cxmaturity project? "
        "(`cxmaturity init` makes one)"
    ]


def test_missing_project_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        load_assessment("nowhere")
    assert [str(p) for p in caught.value.problems] == ["nowhere: project folder not found"]


def test_missing_bank_file_given_to_load_bank(tmp_path: Path):
    with pytest.raises(InputError) as caught:
        load_bank(tmp_path / "gone.yml", "banks/gone.yml")
    assert [str(p) for p in caught.value.problems] == ["banks/gone.yml: file not found"]


# All problems of a run together -------------------------------------------------------------


def test_every_problem_of_a_run_is_reported_sorted(problems_of: Problems):
    problems = problems_of(
        {
            "assessment.yml": "client: Test Co\nbank: bank.yml\nbranding: {accent: ambre}\n",
            "answers/b.yml": sheet("  alpha.one: 9\n"),
            "answers/a.yml": sheet(
                "  alpha.one: 1\n  alpha.two: yes\n  alpha.too: no\n"
                "  beta.three: [chat]\n  alpha.two: no\n"
            ),
        }
    )
    assert problems == [
        "proj/answers/a.yml:5:3: answers.alpha.too: unknown question 'alpha.too' "
        "(did you mean 'alpha.two'?)",
        "proj/answers/a.yml:7:3: answers.alpha.two: duplicate key (first given on line 4)",
        "proj/answers/b.yml:3:14: answers.alpha.one: 9 is outside scale agreement (1 to 5)",
        "proj/assessment.yml:3:20: branding.accent: unknown colour 'ambre' (did you mean "
        "'amber'?); use a Material colour name (indigo, teal, ...) or #rrggbb",
    ]


# What is not an error -----------------------------------------------------------------------


def test_blank_answer_counts_as_unanswered(write_project: WriteProject):
    project = write_project({SHEET: sheet("  alpha.one:\n  alpha.two: yes\n")})
    assessment = load_assessment(project)
    (only,) = assessment.round().sheets
    assert set(only.answers) == {"alpha.two"}
    question = score_assessment(assessment).current.all.dimensions[0].questions[0]
    assert (question.key, question.n, question.na, question.unanswered) == ("alpha.one", 0, 0, 1)


@pytest.mark.parametrize("written", ["n/a", "na", "N/A", "NA"])
@pytest.mark.parametrize(
    ("key", "dimension", "question"),
    [("alpha.one", 0, 0), ("alpha.two", 0, 1), ("beta.three", 1, 0)],
    ids=["points", "choices", "multi"],
)
def test_not_applicable_spellings(
    write_project: WriteProject, written: str, key: str, dimension: int, question: int
):
    project = write_project({SHEET: sheet(f"  {key}: {written}\n")})
    assessment = load_assessment(project)
    (only,) = assessment.round().sheets
    assert only.answers[key].score is None
    result = score_assessment(assessment).current.all.dimensions[dimension].questions[question]
    assert (result.key, result.n, result.na, result.unanswered) == (key, 0, 1, 0)
