"""Hypothesis strategies: valid projects as plain data, and mutations that break their files.

A generated :class:`ProjectData` is the YAML documents of one project (bank, answer sheets,
``assessment.yml``) as plain Python values. It can be written as files
(:func:`project_files`) or built straight into the typed model (:func:`api_assessment`),
so the two roads into scoring can be compared. :func:`broken_projects` takes a valid project
and breaks one file in a way that is invalid by construction (see each mutation), so a run
that exits 0 on it is a bug, not bad luck.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import yaml
from hypothesis import assume
from hypothesis import strategies as st

from assessment.loading import DEFAULT_ROUND
from assessment.model import (
    NOT_APPLICABLE,
    PROJECT_FILE,
    Answer,
    Assessment,
    Bank,
    Dimension,
    Level,
    Option,
    Question,
    Round,
    Scale,
    Settings,
    Sheet,
    TuneUp,
)

BANK_FILE = "bank.yml"

IDS = st.builds(str.__add__, st.sampled_from("abcdnxyz"), st.text("abn01-_", max_size=3)).filter(
    lambda s: s not in NOT_APPLICABLE
)
"""Valid ids (a few letters, so that they collide and mutations find near misses); ``na``
is reserved for "not applicable" and cannot name a choice."""
WEIGHTS = st.sampled_from([0, 0.5, 1, 2, 3]) | st.floats(
    min_value=0, max_value=1000, allow_nan=False, allow_infinity=False, allow_subnormal=False
)
SCORES = st.sampled_from([0, 0.25, 0.5, 1]) | st.floats(min_value=0, max_value=1)
RATINGS = st.sampled_from(["low", "medium", "high"])
TEAMS = ("Support", "Stores", "Online shop", "Back office")
"""No two differ only in case: see test_teams_differing_only_in_case_keep_one_order."""
ROLES = (None, "Agent", "Specialist", "Team lead", "Director")
NA_SPELLINGS = st.sampled_from(sorted({"n/a", "na", "N/A", "NA"}))
NOTES = st.text(max_size=30)
"""Any text at all: notes never change a score, but they must survive the YAML round trip."""

Kind = Literal["points", "choices", "multi"]


# Plain data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionInfo:
    """What a generated question accepts, resolved from the bank document."""

    key: str
    kind: Kind
    options: tuple[tuple[Any, float], ...]
    """(answer, worth): points (value, value); choices (id, score); multi (id, weight)."""

    def score(self, value: Any) -> float | None:
        """DESIGN.md's score of an answer, computed here independently of the loader."""
        if isinstance(value, str) and value.lower() in NOT_APPLICABLE:
            return None
        if self.kind == "points":
            values = [v for v, _ in self.options]
            low, high = min(values), max(values)
            return (value - low) / (high - low) * 100
        if self.kind == "choices":
            return dict(self.options)[value] * 100
        worth = dict(self.options)
        chosen = 0.0
        for item in value:
            chosen += worth[item]
        return chosen / sum(w for _, w in self.options) * 100

    def best(self) -> Any:
        """The answer worth the most."""
        if self.kind == "points":
            return max(v for v, _ in self.options)
        if self.kind == "choices":
            return max(self.options, key=lambda option: option[1])[0]
        return [i for i, _ in self.options]

    @property
    def full_marks(self) -> bool:
        """Whether the best answer scores 100."""
        return self.kind != "choices" or max(s for _, s in self.options) == 1


@dataclass(frozen=True)
class ProjectData:
    """One project's YAML documents as plain values; sheets are written in this order."""

    bank: dict[str, Any]
    sheets: tuple[dict[str, Any], ...]
    settings: dict[str, Any]

    def questions(self) -> list[QuestionInfo]:
        return questions_of(self.bank)

    def with_sheets(self, sheets: Sequence[dict[str, Any]]) -> ProjectData:
        return ProjectData(self.bank, tuple(sheets), self.settings)


