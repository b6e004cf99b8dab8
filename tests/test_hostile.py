"""Hand-written hostile input: each case is refused with one exact message, or read as text.

Projects are written under ``tmp_path/proj`` and loaded as ``proj`` from ``tmp_path``, so the
expected lines are what ``cxmaturity validate proj`` prints. Cases that test_yaml_safety.py
and test_errors.py already pin down exactly are not repeated here (billion laughs, merge
keys, 100 nested flow lists, a file one byte over the limit, a NUL byte, the UTF-8 BOM,
links from answers/ to a file or a folder, ``../etc`` and ``Has Space`` ids, raw HTML and
``javascript:`` links in bank text); ``!!python/object/new``, which test_yaml_safety.py checks
by prefix only, is pinned here with its full message, in another file. Known bugs are
``xfail(strict=True)`` tests of the right behaviour, so each one fails loudly once fixed.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assessment.loading import load_assessment
from assessment.problems import InputError
from assessment.source import MAX_DEPTH, MAX_EXPANDED_NODES, MAX_FILE_BYTES
from generator.cli import cli
from generator.site import build

from .conftest import MINI_BANK, Load, Problems, WriteProject

SHEET = "answers/a.yml"
PROJECT = "client: Test Co\nbank: bank.yml\n"
ID_RULE = (
    "use lowercase letters, digits, '-' and '_', starting with a letter or digit, "
    "at most 64 characters"
)
ONLY_PLAIN = "only plain YAML values are read"
TOO_DEEP = f"values are nested more than {MAX_DEPTH} levels deep"
BOMB = (
    f"aliases expand this document beyond {MAX_EXPANDED_NODES:,} values; "
    "refusing to read it (is it an alias bomb?)"
)
LINK_NOT_FOLLOWED = "answer sheets must be files (not followed)"


def sheet(answers: str, head: str = "team: X\n") -> str:
    """An answer sheet: ``head`` (line 1...) then ``answers:`` and the given answer lines."""
    return head + "answers:\n" + answers


def note(text: str) -> str:
    """A sheet whose first answer (line 3) carries ``text`` as its note, written as given."""
    return sheet(f"  alpha.one: {{answer: 3, note: {text}}}\n")


def bank_with(old: str, new: str) -> str:
    """MINI_BANK with one piece of text replaced (which must be there)."""
    assert old in MINI_BANK
    return MINI_BANK.replace(old, new, 1)


def exactly(size: int, head: str) -> str:
    """``head`` padded with a comment to ``size`` bytes."""
    return head + "#" * (size - len(head.encode()) - 1) + "\n"


def flat_bomb(count: int) -> str:
    """One list of 1,000 items and ``count`` aliases to it: no nesting, just breadth."""
    return "a: &a [" + ", ".join(["x"] * 1000) + "]\nb: [" + ", ".join(["*a"] * count) + "]\n"


def nested_note_lines(depth: int) -> str:
    """A note of ``depth`` nested block mappings under ``alpha.one``."""
    keys = "".join("      " + "  " * i + f"k{i}:\n" for i in range(depth - 1))
    return sheet(
        "  alpha.one:\n    answer: 3\n    note:\n" + keys + "      " + "  " * (depth - 1) + "k: x\n"
    )


# Refused, with the exact line ---------------------------------------------------------------

REFUSED = [
    # Tags that would build objects, wherever they are.
    pytest.param(
        {"assessment.yml": "client: !!python/object/new:os.system [echo]\nbank: bank.yml\n"},
        f"proj/assessment.yml:1:9: client: tag !!python/object/new:os.system is not allowed; "
        f"{ONLY_PLAIN}",
        id="tag-python-object-new",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: !!binary aGVsbG8=\n")},
        f"proj/answers/a.yml:3:14: answers.alpha.one: tag !!binary is not allowed; {ONLY_PLAIN}",
        id="tag-binary",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: !!set {a, b}\n")},
        f"proj/answers/a.yml:3:14: answers.alpha.one: tag !!set is not allowed; {ONLY_PLAIN}",
        id="tag-set",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: !!omap [a: 1, b: 2]\n")},
        f"proj/answers/a.yml:3:14: answers.alpha.one: tag !!omap is not allowed; {ONLY_PLAIN}",
        id="tag-omap",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: !!pairs [a: 1]\n")},
        f"proj/answers/a.yml:3:14: answers.alpha.one: tag !!pairs is not allowed; {ONLY_PLAIN}",
        id="tag-pairs",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: !Tag {answer: 3}\n")},
        f"proj/answers/a.yml:3:14: answers.alpha.one: tag !Tag is not allowed; {ONLY_PLAIN}",
        id="tag-custom-on-a-mapping",
    ),
    pytest.param(
        {"bank.yml": bank_with("  - id: beta\n", "  - !Dimension\n    id: beta\n")},
        f"proj/bank.yml:37:5: dimensions[1]: tag !Dimension is not allowed; {ONLY_PLAIN}",
        id="tag-custom-in-the-bank",
    ),
    pytest.param(
        {SHEET: sheet("  !!python/name:os.system alpha.one: 3\n")},
        f"proj/answers/a.yml:3:3: answers: tag !!python/name:os.system is not allowed on a key; "
        f"{ONLY_PLAIN}",
        id="tag-python-on-a-key",
    ),
    pytest.param(
        {SHEET: sheet("  !Tag alpha.one: 3\n")},
        f"proj/answers/a.yml:3:3: answers: tag !Tag is not allowed on a key; {ONLY_PLAIN}",
        id="tag-custom-on-a-key",
    ),
    pytest.param(
        {SHEET: "--- !Sheet\nteam: X\nanswers: {}\n"},
        f"proj/answers/a.yml:1:5: tag !Sheet is not allowed; {ONLY_PLAIN}",
        id="tag-on-the-document",
    ),
    pytest.param(
        {
            SHEET: "%TAG !py! tag:yaml.org,2002:python/object/apply:\n---\n"
            + sheet("  alpha.one: !py!os.system [echo]\n")
        },
        f"proj/answers/a.yml:5:14: answers.alpha.one: tag !!python/object/apply:os.system is "
        f"not allowed; {ONLY_PLAIN}",
        id="tag-directive-hiding-a-python-tag",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: !<tag:yaml.org,2002:python/object/apply:os.system> [x]\n")},
        f"proj/answers/a.yml:3:14: answers.alpha.one: tag !!python/object/apply:os.system is "
        f"not allowed; {ONLY_PLAIN}",
        id="tag-verbatim-python",
    ),
    # Aliases.
    pytest.param(
        {SHEET: "team: X\nanswers: &a {alpha.one: *a}\n"},
        f"proj/answers/a.yml:2:10: answers.alpha.one.alpha.one: {TOO_DEEP}",
        id="alias-cycle-through-a-mapping",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: &a [*a]\n")},
        f"proj/answers/a.yml:3:14: answers.alpha.one[0]: {TOO_DEEP}",
        id="alias-cycle-through-a-list",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: *nowhere\n")},
        "proj/answers/a.yml:3:14: YAML syntax error: found undefined alias",
        id="alias-undefined",
    ),
    pytest.param(
        {"bank.yml": flat_bomb(201)},
        f"proj/bank.yml:1:4: b[198]: {BOMB}",
        id="alias-bomb-flat-in-the-bank",
    ),
    pytest.param(
        {
            SHEET: "a: &a ["
            + ", ".join(["x"] * 1000)
            + "]\nteam: X\nanswers:\n"
            + "".join(f"  k{i}: *a\n" for i in range(201))
        },
        f"proj/answers/a.yml:1:4: answers.k198: {BOMB}",
        id="alias-bomb-spread-over-answers",
    ),
    # Size and depth.
    pytest.param(
        {"assessment.yml": exactly(3_000_000, PROJECT)},
        f"proj/assessment.yml: file is 3,000,000 bytes, larger than the {MAX_FILE_BYTES:,} "
        "bytes allowed",
        id="3-mb-assessment-yml",
    ),
    pytest.param(
        {"bank.yml": exactly(3_000_000, MINI_BANK)},
        f"proj/bank.yml: file is 3,000,000 bytes, larger than the {MAX_FILE_BYTES:,} bytes allowed",
        id="3-mb-bank",
    ),
    pytest.param(
        # Root 0, answers 1, alpha.one 2: the 39th "{a: " (column 32 + 38 * 4) is level 41.
        {SHEET: note("{a: " * 50 + "1" + "}" * 50)},
        f"proj/answers/a.yml:3:184: answers.alpha.one.note: {TOO_DEEP}",
        id="note-of-50-nested-flow-mappings",
    ),
    pytest.param(
        {SHEET: nested_note_lines(50)},
        f"proj/answers/a.yml:44:83: answers.alpha.one.note: {TOO_DEEP}",
        id="note-of-50-nested-block-mappings",
    ),
    pytest.param(
        # Keys longer than 1,024 characters are not keys to YAML.
        {SHEET: sheet("  " + "a" * 2000 + ": 3\n")},
        "proj/answers/a.yml:3:2003: YAML syntax error: mapping values are not allowed in this "
        "context",
        id="key-of-2000-characters",
    ),
    pytest.param(
        {SHEET: sheet("  ? [alpha.one]\n  : 3\n")},
        "proj/answers/a.yml:3:5: answers: a key must be plain text, not a list or mapping",
        id="list-as-a-key",
    ),
    # Ids that would leave the output folder or be awkward in a URL.
    pytest.param(
        {"bank.yml": bank_with("  - id: beta\n", "  - id: ..\n")},
        f"proj/bank.yml:37:9: dimensions[1].id: '..' is not a valid id: {ID_RULE}",
        id="id-dot-dot",
    ),
    pytest.param(
        {"bank.yml": bank_with("      - id: two\n", "      - id: ../x\n")},
        f"proj/bank.yml:32:13: dimensions[0].questions[1].id: '../x' is not a valid id: {ID_RULE}",
        id="id-dot-dot-slash",
    ),
    pytest.param(
        {"bank.yml": bank_with("{id: partly,", "{id: x/y,")},
        f"proj/bank.yml:15:14: scales.yes-no.choices[1].id: 'x/y' is not a valid id: {ID_RULE}",
        id="id-with-a-slash",
    ),
    pytest.param(
        {
            "bank.yml": bank_with(
                "{below: 60, title: Fix one,", "{id: .hidden, below: 60, title: Fix one,"
            )
        },
        f"proj/bank.yml:31:18: dimensions[0].questions[0].tune_ups[0].id: '.hidden' is not a "
        f"valid id: {ID_RULE}",
        id="id-hidden-file",
    ),
    pytest.param(
        {"bank.yml": bank_with("id: mini\n", "id: -x\n")},
        f"proj/bank.yml:1:5: id: '-x' is not a valid id: {ID_RULE}",
        id="id-like-an-option",
    ),
    pytest.param(
        {"bank.yml": bank_with("  - id: beta\n", f"  - id: {'a' * 65}\n")},
        f"proj/bank.yml:37:9: dimensions[1].id: '{'a' * 37}...' is not a valid id: {ID_RULE}",
        id="id-of-65-characters",
    ),
    pytest.param(
        {"bank.yml": bank_with("      - id: two\n", "      - id: café\n")},
        f"proj/bank.yml:32:13: dimensions[0].questions[1].id: 'café' is not a valid id: {ID_RULE}",
        id="id-with-an-accent",
    ),
    pytest.param(
        {"bank.yml": bank_with("  yes-no:\n", "  ..:\n").replace("        scale: yes-no\n", "")},
        f"proj/bank.yml:12:3: scales...: '..' is not a valid scale name: {ID_RULE}",
        id="scale-named-dot-dot",
    ),
    pytest.param(
        {"assessment.yml": PROJECT + "rounds: ['..']\n"},
        f"proj/assessment.yml:3:10: rounds[0].id: '..' is not a valid id: {ID_RULE}",
        id="round-named-dot-dot",
    ),
    pytest.param(
        {"assessment.yml": PROJECT + "rounds: [{id: ../x}]\n"},
        f"proj/assessment.yml:3:15: rounds[0].id: '../x' is not a valid id: {ID_RULE}",
        id="round-id-dot-dot-slash",
    ),
    # Bytes and encodings.
    pytest.param(
        {SHEET: "team: X\n\ufeffanswers:\n  alpha.one: 3\n".encode()},
        "proj/answers/a.yml:2:2: YAML syntax error: did not find expected key (while parsing a "
        "block mapping on line 1)",
        id="bom-in-the-middle",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: 3\n").encode("utf-16")},
        "proj/answers/a.yml:1:1: not valid UTF-8 (byte 0xFF); save the file as UTF-8",
        id="utf-16-with-bom",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: 3\n").encode("utf-16-le")},
        "proj/answers/a.yml:1:2: file contains a NUL character; is it text?",
        id="utf-16-without-bom",
    ),
    pytest.param(
        {SHEET: "team: \u201cSupport\u201d\nanswers: {}\n".encode("cp1252")},
        "proj/answers/a.yml:1:7: not valid UTF-8 (byte 0x93); save the file as UTF-8",
        id="windows-1252-quotes",
    ),
    pytest.param(
        {SHEET: b"team: X\nanswers:\n  alpha.one: {answer: 3, note: \xed\xa0\x80}\n"},
        "proj/answers/a.yml:3:32: not valid UTF-8 (byte 0xED); save the file as UTF-8",
        id="surrogate-as-bytes",
    ),
    pytest.param(
        {SHEET: note('"\\ud800"')},
        "proj/answers/a.yml:3:35: YAML syntax error: found invalid Unicode character escape "
        "code (while parsing a quoted scalar on line 3)",
        id="surrogate-as-escape",
    ),
    pytest.param(
        # PyYAML refuses this too: a tab cannot start a line, even inside { }.
        {SHEET: "team: X\nanswers: {alpha.one: 3,\n\talpha.two: yes}\n"},
        "proj/answers/a.yml:3:1: tab used for indentation; indent with spaces",
        id="tab-starting-a-line-of-a-flow-mapping",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: 3\n") + "---\n" + sheet("  alpha.one: 5\n")},
        "proj/answers/a.yml:4:1: YAML syntax error: but found another document (expected a "
        "single document in the stream on line 1)",
        id="two-documents-in-one-file",
    ),
    pytest.param(
        {SHEET: "%YAML 2.0\n---\nteam: X\n"},
        "proj/answers/a.yml:1:1: YAML syntax error: found incompatible YAML document",
        id="yaml-2-directive",
    ),
    # Numbers.
    pytest.param(
        {"bank.yml": bank_with("        weight: 2\n", "        weight: 1e308\n")},
        "proj/bank.yml:29:17: dimensions[0].questions[0].weight: expected a number, got '1e308'",
        id="yaml-1-1-float-without-a-dot",
    ),
    pytest.param(
        {"bank.yml": bank_with("        weight: 2\n", "        weight: .nan\n")},
        "proj/bank.yml:29:17: dimensions[0].questions[0].weight: must be a finite number, got nan",
        id="nan-weight",
    ),
    pytest.param(
        {SHEET: sheet(f"  alpha.one: {'9' * 400}\n")},
        f"proj/answers/a.yml:3:14: answers.alpha.one: {'9' * 400} is outside scale agreement "
        "(1 to 5)",
        id="400-digit-answer",
    ),
]


@pytest.mark.parametrize(("files", "expected"), REFUSED)
def test_refused_with_one_exact_line(
    problems_of: Problems, files: dict[str, str | bytes], expected: str
):
    assert problems_of(files) == [expected]


# Read as written ------------------------------------------------------------------------------

HTML_RESPONDENT = "<img src=x onerror=alert(1)>"
RTL = (
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 "  # Hebrew, Arabic
    "\u202bembedded\u202c \u2067isolated\u2069"
)

ACCEPTED = [
    pytest.param(
        {SHEET: note('"{{ config }}"')}, "note", "{{ config }}", id="note-jinja-expression"
    ),
    pytest.param(
        {SHEET: note("\"{% include '/etc/passwd' %}\"")},
        "note",
        "{% include '/etc/passwd' %}",
        id="note-jinja-include",
    ),
    pytest.param(
        {SHEET: note('"<script>alert(1)</script>"')},
        "note",
        "<script>alert(1)</script>",
        id="note-script",
    ),
    pytest.param(
        {SHEET: note('"[x](javascript:alert(1))"')},
        "note",
        "[x](javascript:alert(1))",
        id="note-markdown-javascript-link",
    ),
    pytest.param(
        {SHEET: note('"\u202eevil"')}, "note", "\u202eevil", id="note-right-to-left-override"
    ),
    pytest.param({SHEET: note(f'"{RTL}"')}, "note", RTL, id="note-right-to-left-text"),
    pytest.param({SHEET: note('"a\\0b"')}, "note", "a\x00b", id="note-escaped-nul"),
    pytest.param(
        {SHEET: note('"\\e[31mred\\e[0m \\e]0;title\\a"')},
        "note",
        "\x1b[31mred\x1b[0m \x1b]0;title\x07",
        id="note-escaped-terminal-sequences",
    ),
    pytest.param({SHEET: note("a\x85b")}, "note", "a b", id="note-raw-next-line-is-a-line-break"),
    pytest.param({SHEET: note("a\u2028b")}, "note", "a\u2028b", id="note-raw-line-separator-kept"),
    pytest.param({SHEET: note("x" * 1_000_000)}, "note", "x" * 1_000_000, id="note-of-1-mb"),
    pytest.param(
        {SHEET: b"team: X\r\nanswers:\r\n  alpha.one: {answer: 3, note: CRLF}\r\n"},
        "note",
        "CRLF",
        id="crlf-line-endings",
    ),
    pytest.param(
        {SHEET: b"team: X\ranswers:\r  alpha.one: {answer: 3, note: CR}\r"},
        "note",
        "CR",
        id="lone-cr-line-endings",
    ),
    pytest.param(
        {SHEET: b"team: X\nanswers: {alpha.one:\t{answer: 3,\tnote: tabs}}\n"},
        "note",
        "tabs",
        id="tabs-between-flow-items",
    ),
    pytest.param(
        {SHEET: ("\ufeff\ufeff" + note("two BOMs")).encode()},
        "note",
        "two BOMs",
        id="two-boms-at-the-start",
    ),
    pytest.param(
        {SHEET: "%YAML 1.2\n---\n" + note("YAML 1.2")}, "note", "YAML 1.2", id="yaml-1-2-directive"
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: 3\n", head="team: ../../etc/passwd\n")},
        "team",
        "../../etc/passwd",
        id="team-with-dot-dot-and-slashes",
    ),
    pytest.param(
        {SHEET: sheet("  alpha.one: 3\n", head=f'team: X\nrespondent: "{HTML_RESPONDENT}"\n')},
        "respondent",
        HTML_RESPONDENT,
        id="respondent-with-html",
    ),
]


@pytest.mark.parametrize(("files", "field", "expected"), ACCEPTED)
def test_read_as_written(loaded: Load, files: dict[str, str | bytes], field: str, expected: str):
    (only,) = loaded(files).round().sheets
    value = only.answers["alpha.one"].note if field == "note" else getattr(only, field)
    assert value == expected
    assert only.answers["alpha.one"].score == 50.0


def test_a_long_id_is_valid(loaded: Load):
    dimension_id = "a" * 64
    bank = bank_with("  - id: beta\n", f"  - id: {dimension_id}\n")
    answers = sheet(f"  {dimension_id}.three: [chat]\n")
    assessment = loaded({"bank.yml": bank, SHEET: answers})
    assert [d.id for d in assessment.bank.dimensions] == ["alpha", dimension_id]
    (only,) = assessment.round().sheets
    assert only.answers[f"{dimension_id}.three"].score == 25.0


@pytest.mark.parametrize("dimension_id", ["con", "nul", "com1", "lpt9"])
def test_windows_device_names_are_refused_as_ids(problems_of: Problems, dimension_id: str):
    # Ids become file names (dimensions/<id>.html); Windows cannot create these.
    bank = bank_with("  - id: beta\n", f"  - id: {dimension_id}\n")
    assert problems_of({"bank.yml": bank}) == [
        f"proj/bank.yml:37:9: dimensions[1].id: '{dimension_id}' is a device name on Windows, "
        "where no file can have it; choose another id"
    ]


# Special files in answers/ ------------------------------------------------------------------------


def outside_link(project: Path) -> None:
    os.symlink("/dev/zero", project / "answers" / "zero.yml")


def dangling_link(project: Path) -> None:
    os.symlink(project / "answers" / "gone.yml", project / "answers" / "dangling.yml")


def fifo(project: Path) -> None:
    os.mkfifo(project / "answers" / "pipe.yml")


SPECIAL = [
    pytest.param(
        outside_link,
        f"proj/answers/zero.yml: is a link to a file outside the project; {LINK_NOT_FOLLOWED}",
        id="link-to-dev-zero",
    ),
    pytest.param(
        dangling_link,
        f"proj/answers/dangling.yml: is a link to a file inside the project; {LINK_NOT_FOLLOWED}",
        id="dangling-link",
    ),
    pytest.param(fifo, "proj/answers/pipe.yml: not a file", id="fifo-never-opened"),
]


@pytest.mark.parametrize(("make", "expected"), SPECIAL)
def test_special_files_in_answers_are_refused_unread(
    write_project: WriteProject,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make: Callable[[Path], None],
    expected: str,
):
    project = write_project({"answers/own.yml": sheet("  alpha.one: 3\n")})
    make(project)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        load_assessment("proj")
    assert [str(p) for p in caught.value.problems] == [expected]


# Known bugs: the right behaviour, failing until fixed ---------------------------------------------


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)


def assert_refused_cleanly(result: Result, first_line: str) -> None:
    """Exit 2 without a traceback; the first problem line starts with ``first_line``."""
    assert result.exception is None or (
        isinstance(result.exception, SystemExit) and result.exception.code == 2
    ), repr(result.exception)
    assert result.exit_code == 2
    assert result.stderr.startswith(first_line), result.stderr


def test_an_answers_folder_linked_outside_is_not_followed(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.yml").write_text(sheet("  alpha.one: 5\n", "team: Secret\n"), "utf-8")
    project = write_project({})
    os.symlink(elsewhere, project / "answers")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        load_assessment("proj")
    assert [str(p) for p in caught.value.problems] == [
        "proj/answers: is a link to a folder; answer folders must be real folders (not followed)"
    ]


def test_a_link_loop_in_answers_is_refused(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    project = write_project({"answers/own.yml": sheet("  alpha.one: 3\n")})
    os.symlink(project / "answers" / "loop.yml", project / "answers" / "loop.yml")
    monkeypatch.chdir(tmp_path)
    result = run("validate", "proj")
    assert_refused_cleanly(result, "proj/answers/loop.yml: is a link")
    assert result.stderr.splitlines()[0].endswith("(not followed)")


RAW_CONTROL = [
    pytest.param(note("\x1b[31mred"), "proj/answers/a.yml:3:32: ", id="raw-escape"),
    pytest.param(note("a\x7fb"), "proj/answers/a.yml:3:33: ", id="raw-delete"),
    pytest.param(
        sheet("  alpha.one: 3\n", "team: X\x07\n"), "proj/answers/a.yml:1:8: ", id="raw-bell"
    ),
]


@pytest.mark.parametrize(("text", "place"), RAW_CONTROL)
def test_a_raw_control_character_is_reported_at_its_place(
    problems_of: Problems, text: str, place: str
):
    (problem,) = problems_of({SHEET: text})
    assert problem.startswith(place)
    assert "\n" not in problem


def test_a_bad_byte_after_a_bom_is_reported_at_its_place(problems_of: Problems):
    content = b"\xef\xbb\xbfteam: X\nrole: \xff\nanswers: {}\n"
    assert problems_of({SHEET: content}) == [
        "proj/answers/a.yml:2:7: not valid UTF-8 (byte 0xFF); save the file as UTF-8"
    ]


def test_a_bad_byte_after_an_accent_is_reported_at_its_character_column(problems_of: Problems):
    content = "team: ü".encode() + b"\xff\nanswers: {}\n"
    assert problems_of({SHEET: content}) == [
        "proj/answers/a.yml:1:8: not valid UTF-8 (byte 0xFF); save the file as UTF-8"
    ]


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (
            ("        weight: 2\n", "        weight: .inf\n"),
            "proj/bank.yml:29:17: dimensions[0].questions[0].weight: ",
        ),
        (
            ("{id: chat, label: Chat, weight: 1}", "{id: chat, label: Chat, weight: .inf}"),
            "proj/bank.yml:45:45: dimensions[1].questions[0].choices[0].weight: ",
        ),
    ],
    ids=["infinite-question-weight", "infinite-option-weight"],
)
def test_an_infinite_weight_is_refused(problems_of: Problems, change: tuple[str, str], place: str):
    sheets = {SHEET: sheet("  alpha.one: 3\n  alpha.two: yes\n  beta.three: [chat]\n")}
    (problem,) = problems_of({"bank.yml": bank_with(*change), **sheets})
    assert problem.startswith(place)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (sheet("  alpha.one: !!int abc\n"), "proj/answers/a.yml:3:14: answers.alpha.one: "),
        (sheet("  alpha.one: !!float ''\n"), "proj/answers/a.yml:3:14: answers.alpha.one: "),
        (sheet("  alpha.one: 3\n", "team: !!timestamp abc\n"), "proj/answers/a.yml:1:7: team: "),
    ],
    ids=["int-tag-on-text", "float-tag-on-nothing", "timestamp-tag-on-text"],
)
def test_a_standard_tag_on_the_wrong_text_is_refused(
    tmp_path: Path,
    write_project: WriteProject,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    place: str,
):
    write_project({SHEET: text})
    monkeypatch.chdir(tmp_path)
    assert_refused_cleanly(run("validate", "proj"), place)


def test_a_bool_tag_on_text_that_is_no_boolean_is_refused(problems_of: Problems):
    (problem,) = problems_of(
        {"assessment.yml": PROJECT + "report: {show_respondents: !!bool banana}\n"}
    )
    assert problem.startswith("proj/assessment.yml:3:28: report.show_respondents: ")


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_control_characters_in_a_key_are_shown_escaped(problems_of: Problems):
    (problem,) = problems_of({SHEET: sheet('  "alpha.one\\e[31m": 3\n')})
    assert problem.startswith("proj/answers/a.yml:3:3: answers.alpha.one")
    assert problem.endswith("(did you mean 'alpha.one'?)")
    assert not CONTROL.search(problem)


def test_validate_prints_no_control_character_from_a_sheet(write_project: WriteProject):
    project = write_project({SHEET: sheet("  alpha.one: 3\n", 'team: "\\e]0;pwned\\a"\n')})
    result = run("validate", project)
    assert result.exit_code == 0
    assert "pwned" in result.stdout
    assert not CONTROL.search(result.stdout)


def test_a_file_name_with_a_line_break_keeps_its_problem_on_one_line(problems_of: Problems):
    (problem,) = problems_of({"answers/a\nb.yml": sheet("  alpha.one: 9\n")})
    assert "\n" not in problem
    assert problem.endswith(":3:14: answers.alpha.one: 9 is outside scale agreement (1 to 5)")


# The built site --------------------------------------------------------------------------------

HOSTILE_SITE = {
    "assessment.yml": PROJECT + "report: {show_respondents: true, min_group_size: 1}\n",
    "answers/one.yml": f"""\
        respondent: "{HTML_RESPONDENT}"
        team: ../../outside
        answers:
          alpha.one: {{answer: 2, note: "{{{{ config }}}}"}}
          alpha.two: {{answer: "no", note: "{{% include '/etc/passwd' %}}"}}
          beta.three: {{answer: [chat], note: "<script>alert(1)</script>"}}
        """,
    "answers/two.yml": """\
        respondent: Eve
        team: a/b
        answers:
          alpha.one: {answer: 4, note: "\\e[31mred\\e[0m and a\\0b"}
          alpha.two: {answer: partly, note: "[x](javascript:alert(1)) \\u202eevil"}
        """,
}


class PageText(HTMLParser):
    """A page as readers see it: its table cells and the text of its block quotes (notes)."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.quotes: list[str] = []
        self.cells: list[str] = []
        self._quote: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "blockquote":
            self._quote = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote" and self._quote is not None:
            self.quotes.append(" ".join("".join(self._quote).split()))
            self._quote = None
        elif tag in ("td", "th") and self._cell is not None:
            self.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        for sink in (self._quote, self._cell):
            if sink is not None:
                sink.append(data)


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict, dict]]:
    """The hostile project built once; the whole temporary tree before and after, without
    the site itself."""
    base = tmp_path_factory.mktemp("hostile-build")
    project = base / "deep" / "proj"
    for relative, content in ({"bank.yml": MINI_BANK} | HOSTILE_SITE).items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content), encoding="utf-8")
    out = base / "deep" / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CXMATURITY_CACHE", str(base / "cache"))
        before = files_under(base)
        build(project, out)
        after = {
            k: v for k, v in files_under(base).items() if not k.startswith(("deep/site/", "cache/"))
        }
        yield out, before, after


