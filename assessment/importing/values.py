"""Cells into answers: numbers, labels, ids, n/a, multi answers joined in a cell or spread
over a column per option, and notes; checked with the YAML loader's own rules."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..answers import BadAnswer, answer_score
from ..model import DONT_KNOW, Bank, Option, Question, is_dont_know
from ..problems import Problem
from .mapping import IDENTITY_KINDS, SurveyMapping, Target
from .table import Column, CsvProblem
from .text import fold, normalize, suggest

_NOT_APPLICABLE = frozenset({"n/a", "na", "n.a.", "n. a."})
"""Written as the YAML loader reads them (any case) …"""
_NOT_APPLICABLE_WORDS = frozenset({"not applicable", "does not apply", "doesn t apply"})
"""… or as survey options say it (compared normalised)."""
_DONT_KNOW_WORDS = frozenset({"don t know", "dont know", "i don t know", "do not know"})
"""… "don't know" as survey options say it (compared normalised; the loader's own forms,
such as ``dont-know`` and ``?``, are read as it reads them)."""
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


def _unscored(question: Question, text: str, mapping: SurveyMapping | None) -> str | None:
    """``n/a`` or ``dont-know`` when a cell says so (as the YAML loader reads them, as
    survey options say it, or as the mapping file translates it), else ``None``."""
    if _not_applicable(text):
        return "n/a"
    if is_dont_know(text) or normalize(text) in _DONT_KNOW_WORDS:
        return DONT_KNOW
    mapped = _mapped(question, text, mapping)
    if mapped == "n/a" or is_dont_know(mapped):
        return DONT_KNOW if is_dont_know(mapped) else "n/a"
    return None


class BadCell(Exception):
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
                raise BadCell(
                    f'"{text}": {option.id} is "{option.label}" on scale {scale.name}, '
                    f'not "{label}"'
                )
    option = option_of(question, text, loose=False)
    unscored = _unscored(question, text, mapping) if option is None else None
    if unscored is not None:
        return unscored
    option = option or option_of(question, text)
    if option is not None:
        return int(option.id) if scale.kind == "points" else option.id
    labels = [o.label for o in scale.options]
    hint = suggest(text, [*labels, *(o.id for o in scale.options if scale.kind != "points")])
    if hint:
        raise BadCell(f'"{text}" is not a label of scale {scale.name}{hint}')
    if scale.kind == "points":
        allowed = f"{scale.values[0]} to {scale.values[-1]}, " + ", ".join(labels)
    else:
        allowed = ", ".join(labels)
    raise BadCell(f'"{text}" is not a label of scale {scale.name}; answer {allowed} or n/a')


def _multi_answer(question: Question, text: str, mapping: SurveyMapping | None) -> object:
    """A cell that lists the options chosen, joined with ";" (Microsoft Forms) or ", "
    (Google Forms). Labels may contain commas themselves, so the longest label that fits
    wins."""
    whole = option_of(question, text, loose=False)
    unscored = _unscored(question, text, mapping) if whole is None else None
    if unscored is not None:
        return unscored
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
                    raise BadCell(
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
    raise BadCell(f'"{text}" in the column of option "{option.label}": expected it or blank')


class RowReader:
    """Reads a file's rows into answers.

    Made once per file: which column holds what, and a memory of what each (question,
    cell text) became, since a survey repeats the same few answers on every row and each
    is converted and checked only once.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        targets: Sequence[Target],
        bank: Bank,
        mapping: SurveyMapping | None,
        shown: str,
    ) -> None:
        self.bank = bank
        self.mapping = mapping
        self.shown = shown
        order = {key: position for position, key in enumerate(bank.questions)}
        pairs = list(zip(columns, targets, strict=True))
        # In the bank's order, so that a row's answers come out in that order.
        self.questions: list[tuple[Column, str, bool, dict[str, tuple[object, str | None]]]]
        self.questions = [
            (column, key, bank.questions[key].scale.kind == "multi", {})
            for column, key in sorted(
                ((c, t.key) for c, t in pairs if t.kind == "question"), key=lambda p: order[p[1]]
            )
        ]
        """(column, question key, multi?, cell text → (answer, problem)) per question column."""
        self.options = [(c, t.key, t.option) for c, t in pairs if t.kind == "option"]
        self.notes = [(c, t.key) for c, t in pairs if t.kind == "note"]
        self.teams = [c for c, t in pairs if t.kind == "team"]
        self.roles = [c for c, t in pairs if t.kind == "role"]
        self.identity = [(c, t.kind) for c, t in pairs if t.kind in IDENTITY_KINDS]
        self._selected: dict[tuple[str, str, str], tuple[bool, str | None]] = {}

    def _answer(self, key: str, text: str) -> tuple[object, str | None]:
        question = self.bank.questions[key]
        try:
            if question.scale.kind == "multi":
                value = _multi_answer(question, text, self.mapping)
            else:
                value = _single_answer(question, text, self.mapping)
            answer_score(question, value)
        except (BadCell, BadAnswer) as bad:
            return None, str(bad)
        return value, None

    def _selects(self, key: str, option_id: str, text: str) -> tuple[bool, str | None]:
        option = self.bank.questions[key].scale.option(option_id)
        assert option is not None
        try:
            return _option_selected(option, text), None
        except BadCell as bad:
            return False, str(bad)

    def read(
        self,
        row: int,
        cells: Sequence[str],
        team: str | None,
        problems: list[Problem],
        keep_identity: bool,
    ) -> tuple[str | None, str, str | None, dict[str, object]] | None:
        """One row as (respondent, team, role, answers), or ``None`` after adding its
        problems. ``team`` is every row's team, or ``None`` to read it from its column."""
        before = len(problems)

        def problem(column: Column | None, message: str) -> None:
            if column is None:
                problems.append(CsvProblem(self.shown, row, 0, "", message))
            else:
                problems.append(
                    CsvProblem(self.shown, row, column.index + 1, column.shown, message)
                )

        answers: dict[str, object] = {}
        for column, key, multi, known in self.questions:
            text = cells[column.index]
            if not text:
                continue
            found = known.get(text)
            if found is None:
                found = known[text] = self._answer(key, text)
            value, message = found
            if message is not None:
                problem(column, message)
            else:
                answers[key] = list(value) if multi and isinstance(value, list) else value
        if self.options:
            chosen: dict[str, list[str]] = {}
            for column, key, option_id in self.options:
                text = cells[column.index]
                selected = self._selected.get((key, option_id, text))
                if selected is None:
                    selected = self._selected[(key, option_id, text)] = self._selects(
                        key, option_id, text
                    )
                if selected[1] is not None:
                    problem(column, selected[1])
                elif selected[0]:
                    chosen.setdefault(key, []).append(option_id)
            for key, ids in chosen.items():
                try:
                    answer_score(self.bank.questions[key], ids)
                except BadAnswer as bad:
                    problem(None, f"{key}: {bad}")
                    continue
                answers[key] = ids
            answers = {key: answers[key] for key in self.bank.questions if key in answers}
        notes = {key: (cells[c.index], c) for c, key in self.notes if cells[c.index]}
        for key, (note, column) in notes.items():
            if key not in answers:
                problem(
                    column,
                    f"a note on {key}, which is not answered; answer it (n/a if it does not "
                    "apply) or clear the note",
                )
                continue
            answers[key] = {"answer": answers[key], "note": note}
        row_team = team
        if team is None:
            for column in self.teams:
                row_team = cells[column.index] or None
                if row_team is None:
                    problem(column, "the team is blank; every answer sheet needs a team")
        role = None
        for column in self.roles:
            role = cells[column.index] or None
        if len(problems) > before or row_team is None:
            return None
        respondent = None
        if keep_identity:
            identity: dict[str, list[str]] = {}
            for column, kind in self.identity:
                text = cells[column.index]
                if text and normalize(text) != "anonymous":
                    identity.setdefault(kind, []).append(text)
            named = identity.get("respondent") or identity.get("name") or identity.get("email")
            respondent = " ".join(named) if named else None
        return respondent, row_team, role, answers
