"""Properties of scoring over generated projects, and of loading over generated broken files.

The strategies (``tests/strategies.py``) generate valid banks and answer sheets as plain
data that can be written as YAML, built with the model's constructors or exported as a survey
CSV: all three roads must give the same scores. Broken projects
are valid ones with one file broken by a mutation that is invalid by construction: every
one of them must end in exit status 2 with ``path:line:col`` lines naming that file, never
in a traceback, and never leave a site behind.

Example counts are kept small enough for the whole file to run in well under a minute; run
``pytest tests/test_properties.py --hypothesis-show-statistics`` to see them.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from assessment.loading import load_assessment
from assessment.model import Assessment, Sheet
from assessment.planning import TuneUpPlan
from assessment.planning import plan as make_plan
from assessment.scoring import Results, score_assessment
from generator.cli import cli
from generator.site import MARKER

from . import strategies as gen

SCORING = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALIDATING = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BUILDING = settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KNOWN_BUG = settings(VALIDATING, phases=[Phase.explicit, Phase.reuse, Phase.generate])
"""For strict xfails: the first failing example is enough, shrinking it only costs time."""
EPSILON = 1e-9
"""Weighted means of equal scores may differ from them in the last bit."""


# Helpers ------------------------------------------------------------------------------------


@contextmanager
def written(files: Mapping[str, bytes]) -> Iterator[Path]:
    """The files under a fresh ``proj/`` folder (with ``answers/``), removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "proj"
        (root / "answers").mkdir(parents=True)
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        yield root


def load(project: gen.ProjectData, names: list[str] | None = None) -> Assessment:
    with written(gen.project_files(project, names)) as root:
        return load_assessment(root)