def questions_of(bank: dict[str, Any]) -> list[QuestionInfo]:
    """Every question of a generated bank document, with what it accepts."""
    infos = []
    for dimension in bank["dimensions"]:
        for question in dimension["questions"]:
            key = f"{dimension['id']}.{question['id']}"
            if question.get("select") == "multi":
                options = tuple((c["id"], float(c["weight"])) for c in question["choices"])
                infos.append(QuestionInfo(key, "multi", options))
                continue
            scale = bank["scales"][question.get("scale") or bank["default_scale"]]
            if "points" in scale:
                points = tuple((p["value"], p["value"]) for p in scale["points"])
                infos.append(QuestionInfo(key, "points", points))
            else:
                choices = tuple((c["id"], float(c["score"])) for c in scale["choices"])
                infos.append(QuestionInfo(key, "choices", choices))
    return infos


# Valid banks and sheets ---------------------------------------------------------------------


@st.composite
def scale_specs(draw: st.DrawFn, full_marks: bool) -> dict[str, Any]:
    if draw(st.booleans()):
        values = draw(st.lists(st.integers(-3, 10), min_size=2, max_size=6, unique=True))
        return {"points": [{"value": v, "label": f"Point {v}"} for v in values]}
    ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    scores = [draw(SCORES) for _ in ids]
    if full_marks and max(scores) < 1:
        scores[draw(st.integers(0, len(ids) - 1))] = 1
    return {
        "choices": [
            {"id": i, "label": f"Choice {i}", "score": s} for i, s in zip(ids, scores, strict=True)
        ]
    }


@st.composite
def question_specs(draw: st.DrawFn, question_id: str, scale_names: Sequence[str]) -> dict[str, Any]:
    # "text" right after "id": truncating a bank before the first text leaves it invalid.
    spec: dict[str, Any] = {"id": question_id, "text": f"Question {question_id}?"}
    spec["weight"] = draw(WEIGHTS)
    how = draw(st.sampled_from(["default", "named", "multi"]))
    if how == "named":
        spec["scale"] = draw(st.sampled_from(scale_names))
    elif how == "multi":
        ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
        weights = [draw(WEIGHTS) for _ in ids]
        assume(sum(weights) > 0)
        spec["select"] = "multi"
        spec["choices"] = [
            {"id": i, "label": f"Option {i}", "weight": w}
            for i, w in zip(ids, weights, strict=True)
        ]
    tune_ups = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "below": st.integers(1, 100) | st.floats(0.5, 100),
                    "title": st.just(f"Improve {question_id}"),
                    "effort": RATINGS,
                    "impact": RATINGS,
                }
            ),
            max_size=2,
        )
    )
    if tune_ups:
        spec["tune_ups"] = tune_ups
    return spec


@st.composite
def banks(draw: st.DrawFn, full_marks: bool = False) -> dict[str, Any]:
    """A valid bank document: 1-3 dimensions of 1-3 questions on points, choices or multi.

    With ``full_marks`` every choices scale has a choice worth 1, so every question's best
    answer scores 100.
    """
    scale_names = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    scales = {name: draw(scale_specs(full_marks)) for name in scale_names}
    minimums = sorted(draw(st.lists(st.integers(1, 100), max_size=3, unique=True)))
    levels = [{"name": f"Level {i}", "min": m} for i, m in enumerate([0, *minimums])]
    dimensions = []
    for dimension_id in draw(st.lists(IDS, min_size=1, max_size=3, unique=True)):
        question_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
        dimensions.append(
            {
                "id": dimension_id,
                "title": f"Dimension {dimension_id}",
                "weight": draw(WEIGHTS),
                "questions": [draw(question_specs(q, scale_names)) for q in question_ids],
            }
        )
    return {
        "id": "generated",
        "title": "Generated bank",
        "version": "1",
        "levels": levels,
        "scales": scales,
        "default_scale": scale_names[0],
        "dimensions": dimensions,
    }


@st.composite
def valid_answers(draw: st.DrawFn, question: QuestionInfo) -> Any:
    ids = [answer for answer, _ in question.options]
    if question.kind == "multi":
        return draw(st.lists(st.sampled_from(ids), unique=True))
    return draw(st.sampled_from(ids))


ABSENT = object()
"""A question left out of a sheet."""


