"""Matching columns to questions: by key, by question text, by the usual headers of team,
role and name columns, or by a mapping file; and what is wrong with the columns as a whole."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Bank, Question
from ..problems import Problem
from .mapping import ColumnKind, SurveyMapping, Target
from .table import Column, CsvProblem, Table
from .text import MATCH_CHARS, fold, normalize, suggest, without_number
from .values import option_of

CLOSE_RATIO = 0.4
"""How alike (difflib's ratio) a header and a question must be to name it as the closest."""
COMPARED = 5
"""Questions compared in full with a header: those whose cheap upper bound is highest."""

# Header names are compared normalised: lower case, punctuation and spacing folded.
_TEAM_HEADERS = frozenset(
    {
        "team",
        "your team",
        "team name",
        "my team",
        "which team are you in",
        "which team are you on",
        "which team are you part of",
        "which team do you work in",
        "what team are you in",
        "what team are you on",
        "department",
        "your department",
        "which department are you in",
        "which department do you work in",
    }
)
_ROLE_HEADERS = frozenset(
    {
        "role",
        "your role",
        "my role",
        "job role",
        "what is your role",
        "what s your role",
        "which role do you have",
        "which best describes your role",
        "position",
        "your position",
        "job title",
        "your job title",
    }
)
_RESPONDENT_HEADERS = frozenset({"respondent", "respondent name", "initials", "your initials"})
_NAME_HEADERS = frozenset(
    {"name", "your name", "full name", "first name", "last name", "what is your name"}
)
_EMAIL_HEADERS = frozenset(
    {
        "email",
        "e mail",
        "email address",
        "e mail address",
        "your email",
        "your email address",
        "your e mail address",
        "work email",
    }
)
# The survey tools' own bookkeeping columns: ignored without a word of advice.
_TOOL_HEADERS = frozenset(
    {
        "",  # Typeform's "#" and blank headers
        "timestamp",  # Google Forms
        "id",
        "start time",
        "completion time",
        "last modified time",
        "total points",
        "quiz feedback",  # Microsoft Forms
        "respondent id",
        "collector id",
        "start date",
        "end date",
        "ip address",
        "custom data 1",  # SurveyMonkey
        "response type",
        "start date utc",
        "stage date utc",
        "submit date utc",
        "network id",
        "tags",
        "ending",
        "token",
        "submitted at",  # Typeform
        "score",
    }
)
_USUAL_HEADERS: tuple[tuple[ColumnKind, frozenset[str]], ...] = (
    ("team", _TEAM_HEADERS),
    ("role", _ROLE_HEADERS),
    ("respondent", _RESPONDENT_HEADERS),
    ("name", _NAME_HEADERS),
    ("email", _EMAIL_HEADERS),
)
USUAL_HEADER = "recognised by its header"
TOOL_COLUMN = "the survey tool's own column"
_NOTE_WORDS = r"(?:note|notes|comment|comments)"


@dataclass(frozen=True)
class QuestionIndex:
    """The bank's questions and options, looked up by normalised text."""

    exact: Mapping[str, list[str]]
    """Question text with case and spacing folded → keys."""
    texts: Mapping[str, list[str]]
    """Normalised question text → keys."""
    options: Mapping[str, list[tuple[str, str]]]
    matchers: tuple[tuple[str, difflib.SequenceMatcher[str]], ...] = ()
    """(key, matcher holding the question's text or key) for the closest-question hint:
    difflib caches what it learns about the second sequence, so each is prepared once."""

    @classmethod
    def of(cls, bank: Bank) -> QuestionIndex:
        exact: dict[str, list[str]] = {}
        texts: dict[str, list[str]] = {}
        options: dict[str, list[tuple[str, str]]] = {}
        for question in bank.questions.values():
            exact.setdefault(fold(question.text), []).append(question.key)
            texts.setdefault(normalize(question.text), []).append(question.key)
            if question.scale.kind == "multi":
                for option in question.scale.options:
                    for name in dict.fromkeys((normalize(option.label), normalize(option.id))):
                        options.setdefault(name, []).append((question.key, option.id))
        matchers = tuple(
            (key, difflib.SequenceMatcher(None, "", candidate))
            for key, question in bank.questions.items()
            for candidate in (normalize(question.text)[:MATCH_CHARS], normalize(key))
        )
        return cls(exact, texts, options, matchers)


def _question_by_text(text: str, bank: Bank, index: QuestionIndex) -> str | None:
    """The question a header names by key or by text (numbering and extra words allowed)."""
    words = text.strip().split()
    if words:
        first = words[0].rstrip(":").lower()
        if first in bank.questions:
            return first
    keys = index.exact.get(fold(text), [])
    if len(keys) == 1:
        return keys[0]
    normal = normalize(text)
    if not normal:
        return None
    unnumbered = without_number(normal)
    for candidate in (normal, unnumbered):
        keys = index.texts.get(candidate, [])
        if len(keys) == 1:
            return keys[0]
    # A header that adds to the question ("… (1 = never, 5 = always)"), or a long one cut short.
    found = {
        keys[0]
        for question_text, keys in index.texts.items()
        if len(keys) == 1
        and (
            unnumbered.startswith(question_text + " ")
            or (len(normal) >= 30 and question_text.startswith(unnumbered))
        )
    }
    return found.pop() if len(found) == 1 else None


def _note_question(text: str, bank: Bank, index: QuestionIndex) -> str | None:
    """The question a note column belongs to: "<key>.note", "<question> - Comments", …"""
    first = text.strip().split()[0].lower() if text.strip() else ""
    for suffix in (".note", ".notes", ".comment", ".comments"):
        if first.endswith(suffix) and first.removesuffix(suffix) in bank.questions:
            return first.removesuffix(suffix)
    normal = normalize(text)
    match = re.match(rf"^(.+?) (?:{_NOTE_WORDS})$", normal) or re.match(
        rf"^(?:{_NOTE_WORDS}) (?:on |for |about |to )?(.+)$", normal
    )
    if match is None:
        return None
    base = match.group(1)
    for key in bank.questions:
        if normalize(key) == base:
            return key
    return _question_by_text(base, bank, index)


def match_column(
    column: Column, bank: Bank, index: QuestionIndex, mapping: SurveyMapping | None
) -> Target:
    """What one column holds, before looking at its neighbours."""
    title = normalize(column.title)
    if mapping is not None:
        mapped = mapping.columns.get(normalize(column.header)) or (
            mapping.columns.get(title) if column.sub else None
        )
        if mapped is not None:
            if mapped.kind == "question":
                return _question_target(bank.questions[mapped.key], column, column.sub or None)
            return mapped
    if not column.sub:
        for kind, names in _USUAL_HEADERS:
            if title in names:
                return Target(kind, reason=USUAL_HEADER)
        if title in _TOOL_HEADERS:
            return Target("ignored", reason=TOOL_COLUMN)
    note = _note_question(column.header, bank, index)
    if note is not None:
        return Target("note", note)
    key = _question_by_text(column.title, bank, index)
    if key is not None:
        return _question_target(bank.questions[key], column, column.sub or None)
    if column.sub:
        # A SurveyMonkey matrix: the question under a shared heading, one per column.
        key = _question_by_text(column.sub, bank, index)
        if key is not None:
            return Target("question", key)
    if not column.sub and title in index.options:
        return Target("option", reason="option label")  # resolved with its neighbours
    return Target("ignored")


def _question_target(question: Question, column: Column, option_text: str | None) -> Target:
    if question.scale.kind == "multi":
        text = option_text
        if text is None and option_of(question, column.title) is not None:
            text = column.title  # mapped by hand: a Typeform column headed by its option
        if text is not None:
            option = option_of(question, text)
            if option is None:
                return Target(
                    "ignored",
                    key=question.key,
                    reason=f"not an option of {question.key}",
                )
            return Target("option", question.key, option.id)
    elif option_text is not None:
        return Target("ignored", key=question.key, reason=f"not the answer to {question.key}")
    return Target("question", question.key)


def resolve_options(
    columns: Sequence[Column], targets: list[Target], bank: Bank, index: QuestionIndex
) -> None:
    """Give Typeform's per-option columns (headed by the option label only) their question:
    the only multi question with that option, or the one of the column before. A usual
    header ("E-mail", "Position") between such columns is an option too."""
    for position, column in enumerate(columns):
        target = targets[position]
        previous = targets[position - 1] if position else Target("ignored")
        keys = sorted({key for key, _ in index.options.get(normalize(column.title), [])})
        if target.reason == USUAL_HEADER:
            keys = [key for key in keys if key == previous.key and previous.kind == "option"]
            if not keys:
                continue
        elif target.kind != "option" or target.key:
            continue
        keys = [key for key in keys if key == previous.key] or keys
        options = [(key, option_of(bank.questions[key], column.title)) for key in keys]
        if len(options) == 1 and options[0][1] is not None:
            key, option = options[0]
            assert option is not None
            targets[position] = Target("option", key, option.id)
        else:
            reason = f"an option of {' and '.join(keys)}; name the question in a mapping file"
            targets[position] = Target("ignored", reason=reason)


@dataclass(frozen=True)
class MatchedColumn:
    """A column and what it was found to hold."""

    header: str
    target: Target
    closest: str | None = None
    """For an ignored column: the closest question key, if any is close."""


def closest(column: Column, index: QuestionIndex) -> str | None:
    """The question whose text or key is most like the column's header, if one is close.

    Only the first :data:`MATCH_CHARS` characters count, and difflib's full comparison is
    made only with the few questions its cheap upper bound ranks first, so the cost of a
    header is bounded whatever its length or text.
    """
    text = normalize(column.sub or column.title)[:MATCH_CHARS]
    if not text:
        return None
    ranked = []
    for position, (key, matcher) in enumerate(index.matchers):
        matcher.set_seq1(text)
        bound = matcher.quick_ratio()
        if bound >= CLOSE_RATIO:
            ranked.append((-bound, position, key, matcher))
    best, best_ratio = None, CLOSE_RATIO
    for _, _, key, matcher in sorted(ranked)[:COMPARED]:
        matcher.set_seq1(text)
        ratio = matcher.ratio()
        if ratio > best_ratio or (best is None and ratio == best_ratio):
            best, best_ratio = key, ratio
    return best


def column_problems(
    table: Table,
    targets: Sequence[Target],
    bank: Bank,
    mapping: SurveyMapping | None,
    shown: str,
    team: str | None,
) -> list[Problem]:
    """Problems with the columns as a whole: doubled questions, no team, mapped headers that
    are not there."""
    problems: list[Problem] = []
    header_row = 1
    seen: dict[tuple[str, str, str], Column] = {}
    answered_by: dict[str, set[str]] = {}
    for column, target in zip(table.columns, targets, strict=True):
        if target.kind in ("question", "option", "note", "team", "role"):
            slot = (target.kind, target.key, target.option)
            first = seen.get(slot)
            if first is not None:
                what = {
                    "question": f"answers {target.key}",
                    "option": f"is option {target.option} of {target.key}",
                    "note": f"is the note of {target.key}",
                    "team": "names the team",
                    "role": "names the role",
                }[target.kind]
                problems.append(
                    CsvProblem(
                        shown,
                        header_row,
                        column.index + 1,
                        column.shown,
                        f'{what}, as column "{first.shown}" does; '
                        "keep one, or name the one to use in a mapping file",
                    )
                )
            seen.setdefault(slot, column)
        if target.kind in ("question", "option"):
            answered_by.setdefault(target.key, set()).add(target.kind)
    for key, kinds in answered_by.items():
        if len(kinds) > 1:
            problems.append(
                CsvProblem(
                    shown,
                    header_row,
                    0,
                    "",
                    f"{key} is answered both in one column and in a column per option; "
                    "keep one of the two",
                )
            )
    if team is None and not any(t.kind == "team" for t in targets):
        problems.append(
            CsvProblem(
                shown,
                0,
                0,
                "",
                'no team column (such as "Team" or "Which team are you in?"); add one, '
                "give --team, or name the column in a mapping file (columns: {Header: team})",
            )
        )
    if mapping is not None:
        present = {normalize(c.header) for c in table.columns} | {
            normalize(c.title) for c in table.columns
        }
        for normal, (header, line, column_number) in mapping.headers.items():
            if normal not in present:
                problems.append(
                    Problem(
                        mapping.path,
                        line,
                        column_number,
                        f"columns.{header}",
                        f"no column of {shown} is headed so"
                        + suggest(header, [c.header for c in table.columns]),
                    )
                )
    return problems