def scored(assessment: Assessment) -> tuple[Results, TuneUpPlan]:
    results = score_assessment(assessment)
    return results, make_plan(results, assessment.bank)


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """(path, field name, value) of every plain value inside results and plans."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            inner = getattr(value, field.name)
            if isinstance(inner, tuple | list | Mapping) or dataclasses.is_dataclass(inner):
                yield from leaves(inner, f"{path}.{field.name}")
            else:
                yield f"{path}.{field.name}", field.name, inner
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from leaves(item, f"{path}[{key!r}]")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")


SCORE_FIELDS = frozenset({"score", "min", "max", "sd", "level", "to_target", "disagreement"})


def scores(value: Any) -> dict[str, Any]:
    """The score-like figures inside a group or results: what n/a must never change."""
    return {path: v for path, name, v in leaves(value) if name in SCORE_FIELDS}


def with_sheets(assessment: Assessment, sheets: tuple[Sheet, ...]) -> Assessment:
    (only,) = assessment.rounds
    return dataclasses.replace(assessment, rounds=(dataclasses.replace(only, sheets=sheets),))


SMALL_PROJECT = gen.ProjectData(
    bank={
        "id": "small",
        "title": "Small",
        "version": "1",
        "levels": [{"name": "Low", "min": 0}],
        "scales": {"five": {"points": [{"value": v, "label": f"P{v}"} for v in range(1, 6)]}},
        "default_scale": "five",
        "dimensions": [
            {
                "id": "d",
                "title": "D",
                "weight": 1,
                "questions": [{"id": "q", "text": "Q?", "weight": 1}],
            }
        ],
    },
    sheets=(
        {"respondent": "r0", "role": "Agent", "answers": {"d.q": 1}, "team": "Support"},
        {"respondent": "r1", "role": "agent", "answers": {"d.q": 5}, "team": "support"},
    ),
    settings={
        "bank": "bank.yml",
        "target": 80,
        "report": {"min_group_size": 1, "show_respondents": False},
        "client": "C",
    },
)
"""One question, two sheets whose team and role differ only in case."""


# Scores stay in range -------------------------------------------------------------------------

RANGES = {
    "score": (0, 100),
    "min": (0, 100),
    "max": (0, 100),
    "leadership": (0, 100),
    "frontline": (0, 100),
    "sd": (0, 50),
    "spread": (0, 50),
    "gap": (-100, 100),
    "delta": (-100, 100),
    "coverage": (0, 1),
    "to_target": (0, 1),
    "below": (0, 100),
    "priority": (0, math.inf),
}


@SCORING
@given(gen.projects(min_sheets=1))
def test_every_figure_stays_in_its_range(project: gen.ProjectData):
    assessment = load(project)
    results, plan = scored(assessment)
    levels = {level.name for level in assessment.bank.levels}
    checked = 0
    for path, name, value in leaves((results, plan)):
        if isinstance(value, float):
            assert math.isfinite(value), path
        if name in RANGES and value is not None:
            low, high = RANGES[name]
            # An ulp over is the bug of test_a_weighted_mean_of_full_marks_is_100.
            assert low - EPSILON <= value <= high + EPSILON, (path, value)
            checked += 1
        if name == "level" and value is not None:
            assert value in levels, path
    assert checked > 0  # coverage at least: one sheet asks every question


@pytest.mark.parametrize("weights", [(0.69,), (0.1, 0.7)], ids=["one-question", "two-questions"])
def test_a_weighted_mean_of_full_marks_is_100(weights: tuple[float, ...]):
    bank = {
        "id": "small",
        "title": "Small",
        "version": "1",
        "levels": [{"name": "Low", "min": 0}],
        "scales": {"two": {"points": [{"value": 1, "label": "No"}, {"value": 2, "label": "Yes"}]}},
        "default_scale": "two",
        "dimensions": [
            {
                "id": "d",
                "title": "D",
                "weight": 1,
                "questions": [
                    {"id": f"q{i}", "text": f"Q{i}?", "weight": w} for i, w in enumerate(weights)
                ],
            }
        ],
    }
    sheet = {
        "respondent": "r0",
        "answers": {f"d.q{i}": 2 for i in range(len(weights))},
        "team": "T",
    }
    results, _ = scored(load(gen.ProjectData(bank, (sheet,), SMALL_PROJECT.settings)))
    assert results.current.all.dimensions[0].score == 100
    assert results.current.all.score == 100


# The same through YAML and through the Python API ---------------------------------------------


@SCORING
@given(gen.projects())
def test_yaml_and_the_python_api_give_the_same_assessment_and_scores(project: gen.ProjectData):
    with written(gen.project_files(project)) as root:
        from_yaml = load_assessment(root)
        from_api = gen.api_assessment(project, str(root))
    assert from_yaml == from_api
    assert scored(from_yaml) == scored(from_api)


def survey_export(project: gen.ProjectData) -> str:
    """The project's sheets as a survey tool exports them: a row each, a column per question
    (headed by its key, multi options joined with ";") and one per note."""
    questions = project.questions()
    header = ["Respondent", "Team", "Role"]
    for question in questions:
        header += [question.key, f"{question.key}.note"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for sheet in project.sheets:
        row = [sheet["respondent"], sheet["team"], sheet.get("role", "")]
        for question in questions:
            entry = sheet["answers"].get(question.key)
            value, note = (entry["answer"], entry["note"]) if type(entry) is dict else (entry, "")
            cell = ";".join(value) if type(value) is list else "" if value is None else str(value)
            row += [cell, note]
        writer.writerow(row)
    return buffer.getvalue()


def exportable(project: gen.ProjectData) -> gen.ProjectData:
    """The project without what a survey export cannot say: "none of these" for a multi
    question (a blank cell is unanswered) and people who answered nothing (an abandoned
    response, which the import skips); and NUL, which marks a spreadsheet saved as CSV by
    mistake and is refused."""
    sheets = []
    for sheet in project.sheets:
        answers = {}
        for key, entry in sheet["answers"].items():
            value = entry["answer"] if type(entry) is dict else entry
            if value is None or value == []:
                continue
            if type(entry) is dict:
                entry = entry | {"note": entry["note"].replace("\x00", "")}
            answers[key] = entry
        if answers:
            sheets.append(sheet | {"answers": answers})
    return project.with_sheets(sheets)


def test_csv_import_gives_the_same_scores_as_yaml():
    importing = pytest.importorskip("assessment.importing", reason="CSV import not available yet")

    @SCORING
    @given(gen.projects(min_sheets=1).map(exportable).filter(lambda p: bool(p.sheets)))
    def same_scores(project: gen.ProjectData) -> None:
        expected = scored(load(project))
        with written(gen.project_files(project.with_sheets([]))) as root:
            export = root.parent / "export.csv"
            export.write_text(survey_export(project), encoding="utf-8", newline="")
            bank = load_assessment(root).bank
            survey = importing.read_survey(export, bank, keep_identity=True)
            for item in importing.plan_import(survey, bank, root, None):
                item.path.parent.mkdir(parents=True, exist_ok=True)
                item.path.write_text(item.text, encoding="utf-8")
            imported = load_assessment(root)
        assert len(imported.round().sheets) == len(project.sheets)
        assert scored(imported) == expected

    same_scores()


# Order does not matter ------------------------------------------------------------------------


@SCORING
@given(gen.projects(), st.data())
def test_reordering_respondents_changes_nothing(project: gen.ProjectData, data: st.DataObject):
    assessment = gen.api_assessment(project, "proj")
    sheets = assessment.round().sheets
    shuffled = data.draw(st.permutations(sheets))
    assert scored(with_sheets(assessment, tuple(shuffled))) == scored(assessment)


@SCORING
@given(gen.projects(), st.data())
def test_reordering_and_moving_answer_files_changes_nothing(
    project: gen.ProjectData, data: st.DataObject
):
    count = len(project.sheets)
    places = data.draw(st.permutations(range(count)))
    folders = data.draw(
        st.lists(st.sampled_from(["", "zz/", "a/b/"]), min_size=count, max_size=count)
    )
    # Folders under answers/ are for people's convenience: they change nothing either.
    names = [
        f"answers/{folder}{place:02d}.yml" for folder, place in zip(folders, places, strict=True)
    ]
    assert scored(load(project, names)) == scored(load(project))


def test_teams_differing_only_in_case_keep_one_order():
    forward = gen.api_assessment(SMALL_PROJECT, "proj")
    backward = with_sheets(forward, forward.round().sheets[::-1])
    teams = [[g.name for g in scored(a)[0].current.teams] for a in (forward, backward)]
    roles = [[g.name for g in scored(a)[0].current.roles] for a in (forward, backward)]
    assert teams[0] == teams[1]
    assert roles[0] == roles[1]


# n/a changes no score ------------------------------------------------------------------------


@SCORING
@given(gen.projects(), st.data())
def test_answering_na_where_nothing_was_answered_changes_only_the_counts(
    project: gen.ProjectData, data: st.DataObject
):
    keys = [q.key for q in project.questions()]
    changed = []
    for sheet in project.sheets:
        open_keys = [k for k in keys if sheet["answers"].get(k) is None]
        chosen = data.draw(st.lists(st.sampled_from(open_keys), unique=True)) if open_keys else []
        answers = sheet["answers"] | dict.fromkeys(chosen, data.draw(gen.NA_SPELLINGS))
        changed.append(sheet | {"answers": answers})
    before = scored(load(project))
    after = scored(load(project.with_sheets(changed)))
    counts = ("na", "unanswered")
    assert [x for x in leaves(after) if x[1] not in counts] == [
        x for x in leaves(before) if x[1] not in counts
    ]


@SCORING
@given(gen.projects(), st.sampled_from(gen.TEAMS))
def test_a_respondent_answering_na_everywhere_changes_no_score(project: gen.ProjectData, team: str):
    results, plan = scored(load(project))
    sheets = [*project.sheets, gen.na_sheet(project.bank, "zz-na", team)]
    results_after, plan_after = scored(load(project.with_sheets(sheets)))
    assert scores(results_after.current.all) == scores(results.current.all)
    teams_after = {g.name: g for g in results_after.current.teams}
    for group in results.current.teams:
        assert scores(teams_after[group.name]) == scores(group), group.name
    assert plan_after.items == plan.items


# The best answers never lower a score -------------------------------------------------------


def not_lower(after: float | None, before: float | None, where: str) -> None:
    if before is not None:
        assert after is not None, where
        assert after >= before - EPSILON, (where, before, after)


@SCORING
@given(
    st.booleans().flatmap(lambda full: gen.projects(full_marks=full)), st.sampled_from(gen.TEAMS)
)
def test_a_respondent_giving_the_best_answers_never_lowers_a_score(
    project: gen.ProjectData, team: str
):
    """Question scores never drop; dimension and overall scores never drop where every
    question's best answer is worth 100 (a best choice worth 0.5 is 50 points, which can
    pull a dimension down when it is that question's first answer)."""
    infos = {q.key: q for q in project.questions()}
    before, _ = scored(load(project))
    sheets = [*project.sheets, gen.best_sheet(project.bank, "zz-best", team)]
    after, _ = scored(load(project.with_sheets(sheets)))
    groups = [(before.current.all, after.current.all)]
    teams_after = {g.name: g for g in after.current.teams}
    groups += [(g, teams_after[g.name]) for g in before.current.teams if g.name == team]
    for old, new in groups:
        full_group = True
        for old_dimension, new_dimension in zip(old.dimensions, new.dimensions, strict=True):
            full = all(infos[q.key].full_marks for q in old_dimension.questions)
            full_group = full_group and full
            for old_question, new_question in zip(
                old_dimension.questions, new_dimension.questions, strict=True
            ):
                not_lower(new_question.score, old_question.score, old_question.key)
            if full:
                not_lower(new_dimension.score, old_dimension.score, old_dimension.id)
                not_lower(new_dimension.to_target, old_dimension.to_target, old_dimension.id)
        if full_group:
            not_lower(new.score, old.score, f"{old.name} overall")
            not_lower(new.to_target, old.to_target, f"{old.name} to target")