@st.composite
def answer_entries(draw: st.DrawFn, question: QuestionInfo) -> Any:
    """Left out, blank, n/a or a valid answer; an answer sometimes with a note."""
    value = draw(
        st.one_of(st.just(ABSENT), st.none(), NA_SPELLINGS, valid_answers(question))
        if draw(st.integers(0, 3))
        else valid_answers(question)
    )
    if value is not ABSENT and value is not None and draw(st.booleans()):
        return {"answer": value, "note": draw(NOTES)}
    return value


@st.composite
def sheets(draw: st.DrawFn, bank: dict[str, Any], index: int) -> dict[str, Any]:
    """One respondent's answer sheet; keys in the order the files are written."""
    answers = {}
    for question in questions_of(bank):
        entry = draw(answer_entries(question))
        if entry is not ABSENT:
            answers[question.key] = entry
    sheet: dict[str, Any] = {"respondent": f"r{index}"}
    role = draw(st.sampled_from(ROLES))
    if role is not None:
        sheet["role"] = role
    sheet["answers"] = answers
    sheet["team"] = draw(st.sampled_from(TEAMS))  # last: see truncation below
    return sheet


@st.composite
def projects(
    draw: st.DrawFn, full_marks: bool = False, min_sheets: int = 0, max_sheets: int = 6
) -> ProjectData:
    """A valid project: a generated bank, ``min_sheets`` to ``max_sheets`` sheets, settings."""
    bank = draw(banks(full_marks))
    count = draw(st.integers(min_sheets, max_sheets))
    settings = {
        "bank": BANK_FILE,
        "target": draw(st.integers(1, 100) | st.floats(1, 100)),
        "report": {
            "min_group_size": draw(st.integers(1, 4)),
            "show_respondents": draw(st.booleans()),
        },
        "client": "Generated Co",  # last: see truncation below
    }
    return ProjectData(bank, tuple(draw(sheets(bank, i)) for i in range(count)), settings)


def na_sheet(bank: dict[str, Any], name: str, team: str) -> dict[str, Any]:
    """A respondent answering n/a to every question."""
    answers = {q.key: "n/a" for q in questions_of(bank)}
    return {"respondent": name, "answers": answers, "team": team}


def best_sheet(bank: dict[str, Any], name: str, team: str) -> dict[str, Any]:
    """A respondent giving every question its best answer."""
    answers = {q.key: q.best() for q in questions_of(bank)}
    return {"respondent": name, "answers": answers, "team": team}


# Writing projects as YAML -------------------------------------------------------------------


def document_text(document: Any) -> str:
    """A document as block YAML, keys in the order given (the order truncation relies on).

    Non-ASCII characters are escaped: with ``allow_unicode`` PyYAML writes U+0085 raw, which
    YAML then reads back as a line break.
    """
    return yaml.safe_dump(document, sort_keys=False, width=10**9)


def sheet_names(count: int) -> list[str]:
    return [f"answers/s{index:02d}.yml" for index in range(count)]


def project_files(project: ProjectData, names: Sequence[str] | None = None) -> dict[str, bytes]:
    """``{relative path: content}``; sheet ``i`` goes to ``names[i]`` (default ``s00.yml``...)."""
    names = list(names) if names is not None else sheet_names(len(project.sheets))
    files = {
        PROJECT_FILE: document_text(project.settings).encode(),
        BANK_FILE: document_text(project.bank).encode(),
    }
    for name, sheet in zip(names, project.sheets, strict=True):
        files[name] = document_text(sheet).encode()
    return files


# The same project through the Python API --------------------------------------------------


def _scale(name: str, spec: dict[str, Any]) -> Scale:
    if "points" in spec:
        labels = {p["value"]: p["label"] for p in spec["points"]}
        low, high = min(labels), max(labels)
        options = tuple(Option(str(v), labels[v], (v - low) / (high - low)) for v in sorted(labels))
        return Scale(name, "points", options)
    options = tuple(Option(c["id"], c["label"], c["score"]) for c in spec["choices"])
    return Scale(name, "choices", options)


