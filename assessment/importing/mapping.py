"""The mapping file (``--mapping``): columns named by hand, answer labels translated, and
what a column can hold."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..answers import BadAnswer, answer_score
from ..model import Bank, Question
from ..problems import InputError, Problem
from ..source import Document, read_document
from .text import normalize, suggest

ColumnKind = Literal[
    "question", "option", "note", "team", "role", "respondent", "name", "email", "ignored"
]
IDENTITY_KINDS = frozenset({"respondent", "name", "email"})


@dataclass(frozen=True)
class Target:
    """What a column holds: a question's answer, one option of a multi question, a note,
    the team, the role, who answered, or nothing we use."""

    kind: ColumnKind
    key: str = ""
    option: str = ""
    reason: str = ""


@dataclass(frozen=True)
class SurveyMapping:
    """A mapping file: columns named by hand, answer labels translated, a constant team."""

    path: str
    columns: Mapping[str, Target] = field(default_factory=dict)
    """Normalised header → target."""
    headers: Mapping[str, tuple[str, int, int]] = field(default_factory=dict)
    """Normalised header → (header as written, line, column) in the mapping file."""
    values: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    """Question key or scale name → normalised label → answer."""
    team: str | None = None


_MAPPING_KEYS = ("columns", "values", "team")
_SPECIAL_TARGETS: Mapping[str, ColumnKind] = {
    "team": "team",
    "role": "role",
    "respondent": "respondent",
    "name": "name",
    "email": "email",
    "ignore": "ignored",
}


def read_mapping(path: Path | str, bank: Bank, display: str | None = None) -> SurveyMapping:
    """Read and check a mapping file (YAML), raising :class:`InputError` with every problem.

    ``columns`` maps headers to ``team``, ``role``, ``respondent``, ``name``, ``email``,
    ``ignore``, a question key or ``<key>.note``; ``values`` maps, per question key or
    scale name, answer labels to answers; ``team`` is a team for every row.
    """
    shown = display if display is not None else str(path)
    document, problems = read_document(Path(path), shown)
    if document is None:
        raise InputError(problems)
    data = document.data
    for name in data:
        if name not in _MAPPING_KEYS:
            problems.append(
                document.problem(
                    (name,), "unknown key" + suggest(name, _MAPPING_KEYS, quote="'"), key=True
                )
            )
    columns: dict[str, Target] = {}
    headers: dict[str, tuple[str, int, int]] = {}
    raw_columns = data.get("columns", {})
    if not isinstance(raw_columns, dict):
        problems.append(
            document.problem(("columns",), "expected a mapping of headers to what they hold")
        )
        raw_columns = {}
    for header, raw_target in raw_columns.items():
        where = ("columns", header)
        target = _mapping_target(raw_target, bank)
        if isinstance(target, str):
            problems.append(document.problem(where, target))
            continue
        normal = normalize(header)
        if normal in columns:
            problems.append(document.problem(where, "this header is mapped twice", key=True))
            continue
        columns[normal] = target
        line, column = document.locate(where, key=True)
        headers[normal] = (header, line, column)
    values = _mapping_values(document, data.get("values", {}), bank, problems)
    team = data.get("team")
    if team is not None and (not isinstance(team, str) or not team.strip()):
        problems.append(document.problem(("team",), "expected the team's name as text"))
        team = None
    if problems:
        raise InputError(problems)
    return SurveyMapping(shown, columns, headers, values, team.strip() if team else None)


def _mapping_target(raw: Any, bank: Bank) -> Target | str:
    """The target a mapping names, or a message saying what is wrong with it."""
    if not isinstance(raw, str):
        return "expected team, role, respondent, name, email, ignore, a question key or <key>.note"
    if raw == "ignore":
        return Target("ignored", reason="the mapping file says to ignore it")
    if raw in _SPECIAL_TARGETS:
        return Target(_SPECIAL_TARGETS[raw])
    questions = bank.questions
    if raw in questions:
        return Target("question", raw)
    if raw.endswith(".note") and raw.removesuffix(".note") in questions:
        return Target("note", raw.removesuffix(".note"))
    known = [*_SPECIAL_TARGETS, *questions]
    return f"unknown question '{raw}'" + suggest(raw, known, quote="'")


def _mapping_values(
    document: Document, raw: Any, bank: Bank, problems: list[Problem]
) -> dict[str, dict[str, object]]:
    if not isinstance(raw, dict):
        problems.append(document.problem(("values",), "expected a mapping of questions or scales"))
        return {}
    scales = {s.name: s for s in bank.scales}
    values: dict[str, dict[str, object]] = {}
    for name, labels in raw.items():
        question = bank.questions.get(name)
        if question is None and name in scales:
            question = Question("scale", "values", name, "", 1, scales[name])
        if question is None:
            problems.append(
                document.problem(
                    ("values", name),
                    f"unknown question or scale '{name}'"
                    + suggest(name, [*bank.questions, *scales], quote="'"),
                    key=True,
                )
            )
            continue
        if not isinstance(labels, dict):
            problems.append(
                document.problem(("values", name), "expected a mapping of labels to answers")
            )
            continue
        values[name] = {}
        for label, answer in labels.items():
            checked: Any = (
                [answer] if question.scale.kind == "multi" and answer != "n/a" else answer
            )
            try:
                answer_score(question, checked)
            except BadAnswer as bad:
                problems.append(document.problem(("values", name, label), str(bad)))
                continue
            values[name][normalize(str(label))] = answer
    return values