# Broken files: exit 2, file:line:col, no traceback, no site --------------------------------------

SUMMARY = re.compile(r"\d+ problems? in 1 file")


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)


def assert_refused(result: Result, broken_file: Path) -> list[str]:
    """Exit 2 through SystemExit, only ``path:line:col:`` lines naming the broken file and
    the count; returns the problem lines."""
    assert result.exception is None or (
        isinstance(result.exception, SystemExit) and result.exception.code == 2
    ), repr(result.exception)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    *problems, summary = result.stderr.splitlines()
    assert SUMMARY.fullmatch(summary), result.stderr
    assert problems, result.stderr
    place = re.compile(re.escape(str(broken_file)) + r":\d+:\d+: \S")
    assert [line for line in problems if not place.match(line)] == []
    return problems


def check_utf8_report(broken: gen.BrokenProject, file: Path, problems: list[str]) -> None:
    """Random bytes always hold a byte no UTF-8 has: the first bad byte is what is reported."""
    raw = broken.files[broken.path]
    with pytest.raises(UnicodeDecodeError) as caught:
        raw.decode("utf-8")
    start = caught.value.start
    line = raw.count(b"\n", 0, start) + 1
    line_start = raw.rfind(b"\n", 0, start) + 1
    # Columns count characters: bytes and characters agree only on an ASCII line.
    column = str(start - line_start + 1) if raw[line_start:start].isascii() else r"\d+"
    expected = (
        re.escape(f"{file}:{line}:")
        + column
        + re.escape(f": not valid UTF-8 (byte 0x{raw[start]:02X}); save the file as UTF-8")
    )
    assert len(problems) == 1
    assert re.fullmatch(expected, problems[0]), (problems, expected)


