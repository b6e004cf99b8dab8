"""YAML 1.1 traps and unsafe input: what people write is read as they meant it, or refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assessment.loading import load_assessment, load_bank
from assessment.model import Assessment
from assessment.problems import InputError
from assessment.source import MAX_DEPTH, MAX_EXPANDED_NODES, MAX_FILE_BYTES

from .conftest import MINI_BANK, Problems, WriteProject

SHEET = "answers/a.yml"


def sheet(answers: str, head: str = "team: X\n") -> str:
    return head + "answers:\n" + answers


def load(write_project: WriteProject, files: dict[str, str | bytes]) -> Assessment:
    return load_assessment(write_project(files))


# YAML 1.1 booleans ----------------------------------------------------------------------------


def test_bank_label_no_stays_text(tmp_path: Path):
    path = tmp_path / "bank.yml"
    path.write_text(MINI_BANK, encoding="utf-8")
    bank = load_bank(path)
    (yes_no,) = [s for s in bank.scales if s.name == "yes-no"]
    assert [(o.id, o.label) for o in yes_no.options] == [
        ("no", "No"),
        ("partly", "Partly"),
        ("yes", "Yes"),
    ]


@pytest.mark.parametrize("word", ["On", "Off", "Y", "n"])
def test_bank_labels_that_yaml_11_reads_as_booleans_stay_text(tmp_path: Path, word: str):
    path = tmp_path / "bank.yml"
    path.write_text(MINI_BANK.replace("label: Partly,", f"label: {word},"), encoding="utf-8")
    bank = load_bank(path)
    (yes_no,) = [s for s in bank.scales if s.name == "yes-no"]
    assert yes_no.options[1].label == word


@pytest.mark.parametrize(("written", "score"), [("no", 0.0), ("yes", 100.0), ("partly", 50.0)])
def test_unquoted_choice_ids_mean_the_choice(
    write_project: WriteProject, written: str, score: float
):
    assessment = load(write_project, {SHEET: sheet(f"  alpha.two: {written}\n")})
    (only,) = assessment.round().sheets
    assert only.answers["alpha.two"].value == written
    assert only.answers["alpha.two"].score == score


def test_on_and_off_stay_text(write_project: WriteProject):
    assessment = load(
        write_project, {SHEET: sheet("  alpha.one: 3\n", head="team: on\nrole: off\n")}
    )
    (only,) = assessment.round().sheets
    assert (only.team, only.role) == ("on", "off")


def test_true_is_still_a_boolean_and_not_text(problems_of: Problems):
    problems = problems_of(
        {SHEET: sheet("  alpha.one: 3\n", head="team: true\n")},
    )
    assert problems == [
        "proj/answers/a.yml:1:7: team: expected text, got true (put it in quotes to make it text)"
    ]


# Tags that would build Python objects ---------------------------------------------------------


@pytest.mark.parametrize(
    "tagged",
    [
        '!!python/object/apply:os.system ["touch {marker}"]',
        '!!python/object/new:os.system ["touch {marker}"]',
        "!!python/object/apply:os.system {{args: ['touch {marker}']}}",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/tuple [1, 2]",
        "!!python/object:argparse.Namespace {{a: 1}}",
        "!custom 3",
    ],
)
def test_unsafe_tags_are_refused_and_never_run(problems_of: Problems, tmp_path: Path, tagged: str):
    marker = tmp_path / "executed"
    value = tagged.format(marker=marker)
    problems = problems_of({SHEET: sheet(f"  alpha.one: {value}\n")})
    assert len(problems) == 1
    assert problems[0].startswith("proj/answers/a.yml:3:14: ")
    assert "not allowed" in problems[0]
    assert not marker.exists()


def test_refused_tag_is_shown_as_written(problems_of: Problems):
    problems = problems_of(
        {SHEET: sheet('  alpha.one: !!python/object/apply:os.system ["echo hi"]\n')},
    )
    (problem,) = problems
    assert "!!python/object/apply:os.system" in problem
    assert "tag:yaml.org,2002" not in problem


def test_refused_tag_names_the_key(problems_of: Problems):
    problems = problems_of(
        {SHEET: sheet('  alpha.one: !!python/object/apply:os.system ["echo hi"]\n')},
    )
    (problem,) = problems
    assert problem.startswith("proj/answers/a.yml:3:14: answers.alpha.one: ")


def test_refused_tag_is_one_problem(problems_of: Problems):
    problems = problems_of(
        {SHEET: sheet("  alpha.one: 3\n", head="team: !!python/name:os.system\n")},
    )
    assert len(problems) == 1
    assert problems[0].startswith("proj/answers/a.yml:1:7: ")


def test_standard_tags_are_read(write_project: WriteProject):
    assessment = load(
        write_project, {SHEET: "team: !!str 42\nanswers: !!map {alpha.one: !!int 3}\n"}
    )
    (only,) = assessment.round().sheets
    assert only.team == "42"
    assert only.answers["alpha.one"].score == 50.0


# Resource limits ------------------------------------------------------------------------------

BILLION_LAUGHS = """\
team: X
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
answers: {alpha.one: *i}
"""


def test_alias_bomb_is_refused(problems_of: Problems):
    problems = problems_of({SHEET: BILLION_LAUGHS})
    assert len(problems) == 1
    assert problems[0].startswith("proj/answers/a.yml:")
    assert (
        f"aliases expand this document beyond {MAX_EXPANDED_NODES:,} values; "
        "refusing to read it (is it an alias bomb?)"
    ) in problems[0]


def test_small_aliases_are_fine(write_project: WriteProject):
    assessment = load(
        write_project,
        {SHEET: "team: &t Support\nrole: *t\nanswers: {alpha.one: &v 4, alpha.two: yes}\n"},
    )
    (only,) = assessment.round().sheets
    assert (only.team, only.role) == ("Support", "Support")


def test_file_larger_than_the_limit_is_refused(problems_of: Problems):
    text = sheet("  alpha.one: 3\n")
    padding = MAX_FILE_BYTES + 1 - len(text) - 1
    content = text + "#" * padding + "\n"
    assert len(content.encode()) == MAX_FILE_BYTES + 1
    problems = problems_of({SHEET: content})
    assert problems == [
        f"proj/answers/a.yml: file is {MAX_FILE_BYTES + 1:,} bytes, larger than the "
        f"{MAX_FILE_BYTES:,} bytes allowed"
    ]


def test_file_at_the_limit_is_read(write_project: WriteProject):
    text = sheet("  alpha.one: 3\n")
    content = text + "#" * (MAX_FILE_BYTES - len(text) - 1) + "\n"
    assessment = load(write_project, {SHEET: content})
    (only,) = assessment.round().sheets
    assert only.answers["alpha.one"].score == 50.0


def test_deep_nesting_is_refused(problems_of: Problems):
    deep = "[" * 100 + "]" * 100
    problems = problems_of({SHEET: sheet(f"  alpha.one: {deep}\n")})
    # The root mapping is level 0, answers 1, the first "[" (column 14) level 2.
    column = 14 + MAX_DEPTH - 1
    assert problems == [
        f"proj/answers/a.yml:3:{column}: answers.alpha.one[0]: "
        f"values are nested more than {MAX_DEPTH} levels deep"
    ]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("base: &b {team: X}\n<<: *b\nanswers: {}\n", "2:1"),
        (sheet("  <<: {alpha.one: 3}\n"), "3:3: answers"),
    ],
    ids=["top-level", "nested"],
)
def test_merge_keys_are_refused(problems_of: Problems, text: str, place: str):
    problems = problems_of({SHEET: text})
    assert (
        f"proj/answers/a.yml:{place}: merge keys (<<) are not supported; write the keys out"
        in problems
    )


def test_nul_byte_is_refused(problems_of: Problems):
    problems = problems_of({SHEET: sheet("  alpha.one: 3\x00\n")})
    assert [p.split(": ", 1)[1] for p in problems] == ["file contains a NUL character; is it text?"]
    assert problems[0].startswith("proj/answers/a.yml:3:")


def test_nul_byte_is_reported_at_its_column(problems_of: Problems):
    problems = problems_of({SHEET: sheet("  alpha.one: 3\x00\n")})
    assert problems == ["proj/answers/a.yml:3:15: file contains a NUL character; is it text?"]


def test_utf8_bom_is_accepted(write_project: WriteProject):
    content = "\ufeff" + sheet("  alpha.one: 3\n")
    assessment = load(write_project, {SHEET: content.encode("utf-8")})
    (only,) = assessment.round().sheets
    assert only.team == "X"
    assert only.answers["alpha.one"].score == 50.0


def test_utf8_bom_does_not_shift_positions(problems_of: Problems):
    content = "\ufeff" + sheet("  alpha.one: 7\n")
    problems = problems_of({SHEET: content.encode("utf-8")})
    assert problems == [
        "proj/answers/a.yml:3:14: answers.alpha.one: 7 is outside scale agreement (1 to 5)"
    ]


# Links ------------------------------------------------------------------------------------------


def test_answer_file_linking_outside_the_project_is_reported_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_project: WriteProject
):
    outside = tmp_path / "secret.yml"
    outside.write_text("team: Secret\nanswers: {alpha.one: 99}\n", encoding="utf-8")
    project = write_project({"answers/own.yml": sheet("  alpha.one: 3\n")})
    os.symlink(outside, project / "answers" / "link.yml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        load_assessment("proj")
    assert [str(p) for p in caught.value.problems] == [
        "proj/answers/link.yml: is a link to a file outside the project; "
        "answer sheets must be files (not followed)"
    ]


def test_answer_file_linking_inside_the_project_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_project: WriteProject
):
    # A link to another sheet would count the same answers twice: refused, not followed.
    project = write_project({"answers/one.yml": sheet("  alpha.one: 3\n")})
    os.symlink(project / "answers" / "one.yml", project / "answers" / "two.yml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        load_assessment("proj")
    assert [str(p) for p in caught.value.problems] == [
        "proj/answers/two.yml: is a link to a file inside the project; "
        "answer sheets must be files (not followed)"
    ]


def test_answer_folder_link_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_project: WriteProject
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.yml").write_text(sheet("  alpha.one: 3\n"), encoding="utf-8")
    project = write_project({"answers/own.yml": sheet("  alpha.one: 3\n")})
    os.symlink(elsewhere, project / "answers" / "linked")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        load_assessment("proj")
    assert [str(p) for p in caught.value.problems] == [
        "proj/answers/linked: is a link to a folder; answer folders must be real folders "
        "(not followed)"
    ]