def api_bank(document: dict[str, Any]) -> Bank:
    """The bank document built with the model's constructors, as a library user would."""
    scales = {name: _scale(name, spec) for name, spec in document["scales"].items()}
    dimensions = []
    for d in document["dimensions"]:
        questions = []
        for q in d["questions"]:
            if q.get("select") == "multi":
                options = tuple(Option(c["id"], c["label"], c["weight"]) for c in q["choices"])
                scale = Scale(f"{q['id']}-choices", "multi", options)
            else:
                scale = scales[q.get("scale") or document["default_scale"]]
            tune_ups = tuple(
                TuneUp(str(i + 1), t["below"], t["title"], "", t["effort"], t["impact"])
                for i, t in enumerate(q.get("tune_ups", []))
            )
            questions.append(
                Question(q["id"], d["id"], q["text"], "", q["weight"], scale, tune_ups)
            )
        dimensions.append(Dimension(d["id"], d["title"], "", d["weight"], tuple(questions)))
    levels = tuple(Level(lv["name"], lv["min"], "") for lv in document["levels"])
    return Bank(
        document["id"],
        document["title"],
        document["version"],
        "",
        levels,
        tuple(dimensions),
        tuple(scales.values()),
    )


def api_sheet(sheet: dict[str, Any], path: str, bank: dict[str, Any]) -> Sheet:
    infos = {q.key: q for q in questions_of(bank)}
    answers = {}
    for key, entry in sheet["answers"].items():
        if entry is None:
            continue  # blank: unanswered
        value, note = (entry["answer"], entry["note"]) if isinstance(entry, dict) else (entry, None)
        answers[key] = Answer(value, infos[key].score(value), note or None)
    return Sheet(path, sheet["respondent"], sheet["team"], sheet.get("role"), answers)


def api_assessment(
    project: ProjectData, root: str, names: Sequence[str] | None = None
) -> Assessment:
    """The project as the loader should read it from ``root``, built without any file."""
    names = list(names) if names is not None else sheet_names(len(project.sheets))
    report = project.settings["report"]
    settings = Settings(
        client=project.settings["client"],
        target=project.settings["target"],
        min_group_size=report["min_group_size"],
        show_respondents=report["show_respondents"],
    )
    # The loader reads answers/ in sorted order.
    placed = sorted(zip(names, project.sheets, strict=True), key=lambda pair: pair[0])
    sheets = tuple(api_sheet(s, f"{root}/{name}", project.bank) for name, s in placed)
    return Assessment(
        settings, api_bank(project.bank), (Round(DEFAULT_ROUND, None, None, sheets),), root
    )


# Breaking a valid project --------------------------------------------------------------------

MUTATIONS = ("truncate", "wrong-type", "delete-key", "random-bytes")

TEXT_POISON = st.sampled_from([42, 4.5, True, [1], {"zz": 1}, dt.date(2026, 1, 1)])
NUMBER_POISON = st.sampled_from(["heavy", True, [1], {"zz": 1}])
LIST_POISON = st.sampled_from([7, {"zz": 1}])
MAPPING_POISON = st.sampled_from(["zz", 7, [1]])
ANSWER_POISON: dict[str, st.SearchStrategy[Any]] = {
    "points": st.sampled_from(["Zz Nope", 2.5, True, [1], {"zz": 1}]),
    "choices": st.sampled_from(["Zz Nope", 12345, 2.5, True, [1], {"zz": 1}]),
    "multi": st.sampled_from(["Zz Nope", 7, True, {"zz": 1}, ["Zz Nope"]]),
}
"""Values no answer of that kind accepts (ids are lowercase, so "Zz Nope" is none of them)."""

Where = tuple[str | int, ...]
"""A place in a document: keys and list indexes."""


