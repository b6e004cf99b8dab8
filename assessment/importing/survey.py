"""Reading a whole survey export into one answer sheet per respondent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slugify import slugify

from ..model import Bank
from ..problems import InputError, Problem
from .columns import (
    TOOL_COLUMN,
    MatchedColumn,
    QuestionIndex,
    closest,
    column_problems,
    match_column,
    resolve_options,
)
from .mapping import IDENTITY_KINDS, SurveyMapping, Target
from .table import Column, CsvProblem, read_table
from .text import cut
from .values import RowReader

MAX_PROBLEMS = 100
"""Problems listed before the rest are only counted: a wrong file fails on every row."""
RESPONDENT_PREFIX = "respondent-"
UNEXPECTED_LISTED = 20
"""Ignored columns listed (each with its closest question) before the rest are counted:
a file with thousands of unknown columns costs no more matching than one with twenty."""


@dataclass(frozen=True)
class ImportedSheet:
    """One respondent's row as an answer sheet: answers in the forms a sheet uses."""

    row: int
    respondent: str
    team: str
    role: str | None
    answers: Mapping[str, object]
    """Question key → answer, or ``{"answer": …, "note": …}``; unanswered keys are absent."""

    def data(self) -> dict[str, Any]:
        """The sheet as the plain data of an answer-sheet file."""
        sheet: dict[str, Any] = {"respondent": self.respondent, "team": self.team}
        if self.role:
            sheet["role"] = self.role
        sheet["answers"] = dict(self.answers)
        return sheet


@dataclass(frozen=True)
class SurveyImport:
    """What a survey export holds: one sheet per respondent and what each column was."""

    path: str
    sheets: tuple[ImportedSheet, ...]
    columns: tuple[MatchedColumn, ...]
    encoding: str
    delimiter: str
    header_rows: int
    team_constant: str | None = None
    skipped_rows: tuple[int, ...] = ()
    """Rows with a team but no answer (abandoned responses): no sheet is made for them."""

    @property
    def identity_columns(self) -> tuple[str, ...]:
        """Headers of the columns naming people (names, e-mail addresses)."""
        return tuple(c.header for c in self.columns if c.target.kind in IDENTITY_KINDS)

    @property
    def question_columns(self) -> tuple[MatchedColumn, ...]:
        return tuple(c for c in self.columns if c.target.kind in ("question", "option", "note"))

    @property
    def ignored_columns(self) -> tuple[MatchedColumn, ...]:
        return tuple(c for c in self.columns if c.target.kind == "ignored")

    @property
    def unexpected_columns(self) -> tuple[MatchedColumn, ...]:
        """Ignored columns other than the survey tool's own: the ones worth a word."""
        return tuple(c for c in self.ignored_columns if c.target.reason != TOOL_COLUMN)


def read_survey(
    path: Path | str,
    bank: Bank,
    mapping: SurveyMapping | None = None,
    *,
    display: str | None = None,
    team: str | None = None,
    keep_identity: bool = False,
    first_number: int = 1,
) -> SurveyImport:
    """Read a survey export into one :class:`ImportedSheet` per respondent, or raise.

    ``team`` (or the mapping's ``team``) is every row's team; otherwise a team column is
    required. Without ``keep_identity`` respondents are ``respondent-001``… in row order
    (from ``first_number``) and no name or e-mail address is kept.
    """
    shown = display if display is not None else str(path)
    table, problems = read_table(Path(path), shown)
    if table is None:
        raise InputError(problems)
    index = QuestionIndex.of(bank)
    targets = [match_column(c, bank, index, mapping) for c in table.columns]
    resolve_options(table.columns, targets, bank, index)
    team = team or (mapping.team if mapping else None)
    problems += column_problems(table, targets, bank, mapping, shown, team)
    matched = _with_hints(table.columns, targets, index)
    if problems:
        raise InputError(problems)
    if not any(t.kind in ("question", "option") for t in targets):
        raise InputError(
            [CsvProblem(shown, 0, 0, "", "no column matches a question of the bank" + _hint(bank))]
        )
    reader = RowReader(table.columns, targets, bank, mapping, shown)
    sheets: list[ImportedSheet] = []
    identities: dict[str, int] = {}
    skipped: list[int] = []
    number = first_number
    for row, cells in table.rows:
        if not any(cells):
            continue
        if len(cells) > len(table.columns) and any(cells[len(table.columns) :]):
            problems.append(
                CsvProblem(
                    shown,
                    row,
                    0,
                    "",
                    f"has {len(cells)} cells but the header has {len(table.columns)}; "
                    "is a quote missing?",
                )
            )
            continue
        cells = cells + ("",) * (len(table.columns) - len(cells))
        sheet = reader.read(row, cells, team, problems, keep_identity)
        if sheet is None:
            number += 1
            continue
        respondent, sheet_team, role, answers = sheet
        if not answers:
            skipped.append(row)  # an abandoned or partial response: not a respondent
            number += 1
            continue
        if respondent is None:
            respondent = f"{RESPONDENT_PREFIX}{number:03d}"
        else:
            earlier = identities.get(slugify(respondent))
            if earlier is not None:
                problems.append(
                    CsvProblem(
                        shown,
                        row,
                        0,
                        "",
                        f"the same respondent as on row {earlier}; keep one of the two rows",
                    )
                )
            identities.setdefault(slugify(respondent), row)
        number += 1
        sheets.append(ImportedSheet(row, respondent, sheet_team, role, answers))
    if problems:
        raise InputError(_capped(problems, shown))
    if not sheets:
        message = "no row answers any question" if skipped else "has no responses, only a header"
        raise InputError([CsvProblem(shown, 0, 0, "", message)])
    return SurveyImport(
        shown,
        tuple(sheets),
        matched,
        table.encoding,
        table.delimiter,
        table.header_rows,
        team,
        tuple(skipped),
    )


def _with_hints(
    columns: Sequence[Column], targets: Sequence[Target], index: QuestionIndex
) -> tuple[MatchedColumn, ...]:
    """Each column with what it holds; the first :data:`UNEXPECTED_LISTED` columns that
    match nothing also with their closest question, if one is close."""
    matched = []
    unexpected = 0
    for column, target in zip(columns, targets, strict=True):
        hint = None
        if target.kind == "ignored" and target.reason != TOOL_COLUMN:
            unexpected += 1
            if unexpected <= UNEXPECTED_LISTED and not target.reason:
                hint = closest(column, index)
        matched.append(MatchedColumn(column.header, target, hint))
    return tuple(matched)


def _hint(bank: Bank) -> str:
    example = next(iter(bank.questions.values()))
    return (
        f'; head each question\'s column with its text (such as "{cut(example.text)}") '
        f"or its key ({example.key}), or name the columns in a mapping file"
    )


def _capped(problems: list[Problem], shown: str) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    first = sorted(problems, key=lambda p: (p.line, p.column, p.key, p.message))[:MAX_PROBLEMS]
    rest = len(problems) - MAX_PROBLEMS
    note = CsvProblem(shown, 0, 0, "", f"{rest:,} more problems not shown; the first are listed")
    return [*first, note]
