"""Cells into answers: numbers, labels, ids, n/a, multi answers joined in a cell or spread
over a column per option, and notes; checked with the YAML loader's own rules."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..answers import BadAnswer, answer_score
from ..model import Bank, Option, Question
from ..problems import Problem
from .mapping import IDENTITY_KINDS, SurveyMapping, Target
from .table import Column, CsvProblem, Table
from .text import fold, normalize, suggest

_NOT_APPLICABLE = frozenset({"n/a", "na", "n.a.", "n. a."})
"""Written as the YAML loader reads them (any case) …"""
_NOT_APPLICABLE_WORDS = frozenset({"not applicable", "does not apply", "doesn t apply"})
"""… or as survey options say it (compared normalised)."""
_SELECTED = frozenset({"1", "x", "yes", "true", "selected", "checked"})
_NOT_SELECTED = frozenset({"0", "no", "false"})
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_NUMBER_AND_LABEL = re.compile(r"^([+-]?\d+)(?:\s*[-–—:.=)]\s*|\s+)(.+)$")
_LABEL_AND_NUMBER = re.compile(r"^(.+?)\s*\(\s*([+-]?\d+)\s*\)$")


def option_of(question: Question, text: str, *, loose: bool = True) -> Option | None:
    """The option a cell or header names: its id as written, its label or id in any case
    and spacing, or (``loose``) without punctuation when that names only one option."""
    options = question.scale.options
    exact = question.scale.option(text.strip())
    if exact is not None:
        return exact
    folded = fold(text)
    hits = {o for o in options if folded in (fold(o.label), o.id.casefold())}
    if not hits and loose:
        normal = normalize(text)
        hits = {o for o in options if normal in (normalize(o.label), normalize(o.id))}
    return hits.pop() if len(hits) == 1 else None


def _not_applicable(text: str) -> bool:
    return fold(text) in _NOT_APPLICABLE or normalize(text) in _NOT_APPLICABLE_WORDS


class _BadCell(Exception):
    """A cell that cannot be read as an answer; the message is for people."""


def _mapped(question: Question, text: str, mapping: SurveyMapping | None) -> object | None:
    if mapping is None:
        return None
    normal = normalize(text)
    for name in (question.key, question.scale.name):
        labels = mapping.values.get(name)
        if labels is not None and normal in labels:
            return labels[normal]
    return None


def _single_answer(question: Question, text: str, mapping: SurveyMapping | None) -> object:
    """A cell of a points or choices question as a sheet writes it: a number, an id or n/a."""
    mapped = _mapped(question, text, mapping)
    if mapped is not None:
        return mapped
    scale = question.scale
    if scale.kind == "points":
        if _NUMBER.match(text):
            number = float(text.replace(",", "."))
            return int(number) if number.is_integer() else number
        split = _NUMBER_AND_LABEL.match(text) or _LABEL_AND_NUMBER.match(text)
        if split is not None:
            number_text, label = split.groups()
            if not number_text.lstrip("+-").isdigit():
                number_text, label = label, number_text
            option = scale.option(str(int(number_text)))
            if option is not None and normalize(label) == normalize(option.label):
                return int(number_text)
            if option is not None:
                raise _BadCell(
                    f'"{text}": {option.id} is "{option.label}" on scale {scale.name}, '
                    f'not "{label}"'
                )
    option = option_of(question, text, loose=False)
    if option is None and _not_applicable(text):
        return "n/a"
    option = option or option_of(question, text)
    if option is not None:
        return int(option.id) if scale.kind == "points" else option.id
    labels = [o.label for o in scale.options]
    hint = suggest(text, [*labels, *(o.id for o in scale.options if scale.kind != "points")])
    if hint:
        raise _BadCell(f'"{text}" is not a label of scale {scale.name}{hint}')
    if scale.kind == "points":
        allowed = f"{scale.values[0]} to {scale.values[-1]}, " + ", ".join(labels)
    else:
        allowed = ", ".join(labels)
    raise _BadCell(f'"{text}" is not a label of scale {scale.name}; answer {allowed} or n/a')


def _multi_answer(question: Question, text: str, mapping: SurveyMapping | None) -> object:
    """A cell that lists the options chosen, joined with ";" (Microsoft Forms) or ", "
    (Google Forms). Labels may contain commas themselves, so the longest label that fits
    wins."""
    whole = option_of(question, text, loose=False)
    if whole is None and (_not_applicable(text) or _mapped(question, text, mapping) == "n/a"):
        return "n/a"
    chosen: list[str] = []
    for part in (p for p in text.split(";") if p.strip()):
        pieces = part.split(",")
        start = 0
        while start < len(pieces):
            found = _longest_option(question, pieces, start, mapping)
            if found is None:
                piece = pieces[start].strip()
                if piece:
                    labels = [o.label for o in question.scale.options]
                    raise _BadCell(
                        f'"{piece}" is not an option of {question.key}'
                        + (suggest(piece, labels) or f"; options: {'; '.join(labels)}")
                    )
                start += 1
                continue
            option_id, start = found
            chosen.append(option_id)
    return chosen


def _longest_option(
    question: Question, pieces: Sequence[str], start: int, mapping: SurveyMapping | None
) -> tuple[str, int] | None:
    """The option the longest run of comma-separated pieces from ``start`` names, and where
    the next run starts: matched as written first, then without punctuation."""
    for loose in (False, True):
        for end in range(len(pieces), start, -1):
            piece = ",".join(pieces[start:end]).strip()
            mapped = _mapped(question, piece, mapping)
            if isinstance(mapped, str) and mapped != "n/a":
                return mapped, end
            option = option_of(question, piece, loose=loose)
            if option is not None:
                return option.id, end
    return None


def _option_selected(option: Option, text: str) -> bool:
    normal = normalize(text)
    if not normal or normal in _NOT_SELECTED:
        return False
    if normal in _SELECTED or normal in (normalize(option.label), normalize(option.id)):
        return True
    raise _BadCell(f'"{text}" in the column of option "{option.label}": expected it or blank')


def read_row(
    table: Table,
    targets: Sequence[Target],
    bank: Bank,
    mapping: SurveyMapping | None,
    shown: str,
    row: int,
    cells: Sequence[str],
    team: str | None,
    problems: list[Problem],
    keep_identity: bool,
) -> tuple[str | None, str, str | None, dict[str, object]] | None:
    """One row as (respondent, team, role, answers), or ``None`` after adding its problems."""
    before = len(problems)
    answers: dict[str, object] = {}
    options: dict[str, list[str]] = {}
    notes: dict[str, tuple[str, Column]] = {}
    identity: dict[str, list[str]] = {}
    row_team, role = team, None
    for column, target, text in zip(table.columns, targets, cells, strict=False):
        kind = target.kind

        def problem(message: str, column: Column = column) -> None:
            problems.append(CsvProblem(shown, row, column.index + 1, column.shown, message))

        if kind == "team" and team is None:
            if not text:
                problem("the team is blank; every answer sheet needs a team")
            row_team = text or None
        elif kind == "role":
            role = text or None
        elif kind in IDENTITY_KINDS:
            if text and normalize(text) != "anonymous":
                identity.setdefault(kind, []).append(text)
        elif kind == "note" and text:
            notes[target.key] = (text, column)
        elif kind == "option":
            question = bank.questions[target.key]
            option = question.scale.option(target.option)
            assert option is not None
            try:
                if _option_selected(option, text):
                    options.setdefault(target.key, []).append(option.id)
            except _BadCell as bad:
                problem(str(bad))
        elif kind == "question" and text:
            question = bank.questions[target.key]
            try:
                if question.scale.kind == "multi":
                    value = _multi_answer(question, text, mapping)
                else:
                    value = _single_answer(question, text, mapping)
                answer_score(question, value)
            except (_BadCell, BadAnswer) as bad:
                problem(str(bad))
                continue
            answers[target.key] = value
    for key, chosen in options.items():
        try:
            answer_score(bank.questions[key], chosen)
        except BadAnswer as bad:
            problems.append(CsvProblem(shown, row, 0, "", f"{key}: {bad}"))
            continue
        answers[key] = chosen
    for key, (note, column) in notes.items():
        if key not in answers:
            problems.append(
                CsvProblem(
                    shown,
                    row,
                    column.index + 1,
                    column.shown,
                    f"a note on {key}, which is not answered; answer it (n/a if it does not "
                    "apply) or clear the note",
                )
            )
            continue
        answers[key] = {"answer": answers[key], "note": note}
    if len(problems) > before or row_team is None:
        return None
    respondent = None
    if keep_identity:
        named = identity.get("respondent") or identity.get("name") or identity.get("email")
        respondent = " ".join(named) if named else None
    ordered = {key: answers[key] for key in bank.questions if key in answers}
    return respondent, row_team, role, ordered