def _bank_slots(bank: dict[str, Any]) -> Iterator[tuple[Where, st.SearchStrategy[Any]]]:
    """Every place of a bank document with values that are never valid there."""
    yield ("title",), TEXT_POISON
    yield ("version",), TEXT_POISON
    yield ("id",), TEXT_POISON
    yield ("levels",), LIST_POISON | st.just("zz")
    yield ("scales",), MAPPING_POISON
    yield ("dimensions",), LIST_POISON | st.just("zz")
    for i, _ in enumerate(bank["levels"]):
        yield ("levels", i, "name"), TEXT_POISON
        yield ("levels", i, "min"), NUMBER_POISON | st.sampled_from([-1, 101])
    for name, scale in bank["scales"].items():
        for i, _ in enumerate(scale.get("points", [])):
            yield ("scales", name, "points", i, "value"), NUMBER_POISON | st.just(2.5)
            yield ("scales", name, "points", i, "label"), TEXT_POISON
        for i, _ in enumerate(scale.get("choices", [])):
            yield ("scales", name, "choices", i, "id"), TEXT_POISON
            yield ("scales", name, "choices", i, "score"), NUMBER_POISON | st.just(1.5)
    for d, dimension in enumerate(bank["dimensions"]):
        yield ("dimensions", d, "id"), TEXT_POISON
        yield ("dimensions", d, "title"), TEXT_POISON
        yield ("dimensions", d, "weight"), NUMBER_POISON | st.just(-1)
        yield ("dimensions", d, "questions"), LIST_POISON | st.just("zz")
        for q, question in enumerate(dimension["questions"]):
            where: Where = ("dimensions", d, "questions", q)
            yield (*where, "id"), TEXT_POISON
            yield (*where, "text"), TEXT_POISON
            yield (*where, "weight"), NUMBER_POISON | st.just(-1)
            for c, _ in enumerate(question.get("choices", [])):
                yield (*where, "choices", c, "label"), TEXT_POISON
                yield (*where, "choices", c, "weight"), NUMBER_POISON | st.just(-1)
            for t, _ in enumerate(question.get("tune_ups", [])):
                yield (*where, "tune_ups", t, "title"), TEXT_POISON
                yield (*where, "tune_ups", t, "below"), NUMBER_POISON | st.sampled_from([0, 101])


def _sheet_slots(
    sheet: dict[str, Any], bank: dict[str, Any]
) -> Iterator[tuple[Where, st.SearchStrategy[Any]]]:
    yield ("team",), TEXT_POISON
    yield ("respondent",), TEXT_POISON
    yield ("answers",), MAPPING_POISON
    if "role" in sheet:
        yield ("role",), TEXT_POISON
    kinds = {q.key: q.kind for q in questions_of(bank)}
    for key, entry in sheet["answers"].items():
        if isinstance(entry, dict):
            yield ("answers", key, "answer"), ANSWER_POISON[kinds[key]]
            yield ("answers", key, "note"), TEXT_POISON
        else:
            yield ("answers", key), ANSWER_POISON[kinds[key]]


def _settings_slots() -> Iterator[tuple[Where, st.SearchStrategy[Any]]]:
    yield ("client",), TEXT_POISON
    yield ("bank",), LIST_POISON
    yield ("target",), NUMBER_POISON | st.sampled_from([0, 150])
    yield ("report",), MAPPING_POISON
    yield ("report", "min_group_size"), NUMBER_POISON | st.sampled_from([0, 2.5])
    yield ("report", "show_respondents"), st.sampled_from(["yes", 1, [1], {"zz": 1}])


def _required_keys(kind: str, document: dict[str, Any]) -> Iterator[tuple[Where, str]]:
    """(parent, key) of every required key present in a document."""
    if kind == "sheet":
        yield (), "team"
        return
    if kind == "settings":
        yield (), "client"
        return
    for key in ("id", "title", "levels", "dimensions"):
        yield (), key
    for i, _ in enumerate(document["levels"]):
        yield ("levels", i), "name"
        yield ("levels", i), "min"
    for name, scale in document["scales"].items():
        for i, _ in enumerate(scale.get("points", [])):
            yield ("scales", name, "points", i), "value"
            yield ("scales", name, "points", i), "label"
        for i, _ in enumerate(scale.get("choices", [])):
            for key in ("id", "label", "score"):
                yield ("scales", name, "choices", i), key
    for d, dimension in enumerate(document["dimensions"]):
        for key in ("id", "title", "questions"):
            yield ("dimensions", d), key
        for q, question in enumerate(dimension["questions"]):
            where: Where = ("dimensions", d, "questions", q)
            yield where, "id"
            yield where, "text"
            for c, _ in enumerate(question.get("choices", [])):
                yield (*where, "choices", c), "id"
                yield (*where, "choices", c), "label"
            for t, _ in enumerate(question.get("tune_ups", [])):
                yield (*where, "tune_ups", t), "below"
                yield (*where, "tune_ups", t), "title"