def test_a_hostile_build_writes_nothing_outside_its_output_folder(hostile_build):
    out, before, after = hostile_build
    assert after == before
    assert not (out.parent.parent / "outside").exists()
    names = [p.relative_to(out).as_posix() for p in out.rglob("*")]
    assert [n for n in names if "outside" in n or "passwd" in n or "/b/" in n] == []


def test_hostile_notes_show_as_text(hostile_build):
    out = hostile_build[0]
    alpha = PageText(out / "dimensions" / "alpha.html").quotes
    beta = PageText(out / "dimensions" / "beta.html").quotes
    first = f"— {HTML_RESPONDENT}, ../../outside"
    assert sorted(alpha) == sorted(
        [
            f"{{{{ config }}}} {first}",
            f"{{% include '/etc/passwd' %}} {first}",
            "[31mred[0m and ab — Eve, a/b",
            "[x](javascript:alert(1)) evil — Eve, a/b",
        ]
    )
    assert beta == [f"<script>alert(1)</script> {first}"]


def test_team_names_with_slashes_are_text_on_the_teams_page(hostile_build):
    cells = PageText(hostile_build[0] / "teams.html").cells
    assert "../../outside" in cells
    assert "a/b" in cells


def test_an_id_leaving_the_output_folder_builds_nothing(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write_project({"bank.yml": bank_with("  - id: beta\n", "  - id: ../x\n")})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CXMATURITY_CACHE", str(tmp_path / "cache"))
    result = run("build", "proj", "--out", "out")
    assert result.exit_code == 2
    assert result.stderr == (
        f"proj/bank.yml:37:9: dimensions[1].id: '../x' is not a valid id: {ID_RULE}\n"
        "1 problem in 1 file\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj"]