@pytest.mark.parametrize("mutation", gen.MUTATIONS)
@VALIDATING
@given(data=st.data())
def test_a_broken_file_fails_validate_with_its_place(mutation: str, data: st.DataObject):
    broken = data.draw(gen.broken_projects([mutation]), label="broken")
    with written(broken.files) as root:
        result = run("validate", root)
        problems = assert_refused(result, root / broken.path)
    if mutation == "random-bytes":
        check_utf8_report(broken, root / broken.path, problems)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("mutation", gen.MUTATIONS)
@BUILDING
@given(data=st.data())
def test_a_broken_project_builds_no_site(mutation: str, data: st.DataObject):
    broken = data.draw(gen.broken_projects([mutation], max_sheets=2), label="broken")
    previous = data.draw(st.booleans(), label="previous site")
    with written(broken.files) as root:
        out = root.parent / "out"
        if previous:
            out.mkdir()
            (out / MARKER).write_text("Written by cxmaturity; replaced on every build.\n")
            (out / "index.html").write_text("<p>the previous report</p>\n")
        before = tree(out) if previous else None
        result = run("build", root, "--out", out)
        assert_refused(result, root / broken.path)
        if previous:
            assert tree(out) == before
        else:
            assert not out.exists()
        # No temporary build folder is left behind either.
        assert sorted(p.name for p in root.parent.iterdir()) == (
            ["out", "proj"] if previous else ["proj"]
        )


def test_a_control_character_is_reported_where_it_is():
    # The property runs inside the test so that Hypothesis does not write a patch to add the
    # known failure as an example on every run.
    @KNOWN_BUG
    @given(gen.control_character_splices())
    def reported_where_it_is(splice: tuple[dict[str, bytes], str, int, int]) -> None:
        files, path, line, column = splice
        with written(files) as root:
            problems = assert_refused(run("validate", root), root / path)
        assert len(problems) == 1
        assert problems[0].startswith(f"{root / path}:{line}:{column}: ")

    reported_where_it_is()