def _at(document: Any, where: Where) -> Any:
    for part in where:
        document = document[part]
    return document


@dataclass(frozen=True)
class BrokenProject:
    """A valid project with one file broken; ``path`` is that file's relative path."""

    files: dict[str, bytes]
    path: str
    mutation: str
    detail: str


def _truncation_end(kind: str, text: str) -> int:
    """Truncating ``text`` anywhere before this offset leaves the file invalid.

    Sheets end with ``team:`` and ``assessment.yml`` with ``client:``, both required, so
    any cut before their value loses them; a bank cut before its first question's text
    has no complete question, and a bank needs at least one.
    """
    if kind == "sheet":
        return text.rindex("team:") + len("team:")
    if kind == "settings":
        return text.rindex("client:") + len("client:")
    return text.index("text:", text.index("dimensions:")) + len("text:")


NEVER_UTF8 = st.sampled_from([0xC0, 0xC1, *range(0xF5, 0x100)])
"""Bytes that appear in no valid UTF-8 text."""


@st.composite
def broken_projects(
    draw: st.DrawFn, mutations: Sequence[str] = MUTATIONS, max_sheets: int = 3
) -> BrokenProject:
    """A valid project with one file broken by a mutation that makes it invalid."""
    project = draw(projects(max_sheets=max_sheets))
    files = project_files(project)
    documents: dict[str, tuple[str, Any]] = {
        PROJECT_FILE: ("settings", project.settings),
        BANK_FILE: ("bank", project.bank),
    }
    for name, sheet in zip(sheet_names(len(project.sheets)), project.sheets, strict=True):
        documents[name] = ("sheet", sheet)
    path = draw(st.sampled_from(sorted(documents)))
    kind, document = documents[path]
    mutation = draw(st.sampled_from(list(mutations)))
    text = files[path].decode()
    if mutation == "truncate":
        end = draw(st.integers(0, _truncation_end(kind, text)))
        content, detail = files[path][:end], f"cut at {end}"
    elif mutation == "random-bytes":
        start = draw(st.integers(0, len(files[path])))
        length = draw(st.integers(0, len(files[path]) - start))
        blob = bytearray(draw(st.binary(max_size=16)))
        blob.insert(draw(st.integers(0, len(blob))), draw(NEVER_UTF8))
        content = files[path][:start] + bytes(blob) + files[path][start + length :]
        # A UTF-8 byte order mark in front is a bug of its own (test_hostile.py).
        assume(not content.startswith(b"\xef\xbb\xbf"))
        detail = f"{bytes(blob)!r} over [{start}:{start + length}]"
    else:
        changed = copy.deepcopy(document)
        if mutation == "delete-key":
            parent, key = draw(st.sampled_from(list(_required_keys(kind, document))))
            del _at(changed, parent)[key]
            detail = f"deleted {(*parent, key)}"
        else:
            if kind == "bank":
                slots = list(_bank_slots(document))
            elif kind == "sheet":
                slots = list(_sheet_slots(document, project.bank))
            else:
                slots = list(_settings_slots())
            where, poison = draw(st.sampled_from(slots))
            value = draw(poison)
            _at(changed, where[:-1])[where[-1]] = value
            detail = f"{where} = {value!r}"
        content = document_text(changed).encode()
    return BrokenProject(files | {path: content}, path, mutation, detail)


CONTROL_CHARACTERS = st.sampled_from(
    [chr(c) for c in [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x80, 0x9B]]
)
"""Characters YAML refuses anywhere in a file (NUL has a check of its own)."""


@st.composite
def control_character_splices(draw: st.DrawFn) -> tuple[dict[str, bytes], str, int, int]:
    """A valid project with one control character inserted into one file.

    Returns the files, the broken file's path and the 1-based line and column of the
    inserted character.
    """
    project = draw(projects(max_sheets=2))
    files = project_files(project)
    path = draw(st.sampled_from(sorted(files)))
    text = files[path].decode()
    at = draw(st.integers(0, len(text)))
    text = text[:at] + draw(CONTROL_CHARACTERS) + text[at:]
    line = text.count("\n", 0, at) + 1
    column = at - text.rfind("\n", 0, at)
    return files | {path: text.encode()}, path, line, column
